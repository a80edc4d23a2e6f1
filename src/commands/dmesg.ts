// `crashlog dmesg VMCORE`: the kernel log held in a dump, as vmcore-dmesg prints it.
// The dump machinery loads when the command runs: every other command starts without it.
import type { Command } from 'commander';
import type { RunIO } from '../cli.js';
import { ApplicationError, messageOf } from '../util/errors.js';
import type { OpenDump } from '../vmcore/open.js';
import { withProgress } from './options.js';

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
      const [{ openDump }, { formatVmcoreDmesg, readPrintkLog }] = await Promise.all([import('../vmcore/open.js'), import('../vmcore/printk/index.js')]);
      // Progress on a terminal's stderr: while the dump opens (an index of a gzip'd or
      // flattened dump), and while the log is walked only if the lines go elsewhere.
      const dump = await withProgress(io, !flags.json, () => openDump(path, { avoid: flags.avoid })).catch((err: unknown) => {
        throw new ApplicationError(`${path}: ${messageOf(err)}`, 1);
      });
      const toTerminal = io.stdoutIsTTY ?? process.stdout.isTTY;
      try {
        for (const p of dump.problems) io.stderr(`crashlog: ${p.path}${p.offset === undefined ? '' : `+0x${p.offset.toString(16)}`}: ${p.message}\n`);
        const seen = dump.problems.length;
        if (dump.noCoredumpReason) io.stderr(`crashlog: ${path}: the dump says why memory was left out: ${dump.noCoredumpReason}\n`);
        if (dump.format === 'slim') {
          io.stderr(`crashlog: ${path}: slim dump (headers and notes only): ${describeNotes(dump)}; no log\n`);
          process.exitCode = 1;
          return;
        }
        const n = await withProgress(io, !flags.json && toTerminal !== true, async (io) => {
          let n = 0;
          try {
            for await (const e of readPrintkLog(dump)) {
              if (e.kind === 'entry') n++;
              else io.stderr(`crashlog: ${path}: log gap of ${e.length} bytes at 0x${e.vaddr.toString(16)} (${e.reason})\n`);
              if (flags.json) {
                const { bytes: _bytes, ...rest } = e as typeof e & { bytes?: Uint8Array };
                io.stdout(JSON.stringify(rest, (k, v: unknown) => (typeof v === 'bigint' ? (k === 'tsNs' || k === 'seq' ? v.toString() : `0x${v.toString(16)}`) : v)) + '\n');
              } else io.stdout(formatVmcoreDmesg(e, { caller: flags.caller }));
            }
          } catch (err) {
            throw new ApplicationError(`${path}: reading the log: ${messageOf(err)}`, 1);
          }
          return n;
        });
        for (const p of dump.problems.slice(seen)) io.stderr(`crashlog: ${p.path}${p.offset === undefined ? '' : `+0x${p.offset.toString(16)}`}: ${p.message}\n`);
        if (n === 0) process.exitCode = 1;
      } finally {
        if (flags.stats) {
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          io.stderr(`crashlog: stats: format ${dump.format}, ${dump.phys.bytesRead} bytes read, ${dump.phys.pagesRead} pages read${dump.spilledBytes === undefined ? '' : `, ${dump.spilledBytes} bytes copied to a temporary file first`}, ${ms.toFixed(1)} ms\n`);
        }
        await dump.close();
      }
    });
}

/** What a slim dump's notes say: release, crash time, and each CPU's pid and instruction pointer. */
export function describeNotes(d: Pick<OpenDump, 'release' | 'crashTime' | 'cpus'>): string {
  const parts = [`release ${d.release ?? 'unknown'}`];
  if (d.crashTime) parts.push(`crashed at ${d.crashTime.toISOString()}`);
  for (const c of d.cpus) parts.push(`cpu ${c.cpu}${c.pid !== undefined ? ` pid ${c.pid}` : ''}${c.ip !== undefined ? ` ip 0x${c.ip.toString(16)}` : ''}`);
  return parts.join(', ');
}
