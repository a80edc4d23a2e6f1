// Facts of one report: CPU/PID/comm line, taint, hardware, RIP/PC, modules, frames.
import type { KernelMessage } from '../model/index.js';
import type { CrashEvent, Frame } from './types.js';
import { parseFrame } from './frames.js';
import { CPU_LINE } from '../kmsg/cpu-line.js';
import { leadingChars } from './prefix.js';

const IP_LINE = /^(?:RIP: [0-9a-f]{4}:|IP: (?:\[<[0-9a-f]{1,16}>\] )?|pc : (?:\[<[0-9a-f]{1,16}>\] )?|PC is at )(.{1,300})/;
const END = /^(?:---\[ end |Kernel Offset: )/;
/** Register and code dump lines: never frames (x86 and arm64 show_regs). */
const REGISTERS = /^(?:Code|RSP|RAX|RDX|RBP|R\d|FS|CS|CR\d|sp|x\d)/;
const WHITESPACE = /\s+/;
const MODULE_STATE = /\(.*$/;
const HARDWARE = 'Hardware name: ';
const MODULES = 'Modules linked in:';
const IRQ_MARKS = ['</IRQ>', '<EOI>'];
const LINK_REGISTER = ['lr : ', 'LR is at '];

/** A table of the characters a line read below can start with, from the patterns themselves
 * (every character when one's first characters cannot be read from it). */
function firstTable(patterns: readonly (RegExp | string)[]): Uint8Array {
  const t = new Uint8Array(128);
  for (const p of patterns) {
    const chars = typeof p === 'string' ? [p[0]!] : leadingChars(p);
    if (!chars) return t.fill(1);
    for (const c of chars) t[c.charCodeAt(0)] = 1;
  }
  return t;
}
/** Lines that say something: END, CPU_LINE, HARDWARE, MODULES, IP_LINE, IRQ_MARKS. */
const FACT_FIRST = firstTable([END, CPU_LINE, HARDWARE, MODULES, IP_LINE, ...IRQ_MARKS]);
/** Those and the lines passed over before frames are looked for (LINK_REGISTER, REGISTERS). */
const NOT_FRAME_FIRST = firstTable([END, CPU_LINE, HARDWARE, MODULES, IP_LINE, ...IRQ_MARKS, ...LINK_REGISTER, REGISTERS]);

/** trimStart()'s whitespace (ECMAScript WhiteSpace and LineTerminator). */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029
    || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Whether readFacts reads the line: indented, a fact line's first character, or a frame's "+0x". */
export function factLine(raw: string): boolean {
  const r0 = raw.charCodeAt(0);
  return r0 === 32 || FACT_FIRST[r0] === 1 || raw.includes('+0x');
}

// kernel/panic.c taint_flags: letter -> name
const TAINT: Record<string, string> = {
  P: 'proprietary module', F: 'forced module load', S: 'out-of-spec system', R: 'forced module unload',
  M: 'machine check', B: 'bad page', U: 'user request', D: 'died recently (oops or BUG)', A: 'ACPI table overridden',
  W: 'warning', C: 'staging driver', I: 'firmware workaround', O: 'out-of-tree module', E: 'unsigned module',
  L: 'soft lockup', K: 'live patched', X: 'auxiliary', T: 'randomized struct layout', N: 'test module',
};

export function decodeTaint(taint: string): string[] {
  const flags = taint.replace(/^Tainted: /, '').replace(/ /g, '');
  return [...flags].filter((c) => c !== 'G' && TAINT[c]).map((c) => TAINT[c]!);
}

/** Fill `ev` from the lines of its report (messages from..to) (frames in print order, IP first); returns the index in
 * ev.frames where the interrupted context starts (after </IRQ>), or 0. */
export function readFacts(ev: CrashEvent, msgs: readonly KernelMessage[], from: number, to: number): number {
  let irqEnd = 0;
  let ipFrame: Frame | undefined;
  const trace: Frame[] = [];
  for (let i = from; i < to; i++) {
    const raw = msgs[i]!.text;
    // Most lines of a log are none of the below: no frame, no fact line.
    if (!factLine(raw)) continue;
    // The line as trimStart() leaves it: `from` on.
    let from = 0;
    if (raw.charCodeAt(0) === 32) while (isSpace(raw.charCodeAt(from))) from++;
    const c0 = raw.charCodeAt(from);
    // A line no pattern below starts like is a frame or nothing (most lines of a report).
    if (NOT_FRAME_FIRST[c0] !== 1) {
      const f = parseFrame(raw, from);
      if (f) trace.push(f);
      continue;
    }
    const line = from ? raw.slice(from) : raw;
    // Each anchored pattern runs only on lines that start with its first letter.
    if ((c0 === 45 /* - */ || c0 === 75 /* K */) && END.test(line)) break;
    const c = c0 === 67 /* C */ && ev.cpu === undefined ? CPU_LINE.exec(line) : null;
    if (c) {
      ev.cpu = Number(c[1]); ev.pid = Number(c[2]); ev.comm = c[3]!;
      if (c[4]) { ev.taint = c[4]; ev.taintFlags = decodeTaint(c[4]); }
      ev.release = c[5]!;
      continue;
    }
    if (line.startsWith(HARDWARE) && ev.hardware === undefined) { ev.hardware = line.slice(HARDWARE.length); continue; }
    if (line.startsWith(MODULES) && ev.modules === undefined) {
      ev.modules = line.slice(MODULES.length).trim().split(WHITESPACE).filter(Boolean).map((m) => m.replace(MODULE_STATE, ''));
      continue;
    }
    const ip = c0 === 82 /* R */ || c0 === 73 /* I */ || c0 === 112 /* p */ || c0 === 80 /* P */ ? IP_LINE.exec(line) : null;
    if (ip) {
      if (ev.ip === undefined && ip[1]!.includes('+0x')) { ev.ip = ip[1]!; ipFrame = parseFrame(ip[1]!); }
      continue;
    }
    if (IRQ_MARKS.some((m) => line.startsWith(m))) { if (!irqEnd) irqEnd = trace.length; continue; }
    if (LINK_REGISTER.some((m) => line.startsWith(m))) continue;
    if (REGISTERS.test(line)) continue;
    const f = parseFrame(line);
    if (f) trace.push(f);
  }
  ev.frames = ipFrame ? [ipFrame, ...trace] : trace;
  return irqEnd && ipFrame ? irqEnd + 1 : irqEnd;
}
