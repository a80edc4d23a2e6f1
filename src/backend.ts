// The backend contract (../shared/DESIGN.md "Architecture"). A backend is one folder in
// backends/, registered in backends/index.ts. It knows nothing of other backends or of
// reports: it turns one input path into normalized records.
import type { CrashRecord, Problem } from './model/index.js';
import type { Probe } from './input/probe.js';

/** Options given on the command line, by name; each backend documents its own. */
export type ReadOptions = Record<string, string | number | boolean | string[] | undefined>;

export interface ReadContext {
  options: ReadOptions;
  /** Report damaged input; reading goes on with the next good record. */
  problem(p: Problem): void;
}

export interface Backend {
  id: string;
  summary: string;
  /**
   * How sure this backend is that it reads `p`: 0 = not mine, 1 = certain.
   * Content decides, not the name; a name may only break a tie.
   */
  probe(p: Probe): number;
  /** Records, lazily; damaged parts go to ctx.problem and reading continues. */
  read(path: string, ctx: ReadContext): AsyncIterable<CrashRecord>;
}

type ReadFn = Backend['read'];

/**
 * A reader loaded when first used: the registry (and so every command's start-up) holds
 * only the probes; a backend's parser, and what it needs (SQLite, zstd, the vmcore
 * machinery), load when an input is read with it.
 */
export function lazyRead(load: () => Promise<ReadFn>): ReadFn {
  let fn: ReadFn | undefined;
  return async function* read(path, ctx) {
    fn ??= await load();
    yield* fn(path, ctx);
  };
}
