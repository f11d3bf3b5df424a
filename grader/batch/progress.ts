/**
 * Batch, progress: on a terminal, one line redrawn in place (a bar, counts by status, elapsed
 * time, an ETA), never longer than the terminal is wide (a wrapped line cannot be redrawn), with
 * any other message printed above it; anywhere else (a CI log), a plain line every few seconds and
 * one at the end. Writes to stderr: stdout stays free for what the command prints at the end.
 */
import type { RowStatus } from './csv';
import { safeLine } from '../report/sanitize';
import { canRedraw } from '../lib/terminal';

function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}` : `${m}:${String(s % 60).padStart(2, '0')}`;
}

/** Where progress goes (process.stderr, or a fake in tests). */
export interface ProgressStream {
  /** Writes text. */
  write(text: string): unknown;
  /** True on a terminal. */
  isTTY?: boolean;
  /** The terminal's width. */
  columns?: number;
}

/** Counts graded students and shows how far the batch is. */
export class Progress {
  private done = 0;
  private readonly counts = new Map<RowStatus, number>();
  private readonly started: number;
  private lastDrawn = 0;
  private lastLine = 0;
  /** Whether the bar is redrawn in place (a terminal that is not TERM=dumb), else plain lines. */
  private readonly tty: boolean;

  constructor(
    private readonly total: number,
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = Date.now,
    /** How often a plain line is printed when not on a terminal. */
    private readonly lineEveryMs = 10_000,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.tty = canRedraw(stream, env);
    this.started = now();
    this.lastLine = this.started;
  }

  /** One more student graded. */
  tick(status: RowStatus): void {
    this.done++;
    this.counts.set(status, (this.counts.get(status) ?? 0) + 1);
    const t = this.now();
    if (this.tty) {
      if (t - this.lastDrawn >= 100 || this.done === this.total) {
        this.lastDrawn = t;
        this.draw();
      }
    } else if (t - this.lastLine >= this.lineEveryMs && this.done < this.total) {
      this.lastLine = t;
      this.stream.write(`${this.line(false)}\n`);
    }
  }

  /** A message, printed above the bar (which is drawn again below it), escaped (one line). */
  log(text: string): void {
    // The workers' lines may quote a student's id or file name: shown escaped, never run.
    const message = safeLine(text);
    if (!this.tty) {
      this.stream.write(`${message}\n`);
      return;
    }
    this.stream.write(`\r\u001b[K${message}\n`);
    if (this.done > 0) this.draw();
  }

  /** The last line (the terminal's line is ended), without an ETA: nothing more is coming. */
  finish(): void {
    const last = this.line(false, false);
    this.stream.write(this.tty ? `\r${this.fit(last)}\u001b[K\n` : `${last}\n`);
  }

  /** The bar, redrawn in place. */
  private draw(): void {
    this.stream.write(`\r${this.fit(this.line(true))}\u001b[K`);
  }

  /** The line cut to the terminal's width, less one column (a full line wraps on some terminals). */
  private fit(line: string): string {
    const width = Math.max(10, (this.stream.columns ?? 80) - 1);
    return [...line].length > width ? [...line].slice(0, Math.max(0, width - 1)).join('') + '…' : line;
  }

  /** The status line: counts, elapsed time and, while running, the ETA. */
  line(bar: boolean, eta = true): string {
    const elapsed = this.now() - this.started;
    const pct = this.total ? Math.floor((100 * this.done) / this.total) : 100;
    const by = [...this.counts.entries()].map(([s, n]) => `${s} ${n}`).join(' · ');
    const left = eta && this.done > 0 && this.done < this.total ? ` · ETA ${clock((elapsed / this.done) * (this.total - this.done))}` : '';
    const width = 24;
    const filled = this.total ? Math.round((width * this.done) / this.total) : width;
    const head = bar ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : '';
    return `${head}${this.done}/${this.total} (${pct}%)${by ? ` · ${by}` : ''} · ${clock(elapsed)} elapsed${left}`;
  }
}
