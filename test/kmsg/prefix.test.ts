// The line-prefix reader is hand-written for speed; the anchored pattern it replaced is the
// specification. Both must read every line the same way, and a line inside a larger buffer
// the same as the line alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToMessages } from '../../src/kmsg/messages.js';
import { parseLine, type ParsedLine } from '../../src/kmsg/line.js';

const PREFIX = /^(?:<(\d{1,4})>)?(?:\[\s*(\d{1,10})\.(\d{1,9})\])?(?:\[\s*([TC]\d{1,10})\])?/;

function reference(line: string): ParsedLine {
  const m = PREFIX.exec(line)!;
  if (m[0].length === 0) return { text: line };
  const out: ParsedLine = { text: line.slice(m[0].length) };
  if (m[2] !== undefined) {
    out.tsNs = BigInt(m[2]) * 1_000_000_000n + BigInt((m[3]! + '000000000').slice(0, 9));
    if (out.text.startsWith(' ')) out.text = out.text.slice(1);
  }
  if (m[1] !== undefined) {
    out.level = Number(m[1]) & 7;
    out.facility = Number(m[1]) >> 3;
  }
  if (m[4] !== undefined) out.caller = m[4];
  return out;
}

// Lines built from the pieces of the grammar, often nearly right: the edges are the point.
const digitsOf = (max: number) => fc.stringMatching(new RegExp(`^\\d{0,${max}}$`));
const space = fc.constantFrom('', ' ', '  ', '\t', '\u00a0', '\u2003', 'x');
const piece = fc.oneof(
  fc.tuple(fc.constantFrom('<', '', '<<'), digitsOf(6), fc.constantFrom('>', '', ']')).map((p) => p.join('')),
  fc.tuple(fc.constantFrom('[', ''), space, digitsOf(12), fc.constantFrom('.', '', ','), digitsOf(11), fc.constantFrom(']', '', ')')).map((p) => p.join('')),
  fc.tuple(fc.constantFrom('[', ''), space, fc.constantFrom('T', 'C', 'X', ''), digitsOf(11), fc.constantFrom(']', '')).map((p) => p.join('')),
  fc.constantFrom(' ', '  ', 'msg', ' Kernel panic - not syncing: x', '\u00e9t\u00e9', ''),
);
const line = fc.array(piece, { maxLength: 5 }).map((p) => p.join(''));

describe('kernel log line prefix', () => {
  it('reads every line as the anchored pattern does', () => {
    fc.assert(fc.property(line, (l) => { expect(parseLine(l)).toEqual(reference(l)); }), { numRuns: 20_000, seed: 7 });
  });

  it('reads a line inside a buffer as the line alone, with its byte offset', () => {
    fc.assert(
      fc.property(fc.array(line.filter((l) => l.length > 0 && !l.includes('\n')), { minLength: 1, maxLength: 8 }), (lines) => {
        const msgs = bytesToMessages(Buffer.from(lines.join('\n'), 'utf8'), { backend: 't', path: 'p', offset: 100 });
        expect(msgs.map(({ text, tsNs, level, facility, caller }) => ({ text, tsNs, level, facility, caller }))).toEqual(lines.map((l) => reference(l)).map((r) => ({ tsNs: undefined, level: undefined, facility: undefined, caller: undefined, ...r })));
        let at = 100;
        lines.forEach((l, i) => {
          expect(msgs[i]!.source.offset).toBe(at);
          at += Buffer.byteLength(l) + 1;
        });
      }),
      { numRuns: 3_000, seed: 11 },
    );
  });

  it('keeps the exact time of an uptime past 10^6 s and of a 9-digit fraction', () => {
    expect(parseLine('[1234567.123456789] x').tsNs).toBe(1_234_567_123_456_789n);
    expect(parseLine('[9999999999.999999999] x').tsNs).toBe(9_999_999_999_999_999_999n);
    expect(parseLine('<6>[    0.000001][    T1] x')).toEqual({ text: 'x', tsNs: 1000n, level: 6, facility: 0, caller: 'T1' });
  });
});
