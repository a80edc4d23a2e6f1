// A machine check's registers bit by bit: MCi_STATUS (Intel SDM Vol. 3B 16.3.2.2, AMD APM
// Vol. 2 9.3.2.2 MCA_STATUS; bit names from src/mce/bits.ts), MCG_STATUS and MCi_MISC's
// address mode, beside the decoder's summary.
import type { DecodedMce } from '../../model/index.js';
import { MCI, MCG_NAMES, bit, correctedCount, field, mcacod, miscAddress, mscod, thresholdStatus } from '../../mce/bits.js';
import { esc } from './esc.js';

interface BitRow { bits: string; name: string; value: string; meaning: string; set?: boolean }

function statusRows(s: bigint, amd: boolean): BitRow[] {
  const flag = (n: number, name: string, on: string, off = ''): BitRow =>
    ({ bits: String(n), name, value: bit(s, n) ? '1' : '0', meaning: bit(s, n) ? on : off, set: bit(s, n) });
  const rows: BitRow[] = [
    flag(MCI.VAL, 'VAL', 'the register holds a valid error', 'not valid: the rest means nothing'),
    flag(MCI.OVER, 'OVER', 'overflow: an error was lost'),
    flag(MCI.UC, 'UC', 'uncorrected', 'corrected'),
    flag(MCI.EN, 'EN', 'error reporting enabled', 'reporting not enabled'),
    flag(MCI.MISCV, 'MISCV', 'MCi_MISC valid'),
    flag(MCI.ADDRV, 'ADDRV', 'MCi_ADDR valid'),
    flag(MCI.PCC, 'PCC', 'processor context corrupt: cannot restart'),
    amd ? flag(MCI.S, 'ErrCoreIdVal', 'the core id is valid') : flag(MCI.S, 'S', 'signaled by #MC (SER)'),
    amd ? flag(MCI.AR, 'TCC', 'task context corrupt') : flag(MCI.AR, 'AR', 'action required (SER)'),
  ];
  if (amd) {
    rows.push(flag(MCI.DEFERRED, 'Deferred', 'deferred error (not yet consumed)'), flag(MCI.POISON, 'Poison', 'poisoned data consumed'));
  } else {
    rows.push({ bits: '54:53', name: 'threshold', value: String(field(s, 53, 2)), meaning: thresholdStatus(s) },
      { bits: '52:38', name: 'corrected count', value: String(correctedCount(s)), meaning: 'corrected errors counted by this bank' });
  }
  rows.push({ bits: '31:16', name: 'MSCOD', value: `0x${mscod(s).toString(16).padStart(4, '0')}`, meaning: 'model-specific error code' },
    { bits: '15:0', name: 'MCACOD', value: `0x${mcacod(s).toString(16).padStart(4, '0')}`, meaning: 'architectural error code (decoded in the summary)' });
  return rows;
}

export function mceBitsHtml(m: DecodedMce): string {
  let s: bigint;
  try { s = BigInt(m.status); } catch { return ''; }
  const amd = /amd|hygon/i.test(m.cpuVendor ?? '');
  const rows = statusRows(s, amd).map((r) => `<tr${r.set ? ' class="set"' : ''}><td>${esc(r.bits)}</td><th scope="row">${esc(r.name)}</th><td>${esc(r.value)}</td><td>${esc(r.meaning)}</td></tr>`);
  const extra: string[] = [];
  if (m.mcgStatus) {
    try {
      const g = BigInt(m.mcgStatus);
      extra.push(`MCG_STATUS ${esc(m.mcgStatus)}: ${MCG_NAMES.map(([n, name]) => `${name}=${bit(g, n) ? 1 : 0}`).join(' ')}`);
    } catch { /* shown as given in the summary */ }
  }
  if (m.misc) {
    try {
      const a = miscAddress(BigInt(m.misc));
      extra.push(`MCi_MISC ${esc(m.misc)}: address mode ${esc(a.mode)}, recoverable address LSB ${a.lsb}`);
    } catch { /* as above */ }
  }
  if (m.addr) extra.push(`MCi_ADDR ${esc(m.addr)}`);
  const where = [m.cpu !== undefined ? `CPU ${m.cpu}` : '', m.socket !== undefined ? `socket ${m.socket}` : '', `bank ${m.bank}`, m.time ?? ''].filter(Boolean).join(', ');
  return `<table class="bits" data-role="mce-bits"><caption>MCi_STATUS ${esc(m.status)} (${esc(where)}): ${esc(m.severity)}, ${esc(m.errorClass)}</caption>` +
    `<thead><tr><th scope="col">bits</th><th scope="col">field</th><th scope="col">value</th><th scope="col">meaning</th></tr></thead><tbody>${rows.join('')}</tbody></table>` +
    (extra.length ? `<p class="regs">${extra.join('<br>')}</p>` : '') + `<p>${esc(m.summary)}</p>`;
}
