// mcelog log text -> MachineCheck records, each with the byte offset of its first line.
import type { ReadContext } from '../../src/backend.js';
import type { CrashRecord, MachineCheck } from '../../src/model/index.js';
import { readLines } from '../../src/input/lines.js';
import {
  CAP_FIELD, CAP_LINE, CPU_LINE, CPUID, DISCLAIMER, EXTENDED_BANKS, HEX_FIELD, MAX_LINE_CHARS, MAX_PREFIX_CHARS,
  MCA_TEXT, MCE_START, RIP, SOCKET_APIC, STATUS, SYSLOG_PREFIX, TIME,
} from './layout.js';

interface Pending { mc: Partial<MachineCheck>; offset: number; notes: string[] }

const big = (h: string): bigint => BigInt(`0x${h}`);
const MAX_BANK = 255;

/** CPUID(1).EAX from mcelog's decimal family/model/stepping (extended fields split out). */
export function cpuidOf(family: number, model: number, step: number): number {
  const fam = family > 0xf ? ((family - 0xf) << 20) | (0xf << 8) : family << 8;
  return (fam | ((model >> 4) << 16) | ((model & 0xf) << 4) | (step & 0xf)) >>> 0;
}

/** The CPU number and bank of a "CPU n <bankname>" line, whichever bankname() form it has. */
export function cpuLine(line: string): { cpu: number; bank: number } | undefined {
  const m = CPU_LINE.exec(line);
  if (!m) return undefined;
  const num = m[2] ?? m[3];
  const bank = num !== undefined ? Number(num) : m[4] !== undefined ? EXTENDED_BANKS[m[4]]! : Number.parseInt(m[5]!, 16);
  return bank <= MAX_BANK ? { cpu: Number(m[1]), bank } : undefined;
}

function applyHex(p: Pending, line: string): void {
  for (const m of line.matchAll(HEX_FIELD)) {
    const v = big(m[2]!);
    switch (m[1]!.toUpperCase()) {
      case 'TSC': p.mc.tsc = v; break;
      case 'ADDR': p.mc.addr = v; break;
      case 'MISC': p.mc.misc = v; break;
      case 'SYND': p.mc.synd = v; break;
      case 'IPID': p.mc.ipid = v; break;
      case 'MICROCODE': if (v <= 0xffffffffn) p.mc.microcode = Number(v); break;
    }
  }
}

function applyCaps(p: Pending, line: string): void {
  for (const m of line.matchAll(CAP_FIELD)) {
    const v = big(m[2]!);
    const name = m[1]!.toUpperCase();
    if (name === 'MCGCAP') { if (v !== 0n) p.mc.mcgCap = v; } else if (v <= 0xffffffffn) p.mc[name === 'APICID' ? 'apicId' : 'socket'] = Number(v);
  }
}

/** Lines that start with none of these letters carry no field (M: MCA/MCG/MCi/MISC/MICROCODE, T: TIME/TSC/Transaction, ...). */
const FIELD_INITIALS = new Set('ACIMPRSTacimprst'.split('').map((c) => c.charCodeAt(0)));
const STATUS_WORD = /status/i;

function applyLine(p: Pending, line: string, cl: ReturnType<typeof cpuLine>): void {
  if (cl) { p.mc.cpu = cl.cpu; p.mc.bank = cl.bank; applyHex(p, line); return; }
  // A model decoder's unit may stand before STATUS ("M2M: STATUS ..."): only those lines start elsewhere.
  if (!FIELD_INITIALS.has(line.charCodeAt(0)) && !STATUS_WORD.test(line)) return;
  const rip = RIP.exec(line);
  if (rip) { p.mc.ip = big(rip[2]!); return; }
  if (/^(?:TSC|ADDR|MISC|SYND|IPID|PPIN|MICROCODE) /i.test(line)) { applyHex(p, line); return; }
  const t = TIME.exec(line);
  if (t) { const s = Number(t[1]); if (s > 0) p.mc.time = new Date(s * 1000); return; }
  const st = STATUS.exec(line);
  if (st) {
    p.mc.status = big(st[1]!); p.mc.mcgStatus = big(st[2]!);
    // The unit a model decoder named, left on the STATUS line ("M2M:", "PCU: Internal errors").
    const unit = line.slice(0, st.index).trim();
    if (unit && unit.length <= MAX_PREFIX_CHARS) p.notes.push(unit);
    return;
  }
  if (CAP_LINE.test(line)) { applyCaps(p, line); return; }
  const sa = SOCKET_APIC.exec(line);
  if (sa) { p.mc.socket = Number(sa[1]); p.mc.apicId = Number.parseInt(sa[2]!, 16); if (sa[3]) p.mc.microcode = Number.parseInt(sa[3], 16); return; }
  const c = CPUID.exec(line);
  if (c) {
    p.mc.cpuVendor = c[1]!.toLowerCase();
    p.mc.cpuid = cpuidOf(Number(c[2]), Number(c[3]), Number(c[4] ?? 0));
    return;
  }
  if (MCA_TEXT.test(line)) p.notes.push(line);
}

function finish(p: Pending, path: string, ctx: ReadContext): MachineCheck | undefined {
  if (p.mc.bank === undefined || p.mc.status === undefined) {
    if (p.mc.bank !== undefined || p.mc.status !== undefined) ctx.problem({ path, offset: p.offset, message: `mcelog record without ${p.mc.bank === undefined ? 'CPU/BANK' : 'STATUS'} line` });
    return undefined;
  }
  // Object.assign, not a spread: the pending objects' fields come in every order, and a spread of such shapes was a third of the reader's time.
  const mc = Object.assign({}, p.mc, { kind: 'mce', source: { backend: 'mcelog', path, offset: p.offset } }) as MachineCheck;
  if (p.notes.length) mc.note = `mcelog: ${p.notes.join('; ')}`;
  return mc;
}

export async function* readMcelog(path: string, ctx: ReadContext): AsyncGenerator<CrashRecord> {
  let cur: Pending | undefined;
  const started = (p: Pending | undefined) => p !== undefined && (p.mc.bank !== undefined || p.mc.status !== undefined);
  for await (const batch of readLines(path)) for (const l of batch) {
    const cut = l.text.length > MAX_LINE_CHARS ? l.text.slice(0, MAX_LINE_CHARS) : l.text;
    const line = (cut.includes('mcelog') ? cut.replace(SYSLOG_PREFIX, '') : cut).trim();
    // A record starts at the disclaimer, at "MCE n", or at a second "CPU n BANK b" line.
    const marker = line === DISCLAIMER || (line.startsWith('MCE ') && MCE_START.test(line));
    const cl = line.startsWith('CPU ') ? cpuLine(line) : undefined;
    const bankLine = cl !== undefined;
    if ((marker && started(cur)) || (bankLine && cur?.mc.bank !== undefined)) {
      const mc = finish(cur!, path, ctx);
      if (mc) yield mc;
      cur = undefined;
    }
    if (marker || bankLine) cur ??= { mc: {}, offset: l.offset, notes: [] };
    if (cur && !marker) applyLine(cur, line, cl);
  }
  if (cur) {
    const mc = finish(cur, path, ctx);
    if (mc) yield mc;
  }
}
