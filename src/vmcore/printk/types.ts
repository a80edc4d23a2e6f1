// What readPrintkLog yields. Which fields are filled depends on the printk era:
// caller (CONFIG_PRINTK_CALLER, 5.1+), device (5.10+ dev_info), seq (3.5+).
export interface LogEntry {
  kind: 'entry';
  seq: bigint;
  tsNs: bigint;
  level: number;
  facility: number;
  /** The text decoded as UTF-8; may hold '\n' (multi-line records). */
  text: string;
  /** The text's bytes as stored (vmcore-dmesg escapes non-printable bytes of these). */
  bytes: Uint8Array;
  caller?: string;
  device?: { subsystem: string; device: string };
  /** LOG_CONT: continues the previous record (printk_log / printk_info flags). */
  cont?: boolean;
  /** Virtual address of the record (descriptor / printk_log header). */
  vaddr: bigint;
  /** The text was cut short (text_len beyond the block, a gap inside the text). */
  truncated?: boolean;
}

/** Part of the log that could not be read; output marks it and reading goes on. */
export interface LogGap {
  kind: 'gap';
  vaddr: bigint;
  paddr?: bigint;
  length: number;
  reason: string;
  /** Sequence number of the record(s) lost, when known. */
  seq?: bigint;
}

export type LogItem = LogEntry | LogGap;

export type PrintkEra = 'ringbuffer' | 'printk_log' | 'plain';

export interface PrintkOptions {
  /** Upper bound on records yielded (default MAX_RECORDS). */
  maxRecords?: number;
}
