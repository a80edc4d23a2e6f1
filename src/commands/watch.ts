// `crashlog watch`: follow the running kernel's log and print one JSON line per new crash
// event (oops, BUG, WARNING, lockup, hung task, RCU stall, OOM, machine check).
import type { Command } from 'commander';
import type { RunIO } from '../cli.js';
import { ApplicationError } from '../util/errors.js';

interface WatchFlags {
  kmsg: string;
  state: string;
  settle: string;
  once?: boolean;
  journal?: boolean;
}

export function register(program: Command, io: RunIO): void {
  program
    .command('watch')
    .description("follow the running kernel's log (/dev/kmsg) and print a JSON line per new oops, WARNING, lockup, hung task, RCU stall, OOM or machine check")
    .option('--kmsg <path>', '/dev/kmsg, or a file of /dev/kmsg records (followed as it grows)', '/dev/kmsg')
    .option('--state <file>', 'where the last sequence number looked at is kept, so a restart reports nothing twice', '/var/lib/crashlog/watch.state')
    .option('--settle <ms>', 'quiet time after the last record before new records are checked (a report is complete)', '500')
    .option('--once', 'read what the log holds now, report, and exit')
    .option('--journal', 'also write a structured entry per event to the systemd journal')
    .action(async (flags: WatchFlags) => {
      if (!/^\d{1,7}$/.test(flags.settle)) throw new ApplicationError(`--settle ${flags.settle}: expected milliseconds`, 2);
      const { watchKernelLog } = await import('../live/index.js');
      const { sendToJournal } = flags.journal ? await import('../collect/index.js') : { sendToJournal: undefined };
      const stop = flags.once
        ? undefined
        : new Promise<void>((resolve) => {
            process.once('SIGINT', () => resolve());
            process.once('SIGTERM', () => resolve());
          });
      try {
        await watchKernelLog({
          source: flags.kmsg,
          state: flags.state === 'none' ? undefined : flags.state,
          settleMs: Number(flags.settle),
          once: flags.once,
          stop,
          onNote: (s) => io.stderr(`crashlog: ${s}\n`),
          onEvent: (e) => {
            io.stdout(JSON.stringify(e) + '\n');
            const err = sendToJournal?.({ id: `watch ${e.boot} seq ${e.seq}`, cause: e.cause, kind: e.kind, title: e.title, signature: e.signature, time: e.time });
            if (err) io.stderr(`crashlog: ${err}\n`);
          },
        });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EPERM') throw new ApplicationError(`cannot read ${flags.kmsg}: ${e.message}`, 1);
        throw err;
      }
    });
}
