// Machine checks and memory errors as the kernel prints them. __print_mce() in
// arch/x86/kernel/cpu/mce/core.c writes, each line prefixed "mce: [Hardware Error]: ":
//   CPU 0: Machine Check Exception: 4 Bank 8: be0000000001009f
//   RIP !INEXACT! 10:<ffffffff81670493> {skb_release_data+0x63/0x100}
//   TSC a3e072df6 ADDR 12345000 MISC 8c PPIN .. SYND .. IPID ..
//   PROCESSOR 0:50654 TIME 1795373701 SOCKET 0 APIC 0 microcode 1
// EDAC (drivers/edac/edac_mc.c edac_ce_error/edac_ue_error):
//   EDAC MC0: 1 CE memory read error on DIMM_A1 (channel:0 slot:0 page:0x12345 offset:0x0 grain:32 syndrome:0x0 - ...)
import type { KernelMessage, MachineCheck, MemoryError } from '../model/index.js';
import { VENDORS } from './struct.js';
import { dateAt } from '../util/time.js';

const PREFIX = /^(?:mce: )?\[Hardware Error\]: /;
const HEADER = /^CPU (\d+): Machine Check(?: Exception)?: ([0-9a-f]+) Bank (\d+): ([0-9a-f]{1,16})\b/i;
const RIP = /^RIP(?: !INEXACT!)? ([0-9a-f]+):<?([0-9a-f]{1,16})>?/i;
const REGS = /\b(TSC|ADDR|MISC|PPIN|SYND|IPID) ([0-9a-f]{1,16})\b/gi;
const PROCESSOR = /^PROCESSOR (\d+):([0-9a-f]+) TIME (\d+) SOCKET (\d+) APIC ([0-9a-f]+)(?: microcode ([0-9a-f]+))?/i;
const EDAC = /^EDAC (?:MC)?(\d+): (\d+) (CE|UE|Fatal) (.*?)\s*on (.+?) \((.*)\)\s*$/;
/** Page shift of the page:0x.. field EDAC prints (x86, arm64 with 4 KiB pages). */
const EDAC_PAGE_SHIFT = 12n;

const big = (hex: string): bigint => BigInt(`0x${hex}`);

function applyRegs(mc: MachineCheck, text: string): void {
  for (const m of text.matchAll(REGS)) {
    const v = big(m[2]!);
    switch (m[1]!.toUpperCase()) {
      case 'TSC': mc.tsc = v; break;
      case 'ADDR': mc.addr = v; break;
      case 'MISC': mc.misc = v; break;
      case 'SYND': mc.synd = v; break;
      case 'IPID': mc.ipid = v; break;
    }
  }
}

/** The machine checks printed in these messages, each from its "CPU n: Machine Check" line on. */
export function parseMceText(msgs: readonly KernelMessage[]): MachineCheck[] {
  const out: MachineCheck[] = [];
  let cur: MachineCheck | undefined;
  for (const msg of msgs) {
    // Most lines are not machine-check lines: a first-character test keeps the pattern off them.
    const c = msg.text.charCodeAt(0);
    if (c !== 0x6d && c !== 0x5b) continue; // 'm', '['
    const p = PREFIX.exec(msg.text);
    if (!p) continue;
    const text = msg.text.slice(p[0].length).trim();
    const h = HEADER.exec(text);
    if (h) {
      cur = { kind: 'mce', bank: Number(h[3]), status: big(h[4]!), mcgStatus: big(h[2]!), cpu: Number(h[1]), source: msg.source };
      if (msg.tsNs !== undefined) cur.tsNs = msg.tsNs;
      if (msg.boot !== undefined) cur.boot = msg.boot;
      out.push(cur);
      continue;
    }
    if (!cur) continue;
    const r = RIP.exec(text);
    if (r) {
      cur.ip = big(r[2]!);
      continue;
    }
    if (text.startsWith('TSC ')) {
      applyRegs(cur, text);
      continue;
    }
    const pr = PROCESSOR.exec(text);
    if (pr) {
      const vendor = VENDORS[Number(pr[1])];
      if (vendor) cur.cpuVendor = vendor;
      cur.cpuid = Number.parseInt(pr[2]!, 16);
      const t = Number(pr[3]);
      const when = t > 0 ? dateAt(t * 1000) : undefined;
      if (when) cur.time = when;
      cur.socket = Number(pr[4]);
      cur.apicId = Number.parseInt(pr[5]!, 16);
      if (pr[6] !== undefined) cur.microcode = Number.parseInt(pr[6], 16);
      cur = undefined;
    }
  }
  return out;
}

function locationNumber(loc: string, key: string): bigint | undefined {
  const m = new RegExp(`\\b${key}:(0x[0-9a-f]+|\\d+)`, 'i').exec(loc);
  return m ? BigInt(m[1]!) : undefined;
}

/** EDAC's "N CE/UE <msg> on <label> (<location>)" lines as memory errors. */
export function parseEdacText(msgs: readonly KernelMessage[]): MemoryError[] {
  const out: MemoryError[] = [];
  for (const msg of msgs) {
    if (!msg.text.startsWith('EDAC ')) continue;
    const m = EDAC.exec(msg.text);
    if (!m) continue;
    const [, mc, count, type, what, label, location] = m;
    const e: MemoryError = {
      kind: 'memerr',
      severity: type === 'CE' ? 'corrected' : type === 'UE' ? 'uncorrected' : 'fatal',
      count: Number(count),
      card: Number(mc),
      label: label!,
      detail: `${what ? `${what} ` : ''}(${location})`,
      source: msg.source,
    };
    const page = locationNumber(location!, 'page');
    const offset = locationNumber(location!, 'offset') ?? 0n;
    if (page !== undefined && (page !== 0n || offset !== 0n)) e.physAddr = (page << EDAC_PAGE_SHIFT) + offset;
    // EDAC's channel is a memory channel, not a DRAM bank: it stays in `detail`.
    for (const [key, field] of [['slot', 'module'], ['row', 'row'], ['col', 'column']] as const) {
      const v = locationNumber(location!, key);
      if (v !== undefined && v < 1n << 31n) e[field] = Number(v);
    }
    if (msg.tsNs !== undefined) e.tsNs = msg.tsNs;
    if (msg.boot !== undefined) e.boot = msg.boot;
    out.push(e);
  }
  return out;
}
