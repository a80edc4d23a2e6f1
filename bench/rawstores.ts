// Issue 6's benchmark: `crashlog report` on a generated 64 MiB ramoops region with ECC
// (record_size 64 KiB, ecc 16, every dmesg zone holding a record) and a 256 MiB mtdoops
// image (4 KiB records, every slot written): MB/s and peak RSS. Images are written by
// position here, as the kernel lays them out (fs/pstore/ram.c, drivers/mtd/mtdoops.c).
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eccInfo, layoutZones, PERSISTENT_RAM_SIG, zoneGeometry, type RamoopsParams } from '../backends/ramoops/layout.js';
import { ReedSolomon } from '../backends/ramoops/reed-solomon.js';
import { MTDOOPS_KERNMSG_MAGIC_V2 } from '../backends/mtdoops/layout.js';
import { fileURLToPath } from 'node:url';
import { fmt, measure, measureCli } from './util.js';

const BACKENDS = fileURLToPath(new URL('../backends/index.js', import.meta.url));

/** The backend alone in a child node (when the CLI cannot run): records read, same figures. */
function measureBackend(id: string, file: string) {
  const script = `const { backendById } = await import(${JSON.stringify(BACKENDS)}); let n = 0, p = 0;
` +
    `for await (const r of backendById(${JSON.stringify(id)}).read(${JSON.stringify(file)}, { options: {}, problem: () => p++ })) n++;
` +
    `console.log(JSON.stringify({ records: n, problems: p }));`;
  return measure(process.execPath, ['--input-type=module', '-e', script]);
}

const MIB = 1024 * 1024;

function logText(bytes: number, seed: number): Buffer {
  const lines: string[] = [];
  let n = 0;
  for (let i = 0; n < bytes; i++) {
    const l = `<4>[${String(seed + i).padStart(6)}.000000] rawstores bench line ${i} of record ${seed}: worker pool busy\n`;
    lines.push(l);
    n += l.length;
  }
  return Buffer.from(lines.join('')).subarray(0, bytes);
}

export function makeRamoops(path: string): number {
  const params: RamoopsParams = { memSize: 64 * MIB, recordSize: 64 * 1024, consoleSize: 256 * 1024, ftraceSize: 4096, pmsgSize: 4096, ecc: 16, flags: 0, ftraceCpus: 1 };
  const ecc = eccInfo(params.ecc)!;
  const rs = new ReedSolomon(8, ecc.poly, ecc.eccSize);
  const region = Buffer.alloc(params.memSize);
  for (const z of layoutZones(params)) {
    const geo = zoneGeometry(z.size, ecc)!;
    const content = z.kind === 'dmesg'
      ? Buffer.concat([Buffer.from(`====1795374315.${z.index}-D\nPanic#${z.index + 1} Part1\n`), logText(geo.bufferSize - 64, z.index)])
      : z.kind === 'console' ? logText(geo.bufferSize, 0) : Buffer.alloc(0);
    region.writeUInt32LE(PERSISTENT_RAM_SIG, z.offset);
    region.writeUInt32LE(0, z.offset + 4);
    region.writeUInt32LE(content.length, z.offset + 8);
    content.copy(region, z.offset + 12);
    for (let b = 0; b * ecc.blockSize < content.length; b++) {
      const at = z.offset + 12 + b * ecc.blockSize;
      rs.encode(region.subarray(at, at + Math.min(ecc.blockSize, geo.bufferSize - b * ecc.blockSize))).forEach((v, i) => (region[z.offset + 12 + geo.parOffset + b * ecc.eccSize + i] = v));
    }
    Buffer.from(rs.encode(region.subarray(z.offset, z.offset + 12))).copy(region, z.offset + 12 + geo.parHeaderOffset);
  }
  const fd = openSync(path, 'w');
  writeSync(fd, region);
  closeSync(fd);
  return params.memSize;
}

export function makeMtdoops(path: string): number {
  const size = 256 * MIB;
  const record = 4096;
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(4 * MIB);
  for (let pos = 0, seq = 1; pos < size; pos += chunk.length) {
    chunk.fill(0xff);
    for (let at = 0; at < chunk.length; at += record, seq++) {
      chunk.writeUInt32LE(seq, at);
      chunk.writeUInt32LE(MTDOOPS_KERNMSG_MAGIC_V2, at + 4);
      chunk.writeBigInt64LE(1_795_375_264_000_000_000n + BigInt(seq), at + 8);
      logText(record - 17, seq).copy(chunk, at + 16);
      chunk[at + record - 1] = 0;
    }
    writeSync(fd, chunk, 0, chunk.length, pos);
  }
  closeSync(fd);
  return size;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'crashlog-rawstores-'));
  try {
    for (const [name, make, opts] of [
      ['ramoops 64 MiB, ecc 16 (found by scanning)', makeRamoops, []],
      ['ramoops 64 MiB, ecc 16 (--opt record_size, ecc)', makeRamoops, ['--opt', 'record_size=0x10000', '--opt', 'console_size=0x40000', '--opt', 'ecc=16']],
      ['mtdoops 256 MiB', makeMtdoops, []],
    ] as const) {
      const file = join(dir, name.split(' ')[0]! + '.bin');
      const bytes = make(file);
      const m = measureCli(['report', '--json', ...opts, file]);
      let how: string;
      try {
        const inputs = (JSON.parse(m.stdout) as { inputs: { backend: string; records: number }[] }).inputs;
        how = `crashlog report: read as ${inputs[0]?.backend}, ${inputs[0]?.records} records`;
        console.log(`${name}: ${fmt(m.seconds)} s = ${fmt(bytes / MIB / m.seconds, 1)} MB/s, peak RSS ${fmt(m.peakRssMb, 0)} MB (${how})`);
        if (opts.length === 0) {
          // the reader's share: the backend alone, no timeline/detect/report
          const b = measureBackend(name.split(' ')[0]!, file);
          console.log(`${name}: backend alone ${fmt(b.seconds)} s = ${fmt(bytes / MIB / b.seconds, 1)} MB/s, peak RSS ${fmt(b.peakRssMb, 0)} MB, ${b.stdout.trim()}`);
        }
      } catch {
        const b = measureBackend(name.split(' ')[0]!, file);
        console.log(`${name}: backend alone (the CLI failed, exit ${m.status}): ${fmt(b.seconds)} s = ${fmt(bytes / MIB / b.seconds, 1)} MB/s, ` +
          `peak RSS ${fmt(b.peakRssMb, 0)} MB, ${b.stdout.trim()}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
