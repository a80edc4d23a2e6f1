// rasdaemon's SQLite database, ras-mc_event.db. Tables and columns as rasdaemon creates
// them (ras-record.c: mc_event_tab, aer_event_tab, mce_record_tab; ras-mce-handler.c
// fills mce_record from the kernel's mce_record tracepoint, i.e. struct mce). Columns
// newer rasdaemons add (synd, ipid, ppin, microcode) are read when present.

export const SQLITE_MAGIC = 'SQLite format 3\0';
export const RASDAEMON_TABLES = ['mce_record', 'mc_event', 'aer_event'] as const;

/** mce_record columns read when the table has them: synd, ipid, microcode (newer
 * rasdaemons), mcgcap (MCG_CAP, every rasdaemon: its SER_P bit decides the grading). */
export const MCE_RECORD_OPTIONAL = ['synd', 'ipid', 'microcode', 'mcgcap'] as const;

/** The CREATE TABLE statements rasdaemon 0.6.8 issues (test builders and the bench use them). */
export const RASDAEMON_SCHEMA: Record<(typeof RASDAEMON_TABLES)[number], string> = {
  mce_record: 'CREATE TABLE mce_record (id INTEGER PRIMARY KEY, timestamp TEXT, mcgcap INTEGER, mcgstatus INTEGER, status INTEGER, addr INTEGER, misc INTEGER, ip INTEGER, tsc INTEGER, walltime INTEGER, cpu INTEGER, cpuid INTEGER, apicid INTEGER, socketid INTEGER, cs INTEGER, bank INTEGER, cpuvendor INTEGER, bank_name TEXT, error_msg TEXT, mcgstatus_msg TEXT, mcistatus_msg TEXT, mcastatus_msg TEXT, user_action TEXT, mc_location TEXT)',
  mc_event: 'CREATE TABLE mc_event (id INTEGER PRIMARY KEY, timestamp TEXT, err_count INTEGER, err_type TEXT, err_msg TEXT, label TEXT, mc INTEGER, top_layer INTEGER, middle_layer INTEGER, lower_layer INTEGER, address INTEGER, grain INTEGER, syndrome INTEGER, driver_detail TEXT)',
  aer_event: 'CREATE TABLE aer_event (id INTEGER PRIMARY KEY, timestamp TEXT, dev_name TEXT, err_type TEXT, err_msg TEXT)',
};
