// mcelog's Intel decode, for the differential test (mcelog-diff.test.ts): what
// `mcelog --ascii` prints for a record's MCi_STATUS, read back into a comparable key.
//
// mcelogDecode() transcribes mcelog's p4.c decode_mci() / decode_mca() and intel.c /
// nehalem.c decode_memory_controller() (andikleen/mcelog, master as of 2024: the
// "Memory as cache" branch, the Level-0..3 LL strings, "Request-did-not-timeout"), printing
// the same lines mcelog prints. It stands in for the binary where mcelog is not installed;
// parseMcelogRecord() reads either. The keys name the SDM fields as numbers
// (Vol. 3B §16.9, tables 16-7..16-13), so both tools' words reduce to the same form.

const MCI = { VAL: 1n << 63n, OVER: 1n << 62n, UC: 1n << 61n, PCC: 1n << 57n };
const SIMPLE = ['No Error', 'Unclassified', 'Microcode ROM parity error', 'External error', 'FRC error', 'Internal parity error', 'SMM Handler Code Access Violation'];
const TT = ['Instruction', 'Data', 'Generic', 'Unknown'];
const LL = ['Level-0', 'Level-1', 'Level-2', 'Level-3'];
const RRRR = ['Generic', 'Read', 'Write', 'Data-Read', 'Data-Write', 'Instruction-Fetch', 'Prefetch', 'Eviction', 'Snoop'];
const PP = ['Local-CPU-originated-request', 'Responed-to-request', 'Observed-error-as-third-party', 'Generic'];
const T = ['Request-did-not-timeout', 'Request-timed-out'];
const II = ['Memory-access', 'Reserved', 'IO', 'Other-transaction'];
const MMM = ['GEN', 'RD', 'WR', 'AC', 'MS', 'RES5', 'RES6', 'RES7'];

const testPrefix = (nr: number, v: number): boolean => v >> nr === 1;
const rrrr = (r: number): string => RRRR[r] ?? 'UNKNOWN';
const memory = (mca: number): string => `MEMORY CONTROLLER ${MMM[(mca >> 4) & 7]}_CHANNEL${(mca & 0xf) === 0xf ? 'unspecified' : String(mca & 0xf)}_ERR`;

/** The lines of p4.c decode_mca() for MCACOD `code` (socket 0, cpu 0). */
function decodeMca(code: number): string[] {
  const out: string[] = [];
  let mca = code;
  if (mca & 0x1000) { out.push('corrected filtering (some unreported errors in same region)'); mca &= ~0x1000; }
  if (mca < SIMPLE.length) out.push(SIMPLE[mca]!);
  else if (mca >> 2 === 3) out.push(`${LL[mca & 3]} Generic cache hierarchy error`);
  else if (testPrefix(4, mca)) out.push(`${TT[(mca >> 2) & 3]} TLB ${LL[mca & 3]} Error`);
  else if (testPrefix(8, mca)) out.push(`${TT[(mca >> 2) & 3]} CACHE ${LL[(mca & 3) + 1] ?? 'UNKNOWN'} ${rrrr((mca >> 4) & 0xf)} Error`);
  else if (testPrefix(9, mca) && ((mca >> 7) & 3) === 1) out.push(`Memory as cache: ${memory(mca)}`);
  else if (testPrefix(10, mca)) out.push(mca === 0x400 ? 'Internal Timer error' : `Internal unclassified error: ${(mca & 0xffff).toString(16)}`);
  else if (testPrefix(11, mca)) out.push(`BUS error: 0 0 ${LL[mca & 3]} ${PP[(mca >> 9) & 3]} ${rrrr((mca >> 4) & 0xf)} ${II[(mca >> 2) & 3]} ${T[(mca >> 8) & 1]}`);
  else if (testPrefix(7, mca)) out.push(memory(mca));
  else out.push(`Unknown Error ${mca.toString(16)}`);
  return out;
}

/** The status lines of p4.c decode_mci() that the comparison reads, then "MCA: ...". */
export function mcelogDecode(status: bigint): string[] {
  const out = ['MCi status:'];
  if (!(status & MCI.VAL)) out.push('Machine check not valid');
  if (status & MCI.OVER) out.push('Error overflow');
  out.push(status & MCI.UC ? 'Uncorrected error' : 'Corrected error');
  if (status & MCI.PCC) out.push('Processor context corrupt');
  const [first, ...rest] = decodeMca(Number(status & 0xffffn));
  return [...out, `MCA: ${first}`, ...rest];
}

export interface Decoded { key: string; flags: string }

const idx = (list: readonly string[], word: string | undefined): string => {
  const i = list.indexOf(word ?? '');
  return i < 0 ? 'R' : String(i);
};

/** One record of mcelog's output (the lines between two of our end markers) as a key. */
export function parseMcelogRecord(lines: readonly string[]): Decoded {
  const flags = ['Machine check not valid', 'Error overflow', 'Uncorrected error', 'Processor context corrupt'].map((f) => (lines.includes(f) ? '1' : '0')).join('');
  const at = lines.findIndex((l) => l.startsWith('MCA: '));
  if (at < 0) return { key: 'no MCA line', flags };
  let text = lines[at]!.slice(5);
  if (text.startsWith('corrected filtering')) text = lines[at + 1] ?? '';
  return { key: mcelogKey(text), flags };
}

function mcelogKey(text: string): string {
  const s = SIMPLE.indexOf(text);
  if (s >= 0) return `simple:${s}`;
  let m = /^(\S+) Generic cache hierarchy error$/.exec(text);
  if (m) return `gcache:${idx(LL, m[1])}`;
  if ((m = /^(\S+) TLB (\S+) Error$/.exec(text))) return `tlb:${idx(TT, m[1])}:${idx(LL, m[2])}`;
  // mcelog numbers cache levels from 1 (LL + 1), UNKNOWN for LL 3: back to the SDM's LL.
  if ((m = /^(\S+) CACHE (\S+) (\S+) Error$/.exec(text))) return `cache:${idx(TT, m[1])}:${m[2] === 'UNKNOWN' ? '3' : String(LL.indexOf(m[2]!) - 1)}:${idx(RRRR, m[3])}`;
  if ((m = /^(Memory as cache: )?MEMORY CONTROLLER (\w+)_CHANNEL(\w+)_ERR$/.exec(text))) return `${m[1] ? 'xmem' : 'mem'}:${idx(MMM, m[2]) === 'R' ? 'R' : Math.min(MMM.indexOf(m[2]!), 5)}:${m[3] === 'unspecified' ? 15 : Number(m[3])}`;
  if (text === 'Internal Timer error') return 'timer';
  if (/^Internal unclassified error: [0-9a-f]+$/.test(text)) return 'internal';
  if ((m = /^BUS error: -?\d+ -?\d+ (\S+) (\S+) (\S+) (\S+) (\S+)$/.exec(text))) return `bus:${idx(PP, m[2])}:${idx(RRRR, m[3])}:${idx(II, m[4])}:${idx(T, m[5])}:${idx(LL, m[1])}`;
  if (/^Unknown Error [0-9a-f]+$/.test(text)) return 'unknown';
  return `unparsed: ${text}`;
}

const OUR_SIMPLE = ['none', 'unclassified', 'microcode-rom', 'external', 'frc', 'internal-parity', 'smm'];
const OUR_TT = ['Instruction', 'Data', 'Generic', 'Reserved'];
const OUR_LL = ['level 0', 'level 1', 'level 2', 'generic level'];
const OUR_RRRR = ['generic', 'read', 'write', 'data read', 'data write', 'instruction fetch', 'prefetch', 'eviction', 'snoop'];
const OUR_PP = ['local processor originated request', 'local processor responded to request', 'local processor observed error as third party', 'generic participation'];
const OUR_II = ['memory access', 'reserved', 'I/O', 'other transaction'];
const OUR_MMM = ['generic', 'read', 'write', 'address/command', 'scrubbing'];

/** crashlog's decodeMcacod() result and status words as the same kind of key. */
export function crashlogKey(code: { errorClass: string; text: string }, words: readonly string[]): Decoded {
  const flags = [words.includes('not valid'), words.includes('overflow (errors lost)'), words.includes('uncorrected'), words.includes('processor context corrupt')].map((b) => (b ? '1' : '0')).join('');
  const text = code.text.replace(/ \(corrected error filtering: [^)]*\)$/, '');
  const s = OUR_SIMPLE.indexOf(code.errorClass);
  if (s >= 0) return { key: `simple:${s}`, flags };
  const key = ((): string => {
    let m = /^Generic cache hierarchy error, (.+)$/.exec(text);
    if (m) return `gcache:${idx(OUR_LL, m[1])}`;
    if ((m = /^(\S+) TLB error, (.+)$/.exec(text))) return `tlb:${idx(OUR_TT, m[1])}:${idx(OUR_LL, m[2])}`;
    if ((m = /^(\S+) cache (level \d|generic level) (.+) error$/.exec(text))) return `cache:${idx(OUR_TT, m[1])}:${idx(OUR_LL, m[2])}:${idx(OUR_RRRR, m[3])}`;
    if ((m = /^(Extended memory \(memory as cache\) controller|Memory controller) (.+) error, channel (\d+)/.exec(text))) {
      return `${m[1]!.startsWith('Extended') ? 'xmem' : 'mem'}:${/^reserved transaction/.test(m[2]!) ? 5 : idx(OUR_MMM, m[2])}:${m[3]}`;
    }
    if (code.errorClass === 'internal-timer') return 'timer';
    if (code.errorClass === 'internal') return 'internal';
    if (code.errorClass === 'io') return 'io';
    if ((m = /^Bus\/interconnect error: (.+), (.+), (.+), (no timeout|timed out), (.+)$/.exec(text))) {
      return `bus:${idx(OUR_PP, m[1])}:${idx(OUR_RRRR, m[2])}:${idx(OUR_II, m[3])}:${m[4] === 'timed out' ? 1 : 0}:${idx(OUR_LL, m[5])}`;
    }
    if (code.errorClass === 'unknown' || code.errorClass === 'reserved') return 'unknown';
    return `unparsed: ${text}`;
  })();
  return { key, flags };
}
