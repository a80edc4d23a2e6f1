// The machine's DIMMs (SMBIOS type 17) indexed the ways memory errors name them: by
// SMBIOS handle (CPER module handle), by name (EDAC labels: ghes_edac's dimm_setup_label
// "<bank locator> <locator>", a plain locator, the kernel's "DIMM location: <bank>
// <device>" from cper_dimm_err_location), and by physical address (type 20 device
// ranges; else a type 19 array range whose array holds exactly one installed DIMM).
import type { DimmInfo, IncidentDimm, MachineInfo, MemoryRange } from '../model/index.js';
import type { Timeline } from '../timeline/types.js';
import { EdacIndex } from './dimm-edac.js';

export interface DimmMatch {
  dimm: DimmInfo;
  /** How the DIMM was found, for the evidence line. */
  how: string;
}

/** Names a DIMM goes by: its locator, and its bank locator joined to it as drivers join them. */
export function dimmNames(d: DimmInfo): string[] {
  const out: string[] = [];
  if (d.bankLocator && d.locator) out.push(`${d.bankLocator} ${d.locator}`, `${d.bankLocator}_${d.locator}`, `${d.bankLocator}/${d.locator}`);
  if (d.locator) out.push(d.locator);
  return out;
}

/** "DIMM_A1" or "P0_Node0_Channel0 DIMM 0": how a verdict names a DIMM. */
export function dimmName(d: DimmInfo): string {
  return d.bankLocator && d.locator ? `${d.bankLocator} ${d.locator}` : (d.locator ?? `SMBIOS handle 0x${d.handle.toString(16).padStart(4, '0')}`);
}

export function incidentDimm(d: DimmInfo, label?: string): IncidentDimm {
  const out: IncidentDimm = {};
  if (label !== undefined) out.label = label;
  if (d.locator !== undefined) out.locator = d.locator;
  if (d.bankLocator !== undefined) out.bank = d.bankLocator;
  if (d.serial !== undefined) out.serial = d.serial;
  if (d.partNumber !== undefined) out.part = d.partNumber;
  return out;
}

const norm = (s: string): string => s.trim().replace(/\s+/g, ' ').toLowerCase();
const inRange = (r: MemoryRange, a: bigint): boolean => a >= r.start && a <= r.end;

export class MachineIndex {
  private readonly byHandle = new Map<number, DimmInfo>();
  private readonly byName = new Map<string, DimmInfo | null>();

  /** EDAC's sysfs DIMMs (the edac backend), when an input held them. */
  readonly edac: EdacIndex | undefined;

  constructor(readonly machine: MachineInfo, edac?: MachineInfo) {
    this.edac = edac?.edac?.length ? new EdacIndex(edac.edac) : undefined;
    for (const d of machine.dimms) {
      if (d.sizeKB === 0) continue; // an empty slot holds no memory to fail
      this.byHandle.set(d.handle, d);
      for (const n of dimmNames(d)) {
        const k = norm(n);
        // A name two DIMMs share ("DIMM 0" on every socket) names neither.
        this.byName.set(k, this.byName.has(k) && this.byName.get(k) !== d ? null : d);
      }
    }
  }

  handle(h: number): DimmInfo | undefined {
    return this.byHandle.get(h);
  }

  name(label: string): DimmInfo | undefined {
    return this.byName.get(norm(label)) ?? undefined;
  }

  /** The longest DIMM name `text` starts with ("DIMM location: " text runs on into other fields). */
  prefix(text: string): DimmInfo | undefined {
    const t = norm(text);
    let best: { d: DimmInfo; len: number } | undefined;
    for (const [k, d] of this.byName) if (d && t.startsWith(k) && (t.length === k.length || t[k.length] === ' ') && k.length > (best?.len ?? 0)) best = { d, len: k.length };
    return best?.d;
  }

  address(addr: bigint): DimmMatch | undefined {
    const devices = this.machine.ranges.filter((r) => r.dimmHandle !== undefined && inRange(r, addr));
    const byDevice = [...new Set(devices.map((r) => r.dimmHandle!))].map((h) => this.byHandle.get(h)).filter((d): d is DimmInfo => d !== undefined);
    if (byDevice.length === 1) return { dimm: byDevice[0]!, how: `SMBIOS maps address 0x${addr.toString(16)} to it (type 20)` };
    if (byDevice.length > 1) return undefined; // interleaved: the address alone does not tell
    const arrays = new Set(this.machine.ranges.filter((r) => r.arrayHandle !== undefined && inRange(r, addr)).map((r) => r.arrayHandle!));
    if (arrays.size !== 1) return undefined;
    const [array] = arrays;
    const inArray = [...this.byHandle.values()].filter((d) => d.arrayHandle === array);
    if (inArray.length !== 1) return undefined;
    return { dimm: inArray[0]!, how: `address 0x${addr.toString(16)} is in memory array 0x${array!.toString(16)} (SMBIOS type 19), which holds only this DIMM` };
  }
}

/** Machines the timeline holds (boot.machines once the timeline keeps them; placed among blobs before). */
export function machinesOf(timeline: Timeline): MachineInfo[] {
  const out: MachineInfo[] = [];
  for (const b of timeline.boots) {
    const own = (b as { machines?: readonly MachineInfo[] }).machines;
    const from = own ?? (b.blobs as readonly { kind: string }[]).filter((r): r is MachineInfo => r.kind === 'machine');
    for (const m of from) out.push(m);
  }
  return out;
}

const edacDimms = (m: MachineInfo): number => (m.edac ?? []).reduce((n, c) => n + c.dimms.length, 0);

/**
 * The machine's tables: the SMBIOS record with the most DIMMs (copies of one table read
 * twice are one), and the EDAC record with the most (the last of equals: an archive's
 * entries are read oldest first). EDAC alone still makes an index, with no SMBIOS DIMMs.
 */
export function machineIndexOf(from: Timeline | readonly MachineInfo[]): MachineIndex | undefined {
  const all = Array.isArray(from) ? from : machinesOf(from as Timeline);
  const smbios = all.filter((m) => !m.edac);
  const edac = all.filter((m) => m.edac).reduce<MachineInfo | undefined>((a, b) => (!a || edacDimms(b) >= edacDimms(a) ? b : a), undefined);
  if (!smbios.length && !edac) return undefined;
  const best = smbios.length ? smbios.reduce((a, b) => (b.dimms.length > a.dimms.length ? b : a)) : { ...edac!, edac: undefined };
  return new MachineIndex(best, edac);
}
