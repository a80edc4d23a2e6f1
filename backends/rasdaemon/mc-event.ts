// Where an mc_event row says the error was: rasdaemon stores the kernel's mc_event
// tracepoint (include/trace/events/ras.h: mc_index, top/middle/lower_layer as u8) with
// the layers cast to signed char (ras-mc-handler.c), so an unused layer reads -1 (255
// from a writer that kept the u8). The layer names are not stored; EDAC's order is
// outermost first (edac_mc.c: mci->layers[0..2]).
import type { MemoryLocation } from '../../src/model/index.js';

const LAYERS = ['top_layer', 'middle_layer', 'lower_layer'] as const;
/** EDAC_MAX_LAYERS positions are small; -1 and 255 mean "layer not used". */
const UNUSED = new Set([-1, 255]);

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : undefined;
  return n !== undefined && Number.isInteger(n) ? n : undefined;
};

export function mcEventWhere(row: Record<string, unknown>): MemoryLocation | undefined {
  const where: MemoryLocation = {};
  const mc = num(row.mc);
  if (mc !== undefined && mc >= 0) where.mc = mc;
  const layers: NonNullable<MemoryLocation['layers']> = [];
  for (const l of LAYERS) {
    const pos = num(row[l]);
    if (pos === undefined || UNUSED.has(pos) || pos < 0) break;
    layers.push({ pos });
  }
  if (layers.length) where.layers = layers;
  return Object.keys(where).length ? where : undefined;
}
