// A netconsole capture's payloads, in capture order: the UDP datagrams to port 6666, as the
// pcap backend decodes them, for replaying to the receiver.
import { FrameDecoder } from '../../backends/pcap/decode.js';
import { readPackets } from '../../backends/pcap/packets.js';
import { InputFile } from '../../src/input/file.js';

export async function capturePayloads(path: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  const file = await InputFile.open(path);
  const dec = new FrameDecoder(path);
  for await (const p of readPackets(file)) {
    const d = dec.decode(p.linktype, p.data, p.offset);
    if (d && !('damaged' in d) && d.dport === 6666) out.push(Buffer.from(d.payload));
  }
  await file.close();
  return out;
}
