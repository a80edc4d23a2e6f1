// An archive entry while it is made. It appears whole or not at all: it is built in
// ".tmp-<id>" (collect's marker first, see leftovers.ts), a folder per source kind holding the
// record copies, then its manifest; every file and folder in it is fsync'd before it is renamed
// into place and the archive folder fsync'd. A kill at any moment leaves a marked folder, which
// the next collect removes. The folder is private to this run (a trusted archive, the lock
// held), so a copy goes in under its own name: the folder is what is renamed atomically.
import { join } from 'node:path';
import { fsyncDir, mkdirPrivate, writeDurable, writeExclusive, writeNew, type FsOps } from './fsops.js';
import { fsyncInBackground } from './fsync.js';
import { MARKER, markerText, stagingName } from './leftovers.js';
import { MANIFEST, type Manifest } from './manifest.js';
import { SOURCE_KINDS, type SourceKind } from './sources.js';

const manifestBytes = (m: Manifest) => Buffer.from(JSON.stringify(m, null, 2) + '\n');

export class Staging {
  private readonly subs = new Map<SourceKind, string>();
  private unsynced: string[] = [];
  private readonly syncing: Promise<Error | undefined>[] = [];

  private constructor(
    private readonly f: FsOps,
    private readonly archiveDir: string,
    readonly dir: string,
  ) {}

  /** The folder of a staging named for `id` (removed by the caller when open() fails past mkdir). */
  static dirOf(archiveDir: string, id: string): string {
    return join(archiveDir, stagingName('entry', id));
  }

  static open(f: FsOps, archiveDir: string, id: string): Staging {
    const dir = Staging.dirOf(archiveDir, id);
    mkdirPrivate(f, dir);
    writeNew(f, join(dir, MARKER), markerText('entry', id));
    return new Staging(f, archiveDir, dir);
  }

  /** Where the copy of record `name` of `kind` is in it. */
  path(kind: SourceKind, name: string): string {
    return join(this.dir, kind, name);
  }

  /** Its record folders (and the BERT file) as readers take them: archive.ts entryInputs, without a look at each file. */
  inputs(): string[] {
    return SOURCE_KINDS.flatMap((kind) => {
      const sub = this.subs.get(kind);
      return sub === undefined ? [] : [kind === 'bert' ? join(sub, 'BERT') : sub];
    });
  }

  /** Copy a record in; fsync'd from sync() on. */
  add(kind: SourceKind, name: string, bytes: Uint8Array): void {
    const path = join(this.sub(kind), name);
    writeExclusive(this.f, path, bytes);
    this.unsynced.push(path);
  }

  /** Move in a copy another staging folder holds, already synced there. */
  adopt(kind: SourceKind, name: string, from: string): void {
    this.f.renameSync(from, join(this.sub(kind), name));
  }

  /** Start the fsync of the copies made so far (fsync.ts: they run while the caller reads them). */
  sync(): void {
    if (this.unsynced.length) this.syncing.push(fsyncInBackground(this.f, this.unsynced));
    this.unsynced = [];
  }

  /** Every copy fsync'd; throws the first error. */
  async synced(): Promise<void> {
    this.sync();
    for (const err of await Promise.all(this.syncing.splice(0))) if (err) throw err;
  }

  /** The manifest where readers of the records look for it (pstore's record times), not yet final (nor laid out). */
  draftManifest(m: Manifest): void {
    writeExclusive(this.f, join(this.dir, MANIFEST), Buffer.from(JSON.stringify(m)));
  }

  /** Everything synced, the manifest written, then the folder renamed into place as entry `m.id`; its folder. */
  async commit(m: Manifest): Promise<string> {
    await this.synced();
    for (const kind of SOURCE_KINDS) {
      const sub = this.subs.get(kind);
      if (sub) fsyncDir(this.f, sub);
    }
    writeDurable(this.f, join(this.dir, MANIFEST), manifestBytes(m));
    fsyncDir(this.f, this.dir);
    const final = join(this.archiveDir, m.id);
    this.f.renameSync(this.dir, final);
    fsyncDir(this.f, this.archiveDir);
    this.f.unlinkSync(join(final, MARKER)); // a finished entry is not a leftover, whatever its name becomes
    fsyncDir(this.f, final);
    return final;
  }

  private sub(kind: SourceKind): string {
    let sub = this.subs.get(kind);
    if (!sub) {
      sub = join(this.dir, kind);
      mkdirPrivate(this.f, sub);
      this.subs.set(kind, sub);
    }
    return sub;
  }
}
