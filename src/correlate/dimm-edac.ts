// A memory error's DIMM by EDAC's sysfs tables (the edac backend): the error's memory
// controller and layer positions, as the kernel printed them (edac_mc.c
// edac_mc_handle_error: "EDAC MC0: 1 CE ... on <label> (channel:1 slot:0 page:0x...)") or
// rasdaemon stored them (mc_event mc, top/middle/lower_layer), find the one DIMM at that
// place, whose dimm_label is the name the operator wrote into sysfs.
import type { EdacController, EdacDimm, MemoryError } from '../model/index.js';

/**
 * Labels a driver makes when no one set one; they name a slot by numbers, not a DIMM
 * anyone can find in the chassis:
 *   edac_mc.c (edac_mc_alloc, edac_mc_init_labels since 5.9): "mc#%u" then "%s#%u" per layer,
 *     "mc#0csrow#1channel#0", "mc#1channel#2slot#0";
 *   skx_common.c / i10nm: "CPU_SrcID#%u_MC#%u_Chan#%u_DIMM#%u"; sb_edac.c:
 *     "CPU_SrcID#%u_Ha#%u_Chan#%u_DIMM#%u"; i7core_edac.c: "CPU#%uChannel#%u_DIMM#%u";
 *     loongson_edac.c: "MC#%uChannel#%u_DIMM#%u"  (every one a run of NAME#N parts);
 *   i5100_edac.c: "DIMM%u".
 */
const DRIVER_LABEL = /^(?:(?:_?[A-Za-z][A-Za-z_]*#\d+)+|DIMM\d+)$/;

export function isDriverLabel(label: string): boolean {
  return DRIVER_LABEL.test(label.trim());
}

/** edac_layer_name[] words with their positions, as edac_mc_handle_error prints the location. */
const EDAC_LAYER = /\b(branch|channel|slot|csrow|memory):(\d+)/g;

export interface EdacPlace {
  mc: number;
  /** Outermost first; named from a log line, unnamed from rasdaemon (its layers are positional). */
  layers: { name?: string; pos: number }[];
}

/** Where EDAC placed the error: its MC and layers; undefined when it did not say both. */
export function edacPlaceOf(e: MemoryError): EdacPlace | undefined {
  // A log line's MC is its card (src/mce/text.ts); rasdaemon's is in `where` (its card is
  // the same number); a CPER record's card is not an EDAC controller.
  const mc = e.where?.mc ?? (e.source.backend !== 'rasdaemon' && e.label !== undefined ? e.card : undefined);
  if (mc === undefined) return undefined;
  const layers = e.where?.layers?.length ? e.where.layers : [...(e.detail ?? '').matchAll(EDAC_LAYER)].map((m) => ({ name: m[1]!, pos: Number(m[2]) }));
  return layers.length ? { mc, layers } : undefined;
}

export const edacDimmPlace = (d: EdacDimm): string => [`mc ${d.mc}`, ...d.layers.map((l) => `${l.name} ${l.pos}`)].join(' ');

export class EdacIndex {
  private readonly byMc = new Map<number, EdacDimm[]>();

  constructor(controllers: readonly EdacController[]) {
    for (const c of controllers) this.byMc.set(c.mc, [...(this.byMc.get(c.mc) ?? []), ...c.dimms]);
  }

  /**
   * The DIMM at the error's place, when exactly one populated DIMM is there (the kernel's own
   * rule for the label it prints: every DIMM whose location matches the given layers).
   */
  dimmAt(place: EdacPlace): EdacDimm | undefined {
    // An unnamed position past the DIMM's layers is compared with 0: the kernel does the same
    // (dimm->location[] is zeroed past n_layers, and only a negative position is "unused").
    const hits = (this.byMc.get(place.mc) ?? []).filter((d) =>
      place.layers.every((l, i) => (l.name !== undefined ? d.layers.find((x) => x.name === l.name)?.pos : d.layers.length ? (d.layers[i]?.pos ?? 0) : undefined) === l.pos));
    return hits.length === 1 ? hits[0] : undefined;
  }

  /** The operator's label for the error's DIMM: only a label someone set (not a driver default). */
  labelled(e: MemoryError): EdacDimm | undefined {
    const place = edacPlaceOf(e);
    const d = place ? this.dimmAt(place) : undefined;
    return d?.label !== undefined && !isDriverLabel(d.label) ? d : undefined;
  }
}
