// A capture of netconsole traffic as kernel messages, one stream per sender (the source
// address: netconsole sends from one address, port 6665 by default). The first pass
// lists the senders; then one pass per sender yields its records in order, so that each
// sender's log reaches the timeline as one run (a capture is never held in memory).
import type { ReadContext } from '../../src/backend.js';
import { InputFile } from '../../src/input/file.js';
import type { KernelMessage, SourceRef } from '../../src/model/index.js';
import { looksExtended } from '../../src/netconsole/format.js';
import { toKernelMessages } from '../../src/netconsole/message.js';
import { NetconsoleStream } from '../../src/netconsole/stream.js';
import { FormatError, messageOf } from '../../src/util/errors.js';
import { FrameDecoder, type Datagram } from './decode.js';
import { NETCONSOLE_DST_PORT, NETCONSOLE_SRC_PORT } from './layout.js';
import { packetBatches, type Packet } from './packets.js';

export const ID = 'pcap';
const BATCH = 1000;
/** Senders one capture may hold (each costs a pass over the file). */
export const MAX_SENDERS = 4096;

interface At {
  offset: number;
  timeMs?: number;
}

/** The UDP ports taken as netconsole: option `port` (one or a list), else the defaults
 * and any datagram carrying an extended header. */
function portFilter(ctx: ReadContext): (d: Datagram) => boolean {
  const opt = ctx.options.port;
  if (opt !== undefined) {
    const ports = new Set((Array.isArray(opt) ? opt : [opt]).flatMap((o) => String(o).split(/[ ,]+/)).filter(Boolean).map(Number));
    return (d) => ports.has(d.dport);
  }
  return (d) => d.dport === NETCONSOLE_DST_PORT || d.sport === NETCONSOLE_SRC_PORT || looksExtended(d.payload);
}

/** Every netconsole datagram in the file, in order, a batch at a time; damage to ctx.problem when `report`. */
async function* datagrams(path: string, ctx: ReadContext, report: boolean): AsyncGenerator<{ d: Datagram; p: Packet }[]> {
  const isNetconsole = portFilter(ctx);
  const decoder = new FrameDecoder(path);
  const file = await InputFile.open(path);
  try {
    // Damage is reported once, in the first pass; every pass reads on past it the same way.
    const onDamage = (err: FormatError) => report && ctx.problem({ path: err.path, offset: err.offset, message: err.detail });
    for await (const packets of packetBatches(file, onDamage)) {
      const out: { d: Datagram; p: Packet }[] = [];
      for (const p of packets) {
        const d = decoder.decode(p.linktype, p.data, p.offset);
        if (!d) continue;
        if ('damaged' in d) {
          if (report) ctx.problem({ path, offset: p.offset, message: d.damaged });
          continue;
        }
        if (isNetconsole(d)) out.push({ d, p });
      }
      if (out.length) yield out;
    }
  } catch (err) {
    // A cut capture: what came before the damage is still read.
    if (!report) return;
    if (err instanceof FormatError) ctx.problem({ path: err.path, offset: err.offset, message: err.detail });
    else ctx.problem({ path, message: messageOf(err) });
  } finally {
    await file.close();
  }
}

/** One sender's records as they are made, taken a batch at a time. */
function senderRun(path: string, sender: string, ctx: ReadContext) {
  let out: KernelMessage[] = [];
  const stream = new NetconsoleStream<At>((r) => {
    const source: SourceRef = { backend: ID, path, offset: r.at.offset, id: sender };
    for (const m of toKernelMessages(r, source)) {
      if (r.at.timeMs !== undefined) m.wallTime = new Date(r.at.timeMs);
      out.push(m);
    }
    if (r.problem) ctx.problem({ path, offset: r.at.offset, message: `${sender}: ${r.problem}` });
  });
  return {
    push(d: Datagram, p: Packet): void {
      const at: At = { offset: p.offset };
      if (p.timeMs !== undefined) at.timeMs = p.timeMs;
      stream.push(d.payload, at);
    },
    flush: () => stream.flush(),
    /** The records made so far, when there are `min` of them. */
    take(min: number): KernelMessage[] | undefined {
      if (out.length < Math.max(1, min)) return undefined;
      const batch = out;
      out = [];
      return batch;
    },
  };
}

export async function* readPcap(path: string, ctx: ReadContext): AsyncGenerator<KernelMessage[]> {
  // The first pass reads the first sender's records and lists the others (most captures
  // hold one netconsole sender: one pass); then one pass for each other sender.
  const others: string[] = [];
  const seen = new Set<string>();
  let first: ReturnType<typeof senderRun> | undefined;
  let firstSender: string | undefined;
  for await (const list of datagrams(path, ctx, true)) {
    for (const { d, p } of list) {
      if (d.src === firstSender) {
        first!.push(d, p);
        continue;
      }
      if (seen.has(d.src)) continue;
      if (seen.size >= MAX_SENDERS) {
        if (seen.size === MAX_SENDERS) ctx.problem({ path, offset: p.offset, message: `more than ${MAX_SENDERS} netconsole senders; the rest are not read` });
        seen.add('');
        continue;
      }
      seen.add(d.src);
      if (firstSender === undefined) {
        firstSender = d.src;
        first = senderRun(path, d.src, ctx);
        first.push(d, p);
      } else others.push(d.src);
    }
    const batch = first?.take(BATCH);
    if (batch) yield batch;
  }
  if (first) {
    first.flush();
    const rest = first.take(1);
    if (rest) yield rest;
  }
  for (const sender of others) {
    const run = senderRun(path, sender, ctx);
    for await (const list of datagrams(path, ctx, false)) {
      for (const { d, p } of list) if (d.src === sender) run.push(d, p);
      const batch = run.take(BATCH);
      if (batch) yield batch;
    }
    run.flush();
    const rest = run.take(1);
    if (rest) yield rest;
  }
}
