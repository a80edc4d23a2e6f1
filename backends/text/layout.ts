// The text forms a kernel log takes on its way out (no kernel struct: these are line
// formats). kmsg: Documentation/ABI/testing/dev-kmsg; syslog: RFC 3164 and RFC 5424-ish
// "ISO timestamp host kernel: msg" as rsyslog and journalctl -o short-iso write them.

/** /dev/kmsg: "prio,seq,usec,flags[,more];message" */
export const KMSG_RECORD = /^(\d{1,4}),(\d{1,20}),(\d{1,20}),([^;,]*)(?:,[^;]*)?;(.*)$/s;
/** /dev/kmsg dictionary continuation: " KEY=value" */
export const KMSG_DICT = /^ ([A-Z_]{1,32})=(.*)$/s;
/** "Nov 22 10:00:00 host kernel: msg" */
export const SYSLOG_BSD = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d) (\S{1,255}) kernel: ?(.*)$/s;
/** "2026-11-22T10:00:00.123456+00:00 host kernel: msg" */
export const SYSLOG_ISO = /^(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?) (\S{1,255}) kernel: ?(.*)$/s;
/** A printk time stamp anywhere in a line: serial captures put junk before it. */
export const TIMESTAMP_ANYWHERE = /\[\s{0,12}\d{1,10}\.\d{6}\]/;
/** How far into a line junk before the time stamp is looked through. */
export const MAX_JUNK_BYTES = 256;

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
