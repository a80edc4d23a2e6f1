// Run the CLI in-process, capturing what a user would see.
import { createReadStream } from 'node:fs';
import { run } from '../../src/cli.js';

export async function runCli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stdout, stderr };
}

/** `f` run with process.stdin reading `path` (a command given '-'), stdin put back after. */
export async function withStdin<T>(path: string, f: () => Promise<T>): Promise<T> {
  const saved = Object.getOwnPropertyDescriptor(process, 'stdin')!;
  Object.defineProperty(process, 'stdin', { value: createReadStream(path), configurable: true });
  try {
    return await f();
  } finally {
    Object.defineProperty(process, 'stdin', saved);
  }
}
