// Kernel logs as text: dmesg, "<6>[ts]" pstore text, /dev/kmsg records, syslog/kern.log,
// serial and netconsole captures with junk before the time stamp.
import type { ReadContext } from '../../src/backend.js';
import type { LazyLine } from '../../src/timeline/keep.js';
import type { KernelMessage, SourceRef } from '../../src/model/index.js';
import { MAX_LINE_BYTES, readLineBatches } from '../../src/input/lines.js';
import { emptyPrefix, readPrefix } from '../../src/kmsg/line.js';
import { KMSG_DICT, KMSG_RECORD, MAX_JUNK_BYTES, MONTHS, SYSLOG_BSD, SYSLOG_ISO, TIMESTAMP_ANYWHERE } from './layout.js';

const ID = 'text';

function fromKmsg(m: RegExpExecArray, source: SourceRef): KernelMessage {
  const pri = Number(m[1]);
  // /dev/kmsg escapes non-printables as \xNN; undo it so the text reads as printk's.
  const text = m[5]!.replace(/\\x([0-9a-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return { kind: 'kmsg', text, level: pri & 7, facility: pri >> 3, seq: BigInt(m[2]!), tsNs: BigInt(m[3]!) * 1000n, source };
}

function bsdDate(m: RegExpExecArray, year: number): Date {
  return new Date(year, MONTHS.indexOf(m[1]!), Number(m[2]!.trim()), Number(m[3]), Number(m[4]), Number(m[5]));
}

const isUpper = (c: number) => c >= 0x41 && c <= 0x5a;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const prefix = emptyPrefix();

/** One line to a message, or undefined for a line that holds none. */
export function parseTextLine(line: string, source: SourceRef, year: number): KernelMessage | undefined {
  let wallTime: Date | undefined;
  let rest = line;
  // The forms by their first character, so that a dmesg line ("[", "<") meets no pattern.
  const c = line.charCodeAt(0);
  const bsd = isUpper(c) ? SYSLOG_BSD.exec(line) : null;
  const iso = !bsd && isDigit(c) ? SYSLOG_ISO.exec(line) : null;
  if (bsd) {
    wallTime = bsdDate(bsd, year);
    rest = bsd[7]!;
  } else if (iso) {
    wallTime = new Date(iso[1]!.replace(' ', 'T'));
    rest = iso[3]!;
  } else if (isDigit(c)) {
    const k = KMSG_RECORD.exec(line);
    if (k) return fromKmsg(k, source);
  }
  const p = prefix;
  let start = readPrefix(rest, 0, rest.length, p);
  if (p.tsNs === undefined && p.level === undefined) {
    const at = TIMESTAMP_ANYWHERE.exec(rest.slice(0, MAX_JUNK_BYTES + 24));
    if (at && at.index > 0 && at.index <= MAX_JUNK_BYTES) start = readPrefix(rest, at.index, rest.length, p);
  }
  const text = rest.slice(start);
  if (text.length === 0 && p.tsNs === undefined) return undefined;
  const msg: KernelMessage = { kind: 'kmsg', text, source };
  if (p.tsNs !== undefined) msg.tsNs = p.tsNs;
  if (p.level !== undefined) msg.level = p.level;
  if (p.facility !== undefined) msg.facility = p.facility;
  if (p.caller !== undefined) msg.caller = p.caller;
  if (wallTime && !Number.isNaN(wallTime.getTime())) msg.wallTime = wallTime;
  return msg;
}

/** A dmesg-form line of an ASCII chunk, made a message only when kept (src/timeline/keep.ts). */
class TextLine implements LazyLine {
  constructor(
    readonly text: string,
    readonly tsNs: bigint | undefined,
    readonly source: { readonly path: string },
    private readonly s: string,
    private readonly a: number,
    private readonly e: number,
    private readonly offset: number,
  ) {}

  make(): KernelMessage {
    return dmesgLine(this.s, this.a, this.e, { backend: ID, path: this.source.path, offset: this.offset })!;
  }
}

/**
 * A dmesg-form line ("[ts] msg", "<6>[ts] msg") of an ASCII chunk, read in place: its text is
 * a slice of the chunk's string. Undefined for any other form.
 */
function dmesgLine(s: string, a: number, e: number, source: SourceRef): KernelMessage | undefined {
  const c = s.charCodeAt(a);
  if (c !== 0x5b && c !== 0x3c) return undefined;
  const p = prefix;
  const start = readPrefix(s, a, e, p);
  if (p.tsNs === undefined && p.level === undefined) return undefined;
  const msg: KernelMessage = { kind: 'kmsg', text: s.slice(start, e), source };
  if (p.tsNs !== undefined) msg.tsNs = p.tsNs;
  if (p.level !== undefined) msg.level = p.level;
  if (p.facility !== undefined) msg.facility = p.facility;
  if (p.caller !== undefined) msg.caller = p.caller;
  return msg;
}

/** The line's prefix read, a TextLine for a dmesg-form line, else undefined. */
function lazyLine(s: string, a: number, e: number, offset: number, input: { path: string }): TextLine | undefined {
  const c = s.charCodeAt(a);
  if (c !== 0x5b && c !== 0x3c) return undefined;
  const p = prefix;
  const start = readPrefix(s, a, e, p);
  if (p.tsNs === undefined && p.level === undefined) return undefined;
  return new TextLine(s.slice(start, e), p.tsNs, input, s, a, e, offset);
}

export async function* readText(path: string, ctx: ReadContext): AsyncGenerator<KernelMessage[]> {
  const year = typeof ctx.options.year === 'number' ? ctx.options.year : new Date().getFullYear();
  const sink = ctx.lines;
  const input = { path };
  // A message is held until the next line: /dev/kmsg dictionary lines that follow are its.
  let pending: KernelMessage | undefined;
  let out: KernelMessage[] = [];
  const emit = (m: KernelMessage) => (sink ? sink.push(m) : out.push(m));
  const line = (text: string, offset: number, cut: boolean) => {
    if (cut) ctx.problem({ path, offset, message: `line longer than ${MAX_LINE_BYTES} bytes, cut` });
    const dict = pending && text.charCodeAt(0) === 0x20 ? KMSG_DICT.exec(text) : null;
    if (dict && pending) {
      // /dev/kmsg dictionary lines belong to the record before them.
      if (dict[1] === 'SUBSYSTEM') pending.device = { subsystem: dict[2]!, device: pending.device?.device ?? '' };
      else if (dict[1] === 'DEVICE') pending.device = { subsystem: pending.device?.subsystem ?? '', device: dict[2]! };
      return;
    }
    const msg = parseTextLine(text, { backend: ID, path, offset }, year);
    if (!msg) return;
    if (pending) emit(pending);
    pending = msg;
  };
  for await (const batch of readLineBatches(path)) {
    if (Array.isArray(batch)) {
      for (const l of batch) line(l.text, l.offset, l.cut === true);
    } else {
      const { text: s, base, starts, ends, n } = batch;
      const cut = batch.cut ? new Set(batch.cut) : undefined;
      for (let k = 0; k < n; k++) {
        const a = starts[k]!;
        const e = ends[k]!;
        // A dmesg line is never a dictionary line (those start with a space): no string of the line.
        if (!cut?.has(k)) {
          if (sink) {
            const lazy = lazyLine(s, a, e, base + a, input);
            if (lazy) {
              if (pending) { sink.push(pending); pending = undefined; }
              sink.push(lazy);
              continue;
            }
          } else {
            const fast = dmesgLine(s, a, e, { backend: ID, path, offset: base + a });
            if (fast) {
              if (pending) out.push(pending);
              pending = fast;
              continue;
            }
          }
        }
        line(s.slice(a, e), base + a, cut?.has(k) === true);
      }
    }
    if (out.length) {
      yield out;
      out = [];
    }
  }
  if (pending) {
    if (sink) sink.push(pending);
    else yield [pending];
  }
}
