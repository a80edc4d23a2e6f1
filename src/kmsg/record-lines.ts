// A record's log lines handed to the pipeline's line sink (ReadContext.lines) unmade: each
// line's text and time are read (what the segment cutter and the keepers read), the
// KernelMessage with its own source is made only for a line that is kept (keep.ts,
// thin.ts). A 256 MiB mtdoops partition is 3.5 million lines, nearly all let go unread.
// The same lines bytesToMessages (messages.ts) gives, made: both walk them with eachLine.
import type { KernelMessage, SourceRef } from '../model/index.js';
import type { LazyLine } from '../timeline/keep.js';
import { eachLine, lineSource } from './messages.js';

export class RecordLine implements LazyLine {
  /** The dump's time, on its newest line (src/pstore/dumps.ts dumpTime). */
  wallTime?: Date;

  constructor(
    readonly text: string,
    readonly tsNs: bigint | undefined,
    /** The record's, shared by its lines. */
    readonly source: SourceRef,
    private readonly offset: number | undefined,
    private readonly level: number | undefined,
    private readonly facility: number | undefined,
    private readonly caller: string | undefined,
  ) {}

  make(): KernelMessage {
    const s = this.source;
    const msg: KernelMessage = { kind: 'kmsg', text: this.text, source: this.offset === undefined ? s : lineSource(s, this.offset) };
    if (this.tsNs !== undefined) msg.tsNs = this.tsNs;
    if (this.level !== undefined) msg.level = this.level;
    if (this.facility !== undefined) msg.facility = this.facility;
    if (this.caller !== undefined) msg.caller = this.caller;
    if (this.wallTime !== undefined) msg.wallTime = this.wallTime;
    return msg;
  }
}

/** Each line of `bytes` to `sink`, unmade; offsets as bytesToMessages gives them, or (`lineOffsets`
 * false: a compressed record's lines have no place in the image) the source's own for every line. */
export function pushRecordLines(bytes: Uint8Array, source: SourceRef, sink: { push(line: RecordLine): void }, lineOffsets = true): void {
  const perLine = source.offset !== undefined && lineOffsets;
  eachLine(bytes, (text, at, p) => {
    sink.push(new RecordLine(text, p.tsNs, source, perLine ? source.offset! + at : undefined, p.level, p.facility, p.caller));
  });
}
