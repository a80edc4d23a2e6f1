// Headers the kernel puts on dmesg records.
//   "Panic#1 Part1\n"        fs/pstore/platform.c pstore_dump(): "%s#%d Part%u\n"
//                             (reason string, oopscount, part; Part1 is the newest chunk)
//   "====<sec>.<nsec>-<C|D>\n" fs/pstore/ram.c ramoops_write_kmsg_hdr() (RAMOOPS_KERNMSG_HDR),
//                             time of the dump; C = compressed, D = plain. Older kernels
//                             wrote "====<sec>.<usec>\n" with no flag.
import { dateAt } from '../util/time.js';

export interface DmesgHeader {
  /** "Panic", "Oops", "Emergency", "Restart", "Halt", "Poweroff", "Unknown" */
  reason: string;
  count: number;
  part: number;
  /** Bytes of the header line including its "\n". */
  length: number;
}

const DMESG_HEADER = /^([A-Za-z]{1,16})#(\d{1,9}) Part(\d{1,9})\r?\n/;

/** The "Reason#N PartM" first line of a pstore dmesg record, or undefined. */
export function parseDmesgHeader(text: string): DmesgHeader | undefined {
  const m = DMESG_HEADER.exec(text.slice(0, 64));
  if (!m) return undefined;
  return { reason: m[1]!, count: Number(m[2]), part: Number(m[3]), length: m[0].length };
}

export interface RamoopsHeader {
  /** Undefined when the seconds are out of any Date's range (a damaged header). */
  time?: Date;
  compressed: boolean;
  /** Bytes of the header including its "\n". */
  length: number;
}

const RAMOOPS_HEADER = /^====(\d{1,20})\.(\d{1,9})(?:-([CD]))?\n/;

/** The "====sec.nsec-C\n" header of a ramoops dmesg record, or undefined. */
export function parseRamoopsHeader(bytes: Uint8Array): RamoopsHeader | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 48)).toString('latin1');
  const m = RAMOOPS_HEADER.exec(head);
  if (!m) return undefined;
  const ms = Number(m[1]) * 1000 + Math.floor(Number((m[2]! + '000000000').slice(0, 9)) / 1e6);
  const time = dateAt(ms);
  return { ...(time ? { time } : {}), compressed: m[3] === 'C', length: m[0].length };
}
