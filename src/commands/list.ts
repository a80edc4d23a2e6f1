// `crashlog list`: the incidents in the archive, one line each.
import type { Command } from 'commander';
import type { RunIO } from '../cli.js';

export function register(program: Command, io: RunIO): void {
  program
    .command('list')
    .description('list the archived incidents (id, time, cause, title)')
    .option('--config <file>', 'config file (default /etc/crashlog.conf, if present)')
    .option('--archive <dir>', 'archive folder (default /var/lib/crashlog)')
    .option('--json', 'one JSON line per incident')
    .action(async (flags: { config?: string; archive?: string; json?: boolean }) => {
      const { listArchive, loadConfig } = await import('../collect/index.js');
      const dir = flags.archive ?? loadConfig(flags.config).archive;
      const { rows, notes } = listArchive(dir);
      for (const n of notes) io.stderr(`crashlog: ${n}\n`);
      if (flags.json) {
        for (const r of rows) io.stdout(JSON.stringify(r) + '\n');
        return;
      }
      if (rows.length === 0) {
        if (notes.length === 0) io.stdout(`no archived incidents in ${dir}\n`);
        return;
      }
      const idW = Math.max(2, ...rows.map((r) => r.id.length));
      io.stdout(`${'ID'.padEnd(idW)}  ${'TIME'.padEnd(24)}  ${'CAUSE'.padEnd(8)}  TITLE\n`);
      for (const r of rows) io.stdout(`${r.id.padEnd(idW)}  ${r.time.padEnd(24)}  ${r.cause.padEnd(8)}  ${r.title}\n`);
    });
}
