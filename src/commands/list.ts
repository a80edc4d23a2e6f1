// `crashlog list`: the incidents in the archive, one line each.
import type { Command } from 'commander';
import type { RunIO } from '../cli.js';
import { escapeControl, stringifyJsonLine } from '../util/escape.js';

export function register(program: Command, io: RunIO): void {
  program
    .command('list')
    .description('list the archived incidents (id, time, cause, title)')
    .option('--config <file>', 'config file (default /etc/crashlog.conf, if present)')
    .option('--archive <dir>', 'archive folder (default /var/lib/crashlog)')
    .option('--json', 'one JSON line per group (with --all: per incident)')
    .option('--all', 'one row per archived incident instead of one per signature')
    .action(async (flags: { config?: string; archive?: string; json?: boolean; all?: boolean }) => {
      const { listArchive, loadConfig, groupBySignature } = await import('../collect/index.js');
      const dir = flags.archive ?? loadConfig(flags.config).archive;
      const { rows, notes } = listArchive(dir);
      // Titles and times come from files in the archive: escaped before they reach the terminal.
      for (const n of notes) io.stderr(`crashlog: ${escapeControl(n)}\n`);
      if (flags.json) {
        for (const r of flags.all ? rows : groupBySignature(rows)) io.stdout(stringifyJsonLine(r) + '\n');
        return;
      }
      if (rows.length === 0) {
        if (notes.length === 0) io.stdout(`no archived incidents in ${escapeControl(dir)}\n`);
        return;
      }
      if (!flags.all) {
        // One row per bug: how often, first and last seen, the newest entry to look at.
        const groups = groupBySignature(rows).map((g) => ({ ...g, first: escapeControl(g.first), last: escapeControl(g.last), cause: escapeControl(g.cause), title: escapeControl(g.title) }));
        const idW = Math.max(6, ...groups.map((g) => g.ids[g.ids.length - 1]!.length));
        io.stdout(`${'COUNT'.padStart(5)}  ${'FIRST'.padEnd(24)}  ${'LAST'.padEnd(24)}  ${'LATEST'.padEnd(idW)}  ${'CAUSE'.padEnd(8)}  TITLE\n`);
        for (const g of groups) io.stdout(`${String(g.count).padStart(5)}  ${g.first.padEnd(24)}  ${g.last.padEnd(24)}  ${g.ids[g.ids.length - 1]!.padEnd(idW)}  ${g.cause.padEnd(8)}  ${g.title}\n`);
        return;
      }
      const shown = rows.map((r) => ({ id: r.id, time: escapeControl(r.time), cause: escapeControl(r.cause), title: escapeControl(r.title) }));
      const idW = Math.max(2, ...shown.map((r) => r.id.length));
      io.stdout(`${'ID'.padEnd(idW)}  ${'TIME'.padEnd(24)}  ${'CAUSE'.padEnd(8)}  TITLE\n`);
      for (const r of shown) io.stdout(`${r.id.padEnd(idW)}  ${r.time.padEnd(24)}  ${r.cause.padEnd(8)}  ${r.title}\n`);
    });
}
