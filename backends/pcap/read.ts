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
import { readPackets, type Packet } from './packets.js';

export const ID = 'pcap';
const BATCH = 1000;
/** Senders one capture may hold (each costs a pass over the file). */
export const MAX_SENDERS = 4096;

interface At {
  offset: number;
  timeNs?: bigint;
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

/** Every netconsole datagram in the file, in order; damage to ctx.problem when `report`. */
async function* datagrams(path: string, ctx: ReadContext, report: boolean): AsyncGenerator<{ d: Datagram; p: Packet }> {
  const isNetconsole = portFilter(ctx);
  const decoder = new FrameDecoder(path);
  const file = await InputFile.open(path);
  try {
    for await (const p of readPackets(file)) {
      const d = decoder.decode(p.linktype, p.data, p.offset);
      if (!d) continue;
      if ('damaged' in d) {
        if (report) ctx.problem({ path, offset: p.offset, message: d.damaged });
        continue;
      }
      if (isNetconsole(d)) yield { d, p };
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

export async function* readPcap(path: string, ctx: ReadContext): AsyncGenerator<KernelMessage[]> {
  const senders: string[] = [];
  const seen = new Set<string>();
  for await (const { d } of datagrams(path, ctx, true)) {
    if (seen.has(d.src)) continue;
    if (senders.length >= MAX_SENDERS) {
      ctx.problem({ path, message: `more than ${MAX_SENDERS} netconsole senders; the rest are not read` });
      break;
    }
    seen.add(d.src);
    senders.push(d.src);
  }
  for (const sender of senders) {
    let out: KernelMessage[] = [];
    const stream = new NetconsoleStream<At>((r) => {
      const source: SourceRef = { backend: ID, path, offset: r.at.offset, id: sender };
      for (const m of toKernelMessages(r, source)) {
        if (r.at.timeNs !== undefined) m.wallTime = new Date(Number(r.at.timeNs / 1_000_000n));
        out.push(m);
      }
      if (r.problem) ctx.problem({ path, offset: r.at.offset, message: `${sender}: ${r.problem}` });
    });
    for await (const { d, p } of datagrams(path, ctx, false)) {
      if (d.src !== sender) continue;
      const at: At = { offset: p.offset };
      if (p.timeNs !== undefined) at.timeNs = p.timeNs;
      stream.push(d.payload, at);
      if (out.length >= BATCH) {
        yield out;
        out = [];
      }
    }
    stream.flush();
    if (out.length) yield out;
  }
}
