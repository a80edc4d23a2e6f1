// `crashlog watch`: the running kernel's log, checked for crash events as they are printed
// (oops, BUG, WARNING, lockups, hung tasks, RCU stalls, OOM, machine checks), each one
// reported once. The detector sees a bounded window of the boot's messages; it looks once
// the log has been quiet for `settleMs`, so that a report's call trace is in before the
// title is made. The last sequence number looked at is kept in a state file (with the
// boot id), so a restart reports nothing twice and a new boot starts from its beginning.
import { readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { KernelMessage } from '../model/index.js';
import { detect, type CrashEvent } from '../detect/index.js';
import { incidentSignature } from '../collect/signature.js';
import { parseExtBody, parseExtHeader } from '../netconsole/format.js';
import { toKernelMessages } from '../netconsole/message.js';
import { openKmsg } from './kmsgsource.js';
import { signature } from '../detect/signature.js';

export const MAX_WATCH_WINDOW = 8000;
const LOOK_BACK = 200;

export interface WatchOptions {
  /** /dev/kmsg, or a file of /dev/kmsg records. */
  source: string;
  state?: string;
  settleMs?: number;
  pollMs?: number;
  /** Read what is there, report, and return. */
  once?: boolean;
  /** Boot id to compare with the state's (default: /proc/sys/kernel/random/boot_id for a device, the path for a file). */
  boot?: string;
  onEvent: (e: WatchEvent) => void;
  onNote?: (s: string) => void;
  /** Resolves when the watch should stop (SIGTERM). */
  stop?: Promise<void>;
}

export interface WatchEvent {
  time: string;
  boot: string;
  seq: string;
  tsNs?: string;
  cause: 'hardware' | 'software';
  kind: string;
  title: string;
  signature: string;
  function?: string;
  module?: string;
}

interface State {
  boot: string;
  seq: string;
}

function readState(path: string | undefined): State | undefined {
  if (!path) return undefined;
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as State;
    return typeof s.boot === 'string' && /^\d{1,20}$/.test(s.seq) ? s : undefined;
  } catch {
    return undefined;
  }
}

/** Written to a temporary file, synced, renamed over: a crash leaves the old or the new state. */
async function writeState(path: string, s: State): Promise<void> {
  const tmp = join(dirname(path), `.${Date.now()}.${process.pid}.watch-state`);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.write(JSON.stringify(s) + '\n');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

function bootId(source: string): string {
  try {
    return source.startsWith('/dev/') ? readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() : `file:${source}`;
  } catch {
    return `file:${source}`;
  }
}

export async function watchKernelLog(o: WatchOptions): Promise<{ records: number; events: number }> {
  const settleMs = o.settleMs ?? 500;
  const boot = o.boot ?? bootId(o.source);
  const saved = readState(o.state);
  // Events at or before this sequence number were reported by an earlier run of this boot.
  const after = saved && saved.boot === boot ? BigInt(saved.seq) : -1n;
  let window: KernelMessage[] = [];
  let checked = 0;
  let lastArrival = 0;
  let pending = false;
  let lastSeq: bigint | undefined;
  const reported = new Set<string>();
  let records = 0;
  let events = 0;

  const check = async (final: boolean) => {
    if (!pending || (!final && Date.now() - lastArrival < settleMs)) return;
    pending = false;
    const from = Math.max(0, checked - LOOK_BACK);
    checked = window.length;
    for (const e of detect(window.slice(from))) {
      const header = window[from + e.first];
      const seq = header?.seq ?? -1n;
      if (seq <= after || reported.has(seq.toString())) continue;
      reported.add(seq.toString());
      events++;
      o.onEvent(toWatchEvent(e, boot, seq));
    }
    if (o.state && lastSeq !== undefined && lastSeq > after) await writeState(o.state, { boot, seq: lastSeq.toString() });
  };

  const src = await openKmsg(o.source);
  let stopped = false;
  void o.stop?.then(() => (stopped = true));
  try {
    while (!stopped) {
      const ev = await src.next();
      if ('record' in ev) {
        const h = parseExtHeader(ev.record);
        if (!h) continue;
        const { text, dict } = parseExtBody(ev.record.subarray(h.bodyStart).toString('latin1'));
        const r = { format: 'extended' as const, text, pri: h.pri, seq: h.seq, tsUs: h.tsUs, flag: h.flag, dict, at: 0, parts: 1 };
        for (const m of toKernelMessages(r, { backend: 'watch', path: o.source, id: boot })) window.push(m);
        records++;
        lastSeq = h.seq;
        lastArrival = Date.now();
        pending = true;
        if (window.length > MAX_WATCH_WINDOW) {
          const cut = window.length - MAX_WATCH_WINDOW / 2;
          window = window.slice(cut);
          checked = Math.max(0, checked - cut);
        }
      } else if ('lost' in ev) {
        o.onNote?.('the kernel overwrote records before they were read');
      } else {
        if (o.once) break;
        await check(false);
        await new Promise((r) => setTimeout(r, o.pollMs ?? 200));
      }
    }
    await check(true);
  } finally {
    await src.close();
  }
  return { records, events };
}

function toWatchEvent(e: CrashEvent, boot: string, seq: bigint): WatchEvent {
  const cause = e.kind === 'machine-check' ? 'hardware' : 'software';
  const w: WatchEvent = { time: new Date().toISOString(), boot, seq: seq.toString(), cause, kind: e.kind, title: e.title, signature: cause === 'software' ? signature(e) : incidentSignature(cause, e.title) };
  if (e.tsNs !== undefined) w.tsNs = e.tsNs.toString();
  if (e.function) w.function = e.function;
  if (e.module) w.module = e.module;
  return w;
}
