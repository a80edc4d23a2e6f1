// The fleet signature: equal for the same bug on any machine, whatever addresses, offsets,
// pids, CPU numbers, durations or boot ids the title carries; different for another bug.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { incidentSignature, normalizeTitle } from '../../src/collect/index.js';

const hex = (min: number, max: number) => fc.bigInt({ min: 1n << BigInt(min * 4 - 4), max: (1n << BigInt(max * 4)) - 1n }).map((n) => n.toString(16));
const uuid = fc.uuid();
const num = fc.integer({ min: 0, max: 99_999 });

/** Titles as the detectors and the kernel spell them, with the machine-specific parts drawn. */
const shapes = {
  pageFault: fc.tuple(hex(16, 16), hex(1, 4), hex(2, 4)).map(([a, o, l]) => `BUG: unable to handle page fault for address: ${a} in forge_checksum+0x${o}/0x${l} [forgecrash]`),
  nullDeref: fc.tuple(hex(1, 4), hex(2, 4)).map(([o, l]) => `BUG: kernel NULL pointer dereference, address: 0x${o} in i915_gem_evict+0x${o}/0x${l} [i915]`),
  lockup: fc.tuple(num, num, num).map(([c, s, p]) => `BUG: soft lockup - CPU#${c} stuck for ${s}s! [ext4_wq:${p}]`),
  mce: fc.tuple(num, num, hex(8, 12)).map(([c, b, a]) => `machine check: memory read error on CPU ${c}, bank ${b}, addr 0x${a}`),
  hung: fc.tuple(num, num, uuid).map(([p, s, u]) => `INFO: task jbd2/sda1-8:${p} blocked for more than ${s} seconds (boot ${u})`),
};

describe('signature', () => {
  for (const [name, shape] of Object.entries(shapes)) {
    it(`${name}: two machines, the same signature`, () => {
      fc.assert(fc.property(shape, shape, (a, b) => incidentSignature('software', a) === incidentSignature('software', b)), { numRuns: 300 });
    });
  }

  it('keeps what names the bug: function, module, driver digits; and the cause', () => {
    const base = incidentSignature('software', 'BUG: unable to handle page fault for address: ffffa1b2c3d40008 in forge_checksum+0x1c/0x50 [forgecrash]');
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(incidentSignature('software', 'BUG: unable to handle page fault for address: ffffa1b2c3d40008 in forge_spinner+0x1c/0x50 [forgecrash]')).not.toBe(base);
    expect(incidentSignature('software', 'BUG: unable to handle page fault for address: ffffa1b2c3d40008 in forge_checksum+0x1c/0x50 [e1000e]')).not.toBe(base);
    expect(incidentSignature('hardware', 'BUG: unable to handle page fault for address: ffffa1b2c3d40008 in forge_checksum+0x1c/0x50 [forgecrash]')).not.toBe(base);
    expect(normalizeTitle('Machine check: bank 8 on CPU 3, addr 0x12345000')).toBe('machine check: bank N on cpu N, addr ADDR');
    expect(normalizeTitle('BUG: soft lockup - CPU#1 stuck for 22s! [i915_wq:123]')).toBe('bug: soft lockup - cpu#N stuck for Ns! [i915_wq:N]');
    expect(normalizeTitle('hung task in boot 1f0e5c1a-9b3d-4c2e-8f7a-0123456789ab')).toBe('hung task in boot ID');
    expect(normalizeTitle('WARNING in ext4_da_write_end [ext4]')).toBe('warning in ext4_da_write_end [ext4]');
  });
});
