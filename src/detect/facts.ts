// Facts of one report: CPU/PID/comm line, taint, hardware, RIP/PC, modules, frames.
import type { KernelMessage } from '../model/index.js';
import type { CrashEvent, Frame } from './types.js';
import { parseFrame } from './frames.js';
import { CPU_LINE } from '../kmsg/cpu-line.js';
import { FACT, type LineClasses } from './line-class.js';

const IP_LINE = /^(?:RIP: [0-9a-f]{4}:|IP: (?:\[<[0-9a-f]{1,16}>\] )?|pc : (?:\[<[0-9a-f]{1,16}>\] )?|PC is at )(.{1,300})/;
const END = /^(?:---\[ end |Kernel Offset: )/;

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
export function readFacts(ev: CrashEvent, msgs: readonly KernelMessage[], from: number, to: number, classes: LineClasses): number {
  let irqEnd = 0;
  let ipFrame: Frame | undefined;
  const trace: Frame[] = [];
  for (let i = from; i < to; i++) {
    // Most lines of a log are none of the below (LineClasses FACT: no frame, no fact line).
    if ((classes.of(i) & FACT) === 0) continue;
    const raw = msgs[i]!.text;
    const line = raw.charCodeAt(0) === 32 ? raw.trimStart() : raw;
    // Each anchored pattern runs only on lines that start with its first letter (this loop is
    // per line of every report).
    const c0 = line.charCodeAt(0);
    if ((c0 === 45 /* - */ || c0 === 75 /* K */) && END.test(line)) break;
    const c = c0 === 67 /* C */ && ev.cpu === undefined ? CPU_LINE.exec(line) : null;
    if (c) {
      ev.cpu = Number(c[1]); ev.pid = Number(c[2]); ev.comm = c[3]!;
      if (c[4]) { ev.taint = c[4]; ev.taintFlags = decodeTaint(c[4]); }
      ev.release = c[5]!;
      continue;
    }
    if (line.startsWith('Hardware name: ') && ev.hardware === undefined) { ev.hardware = line.slice(15); continue; }
    if (line.startsWith('Modules linked in:') && ev.modules === undefined) {
      ev.modules = line.slice(18).trim().split(/\s+/).filter(Boolean).map((m) => m.replace(/\(.*$/, ''));
      continue;
    }
    const ip = c0 === 82 /* R */ || c0 === 73 /* I */ || c0 === 112 /* p */ || c0 === 80 /* P */ ? IP_LINE.exec(line) : null;
    if (ip) {
      if (ev.ip === undefined && /\+0x/.test(ip[1]!)) { ev.ip = ip[1]!; ipFrame = parseFrame(ip[1]!); }
      continue;
    }
    if (line.startsWith('</IRQ>') || line.startsWith('<EOI>')) { if (!irqEnd) irqEnd = trace.length; continue; }
    if (line.startsWith('lr : ') || line.startsWith('LR is at ')) continue;
    if (/^(?:Code|RSP|RAX|RDX|RBP|R\d|FS|CS|CR\d|sp|x\d)/.test(line)) continue;
    const f = parseFrame(line);
    if (f) trace.push(f);
  }
  ev.frames = ipFrame ? [ipFrame, ...trace] : trace;
  return irqEnd && ipFrame ? irqEnd + 1 : irqEnd;
}
