// Work done while reading inputs, for whoever shows progress (src/report/progress.ts).
// Inputs and readers only say how far they are, in their own unit; they know nothing of
// terminals, and when nobody watches a report costs one comparison.
//
// The meter is the command's, set around its read (`watchWork`), not carried in each
// ReadContext: the contexts are made by analyze.ts, and the hooks sit below the readers
// (src/input/file.ts, lines.ts), where the bytes are read.

/** What a piece of work is counted in. */
export type WorkUnit = 'bytes' | 'records' | 'files';

export interface WorkTask {
  /** Work done so far, in the task's unit (a running total, not an increment). */
  at(done: number): void;
  /** The work is over (done or abandoned); nothing more is shown of it. */
  end(): void;
}

export interface WorkMeter {
  /**
   * A piece of work begins: `total` units of `label` (an input's path, "inflating x.gz");
   * undefined when the total is not known (a pipe).
   */
  start(label: string, total: number | undefined, unit: WorkUnit): WorkTask;
}

/** A task nobody sees. */
export const IDLE_WORK: WorkTask = { at: () => undefined, end: () => undefined };

let current: WorkMeter | undefined;

/** A task on the command's meter; a no-op when nobody watches. */
export function startWork(label: string, total: number | undefined, unit: WorkUnit): WorkTask {
  return current ? current.start(label, total, unit) : IDLE_WORK;
}

/** Run `fn` with `meter` receiving the work of every read inside it. */
export async function watchWork<T>(meter: WorkMeter | undefined, fn: () => Promise<T>): Promise<T> {
  const before = current;
  current = meter;
  try {
    return await fn();
  } finally {
    current = before;
  }
}
