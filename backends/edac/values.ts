// The values of EDAC's sysfs files, as edac_mc_sysfs.c prints them: counts "%u\n" / "%d\n",
// sizes "%u\n" (MiB), names "%s\n", dimm_location "%s %d " per layer (edac_mc.c
// edac_dimm_info_location), a label "%s\n" or nothing at all when unset.
import { LAYER_NAMES } from './layout.js';

/** A number as the kernel prints one; undefined when the text is not one. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (!/^-?\d{1,15}$/.test(t)) return undefined;
  return Number(t);
}

/** "channel 0 slot 1 " -> layers; undefined when a word is not a layer name or a position not a number. */
export function parseLocation(text: string): { name: string; pos: number }[] | undefined {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length % 2 !== 0) return undefined;
  const out: { name: string; pos: number }[] = [];
  for (let i = 0; i < words.length; i += 2) {
    const name = words[i]!;
    const pos = words[i + 1]!;
    if (!(LAYER_NAMES as readonly string[]).includes(name) || !/^\d{1,9}$/.test(pos)) return undefined;
    out.push({ name, pos: Number(pos) });
  }
  return out;
}

/** A text value: one line, its newline removed; printable text only. */
export function parseText(text: string): string | undefined {
  const t = text.replace(/\n$/, '');
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x1f\x7f]/.test(t) ? undefined : t;
}
