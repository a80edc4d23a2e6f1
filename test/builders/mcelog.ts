// mcelog log text as mcelog.c dump_mce() prints it, from register values.
export interface McelogRecord {
  cpu: number; bank: number; status: bigint; mcgstatus: bigint; addr?: bigint; misc?: bigint; tsc?: bigint;
  time?: number; ip?: bigint; apicid?: number; socket?: number; family?: number; model?: number; step?: number; vendor?: string;
  decode?: string[];
  /** MCG_CAP (default 0x100010a, SER_P set); 0 leaves it out, as dump_mce() does. */
  mcgcap?: bigint;
  /** What bankname() printed instead of "BANK n" (K8 "4 northbridge", "THERMAL EVENT"). */
  bankName?: string;
  /** A model decoder's unit prefix left open before STATUS ("M2M: ", "PCU: Internal errors "). */
  unit?: string;
}

const h = (v: bigint | number): string => v.toString(16);

/** asctime(): "Sun Nov  9 19:09:58 2014", as mcelog prints TIME. */
function asctime(sec: number): string {
  const d = new Date(sec * 1000);
  const [wd, , mon, year, hms] = d.toUTCString().split(' ');
  return `${wd!.slice(0, 3)} ${mon} ${String(d.getUTCDate()).padStart(2)} ${hms} ${year}`;
}

export function mcelogText(records: McelogRecord[], opts: { syslog?: boolean } = {}): string {
  const lines: string[] = [];
  records.forEach((r, i) => {
    lines.push('Hardware event. This is not a software error.', `MCE ${i}`);
    lines.push(`CPU ${r.cpu} ${r.bankName ?? `BANK ${r.bank}`}${r.tsc ? ` TSC ${h(r.tsc)}` : ''}`);
    if (r.ip) lines.push(`RIP !INEXACT! 10:${h(r.ip)}`);
    const am = [r.misc ? `MISC ${h(r.misc)}` : '', r.addr ? `ADDR ${h(r.addr)}` : ''].filter(Boolean).join(' ');
    if (am) lines.push(am);
    if (r.time) lines.push(`TIME ${r.time} ${asctime(r.time)}`);
    lines.push('MCG status:', 'MCi status:', ...(r.decode ?? []));
    lines.push(`${r.unit ?? ''}STATUS ${h(r.status)} MCGSTATUS ${h(r.mcgstatus)}`);
    const cap = r.mcgcap ?? 0x100010an;
    lines.push(`${cap ? `MCGCAP ${h(cap)} ` : ''}APICID ${h(r.apicid ?? r.cpu)} SOCKETID ${h(r.socket ?? 0)} `);
    lines.push(`CPUID Vendor ${r.vendor ?? 'Intel'} Family ${r.family ?? 6} Model ${r.model ?? 85}${r.step !== undefined ? ` Step ${r.step}` : ''}`);
  });
  const prefix = opts.syslog ? 'Nov 22 19:32:17 host mcelog[665]: ' : '';
  return lines.map((l) => prefix + l).join('\n') + '\n';
}
