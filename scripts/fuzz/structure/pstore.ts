// A pstore copy (fs/pstore/inode.c names "<type>-<backend>-<id>[.enc.z]") or an efivarfs
// folder of efi-pstore variables ("dump-type0-<part>-<count>-<time>-<C|D>-<guid>"), with
// lying header fields: the names' ids, parts, counts, times and compression flags; the
// "Reason#N PartM" and "====sec.nsec-C" header lines (fs/pstore/platform.c, ram.c);
// a struct mce record's bank, cpu and time (mce-* files); a compressed record that
// inflates far past its buffer; records emptied, swapped or given one another's names.
import { readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import type { Rng } from '../rng.js';
import { lieDecimal, lieU32, lieU64 } from './lies.js';
import type { StructureMutator } from './types.js';

const PSTORE_NAME = /^(dmesg|mce|console|ftrace|pmsg|rtas)-([^-]{1,64})-(\d{1,20})(\.enc\.z)?$/;
const EFI_NAME = /^dump-type(\d+)-(\d+)-(\d+)-(\d+)-([CD])(-.*)?$/;
const TYPES = ['dmesg', 'mce', 'console', 'ftrace', 'pmsg'];
const BACKENDS = ['ramoops', 'erst', 'efi', 'efi_pstore', 'pstore_blk', 'mtd', 'x'.repeat(64)];
/** Bytes of zeros a planted compressed record inflates to. */
const BOMB_BYTES = [8 << 20, 64 << 20];
/** struct mce (arch/x86/include/uapi/asm/mce.h) field offsets lied about. */
const MCE_FIELDS = { status: [0, 8], addr: [16, 8], time: [48, 8], cpuvendor: [56, 1], bank: [65, 1], extcpu: [68, 4], socketid: [72, 4], mcgcap: [80, 8] } as const;

const files = (dir: string) => readdirSync(dir).filter((n) => statSync(join(dir, n)).isFile()).sort();

function rename(dir: string, rng: Rng): string | undefined {
  const names = files(dir);
  const name = rng.pick(names);
  let to: string | undefined;
  const p = PSTORE_NAME.exec(name);
  const e = EFI_NAME.exec(name);
  if (p) {
    const [, type, backend, id, enc] = p;
    switch (rng.int(4)) {
      case 0: to = `${type}-${backend}-${rng.pick(['0', '99999999999999999999', '18446744073709551615', PSTORE_NAME.exec(rng.pick(names))?.[3] ?? '1'])}${enc ?? ''}`; break;
      case 1: to = `${type}-${rng.pick(BACKENDS)}-${id}${enc ?? ''}`; break;
      case 2: to = `${rng.pick(TYPES)}-${backend}-${id}${enc ?? ''}`; break;
      default: to = `${type}-${backend}-${id}${enc ? '' : '.enc.z'}`;
    }
  } else if (e) {
    const [, type, part, count, time, flag, rest] = e;
    const f = [type, part, count, time, flag];
    const i = rng.int(5);
    f[i] = i === 4 ? (flag === 'C' ? 'D' : 'C') : lieDecimal(rng, f[i]!).replace(/[^0-9]/g, '') || '0';
    to = `dump-type${f[0]}-${f[1]}-${f[2]}-${f[3]}-${f[4]}${rng.chance(0.2) ? '' : (rest ?? '')}`;
  }
  if (!to || to === name) return undefined;
  // A name taken by another record: that record is overwritten, as a second copy would be.
  renameSync(join(dir, name), join(dir, to));
  return `${name} renamed ${to}`;
}

function header(dir: string, rng: Rng): string | undefined {
  const name = rng.pick(files(dir));
  const b = readFileSync(join(dir, name));
  const nl = b.indexOf(10);
  if (nl < 0 || nl > 64) return undefined;
  const line = b.subarray(0, nl).toString('latin1');
  const dm = /^([A-Za-z]+)#(\d+) Part(\d+)$/.exec(line);
  const ro = /^====(\d+)\.(\d+)(-[CD])?$/.exec(line);
  let to: string;
  if (dm) {
    const [, reason, count, part] = dm;
    to = rng.pick([`${reason}#${lieDecimal(rng, count!).replace(/\D/g, '')} Part${part}`, `${reason}#${count} Part${lieDecimal(rng, part!).replace(/\D/g, '')}`, `Bogus#${count} Part${part}`, `${reason}#${count} Part0`, `${reason}#${count}`]);
  } else if (ro) {
    const [, sec, nsec, flag] = ro;
    to = rng.pick([`====${sec}.${nsec}${flag === '-C' ? '-D' : '-C'}`, `====99999999999999999999.${nsec}${flag ?? ''}`, `====${sec}.999999999999${flag ?? ''}`, `====${sec}`]);
  } else return undefined;
  writeFileSync(join(dir, name), Buffer.concat([Buffer.from(to, 'latin1'), b.subarray(nl)]));
  return `${name}: header "${line}" -> "${to}"`;
}

function mce(dir: string, rng: Rng): string | undefined {
  const names = files(dir).filter((n) => n.startsWith('mce-'));
  if (!names.length) return undefined;
  const name = rng.pick(names);
  const b = readFileSync(join(dir, name));
  const field = rng.pick(Object.keys(MCE_FIELDS) as (keyof typeof MCE_FIELDS)[]);
  const [at, width] = MCE_FIELDS[field];
  if (at + width > b.length) return undefined;
  if (width === 8) b.writeBigUInt64LE(lieU64(rng, b.readBigUInt64LE(at)), at);
  else if (width === 4) b.writeUInt32LE(lieU32(rng, b.readUInt32LE(at)), at);
  else b[at] = rng.pick([0, 0xff, 0x7f, 99]);
  writeFileSync(join(dir, name), b);
  return `${name}: struct mce ${field} lied about`;
}

function records(dir: string, rng: Rng): string | undefined {
  const names = files(dir);
  const a = rng.pick(names);
  const b = rng.pick(names);
  switch (rng.int(4)) {
    case 0: writeFileSync(join(dir, a), ''); return `${a} emptied`;
    case 1: {
      const x = readFileSync(join(dir, a));
      writeFileSync(join(dir, a), readFileSync(join(dir, b)));
      writeFileSync(join(dir, b), x);
      return `${a} and ${b} swapped contents`;
    }
    case 2: {
      const n = rng.pick(BOMB_BYTES);
      const name = rng.chance(0.5) ? 'dmesg-ramoops-7.enc.z' : 'dmesg-efi-179537543799001.enc.z';
      writeFileSync(join(dir, name), deflateRawSync(Buffer.alloc(n), { level: 9 }));
      return `${name}: raw deflate of ${n} zero bytes planted`;
    }
    default: {
      const m = PSTORE_NAME.exec(a);
      const copy = m ? `${m[1]}-${m[2]}-${Number(m[3]) + 1}${m[4] ?? ''}` : `${a}-copy`;
      writeFileSync(join(dir, copy), readFileSync(join(dir, a)));
      return `${a} copied as ${copy}`;
    }
  }
}

export const pstore: StructureMutator = {
  id: 'pstore',
  scope: 'dir',
  weight: 3,
  fits: (path) => {
    try {
      return files(path).some((n) => PSTORE_NAME.test(n) || EFI_NAME.test(n));
    } catch {
      return false;
    }
  },
  async mutate({ path, rng, rewrite }) {
    if (!rewrite || files(path).length === 0) return undefined;
    const pick = rng.int(10);
    return pick < 3 ? rename(path, rng) : pick < 6 ? header(path, rng) : pick < 7 ? mce(path, rng) : records(path, rng);
  },
};
