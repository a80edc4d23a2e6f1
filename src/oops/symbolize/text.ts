// `crashlog symbolize`: a pasted trace in, the same text out with "file:line" after each frame
// it could resolve and the functions inlined there on lines of their own before it, in
// syzbot's form (" fn file:line [inline]"), which parse.ts reads back.
import type { OopsFrame } from '../../model/index.js';
import { parseFrameLine } from '../frame.js';
import { kernelOffsetIn } from '../kaslr.js';
import { Symbolizer, type SymbolizeOptions } from './symbolize.js';

/** "[  12.345678]", "<4>[  12.3]", "[  12.3][  T99]", "[  12.3] [ C1]" in front of a line. */
const PREFIX = /^(?:<\d{1,3}>)?(?:\[ {0,12}\d{1,10}\.\d{1,9}\](?: ?\[ {0,8}[TC]\d{1,10}\])? ?)?/;
/** A faulting pc: exact address, not a return address. */
const PC = /^(?:R?IP: (?:[0-9a-f]{4}:)?|pc : |PC is at )/;
const LR = /^(?:lr : |LR is at )/;
/** Lines read at most: a pasted trace is short. */
const MAX_LINES = 100_000;

interface Row { prefix: string; text: string; frame?: OopsFrame; exact: boolean }

export interface SymbolizeResult { text: string; problems: string[]; resolved: number; frames: number }

export async function symbolizeText(input: string, opts: SymbolizeOptions): Promise<SymbolizeResult> {
  const rows: Row[] = input.split('\n').slice(0, MAX_LINES).map((line) => {
    const prefix = PREFIX.exec(line)![0];
    const text = line.slice(prefix.length);
    const body = text.trim().replace(PC, '').replace(LR, '');
    const row: Row = { prefix, text, exact: PC.test(text.trim()) };
    // A bare hex line alone is a hex dump, not a frame, unless it is a pc.
    const f = parseFrameLine(body);
    if (f && (f.offset !== undefined || row.exact || f.address !== undefined && /\[</.test(body))) row.frame = f;
    return row;
  });
  const kaslr = opts.kernelOffset ?? kernelOffsetIn(rows.map((r) => r.text));
  const bare = new Set(rows.filter((r) => r.frame?.function.startsWith('0x')).map((r) => r.frame!));
  const s = new Symbolizer(opts);
  const frames = rows.filter((r) => r.frame).map((r) => r.frame!);
  const exact = new Set(rows.filter((r) => r.frame && r.exact).map((r) => r.frame!));
  await s.frames(frames, (f) => exact.has(f), kaslr);
  const out: string[] = [];
  let resolved = 0;
  for (const r of rows) {
    const f = r.frame;
    // A bare address the symbols named: its name and offset after it.
    const named = f && bare.has(f) && !f.function.startsWith('0x') ? ` ${f.function}+${f.offset}` : '';
    if (!f || f.file === undefined) { out.push(r.prefix + r.text.trimEnd() + named); continue; }
    resolved++;
    const indent = /^\s*/.exec(r.text)![0] || ' ';
    for (const g of f.inlined ?? []) out.push(`${r.prefix}${indent}${g.function} ${g.file ?? '??'}:${g.line ?? '?'} [inline]`);
    out.push(`${r.prefix}${r.text.trimEnd()}${named} ${f.file}:${f.line}`);
  }
  return { text: out.join('\n'), problems: s.problems, resolved, frames: frames.length };
}
