// Intel architectural MCA error codes (MCACOD, MCi_STATUS bits 15:0): Intel SDM Vol. 3B
// §16.9 "Interpreting the MCA Error Codes", tables 16-7 (simple) and 16-8..16-12
// (compound: TLB, memory hierarchy, bus/interconnect, memory controller). AMD's legacy
// banks use the same compound encoding in their error code field.
import { hex4 } from './bits.js';

export interface ErrorCode {
  /** 'memory-controller', 'cache', 'tlb', 'bus', 'internal', 'io', ... */
  errorClass: string;
  text: string;
}

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
const MMM = ['generic', 'read', 'write', 'address/command', 'scrubbing'] as const;

const request = (r: number): string => RRRR[r] ?? `reserved request ${r}`;

/** Memory controller channel (CCCC); 15 means the channel is not specified. */
export const channelText = (c: number): string => (c === 0xf ? 'channel 15 (unspecified)' : `channel ${c}`);

export function decodeMcacod(code: number): ErrorCode {
  const simple = SIMPLE[code];
  if (simple) return simple;
  if ((code & 0xfc00) === 0x0400) return { errorClass: 'internal', text: `Internal unclassified error ${hex4(code)}` };
  if ((code & 0xe000) !== 0) return { errorClass: 'reserved', text: `Reserved error code ${hex4(code)}` };
  // Bit 12 (F) is the correction report filtering bit: not part of the type.
  const c = code & 0x0fff;
  const ll = c & 3;
  if (c & 0x0800) {
    const pp = (c >> 9) & 3, t = (c >> 8) & 1, rrrr = (c >> 4) & 0xf, ii = (c >> 2) & 3;
    return { errorClass: 'bus', text: `Bus/interconnect error: ${PP[pp]}, ${request(rrrr)}, ${II[ii]}, ${t ? 'timed out' : 'no timeout'}, ${LL[ll]}` };
  }
  if ((c & 0x0f00) === 0x0100) {
    const rrrr = (c >> 4) & 0xf, tt = (c >> 2) & 3;
    return { errorClass: 'cache', text: `${TT[tt]} cache ${LL[ll]} ${request(rrrr)} error` };
  }
  if ((c & 0x0f80) === 0x0080) {
    const mmm = (c >> 4) & 7, ch = c & 0xf;
    const what = MMM[mmm] ?? `reserved transaction ${mmm}`;
    return { errorClass: 'memory-controller', text: `Memory controller ${what} error, ${channelText(ch)}` };
  }
  if ((c & 0x0ff0) === 0x0010) {
    const tt = (c >> 2) & 3;
    return { errorClass: 'tlb', text: `${TT[tt]} TLB error, ${LL[ll]}` };
  }
  if ((c & 0x0ffc) === 0x000c) return { errorClass: 'cache', text: `Generic cache hierarchy error, ${LL[ll]}` };
  return { errorClass: 'unknown', text: `Unknown error code ${hex4(code)}` };
}
