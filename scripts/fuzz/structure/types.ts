// The structure-aware mutators: each knows one format's headers and lies in one of its
// fields (a length, a count, an offset, a schema), leaving the rest of the input as the
// kernel wrote it, so the lie meets the reader's checks instead of its probe.
import type { FileEdit } from '../edit.js';
import type { Rng } from '../rng.js';

export interface StructureMutator {
  id: string;
  /** Whole folders (a pstore copy) or single files. */
  scope: 'file' | 'dir';
  /** How often it is chosen among the mutators that fit, relative to 1 (the narrow, deep ones more). */
  weight?: number;
  /** Whether this mutator knows the format (from the first bytes of a file, or a folder's names). */
  fits(path: string, head: Uint8Array): boolean;
  /**
   * Change the case's copy: in place through `edit` (positioned writes, undone after the
   * case) or, when `rewrite` is allowed (a small copy made for this case), by rewriting
   * files. Says what it did, or undefined when the input gave it nothing to change.
   */
  mutate(c: MutateCase): Promise<string | undefined>;
}

export interface MutateCase {
  /** The case's copy: a file, or a folder for 'dir' mutators. */
  path: string;
  /** Positioned writes to `path` (files only). */
  edit?: FileEdit;
  rng: Rng;
  /** Whether files may be rewritten whole (a fresh copy made for this case). */
  rewrite: boolean;
  /** The original `path` was copied from, untouched: what a mutator learns once per seed is learnt there. */
  seed: string;
}
