// How a memory error names its DIMM, tried in this order:
//   1. an SMBIOS handle: a CPER memory section's module handle (cper_sec_mem_err
//      mem_dev_handle), or ghes_edac's "unknown memory (handle: 0x1100)" label;
//   2. a label: EDAC's (edac_mc.c "... on DIMM_A1 (channel:0 slot:0 ...)", rasdaemon's
//      mc_event.label), which ghes_edac builds as "<bank locator> <locator>";
//   3. the kernel's "DIMM location: <bank> <device>" (cper_dimm_err_location), which
//      ghes_edac puts in its detail text;
//   4. the physical address, through SMBIOS types 20 and 19 (dimm-machine.ts).
// Without SMBIOS tables a label is still a name; EDAC's layers say where it sits.
// An error whose label is missing or only the driver's default ("CPU_SrcID#0_MC#0_Chan#1_DIMM#0",
// "mc#0csrow#1channel#0": dimm-edac.ts) takes, at step 2, the label the operator set in EDAC's
// sysfs for the DIMM at its MC and layers. It stays a label, below the SMBIOS handle: the
// handle is the firmware's own pointer to the type 17 structure, while the sysfs label is a
// name someone typed, which names an SMBIOS DIMM only when it equals its locator (as
// ghes_edac's labels do); and it goes before "DIMM location" and the address, which the
// driver's mapping to (mc, layers) already resolved more exactly than an address range can.
import type { DimmInfo, MachineCheck, MemoryError, SourceRef } from '../model/index.js';
import { mceDetails } from '../mce/decode.js';
import { type MachineIndex, dimmName } from './dimm-machine.js';
import { edacDimmPlace, isDriverLabel } from './dimm-edac.js';

export interface DimmHit {
  dimm?: DimmInfo;
  /** The platform's own name for it, when the error gave one. */
  label?: string;
  how: string;
  source: SourceRef;
}

/** Labels EDAC gives when it does not know the DIMM (edac_mc.c, ghes_edac.c). */
const NO_LABEL = /^(?:unknown memory|any memory)$/i;
const HANDLE = /\bhandle:? 0x([0-9a-f]{1,4})\b/i;
const DIMM_LOCATION = /DIMM location: (.+)$/;
/** edac_layer_name[] (edac_mc.c): the names an EDAC location uses. */
const EDAC_LAYER = /\b(branch|channel|slot|csrow|memory):(\d+)/g;

const hex4 = (n: number): string => `0x${n.toString(16).padStart(4, '0')}`;

/** Where the error sits by EDAC's layers: "mc 0 channel 1 slot 0", or undefined. */
export function edacPlace(e: MemoryError): string | undefined {
  const parts: string[] = [];
  const mc = e.where?.mc ?? (e.source.backend !== 'rasdaemon' && e.label !== undefined ? e.card : undefined);
  if (mc !== undefined) parts.push(`mc ${mc}`);
  if (e.where?.layers?.length) for (const l of e.where.layers) parts.push(l.name ? `${l.name} ${l.pos}` : `layer ${l.pos}`);
  else for (const m of (e.detail ?? '').matchAll(EDAC_LAYER)) parts.push(`${m[1]} ${m[2]}`);
  return parts.length > (mc !== undefined ? 1 : 0) ? parts.join(' ') : undefined;
}

/** A CPER memory section's location, "node 0 card 1 module 3": only errors without a label (EDAC's card is its MC). */
function cperPlace(e: MemoryError): string | undefined {
  if (e.label !== undefined || e.module === undefined) return undefined;
  return [e.node !== undefined ? `node ${e.node}` : undefined, e.card !== undefined ? `card ${e.card}` : undefined, `module ${e.module}`,
    e.where?.device !== undefined ? `device ${e.where.device}` : undefined].filter(Boolean).join(' ');
}

/** The DIMM a memory error names, by the first way that works (see the top of the file). */
export function resolveMemoryError(e: MemoryError, idx: MachineIndex | undefined): DimmHit | undefined {
  const source = e.source;
  const own = e.label !== undefined && !NO_LABEL.test(e.label.trim()) ? e.label.trim() : undefined;
  const sysfs = own === undefined || isDriverLabel(own) ? idx?.edac?.labelled(e) : undefined;
  const label = sysfs?.label ?? own;
  const named = sysfs
    ? `EDAC's sysfs labels ${edacDimmPlace(sysfs)} "${sysfs.label}"${own ? ` (the error gave the driver's default name "${own}")` : ''}`
    : undefined;
  const handle = e.where?.dimmHandle ?? [e.label, e.detail].map((t) => (t ? HANDLE.exec(t) : null)).find((m) => m)?.[1];
  const h = typeof handle === 'string' ? Number.parseInt(handle, 16) : handle;
  if (idx) {
    const byHandle = h !== undefined ? idx.handle(h) : undefined;
    if (byHandle) return { dimm: byHandle, ...(label ? { label } : {}), how: `the error names SMBIOS handle ${hex4(h!)}`, source };
    const byLabel = label ? idx.name(label) : undefined;
    if (byLabel) return { dimm: byLabel, label: label!, how: named ? `${named}, this DIMM's SMBIOS name` : `the error's label "${label}" is this DIMM's SMBIOS name`, source };
    const loc = DIMM_LOCATION.exec(e.detail ?? '')?.[1];
    const byLoc = loc ? idx.prefix(loc) : undefined;
    if (byLoc) return { dimm: byLoc, ...(label ? { label } : {}), how: `the kernel printed "DIMM location: ${dimmName(byLoc)}"`, source };
    const byAddr = e.physAddr !== undefined ? idx.address(e.physAddr) : undefined;
    if (byAddr) return { dimm: byAddr.dimm, ...(label ? { label } : {}), how: byAddr.how, source };
  }
  if (named) return { label: label!, how: named, source };
  if (label) return { label, how: `the platform names it "${label}"${edacPlace(e) ? ` (${edacPlace(e)})` : ''}`, source };
  if (h !== undefined) return { label: `SMBIOS handle ${hex4(h)}`, how: 'the error names this SMBIOS handle (no SMBIOS table was given to name it)', source };
  const place = cperPlace(e);
  if (place) return { label: place, how: `the firmware's memory error record places it there (CPER node/card/module, as cper_mem_err_location prints them)`, source };
  return undefined;
}

/** A machine check a DIMM can cause: a memory-controller error (a cache or bus error's
 * address is memory the CPU touched, not memory that failed). */
export function isMemoryControllerError(mc: MachineCheck): boolean {
  return mceDetails(mc).code.errorClass === 'memory-controller';
}
