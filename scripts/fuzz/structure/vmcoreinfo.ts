// VMCOREINFO (kernel/crash_core.c: "KEY=value\n" lines in an ELF note, and in a kdump's
// sub header region) with one value that lies: the printk ring's offsets and sizes, the
// symbols the log is found by, PAGESIZE, KERNELOFFSET, phys_base, CRASHTIME. The text
// keeps its length (the notes around it stay valid): a donor line, BUILD-ID when there is
// one, takes up the difference (leading zeros, or digits crashlog never reads).
import type { FileEdit } from '../edit.js';
import type { Rng } from '../rng.js';
import { lieDecimal, lieHex } from './lies.js';
import type { StructureMutator } from './types.js';

/** The text sits in the dump's first blocks (ELF notes, the kdump sub header's region). */
const SEARCH_BYTES = 16 << 20;
const MAX_TEXT = 1 << 16;
const ANCHOR = 'OSRELEASE=';
/** Lines the log and the address translation are found by: lied about more often. */
const FAVOURED = /prb|printk|log_|PAGESIZE|KERNELOFFSET|phys_base|init_top_pgt|swapper_pg_dir|pgtable_l5|VA_BITS|kimage_voffset|mem_section|CRASHTIME|OSRELEASE/;
const DONORS = ['BUILD-ID', 'SYMBOL(_stext)', 'SYMBOL(node_online_map)'];

interface Copy { at: number; text: string }

function copies(edit: FileEdit): Copy[] {
  const head = edit.read(0, Math.min(edit.size, SEARCH_BYTES));
  const out: Copy[] = [];
  for (let at = head.indexOf(ANCHOR); at >= 0 && out.length < 8; at = head.indexOf(ANCHOR, at + 1)) {
    let end = at;
    while (end < head.length && end - at < MAX_TEXT && head[end] !== 0 && (head[end]! >= 0x20 || head[end] === 0x0a)) end++;
    out.push({ at, text: head.subarray(at, end).toString('latin1') });
  }
  return out;
}

/** The new text, same length as `text`, or undefined when no donor can absorb the change. */
function lie(text: string, rng: Rng): { text: string; what: string } | undefined {
  const lines = text.split('\n');
  const kv = lines.map((l) => { const i = l.indexOf('='); return i > 0 ? { key: l.slice(0, i), value: l.slice(i + 1) } : undefined; });
  const idx = kv.map((x, i) => (x ? i : -1)).filter((i) => i >= 0);
  const favoured = idx.filter((i) => FAVOURED.test(kv[i]!.key));
  const i = rng.chance(0.8) && favoured.length ? rng.pick(favoured) : rng.pick(idx);
  const { key, value } = kv[i]!;
  const symbols = kv.filter((x) => x?.key.startsWith('SYMBOL(')).map((x) => x!.value);
  let line: string;
  let what: string;
  switch (rng.int(6)) {
    case 0: line = `X${key.slice(1)}=${value}`; what = `${key} removed`; break;
    case 1: { const other = kv[rng.pick(idx)]!; line = `${other.key}=${value}`; what = `${key} line renamed ${other.key} (a second, different value)`; break; }
    default: {
      const v = key.startsWith('SYMBOL(') || key === 'KERNELOFFSET' ? lieHex(rng, value, symbols) : lieDecimal(rng, value);
      line = `${key}=${v}`;
      what = `${key}=${value} -> ${v}`;
    }
  }
  const diff = line.length - lines[i]!.length;
  const donor = lines.findIndex((l, j) => j !== i && DONORS.some((d) => l.startsWith(`${d}=`)));
  if (diff !== 0) {
    if (donor < 0) return undefined;
    const d = kv[donor]!;
    if (diff < 0) lines[donor] = `${d.key}=${'0'.repeat(-diff)}${d.value}`;
    else if (d.value.length >= diff) lines[donor] = `${d.key}=${d.value.slice(diff)}`;
    else return undefined;
  }
  lines[i] = line;
  const out = lines.join('\n');
  return out.length === text.length ? { text: out, what } : undefined;
}

export const vmcoreinfo: StructureMutator = {
  id: 'vmcoreinfo',
  scope: 'file',
  weight: 2,
  fits: (_path, head) => (head[0] === 0x7f && head[1] === 0x45) || Buffer.from(head.subarray(0, 8)).toString('latin1') === 'KDUMP   ' || Buffer.from(head.subarray(0, 8)).toString('latin1') === 'DISKDUMP' || Buffer.from(head.subarray(0, 16)).toString('latin1').startsWith('makedumpfile'),
  async mutate({ edit, rng }) {
    if (!edit) return undefined;
    const found = copies(edit);
    if (found.length === 0) return undefined;
    for (let tries = 0; tries < 8; tries++) {
      const l = lie(found[0]!.text, rng);
      if (!l) continue;
      // Every copy that says the same thing says the same lie.
      for (const c of found) if (c.text === found[0]!.text) edit.write(c.at, Buffer.from(l.text, 'latin1'));
      return `VMCOREINFO ${l.what}`;
    }
    return undefined;
  },
};
