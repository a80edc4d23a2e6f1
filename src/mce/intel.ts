// Intel architectural MCA error codes (MCACOD, MCi_STATUS bits 15:0): Intel SDM Vol. 3B
// §16.9 "Interpreting the MCA Error Codes", table 16-7 (simple) and tables 16-8..16-13
// (compound: generic cache hierarchy, TLB, memory controller, cache hierarchy, extended
// memory, bus/interconnect). AMD's legacy banks use the same compound encoding.
// Bit 12 (F, "corrected error filtering", SDM §16.9.2) is not part of the code: it is
// masked before decoding, as the kernel (severity.c MCACOD 0xefff), mcelog (p4.c
// decode_mca) and rasdaemon (mce-intel.c) do.
import { hex4 } from './bits.js';

export interface ErrorCode {
  /** 'memory-controller', 'cache', 'tlb', 'bus', 'internal', 'io', ... */
  errorClass: string;
  text: string;
}

/** MCACOD bit 12: the correction report filtering bit. */
export const MCACOD_FILTER = 0x1000;

/** Table 16-7, simple error codes (bits 15:13 and 12 clear). */
const SIMPLE: Record<number, ErrorCode> = {
  0x0000: { errorClass: 'none', text: 'No error' },
  0x0001: { errorClass: 'unclassified', text: 'Unclassified error' },
  0x0002: { errorClass: 'microcode-rom', text: 'Microcode ROM parity error' },
  0x0003: { errorClass: 'external', text: 'External error (BINIT# from another processor)' },
  0x0004: { errorClass: 'frc', text: 'Functional redundancy check master/slave error' },
  0x0005: { errorClass: 'internal-parity', text: 'Internal parity error' },
  0x0006: { errorClass: 'smm', text: 'SMM handler code access violation' },
  0x0400: { errorClass: 'internal-timer', text: 'Internal timer error' },
  0x0e0b: { errorClass: 'io', text: 'Generic I/O error' },
};

/** TT: transaction type; LL: memory hierarchy level; RRRR: request; PP, T, II: bus fields. */
const TT = ['Instruction', 'Data', 'Generic', 'Reserved'] as const;
const LL = ['level 0', 'level 1', 'level 2', 'generic level'] as const;
const RRRR = ['generic', 'read', 'write', 'data read', 'data write', 'instruction fetch', 'prefetch', 'eviction', 'snoop'] as const;
const PP = ['local processor originated request', 'local processor responded to request', 'local processor observed error as third party', 'generic participation'] as const;
const II = ['memory access', 'reserved', 'I/O', 'other transaction'] as const;
/** Table 16-13, MMM (101..111 reserved). */
const MMM = ['generic', 'read', 'write', 'address/command', 'scrubbing'] as const;

const request = (r: number): string => RRRR[r] ?? `reserved request ${r}`;

/** Memory controller channel (CCCC); 15 means the channel is not specified. */
export const channelText = (c: number): string => (c === 0xf ? 'channel 15 (unspecified)' : `channel ${c}`);

const memoryText = (c: number): string => {
  const mmm = (c >> 4) & 7;
  return `${MMM[mmm] ?? `reserved transaction ${mmm}`} error, ${channelText(c & 0xf)}`;
};

/**
 * The compound code's kind, by the prefix that has exactly one set bit above the
 * fields (SDM table 16-8, "000F 0000 0000 11LL" etc.): the same test as mcelog's
 * test_prefix(). Input has bit 12 already cleared.
 */
function compound(c: number): ErrorCode | undefined {
  const ll = c & 3;
  if (c >> 2 === 0x3) return { errorClass: 'cache', text: `Generic cache hierarchy error, ${LL[ll]}` };
  if (c >> 4 === 0x1) return { errorClass: 'tlb', text: `${TT[(c >> 2) & 3]} TLB error, ${LL[ll]}` };
  if (c >> 7 === 0x1) return { errorClass: 'memory-controller', text: `Memory controller ${memoryText(c)}` };
  if (c >> 8 === 0x1) return { errorClass: 'cache', text: `${TT[(c >> 2) & 3]} cache ${LL[ll]} ${request((c >> 4) & 0xf)} error` };
  // 0000 0010 1MMM CCCC: the memory controller of memory used as a cache (2LM near memory).
  if (c >> 7 === 0x5) return { errorClass: 'memory-controller', text: `Extended memory (memory as cache) controller ${memoryText(c)}` };
  if (c >> 11 === 0x1) {
    const pp = (c >> 9) & 3, t = (c >> 8) & 1, ii = (c >> 2) & 3;
    return { errorClass: 'bus', text: `Bus/interconnect error: ${PP[pp]}, ${request((c >> 4) & 0xf)}, ${II[ii]}, ${t ? 'timed out' : 'no timeout'}, ${LL[ll]}` };
  }
  return undefined;
}

function classify(c: number): ErrorCode {
  const simple = SIMPLE[c];
  if (simple) return simple;
  // 0000 01xx xxxx xxxx: internal, model-specific (table 16-7).
  if (c >> 10 === 0x1) return { errorClass: 'internal', text: `Internal unclassified error ${hex4(c)}` };
  if (c & 0xe000) return { errorClass: 'reserved', text: `Reserved error code ${hex4(c)}` };
  return compound(c) ?? { errorClass: 'unknown', text: `Unknown error code ${hex4(c)}` };
}

export function decodeMcacod(code: number): ErrorCode {
  if (!(code & MCACOD_FILTER)) return classify(code);
  const d = classify(code & ~MCACOD_FILTER);
  return { errorClass: d.errorClass, text: `${d.text} (corrected error filtering: some unreported errors in the same region)` };
}
