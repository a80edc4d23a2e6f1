// The size-cap pass: for every backend, its real seeds grown to the largest input that
// backend accepts (the caps its readers declare), so "under 2 s and 150 MB for any input
// up to its size cap" is measured at the cap, not only on small fixtures. Growth repeats
// the input's own structures (records, zones, blocks, lines, packets, rows, files); a
// backend with no cap is grown to UNCAPPED_BYTES and says so. The real vmcores (17-270
// MB) are run as they are: a dump is read by position, its size is the machine's. Each
// way of growing has a name, so a finding keeps the recipe, not 128 MB of input.
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import sqliteWasm from 'node-sqlite3-wasm';
import { MAX_STORE_BYTES } from '../../backends/erst/layout.js';
import { MAX_REGION_BYTES as BERT_MAX } from '../../backends/bert/layout.js';
import { MAX_RECORD_BYTES as PSTORE_MAX } from '../../backends/pstore/layout.js';
import { MAX_VAR_BYTES as EFI_MAX } from '../../backends/efi/layout.js';
import { MAX_TOTAL_BYTES as BLK_MAX } from '../../backends/pstore-blk/layout.js';
import { MAX_TABLE_BYTES as DMI_MAX } from '../../backends/dmi/layout.js';
import { ACPI_HEST_GENERIC_STATUS } from '../../src/cper/layout.js';
import { MAX_ROWS_PER_QUERY } from '../../backends/rasdaemon/sqlite.js';
import { SEED_CACHE, type Seed } from './seeds.js';

/** Inputs with no cap of their own (logs, journals, captures) are grown this far. */
export const UNCAPPED_BYTES = 16 << 20;
/** A raw memory image (ramoops, mtdoops) has no cap short of RAM: this much stands for "large". */
const RAW_IMAGE_BYTES = 128 << 20;
/** Files a pstore or efivars copy is given (the readers' entry caps are 100,000). */
const MANY_FILES = 10_000;

/** How far a single-file seed grows, the bytes kept once at its start, and why that size. */
const FILE_CAPS: Record<string, [number, number, string]> = {
  erst: [MAX_STORE_BYTES, 0, 'MAX_STORE_BYTES'], bert: [BERT_MAX, 0, 'MAX_REGION_BYTES'], 'pstore-blk': [BLK_MAX, 0, 'MAX_TOTAL_BYTES'],
  dmi: [DMI_MAX, 0, 'MAX_TABLE_BYTES'], ramoops: [RAW_IMAGE_BYTES, 0, 'a large region'], mtdoops: [RAW_IMAGE_BYTES, 0, 'a large partition'],
  pcap: [UNCAPPED_BYTES, 24, 'no cap'], journal: [UNCAPPED_BYTES, 0, 'no cap'], text: [UNCAPPED_BYTES, 0, 'no cap'], mcelog: [UNCAPPED_BYTES, 0, 'no cap'],
};

export interface Grown { path: string; what: string }
type Grow = (seed: Seed, dir: string) => Grown | undefined;

/** `chunk` written again and again after `prefix` until the file is `total` bytes. */
function repeat(out: string, prefix: Uint8Array, chunk: Uint8Array, total: number): void {
  const fd = openSync(out, 'w');
  try {
    writeSync(fd, prefix);
    let n = prefix.length;
    while (chunk.length > 0 && n < total) n += writeSync(fd, chunk, 0, Math.min(chunk.length, total - n));
  } finally {
    closeSync(fd);
  }
}

const isFile = (s: Seed) => statSync(s.path).isFile();

/** The seed's bytes repeated to its backend's cap (a BERT region: its first block; an ERST store: its records without the store's header, found by scanning). */
const repeated: Grow = (seed, dir) => {
  if (!isFile(seed)) return undefined;
  const [total, keep, why] = FILE_CAPS[seed.backend] ?? [UNCAPPED_BYTES, 0, 'no cap'];
  const b = readFileSync(seed.path);
  let body = b.subarray(keep);
  if (seed.backend === 'bert') body = b.subarray(0, ACPI_HEST_GENERIC_STATUS.size + b.readUInt32LE(ACPI_HEST_GENERIC_STATUS.offsets.data_length));
  if (seed.backend === 'erst' && b.subarray(0, 8).toString('latin1') === 'ERSTSTOR') body = b.subarray(Math.max(0, b.indexOf('CPER')));
  const out = join(dir, basename(seed.path));
  repeat(out, b.subarray(0, keep), body, total);
  return { path: out, what: `${basename(seed.path)} repeated to ${total} bytes (${why})` };
};

/** The folder holding the seed's records (the seed, or a folder in it). */
function recordFolder(seed: Seed): string | undefined {
  if (isFile(seed)) return undefined;
  return [seed.path, ...readdirSync(seed.path).map((n) => join(seed.path, n))].find((p) => statSync(p).isDirectory() && readdirSync(p).some((n) => /^(dmesg|dump-type)/.test(n)));
}

function copyFolder(src: string, out: string): string[] {
  mkdirSync(out, { recursive: true });
  const names = readdirSync(src).filter((n) => statSync(join(src, n)).isFile()).sort();
  for (const n of names) copyFileSync(join(src, n), join(out, n));
  return names;
}

/** A pstore or efivars copy with its largest record grown to the backend's per-record cap. */
const bigRecord: Grow = (seed, dir) => {
  const src = recordFolder(seed);
  if (!src) return undefined;
  const out = join(dir, basename(src));
  const names = copyFolder(src, out);
  const n = names.filter((x) => /^(dmesg|dump-type)/.test(x)).sort((a, b) => statSync(join(src, b)).size - statSync(join(src, a)).size)[0]!;
  const b = readFileSync(join(src, n));
  const nl = b.indexOf(10) + 1;
  const cap = seed.backend === 'efi' ? EFI_MAX : PSTORE_MAX;
  repeat(join(out, n), b.subarray(0, nl), b.subarray(nl), cap);
  return { path: out, what: `${n} grown to ${cap} bytes` };
};

/** A pstore or efivars copy with its records copied under MANY_FILES new names. */
const manyRecords: Grow = (seed, dir) => {
  const src = recordFolder(seed);
  if (!src) return undefined;
  const out = join(dir, basename(src));
  const names = copyFolder(src, out);
  for (let i = 0; i < MANY_FILES; i++) {
    const n = names[i % names.length]!;
    const copy = n.replace(/(\d+)(?=(\.enc\.z)?$|-[CD]-)/, (d) => String(BigInt(d) + BigInt(i + 1) * 1000n));
    if (copy !== n) copyFileSync(join(src, n), join(out, copy));
  }
  return { path: out, what: `${readdirSync(out).length} record files` };
};

/** rasdaemon: mce_record given one row past the reader's row cap (built once, kept in the cache). */
const manyRows: Grow = (seed, dir) => {
  if (!isFile(seed)) return undefined;
  const cached = join(SEED_CACHE, `rasdaemon-${MAX_ROWS_PER_QUERY + 1}-rows.db`);
  if (!existsSync(cached)) {
    mkdirSync(SEED_CACHE, { recursive: true });
    copyFileSync(seed.path, `${cached}.part`);
    const db = new sqliteWasm.Database(`${cached}.part`);
    try {
      // Corrected rows (grouped by the reader) and uncorrected ones (read one by one), half each:
      // status 0x9c0000400001009f and 0xbe0000000001009f as SQLite's signed INTEGER.
      db.exec(`INSERT INTO mce_record (timestamp, mcgcap, mcgstatus, status, addr, misc, walltime, cpu, cpuid, apicid, socketid, bank, cpuvendor, error_msg)
        WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT ${MAX_ROWS_PER_QUERY + 1})
        SELECT '2026-11-22 18:54:52 +0000', 0x1000c14, 0, CASE WHEN x % 2 THEN -7205759128914820961 ELSE -4755801206503178081 END,
          0x12345000 + x * 64, 0x8c, 1795373692 + x, x % 64, 0x50654, x % 64, 0, 8, 0, 'memory error' FROM c`);
    } finally {
      db.close();
    }
    renameSync(`${cached}.part`, cached);
  }
  const out = join(dir, basename(seed.path));
  copyFileSync(cached, out);
  return { path: out, what: `mce_record with ${MAX_ROWS_PER_QUERY + 1} rows (the row cap + 1)` };
};

/** A real dump as it is (only large ones: the corpus's). */
const asItIs: Grow = (seed, dir) => {
  if (!seed.inPlace) return undefined;
  const out = join(dir, basename(seed.path));
  copyFileSync(seed.path, out);
  return { path: out, what: `the real dump, ${statSync(out).size} bytes` };
};

/** The ways each backend's seeds grow; any backend not named grows by repetition. */
export const GROWTH: Record<string, Record<string, Grow>> = {
  vmcore: { 'as-it-is': asItIs },
  rasdaemon: { 'many-rows': manyRows },
  pstore: { 'big-record': bigRecord, 'many-records': manyRecords },
  efi: { 'big-record': bigRecord, 'many-records': manyRecords },
};
export const growthOf = (backend: string): Record<string, Grow> => GROWTH[backend] ?? { repeated };

export interface GrownCase extends Grown { backend: string; origin: string; way: string }

/** Every backend's grown inputs, one at a time (each is removed by the caller before the next). */
export function* growCases(ids: string[], seeds: Map<string, Seed[]>, dir: string): Generator<GrownCase> {
  mkdirSync(dir, { recursive: true });
  for (const id of ids) {
    for (const [way, grow] of Object.entries(growthOf(id))) {
      // The first seed a way can grow (the fixtures say the same thing at the cap); every real dump.
      let made = 0;
      for (const s of seeds.get(id) ?? []) {
        if (made > 0 && way !== 'as-it-is') break;
        const g = grow(s, dir);
        if (!g) continue;
        made++;
        yield { ...g, backend: id, origin: s.origin, way };
      }
    }
  }
}
