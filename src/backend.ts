// The backend contract (../shared/DESIGN.md "Architecture"). A backend is one folder in
// backends/, registered in backends/index.ts. It knows nothing of other backends or of
// reports: it turns one input path into normalized records.
import type { CrashRecord, KernelMessage, Problem } from './model/index.js';
import type { LazyLine } from './timeline/keep.js';
import type { Probe } from './input/probe.js';

/** Options given on the command line, by name; each backend documents its own. */
export type ReadOptions = Record<string, string | number | boolean | string[] | undefined>;

export interface ReadContext {
  options: ReadOptions;
  /** Report damaged input; reading goes on with the next good record. */
  problem(p: Problem): void;
  /**
   * Where a reader of one long log may put its lines instead of yielding them, in order:
   * messages, or lines it makes messages of only when they are kept (src/timeline/keep.ts).
   */
  lines?: { push(line: KernelMessage | LazyLine): void };
}

/** One `--opt` key a backend takes, and the shape of its value (src/input/options.ts checks it). */
export interface OptionSpec {
  key: string;
  kind: 'number' | 'size' | 'string' | 'bool' | 'list';
  /** The same key with these prefixes, as a kernel command line names it (`ramoops.`). */
  prefixes?: readonly string[];
}

export interface Backend {
  id: string;
  summary: string;
  /** The `--opt` keys this backend reads; any other key given for its inputs is a usage error. */
  options?: readonly OptionSpec[];
  /**
   * How sure this backend is that it reads `p`: 0 = not mine, 1 = certain.
   * Content decides, not the name; a name may only break a tie.
   */
  probe(p: Probe): number;
  /**
   * The reader gives a store's records oldest first, a boot's records near one another
   * (mtdoops by sequence number, a pstore directory by record id): `report` judges such an
   * input boot by boot as it reads it (src/analyze-store.ts). A ring of zones read in place,
   * its console zone after all its dumps (ramoops, pstore/zone), is read whole.
   */
  ordered?: boolean;
  /** Records, lazily; damaged parts go to ctx.problem and reading continues. */
  read(path: string, ctx: ReadContext): AsyncIterable<Yielded>;
}

/**
 * What a reader yields: one record, or a batch of records in order (the lines of one dump).
 * Each step of an async iteration costs a promise; a 10,000-record archive holds 400,000
 * lines, and one step per line was a fifth of the run.
 */
export type Yielded = CrashRecord | readonly CrashRecord[];

/** Every record of a reader's output, batches flattened, in order. */
export async function readAll(it: AsyncIterable<Yielded>, into: CrashRecord[] = []): Promise<CrashRecord[]> {
  for await (const y of it) {
    if (Array.isArray(y)) for (const r of y as readonly CrashRecord[]) into.push(r);
    else into.push(y as CrashRecord);
  }
  return into;
}

type ReadFn = Backend['read'];

/**
 * A reader loaded when first used: the registry (and so every command's start-up) holds
 * only the probes; a backend's parser, and what it needs (SQLite, zstd, the vmcore
 * machinery), load when an input is read with it.
 */
export function lazyRead(load: () => Promise<ReadFn>): ReadFn {
  let fn: ReadFn | undefined;
  // Not a generator re-yielding the reader's output: that would be a second promise per step.
  return (path, ctx) => ({
    [Symbol.asyncIterator](): AsyncIterator<Yielded> {
      let inner: AsyncIterator<Yielded> | undefined;
      const open = async (): Promise<AsyncIterator<Yielded>> => (inner ??= (fn ??= await load())(path, ctx)[Symbol.asyncIterator]());
      return {
        next: () => (inner ? inner.next() : open().then((it) => it.next())),
        return: async (value?: unknown) => (inner?.return ? inner.return(value) : { done: true, value: undefined }),
      };
    },
  });
}
