// mcelog log text as mcelog.c dump_mce() prints it, from register values.
export interface McelogRecord {
  cpu: number; bank: number; status: bigint; mcgstatus: bigint; addr?: bigint; misc?: bigint; tsc?: bigint;
  time?: number; ip?: bigint; apicid?: number; socket?: number; family?: number; model?: number; vendor?: string;
  decode?: string[];
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
    lines.push(`CPU ${r.cpu} BANK ${r.bank}${r.tsc ? ` TSC ${h(r.tsc)}` : ''}`);
    if (r.ip) lines.push(`RIP !INEXACT! 10:${h(r.ip)}`);
    const am = [r.misc ? `MISC ${h(r.misc)}` : '', r.addr ? `ADDR ${h(r.addr)}` : ''].filter(Boolean).join(' ');
    if (am) lines.push(am);
    if (r.time) lines.push(`TIME ${r.time} ${asctime(r.time)}`);
    lines.push('MCG status:', 'MCi status:', ...(r.decode ?? []));
    lines.push(`STATUS ${h(r.status)} MCGSTATUS ${h(r.mcgstatus)}`);
    lines.push(`MCGCAP 100010a APICID ${h(r.apicid ?? r.cpu)} SOCKETID ${r.socket ?? 0}`);
    lines.push(`CPUID Vendor ${r.vendor ?? 'Intel'} Family ${r.family ?? 6} Model ${r.model ?? 85}`);
  });
  const prefix = opts.syslog ? 'Nov 22 19:32:17 host mcelog[665]: ' : '';
  return lines.map((l) => prefix + l).join('\n') + '\n';
}
