// EDAC's sysfs tables, as drivers/edac/edac_mc_sysfs.c makes them under
// /sys/devices/system/edac/mc:
//   mcN/         mci_attrs: mc_name, size_mb, ce_count, ue_count, ce_noinfo_count,
//                ue_noinfo_count, seconds_since_reset (and reset_counters, max_location, ...)
//   mcN/dimmN/   dimm_attrs (edac_create_dimm_object; "rankN" when mci->csbased): dimm_label,
//   mcN/rankN/   dimm_location ("channel 0 slot 1 ", edac_dimm_info_location), size (MiB),
//                dimm_mem_type, dimm_dev_type, dimm_edac_mode, dimm_ce_count, dimm_ue_count
//   mcN/csrowN/  the legacy layout (CONFIG_EDAC_LEGACY_SYSFS, the only one before 3.6):
//                size_mb, mem_type, dev_type, edac_mode, ce_count, ue_count, and per channel
//                chX_dimm_label, chX_ce_count (X < 8: dynamic_csrow_dimm_attr)
// Only populated DIMMs get a folder ("Only expose populated DIMMs"). An unset label reads
// empty (dimmdev_label_show returns 0).
// A collect entry holds the same files flattened into one folder, the path's parts joined
// by ':' ("mc0:dimm3:dimm_label"), as archive file names cannot hold '/' (src/collect/names.ts).

/** A sysfs attribute is at most a page (PAGE_SIZE 4096 on x86_64 and most arm64). */
export const MAX_FILE_BYTES = 4096;
export const MAX_CONTROLLERS = 64;
export const MAX_DIMMS_PER_CONTROLLER = 4096;
/** Entries looked at in one folder (mcN holds its DIMMs and a few attributes and links). */
export const MAX_FOLDER_ENTRIES = 2 * MAX_DIMMS_PER_CONTROLLER + 64;
/** Legacy channels per csrow: ch0..ch7 (edac_mc_sysfs.c dynamic_csrow_dimm_attr). */
export const MAX_LEGACY_CHANNELS = 8;

export const MC_DIR = /^mc(\d{1,5})$/;
export const DIMM_DIR = /^(dimm|rank|csrow)(\d{1,5})$/;
export const FLAT_SEPARATOR = ':';

/** mcN files read. */
export const MC_FILES = ['mc_name', 'size_mb', 'ce_count', 'ue_count', 'ce_noinfo_count', 'ue_noinfo_count', 'seconds_since_reset'] as const;
/** dimmN/rankN files read. */
export const DIMM_FILES = ['dimm_label', 'dimm_location', 'size', 'dimm_mem_type', 'dimm_dev_type', 'dimm_edac_mode', 'dimm_ce_count', 'dimm_ue_count'] as const;
/** csrowN files read (chX_dimm_label and chX_ce_count besides). */
export const CSROW_FILES = ['size_mb', 'mem_type', 'dev_type', 'edac_mode', 'ce_count', 'ue_count'] as const;
export const CSROW_CHANNEL_FILE = /^ch([0-7])_(dimm_label|ce_count)$/;

/** edac_mc.c edac_layer_name[]: the words dimm_location and the error lines use. */
export const LAYER_NAMES = ['branch', 'channel', 'slot', 'csrow', 'memory'] as const;

/** Is `name` one of the files collect archives and the reader reads, in a folder of `kind`? */
export function isEdacFile(kind: 'mc' | 'dimm' | 'rank' | 'csrow', name: string): boolean {
  if (kind === 'mc') return (MC_FILES as readonly string[]).includes(name);
  if (kind === 'csrow') return (CSROW_FILES as readonly string[]).includes(name) || CSROW_CHANNEL_FILE.test(name);
  return (DIMM_FILES as readonly string[]).includes(name);
}
