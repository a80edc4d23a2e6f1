// dmidecode's text output (`dmidecode -t 0,1,2,17`) parsed into handle blocks, and a
// MachineInfo shown the same way, field by field, for the fields crashlog reads.
import type { DimmInfo, MachineInfo } from '../../src/model/index.js';
import { formatSpeed } from '../../backends/dmi/format.js';

export interface Block {
  handle: number;
  type: number;
  name: string;
  attrs: Map<string, string>;
}

const HANDLE = /^Handle 0x([0-9A-F]{4}), DMI type (\d+), (\d+) bytes$/;

export function parseDmidecode(text: string): Block[] {
  const blocks: Block[] = [];
  let cur: Block | undefined;
  let wantName = false;
  for (const line of text.split('\n')) {
    const h = HANDLE.exec(line);
    if (h) {
      cur = { handle: Number.parseInt(h[1]!, 16), type: Number(h[2]), name: '', attrs: new Map() };
      blocks.push(cur);
      wantName = true;
      continue;
    }
    if (!cur) continue;
    if (wantName) {
      cur.name = line;
      wantName = false;
      continue;
    }
    const a = /^\t([^\t:][^:]*): (.*)$/.exec(line);
    if (a) cur.attrs.set(a[1]!, a[2]!);
  }
  return blocks;
}

const NS = 'Not Specified';
const or = (v: string | undefined): string => v ?? NS;

/** The attributes crashlog reads, per dmidecode block type, as crashlog would print them. */
export function viewOf(m: MachineInfo): { type: number; handle?: number; attrs: Record<string, string> }[] {
  const out: { type: number; handle?: number; attrs: Record<string, string> }[] = [];
  if (m.bios) out.push({ type: 0, attrs: { Vendor: or(m.bios.vendor), Version: or(m.bios.version), 'Release Date': or(m.bios.releaseDate) } });
  if (m.system) {
    const s = m.system;
    const attrs: Record<string, string> = { Manufacturer: or(s.manufacturer), 'Product Name': or(s.productName), Version: or(s.version), 'Serial Number': or(s.serial) };
    if (s.uuid) attrs.UUID = s.uuid;
    if (s.family !== undefined || s.sku !== undefined || s.uuid) {
      attrs['SKU Number'] = or(s.sku);
      attrs.Family = or(s.family);
    }
    out.push({ type: 1, attrs });
  }
  if (m.baseboard) {
    const b = m.baseboard;
    out.push({ type: 2, attrs: { Manufacturer: or(b.manufacturer), 'Product Name': or(b.productName), Version: or(b.version), 'Serial Number': or(b.serial) } });
  }
  for (const d of m.dimms) out.push({ type: 17, handle: d.handle, attrs: dimmView(d) });
  return out;
}

function dimmView(d: DimmInfo): Record<string, string> {
  const a: Record<string, string> = { Size: d.size, Locator: or(d.locator), 'Bank Locator': or(d.bankLocator) };
  if (d.sizeKB === 0) return a;
  a.Speed = formatSpeed(d.speed);
  a.Manufacturer = or(d.manufacturer);
  a['Serial Number'] = or(d.serial);
  a['Asset Tag'] = or(d.assetTag);
  a['Part Number'] = or(d.partNumber);
  return a;
}

/** Every attribute crashlog shows that dmidecode shows differently (or not at all), as lines. */
export function differences(m: MachineInfo, blocks: Block[]): string[] {
  const diffs: string[] = [];
  for (const v of viewOf(m)) {
    const b = v.handle !== undefined ? blocks.find((x) => x.type === v.type && x.handle === v.handle) : blocks.find((x) => x.type === v.type);
    if (!b) {
      diffs.push(`type ${v.type}${v.handle !== undefined ? ` handle 0x${v.handle.toString(16)}` : ''}: not in dmidecode's output`);
      continue;
    }
    for (const [k, val] of Object.entries(v.attrs)) {
      const theirs = b.attrs.get(k);
      // A short structure: dmidecode stops printing where the structure stops, where
      // crashlog has nothing ("Not Specified", "Unknown"): only what it printed is compared.
      if (theirs === undefined && (val === NS || val === 'Unknown')) continue;
      if (theirs !== val) diffs.push(`type ${v.type} handle 0x${b.handle.toString(16)} ${k}: crashlog "${val}", dmidecode "${theirs ?? '(absent)'}"`);
    }
  }
  const ours = new Set(m.dimms.map((d) => d.handle));
  for (const b of blocks) if (b.type === 17 && !ours.has(b.handle) && b.attrs.size > 0) diffs.push(`type 17 handle 0x${b.handle.toString(16)}: dmidecode shows it, crashlog does not`);
  return diffs;
}
