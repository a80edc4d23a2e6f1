// Private temporary folders (0700) that are removed when the process ends: normally, on
// an error, and on SIGINT/SIGTERM/SIGHUP (then the signal is raised again, so the shell
// sees the usual 130/143). A Ctrl-C while a dump is inflated leaves nothing behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();
let hooked = false;

function removeAll(): void {
  for (const dir of live) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort: the process is ending
    }
  }
  live.clear();
}

function hook(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', removeAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      removeAll();
      process.kill(process.pid, sig);
    });
  }
}

export interface TempDir {
  dir: string;
  /** Remove the folder now (also done at exit). */
  dispose(): Promise<void>;
}

/** A new folder under the system temp dir, named crashlog-<tag>-XXXXXX. */
export function makeTempDir(tag: string): TempDir {
  hook();
  const dir = mkdtempSync(join(tmpdir(), `crashlog-${tag}-`));
  live.add(dir);
  return {
    dir,
    dispose: async () => {
      live.delete(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
