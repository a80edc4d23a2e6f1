// Listen addresses ("ADDR:PORT", "[V6ADDR]:PORT", ":PORT") and what the kernel says a UDP
// socket dropped (/proc/net/udp{,6} "drops" column: datagrams that found its buffer full).
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { ApplicationError } from '../util/errors.js';

export interface ListenAddress {
  address: string;
  port: number;
  family: 'udp4' | 'udp6';
}

/** netconsole's default remote port. */
export const DEFAULT_PORT = 6666;

export function parseListenAddress(s: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]:|([0-9.]+):|:)?(\d{1,5})$/.exec(s.trim());
  const address = m?.[1] ?? (m?.[2] || '::');
  const port = Number(m?.[3]);
  const family = isIP(address);
  if (!m || !family || port < 0 || port > 65535) throw new ApplicationError(`--udp ${s}: expected ADDR:PORT, [IPV6]:PORT or :PORT`, 2);
  return { address, port, family: family === 6 ? 'udp6' : 'udp4' };
}

/** The sender's address as netconsole configured it ("::ffff:10.0.0.1" is 10.0.0.1). */
export function senderAddress(address: string): string {
  return address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
}

/** Datagrams the kernel dropped for the UDP sockets bound to `port`, or undefined off Linux. */
export function socketDrops(port: number): number | undefined {
  let total: number | undefined;
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 13 || !f[1]!.endsWith(`:${hexPort}`)) continue;
      total = (total ?? 0) + Number(f[12]);
    }
  }
  return total;
}
