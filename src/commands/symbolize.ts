// `crashlog symbolize [FILE]`: a pasted oops or trace (stdin when no FILE) with source lines,
// as scripts/decode_stacktrace.sh prints it; the options are shared with `report`.
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import type { RunIO } from '../cli.js';
import { ApplicationError } from '../util/errors.js';
import type { Oops } from '../model/index.js';
import type { SymbolizeOptions } from '../oops/symbolize/symbolize.js';

export interface SymbolFlags { vmlinux?: string; modules?: string; systemMap?: string; kernelOffset?: string; addr2line?: string }

export function addSymbolOptions(cmd: Command): Command {
  return cmd
    .option('--vmlinux <file>', 'the unstripped vmlinux with DWARF (debug package: /usr/lib/debug/boot/vmlinux-<release>)')
    .option('--modules <dir>', 'folder searched for <module>.ko files with debug info (e.g. /usr/lib/debug/lib/modules/<release>)')
    .option('--system-map <file>', 'System.map: names bare addresses when no vmlinux is given')
    .option('--kernel-offset <hex>', 'KASLR offset for bare addresses (default: the log\'s "Kernel Offset:" line)')
    .option('--addr2line <bin>', 'addr2line to run (binutils addr2line, or llvm-addr2line)');
}

/** The flags as symbolizer options, or undefined when none asks for symbols. */
export function symbolOptions(f: SymbolFlags): SymbolizeOptions | undefined {
  if (!f.vmlinux && !f.modules && !f.systemMap) return undefined;
  const o: SymbolizeOptions = {};
  if (f.vmlinux) o.vmlinux = f.vmlinux;
  if (f.modules) o.modules = f.modules;
  if (f.systemMap) o.systemMap = f.systemMap;
  if (f.addr2line) o.addr2line = f.addr2line;
  if (f.kernelOffset !== undefined) {
    if (!/^(0x)?[0-9a-f]{1,16}$/i.test(f.kernelOffset)) throw new ApplicationError(`--kernel-offset ${f.kernelOffset}: expected a hex number`, 2);
    o.kernelOffset = BigInt(f.kernelOffset.startsWith('0x') ? f.kernelOffset : `0x${f.kernelOffset}`);
  }
  return o;
}

/** `report --vmlinux/--modules/...`: source lines for every incident's oops block. */
export async function symbolizeIncidents(incidents: readonly { oops?: Oops }[], f: SymbolFlags, io: RunIO): Promise<void> {
  const opts = symbolOptions(f);
  if (!opts) return;
  const { Symbolizer } = await import('../oops/symbolize/symbolize.js');
  const s = new Symbolizer(opts);
  for (const i of incidents) if (i.oops) await s.oops(i.oops);
  for (const p of s.problems) io.stderr(`crashlog: symbolize: ${p}\n`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function register(program: Command, io: RunIO): void {
  addSymbolOptions(
    program
      .command('symbolize')
      .description('add source lines to a pasted oops or call trace (like decode_stacktrace.sh), using addr2line')
      .argument('[file]', 'the trace; stdin when left out'),
  ).action(async (file: string | undefined, flags: SymbolFlags) => {
    const opts = symbolOptions(flags);
    if (!opts) throw new ApplicationError('symbolize: give --vmlinux, --modules or --system-map', 2);
    const input = file ? await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => { throw new ApplicationError(`symbolize: ${file}: ${e.message}`, 2); }) : await readStdin();
    const { symbolizeText } = await import('../oops/symbolize/text.js');
    const r = await symbolizeText(input, opts);
    io.stdout(r.text.endsWith('\n') ? r.text : `${r.text}\n`);
    for (const p of r.problems) io.stderr(`crashlog: symbolize: ${p}\n`);
    if (r.frames > 0 && r.resolved === 0) process.exitCode = 1;
  });
}
