// Reading a vmcore: its notes as a DumpNote, then its printk log, line by line.
import type { ReadContext } from '../../src/backend.js';
import type { CrashRecord, DumpNote, KernelMessage } from '../../src/model/index.js';
import { FormatError, messageOf } from '../../src/util/errors.js';
import { readPrintkLog } from '../../src/vmcore/printk/index.js';
import { openDump } from '../../src/vmcore/open.js';

export async function* readVmcore(path: string, ctx: ReadContext): AsyncIterable<CrashRecord> {
  const avoid: bigint[] = [];
  for (const a of ([] as unknown[]).concat(ctx.options.avoid ?? [])) {
    if (typeof a === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(a)) avoid.push(BigInt(a));
    else ctx.problem({ path, message: `avoid: not an address: ${String(a)}` });
  }
  let dump;
  try {
    dump = await openDump(path, { avoid });
  } catch (err) {
    // Nothing of this dump is readable (bad header): one problem, no records.
    ctx.problem({ path, ...(err instanceof FormatError && err.offset !== undefined && { offset: err.offset }), message: err instanceof FormatError ? err.detail : messageOf(err) });
    return;
  }
  try {
    for (const p of dump.problems) ctx.problem(p);
    const seen = dump.problems.length;
    const note: DumpNote = { kind: 'dump', source: { backend: 'vmcore', path } };
    if (dump.release) note.release = dump.release;
    if (dump.crashTime) note.crashTime = dump.crashTime;
    if (dump.noCoredumpReason) note.noCoredumpReason = dump.noCoredumpReason;
    if (dump.live) note.live = true;
    const kaslr = dump.vmcoreinfo?.get('KERNELOFFSET');
    if (kaslr !== undefined && /^[0-9a-f]{1,16}$/i.test(kaslr)) note.kernelOffset = BigInt(`0x${kaslr}`);
    if (avoid.length) note.avoided = avoid.map((a) => a - (a % BigInt(dump.phys.pageSize)));
    if (dump.cpus.length) note.cpus = dump.cpus.map((c) => ({ cpu: c.cpu, ...(c.pid !== undefined && { pid: c.pid }), ...(c.ip !== undefined && { ip: c.ip }), ...(c.sp !== undefined && { sp: c.sp }) }));
    yield note;
    if (dump.format === 'slim') return;
    try {
      for await (const e of readPrintkLog(dump)) {
        if (e.kind === 'gap') {
          ctx.problem({ path, message: `log gap: ${e.length} bytes at virtual address 0x${e.vaddr.toString(16)} unreadable (${e.reason})` });
          continue;
        }
        for (const [i, line] of e.text.split('\n').entries()) {
          // The dump's log is one record (no per-line `id`: the timeline cuts segments where
          // the record id changes); a line is found again by m.seq, and `part` for the lines
          // after the first of a multi-line record.
          const m: KernelMessage = { kind: 'kmsg', text: line, source: { backend: 'vmcore', path, ...(i > 0 && { part: i }) } };
          m.tsNs = e.tsNs;
          m.seq = e.seq;
          m.level = e.level;
          m.facility = e.facility;
          if (e.caller !== undefined) m.caller = e.caller;
          if (e.device !== undefined) m.device = e.device;
          yield m;
        }
      }
    } catch (err) {
      ctx.problem({ path, message: `reading the log: ${messageOf(err)}` });
    }
    for (const p of dump.problems.slice(seen)) ctx.problem(p);
  } finally {
    await dump.close();
  }
}
