// messageBatches: the lines bytesToMessages gives for the whole text, cut into batches at
// line ends, whatever the batch size.
import { describe, expect, it } from 'vitest';
import { messageBatches } from '../../src/kmsg/batches.js';
import { bytesToMessages } from '../../src/kmsg/messages.js';

const TEXT = Buffer.from(
  '<6>[    1.000000] first line\r\n\n<4>[    2.500000] caf\u00e9 non-ASCII line\n' +
    'x'.repeat(300) + '\n<0>[    3.000000] Kernel panic - not syncing: test\n[    4.000000] no newline at the end',
);

describe('messageBatches', () => {
  it.each([1, 7, 64, 299, 301, 1 << 20])('batches of %i bytes give the same lines as one call', (batch) => {
    for (const source of [{ backend: 't', path: 'p', offset: 100, id: 'r' }, { backend: 't', path: 'p' }]) {
      const whole = bytesToMessages(TEXT, source);
      const batches = [...messageBatches(TEXT, source, batch)];
      expect(batches.flat()).toEqual(whole);
      if (batch < 64) expect(batches.length).toBeGreaterThan(1);
    }
  });
});
