// One sender's datagrams to records, in arrival order: extended records with their ncfrag
// fragments joined, legacy console text with its 1000-byte pieces joined into lines.
// Shared by backends/pcap (a capture, offline) and src/live (`crashlog listen`).
import { MAX_PRINT_CHUNK, parseExtBody, parseExtHeader, type ExtBody, type ExtHeader } from './format.js';

/** Largest record a fragment header may announce: a printk record (2 KiB with its dictionary)
 * plus netconsole's userdata (16 x 253 bytes) and sysdata, with room to spare. */
export const MAX_FRAG_TOTAL = 64 * 1024;
/** Records being reassembled at once; a sender interleaves none, so more means loss. */
export const MAX_PENDING_FRAGS = 16;
/** Datagrams after which a record still missing fragments is given up. */
export const MAX_FRAG_AGE = 64;
/** Longest legacy line kept before it is cut (no newline came). */
export const MAX_LEGACY_LINE = 64 * 1024;

export interface NetconsoleRecord<T> {
  format: 'extended' | 'legacy';
  /** Extended: the message text, unescaped (UTF-8). Legacy: the console line as sent. */
  text: string;
  pri?: number;
  seq?: bigint;
  tsUs?: bigint;
  flag?: string;
  caller?: string;
  release?: string;
  /** Extended: dictionary, userdata and sysdata "key=value" lines, in order. */
  dict?: [string, string][];
  /** Extended: the header as sent, without release and ncfrag ("6,12,3456,-"). */
  key?: string;
  /** Extended: the body as sent (escaped text, '\n', the " key=value" lines), bytes as latin1. */
  body?: string;
  /** Where the record's first datagram was. */
  at: T;
  /** Datagrams the record was joined from. */
  parts: number;
  problem?: string;
}

export interface StreamHooks {
  /** Extended sequence numbers skipped: not sent (below the console loglevel) or lost. */
  gap?(from: bigint, to: bigint): void;
}

interface Pending<T> {
  header: ExtHeader;
  total: number;
  pieces: { offset: number; bytes: string }[];
  covered: number;
  at: T;
  born: number;
}

const LF = 0x0a;
const TIMESTAMP_START = /^(?:<\d{1,4}>)?\[\s{0,12}\d{1,10}\.\d{1,9}\]/;

export class NetconsoleStream<T> {
  private readonly pending = new Map<string, Pending<T>>();
  private legacy = '';
  private legacyAt: T | undefined;
  private legacyParts = 0;
  private lastFull = false;
  private lastSeq: bigint | undefined;
  private count = 0;

  constructor(
    /** `datagram`: the datagram the record came whole in, when its header is plain (so the
     * datagram is "key;body" as it stands); it views the caller's buffer, for this call only. */
    private readonly emit: (r: NetconsoleRecord<T>, datagram?: Uint8Array) => void,
    private readonly hooks: StreamHooks = {},
  ) {}

  push(payload: Uint8Array, at: T): void {
    this.count++;
    const h = parseExtHeader(payload);
    if (h) this.pushExtended(h, payload, at);
    else this.pushLegacy(payload, at);
    if (this.pending.size) this.expire();
  }

  /** End of the stream: what is still pending is given out as it is. */
  flush(): void {
    for (const key of [...this.pending.keys()]) this.giveUp(key);
    if (this.legacy) this.legacyLine(this.legacy, this.legacyAt as T, this.legacyParts);
    this.legacy = '';
    this.legacyParts = 0;
  }

  private pushExtended(h: ExtHeader, payload: Uint8Array, at: T): void {
    const body = Buffer.from(payload.buffer, payload.byteOffset + h.bodyStart, payload.length - h.bodyStart).toString('latin1');
    if (!h.frag) return this.record(h, body, at, 1, undefined, h.plain ? payload : undefined);
    const { offset, total } = h.frag;
    if (total > MAX_FRAG_TOTAL || offset + body.length > total) {
      return this.record(h, body, at, 1, `ncfrag=${offset}/${total} with ${body.length} bytes is out of bounds (0..${Math.min(total, MAX_FRAG_TOTAL)})`);
    }
    let p = this.pending.get(h.key);
    if (!p) {
      if (this.pending.size >= MAX_PENDING_FRAGS) this.giveUp(this.pending.keys().next().value as string);
      p = { header: h, total, pieces: [], covered: 0, at, born: this.count };
      this.pending.set(h.key, p);
    }
    if (p.pieces.some((x) => x.offset === offset)) return; // a duplicate datagram
    p.pieces.push({ offset, bytes: body });
    p.covered += body.length;
    if (p.covered >= p.total) {
      this.pending.delete(h.key);
      this.record(p.header, joinPieces(p.pieces), p.at, p.pieces.length);
    }
  }

  private expire(): void {
    for (const [key, p] of this.pending) if (this.count - p.born > MAX_FRAG_AGE) this.giveUp(key);
  }

  private giveUp(key: string): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    this.record(p.header, joinPieces(p.pieces), p.at, p.pieces.length, `ncfrag: ${p.covered} of ${p.total} bytes arrived`);
  }

  private record(h: ExtHeader, body: string, at: T, parts: number, problem?: string, datagram?: Uint8Array): void {
    if (this.lastSeq !== undefined && h.seq > this.lastSeq + 1n) this.hooks.gap?.(this.lastSeq + 1n, h.seq - 1n);
    if (this.lastSeq === undefined || h.seq > this.lastSeq || h.seq + 1n < this.lastSeq) this.lastSeq = h.seq;
    this.emit(new ExtendedRecord(h, body, at, parts, problem), datagram);
  }

  private pushLegacy(payload: Uint8Array, at: T): void {
    const s = Buffer.from(payload.buffer, payload.byteOffset, payload.length).toString('latin1');
    // A piece shorter than a chunk that did not end a line was a whole console write
    // (pr_cont on old kernels): the next piece continues it unless it starts a new line.
    if (this.legacy && !this.lastFull && TIMESTAMP_START.test(s)) {
      this.legacyLine(this.legacy, this.legacyAt as T, this.legacyParts);
      this.legacy = '';
      this.legacyParts = 0;
    }
    this.lastFull = payload.length === MAX_PRINT_CHUNK && payload[payload.length - 1] !== LF;
    let from = 0;
    if (!this.legacy) this.legacyAt = at;
    this.legacyParts++;
    for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', from)) {
      this.legacyLine(this.legacy + s.slice(from, nl), this.legacyAt as T, this.legacyParts);
      this.legacy = '';
      this.legacyAt = at;
      this.legacyParts = 1;
      from = nl + 1;
    }
    if (from < s.length) {
      this.legacy += s.slice(from);
      if (this.legacy.length > MAX_LEGACY_LINE) {
        this.legacyLine(this.legacy, this.legacyAt as T, this.legacyParts, `line longer than ${MAX_LEGACY_LINE} bytes, cut`);
        this.legacy = '';
        this.legacyParts = 0;
      }
    } else {
      this.legacyParts = 0;
    }
  }

  private legacyLine(latin1: string, at: T, parts: number, problem?: string): void {
    const text = Buffer.from(latin1.endsWith('\r') ? latin1.slice(0, -1) : latin1, 'latin1').toString('utf8');
    const r: NetconsoleRecord<T> = { format: 'legacy', text, at, parts: Math.max(1, parts) };
    if (problem) r.problem = problem;
    this.emit(r);
  }
}

/** An extended record; its text and dictionary are unescaped when first asked for (the
 * receiver writes most records as they came and looks at their text only to detect). A
 * receiver holds many of these until it looks (crashwatch.ts): a plain header's fields are
 * kept as numbers and its text made again on demand, so a record is two objects, not five. */
class ExtendedRecord<T> implements NetconsoleRecord<T> {
  readonly format = 'extended' as const;
  readonly pri: number;
  readonly flag: string;
  readonly caller?: string;
  readonly release?: string;
  readonly problem?: string;
  private readonly s: number | bigint;
  private readonly t: number | bigint;
  /** The header text when it is not plain. */
  private readonly k: string | undefined;
  private parsed: ExtBody | undefined;

  constructor(h: ExtHeader, readonly body: string, readonly at: T, readonly parts: number, problem?: string) {
    this.pri = h.pri;
    this.flag = h.flag;
    const plain = h.plain === true;
    this.s = plain ? Number(h.seq) : h.seq;
    this.t = plain ? Number(h.tsUs) : h.tsUs;
    this.k = plain ? undefined : h.key;
    if (h.caller !== undefined) this.caller = h.caller;
    if (h.release !== undefined) this.release = h.release;
    if (problem) this.problem = problem;
  }

  get seq(): bigint {
    return typeof this.s === 'bigint' ? this.s : BigInt(this.s);
  }

  get tsUs(): bigint {
    return typeof this.t === 'bigint' ? this.t : BigInt(this.t);
  }

  get key(): string {
    return this.k ?? `${this.pri},${this.s},${this.t},${this.flag}`;
  }

  get text(): string {
    return (this.parsed ??= parseExtBody(this.body)).text;
  }

  get dict(): [string, string][] | undefined {
    const d = (this.parsed ??= parseExtBody(this.body)).dict;
    return d.length ? d : undefined;
  }
}

function joinPieces(pieces: { offset: number; bytes: string }[]): string {
  return pieces.sort((a, b) => a.offset - b.offset).map((p) => p.bytes).join('');
}
