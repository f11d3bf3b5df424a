/**
 * The grader's side of the sandbox: starts a child process for one submission and calls its
 * functions over a JSON-lines channel, with time, memory and size limits enforced from out here.
 *
 * One Sandbox serves one submission, never two. A call that hangs, exits or crashes the child
 * marks that function broken (later calls to it fail at once, so a hanging function costs one
 * timeout, not one per test) and the child is restarted for the next call to another function.
 * The limits it enforces and what a call can come to are in contract.ts.
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { encodeValue, stringCost, WireLimitError, writeMessage } from './wire';
import { REPLY_LIMITS } from './messages';
import type { ChildMessage, ThrownError } from './protocol';
import { positionMapOf, type PositionMap } from './sourcemap';
import { CallClock, cpuDeadline, MAX_STRETCH, residentMb, type Deadline } from './clock';
import { OutputLog, type SentCall } from './capture';
import { detectIsolation, UidLease, type IsolationPlan } from './isolation';
import { INFO_FD, killChild, launchChild, stopEarly, takeEarly, untilEnded, type EarlyChild } from './launch';
import { parseChildMessage } from './messages';
import { BREAKS_FUNCTION, formatThrown, type CallOutcome, type FailureReason, type SandboxOptions } from './contract';

/** A call that returned, as the sandbox keeps it for the hints: what it was given and gave back. */
export interface RecordedCall {
  /** The function. */
  fn: string;
  /** Its arguments, as sent. */
  args: unknown[];
  /** What it returned. */
  value: unknown;
  /** The visibility of the test that made it (`public` or `hidden`), when known. */
  tag?: string;
  /** The indices of the arguments the call changed in place. */
  changed?: number[];
  /** The index of an argument the call returned itself, not a new value. */
  returnedArgument?: number;
}

// The contract, for the modules that import it from here.
export { DEFAULT_SANDBOX_LIMITS, formatThrown, type CallOutcome, type FailureReason, type SandboxOptions } from './contract';

/**
 * A child whose resident memory has reached its heap limit when its time runs out is out of
 * memory (V8 collecting garbage at the limit, again and again), not in an endless loop.
 */
const HEAP_FULL_SHARE = 1;

/**
 * A child past this share of its heap limit when its time runs out may be collecting garbage
 * before it gives up (a reading taken mid-collection is below the limit: a memory bomb was once
 * reported as timed out on a loaded machine). It gets OOM_GRACE_MS more to run out of memory;
 * a loop that merely holds memory (garbage of earlier calls) is then stopped as timed out.
 */
const HEAP_NEAR_SHARE = 0.5;
const OOM_GRACE_MS = 1000;


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
  /** Set when the head's time ran out near the heap limit (its limit, in ms): an answer now is too late. */
  overTimeMs?: number;
};

type Loaded = { ok: true; exports: Record<string, string>; omitted: number } | { ok: false; reason: FailureReason; message: string };

function missingExport(fn: string): string {
  return `your file does not export a function named ${fn}`;
}

function seconds(ms: number): string {
  return `${+(ms / 1000).toFixed(1)} s`;
}

/** What a student is told when their code wrote to the grader's private channel. */
const INTERFERED = 'your code wrote to the grader\'s private channel (the pipes between the grader and your code), so it was stopped';

/** The wall-clock time calls run aside from the tests (the lab's probe) may take in all, by default. */
export const PROBE_WALL_MS = 15_000;

/** Items the log of recorded calls keeps by default: the lab's tests make a few hundred calls of a few hundred numbers at most. */
const DEFAULT_RECORDED_ITEMS = 200_000;

/**
 * Items in a decoded value (array elements and object fields, at every depth, the value itself
 * counted once), counted up to just past `cap`: the cost of counting is bounded by the cap, not by
 * the value.
 */
export function countItems(value: unknown, cap: number): number {
  let n = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && n <= cap) {
    const v = stack.pop();
    n++;
    // A string costs by its length (see wire.ts), a key as a field and by its length.
    if (typeof v === 'string') n += stringCost(v);
    else if (Array.isArray(v)) {
      for (let k = 0; k < v.length && n + stack.length <= cap; k++) stack.push(v[k]);
      if (n + stack.length > cap) return cap + 1;
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v as Record<string, unknown>);
      for (let k = 0; k < keys.length && n + stack.length <= cap; k++) {
        n += stringCost(keys[k]);
        stack.push((v as Record<string, unknown>)[keys[k]]);
      }
      if (n + stack.length > cap) return cap + 1;
    }
  }
  return n;
}

/**
 * Resolves when a stream has closed, at once if it has already: a child started ahead may have
 * closed its output before its Sandbox follows it, and a wait for a 'close' that came before
 * would never end.
 */
export function streamEnded(stream: Readable): Promise<void> {
  if (stream.closed || stream.destroyed) return Promise.resolve();
  return new Promise((r) => { stream.once('close', () => r()); stream.once('error', () => r()); });
}

/** A child process running one submission. */
export class Sandbox {
  private child: ChildProcess | undefined;
  /** The pid of the process that runs node: the child's own, or inside bwrap the one bwrap names. */
  private nodePid: number | undefined;
  private loaded: Promise<Loaded> | undefined;
  private loadFailure: { reason: FailureReason; message: string } | undefined;
  private pending: Pending | undefined;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly broken = new Map<string, string>();
  /** Functions called without being listed among the exports (the listing left names out). */
  private readonly unlisted = new Set<string>();
  private readonly recorded: RecordedCall[] = [];
  /** Items (elements and fields, at every depth) the recorded calls hold. */
  private recordedItems = 0;
  /** CPU time used per function. */
  private readonly spent = new Map<string, number>();
  /** Wall-clock time used per function. */
  private readonly waited = new Map<string, number>();
  /** Wall-clock time used by loading and every call. */
  private waitedInAll = 0;
  private readonly log: OutputLog;
  private exitNotice: number | undefined;
  private everLoaded = false;
  private sentTo: SentCall[] = [];
  private closed = false;
  /** A call has timed out: later calls get callTimeoutAfterHangMs. */
  private hung = false;
  /** Set when the child broke the protocol: nothing more is sent to this submission. */
  private interfered = false;
  /** The compiled file's positions mapped to the source (read at the first error that has one). */
  private positions: PositionMap | null | undefined;
  /** What its last child started and was ended beside it (node inside bwrap): its uid is given back once they have ended. */
  private endedInside: number[] = [];
  /** Children started and not yet exited. */
  private readonly alive = new Set<ChildProcess>();
  /** Per child, resolves when its stdout and stderr have been read to the end. */
  private readonly drained = new Map<ChildProcess, Promise<void>>();
  /** The plan the children are started with. */
  private readonly isolation: IsolationPlan;
  /** The sandbox's own uid, when the plan gives each one (taken at the first start). */
  private lease: Promise<UidLease | undefined> | undefined;

  constructor(private readonly options: SandboxOptions) {
    this.log = new OutputLog(options.maxOutputChars);
    this.isolation = options.isolation ?? detectIsolation();
  }

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
    // The tag of the moment of the call, not of when the queue reaches it.
    const tag = this.recordTag;
    const run = this.queue.then(() => this.callEachNow(fn, argsList, tag));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** What the student's code printed, per function ('(loading)' for the module's top level). */
  capturedOutput(): Record<string, string> {
    return this.log.captured();
  }

  /** The calls that returned a value, with their arguments, values and tags (see recordCalls). */
  recordedCalls(): RecordedCall[] {
    return this.recorded;
  }

  /** A label recorded with every call made from now on (the suites set the running test's visibility). */
  recordTag: string | undefined;

  /** Whether calls that return are recorded (see recordCalls); off for calls that are not the tests'. */
  recording = true;

  /** Set while calls run aside (see aside): their own wall-clock allowance, in ms. */
  private asideWallMs: number | undefined;

  /** What the submission's wall-clock budget is called in a message: the whole grading's, or the probe's own. */
  private submissionBudgetText(): string {
    return this.asideWallMs !== undefined
      ? `the ${seconds(this.asideWallMs)} that the lab's printout and figures may take`
      : `the ${seconds(this.options.submissionBudgetMs)} that grading one submission may take`;
  }

  /**
   * Runs `body` (calls that are not tests: the lab's probe) without recording its calls and
   * without charging it to the tests: afterwards the time budgets, the functions marked broken
   * and the shortened limit after a hang are as they were before. While it runs, the budgets bind
   * it as they bind a test, so it is bounded all the same. A child it stopped (a hang) is started
   * afresh for the next call, as after any broken call.
   */
  async aside<T>(body: () => Promise<T>, wallMs: number = PROBE_WALL_MS): Promise<T> {
    await this.queue;
    const saved = {
      spent: new Map(this.spent), waited: new Map(this.waited), waitedInAll: this.waitedInAll,
      broken: new Map(this.broken), hung: this.hung, recording: this.recording,
    };
    this.recording = false;
    // Its own wall-clock allowance, within what the submission has left: grading one submission
    // takes at most its budget plus this.
    this.waitedInAll = Math.max(this.waitedInAll, this.options.submissionBudgetMs - wallMs);
    this.asideWallMs = wallMs;
    try {
      return await body();
    } finally {
      await this.queue;
      const restore = <K, V>(into: Map<K, V>, from: Map<K, V>): void => { into.clear(); for (const [k, v] of from) into.set(k, v); };
      restore(this.spent, saved.spent);
      restore(this.waited, saved.waited);
      restore(this.broken, saved.broken);
      this.waitedInAll = saved.waitedInAll;
      this.hung = saved.hung;
      this.recording = saved.recording;
      this.asideWallMs = undefined;
    }
  }

  /**
   * Waits (briefly) until both output streams have passed the mark of the last call, so that
   * everything printed during the calls so far is counted, whatever the pipes' pace.
   */
  async settleOutput(): Promise<void> {
    await this.queue;
    // What children that were stopped printed is still in their pipes: read it to the end (a
    // child stopped at once, say for interfering, must not lose its output to the pipes' pace).
    const gone = [...this.drained].filter(([c]) => c !== this.child).map(([, d]) => d);
    if (gone.length) {
      // (The timer is cleared once the streams have ended: a pending one would hold the grader's exit.)
      let late: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(gone), new Promise((r) => { late = setTimeout(r, 1000); })]);
      clearTimeout(late);
    }
    const last = this.sentTo[this.sentTo.length - 1]?.id;
    if (this.child && last !== undefined) {
      // Marks are written where output follows; ask for the closing ones.
      try {
        (this.child.stdio[3] as Writable).write(writeMessage({ type: 'flush', id: last }) + '\n');
      } catch { /* the child is gone: its streams end, and the wait below is short */ }
      const deadline = Date.now() + 1000;
      while (Date.now() < deadline && Math.min(this.log.marks.stdout, this.log.marks.stderr) < last) {
        await new Promise((r) => setTimeout(r, 5));
      }
    }
  }

  /**
   * Settles the output, then stops keeping output and recording calls: what the child prints or
   * returns from now on (the lab probe after the tests) is not the tests' business.
   */
  async stopKeeping(): Promise<void> {
    await this.stopOutput();
    this.recording = false;
  }

  /**
   * Settles the output, then stops keeping it (calls are still recorded): what the child prints
   * from now on is nobody's to see (the hidden tests' arguments, printed by a submission, must not
   * reach output shown before the hidden results are published).
   */
  async stopOutput(): Promise<void> {
    await this.settleOutput();
    this.log.muted = true;
  }

  /** Ends the child and everything it started, and gives its uid back. */
  async dispose(): Promise<void> {
    // Stop listening once the calls' output is in (output after that comes from timers, at no
    // fixed time), then end the child. Muted, nothing more is kept: no need to wait for it.
    if (this.log.muted) await this.queue;
    else await this.settleOutput();
    this.closed = true;
    this.log.closed = true;
    this.kill();
    // SIGKILL is delivered, not done: wait (briefly) until every child this sandbox started has
    // really exited, so that nothing of the submission outlives grading.
    const deadline = Date.now() + 3000;
    while (this.alive.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    // Only then (and once node, in its own session inside bwrap, has ended too) may another sandbox have the uid.
    const lease = await this.lease;
    if (this.alive.size === 0 && await untilEnded(this.endedInside, deadline)) await lease?.release();
  }

  /** Why `fn` cannot be called now (not loaded, not exported, broken, out of budget), if so. */
  private async refusal(fn: string): Promise<CallOutcome | undefined> {
    // The same words as for the call that met it: which call that was depends on the pipes' pace.
    // Asked before the load (no child is started for nothing) and after it (the loading itself
    // may have been interfered with meanwhile).
    const interfered = (): CallOutcome | undefined => (this.interfered && !this.loadFailure ? { kind: 'failed', reason: 'protocol', message: INTERFERED } : undefined);
    if (interfered()) return interfered();
    if (this.waitedInAll >= this.options.submissionBudgetMs) {
      return { kind: 'failed', reason: 'budget', message: `not run: your code has used up ${this.submissionBudgetText()} (waiting and sleeping count)`, notRun: true };
    }
    const loaded = await this.ensureStarted();
    if (!loaded.ok) return { kind: 'failed', reason: loaded.reason, message: loaded.message };
    if (interfered()) return interfered();
    if (loaded.exports[fn] === undefined) {
      // Not listed: missing, unless the child left names out (a module of more exports than a
      // listing holds, integer keys first): then the call tells (the child answers MissingExport).
      if (!loaded.omitted) return { kind: 'failed', reason: 'missing-export', message: missingExport(fn) };
      this.unlisted.add(fn);
    } else if (loaded.exports[fn] !== 'function') {
      return { kind: 'failed', reason: 'missing-export', message: `your file exports ${fn}, but it is a ${loaded.exports[fn]}, not a function` };
    }
    const broken = this.broken.get(fn);
    if (broken) return { kind: 'failed', reason: 'broken-earlier', message: `not run: ${broken}`, notRun: true };
    if (this.remaining(fn) <= 0) {
      return { kind: 'failed', reason: 'budget', message: `not run: the calls to ${fn} used up its time budget of ${seconds(this.options.fnBudgetMs)}`, notRun: true };
    }
    if (this.wallRemaining(fn) <= 0) {
      return { kind: 'failed', reason: 'budget', message: `not run: the calls to ${fn} have taken ${seconds(this.options.fnWallBudgetMs)} in all, the most they may (waiting and sleeping count)`, notRun: true };
    }
    return undefined;
  }

  /** What is left of `fn`'s CPU budget, in ms. */
  private remaining(fn: string): number {
    return this.options.fnBudgetMs - (this.spent.get(fn) ?? 0);
  }

  /** What is left of the wall-clock budgets that bind `fn`'s next call (the function's and the submission's), in ms. */
  private wallRemaining(fn: string): number {
    return Math.min(this.options.fnWallBudgetMs - (this.waited.get(fn) ?? 0), this.options.submissionBudgetMs - this.waitedInAll);
  }

  /** The CPU time limit of `fn`'s next call. */
  private limitFor(fn: string): number {
    return Math.min(this.hung ? this.options.callTimeoutAfterHangMs : this.options.callTimeoutMs, this.remaining(fn));
  }

  private async callEachNow(fn: string, argsList: unknown[][], tag?: string): Promise<CallOutcome[]> {
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
      for (const [k, raw] of answered.entries()) outcomes.push(this.finish(fn, rest[k], raw, tag));
    }
    return outcomes;
  }

  /** One call's outcome as the caller sees it; records it and marks the function broken if need be. */
  private finish(fn: string, args: unknown[], raw: CallOutcome, tag?: string): CallOutcome {
    let outcome = raw;
    if (outcome.kind === 'threw' && outcome.error.name === 'MissingExport' && this.unlisted.has(fn)) {
      outcome = { kind: 'failed', reason: 'missing-export', message: missingExport(fn) };
    } else if (outcome.kind === 'threw' && outcome.error.name === 'UnreadableResult') {
      outcome = { kind: 'failed', reason: 'too-large', message: outcome.error.message };
    } else if (outcome.kind === 'threw' && /allocation failed|failed to allocate|out of memory/i.test(outcome.error.message)) {
      outcome = { kind: 'failed', reason: 'out-of-memory', message: this.outOfMemory() };
    }
    if (outcome.kind === 'returned' && this.recording && this.recorded.length < (this.options.recordCalls ?? 0)) {
      // The log is bounded by the lab's size, not by what the submission returns: a call whose
      // arguments and value would take it past its budget is not kept (the hints have less
      // evidence; nothing else reads the log).
      const budget = (this.options.maxRecordedItems ?? DEFAULT_RECORDED_ITEMS) - this.recordedItems;
      const items = countItems([args, outcome.value], budget);
      if (items <= budget) {
        this.recordedItems += items;
        this.recorded.push({
          fn, args, value: outcome.value, ...(tag !== undefined ? { tag } : {}),
          ...(outcome.changed ? { changed: outcome.changed } : {}), ...(outcome.returnedArgument !== undefined ? { returnedArgument: outcome.returnedArgument } : {}),
        });
      }
    }
    if (outcome.kind === 'failed' && outcome.reason === 'timeout') this.hung = true;
    // Hanging, exiting, crashing or exhausting memory once is enough: later calls are skipped.
    if (outcome.kind === 'failed' && BREAKS_FUNCTION.has(outcome.reason)) {
      // "f called process.exit(0) in an earlier test", "f timed out after 0.5 s … in an earlier
      // test"; a message about the process, not about the function, reads as what an earlier call
      // met.
      const { message } = outcome;
      this.broken.set(fn, message.startsWith('the process ')
        ? `an earlier call to ${fn} failed: ${message}`
        : `${fn} ${message.replace(/^your code /, '')} in an earlier test`);
    }
    return outcome;
  }

  /** The current child's load (starting one when there is none). */
  private ensureStarted(): Promise<Loaded> {
    if (this.loadFailure) return Promise.resolve({ ok: false, ...this.loadFailure });
    if (!this.loaded) {
      // The first child may have been started ahead, with its uid (launch.ts startEarly).
      const early = this.lease === undefined ? takeEarly(this.options, this.isolation) : undefined;
      this.loaded = early ? early.then((e) => this.adopt(e)) : this.startWithLease();
    }
    return this.loaded;
  }

  /** Starts a child under this sandbox's uid. The uid is taken once, for every child of this sandbox, before the first starts. */
  private startWithLease(): Promise<Loaded> {
    this.lease ??= this.isolation.ownUids ? UidLease.acquire() : Promise.resolve(undefined);
    return this.lease.then((lease) => this.start(lease?.uid));
  }

  /**
   * Takes over a child started ahead for this sandbox. One that is gone already (its code exited
   * while loading) is not reported from here: a child is started again, as it would have been
   * without one started ahead, and tells what happens itself.
   */
  private adopt(early: EarlyChild | undefined): Promise<Loaded> {
    if (!early) return this.startWithLease();
    if (this.closed) {
      void stopEarly(early);
      return Promise.resolve({ ok: false, reason: 'crash', message: 'the process running your code was stopped' });
    }
    this.lease = Promise.resolve(early.lease);
    if (early.child.exitCode !== null || early.child.signalCode !== null) return this.start(early.lease?.uid);
    return this.attach(early.child, early.startedAt);
  }

  /** Forgets the current child: the next call starts a new one. */
  private forgetChild(): void {
    this.child = undefined;
    this.nodePid = undefined;
    this.loaded = undefined;
  }

  private start(uid: number | undefined): Promise<Loaded> {
    if (this.closed) return Promise.resolve({ ok: false, reason: 'crash', message: 'the process running your code was stopped' });
    return this.attach(launchChild(this.options, this.isolation, uid));
  }

  /**
   * Follows a child just started for this sandbox, or started ahead for it at `startedAt` (its
   * load then counted from that moment, CPU and wall-clock time, as for a child started here):
   * its load, its replies, its output, its exit.
   */
  private attach(child: ChildProcess, startedAt?: number): Promise<Loaded> {
    const o = this.options;
    this.exitNotice = undefined;
    const inNamespaces = this.isolation.mode === 'namespaces';
    this.alive.add(child);
    child.on('exit', () => this.alive.delete(child));
    this.child = child;
    this.nodePid = inNamespaces ? undefined : child.pid;
    if (inNamespaces) this.readInfo(child);
    const requests = child.stdio[3] as Writable;
    const replies = child.stdio[4] as Readable;
    requests.on('error', () => { /* the child died; the exit handler reports it */ });
    // The calls sent to this child, in order: output is attributed to them by the child's marks.
    const sent: SentCall[] = [];
    this.sentTo = sent;
    const current = (): boolean => this.child === child;
    this.log.follow(child.stdout!, sent, false, current);
    this.log.follow(child.stderr!, sent, true, current);
    this.drained.set(child, Promise.all([streamEnded(child.stdout!), streamEnded(child.stderr!)]).then(() => undefined));

    let ready: (l: Loaded) => void = () => undefined;
    const loadedPromise = new Promise<Loaded>((resolve) => { ready = resolve; });
    let loaded = false;
    const loadClock = new CallClock(() => this.nodePid, startedAt);
    const loadWallCap = o.submissionBudgetMs - this.waitedInAll;
    const loadTimer = cpuDeadline(loadClock, o.loadTimeoutMs, loadWallCap, (why) => {
      if (loaded || this.child !== child) return;
      // Stopped by its CPU time (a loop), or by the wall-clock time it may wait (5x that, or what
      // is left of the submission's budget): a file that sleeps at the top level is told so.
      this.failLoad(ready, 'load-timeout', why === 'wall'
        ? `your code did not finish loading within ${seconds(Math.min(o.loadTimeoutMs * MAX_STRETCH, loadWallCap))} of waiting (sleeping or waiting at the top level of your file?)`
        : `your code did not finish loading within ${seconds(Math.min(o.loadTimeoutMs, loadWallCap))} (an endless loop at the top level of your file?)`);
    });
    const readyOnce = ready;
    ready = (l: Loaded): void => {
      if (!loaded) this.waitedInAll += loadClock.wall();
      loaded = true;
      readyOnce(l);
    };

    let buffer = '';
    /** Set while the rest of an oversized line is read and dropped (up to its newline). */
    let discarding = false;
    const replyLimits = { ...REPLY_LIMITS, maxItems: Math.min(REPLY_LIMITS.maxItems, o.maxReplyItems) };
    replies.setEncoding('utf8');
    replies.on('data', (data: string) => {
      // A killed child's last words (a reply still in the pipe) concern nobody any more.
      if (this.child !== child) return;
      let chunk = data;
      if (discarding) {
        const end = chunk.indexOf('\n');
        if (end < 0) return;
        discarding = false;
        chunk = chunk.slice(end + 1);
        oversized();
        if (this.child !== child) return;
      }
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let message: ChildMessage | undefined;
        if (line.length <= o.maxReplyBytes) {
          try {
            message = parseChildMessage(line, replyLimits);
          } catch (err) {
            if (!(err instanceof WireLimitError)) {
              this.interfere(ready, loaded);
              return;
            }
          }
        }
        if (message) this.onMessage(message, ready, loaded, loadTimer);
        else oversized();
        if (this.child !== child) return;
      }
      // A reply still without its newline past the cap is refused before it is all read: the rest
      // of it is dropped as it comes, and the call answered when its line ends.
      if (buffer.length > o.maxReplyBytes) {
        buffer = '';
        discarding = true;
      }
    });
    // A line over the limits answers the call in progress ("too large"), and the child goes on
    // with the next (the channel is still in step: the line was read to its end); with no call in
    // progress (while loading, between calls) it answers nothing: the student's code wrote it.
    const oversized = (): void => {
      if (loaded && this.pending) this.tooLarge();
      else this.interfere(ready, loaded);
    };

    child.on('exit', (code, signal) => {
      loadTimer.clear();
      const outcome = this.describeExit(code, signal);
      if (this.child === child) {
        this.forgetChild();
        this.failLoad(ready, outcome.reason === 'exit' ? 'load-exit' : outcome.reason, `${outcome.message} while loading`, false);
        this.settle(outcome);
      } else {
        // Replaced or killed by us: whoever still waits on this start learns it is gone.
        ready({ ok: false, reason: 'crash', message: 'the process running your code was stopped' });
      }
    });
    return loadedPromise;
  }

  /** Reads bwrap's report (JSON on fd 5) for the pid of the process that runs node. */
  private readInfo(child: ChildProcess): void {
    const info = (child.stdio as unknown as Readable[])[INFO_FD];
    let text = '';
    info.setEncoding('utf8');
    info.on('data', (chunk: string) => {
      if (text.length > 4096) return;
      text += chunk;
      const m = /"child-pid"\s*:\s*(\d+)/.exec(text);
      if (m && this.child === child) this.nodePid = Number(m[1]);
    });
    info.on('error', () => undefined);
  }

  private onMessage(message: ChildMessage, ready: (l: Loaded) => void, loaded: boolean, loadTimer: Deadline): void {
    switch (message.type) {
      case 'ready':
        if (loaded) return this.interfere(ready, loaded);
        loadTimer.clear();
        this.everLoaded = true;
        ready({ ok: true, exports: message.exports, omitted: message.omitted ?? 0 });
        return;
      case 'load-error':
        if (loaded) return this.interfere(ready, loaded);
        loadTimer.clear();
        this.failLoad(ready, 'load-error', `your code threw while loading: ${formatThrown(this.mapped(message.error))}`);
        return;
      case 'exit':
        this.exitNotice = message.code;
        return;
      case 'reply': {
        const p = this.pending;
        if (!p || message.id !== p.ids[p.outcomes.length]) return this.interfere(ready, loaded);
        this.settle(message.ok
          ? { kind: 'returned', value: message.value, ...(message.changed ? { changed: message.changed } : {}), ...(message.returnedArgument !== undefined ? { returnedArgument: message.returnedArgument } : {}) }
          : { kind: 'threw', error: this.mapped(message.error) }, true);
      }
    }
  }

  /**
   * The child broke the protocol (student code wrote to the reply channel): the call in progress,
   * or the loading, fails as the student's, the child is stopped, and nothing more is sent.
   */
  private interfere(ready: (l: Loaded) => void, loaded: boolean): void {
    this.interfered = true;
    if (!loaded) {
      this.failLoad(ready, 'load-error', `${INTERFERED} while loading`);
      return;
    }
    this.settle({ kind: 'failed', reason: 'protocol', message: INTERFERED });
    this.kill();
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
    // A module without a source map is its own source: its positions are the lines.
    if (!this.positions) return error;
    const [line, col] = error.location.split(':').map(Number);
    const original = this.positions(line, col);
    // A position the source map does not cover (code the transpiler added: its helpers) has no
    // line in the student's file: none is given rather than a wrong one.
    if (!original) {
      const { location: _unmapped, ...rest } = error;
      return rest;
    }
    return { ...error, location: `${original.line}:${original.col}` };
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
    if (/heap out of memory|Allocation failed|ERR_MEMORY_ALLOCATION|RangeError: Array buffer allocation failed/i.test(this.log.stderrTail) || code === 134) {
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
      const p: Pending = { fn, ids, outcomes: [], resolve, timer: { clear: () => undefined }, clock: new CallClock(() => this.nodePid) };
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
    const wallCap = this.wallRemaining(p.fn);
    p.clock.stop();
    p.clock = new CallClock(() => this.nodePid);
    p.timer = cpuDeadline(p.clock, limitMs, wallCap, (why) => {
      if (this.pending !== p || p.ids[p.outcomes.length] !== id) return;
      // Stopped by a wall-clock budget rather than by the call's own limit.
      if (why === 'wall' && wallCap < limitMs * MAX_STRETCH) {
        const submission = this.options.submissionBudgetMs - this.waitedInAll <= wallCap;
        this.settle({ kind: 'failed', reason: 'budget', message: submission
          ? `was stopped: your code used up ${this.submissionBudgetText()} (waiting and sleeping count)`
          : `was stopped: the calls to ${p.fn} took ${seconds(this.options.fnWallBudgetMs)} in all, the most they may (waiting and sleeping count)` });
      } else {
        const resident = residentMb(this.nodePid) ?? 0;
        if (resident < this.options.memoryMb * HEAP_FULL_SHARE && resident >= this.options.memoryMb * HEAP_NEAR_SHARE) {
          // Near its heap limit: a moment more to run out of memory (its exit then settles the
          // call), else it is stopped here as timed out, or as out of memory if it got there. An
          // answer in that moment is too late all the same (settle turns it into this outcome).
          p.overTimeMs = limitMs;
          setTimeout(() => {
            if (this.pending !== p || p.ids[p.outcomes.length] !== id) return;
            this.settle(this.overTime(limitMs));
            this.kill();
          }, OOM_GRACE_MS).unref();
          return;
        }
        this.settle(this.overTime(limitMs));
      }
      this.kill();
    });
  }

  /** A call past its time limit: out of memory if its heap is full (V8 collecting again and again), else timed out. */
  private overTime(limitMs: number): CallOutcome {
    // A heap at its limit makes V8 collect garbage again and again before it gives up: on a busy
    // machine that can outlast the time limit. The call ran out of memory, not time.
    return (residentMb(this.nodePid) ?? 0) >= this.options.memoryMb * HEAP_FULL_SHARE
      ? { kind: 'failed', reason: 'out-of-memory', message: this.outOfMemory() }
      : { kind: 'failed', reason: 'timeout', message: `timed out after ${seconds(limitMs)} (an endless loop?)` };
  }

  /**
   * The head of the run ended with `outcome`. An answer (`next`) moves on to the next call, unless
   * a budget is spent (the child, busy with calls that should not run, is then stopped); any
   * other outcome (a timeout, an exit, a crash) ends the run.
   */
  private settle(outcome: CallOutcome, next = false): void {
    const p = this.pending;
    if (!p) return;
    // An answer after the head's time ran out (in the grace near the heap limit) is too late.
    const late = p.overTimeMs !== undefined && outcome.kind !== 'failed';
    if (late) {
      outcome = this.overTime(p.overTimeMs!);
      next = false;
    }
    p.overTimeMs = undefined;
    p.timer.clear();
    // The CPU budget counts the CPU the call used where it can be read (a busy machine is not the
    // student's fault), the wall-clock time elsewhere; the wall-clock budgets count waiting too.
    const used = p.clock.used();
    const wall = p.clock.wall();
    p.clock.stop();
    this.spent.set(p.fn, (this.spent.get(p.fn) ?? 0) + used);
    this.waited.set(p.fn, (this.waited.get(p.fn) ?? 0) + wall);
    this.waitedInAll += wall;
    p.outcomes.push(outcome);
    if (next && p.outcomes.length < p.ids.length) {
      if (this.remaining(p.fn) > 0 && this.wallRemaining(p.fn) > 0) {
        this.startHead(p);
        return;
      }
      this.kill();
    }
    this.pending = undefined;
    p.resolve(p.outcomes);
    if (late) this.kill();
  }

  private outOfMemory(): string {
    return `your code ran out of memory (limit ${this.options.memoryMb} MB for objects and arrays, ${this.options.addressSpaceMb} MB in all)`;
  }

  private tooLarge(): void {
    this.settle({ kind: 'failed', reason: 'too-large', message: `returned a value too large to grade (the grader takes at most ${this.options.maxReplyItems.toLocaleString('en-US')} numbers or ${Math.round(this.options.maxReplyBytes / 1024)} KB in one answer; the lab's answers hold a few hundred)` }, true);
  }

  private kill(): void {
    const child = this.child;
    const nodePid = this.nodePid;
    // Forget it first: its exit event then settles nothing, and the next call starts afresh.
    this.forgetChild();
    if (child) this.endedInside = killChild(child, nodePid);
  }
}
