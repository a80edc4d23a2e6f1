// Ramoops module parameters from read options (`record_size: "0x10000"`) or from a kernel
// command line string (`cmdline: "ramoops.mem_size=0x100000 ramoops.ecc=16"`), names as in
// fs/pstore/ram.c module_param()s. Missing sizes take ram.c's defaults.
import type { ReadOptions } from '../../src/backend.js';
import { MIN_MEM_SIZE, type RamoopsParams } from './layout.js';

const KEYS = ['mem_size', 'record_size', 'console_size', 'ftrace_size', 'pmsg_size', 'ecc', 'flags', 'max_reason', 'ftrace_cpus'] as const;

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return Math.floor(v);
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (!/^(0x[0-9a-f]+|\d+)([kmg])?$/i.test(s)) return undefined;
  const m = /^(0x[0-9a-f]+|\d+)([kmg])?$/i.exec(s)!;
  const n = Number(m[1]);
  const mul = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase() as 'k' | 'm' | 'g'] ?? 1;
  return n * mul;
}

/**
 * The module parameters named in the options: a `cmdline` string, keys as ram.c names them
 * (`record_size`), or as the command line does (`ramoops.record_size`, as `--opt` passes them).
 */
export function givenParams(options: ReadOptions): Record<string, number> {
  const given: Record<string, number> = {};
  const cmdline = options['cmdline'];
  if (typeof cmdline === 'string') {
    for (const word of cmdline.split(/\s+/)) {
      const m = /^ramoops\.([a-z_]+)=(.+)$/.exec(word);
      const n = m ? toNumber(m[2]) : undefined;
      if (m && n !== undefined) given[m[1]!] = n;
    }
  }
  for (const k of KEYS) {
    const n = toNumber(options[k] ?? options[`ramoops.${k}`]);
    if (n !== undefined) given[k] = n;
  }
  return given;
}

/** The parameters named in options, or undefined when none are (then the region is scanned). */
export function paramsFromOptions(options: ReadOptions, regionSize: number): RamoopsParams | undefined {
  const given = givenParams(options);
  if (given['record_size'] === undefined && given['mem_size'] === undefined) return undefined;
  return {
    memSize: Math.min(given['mem_size'] ?? regionSize, regionSize),
    recordSize: given['record_size'] ?? MIN_MEM_SIZE,
    consoleSize: given['console_size'] ?? MIN_MEM_SIZE,
    ftraceSize: given['ftrace_size'] ?? MIN_MEM_SIZE,
    pmsgSize: given['pmsg_size'] ?? MIN_MEM_SIZE,
    ecc: given['ecc'] ?? 0,
    flags: given['flags'] ?? 0,
    ftraceCpus: given['ftrace_cpus'] ?? 1,
  };
}
