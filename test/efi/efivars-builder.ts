// efivarfs files as drivers/firmware/efi/efi-pstore.c left them in each kernel era: the
// name (see backends/efi/layout.ts), then 4 bytes of attributes and the part's bytes
// (raw deflate for a "C" part). For edge cases; real parts are in fixtures/efi.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';

export const LINUX_EFI_CRASH_GUID = 'cfc8fc79-be2e-4ddc-97f0-9f98bfe298a0';
/** EFI_VARIABLE_NON_VOLATILE | BOOTSERVICE_ACCESS | RUNTIME_ACCESS */
const ATTRIBUTES = 0x7;

export interface EfiPartSpec {
  part: number;
  count: number;
  time: number;
  text: string;
  compressed?: boolean;
}

/** v3.19+: dump-type0-part-count-time-C|D; v3.8+: dump-type0-part-count-time; v3.2+: dump-type0-part-time. */
export function efiVarName(generation: 1 | 2 | 3, p: EfiPartSpec): string {
  const name =
    generation === 3 ? `dump-type0-${p.part}-${p.count}-${p.time}-${p.compressed ? 'C' : 'D'}` : generation === 2 ? `dump-type0-${p.part}-${p.count}-${p.time}` : `dump-type0-${p.part}-${p.time}`;
  return `${name}-${LINUX_EFI_CRASH_GUID}`;
}

export function writeEfiVar(dir: string, generation: 1 | 2 | 3, p: EfiPartSpec): string {
  const data = p.compressed ? deflateRawSync(Buffer.from(p.text)) : Buffer.from(p.text);
  const attrs = Buffer.alloc(4);
  attrs.writeUInt32LE(ATTRIBUTES);
  const path = join(dir, efiVarName(generation, p));
  writeFileSync(path, Buffer.concat([attrs, data]));
  return path;
}

/** A dump split as pstore_dump() splits it: Part1 holds the newest lines. */
export function dumpParts(reason: string, count: number, time: number, lines: string[], perPart: number): EfiPartSpec[] {
  const parts: EfiPartSpec[] = [];
  for (let end = lines.length, part = 1; end > 0; end -= perPart, part++) {
    const chunk = lines.slice(Math.max(0, end - perPart), end);
    parts.push({ part, count, time: time + Math.floor(part / 3), text: `${reason}#${count} Part${part}\n${chunk.join('\n')}\n` });
  }
  return parts;
}
