// `crashlog listen`: receive netconsole from many machines, keep a log per sender, and
// print one JSON line per crash as it happens. Runs until SIGINT/SIGTERM.
import type { Command } from 'commander';
import type { RunIO } from '../cli.js';
import { ApplicationError } from '../util/errors.js';

interface ListenFlags {
  udp: string[];
  dir: string;
  settle: string;
  fsyncInterval: string;
  rotateSize: string;
  rotateKeep: string;
  queueSize: string;
  recvBuffer: string;
  journal?: boolean;
  detect: boolean;
}

/** "64M" -> 67108864; plain numbers are bytes. */
export function parseSize(flag: string, v: string): number {
  const m = /^(\d{1,12})([KMG]?)$/i.exec(v);
  if (!m) throw new ApplicationError(`${flag} ${v}: expected a size such as 65536, 64K or 64M`, 2);
  return Number(m[1]) * ({ '': 1, K: 1024, M: 1 << 20, G: 1 << 30 } as Record<string, number>)[m[2]!.toUpperCase()]!;
}

function parseCount(flag: string, v: string, max: number): number {
  if (!/^\d{1,9}$/.test(v) || Number(v) > max) throw new ApplicationError(`${flag} ${v}: expected a whole number up to ${max}`, 2);
  return Number(v);
}

export function register(program: Command, io: RunIO): void {
  program
    .command('listen')
    .description('receive netconsole (legacy and extended, IPv4 and IPv6) from many machines: a log per sender, a JSON line per crash')
    .requiredOption('--dir <dir>', 'folder for the per-sender logs (<address>.log, <address>.lost)')
    .option('--udp <addr:port>', 'address to listen on, e.g. 0.0.0.0:6666 or [::]:6666 (repeatable; default [::]:6666, both IP versions)', (v: string, prev: string[] = []) => [...prev, v], [] as string[])
    .option('--settle <ms>', "quiet time after a sender's last message before its new messages are checked for crashes", '1000')
    .option('--fsync-interval <ms>', 'fdatasync each written log this often, at once when it holds a crash, and at exit: a power failure loses at most this (plus 0.1 s) of each sender', '1000')
    .option('--rotate-size <bytes>', 'rotate a log when it passes this size (0: never)', '64M')
    .option('--rotate-keep <n>', 'rotated logs kept per sender', '4')
    .option('--queue-size <bytes>', 'received bytes waiting for the disk before datagrams are dropped (counted, and noted in <address>.lost)', '64M')
    .option('--recv-buffer <bytes>', 'socket receive buffer asked for (SO_RCVBUF; the kernel grants at most net.core.rmem_max)', '32M')
    .option('--no-detect', 'only keep the logs: no crash detection, no JSON lines')
    .option('--journal', 'also write a structured entry per crash to the systemd journal')
    .action(async (flags: ListenFlags) => {
      const { Listener, parseListenAddress } = await import('../live/index.js');
      const udp = (flags.udp.length ? flags.udp : ['[::]:6666']).map(parseListenAddress);
      const { sendToJournal } = flags.journal ? await import('../collect/index.js') : { sendToJournal: undefined };
      const listener = await Listener.start({
        udp,
        dir: flags.dir,
        settleMs: parseCount('--settle', flags.settle, 3_600_000),
        fsyncMs: Math.max(1, parseCount('--fsync-interval', flags.fsyncInterval, 3_600_000)),
        rotateBytes: parseSize('--rotate-size', flags.rotateSize),
        rotateKeep: parseCount('--rotate-keep', flags.rotateKeep, 1000),
        maxQueueBytes: parseSize('--queue-size', flags.queueSize),
        detect: flags.detect,
        recvBufferBytes: Math.min(parseSize('--recv-buffer', flags.recvBuffer), 0x7fffffff),
        onError: (message) => io.stderr(`crashlog: ${message}\n`),
        onCrash: (c) => {
          io.stdout(JSON.stringify(c) + '\n');
          const err = sendToJournal?.({ id: c.sender, cause: c.cause, kind: c.kind, title: c.title, signature: c.signature, time: c.time });
          if (err) io.stderr(`crashlog: ${err}\n`);
        },
      }).catch((err: NodeJS.ErrnoException) => {
        throw new ApplicationError(`cannot listen on ${udp.map((a) => `${a.address}:${a.port}`).join(', ')}: ${err.message}`, 1);
      });
      const bound = listener.addresses();
      // Linux reports twice the size it grants to data; past net.core.rmem_max nothing more is granted.
      const asked = Math.min(parseSize('--recv-buffer', flags.recvBuffer), 0x7fffffff);
      const short = bound.some((a) => a.recvBuffer / 2 < asked) ? ` (${flags.recvBuffer} asked: raise net.core.rmem_max for more)` : '';
      const rcvbuf = `receive buffer ${bound.map((a) => `${Math.round(a.recvBuffer / 2 / 1024)} KiB`).join(', ')}${short}`;
      io.stderr(`crashlog: listening on ${bound.map((a) => `${a.address}:${a.port}`).join(', ')}, logs in ${flags.dir}, ${rcvbuf}, writer in ${listener.threaded ? 'a thread of its own' : 'the receiving thread'}\n`);
      const failed = await new Promise<Error | undefined>((resolve) => {
        const stop = () => resolve(undefined);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        void listener.failed.then(resolve);
      });
      if (failed) {
        await listener.close();
        throw new ApplicationError(`log writer stopped: ${failed.message}`, 1);
      }
      // The kernel's drop count is per socket: read it before the sockets close.
      const kernelDrops = listener.stats().socketDrops;
      await listener.close();
      const s = listener.stats();
      io.stderr(`crashlog: ${s.datagrams} datagram(s) from ${s.senders} sender(s), ${s.records} record(s), ${s.bytesWritten} byte(s) written, ${s.droppedDatagrams} dropped (queue full), ${kernelDrops ?? 'unknown'} dropped by the kernel (socket buffer full)${s.writeErrors ? `, ${s.writeErrors} failed write(s)` : ''}\n`);
    });
}
