// The JSON report's encoding rules, and the reader plumbing they ride on.
import { describe, expect, it } from 'vitest';
import { stringifyJson } from '../../src/report/json.js';
import { lazyRead, readAll, type Yielded } from '../../src/backend.js';
import type { KernelMessage } from '../../src/model/index.js';

describe('JSON encoding', () => {
  it('writes bigints as lowercase 0x hex, dates as ISO, and leaves BigInt.prototype as it was', () => {
    const v = { status: 0xbe0000000001009fn, nested: [{ addr: 0x1234abcdn }], at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) };
    expect(JSON.parse(stringifyJson(v))).toEqual({ status: '0xbe0000000001009f', nested: [{ addr: '0x1234abcd' }], at: '2024-01-02T03:04:05.000Z' });
    expect('toJSON' in BigInt.prototype).toBe(false);
    expect(() => JSON.stringify({ n: 1n })).toThrow(TypeError);
  });

  it('restores BigInt.prototype even when a value cannot be written', () => {
    const loop: { self?: unknown; n: bigint } = { n: 1n };
    loop.self = loop;
    expect(() => stringifyJson(loop)).toThrow(TypeError);
    expect('toJSON' in BigInt.prototype).toBe(false);
  });
});

describe('lazy readers', () => {
  const msg = (text: string): KernelMessage => ({ kind: 'kmsg', text, source: { backend: 't', path: 'p' } });

  it('loads the reader on first use and passes records and batches through in order', async () => {
    let loads = 0;
    const read = lazyRead(async () => {
      loads++;
      return async function* (): AsyncGenerator<Yielded> {
        yield msg('a');
        yield [msg('b'), msg('c')];
        yield msg('d');
      };
    });
    expect(loads).toBe(0);
    const got = await readAll(read('p', { options: {}, problem: () => {} }));
    expect(got.map((m) => (m as KernelMessage).text)).toEqual(['a', 'b', 'c', 'd']);
    await readAll(read('p', { options: {}, problem: () => {} }));
    expect(loads).toBe(1);
  });

  it('closes the reader when the consumer stops early', async () => {
    let closed = false;
    const read = lazyRead(async () => async function* (): AsyncGenerator<Yielded> {
      try {
        for (let i = 0; ; i++) yield msg(String(i));
      } finally {
        closed = true;
      }
    });
    let n = 0;
    for await (const _ of read('p', { options: {}, problem: () => {} })) if (++n === 3) break;
    expect(n).toBe(3);
    expect(closed).toBe(true);
  });
});
