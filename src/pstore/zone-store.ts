// The records of a store of zones (ramoops, pstore/zone), whose dump zones come first. A
// dump's parts may lie in any zone, so its lines go out only once every dump zone is read
// (groupDumps); meanwhile a part waits as its text while the texts held stay under
// HELD_BYTES, and past that as its place alone, read again from the image when its dump
// goes out (a 64 MiB region holds 64 MiB of dump text: kept whole, the image would be).
// Lines go out in batches (messageBatches), never a whole dump's as one array, or, to the
// pipeline's line sink, one by one unmade (src/kmsg/record-lines.ts).
import type { Yielded } from '../backend.js';
import { copyOf } from '../input/window.js';
import type { KernelMessage } from '../model/index.js';
import { groupDumps, dumpTime, type PartInfo } from './dumps.js';
import type { RecordLine } from '../kmsg/record-lines.js';
import type { LazyLine } from '../timeline/keep.js';

/** Dump text kept between reading a zone and giving out its dump; the rest is read again. */
export const HELD_BYTES = 16 << 20;
/** The limit in force (tests lower it to read every part again). */
export const zoneStoreLimits = { heldBytes: HELD_BYTES };

export interface ZonePart extends PartInfo {
  /** The part's text as read, good until the next record is read (copied when held, dropped past HELD_BYTES). */
  text?: Uint8Array | undefined;
  /** The text read again from the image, problems not reported a second time; good until the next reload. */
  reload(): Promise<Uint8Array | undefined>;
  /** The text's lines, header line left out, in batches. */
  messages(text: Uint8Array): Iterable<KernelMessage[]>;
  /** The same lines to the pipeline's sink unmade (src/kmsg/record-lines.ts), their source's
   * id the dump's when it has one. */
  push(text: Uint8Array, sink: { push(line: RecordLine): void }, id: string | undefined): void;
}

/** Every dump of `parts`, lines in batches with the dump's id, its last line anchored at the dump's time. */
async function* dumpsOf(parts: ZonePart[], sink: Sink | undefined): AsyncGenerator<KernelMessage[]> {
  for (const { id, parts: ordered } of groupDumps(parts)) {
    const time = dumpTime(ordered);
    if (sink) {
      // To the pipeline's sink unmade; the newest line is held back to get the dump's time.
      let held: RecordLine | undefined;
      const hold = { push: (l: RecordLine) => { if (held) sink.push(held); held = l; } };
      for (const p of ordered) {
        const text = p.text ?? (await p.reload());
        p.text = undefined;
        if (text) p.push(text, hold, id);
      }
      if (held && time) held.wallTime = time;
      if (held) sink.push(held);
      continue;
    }
    // One batch is held back: the dump's last line gets its time before it goes out.
    let pending: KernelMessage[] | undefined;
    for (const p of ordered) {
      const text = p.text ?? (await p.reload());
      p.text = undefined;
      if (!text) continue;
      for (const batch of p.messages(text)) {
        if (batch.length === 0) continue;
        if (id !== undefined) for (const m of batch) m.source.id = id;
        if (pending) yield pending;
        pending = batch;
      }
    }
    if (!pending) continue;
    if (time) pending[pending.length - 1]!.wallTime = time;
    yield pending;
  }
}

/**
 * Records of a zone store read zone by zone: `asPart` makes a dump zone's part, `asRecords`
 * gives any other zone's records. The image stays open until this ends (parts may be reread).
 */
export async function* zoneRecords<R extends { zone: { kind: string } }>(
  recs: AsyncIterable<R>,
  asPart: (r: R) => ZonePart,
  asRecords: (r: R) => Iterable<Yielded>,
  sink?: Sink,
): AsyncGenerator<Yielded> {
  let parts: ZonePart[] = [];
  let held = 0;
  for await (const rec of recs) {
    if (rec.zone.kind === 'dmesg') {
      const p = asPart(rec);
      // The text is good only until the next record is read (a reused buffer): a held one is copied.
      if (p.text && held + p.text.length <= zoneStoreLimits.heldBytes) held += (p.text = copyOf(p.text)).length;
      else p.text = undefined;
      parts.push(p);
      continue;
    }
    yield* dumpsOf(parts, sink);
    parts = [];
    held = 0;
    yield* asRecords(rec);
  }
  yield* dumpsOf(parts, sink);
}

/** The pipeline's line sink (ReadContext.lines). */
type Sink = { push(line: LazyLine): void };
