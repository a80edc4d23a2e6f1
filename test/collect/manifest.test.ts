// The manifest names the files --unlink trusts: only "<kind>/<safe name>" inside the entry,
// well-formed hashes; anything else is refused whole.
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../src/collect/manifest.js';

const HASH = 'a'.repeat(64);
const record = (over: Record<string, unknown> = {}) => ({ source: 'pstore', path: '/sys/fs/pstore/dmesg-ramoops-0', file: 'pstore/dmesg-ramoops-0', size: 3, sha256: HASH, mtime: '2026-01-01T00:00:00.000Z', ...over });
const manifest = (records: unknown[], over: Record<string, unknown> = {}) =>
  JSON.stringify({ version: 1, id: '20261122T234500Z-1a2b3c4d', host: 'h', collectedAt: 'c', collector: 'crashlog 0.1.0', records, ...over });

describe('parseManifest', () => {
  it('takes a manifest collect writes', () => {
    expect(parseManifest(manifest([record(), record({ source: 'bert', file: 'bert/BERT' })]), 'm', '20261122T234500Z-1a2b3c4d').records).toHaveLength(2);
  });

  it.each([
    ['a path out of the entry', [record({ file: '../../pstore/dmesg-ramoops-0' })], /not in the folder of its source/],
    ['"pstore/.." inside', [record({ file: 'pstore/../../x' })], /name holds a path separator/],
    ['an absolute path', [record({ file: '/sys/fs/pstore/dmesg-ramoops-0' })], /not in the folder of its source/],
    ['a nested folder', [record({ file: 'pstore/a/b' })], /path separator/],
    ['a bare name', [record({ file: 'dmesg-ramoops-0' })], /not "<kind>\/<name>"/],
    ['another kind\'s folder', [record({ file: 'efivars/dmesg-ramoops-0' })], /not in the folder of its source pstore/],
    ['an unknown source', [record({ source: 'floppy', file: 'floppy/x' })], /unknown source/],
    ['".." as the name', [record({ file: 'pstore/..' })], /"\.\."/],
    ['an upper-case hash', [record({ sha256: 'A'.repeat(64) })], /sha256 is not 64 hex digits/],
    ['a short hash', [record({ sha256: 'a'.repeat(63) })], /sha256/],
    ['no hash', [record({ sha256: undefined })], /sha256/],
    ['a negative size', [record({ size: -1 })], /size/],
    ['a file named twice', [record(), record()], /named twice/],
    ['a record that is not an object', [null], /not an object/],
  ])('refuses %s', (_, records, message) => {
    expect(() => parseManifest(manifest(records), 'm')).toThrow(message);
  });

  it.each([
    ['another version', manifest([], { version: 2 }), /version 1/],
    ['an id that is no entry id', manifest([], { id: '../x' }), /not an entry id/],
    ['records that are not a list', manifest([], { records: {} }), /not a list/],
    ['not JSON', '{', /not JSON/],
    ['a list', '[]', /not a crashlog manifest/],
  ])('refuses %s', (_, text, message) => {
    expect(() => parseManifest(text, 'm')).toThrow(message);
  });

  it("refuses an id that is not its folder's", () => {
    expect(() => parseManifest(manifest([]), 'm', '20200101T000000Z-00000000')).toThrow(/is not its folder's name/);
  });
});
