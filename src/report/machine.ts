// The machine as the reports show it: the JSON `machine` section (strings as dmidecode
// prints them) from the SMBIOS record of the inputs, its one-line summary, and the
// DIMM of a verdict in words.
import type { CrashRecord, DimmHistory, EdacReport, IncidentDimm, MachineInfo, MachineReport } from '../model/index.js';

const hex4 = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;

const edacDimms = (m: MachineInfo): number => (m.edac ?? []).reduce((n, c) => n + c.dimms.length, 0);

/**
 * The tables of the inputs: the SMBIOS record with the most DIMMs (a dump and the sysfs pair
 * of one machine are one), with the EDAC tables with the most DIMMs (the last of equals: an
 * archive's newest entry) beside them; EDAC alone makes a machine with no SMBIOS facts.
 */
export function machineOf(records: readonly CrashRecord[]): MachineInfo | undefined {
  let best: MachineInfo | undefined;
  let edac: MachineInfo | undefined;
  for (const r of records) {
    if (r.kind !== 'machine') continue;
    if (r.edac) {
      if (!edac || edacDimms(r) >= edacDimms(edac)) edac = r;
    } else if (!best || r.dimms.length > best.dimms.length) best = r;
  }
  if (!edac) return best;
  return best ? { ...best, edac: edac.edac!, edacSource: edac.source } : edac;
}

/** A size in MiB as the SMBIOS sizes beside it read: "16 GB", "512 MB". */
const mib = (n: number): string => (n > 0 && n % 1024 === 0 ? `${n / 1024} GB` : `${n} MB`);

function edacReport(m: MachineInfo): EdacReport {
  const controllers = m.edac!.map(({ dimms: _dimms, ...c }) => c);
  const dimms = m.edac!.flatMap((c) => c.dimms.map((d) => {
    const o: EdacReport['dimms'][number] = { mc: d.mc, dimm: d.index, from: d.from, location: d.layers.map((l) => `${l.name} ${l.pos}`).join(' ') };
    if (d.label !== undefined) o.label = d.label;
    if (d.sizeMB !== undefined) o.size = mib(d.sizeMB);
    if (d.memType !== undefined) o.memType = d.memType;
    if (d.ceCount !== undefined) o.ceCount = d.ceCount;
    if (d.ueCount !== undefined) o.ueCount = d.ueCount;
    return o;
  }));
  return { controllers, dimms, source: m.edacSource ?? m.source };
}

export function machineReport(m: MachineInfo): MachineReport {
  const out: MachineReport = {
    dimms: m.dimms.map((d) => {
      const o: MachineReport['dimms'][number] = { handle: hex4(d.handle), size: d.size };
      if (d.locator !== undefined) o.locator = d.locator;
      if (d.bankLocator !== undefined) o.bankLocator = d.bankLocator;
      if (d.serial !== undefined) o.serial = d.serial;
      if (d.partNumber !== undefined) o.partNumber = d.partNumber;
      if (d.manufacturer !== undefined) o.manufacturer = d.manufacturer;
      if (d.speed !== undefined) o.speed = `${d.speed} MT/s`;
      return o;
    }),
    source: m.source,
  };
  if (m.smbios !== undefined) out.smbios = m.smbios;
  if (m.bios) out.bios = m.bios;
  if (m.system) out.system = m.system;
  if (m.baseboard) out.baseboard = m.baseboard;
  if (m.edac?.length) out.edac = edacReport(m);
  return out;
}

const join = (...parts: (string | undefined)[]): string => parts.filter((p) => p !== undefined && p !== '').join(' ');

/** "QEMU Standard PC (Q35 + ICH9, 2009) pc-q35-7.2, BIOS SeaBIOS 1.16.2 (04/01/2014), 1 DIMM: DIMM 0 4 GB" */
export function machineLine(m: MachineReport): string {
  const sys = m.system ? join(m.system.manufacturer, m.system.productName, m.system.version) : undefined;
  const board = m.baseboard ? join(m.baseboard.manufacturer, m.baseboard.productName) : undefined;
  const bios = m.bios ? join('BIOS', m.bios.vendor, m.bios.version, m.bios.releaseDate ? `(${m.bios.releaseDate})` : undefined) : undefined;
  const installed = m.dimms.filter((d) => d.size !== 'No Module Installed');
  const dimms = `${installed.length} DIMM${installed.length === 1 ? '' : 's'}${installed.length ? ': ' : ''}` +
    installed.map((d) => join(d.bankLocator && d.locator ? `${d.bankLocator} ${d.locator}` : (d.locator ?? d.handle), d.size, d.serial ? `serial ${d.serial}` : undefined)).join('; ');
  const smbios = m.smbios !== undefined || m.dimms.length > 0 || !m.edac;
  return [sys || undefined, board ? `board ${board}` : undefined, bios, m.smbios ? `SMBIOS ${m.smbios}` : undefined, smbios ? dimms : undefined, m.edac ? edacLine(m.edac) : undefined]
    .filter(Boolean).join(', ');
}

/** "EDAC 9 DIMMs on 2 controllers, errors: CPU1_DIMM_B1 5 CE; CPU1_DIMM_E1 1 UE" */
function edacLine(e: EdacReport): string {
  const n = e.dimms.length;
  const errs = e.dimms.filter((d) => (d.ceCount ?? 0) > 0 || (d.ueCount ?? 0) > 0)
    .map((d) => join(d.label ?? `mc ${d.mc} ${d.location}`, d.ceCount ? `${d.ceCount} CE` : undefined, d.ueCount ? `${d.ueCount} UE` : undefined));
  return `EDAC ${n} DIMM${n === 1 ? '' : 's'} on ${e.controllers.length} controller${e.controllers.length === 1 ? '' : 's'}${errs.length ? `, errors: ${errs.join('; ')}` : ''}`;
}

/** "DIMM_A1 (bank P0_Node0_Channel0, serial 4A3B2C1D, part FM4R3200-A1, label ...)" */
export function dimmLine(d: IncidentDimm): string {
  const name = d.locator ?? d.label ?? '?';
  const extra = [d.bank ? `bank ${d.bank}` : undefined, d.serial ? `serial ${d.serial}` : undefined, d.part ? `part ${d.part}` : undefined,
    d.label && d.locator && d.label !== d.locator ? `label ${d.label}` : undefined].filter(Boolean);
  return extra.length ? `${name} (${extra.join(', ')})` : name;
}

export function historyLine(h: DimmHistory): string {
  return h.replace ?? `${h.where}: ${h.count} corrected over ${h.boots} boot${h.boots === 1 ? '' : 's'}${h.first ? `, first ${h.first}, last ${h.last}, ${h.perDay}/day` : ''}`;
}
