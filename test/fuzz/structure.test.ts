// The campaign's structure-aware mutators (scripts/fuzz/structure/) on the real seeds they
// are for: each recognises its format, changes the input and says what it changed; one that
// lies in place (the way a large corpus file is used) puts every byte back after the case,
// so a campaign never damages its own seeds; and each lie reaches the reader behind the
// probe (the input is still taken for what it was), which is what makes it worth a case.
import { cpSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileEdit } from '../../scripts/fuzz/edit.js';
import { Rng } from '../../scripts/fuzz/rng.js';
import { mutators } from '../../scripts/fuzz/structure/index.js';
import { walk } from '../../scripts/fuzz/seeds.js';
import { resolveInputs } from '../../src/input/resolve.js';
import { buildCapture, extendedDatagrams } from '../builders/pcap.js';
import { fixture } from '../corpus.js';

/** IPv6 datagrams cut into IP fragments, Linux cooked, pcapng: the headers the real capture lacks. */
function fragmentedCapture(): string {
  const p = join(mkdtempSync(join(tmpdir(), 'crashlog-mut-seed-')), 'fragments.pcapng');
  const payloads = Array.from({ length: 6 }, (_, i) => extendedDatagrams({ pri: 4, seq: 100 + i, tsUs: 5_000_000 + i, text: `line ${i} ${'x'.repeat(1400)}` })).flat();
  writeFileSync(p, buildCapture({ format: 'pcapng', link: 'sll', mtu: 600, datagrams: payloads.map((payload) => ({ src: 'fd00::15', dst: 'fd00::2', payload })) }));
  return p;
}

const SEEDS: Record<string, { seed: string; backend: string }[]> = {
  cper: [{ seed: fixture('erst', 'erst-mce-memory', 'erst-backing.bin'), backend: 'erst' }, { seed: fixture('bert', 'mce-fatal.BERT'), backend: 'bert' }],
  'elf-phdr': [{ seed: fixture('vmcore', 'synthetic', 'vmcore.elf64'), backend: 'vmcore' }],
  kdump: [{ seed: fixture('vmcore', 'synthetic', 'vmcore.kdump-zlib'), backend: 'vmcore' }, { seed: fixture('vmcore', 'synthetic', 'vmcore.flat'), backend: 'vmcore' }],
  lines: [{ seed: fixture('text', 'syzbot-1002.txt'), backend: 'text' }, { seed: fixture('journal', 'pstore-blk-gpf-panic.json'), backend: 'journal' }],
  pcap: [
    { seed: fixture('pcap', 'netconsole-extended', 'netconsole.pcap'), backend: 'pcap' },
    { seed: fixture('pcap', 'netconsole-extended-pcapng', 'netconsole.pcapng'), backend: 'pcap' },
    { seed: fragmentedCapture(), backend: 'pcap' },
  ],
  pstore: [{ seed: fixture('pstore', 'erst-mce-memory', 'pstore'), backend: 'pstore' }, { seed: fixture('efi', 'efi-oops-panic', 'efivars'), backend: 'efi' }],
  'printk-ring': ['ringbuffer', 'printk_log', 'plain'].map((era) => ({ seed: fixture('vmcore', 'synthetic', `vmcore.${era}.elf`), backend: 'vmcore' })),
  smbios: [
    { seed: fixture('dmi', 'q35-2g-smp2', 'dmidecode-dump.bin'), backend: 'dmi' },
    { seed: fixture('dmi', 'q35-4g-numa2-smbios3', 'dmidecode-dump.bin'), backend: 'dmi' },
    { seed: fixture('dmi', 'q35-4g-numa2-smbios3', 'smbios_entry_point'), backend: 'dmi' },
  ],
  sqlite: [{ seed: fixture('rasdaemon', 'rasdaemon-erst-mce', 'ras-mc_event.db'), backend: 'rasdaemon' }],
  vmcoreinfo: [{ seed: fixture('vmcore', 'synthetic', 'vmcore.kdump-snappy'), backend: 'vmcore' }, { seed: fixture('vmcore', 'synthetic', 'vmcore.ringbuffer.elf'), backend: 'vmcore' }],
  zones: [{ seed: fixture('ramoops', 'ramoops-oops-panic', 'ramoops-region.bin'), backend: 'ramoops' }, { seed: fixture('pstore-blk', 'pstore-blk-gpf-panic.bin'), backend: 'pstore-blk' }, { seed: fixture('mtdoops', 'mtdoops-oops-panic', 'mtdoops-partition.bin'), backend: 'mtdoops' }],
};
const CASES = 12;

const bytesOf = (p: string): Buffer => (statSync(p).isDirectory() ? Buffer.concat(walk(p).filter((f) => statSync(f).isFile()).map((f) => Buffer.concat([Buffer.from(basename(f)), readFileSync(f)]))) : readFileSync(p));

describe('structure-aware mutators', () => {
  it('every mutator has seeds here', () => {
    expect(Object.keys(SEEDS).sort()).toEqual(mutators.map((m) => m.id).sort());
  });

  for (const m of mutators) {
    it.each(SEEDS[m.id]!.map((s) => [basename(s.seed), s] as const))(`${m.id} on %s: changes it, says how, and it is still read by its backend`, async (_name, { seed, backend }) => {
      const head = statSync(seed).isDirectory() ? new Uint8Array(0) : readFileSync(seed).subarray(0, 65536);
      expect(m.fits(seed, head)).toBe(true);
      const dir = mkdtempSync(join(tmpdir(), `crashlog-mut-${m.id}-`));
      let changed = 0;
      let claimed = 0;
      for (let n = 0; n < CASES; n++) {
        const path = join(dir, `${n}-${basename(seed)}`);
        cpSync(seed, path, { recursive: true });
        // In place first (a large seed's way: positioned writes, put back after), else rewriting the copy.
        const edit = m.scope === 'file' ? new FileEdit(path) : undefined;
        let what = edit && (await m.mutate({ path, edit, rng: new Rng(1000 + n), rewrite: false, seed }));
        if (what) {
          const lied = !bytesOf(path).equals(bytesOf(seed));
          edit!.revert();
          expect(readFileSync(path).equals(readFileSync(seed)), `${what}: not put back`).toBe(true);
          // The same random source tells the same lie again, and leaves it for the checks below.
          expect(await m.mutate({ path, edit: new FileEdit(path), rng: new Rng(1000 + n), rewrite: false, seed })).toBe(what);
          expect(!bytesOf(path).equals(bytesOf(seed))).toBe(lied);
        } else what = await m.mutate({ path, ...(edit ? { edit } : {}), rng: new Rng(1000 + n), rewrite: true, seed });
        if (!what) continue;
        expect(what.length).toBeGreaterThan(5);
        if (!bytesOf(path).equals(bytesOf(seed))) changed++;
        const { inputs } = await resolveInputs([path]);
        if (inputs.some((i) => i.backend.id === backend)) claimed++;
      }
      // A lie may repeat the field's own value now and then; most cases change the input,
      // and most lies leave it recognisable, so the reader meets them.
      expect(changed).toBeGreaterThanOrEqual(CASES / 2);
      expect(claimed).toBeGreaterThanOrEqual(CASES / 2);
    }, 120_000);
  }
});
