// binutils addr2line as a peer: "-a -f -i -e FILE [-j SECTION] ADDR..." prints, per address,
// the address line, then function and file:line pairs, innermost inlined function first.
import { execFile } from 'node:child_process';
import { ApplicationError } from '../../util/errors.js';

/** Addresses per addr2line run (argv stays far below ARG_MAX). */
const BATCH = 400;
const MAX_OUTPUT = 64 << 20;

export interface SourceLine { function: string; file?: string; line?: number }

const LOCATION = /^(.*):(\d+|\?)(?: \(discriminator \d+\))?$/;

export function parseAddr2line(out: string): SourceLine[][] {
  const groups: SourceLine[][] = [];
  const lines = out.split('\n');
  let cur: SourceLine[] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^0x[0-9a-f]+$/.test(l)) { cur = []; groups.push(cur); continue; }
    if (!cur || l === '') continue;
    const loc = LOCATION.exec(lines[i + 1] ?? '');
    const s: SourceLine = { function: l };
    if (loc && loc[1] !== '??' && loc[2] !== '?' && loc[2] !== '0') { s.file = loc[1]!; s.line = Number(loc[2]); }
    cur.push(s);
    i++;
  }
  return groups;
}

function run(bin: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { maxBuffer: MAX_OUTPUT, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') reject(new ApplicationError(`${bin} not found: install binutils (apt-get install binutils)`, 2));
      else if (err) reject(new ApplicationError(`${bin} ${args.slice(0, 6).join(' ')} ...: ${stderr.trim() || err.message}`, 2));
      else resolve(stdout);
    });
  });
}

/** Source lines (with inlined callers) of each address in `file`, in order. */
export async function addr2line(file: string, addrs: readonly bigint[], section?: string, bin = 'addr2line'): Promise<SourceLine[][]> {
  const out: SourceLine[][] = [];
  for (let i = 0; i < addrs.length; i += BATCH) {
    const part = addrs.slice(i, i + BATCH);
    const args = ['-a', '-f', '-i', '-e', file, ...(section ? ['-j', section] : []), ...part.map((a) => `0x${a.toString(16)}`)];
    const groups = parseAddr2line(await run(bin, args));
    for (let k = 0; k < part.length; k++) out.push(groups[k] ?? []);
  }
  return out;
}
