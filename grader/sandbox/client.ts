/**
 * The grader's side of the sandbox: starts a child process for one submission and calls its
 * functions over a JSON-lines channel, with time, memory and size limits enforced from out here.
 *
 * One Sandbox serves one submission, never two. A call that hangs, exits or crashes the child
 * marks that function broken (later calls to it fail at once, so a hanging function costs one
 * timeout, not one per test) and the child is restarted for the next call to another function.
 */
import childProcessModule = require('node:child_process');
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { decodeValue, encodeValue, readMessage, writeMessage } from './wire';
import { OUTPUT_MARK, type ChildMessage, type ThrownError } from './protocol';
import { positionMapOf, type PositionMap } from './sourcemap';

/** Node's permission model flag: `--permission` from Node 23 on, experimental before. */
const PERMISSION_FLAG = Number(process.versions.node.split('.')[0]) >= 23 ? '--permission' : '--experimental-permission';

/**
 * Process groups of every live child, killed when the grader exits, however it exits. One set and
 * one set of handlers per OS process: this module is loaded afresh by every jest run (a batch
 * makes one per group), and handlers added by each would pile up and keep every run's modules
 * alive. So the set hangs off a core module, which all of jest's module registries share.
 */
const LIVE: Set<number> = liveSet();

function liveSet(): Set<number> {
  const host = childProcessModule as unknown as Record<symbol, Set<number> | undefined>;
  const key = Symbol.for('vanishing-gradients-kit.sandbox.live');
  const existing = host[key];
  if (existing) return existing;
  const live = new Set<number>();
  host[key] = live;
  const killAll = (): void => {
    for (const pid of live) {
      try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    live.clear();
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
  return live;
}

/** How a sandbox runs its child. */
export interface SandboxOptions {
  /** The compiled submission (CommonJS). */
  modulePath: string;
  /** The built child runtime, `build/grader/sandbox/child.js`. */
  childScript: string;
  /** Longest one call may take before the child is killed. */
  callTimeoutMs: number;
  /**
   * Longest a call may take once one call of this submission has timed out: code that looped
   * forever once (often a helper the other functions call) need not be waited on as long again.
   */
  callTimeoutAfterHangMs: number;
  /** Longest loading the submission may take. */
  loadTimeoutMs: number;
  /** Total time all calls to one function may take. */
  fnBudgetMs: number;
  /** V8 heap limit of the child. */
  memoryMb: number;
  /** Limit on the child's whole address space (heap, Buffers, code), enforced by the kernel. */
  addressSpaceMb: number;
  /** Run the child as this user (set when the grader runs as root). */
  user?: { uid: number; gid: number };
  /** Largest reply line accepted from the child. */
  maxReplyBytes: number;
  /** Most characters of student output kept per function (and for loading). */
  maxOutputChars: number;
  /** Keep a log of the values calls returned (for hints), up to this many calls; 0 keeps none. */
  recordCalls?: number;
}

/** Defaults used by `npm run grade`. */
export const DEFAULT_SANDBOX_LIMITS = {
  callTimeoutMs: 2000,
  callTimeoutAfterHangMs: 500,
  loadTimeoutMs: 5000,
  fnBudgetMs: 6000,
  memoryMb: 256,
  addressSpaceMb: 1536,
  maxReplyBytes: 1024 * 1024,
  maxOutputChars: 2000,
} as const;

/** Why a call did not give a value or a thrown error. */
export type FailureReason =
  | 'load-timeout' | 'load-error' | 'load-exit' | 'missing-export'
  | 'timeout' | 'budget' | 'exit' | 'out-of-memory' | 'crash' | 'too-large' | 'protocol' | 'broken-earlier'
  // Only from the trusted side: the student release has no reference answer for the call.
  | 'no-reference';

/** The outcome of one call to a student function. */
export type CallOutcome =
  | { kind: 'returned'; value: unknown }
  | { kind: 'threw'; error: ThrownError }
  | { kind: 'failed'; reason: FailureReason; message: string };

/** Failures after which a function is not called again. */
const BREAKS_FUNCTION = new Set<FailureReason>(['timeout', 'budget', 'exit', 'out-of-memory', 'crash', 'protocol']);

/**
 * The calls sent to the child and not yet all answered: one call, or a run of calls to one
 * function (callEach) that the child serves in order. Only the head is running; its time limit
 * starts when the call before it is answered, so each call has its own limit, as if sent alone.
 */
type Pending = {
  /** The function. */
  fn: string;
  /** The ids of the calls sent, in order. */
  ids: number[];
  /** Outcomes of the calls answered so far. */
  outcomes: CallOutcome[];
  /** Resolves the run with the outcomes it has (fewer than sent when it ended early). */
  resolve: (o: CallOutcome[]) => void;
  /** The head's time limit. */
  timer: Deadline;
  /** The head's clock. */
  clock: CallClock;
  pid: number | undefined;
};

type Loaded = { ok: true; exports: Record<string, string> } | { ok: false; reason: FailureReason; message: string };

function seconds(ms: number): string {
  return `${+(ms / 1000).toFixed(1)} s`;
}

/** A child process running one submission. */
export class Sandbox {
  private child: ChildProcess | undefined;
  private loaded: Promise<Loaded> | undefined;
  private loadFailure: { reason: FailureReason; message: string } | undefined;
  private pending: Pending | undefined;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly broken = new Map<string, string>();
  private readonly recorded: { fn: string; args: unknown[]; value: unknown }[] = [];
  private readonly spent = new Map<string, number>();
  private readonly output = new Map<string, { stdout: string; stderr: string; dropped: number }>();
  private exitNotice: number | undefined;
  private everLoaded = false;
  private sentTo: { id: number; fn: string }[] = [];
  /** The last output mark seen on each stream of the current child. */
  private marks = { stdout: -1, stderr: -1 };
  private closed = false;
  /** Output and calls are no longer kept (see stopKeeping). */
  private muted = false;
  /** A call has timed out: later calls get callTimeoutAfterHangMs. */
  private hung = false;
  /** The compiled file's positions mapped to the source (read at the first error that has one). */
  private positions: PositionMap | null | undefined;
  /** Children started and not yet exited. */
  private readonly alive = new Set<ChildProcess>();
  private stderrTail = '';

  constructor(private readonly options: SandboxOptions) {}

  /** The functions the submission exports, with their `typeof`; undefined when it failed to load. */
  async exports(): Promise<Record<string, string> | undefined> {
    const loaded = await this.ensureStarted();
    return loaded.ok ? loaded.exports : undefined;
  }

  /** Why the submission could not be loaded, if it could not. */
  async loadProblem(): Promise<{ reason: FailureReason; message: string } | undefined> {
    const loaded = await this.ensureStarted();
    return loaded.ok ? undefined : { reason: loaded.reason, message: loaded.message };
  }

  /**
   * Starts the child and loads the submission now, before the first call: a batch starts the next
   * student's child while the current student's tests run. Its load time limit runs from here.
   */
  warm(): void {
    if (!this.closed) void this.ensureStarted();
  }

  /** Calls an exported function; calls are served one at a time, in order. */
  call(fn: string, args: unknown[]): Promise<CallOutcome> {
    return this.callEach(fn, [args]).then((o) => o[0]);
  }

  /**
   * Calls `fn` once per argument list: the same outcomes, limits and budget as that many calls in
   * a row, but sent to the child together (a sweep over the lab's hundred points is one exchange,
   * not a hundred). Every call is made, even after one fails, as a sweep's caller reads them all.
   */
  callEach(fn: string, argsList: unknown[][]): Promise<CallOutcome[]> {
    const run = this.queue.then(() => this.callEachNow(fn, argsList));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** What the student's code printed, per function ('(loading)' for the module's top level). */
  capturedOutput(): Record<string, string> {
    const out: Record<string, string> = {};
    // stdout, then stderr: two pipes have no common order, and results must not depend on one.
    for (const [key, { stdout, stderr, dropped }] of this.output) {
      const text = stdout + stderr;
      if (text.trim() === '' && dropped === 0) continue;
      out[key] = dropped > 0 ? `${text}\n… (${dropped} more characters not shown)` : text;
    }
    return out;
  }

  /** The calls that returned a value, with their arguments and values (see recordCalls). */
  recordedCalls(): { fn: string; args: unknown[]; value: unknown }[] {
    return this.recorded;
  }

  /**
   * Waits (briefly) until both output streams have passed the mark of the last call, so that
   * everything printed during the calls so far is counted, whatever the pipes' pace.
   */
  async settleOutput(): Promise<void> {
    await this.queue;
    const last = this.sentTo[this.sentTo.length - 1]?.id;
    if (this.child && last !== undefined) {
      // Marks are written where output follows; ask for the closing ones.
      try {
        (this.child.stdio[3] as Writable).write(writeMessage({ type: 'flush', id: last }) + '\n');
      } catch { /* the child is gone: its streams end, and the wait below is short */ }
      const deadline = Date.now() + 1000;
      while (Date.now() < deadline && Math.min(this.marks.stdout, this.marks.stderr) < last) {
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  }

  /**
   * Settles the output, then stops keeping output and recording calls: what the child prints or
   * returns from now on (the lab probe after the tests) is not the tests' business.
   */
  async stopKeeping(): Promise<void> {
    await this.settleOutput();
    this.muted = true;
  }

  /** Ends the child and everything it started. */
  async dispose(): Promise<void> {
    // Stop listening once the calls' output is in (output after that comes from timers, at no
    // fixed time), then end the child. Muted, nothing more is kept: no need to wait for it.
    if (this.muted) await this.queue;
    else await this.settleOutput();
    this.closed = true;
    this.kill();
    // SIGKILL is delivered, not done: wait (briefly) until every child this sandbox started has
    // really exited, so that nothing of the submission outlives grading.
    const deadline = Date.now() + 3000;
    while (this.alive.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }

  /** Why `fn` cannot be called now (not loaded, not exported, broken, out of budget), if so. */
  private async refusal(fn: string): Promise<CallOutcome | undefined> {
    const loaded = await this.ensureStarted();
    if (!loaded.ok) return { kind: 'failed', reason: loaded.reason, message: loaded.message };
    if (loaded.exports[fn] === undefined) {
      return { kind: 'failed', reason: 'missing-export', message: `your file does not export a function named ${fn}` };
    }
    if (loaded.exports[fn] !== 'function') {
      return { kind: 'failed', reason: 'missing-export', message: `your file exports ${fn}, but it is a ${loaded.exports[fn]}, not a function` };
    }
    const broken = this.broken.get(fn);
    if (broken) return { kind: 'failed', reason: 'broken-earlier', message: `not run: ${broken}` };
    if (this.remaining(fn) <= 0) {
      return { kind: 'failed', reason: 'budget', message: `not run: the calls to ${fn} used up its time budget of ${seconds(this.options.fnBudgetMs)}` };
    }
    return undefined;
  }

  /** What is left of `fn`'s time budget, in ms. */
  private remaining(fn: string): number {
    return this.options.fnBudgetMs - (this.spent.get(fn) ?? 0);
  }

  /** The time limit of `fn`'s next call. */
  private limitFor(fn: string): number {
    return Math.min(this.hung ? this.options.callTimeoutAfterHangMs : this.options.callTimeoutMs, this.remaining(fn));
  }

  private async callEachNow(fn: string, argsList: unknown[][]): Promise<CallOutcome[]> {
    const outcomes: CallOutcome[] = [];
    while (outcomes.length < argsList.length) {
      const refused = await this.refusal(fn);
      if (refused) {
        outcomes.push(refused);
        continue;
      }
      // The rest go together; the run ends early when a call breaks the child (a timeout, an
      // exit) or the budget runs out, and the loop above then says why for each call left.
      const rest = argsList.slice(outcomes.length);
      const answered = await this.send(fn, rest);
      for (const [k, raw] of answered.entries()) outcomes.push(this.finish(fn, rest[k], raw));
    }
    return outcomes;
  }

  /** One call's outcome as the caller sees it; records it and marks the function broken if need be. */
  private finish(fn: string, args: unknown[], raw: CallOutcome): CallOutcome {
    let outcome = raw;
    if (outcome.kind === 'threw' && outcome.error.name === 'UnreadableResult') {
      outcome = { kind: 'failed', reason: 'too-large', message: outcome.error.message };
    } else if (outcome.kind === 'threw' && /allocation failed|out of memory/i.test(outcome.error.message)) {
      outcome = { kind: 'failed', reason: 'out-of-memory', message: this.outOfMemory() };
    }
    if (outcome.kind === 'returned' && !this.muted && this.recorded.length < (this.options.recordCalls ?? 0)) {
      this.recorded.push({ fn, args, value: outcome.value });
    }
    if (outcome.kind === 'failed' && outcome.reason === 'timeout') this.hung = true;
    // Hanging, exiting, crashing or exhausting memory once is enough: later calls are skipped.
    if (outcome.kind === 'failed' && BREAKS_FUNCTION.has(outcome.reason)) {
      this.broken.set(fn, `${fn} ${outcome.message.replace(/^your code /, '')} in an earlier test`);
    }
    return outcome;
  }

  private ensureStarted(): Promise<Loaded> {
    if (this.loadFailure) return Promise.resolve({ ok: false, ...this.loadFailure });
    if (!this.child || !this.loaded) this.loaded = this.start();
    return this.loaded;
  }

  private start(): Promise<Loaded> {
    const o = this.options;
    this.exitNotice = undefined;
    const moduleDir = path.dirname(o.modulePath);
    const runtimeDir = path.dirname(o.childScript);
    // Limits the kernel enforces, set by a shell that then becomes node: address space (Buffers
    // live outside V8's heap limit), no files written, no core dumps.
    // A limit the system does not support (macOS has no address-space limit) is skipped, not fatal.
    const limits = `ulimit -v ${o.addressSpaceMb * 1024} 2>/dev/null; ulimit -f 0 2>/dev/null; ulimit -c 0 2>/dev/null; exec "$0" "$@"`;
    const child = spawn('/bin/sh', ['-c', limits, process.execPath,
      PERMISSION_FLAG,
      `--allow-fs-read=${runtimeDir}${path.sep}`,
      `--allow-fs-read=${moduleDir}${path.sep}`,
      '--no-warnings',
      '--no-addons',
      `--max-old-space-size=${o.memoryMb}`,
      '--disallow-code-generation-from-strings',
      o.childScript,
      o.modulePath,
    ], {
      cwd: moduleDir,
      detached: true, // its own process group, so everything it starts can be killed together
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      env: { NODE_ENV: 'test', LANG: 'C.UTF-8' },
      ...(o.user ? { uid: o.user.uid, gid: o.user.gid } : {}),
    });
    if (child.pid !== undefined) LIVE.add(child.pid);
    this.alive.add(child);
    child.on('exit', () => {
      if (child.pid !== undefined) LIVE.delete(child.pid);
      this.alive.delete(child);
    });
    this.child = child;
    const requests = child.stdio[3] as Writable;
    const replies = child.stdio[4] as Readable;
    requests.on('error', () => { /* the child died; the exit handler reports it */ });
    // The calls sent to this child, in order: output is attributed to them by the child's marks.
    const sent: { id: number; fn: string }[] = [];
    this.sentTo = sent;
    this.capture(child.stdout!, sent);
    this.capture(child.stderr!, sent, true);

    let ready: (l: Loaded) => void = () => undefined;
    const loadedPromise = new Promise<Loaded>((resolve) => { ready = resolve; });
    let loaded = false;
    const loadClock = new CallClock(child.pid);
    const loadTimer = cpuDeadline(loadClock, o.loadTimeoutMs, () => {
      if (loaded || this.child !== child) return;
      this.failLoad(ready, 'load-timeout', `your code did not finish loading within ${seconds(o.loadTimeoutMs)} (an endless loop at the top level of your file?)`);
    });
    const readyOnce = ready;
    ready = (l: Loaded): void => { loaded = true; readyOnce(l); };

    let buffer = '';
    replies.setEncoding('utf8');
    replies.on('data', (chunk: string) => {
      // A killed child's last words (a reply still in the pipe) concern nobody any more.
      if (this.child !== child) return;
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.length > o.maxReplyBytes) {
          buffer = '';
          this.tooLarge();
          return;
        }
        let message: ChildMessage;
        try {
          message = readMessage(line) as ChildMessage;
        } catch {
          this.settle({ kind: 'failed', reason: 'protocol', message: 'your code interfered with the grader\'s channel' });
          this.kill();
          return;
        }
        this.onMessage(message, ready, loadTimer);
        if (this.child !== child) return;
      }
      // A reply still without its newline past the cap is refused before it is all read.
      if (buffer.length > o.maxReplyBytes) {
        buffer = '';
        this.tooLarge();
      }
    });

    child.on('exit', (code, signal) => {
      loadTimer.clear();
      const outcome = this.describeExit(code, signal);
      if (this.child === child) {
        this.child = undefined;
        this.failLoad(ready, outcome.reason === 'exit' ? 'load-exit' : outcome.reason, `${outcome.message} while loading`, false);
        this.settle(outcome);
      } else {
        // Replaced or killed by us: whoever still waits on this start learns it is gone.
        ready({ ok: false, reason: 'crash', message: 'the process running your code was stopped' });
      }
    });
    child.on('error', () => { /* spawn failure surfaces as an exit */ });
    return loadedPromise;
  }

  private onMessage(message: ChildMessage, ready: (l: Loaded) => void, loadTimer: Deadline): void {
    switch (message.type) {
      case 'ready':
        loadTimer.clear();
        this.everLoaded = true;
        ready({ ok: true, exports: message.exports });
        return;
      case 'load-error':
        loadTimer.clear();
        this.failLoad(ready, 'load-error', `your code threw while loading: ${formatThrown(this.mapped(message.error))}`);
        return;
      case 'exit':
        this.exitNotice = message.code;
        return;
      case 'reply': {
        const p = this.pending;
        if (!p || message.id !== p.ids[p.outcomes.length]) {
          this.settle({ kind: 'failed', reason: 'protocol', message: 'your code interfered with the grader\'s channel' });
          this.kill();
          return;
        }
        this.settle(message.ok ? { kind: 'returned', value: decodeValue(message.value) } : { kind: 'threw', error: this.mapped(message.error) }, true);
      }
    }
  }

  /** The error with its position in the student's TypeScript (the child reports the compiled file's). */
  private mapped(error: ThrownError): ThrownError {
    if (!error.location) return error;
    if (this.positions === undefined) {
      try {
        this.positions = positionMapOf(fs.readFileSync(this.options.modulePath, 'utf8')) ?? null;
      } catch {
        this.positions = null;
      }
    }
    const [line, col] = error.location.split(':').map(Number);
    const original = this.positions?.(line, col);
    return { ...error, location: original ? `${original.line}:${original.col}` : error.location };
  }

  private failLoad(ready: (l: Loaded) => void, reason: FailureReason, message: string, kill = true): void {
    // Only a submission that never loaded is a load failure; a restart after a broken call
    // loads code that already loaded once.
    if (!this.everLoaded && !this.loadFailure) this.loadFailure = { reason, message };
    ready({ ok: false, reason, message });
    if (kill) this.kill();
  }

  private describeExit(code: number | null, signal: NodeJS.Signals | null): { kind: 'failed'; reason: FailureReason; message: string } {
    if (this.exitNotice !== undefined) {
      return { kind: 'failed', reason: 'exit', message: `your code called process.exit(${this.exitNotice})` };
    }
    if (/heap out of memory|Allocation failed|ERR_MEMORY_ALLOCATION|RangeError: Array buffer allocation failed/i.test(this.stderrTail) || code === 134) {
      return { kind: 'failed', reason: 'out-of-memory', message: this.outOfMemory() };
    }
    if (signal === 'SIGKILL') {
      return { kind: 'failed', reason: 'crash', message: 'the process running your code was stopped' };
    }
    return { kind: 'failed', reason: 'crash', message: `the process running your code ended unexpectedly (${signal ? `signal ${signal}` : `exit code ${code}`})` };
  }

  /**
   * Sends calls to `fn` (one, or a run) in one write and resolves with the outcomes of those that
   * were answered, in order: all of them, or fewer when one ended the run (see settle).
   */
  private send(fn: string, argsList: unknown[][]): Promise<CallOutcome[]> {
    const child = this.child;
    if (!child) return Promise.resolve([{ kind: 'failed', reason: 'crash', message: 'the process running your code is gone' }]);
    const ids = argsList.map(() => this.nextId++);
    return new Promise<CallOutcome[]>((resolve) => {
      const p: Pending = { fn, ids, outcomes: [], resolve, timer: { clear: () => undefined }, clock: new CallClock(child.pid), pid: child.pid };
      this.pending = p;
      this.startHead(p);
      let lines = '';
      for (const [k, id] of ids.entries()) {
        this.sentTo.push({ id, fn });
        lines += writeMessage({ type: 'call', id, fn, args: encodeValue(argsList[k]) }) + '\n';
      }
      (child.stdio[3] as Writable).write(lines);
    });
  }

  /** Starts the time limit of the run's head (the call the child is serving now). */
  private startHead(p: Pending): void {
    const id = p.ids[p.outcomes.length];
    const limitMs = this.limitFor(p.fn);
    p.clock.stop();
    p.clock = new CallClock(p.pid);
    p.timer = cpuDeadline(p.clock, limitMs, () => {
      if (this.pending !== p || p.ids[p.outcomes.length] !== id) return;
      this.settle({ kind: 'failed', reason: 'timeout', message: `timed out after ${seconds(limitMs)} (an endless loop?)` });
      this.kill();
    });
  }

  /**
   * The head of the run ended with `outcome`. An answer (`next`) moves on to the next call, unless
   * the budget is spent (the child, busy with calls that should not run, is then stopped); any
   * other outcome (a timeout, an exit, a crash) ends the run.
   */
  private settle(outcome: CallOutcome, next = false): void {
    const p = this.pending;
    if (!p) return;
    p.timer.clear();
    // The budget counts the CPU the call used where it can be read (a busy machine is not the
    // student's fault), the wall-clock time elsewhere.
    const used = p.clock.used();
    p.clock.stop();
    this.spent.set(p.fn, (this.spent.get(p.fn) ?? 0) + used);
    p.outcomes.push(outcome);
    if (next && p.outcomes.length < p.ids.length) {
      if (this.remaining(p.fn) > 0) {
        this.startHead(p);
        return;
      }
      this.kill();
    }
    this.pending = undefined;
    p.resolve(p.outcomes);
  }

  /**
   * Collects one of the child's output streams. Text before the load mark is '(loading)'; text
   * after the mark of call k belongs to the next call sent after k, or, when none was sent yet
   * (a timer the student left running), to the last call made.
   */
  private capture(stream: Readable, sent: { id: number; fn: string }[], isStderr = false): void {
    let afterId = -1;
    const which = isStderr ? 'stderr' : 'stdout';
    this.marks[which] = -1;
    let carry = '';
    const owner = (): string => {
      if (afterId < 0) return '(loading)';
      const next = sent.find((c) => c.id > afterId);
      return (next ?? sent[sent.length - 1])?.fn ?? '(loading)';
    };
    let fatal = false;
    const keep = (text: string): void => {
      if (!text || this.closed) return;
      if (isStderr) {
        this.stderrTail = (this.stderrTail + text).slice(-4000);
        // V8's report of a fatal out-of-memory is not the student's output (the verdict says it),
        // and its timings would make results differ from run to run.
        if (fatal) return;
        const at = text.search(/<--- Last few GCs --->|FATAL ERROR:/);
        if (at >= 0) {
          fatal = true;
          text = text.slice(0, at).replace(/\s+$/, '');
          if (!text) return;
        }
      }
      if (this.muted) return;
      const key = owner();
      const entry = this.output.get(key) ?? { stdout: '', stderr: '', dropped: 0 };
      const room = this.options.maxOutputChars - entry.stdout.length - entry.stderr.length;
      if (room > 0) entry[isStderr ? 'stderr' : 'stdout'] += text.slice(0, room);
      entry.dropped += Math.max(0, text.length - Math.max(room, 0));
      this.output.set(key, entry);
    };
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      let text = carry + chunk;
      carry = '';
      for (;;) {
        const at = text.indexOf(OUTPUT_MARK);
        if (at < 0) break;
        const end = text.indexOf('\n', at);
        if (end < 0) break; // a mark cut in two: wait for the rest
        keep(text.slice(0, at));
        const [idText, droppedText] = text.slice(at + OUTPUT_MARK.length, end).split(':');
        const unsent = Number(droppedText) || 0;
        if (unsent > 0 && !this.closed) {
          const entry = this.output.get(owner()) ?? { stdout: '', stderr: '', dropped: 0 };
          entry.dropped += unsent;
          this.output.set(owner(), entry);
        }
        afterId = Number(idText);
        if (sent === this.sentTo) this.marks[which] = afterId;
        text = text.slice(end + 1);
      }
      // Hold back what may be the start of a mark; a student's own text is kept (capped) as is.
      const tail = text.slice(Math.max(0, text.lastIndexOf(OUTPUT_MARK[0])));
      const markBegins = tail.startsWith(OUTPUT_MARK[0]) && (OUTPUT_MARK.startsWith(tail)
        || (tail.startsWith(OUTPUT_MARK) && /^[\d:]*$/.test(tail.slice(OUTPUT_MARK.length))));
      if (markBegins) {
        carry = tail;
        text = text.slice(0, text.length - tail.length);
      }
      keep(text);
    });
  }

  private outOfMemory(): string {
    return `your code ran out of memory (limit ${this.options.memoryMb} MB for objects and arrays, ${this.options.addressSpaceMb} MB in all)`;
  }

  private tooLarge(): void {
    this.settle({ kind: 'failed', reason: 'too-large', message: `returned a value larger than the ${Math.round(this.options.maxReplyBytes / 1024)} KB the grader accepts` });
    this.kill();
  }

  private kill(): void {
    const child = this.child;
    // Forget it first: its exit event then settles nothing, and the next call starts afresh.
    this.child = undefined;
    if (!child || child.pid === undefined) return;
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
}

/** How far past its limit, in wall-clock time, a call starved of CPU may run. */
const MAX_STRETCH = 5;

/** The clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used, in ms; undefined where /proc cannot tell. */
export function cpuMillis(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** A running time limit. */
interface Deadline {
  /** Stops it. */
  clear(): void;
}

/** How long a call may run before its CPU time is looked at (most calls take far less). */
const CPU_SAMPLE_AFTER_MS = 20;

/**
 * The time a call (or a load) has taken: in the child's CPU time where /proc tells it, else in
 * wall-clock time. /proc is read only for calls that last: a call done within
 * CPU_SAMPLE_AFTER_MS counts its wall-clock time (an upper bound of its CPU time), and for longer
 * ones the CPU counter is first read then, assuming the child used all of that first stretch.
 * The grader makes thousands of short calls; reading /proc for each was a tenth of its time.
 */
class CallClock {
  private readonly startWall = Date.now();
  private startCpu: number | undefined;
  private readonly sampler: NodeJS.Timeout;

  constructor(private readonly pid: number | undefined) {
    this.sampler = setTimeout(() => {
      const now = cpuMillis(pid);
      if (now !== undefined) this.startCpu = now - (Date.now() - this.startWall);
    }, CPU_SAMPLE_AFTER_MS);
  }

  /** Wall-clock ms since the start. */
  wall(): number {
    return Date.now() - this.startWall;
  }

  /** CPU ms used since the start where known, else wall-clock ms. */
  used(): number {
    const wall = this.wall();
    if (this.startCpu === undefined) return wall;
    const now = cpuMillis(this.pid);
    return now === undefined ? wall : Math.max(0, now - this.startCpu);
  }

  /** Stops sampling (the call is over). */
  stop(): void {
    clearTimeout(this.sampler);
  }
}

/**
 * A time limit measured in the child's CPU time where /proc tells it, so that a child starved of
 * CPU by a busy machine (a batch on two cores, a CI runner) is not called an endless loop: when the
 * limit is up in wall-clock time but the child has used less than 80% of it in CPU, the wait goes
 * on for the CPU it is owed, up to MAX_STRETCH times the limit. A child that sleeps or blocks uses
 * no CPU, so the wall-clock cap still ends it.
 */
function cpuDeadline(clock: CallClock, limitMs: number, expire: () => void): Deadline {
  let timer: NodeJS.Timeout;
  const check = (): void => afterPendingIo(() => {
    const wall = clock.wall();
    const cpu = clock.used();
    if (cpu < limitMs * 0.8 && wall < limitMs * MAX_STRETCH) {
      timer = setTimeout(check, Math.max(50, limitMs - cpu));
      return;
    }
    expire();
  });
  timer = setTimeout(check, limitMs);
  return { clear: () => { clearTimeout(timer); clock.stop(); } };
}

/**
 * Runs `f` after the I/O that is already waiting has been read. Timers fire before I/O in Node's
 * event loop; when the grader's own loop was busy (jest compiling the suites, say), a reply may
 * sit unread in the pipe when the timer fires, and must not be called a timeout.
 */
function afterPendingIo(f: () => void): void {
  setImmediate(f);
}

/**
 * One line for a thrown error, to follow "threw": `RangeError: num must be … (at line 12)`, or for
 * a value that is not an Error, `a string instead of an Error: "oops"`.
 */
export function formatThrown(error: ThrownError): string {
  const where = error.location ? ` (at line ${error.location.split(':')[0]})` : '';
  if (error.notAnError) {
    const what = error.name === 'undefined' || error.name === 'null' ? error.name : `${/^[aeiou]/.test(error.name) ? 'an' : 'a'} ${error.name}`;
    const shown = error.message === error.name ? '' : `: ${error.message}`;
    return `${what} instead of an Error${shown}`;
  }
  return `${error.name}: ${error.message}${where}`;
}
