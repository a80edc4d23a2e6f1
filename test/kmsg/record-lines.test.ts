// A record's lines pushed unmade (src/kmsg/record-lines.ts) make the messages
// bytesToMessages gives for the same bytes: text, time, level, facility, caller, and each
// line's own byte offset, on ASCII and UTF-8 records, CRLF and blank lines, with and without
// a record offset.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bytesToMessages } from '../../src/kmsg/messages.js';
import { pushRecordLines } from '../../src/kmsg/record-lines.js';
import type { LazyLine } from '../../src/timeline/keep.js';

const REAL = readFileSync(new URL('../../fixtures/pstore/ramoops-oops-panic/serial-console.log', import.meta.url));

const made = (bytes: Uint8Array, source: { backend: string; path: string; offset?: number; id?: string }) => {
  const lines: LazyLine[] = [];
  pushRecordLines(bytes, source, { push: (l) => lines.push(l) });
  return { lines, messages: lines.map((l) => l.make()) };
};

describe('record lines made when kept', () => {
  const cases: [string, Uint8Array][] = [
    ['a real console log', REAL],
    ['UTF-8 text, CRLF ends and blank lines', Buffer.from('<4>[    1.000000] caf\u00e9 ok\r\n\r\n<0>[    2.500000][  T123] Kernel panic - not syncing: x\n\nno prefix at all\n')],
    ['a last line with no newline', Buffer.from('<6>[    3.000000] one\n<6>[    3.100000] two')],
  ];
  for (const [name, bytes] of cases) {
    it(`${name}: the same messages as bytesToMessages, with and without a record offset`, () => {
      for (const source of [{ backend: 'mtdoops', path: '/x', offset: 16, id: 'mtdoops-7' }, { backend: 'mtdoops', path: '/x', id: 'mtdoops-7' }]) {
        const { lines, messages } = made(bytes, source);
        expect(messages).toEqual(bytesToMessages(bytes, source));
        // What the segment cutter and the keepers read comes without making the message.
        expect(lines.map((l) => [l.text, l.tsNs])).toEqual(messages.map((m) => [m.text, m.tsNs]));
        expect(lines.every((l) => l.source.id === 'mtdoops-7')).toBe(true);
      }
    });
  }
});
