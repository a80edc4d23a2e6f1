// Where a record came from, as human output shows it.
import { describe, expect, it } from 'vitest';
import { formatSource } from '../../src/report/source.js';

describe('formatSource', () => {
  const s = { backend: 'pstore', path: '/var/lib/crashlog/archive/e1/pstore/dmesg-erst-12', offset: 0x1f0, part: 2 };
  it('shows a path relative to the working directory, with offset and part', () => {
    expect(formatSource(s, '/var/lib/crashlog')).toBe('archive/e1/pstore/dmesg-erst-12+0x1f0 part 2');
    expect(formatSource(s, '/var/lib/crashlog/other/deeper')).toBe('../../archive/e1/pstore/dmesg-erst-12+0x1f0 part 2');
  });
  it('shows it as given from far away, and from / (a service saving its report)', () => {
    expect(formatSource(s, '/home/u/src/crashlog')).toBe('/var/lib/crashlog/archive/e1/pstore/dmesg-erst-12+0x1f0 part 2');
    expect(formatSource(s, '/')).toBe('/var/lib/crashlog/archive/e1/pstore/dmesg-erst-12+0x1f0 part 2');
  });
});
