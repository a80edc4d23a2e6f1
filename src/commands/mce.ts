import type { Command } from 'commander';
import type { RunIO } from '../cli.js';
import type { MachineCheck } from '../model/index.js';
import { decodeMce, mceDetails } from '../mce/decode.js';
import { hex, hex4, mcgFlags, mscod } from '../mce/bits.js';
import { toSeverity } from '../mce/severity.js';
import { ApplicationError } from '../util/errors.js';
import { readTimeline } from '../analyze.js';
import { listErrors, summarize } from '../mce/list.js';
import { addInputOptions, parseReadOptions } from './options.js';
import { formatSource } from '../report/source.js';
import { escapeControl } from '../util/escape.js';

interface DecodeOpts {
  status?: string; bank?: string; addr?: string; misc?: string; mcgStatus?: string;
  ipid?: string; synd?: string; ip?: string; vendor?: string; cpuid?: string; mcgCap?: string; json?: boolean;
}

const U64_MAX = (1n << 64n) - 1n;

/** A register value as typed: 0x-prefixed hex, or decimal. */
export function parseRegister(name: string, text: string): bigint {
  const t = text.trim();
  if (!/^(?:0x[0-9a-f]{1,16}|\d{1,20})$/i.test(t)) throw new ApplicationError(`mce decode: --${name} ${JSON.stringify(text)} is not a number (use 0x... for hex)`, 2);
  const v = BigInt(t);
  if (v > U64_MAX) throw new ApplicationError(`mce decode: --${name} ${text} does not fit in 64 bits`, 2);
  return v;
}

function smallNumber(name: string, text: string, max: number): number {
  const v = parseRegister(name, text);
  if (v > BigInt(max)) throw new ApplicationError(`mce decode: --${name} ${text} is out of range (0..${max})`, 2);
  return Number(v);
}

export function machineCheckFromOptions(o: DecodeOpts): MachineCheck {
  if (o.status === undefined) throw new ApplicationError('mce decode: --status is required (the MCi_STATUS value, e.g. 0xbe0000000001009f)', 2);
  const mc: MachineCheck = { kind: 'mce', bank: o.bank === undefined ? 0 : smallNumber('bank', o.bank, 255), status: parseRegister('status', o.status), source: { backend: 'cli', path: '-' } };
  if (o.addr !== undefined) mc.addr = parseRegister('addr', o.addr);
  if (o.misc !== undefined) mc.misc = parseRegister('misc', o.misc);
  if (o.mcgStatus !== undefined) mc.mcgStatus = parseRegister('mcg-status', o.mcgStatus);
  if (o.mcgCap !== undefined) mc.mcgCap = parseRegister('mcg-cap', o.mcgCap);
  if (o.ipid !== undefined) mc.ipid = parseRegister('ipid', o.ipid);
  if (o.synd !== undefined) mc.synd = parseRegister('synd', o.synd);
  if (o.ip !== undefined) mc.ip = parseRegister('ip', o.ip);
  if (o.cpuid !== undefined) mc.cpuid = smallNumber('cpuid', o.cpuid, 0xffffffff);
  if (o.vendor !== undefined) {
    const v = o.vendor.toLowerCase();
    if (v !== 'intel' && v !== 'amd' && v !== 'hygon') throw new ApplicationError(`mce decode: --vendor must be intel, amd or hygon, not ${JSON.stringify(o.vendor)}`, 2);
    mc.cpuVendor = v;
  }
  return mc;
}

export function renderDecode(mc: MachineCheck): string {
  const d = mceDetails(mc);
  const rows: [string, string][] = [
    ['Bank', `${mc.bank} (${d.vendor === 'amd' ? 'AMD' : 'Intel'} decoding)`],
    ['Status', hex(mc.status)],
    ['Error', d.code.text],
    ['Class', d.code.errorClass],
  ];
  if (d.vendor === 'intel' && mscod(mc.status) !== 0) rows.push(['Model code', `MSCOD ${hex4(mscod(mc.status))} (model-specific)`]);
  rows.push(['Bits', d.flags.join(', ')]);
  rows.push(['Address', d.address?.replace(/^address /, '') ?? 'not valid (ADDRV clear)']);
  if (mc.mcgStatus !== undefined) rows.push(['MCG_STATUS', `${hex(mc.mcgStatus)} ${mcgFlags(mc.mcgStatus).join(' ') || '(none set)'}`]);
  // MCG_CAP bit 24, MCG_SER_P (Intel SDM Vol. 3B 16.3.1.1): the kernel grades by it (severity.c).
  if (mc.mcgCap !== undefined) rows.push(['MCG_CAP', `${hex(mc.mcgCap)} ${(mc.mcgCap >> 24n) & 1n ? 'SER_P (software error recovery)' : 'no SER_P: uncorrected errors are not recoverable'}`]);
  rows.push(['Severity', `${toSeverity(d.grade.level, mc.status)} (kernel grade ${d.grade.level}: ${d.grade.reason})`]);
  const w = rows.reduce((n, [k]) => Math.max(n, k.length), 0);
  return `${rows.map(([k, v]) => `${`${k}:`.padEnd(w + 2)}${v}`).join('\n')}\n\n${decodeMce(mc).summary}\n`;
}

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
    .action((opts: DecodeOpts) => {
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
      const t = await readTimeline(inputs, { ...(opts.as !== undefined && { as: opts.as }), options: parseReadOptions(opts.opt) });
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
