// Progress on a terminal (cli-progress) for the work inputs report (src/input/work.ts):
// a read appears once it has taken SHOW_AFTER_MS, one bar at a time, with its share done,
// the amount, and an ETA; it is cleared when the read ends. Only the commands draw it, on
// stderr, and only when stderr is a terminal (src/commands/options.ts withProgress).
import type cliProgressModule from 'cli-progress';
import type { SingleBar } from 'cli-progress';
import type { WorkMeter, WorkTask, WorkUnit } from '../input/work.js';
import { escapeControl } from '../util/escape.js';

type CliProgress = typeof cliProgressModule;

/** Where the bar is drawn: a terminal's write stream (process.stderr), or one a test makes. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}

/** A read shorter than this shows nothing. */
export const SHOW_AFTER_MS = 1000;
/** At most this often the bar takes a new value (and its ETA a sample). */
const REDRAW_MS = 100;
/** ETA samples kept: REDRAW_MS apart, about the last three seconds. */
const ETA_SAMPLES = 30;
const BAR_CELLS = 20;

const MIB = 1024 * 1024;
function amount(n: number, unit: WorkUnit): string {
  return unit === 'bytes' ? (n / MIB).toFixed(1) : Math.round(n).toLocaleString('en');
}
const UNIT_NAME: Record<WorkUnit, string> = { bytes: 'MiB', records: 'records', files: 'files' };

/** "1m05s", or "--" until the rate is known. */
function eta(seconds: unknown): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.ceil(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** The label in `room` characters: its first word (what is done) and the end of the rest (a path's end says most). */
function fit(label: string, room: number): string {
  if (label.length <= room) return label;
  const space = label.indexOf(' ');
  const verb = space > 0 && space + 8 <= room ? label.slice(0, space + 1) : '';
  const keep = room - verb.length - 1;
  return keep <= 0 ? '' : `${verb}…${label.slice(label.length - keep)}`;
}

export class TerminalProgress implements WorkMeter {
  private readonly tasks = new Set<Task>();
  private shown: { task: Task; bar: SingleBar; drawn: number } | undefined;

  constructor(
    private readonly lib: CliProgress,
    private readonly stream: ProgressStream,
    private readonly now: () => number = Date.now,
    private readonly showAfterMs = SHOW_AFTER_MS,
  ) {}

  /** A meter drawing on `stream`, or undefined when it is not a terminal. */
  static async on(stream: ProgressStream | undefined, opts: { now?: () => number; showAfterMs?: number } = {}): Promise<TerminalProgress | undefined> {
    if (stream?.isTTY !== true) return undefined;
    const lib = (await import('cli-progress')).default; // loaded only when a bar may be drawn
    return new TerminalProgress(lib, stream, opts.now, opts.showAfterMs);
  }

  start(label: string, total: number | undefined, unit: WorkUnit): WorkTask {
    const t = new Task(this, escapeControl(label), total !== undefined && total > 0 ? total : undefined, unit, this.now());
    this.tasks.add(t);
    return t;
  }

  /** @internal A task's new value: show it once it is old enough, redraw it at most every REDRAW_MS. */
  advance(t: Task): void {
    if (!this.tasks.has(t)) return;
    const now = this.now();
    if (this.shown) {
      if (this.shown.task === t && now - this.shown.drawn >= REDRAW_MS) {
        this.shown.drawn = now;
        this.shown.bar.update(t.done);
      }
      return;
    }
    if (now - t.began < this.showAfterMs) return;
    const bar = new this.lib.SingleBar({
      stream: this.stream as NodeJS.WritableStream,
      format: (_o, params) => this.line(t, params.value, params.eta),
      barsize: BAR_CELLS,
      fps: 1000 / REDRAW_MS,
      etaBuffer: ETA_SAMPLES,
      clearOnComplete: true,
      hideCursor: false, // nothing to restore if the run is killed
      gracefulExit: false,
      linewrap: true, // cut to the width by cli-progress, never by turning the terminal's wrapping off
    });
    bar.start(t.total ?? 0, t.done);
    this.shown = { task: t, bar, drawn: now };
  }

  /** @internal */
  finish(t: Task): void {
    this.tasks.delete(t);
    if (this.shown?.task === t) this.hide();
  }

  /** Take the bar off the line (before other text is written there); it comes back on the next step. */
  hide(): void {
    const s = this.shown;
    if (!s) return;
    this.shown = undefined;
    s.bar.stop();
  }

  /** The end of the command: every bar goes, whatever its reader did. */
  close(): void {
    this.hide();
    this.tasks.clear();
  }

  private line(t: Task, value: number, etaSeconds: unknown): string {
    const width = Math.max(20, (this.stream.columns || 80) - 1); // a pty without a size says 0
    let right: string;
    if (t.total === undefined) right = ` ${amount(value, t.unit)} ${UNIT_NAME[t.unit]}`;
    else {
      const share = Math.min(1, value / t.total);
      const cells = Math.round(share * BAR_CELLS);
      right = ` [${'#'.repeat(cells)}${'-'.repeat(BAR_CELLS - cells)}] ${String(Math.floor(share * 100)).padStart(3)}% ` +
        `${amount(value, t.unit)}/${amount(t.total, t.unit)} ${UNIT_NAME[t.unit]} ETA ${eta(etaSeconds)}`;
    }
    return fit(t.label, width - right.length) + right;
  }
}

class Task implements WorkTask {
  done = 0;
  constructor(
    private readonly meter: TerminalProgress,
    readonly label: string,
    readonly total: number | undefined,
    readonly unit: WorkUnit,
    readonly began: number,
  ) {}

  at(done: number): void {
    this.done = done;
    this.meter.advance(this);
  }

  end(): void {
    this.meter.finish(this);
  }
}
