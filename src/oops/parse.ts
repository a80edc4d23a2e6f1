// One report block (header to "---[ end trace ... ]---") -> its facts: who (CPU line),
// where (RIP/pc), registers, Code:, the call trace with its stack boundaries, modules.
// Formats: arch/x86/kernel/dumpstack.c (show_trace_log_lvl, show_ip, show_opcodes),
// process_64.c __show_regs; arch/arm64/kernel/process.c __show_regs, stacktrace.c
// dump_backtrace; lib/dump_stack.c dump_stack_print_info.
import type { Oops, OopsFrame } from '../model/index.js';
import { CPU_LINE } from '../kmsg/cpu-line.js';
import { parseFrameLine } from './frame.js';
import { parseRegisterLine } from './registers.js';
import { decodeTaint } from './taint.js';

/** Lines of a block read at most, and frames kept: a real trace is far shorter. */
export const MAX_BLOCK_LINES = 1500;
export const MAX_FRAMES = 400;

const END = /^---\[ end (?:trace|Kernel panic)/;
const TRACE_START = /^Call [Tt]race:/;
/** x86 "RIP: 0010:func+0x..", old "RIP: [<ffff..>] func", "IP: ..", arm64 "pc : func", old arm "PC is at". */
const IP = /^(?:R?IP: (?:([0-9a-f]{4}):)?|pc : |PC is at )(.{1,400})$/;
const LR = /^(?:lr : |LR is at )(.{1,400})$/;
/** dumpstack_64.c stack_type_name(): IRQ, SOFTIRQ, NMI, #DF, #MC, #VC, ENTRY_TRAMPOLINE, TASK; old "<EOI>". */
const STACK_OPEN = /^<([A-Z#][A-Z0-9_#]{0,20})>$/;
const STACK_CLOSE = /^<\/([A-Z#][A-Z0-9_#]{0,20})>$/;
const STACK_LEAD = /^(<\/?[A-Z#][A-Z0-9_#]{0,20}>)\s+(\S.{0,400})$/;
/** Lines inside a trace that are not frames and do not end it (arm64 < 4.14 exception dumps). */
const TRACE_NOISE = /^(?:Exception stack\(|0x[0-9a-f]{8,16}: |Code: |\? ?$)/;
/** Lines that start another CPU's or task's report: never skipped over inside a trace. */
const INTERRUPTS_TRACE = /^(?:CPU: \d|NMI backtrace|Sending NMI|Call [Tt]race|task:|INFO: task |Hardware name)/;
/** "Tainted:" on a line of its own: hung-task reports, 6.10+ verbose taint. */
const TAINT_LINE = /^(?:(Not tainted|Tainted: [A-Z ]{1,40}?) +(\d\S{0,63}) #|Tainted: (\[[A-Z]\]=.{1,400}))/;
const TASK_LINE = /^task:(.{1,32}?) +state:\S{1,4} .{0,80}?pid: ?(\d{1,10})/;

export function parseOops(block: readonly string[]): Oops {
  const oops: Oops = { trace: [] };
  const registers: Record<string, string> = {};
  let phase: 'head' | 'regs' | 'trace' | 'after' = 'head';
  let stack: string | undefined;
  let pendingInline: OopsFrame[] = [];
  const push = (f: OopsFrame): void => {
    if (oops.trace.length >= MAX_FRAMES) return;
    if (stack) f.stack = stack;
    if (pendingInline.length) { f.inlined = pendingInline; pendingInline = []; }
    oops.trace.push(f);
  };
  for (let i = 0; i < block.length && i < MAX_BLOCK_LINES; i++) {
    const line = block[i]!.trim();
    if (i > 0 && END.test(line)) break;
    if (phase === 'trace') {
      // Before 4.9 the marker and the first frame share a line: " <IRQ>  [<ffff..>] fn+0x..".
      const lead = STACK_LEAD.exec(line);
      const open = STACK_OPEN.exec(lead ? lead[1]! : line);
      if (open) stack = open[1] === 'EOI' ? undefined : open[1];
      else if (STACK_CLOSE.test(lead ? lead[1]! : line)) stack = undefined;
      if ((open || STACK_CLOSE.test(line)) && !lead) continue;
      const f = parseFrameLine(lead && (open || STACK_CLOSE.test(lead[1]!)) ? lead[2]! : line);
      if (f?.inlined) { if (pendingInline.length < MAX_FRAMES) pendingInline.push({ ...f, inlined: undefined } as OopsFrame); continue; }
      if (f) { push(f); continue; }
      const ip = IP.exec(line);
      if (ip) {
        // An exception frame on the stack (show_regs_if_on_stack): kernel mode names a symbol.
        const g = parseFrameLine(ip[2]!);
        if (g && !/^0x/.test(g.function) && (ip[1] === undefined || ip[1] === '0010')) push({ ...g, interrupted: true });
        continue;
      }
      if (parseRegisterLine(line) || TRACE_NOISE.test(line) || line === '') continue;
      // A console interleaving two CPUs repeats "Call Trace:" or drops another line between
      // frames: go on when a frame follows, unless the line opens another stack ("...:").
      if (TRACE_START.test(line) && oops.trace.length === 0) continue;
      const next = block[i + 1]?.trim() ?? '';
      if (!/:\s*$/.test(line) && !INTERRUPTS_TRACE.test(line) && parseFrameLine(next)?.offset !== undefined) continue;
      phase = 'after';
    }
    if (TRACE_START.test(line)) {
      if (phase !== 'after') { phase = 'trace'; stack = undefined; }
      continue;
    }
    const cpu = CPU_LINE.exec(line);
    if (cpu) {
      if (oops.cpu === undefined) {
        oops.cpu = Number(cpu[1]); oops.pid = Number(cpu[2]); oops.comm = cpu[3]!;
        if (cpu[4]) oops.taint = decodeTaint(cpu[4]);
        oops.release = cpu[5]!;
      }
      continue;
    }
    const t = TAINT_LINE.exec(line);
    if (t) {
      // The verbose line names each flag: it wins over the columns.
      if (t[3] !== undefined) oops.taint = decodeTaint(`Tainted: ${t[3]}`);
      else if (!oops.taint) { oops.taint = decodeTaint(t[1]!); oops.release ??= t[2]!; }
      continue;
    }
    const task = TASK_LINE.exec(line);
    if (task && oops.comm === undefined) { oops.comm = task[1]!; oops.pid = Number(task[2]); continue; }
    if (line.startsWith('Hardware name: ')) { oops.hardware ??= line.slice(15).trim(); continue; }
    if (line.startsWith('Modules linked in:')) {
      oops.modules ??= line.slice(18).replace(/\[last unloaded:[^\]]*\]/, '').trim().split(/\s+/).filter(Boolean).map((m) => m.replace(/\(.*$/, ''));
      continue;
    }
    if (phase === 'after') continue;
    const ip = IP.exec(line);
    if (ip && oops.rip === undefined) {
      const f = parseFrameLine(ip[2]!);
      if (f) oops.rip = f;
      phase = 'regs';
      continue;
    }
    const lr = LR.exec(line);
    if (lr) { const f = parseFrameLine(lr[1]!); if (f) oops.lr = f; continue; }
    if (line.startsWith('Code: ')) { oops.code ??= line.slice(6).trim(); continue; }
    const regs = parseRegisterLine(line);
    if (regs) for (const [k, v] of Object.entries(regs)) if (!(k in registers)) registers[k] = v;
  }
  if (Object.keys(registers).length) oops.registers = registers;
  return oops;
}
