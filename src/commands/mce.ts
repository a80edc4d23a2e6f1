import type { Command } from 'commander';
import type { RunIO } from '../cli.js';
import type { MachineCheck } from '../model/index.js';
import { decodeMce, mceDetails } from '../mce/decode.js';
import { hex, hex4, mcgFlags, mscod } from '../mce/bits.js';
import { toSeverity } from '../mce/severity.js';
import { ApplicationError } from '../util/errors.js';

interface DecodeOpts {
  status?: string; bank?: string; addr?: string; misc?: string; mcgStatus?: string;
  ipid?: string; synd?: string; ip?: string; vendor?: string; cpuid?: string; json?: boolean;
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
  rows.push(['Severity', `${toSeverity(d.grade.level, mc.status)} (kernel grade ${d.grade.level}: ${d.grade.reason})`]);
  const w = Math.max(...rows.map(([k]) => k.length));
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
    .option('--json', 'print the decoded record as JSON')
    .action((opts: DecodeOpts) => {
      const mc = machineCheckFromOptions(opts);
      if (opts.json) {
        const { source: _source, ...decoded } = decodeMce(mc);
        io.stdout(`${JSON.stringify(decoded, null, 2)}\n`);
      } else io.stdout(renderDecode(mc));
    });
}
