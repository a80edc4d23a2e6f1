// A signature for "the same bug": equal on two machines that hit it, whatever addresses,
// pids, CPU numbers, boot ids or offsets their reports print.
import { sha256 } from './names.js';

/** The title with everything machine-specific taken out. */
export function normalizeTitle(title: string): string {
  return title
    .toLowerCase()
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, 'ID') // boot ids, uuids
    .replace(/\+0x[0-9a-f]+\/0x[0-9a-f]+/g, '') // func+0x1c/0x50 -> func
    .replace(/\b0x[0-9a-f]+\b/g, 'ADDR')
    .replace(/\b[0-9a-f]{8,}\b/g, 'ADDR') // bare hex addresses
    .replace(/(?<![a-z_0-9])\d+/g, 'N') // counts, cpus, pids; not the digits of a name (i915, ext4)
    .replace(/\s+/g, ' ')
    .trim();
}

/** sha256 of "cause\nnormalized title", hex. */
export function incidentSignature(cause: string, title: string): string {
  return sha256(`${cause}\n${normalizeTitle(title)}`);
}
