// Control bytes from an input never reach a terminal as themselves: a log line could
// otherwise reset the terminal, clear the screen, set the window title or hide text.
// Escaped as vmcore-dmesg does (kexec-tools vmcore-dmesg.c: a byte that is neither
// isprint() nor isspace() is printed as "\x%02x"); one rule for `dmesg`, the text
// report, the timeline, `list` and error messages.

/** vmcore-dmesg's rule for raw log bytes: printable ASCII and \t\n\v\f\r kept, the rest "\xNN". */
export function escapeBytes(bytes: Uint8Array): string {
  let out = '';
  let run = 0; // start of the current run of kept bytes
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if ((c >= 0x20 && c < 0x7f) || (c >= 9 && c <= 13)) continue;
    if (i > run) out += latin1(bytes, run, i);
    out += hexEscape(c);
    run = i + 1;
  }
  return run === 0 ? latin1(bytes, 0, bytes.length) : out + latin1(bytes, run, bytes.length);
}

/**
 * The same rule for decoded text on its way to a terminal: every C0 control but tab (and
 * newline in `multiline` text: a single value such as a title or a file name must not
 * forge a line), so also CR, which could overwrite a line; DEL; the C1 controls
 * U+0080-U+009F (U+009B is CSI to some terminals); and the bidirectional overrides that
 * reorder what is shown. Other characters, non-ASCII letters included, are kept.
 */
export function escapeControl(text: string, multiline = false): string {
  const re = multiline ? UNSAFE_TEXT : UNSAFE_VALUE;
  re.lastIndex = 0;
  if (!re.test(text)) return text;
  re.lastIndex = 0;
  return text.replace(re, escapeChar);
}

/**
 * escapeControl (multiline) for rendered text that carries its own colours: the SGR
 * sequences of the renderer ("ESC [ n m", which picocolors writes) pass, every other
 * control is escaped.
 */
export function escapeControlKeepSgr(text: string): string {
  UNSAFE_TEXT.lastIndex = 0;
  if (!UNSAFE_TEXT.test(text)) return text;
  return text.replace(SGR_OR_UNSAFE, (m) => (m.length > 1 ? m : escapeChar(m)));
}

/**
 * The last guard on everything a command writes to stdout (src/cli.ts), whatever its
 * format: SGR colour sequences pass, any other C0 control but tab and newline becomes
 * "\xNN" (JSON never holds one raw), and DEL, C1 controls, line separators and bidi
 * overrides become "\uXXXX", which inside a JSON string is the same value, so JSON and
 * HTML stay valid while no control reaches the terminal.
 */
export function escapeOutput(text: string): string {
  UNSAFE_TEXT.lastIndex = 0;
  if (!UNSAFE_TEXT.test(text)) return text;
  return text.replace(SGR_OR_UNSAFE, (m) => {
    if (m.length > 1) return m;
    const c = m.charCodeAt(0);
    return c < 0x20 ? hexEscape(c) : `\\u${c.toString(16).padStart(4, '0')}`;
  });
}

/**
 * One JSON value on one line that is safe on a terminal too: JSON.stringify escapes C0
 * controls; the C1 controls, the line separators U+2028/U+2029 and the bidirectional
 * overrides are written as \uXXXX as well (still the same JSON value). Bigints as "0x…".
 */
export function stringifyJsonLine(value: unknown): string {
  const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v));
  return json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const C1_AND_BIDI = '\\x7f-\\x9f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
const UNSAFE_TEXT = new RegExp(`[\\x00-\\x08\\x0b-\\x1f${C1_AND_BIDI}]`, 'g');
const UNSAFE_VALUE = new RegExp(`[\\x00-\\x08\\x0a-\\x1f${C1_AND_BIDI}]`, 'g');
const SGR_OR_UNSAFE = new RegExp(`\\x1b\\[[0-9]{1,3}(?:;[0-9]{1,3})*m|[\\x00-\\x08\\x0b-\\x1f${C1_AND_BIDI}]`, 'g');
const JSON_UNSAFE = /[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(ch: string): string {
  const c = ch.charCodeAt(0);
  return c < 0x100 ? hexEscape(c) : `\\u{${c.toString(16)}}`;
}

function hexEscape(c: number): string {
  return `\\x${c.toString(16).padStart(2, '0')}`;
}

function latin1(b: Uint8Array, from: number, to: number): string {
  return Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('latin1');
}
