/**
 * The compiler's child processes: the transpile (esbuild) and the type check (TypeScript) of
 * untrusted source run in a process of their own (compile-child.ts), one per kind of job, reused from job to job (the type
 * check keeps the compiler's lib files parsed for a batch), whose limits the operating system
 * enforces:
 *
 * - memory: V8's heap (`--max-old-space-size`), so that V8 usually fails first, and the kernel's
 *   limit on the address space (`ulimit -v`) for every other allocation path. A source whose
 *   types explode ends that child with "out of memory", never the grader (in a worker thread, a
 *   fatal out-of-memory of V8 aborted the whole grader process);
 * - time: a wall-clock limit per job (the child is killed when a job overruns it), and a CPU-time
 *   limit on the whole process (`ulimit -t`: SIGXCPU), a backstop for a grader too busy to fire its
 *   timer; a child that has used half of it is replaced before its next job, so that the limit
 *   never falls on a job that did not earn it;
 * - no core dumps, no file written (`ulimit -c 0`, `ulimit -f 0`).
 *
 * A job that crashes or overruns ends its child; the next job starts a fresh one. The children
 * die with the grader: their stdin is the job pipe, whose end ends them; a parent-death signal
 * (setpriv, where installed) ends one that is busy; and the sandbox's reaper kills every live one
 * when the grader exits. An idle child does not hold the grader's event loop open.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import type * as net from 'node:net';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { KIT_ROOT, LAB_ENV, labId } from '../lib/paths';
import { which } from '../sandbox/isolation';
import { LIVE } from '../sandbox/reaper';
import { refuseSnapshot, snapshotFor, SNAPSHOT_START_MS, watchStart } from '../lib/snapshots';
import { CHECK_HEAP_MB, compilerV8Flags } from './compiler-flags';

/** The jobs a compiler child does. */
export type CompilerJob = 'transpile' | 'check';

/** The operating system's limits on one compiler child. */
export interface CompilerLimits {
  /** V8's old-generation heap, in MB. */
  heapMb: number;
  /** The whole address space, in MB (kernel-enforced; 0: none). */
  addressSpaceMb: number;
  /** CPU time of the process over its life, in s (kernel-enforced; 0: none). */
  cpuSeconds: number;
}

/**
 * Far above a correct submission's needs (a warm type check of the solution peaks at about 150 MB
 * of heap), far below the machine's. The address space is the heap plus what Node reserves beside
 * it (code space, thread stacks, the TypeScript library). The checker's heap is what keeps one
 * grading's whole process tree under 1 GB when a submission's types explode (bench:hostile,
 * type-bomb: about 1 GB with a 768 MB heap).
 */
export const COMPILER_LIMITS: Record<CompilerJob, CompilerLimits> = {
  // The transpile's child holds sources and JavaScript text; esbuild's own process, which it
  // starts, inherits the address space (each process its own): room for the deepest nesting a
  // submission within the intake's size can hold (its parser recurses, its stack grows).
  // Node 24's V8 reserves more address space beside its heap than Node 20's: the address space is
  // a backstop for allocations outside the heap, the heap limit is the real one.
  transpile: { heapMb: 128, addressSpaceMb: 2048, cpuSeconds: 600 },
  check: { heapMb: CHECK_HEAP_MB, addressSpaceMb: 2560, cpuSeconds: 600 },
};

/**
 * V8's and libuv's worker threads in a compiler process: few and fixed, so that what the process
 * reserves for their stacks (each the size `ulimit -s` sets) does not grow with the machine's cores.
 */
const COMPILER_THREADS = 2;


/** The built child script, whether this module runs from build/ or from the sources (under jest). */
export const COMPILER_SCRIPT = path.join(KIT_ROOT, 'build', 'grader', 'stages', 'compile-child.js');

/**
 * How a job ended. `timeout`, `memory`, `cpu`, `crash` and `error` (the compiler threw) concern
 * the source being compiled; `kit` is the kit's fault: the child could not start or broke its
 * protocol before it had read the source.
 */
export type JobOutcome =
  | { ok: true; value: unknown }
  | { ok: false; why: 'timeout' | 'memory' | 'cpu' | 'crash' | 'error' | 'kit'; message: string };

type Job = { source: string; timeoutMs: number; resolve: (o: JobOutcome) => void };

/** A live child and what it has said. */
interface Child {
  proc: ChildProcess;
  ready: boolean;
  exited: boolean;
  /** The end of its stderr (V8's last words: "JavaScript heap out of memory"). */
  stderr: string;
  /** The startup snapshot it was started from (lib/snapshots.ts), if not from the script. */
  snapshot: string | undefined;
  /** Called with each reply line, and on its exit, while a job is pending. */
  onLine?: (line: string) => void;
  onExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

const STDERR_KEPT = 4096;
/** What V8, the allocator or the C++ runtime print when memory runs out. */
const OUT_OF_MEMORY = /out of memory|allocation failed|bad_alloc|Cannot allocate memory|failed to reserve/i;

/** CPU time (user + system, all threads) a process has used, in s; undefined where /proc cannot tell. */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** The process-wide CPU limit applies only where /proc lets the parent watch it (Linux). */
const CPU_WATCHABLE = fs.existsSync('/proc/self/stat');

let setprivPath: string | null | undefined;

/** setpriv (util-linux), which sets the parent-death signal; null where not installed. */
function setpriv(): string | null {
  if (setprivPath === undefined) setprivPath = process.platform === 'linux' ? which('setpriv') ?? null : null;
  return setprivPath;
}

/** Unrefs (or refs) a pipe of the child, so an idle child does not hold the event loop open. */
function holdPipe(stream: Readable | Writable | null | undefined, hold: boolean): void {
  const socket = stream as unknown as Partial<net.Socket> | null | undefined;
  if (hold) socket?.ref?.();
  else socket?.unref?.();
}

/**
 * One child process for one kind of job on untrusted source, alive as long as it is useful: one
 * job at a time (others queue), each bounded in wall-clock time, the process in memory and CPU.
 */
export class CompilerProcess {
  private child: Child | undefined;
  private readonly queue: Job[] = [];
  private busy = false;
  private closing = false;
  /** A child of this process failed to start from the snapshot: the next ones start from the script. */
  private snapshotFailed = false;
  readonly limits: CompilerLimits;

  /**
   * `script` and `snapshot` are the tests' (a missing script; a snapshot Node refuses). By default a
   * checker starts from the kit's snapshot when there is one for this Node and these limits (its
   * V8 flags must be the snapshot's), a transpiler never.
   */
  constructor(
    readonly kind: CompilerJob,
    limits: Partial<CompilerLimits> = {},
    private readonly script: string = COMPILER_SCRIPT,
    private readonly snapshot: (v8Flags: string[]) => string | undefined = (v8Flags) => (kind === 'check' && script === COMPILER_SCRIPT ? snapshotFor('checker', v8Flags) : undefined),
    /** Variables of the child's environment besides the kit's own. */
    private readonly extraEnv: Record<string, string> = {},
  ) {
    this.limits = { ...COMPILER_LIMITS[kind], ...limits };
  }

  /** The live child's pid (tests). */
  get pid(): number | undefined {
    return this.child?.exited === false ? this.child.proc.pid : undefined;
  }

  /** Runs the job on `source`; never rejects. */
  run(source: string, timeoutMs: number): Promise<JobOutcome> {
    this.closing = false;
    return new Promise((resolve) => {
      this.queue.push({ source, timeoutMs, resolve });
      this.next();
    });
  }

  /**
   * Starts the child now, before any job, so that its start overlaps other work; idle, it holds
   * this process open no more than an idle child between jobs does.
   */
  warm(): void {
    if (this.child || this.busy) return;
    this.closing = false;
    this.hold(this.start(), false);
  }

  /** Ends the child (pending jobs still finish first). */
  close(): void {
    this.closing = true;
    if (!this.busy) this.end();
  }

  private end(): void {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exited) return;
    // Closing its jobs would end it too; killing its group is sure.
    try { process.kill(-child.proc.pid!, 'SIGKILL'); } catch { /* gone already */ }
  }

  private next(): void {
    if (this.busy) return;
    const job = this.queue.shift();
    if (!job) {
      if (this.closing) this.end();
      else if (this.child) this.hold(this.child, false);
      return;
    }
    this.busy = true;
    let child = this.child;
    // Near its CPU limit: replaced before the job, so that the limit never cuts an innocent job.
    if (child && this.limits.cpuSeconds > 0 && (cpuSecondsOf(child.proc.pid) ?? 0) > this.limits.cpuSeconds / 2) {
      this.end();
      child = undefined;
    }
    child ??= this.start();
    this.hold(child, true);
    const current = child;
    let done = false;
    const finish = (outcome: JobOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      current.onLine = undefined;
      current.onExit = undefined;
      // A job that failed in any way ends its child (a compiler that threw may hold a broken state).
      if (!outcome.ok && this.child === current) this.end();
      this.busy = false;
      job.resolve(outcome);
      this.next();
    };
    current.onLine = (line): void => {
      let reply: { ready?: boolean; ok?: boolean; value?: unknown; error?: unknown };
      try {
        reply = JSON.parse(line) as typeof reply;
      } catch {
        return finish({ ok: false, why: 'kit', message: `the compiler's process wrote something that is not a reply (${line.slice(0, 80)})` });
      }
      // (Its readiness was noted where its lines are read, job or no job.)
      if (reply.ready === true) return;
      if (reply.ok === true) return finish({ ok: true, value: reply.value });
      finish({ ok: false, why: 'error', message: typeof reply.error === 'string' ? reply.error : 'the compiler failed' });
    };
    current.onExit = (code, signal): void => {
      const outcome = this.describeExit(current, code, signal);
      if (!outcome.ok && outcome.why === 'kit' && current.snapshot !== undefined) {
        // It could not start from the snapshot (a blob the Node refuses, say): the job goes to a
        // child started from the script, as do all of this process's from now on.
        refuseSnapshot(current.snapshot, outcome.message);
        this.snapshotFailed = true;
        done = true;
        clearTimeout(timer);
        this.busy = false;
        this.queue.unshift(job);
        return this.next();
      }
      finish(outcome);
    };
    // Timers fire before I/O in Node's loop: a reply already in the pipe is read before the verdict.
    const timer = setTimeout(() => setImmediate(() => finish({ ok: false, why: 'timeout', message: `longer than ${job.timeoutMs / 1000} s` })), job.timeoutMs);
    if (current.exited) current.onExit(current.proc.exitCode, current.proc.signalCode);
    else (current.proc.stdin as Writable).write(`${JSON.stringify({ source: job.source })}\n`);
  }

  private describeExit(child: Child, code: number | null, signal: NodeJS.Signals | null): JobOutcome {
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const said = child.stderr.trim().split('\n').filter((l) => l.trim()).pop()?.trim();
    if (!child.ready) {
      // It had not read the source yet: what stopped it is the kit's.
      return { ok: false, why: 'kit', message: `the compiler's process ${how} before it was ready${said ? `: ${said}` : ''}` };
    }
    if (OUT_OF_MEMORY.test(child.stderr)) return { ok: false, why: 'memory', message: `more than ${this.limits.heapMb} MB` };
    if (signal === 'SIGXCPU') return { ok: false, why: 'cpu', message: `more than ${this.limits.cpuSeconds} s of CPU time` };
    return { ok: false, why: 'crash', message: `the compiler's process ${how}${said ? `: ${said.slice(0, 200)}` : ''}` };
  }

  /** Refs the child while a job is pending; unrefs it when idle. */
  private hold(child: Child, hold: boolean): void {
    if (child.exited) return;
    if (hold) child.proc.ref();
    else child.proc.unref();
    const stdio = child.proc.stdio as unknown as (Readable | Writable | null)[];
    for (const stream of [stdio[0], stdio[2], stdio[3]]) holdPipe(stream, hold);
  }

  private start(): Child {
    const l = this.limits;
    const limits: string[] = ['ulimit -c 0', 'ulimit -f 0'];
    if (l.addressSpaceMb > 0) limits.push(`ulimit -v ${l.addressSpaceMb * 1024}`);
    // Hard limit a little above the soft one: SIGXCPU at the soft limit says what happened.
    if (l.cpuSeconds > 0 && CPU_WATCHABLE) limits.push(`ulimit -H -t ${l.cpuSeconds + 5}`, `ulimit -S -t ${l.cpuSeconds}`);
    // The transpiler recurses as deeply as the source nests: a 4 MB stack, as its worker thread had.
    limits.push('ulimit -s 16384');
    // A limit the system does not support is skipped, not fatal.
    const shell = `${limits.map((x) => `${x} 2>/dev/null`).join('; ')}; exec "$0" "$@"`;
    const chain: string[] = [];
    const sp = setpriv();
    if (sp) chain.push(sp, '--pdeathsig', 'KILL', '--');
    // A checker starts from the snapshot when there is one for this Node (TypeScript loaded and
    // its lib files parsed: lib/snapshots.ts). Its argv is the same: the snapshot's main function
    // reads the job kind where the script does.
    const v8Flags = compilerV8Flags(l.heapMb);
    const snapshot = this.snapshotFailed ? undefined : this.snapshot(v8Flags);
    chain.push(process.execPath, ...(snapshot ? ['--snapshot-blob', snapshot] : []), ...v8Flags, `--v8-pool-size=${COMPILER_THREADS}`, '--no-warnings', this.script, this.kind);
    const proc = spawn('/bin/sh', ['-c', shell, ...chain], {
      cwd: path.dirname(this.script),
      detached: true, // its own process group: the reaper kills groups
      stdio: ['pipe', 'ignore', 'pipe', 'pipe'],
      // The lab: the compiler names the submission's file after it, and checks its contract.
      env: { ...this.extraEnv, LANG: 'C.UTF-8', VG_COMPILER_PARENT: String(process.pid), [LAB_ENV]: labId(), UV_THREADPOOL_SIZE: String(COMPILER_THREADS) },
    });
    const child: Child = { proc, ready: false, exited: false, stderr: '', snapshot };
    this.child = child;
    if (proc.pid !== undefined) LIVE.add(proc.pid);
    const stdio = proc.stdio as unknown as (Readable | Writable)[];
    stdio[0].on('error', () => { /* it died; its exit says how */ });
    const stderr = stdio[2] as Readable;
    stderr.setEncoding('utf8');
    stderr.on('data', (text: string) => { child.stderr = (child.stderr + text).slice(-STDERR_KEPT); });
    stderr.on('error', () => undefined);
    const replies = stdio[3] as Readable;
    replies.setEncoding('utf8');
    let buffer = '';
    // A child started from a snapshot that does not say it is ready in time is stopped and
    // replaced by one started from the script (its start is the kit's, never the student's).
    const started = watchStart(snapshot !== undefined, () => {
      if (child.exited) return;
      child.stderr += `\nit did not start from its snapshot in ${SNAPSHOT_START_MS / 1000} s`;
      try { process.kill(-proc.pid!, 'SIGKILL'); } catch { /* gone already */ }
    });
    replies.on('data', (text: string) => {
      buffer += text;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === '{"ready":true}') {
          child.ready = true;
          started();
        }
        child.onLine?.(line);
      }
    });
    replies.on('error', () => undefined);
    let exited = false;
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (exited) return;
      exited = true;
      child.exited = true;
      if (proc.pid !== undefined) LIVE.delete(proc.pid);
      if (this.child === child) this.child = undefined;
      // Its last words (stderr, a reply) are read before its exit is judged.
      let judged = false;
      const judge = (): void => {
        if (judged) return;
        judged = true;
        clearTimeout(fallback);
        child.onExit?.(code, signal);
      };
      // (Pipes a stray process still holds must not keep a verdict waiting.)
      const fallback = setTimeout(judge, 1000);
      let open = 2;
      const closed = (): void => { if (--open === 0) judge(); };
      if (stderr.readableEnded || stderr.destroyed) closed(); else stderr.once('close', closed);
      if (replies.readableEnded || replies.destroyed) closed(); else replies.once('close', closed);
    };
    proc.on('exit', onExit);
    proc.on('error', (err) => {
      // It could not be started at all (no /bin/sh, say).
      child.stderr += `\n${err.message}`;
      onExit(null, null);
    });
    return child;
  }
}
