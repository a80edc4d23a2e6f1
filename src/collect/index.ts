// src/collect: the archive behind `crashlog collect`, `list` and `report --archive`.
export { collect, type CollectOptions, type CollectResult, type NewEntry } from './collect.js';
export { archiveInputs, DEFAULT_ARCHIVE } from './archive.js';
export { reportInputs } from './list.js';
export { groupBySignature, listArchive, type ListedGroup, type ListedIncident } from './list.js';
export { loadConfig, parseConfig, DEFAULT_CONFIG, type CollectConfig } from './config.js';
export { incidentSignature, normalizeTitle } from './signature.js';
export { journalFallbackLine, journalFields, sendToJournal, defaultSender, MESSAGE_ID, type JournalSender } from './journal.js';
export { DEFAULT_SOURCES, SOURCE_KINDS, type SourceKind, type SourceSpec } from './sources.js';
export { realFs, type FsOps } from './fsops.js';
export { currentBootId, kdumpsSince, markCleanShutdown, startBoot, BOOT_MARK, KDUMP_DIR, type BootMark, type PreviousEnd } from './bootmark.js';
