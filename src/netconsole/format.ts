// The two netconsole datagram formats. Kernel sources:
//   drivers/net/netconsole.c: send_msg_udp (legacy: the console text cut into
//     MAX_PRINT_CHUNK pieces, no marker), send_ext_msg_udp / send_msg_no_fragmentation /
//     send_msg_fragmented / send_fragmented_body (extended: "[release,]header;body",
//     userdata then sysdata appended; over MAX_PRINT_CHUNK the header gets
//     ",ncfrag=<off>/<total>" and <total> counts body + userdata + sysdata);
//   kernel/printk/printk.c: info_print_ext_header ("%u,%llu,%llu,%c[,caller=%c%u];",
//     the first field is facility << 3 | level, the time in microseconds),
//     msg_add_ext_text (bytes < 0x20, >= 0x7f and '\' escaped as "\xNN", then '\n'),
//     msg_add_dict_text (" KEY=value\n" lines, value escaped the same way);
//   Documentation/networking/netconsole.rst (userdata " key=value" lines; sysdata
//     " cpu=", " taskname=", " release=", " msgid=").

/** MAX_PRINT_CHUNK in netconsole.c: the longest payload netconsole sends. */
export const MAX_PRINT_CHUNK = 1000;
/** Bytes looked through for the ';' that ends an extended header (release + 4 fields + extras). */
export const MAX_HEADER_BYTES = 256;

export interface ExtHeader {
  /** Kernel release, when the target prepends it (`r` flag, Linux 6.5+). */
  release?: string;
  /** facility << 3 | level, as /dev/kmsg prints it. */
  pri: number;
  seq: bigint;
  tsUs: bigint;
  /** '-' (or 'c'/'+' on kernels that had continuation flags). */
  flag: string;
  caller?: string;
  frag?: { offset: number; total: number };
  /** Header text without ncfrag (and without release): what identifies the record. */
  key: string;
  /** Where the body starts in the payload. */
  bodyStart: number;
  /** The header is exactly "pri,seq,usec,flag" (no release, caller or ncfrag, no leading
   * zeros, numbers below 10^15): `key` is as sent, and is those four joined again. */
  plain?: boolean;
}

const SEMI = 0x3b;
const isDigits = (s: string, max: number) => s.length > 0 && s.length <= max && /^\d+$/.test(s);

/** Where the last `field` ended (the index of its ','): no tuple per call on the hot path. */
let fieldEnd = 0;
/** Whether a `field` since the last reset had a leading zero ("007"): then the header is
 * not made again from its numbers. */
let fieldZero = false;

/** Digits at p[i..] up to a ',' (at most `max` of them): their value (fieldEnd: the ','), or -1. */
function field(p: Uint8Array, i: number, end: number, max: number): number {
  let v = 0;
  const start = i;
  for (; i < end && p[i] !== 0x2c; i++) {
    const d = p[i]! - 0x30;
    if (d < 0 || d > 9 || i - start >= max) return -1;
    v = v * 10 + d;
  }
  fieldEnd = i;
  if (p[start] === 0x30 && i - start > 1) fieldZero = true;
  return i > start && i < end ? v : -1;
}

/** The extended header of a datagram, or undefined when it is not one (legacy text). */
export function parseExtHeader(p: Uint8Array): ExtHeader | undefined {
  const semi = p.subarray(0, MAX_HEADER_BYTES).indexOf(SEMI);
  if (semi < 7) return undefined; // "0,0,0,-" is the shortest header
  // The common header, "pri,seq,usec,f;" with numbers a double holds exactly, read in place.
  fieldZero = false;
  const pri = field(p, 0, semi, 4);
  const seq = pri < 0 ? -1 : field(p, fieldEnd + 1, semi, 15);
  const ts = seq < 0 ? -1 : field(p, fieldEnd + 1, semi, 15);
  if (ts >= 0 && fieldEnd + 2 === semi) {
    const key = Buffer.from(p.buffer, p.byteOffset, semi).toString('latin1');
    return { pri, seq: BigInt(seq), tsUs: BigInt(ts), flag: key[semi - 1]!, key, bodyStart: semi + 1, plain: !fieldZero };
  }
  return parseGeneralHeader(p, semi);
}

/** Headers with a release in front, extra fields (caller=, ncfrag=) or very large numbers. */
function parseGeneralHeader(p: Uint8Array, semi: number): ExtHeader | undefined {
  const fields = Buffer.from(p.buffer, p.byteOffset, semi).toString('latin1').split(',');
  let release: string | undefined;
  // A release ("6.4.0", "6.8.0-41-generic") is never all digits; the priority always is.
  if (fields.length >= 5 && !isDigits(fields[0]!, 4) && /^[\w.+~-]{1,64}$/.test(fields[0]!)) release = fields.shift();
  if (fields.length < 4) return undefined;
  const [pri, seq, ts, flag] = fields as [string, string, string, string];
  if (!isDigits(pri, 4) || !isDigits(seq, 20) || !isDigits(ts, 20) || flag.length !== 1) return undefined;
  const h: ExtHeader = { pri: Number(pri), seq: BigInt(seq), tsUs: BigInt(ts), flag, key: '', bodyStart: semi + 1 };
  const kept = [pri, seq, ts, flag];
  for (const extra of fields.slice(4)) {
    const frag = /^ncfrag=(\d{1,7})\/(\d{1,7})$/.exec(extra);
    if (frag) h.frag = { offset: Number(frag[1]), total: Number(frag[2]) };
    else {
      if (extra.startsWith('caller=')) h.caller = extra.slice(7);
      kept.push(extra);
    }
  }
  if (release !== undefined) h.release = release;
  h.key = kept.join(',');
  return h;
}

/** Cheap test used to pick netconsole datagrams out of other UDP traffic. */
export function looksExtended(p: Uint8Array): boolean {
  const c = p[0];
  return c !== undefined && c >= 0x30 && c <= 0x7a && parseExtHeader(p) !== undefined;
}

/** Undo printk's "\xNN" escaping; the bytes are then read as UTF-8. `s` holds bytes as latin1. */
export function unescapeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!s.includes('\\x')) return /^[\x00-\x7f]*$/.test(s) ? s : Buffer.from(s, 'latin1').toString('utf8');
  const out = Buffer.allocUnsafe(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c && s.charCodeAt(i + 1) === 0x78) {
      const hex = s.slice(i + 2, i + 4);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        out[n++] = parseInt(hex, 16);
        i += 3;
        continue;
      }
    }
    out[n++] = c & 0xff;
  }
  return out.subarray(0, n).toString('utf8');
}

/** Escape as printk does for /dev/kmsg, but keep UTF-8 (a log is read as UTF-8 text). */
export function escapeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f\x7f\\]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export interface ExtBody {
  text: string;
  /** " KEY=value" lines after the text: printk's dictionary (SUBSYSTEM, DEVICE), then
   * netconsole's userdata and sysdata, in the order sent. */
  dict: [string, string][];
}

/** The body of an extended record (all fragments joined), as bytes in latin1. */
export function parseExtBody(body: string): ExtBody {
  const nl = body.indexOf('\n');
  const text = unescapeText(nl < 0 ? body : body.slice(0, nl));
  if (nl < 0 || nl === body.length - 1) return { text, dict: [] };
  const dict: [string, string][] = [];
  {
    for (const line of body.slice(nl + 1).split('\n')) {
      if (!line) continue;
      const eq = line.indexOf('=');
      const key = (line.startsWith(' ') ? line.slice(1, eq) : line.slice(0, eq)).trim();
      if (eq > 0 && key) dict.push([key, unescapeText(line.slice(eq + 1))]);
    }
  }
  return { text, dict };
}
