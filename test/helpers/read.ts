// Read an input with one backend, collecting records and problems, as the pipeline does.
import { backendById } from '../../backends/index.js';
import type { CrashRecord, KernelMessage, Problem } from '../../src/model/index.js';
import { readAll, type ReadOptions } from '../../src/backend.js';

export async function readWith(id: string, path: string, options: ReadOptions = {}): Promise<{ records: CrashRecord[]; problems: Problem[] }> {
  const backend = backendById(id);
  if (!backend) throw new Error(`no backend ${id}`);
  const problems: Problem[] = [];
  const records = await readAll(backend.read(path, { options, problem: (p) => problems.push(p) }));
  return { records, problems };
}

export function messagesOf(records: CrashRecord[]): KernelMessage[] {
  return records.filter((r): r is KernelMessage => r.kind === 'kmsg');
}
