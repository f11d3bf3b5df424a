/**
 * The grader's side of the renderer process (renderer.ts). The process starts at the first
 * request, not before: a correct submission's figures are the reference figures, which are cached,
 * so grading it never pays for importing vega, vega-lite and sharp.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { ensureFontsConf } from './fontconfig';
import { KIT_ROOT } from '../lib/paths';
import { cacheDir } from '../lib/cache-dir';
import { installRecord } from '../lib/package-version';
import { refuseSnapshot, snapshotFor, watchStart } from '../lib/snapshots';
import { RENDERER_V8_FLAGS } from './flags';
import { RUNTIMES_ENV, RUNTIMES_SALT_ENV } from './runtimes';

type Reply = { id: number; png?: string; differing?: number; size?: number[]; error?: string };

/** A running renderer process. */
/** Longest the renderer may go without answering while requests wait (a chart takes 10 to 300 ms). */
export const STALL_MS = Number(process.env.VG_RENDER_STALL_MS) || 30_000;


/** The environment, without NODE_OPTIONS when `drop`. */
function withoutNodeOptions(env: NodeJS.ProcessEnv, drop: boolean): NodeJS.ProcessEnv {
  if (!drop) return env;
  const { NODE_OPTIONS: _, ...rest } = env;
  return rest;
}

export class Renderer {
  private child: ChildProcess | undefined;
  private readonly waiting = new Map<number, (r: Reply) => void>();
  private nextId = 1;
  private failure: string | undefined;
  /** Fires when the renderer has had requests and answered none of them for STALL_MS. */
  private stallTimer: NodeJS.Timeout | undefined;
  /** The process's start, until it has answered that it is loaded. */
  private warmed: Promise<void> | undefined;
  /** A renderer of this client failed to start from the snapshot: the next ones start from the script. */
  private snapshotFailed = false;
  /** Closed by its owner: a renderer that ends now was ended, it did not fail. */
  private closed = false;

  /**
   * A renderer that starts on first use; `env` may override the environment (tests point
   * FONTCONFIG elsewhere); `snapshot` gives the startup snapshot it starts from (tests: none, or
   * one that Node refuses).
   */
  constructor(private readonly env: NodeJS.ProcessEnv = process.env, private readonly stallMs: number = STALL_MS, private readonly snapshot: () => string | undefined = () => snapshotFor('renderer', [...RENDERER_V8_FLAGS])) {}

  /** The live process's pid (tests). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  private start(): ChildProcess {
    const script = path.join(KIT_ROOT, 'build', 'grader', 'render', 'renderer.js');
    // From the renderer's startup snapshot when this Node has one (vega and vega-lite loaded and
    // warm: lib/snapshots.ts); the script stays its argv[1], which it loads sharp beside.
    const snapshot = this.snapshotFailed ? undefined : this.snapshot();
    const child = spawn(process.execPath, [...(snapshot ? ['--snapshot-blob', snapshot] : []), ...RENDERER_V8_FLAGS, script], {
      // Set before the renderer loads sharp: fontconfig reads it once.
      // MALLOC_ARENA_MAX: glibc gives each thread its own heap otherwise, and a long-lived
      // renderer (a batch) then keeps hundreds of MB it no longer uses.
      // From a snapshot, without the user's NODE_OPTIONS: V8 flags there would make Node 20 and 22
      // refuse it (the renderer is the kit's own process; nothing of it is the user's to tune).
      // Its compiled figures are kept with the kit's other caches (runtimes.ts), unless the caller's
      // environment names another folder.
      env: { [RUNTIMES_ENV]: cacheDir('vg-vega-runtimes'), [RUNTIMES_SALT_ENV]: installRecord(), ...withoutNodeOptions(this.env, snapshot !== undefined), FONTCONFIG_FILE: ensureFontsConf(), MALLOC_ARENA_MAX: '2' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-2000); });
    let ready = false;
    // One started from a snapshot that does not say it is ready in time is stopped, and its
    // requests go to one started from the script (below).
    const started = watchStart(snapshot !== undefined, () => child.kill('SIGKILL'));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const reply = JSON.parse(line) as Reply & { ready?: boolean };
      if (reply.ready) {
        ready = true;
        started();
        return;
      }
      this.waiting.get(reply.id)?.(reply);
      this.waiting.delete(reply.id);
      mine.delete(reply.id);
      this.watch();
    });
    let stalled = false;
    /** The requests sent to this process and not answered yet (each as the line that was sent). */
    const mine = new Map<number, string>();
    (child as ChildProcess & { mine?: Map<number, string> }).mine = mine;
    child.on('exit', (code, signal) => {
      started();
      if (!ready && snapshot && !stalled && !this.closed) {
        // It could not start from the snapshot (a blob this Node refuses, say): its requests go to
        // a renderer started from the script, as do this grader's from now on.
        refuseSnapshot(snapshot, `the renderer ${signal ? `was killed by ${signal}` : `exited with code ${code}`} before it was ready: ${stderr.trim().split('\n').pop() ?? ''}`);
        this.snapshotFailed = true;
        if (this.child === child) this.child = undefined;
        const pending = [...mine];
        mine.clear();
        if (pending.length > 0) {
          const next = (this.child ??= this.start());
          const theirs = (next as ChildProcess & { mine?: Map<number, string> }).mine!;
          for (const [id, sent] of pending) {
            theirs.set(id, sent);
            next.stdin!.write(sent);
          }
        }
        this.watch();
        return;
      }
      const why = stalled
        ? `the figure renderer drew nothing for ${this.stallMs / 1000} s and was stopped (a fault of the kit)`
        : `the figure renderer stopped (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').pop() ?? ''}`;
      // Only the requests this process held fail (a new renderer may hold others by now).
      for (const id of mine.keys()) {
        this.waiting.get(id)?.({ id: 0, error: why });
        this.waiting.delete(id);
      }
      mine.clear();
      // A renderer that hung is replaced on the next request (a batch's other students still get
      // their figures); one that crashed is not started again.
      if (stalled) {
        if (this.child === child) this.child = undefined;
      } else this.failure = why;
      // The watch follows whichever renderer holds the requests now (none, after a crash).
      this.watch();
    });
    (child as ChildProcess & { stall?: () => void }).stall = () => {
      stalled = true;
      // Gone at once: a figure asked for from now on goes to a new renderer, not to this one.
      if (this.child === child) this.child = undefined;
      child.kill('SIGKILL');
    };
    child.on('error', () => { /* reported by exit */ });
    child.stdin!.on('error', () => { /* reported by exit */ });
    return child;
  }

  /**
   * Starts the process now, so that its start overlaps other work. Resolves once it has loaded
   * (or failed to): from then on it only waits for figures.
   */
  warm(): Promise<void> {
    if (this.failure) return Promise.resolve();
    if (this.child) return this.warmed ?? Promise.resolve();
    this.child = this.start();
    this.warmed = this.request({ kind: 'warm' }).then(() => undefined);
    return this.warmed;
  }

  private request(message: Record<string, unknown>): Promise<Reply> {
    if (this.failure) return Promise.resolve({ id: 0, error: this.failure });
    const id = this.nextId++;
    this.child ??= this.start();
    const child = this.child;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      const line = JSON.stringify({ id, ...message }) + '\n';
      (child as ChildProcess & { mine?: Map<number, string> }).mine?.set(id, line);
      child.stdin!.write(line);
      if (!this.stallTimer) this.watch();
    });
  }

  /**
   * (Re)arms the stall watch: while requests wait, the renderer must answer one at least every
   * STALL_MS, or it is stopped and they fail with the reason (a chart vega never finishes must
   * not hold a grading, or a class, forever).
   */
  private watch(): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    if (this.waiting.size === 0 || !this.child) return;
    const child = this.child as ChildProcess & { stall?: () => void };
    this.stallTimer = setTimeout(() => child.stall?.(), this.stallMs);
    this.stallTimer.unref();
  }

  /** Renders one Vega-Lite spec to PNG bytes. */
  async chart(spec: unknown): Promise<Buffer> {
    const reply = await this.request({ kind: 'chart', spec });
    if (reply.error || !reply.png) throw new Error(reply.error ?? 'the renderer gave no image');
    return Buffer.from(reply.png, 'base64');
  }

  /**
   * Renders one Vega-Lite spec to PNG bytes, with the share of its pixels that differ visibly from
   * the PNG `against` (as {@link share} gives it): one request, and the drawing is not decoded again.
   */
  async chartAgainst(spec: unknown, against: Buffer): Promise<{ png: Buffer; share: number }> {
    const reply = await this.request({ kind: 'chart', spec, against: against.toString('base64') });
    if (reply.error || !reply.png || reply.differing === undefined) throw new Error(reply.error ?? 'the renderer gave no image');
    return { png: Buffer.from(reply.png, 'base64'), share: reply.differing };
  }

  /** The share of pixels that differ visibly between two PNGs (advisory). */
  async share(a: Buffer, b: Buffer): Promise<number> {
    const reply = await this.request({ kind: 'share', a: a.toString('base64'), b: b.toString('base64') });
    if (reply.error || reply.differing === undefined) throw new Error(reply.error ?? 'the renderer gave no answer');
    return reply.differing;
  }

  /** Compares two PNGs pixel for pixel: how many pixels differ (-1 when their sizes differ). */
  async compare(a: Buffer, b: Buffer): Promise<number> {
    const reply = await this.request({ kind: 'compare', a: a.toString('base64'), b: b.toString('base64') });
    if (reply.error || reply.differing === undefined) throw new Error(reply.error ?? 'the renderer gave no answer');
    return reply.differing;
  }

  /**
   * Ends the renderer: it finishes what it was asked and exits. This process does not wait for
   * that (a renderer's exit, its heap given back, took about 20 ms at the end of every grade): the
   * child and its pipes no longer hold this process open, and should this process end first, the
   * renderer is killed on the way out (everything it was asked is answered by then, or nobody
   * waits for it any more).
   */
  close(): void {
    this.closed = true;
    const child = this.child;
    if (!child) return;
    child.stdin!.end();
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    const kill = (): void => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); };
    process.once('exit', kill);
    child.once('exit', () => process.removeListener('exit', kill));
    child.unref();
    for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
  }
}
