// `crashlog dmesg VMCORE`: the kernel log held in a dump, as vmcore-dmesg prints it.
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import type { RunIO } from '../cli.js';
import { ApplicationError, messageOf } from '../util/errors.js';
import { formatVmcoreDmesg, readPrintkLog } from '../vmcore/printk/index.js';
import { openDump } from '../vmcore/open.js';

const PROGRESS_MIN_BYTES = 1 << 30;

function parseAddr(v: string, prev: bigint[] = []): bigint[] {
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(v)) throw new ApplicationError(`--avoid: not an address: ${v}`, 2);
  return [...prev, BigInt(v)];
}

export function register(program: Command, io: RunIO): void {
  program
    .command('dmesg')
    .description("print the kernel log held in a vmcore, as vmcore-dmesg does ('-' reads stdin)")
    .argument('<vmcore>', 'ELF core, kdump-compressed, flattened, gzip-compressed or slim dump')
    .option('--caller', 'add the caller id ([T123] task, [C1] cpu) when the log records it')
    .option('--json', 'one JSON object per record')
    .option('--stats', 'print bytes and pages read and the time taken to stderr')
    .option('--avoid <addr>', 'never read the page holding this physical address (repeatable)', parseAddr, [] as bigint[])
    .action(async (path: string, flags: { caller?: boolean; json?: boolean; stats?: boolean; avoid: bigint[] }) => {
      const t0 = process.hrtime.bigint();
      let dump;
      try {
        dump = await openDump(path, { avoid: flags.avoid });
      } catch (err) {
        throw new ApplicationError(`${path}: ${messageOf(err)}`, 1);
      }
      const bar = startProgress(path, dump);
      try {
        for (const p of dump.problems) io.stderr(`crashlog: ${p.path}${p.offset === undefined ? '' : `+0x${p.offset.toString(16)}`}: ${p.message}\n`);
        const seen = dump.problems.length;
        if (dump.format === 'slim' || dump.noCoredumpReason) {
          io.stderr(`crashlog: ${path}: slim dump (no memory)${dump.noCoredumpReason ? `, reason: ${dump.noCoredumpReason}` : ''}; no log\n`);
          process.exitCode = 1;
          return;
        }
        let n = 0;
        try {
          for await (const e of readPrintkLog(dump)) {
            if (e.kind === 'entry') n++;
            else io.stderr(`crashlog: ${path}: log gap of ${e.length} bytes at 0x${e.vaddr.toString(16)} (${e.reason})\n`);
            if (flags.json) {
              const { bytes: _bytes, ...rest } = e as typeof e & { bytes?: Uint8Array };
              io.stdout(JSON.stringify(rest, (k, v: unknown) => (typeof v === 'bigint' ? (k === 'tsNs' || k === 'seq' ? v.toString() : `0x${v.toString(16)}`) : v)) + '\n');
            } else io.stdout(formatVmcoreDmesg(e, { caller: flags.caller }));
            bar?.update(dump.phys.bytesRead);
          }
        } catch (err) {
          throw new ApplicationError(`${path}: reading the log: ${messageOf(err)}`, 1);
        }
        for (const p of dump.problems.slice(seen)) io.stderr(`crashlog: ${p.path}${p.offset === undefined ? '' : `+0x${p.offset.toString(16)}`}: ${p.message}\n`);
        if (n === 0) process.exitCode = 1;
      } finally {
        bar?.stop();
        if (flags.stats) {
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          io.stderr(`crashlog: stats: format ${dump.format}, ${dump.phys.bytesRead} bytes read, ${dump.phys.pagesRead} pages read, ${ms.toFixed(1)} ms\n`);
        }
        await dump.close();
      }
    });
}

/** A bar on stderr for large inputs on a terminal only (bytes read of the file's size). */
function startProgress(path: string, dump: { phys: { bytesRead: number } }): cliProgress.SingleBar | undefined {
  if (!process.stderr.isTTY || path === '-') return undefined;
  let size = 0;
  try { size = statSync(path).size; } catch { return undefined; }
  if (size < PROGRESS_MIN_BYTES) return undefined;
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'reading {bar} {value}/{total} bytes', clearOnComplete: true }, cliProgress.Presets.shades_classic);
  bar.start(size, dump.phys.bytesRead);
  return bar;
}
