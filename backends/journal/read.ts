// `journalctl -k -o json` output: one JSON object per line (json-seq's RS separators and
// a pretty-printed array are tolerated too). MESSAGE may be a byte array (non-UTF-8).
import type { ReadContext } from '../../src/backend.js';
import type { KernelMessage } from '../../src/model/index.js';
import { readLines } from '../../src/input/lines.js';
import { parseLine } from '../../src/kmsg/line.js';
import { dateAt } from '../../src/util/time.js';

const ID = 'journal';

type Entry = Record<string, unknown>;

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((b) => typeof b === 'number')) return Buffer.from(v as number[]).toString('utf8');
  return undefined;
}

function usec(v: unknown): bigint | undefined {
  const s = str(v);
  return s !== undefined && /^\d{1,20}$/.test(s) ? BigInt(s) : undefined;
}

/** Why the last entry's time was left out (out of range), for the reader to report. */
let badTime: string | undefined;

export function entryToMessage(e: Entry, path: string, offset: number): KernelMessage | undefined {
  badTime = undefined;
  const message = str(e.MESSAGE);
  if (message === undefined) return undefined;
  // A kernel message keeps its own time in _SOURCE_MONOTONIC_TIMESTAMP (usec since boot).
  const p = parseLine(message);
  const msg: KernelMessage = { kind: 'kmsg', text: p.text, source: { backend: ID, path, offset } };
  // The entry is found again by its offset. Its __CURSOR is not the SourceRef id: an id names
  // a record that holds many lines (a pstore dump), and the timeline cuts segments where it
  // changes; every journal entry has its own cursor.
  const mono = usec(e._SOURCE_MONOTONIC_TIMESTAMP) ?? usec(e.__MONOTONIC_TIMESTAMP);
  if (p.tsNs !== undefined) msg.tsNs = p.tsNs;
  else if (mono !== undefined) msg.tsNs = mono * 1000n;
  const prio = str(e.PRIORITY);
  if (prio !== undefined && /^[0-7]$/.test(prio)) msg.level = Number(prio);
  const fac = str(e.SYSLOG_FACILITY);
  if (fac !== undefined && /^\d{1,2}$/.test(fac)) msg.facility = Number(fac);
  const boot = str(e._BOOT_ID);
  if (boot) msg.boot = boot;
  const real = usec(e.__REALTIME_TIMESTAMP);
  const wall = real === undefined ? undefined : dateAt(Number(real / 1000n));
  if (wall) msg.wallTime = wall;
  else if (real !== undefined) badTime = `__REALTIME_TIMESTAMP ${real} is out of range`;
  const subsystem = str(e._KERNEL_SUBSYSTEM);
  const device = str(e._KERNEL_DEVICE);
  if (subsystem || device) msg.device = { subsystem: subsystem ?? '', device: device ?? '' };
  return msg;
}

export async function* readJournal(path: string, ctx: ReadContext): AsyncGenerator<KernelMessage[]> {
  for await (const batch of readLines(path)) {
    const out: KernelMessage[] = [];
    for (const line of batch) {
      // json-seq puts RS (0x1e) before each object; a pretty array adds "[", "]" and ",".
      let text = line.text.replace(/^\x1e/, '').trim();
      if (text === '' || text === '[' || text === ']') continue;
      if (text.endsWith(',')) text = text.slice(0, -1);
      let entry: unknown;
      try {
        entry = JSON.parse(text);
      } catch (err) {
        ctx.problem({ path, offset: line.offset, message: `not a journal JSON entry: ${(err as Error).message}` });
        continue;
      }
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        ctx.problem({ path, offset: line.offset, message: 'not a journal JSON entry: not an object' });
        continue;
      }
      const msg = entryToMessage(entry as Entry, path, line.offset);
      if (badTime) ctx.problem({ path, offset: line.offset, message: `${badTime}: the entry is read without its wall-clock time` });
      if (msg) out.push(msg);
    }
    if (out.length) yield out;
  }
}
