// `crashlog mce decode|list`. The decoder and the reading pipeline load when a subcommand
// runs (mce-decode.ts, ../analyze.ts): every other command starts without them.
import type { Command } from 'commander';
import type { RunIO } from '../cli.js';
import { addInputOptions, parseReadOptions, withProgress } from './options.js';
import { escapeControl } from '../util/escape.js';
import type { DecodeOpts } from './mce-decode.js';

export function register(program: Command, io: RunIO): void {
  const mce = program.command('mce').description('machine-check tools');
  mce
    .command('decode')
    .description('decode one machine-check bank record (MCi_STATUS and friends) in words, as the kernel grades it')
    .option('--status <value>', 'MCi_STATUS (required)')
    .option('--bank <n>', 'bank number', undefined)
    .option('--addr <value>', 'MCi_ADDR')
    .option('--misc <value>', 'MCi_MISC')
    .option('--mcg-status <value>', 'MCG_STATUS')
    .option('--ipid <value>', 'AMD MCA_IPID (selects the SMCA bank type)')
    .option('--synd <value>', 'AMD MCA_SYND')
    .option('--ip <value>', 'the instruction pointer (RIP), for the kernel/user context')
    .option('--vendor <name>', 'intel | amd | hygon (default: amd when --ipid is given, else intel)')
    .option('--cpuid <value>', 'CPUID(1).EAX (family/model, e.g. 0x50654)')
    .option('--mcg-cap <value>', 'MCG_CAP (bit 24 SER_P changes how the kernel grades uncorrected errors)')
    .option('--json', 'print the decoded record as JSON')
    .action(async (opts: DecodeOpts) => {
      const { decodeMce, machineCheckFromOptions, renderDecode } = await import('./mce-decode.js');
      const mc = machineCheckFromOptions(opts);
      if (opts.json) {
        const { source: _source, ...decoded } = decodeMce(mc);
        io.stdout(`${JSON.stringify(decoded, null, 2)}\n`);
      } else io.stdout(renderDecode(mc));
    });
  addInputOptions(mce
    .command('list')
    .description('every machine-check and memory-error record in the inputs, decoded, one per line (as ras-mc-ctl --errors); --summary counts per DIMM, bank and CPU')
    .argument('<inputs...>', 'files or directories of any kind crashlog reads')
    .option('--summary', 'counts per DIMM, bank and CPU instead of the records')
    .option('--json', 'one JSON object per record (or the summary as one object)'))
    .action(async (inputs: string[], opts: { summary?: boolean; json?: boolean; as?: string; opt?: string[] }) => {
      const [{ readTimeline }, { listErrors, summarize }, { formatSource }, { hex }] = await Promise.all([
        import('../analyze.js'), import('../mce/list.js'), import('../report/source.js'), import('../mce/bits.js'),
      ]);
      const options = parseReadOptions(opts.opt);
      const t = await withProgress(io, !opts.json, () => readTimeline(inputs, { ...(opts.as !== undefined && { as: opts.as }), options }));
      if (t.inputs.every((i) => i.records === 0)) process.exitCode = 1;
      for (const i of t.inputs) for (const p of i.problems) io.stderr(escapeControl(`crashlog: ${p.path}${p.offset !== undefined ? `+0x${p.offset.toString(16)}` : ''}: ${p.message}`) + '\n');
      const l = listErrors(t.timeline);
      if (opts.summary) {
        const s = summarize(l);
        if (opts.json) { io.stdout(`${JSON.stringify(s)}\n`); return; }
        for (const [title, rows] of [['DIMM', s.dimms], ['bank', s.banks], ['CPU', s.cpus]] as const) {
          if (!rows.length) continue;
          io.stdout(`${title}s:\n`);
          for (const r of rows) io.stdout(`  ${r.what}: ${r.corrected} corrected, ${r.uncorrected} uncorrected, ${r.fatal} fatal\n`);
        }
        return;
      }
      for (const { boot, mce: m, count } of l.mces) {
        if (opts.json) { io.stdout(`${JSON.stringify({ ...m, kind: 'mce', boot, count })}\n`); continue; }
        const where = [m.time, m.cpu !== undefined ? `CPU ${m.cpu}` : undefined, `bank ${m.bank}`].filter(Boolean).join(' ');
        io.stdout(escapeControl(`${where}: ${m.severity}${count > 1 ? ` x${count}` : ''}: status ${m.status}${m.addr ? ` addr ${m.addr}` : ''}: ${m.summary}  <${formatSource(m.source)}>`) + '\n');
      }
      for (const { boot, error: e } of l.memory) {
        if (opts.json) { io.stdout(`${JSON.stringify({ ...e, kind: 'memory', boot, physAddr: e.physAddr === undefined ? undefined : hex(e.physAddr), tsNs: e.tsNs?.toString() })}\n`); continue; }
        const where = e.label ?? e.dimm ?? (e.card !== undefined ? `memory controller ${e.card}` : 'memory');
        io.stdout(escapeControl(`${e.time?.toISOString() ?? ''}${e.time ? ' ' : ''}${where}: ${e.severity}${(e.count ?? 1) > 1 ? ` x${e.count}` : ''}${e.physAddr !== undefined ? ` at ${hex(e.physAddr)}` : ''}${e.detail ? ` ${e.detail}` : ''}  <${formatSource(e.source)}>`) + '\n');
      }
    });
}
