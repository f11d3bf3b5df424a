/**
 * Time limits for calls into the sandbox, counted in the child's CPU time where /proc tells it:
 * a child starved of CPU by a busy machine (a batch on two cores, a CI runner) is not an endless
 * loop. Wall-clock time caps every limit as well, so code that sleeps (Atomics.wait, a blocking
 * read) and uses no CPU is still stopped.
 */
import * as fs from 'node:fs';

/** How far past its limit, in wall-clock time, a call starved of CPU may run. */
export const MAX_STRETCH = 5;

/** The clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system) of one thread, in ms; undefined when it is gone or /proc cannot tell. */
function threadCpuMillis(pid: number, tid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Per process, which of its threads are libuv's pool (a thread's name is read once). */
const poolThreads = new Map<number, Map<number, boolean>>();
/** Processes whose threads' names are remembered, at most (the oldest is forgotten first). */
const POOL_PIDS_KEPT = 64;

/**
 * Whether a thread named `comm` is one of libuv's pool, once and for all; undefined while it
 * cannot tell yet. A thread starts with its process's name (`processComm`) and names itself a
 * moment later: remembered as not the pool's at that moment, a pool thread seen early (on a busy
 * machine) was never counted. A thread that cannot be read is looked at again.
 */
export function poolVerdict(comm: string | undefined, processComm: string | undefined): boolean | undefined {
  if (comm === 'libuv-worker') return true;
  if (comm === undefined || comm === processComm) return undefined;
  return false;
}

/** A process's name (its main thread's), or undefined where /proc cannot tell. */
function processName(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The threads of libuv's pool in a process (named `libuv-worker`), where /proc tells them. */
function poolThreadsOf(pid: number): number[] {
  let tids: string[];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  let known = poolThreads.get(pid);
  if (!known) {
    if (poolThreads.size >= POOL_PIDS_KEPT) poolThreads.delete(poolThreads.keys().next().value!);
    known = new Map();
    poolThreads.set(pid, known);
  }
  const found: number[] = [];
  let inherited: string | undefined;
  for (const name of tids) {
    const tid = Number(name);
    if (tid === pid) continue;
    let pool = known.get(tid);
    if (pool === undefined) {
      let comm: string | undefined;
      try {
        comm = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      } catch { /* gone: not counted */ }
      inherited ??= processName(pid);
      const verdict = poolVerdict(comm, inherited);
      pool = verdict === true;
      if (verdict !== undefined) known.set(tid, verdict);
    }
    if (pool) found.push(tid);
  }
  return found;
}

/**
 * CPU time (user + system) of a process's own work, in ms; undefined where /proc cannot tell: its
 * main thread, where the student's code runs, and the threads of libuv's pool, where the work it
 * hands off runs (WebCrypto's derivations, an asynchronous read): a submission that started such
 * work and waited had its CPU counted as nothing, and took the cores its classmates' calls were
 * timed on. V8's helper threads (parallel garbage collection) are left out, so a machine whose
 * cores are contended cannot make a call that fills its memory look like one that loops (their
 * share of the CPU varies with the load).
 */
export function cpuMillis(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  const main = threadCpuMillis(pid, pid);
  if (main === undefined) return undefined;
  let total = main;
  for (const tid of poolThreadsOf(pid)) total += threadCpuMillis(pid, tid) ?? 0;
  return total;
}

/** Resident memory of a process in MB; undefined where /proc cannot tell. */
export function residentMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /^VmRSS:\s*(\d+)\s*kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** A running time limit. */
export interface Deadline {
  /** Stops it. */
  clear(): void;
}

/** How long a call may run before its CPU time is looked at (most calls take far less). */
const CPU_SAMPLE_AFTER_MS = 20;
/** How long a clock waits to learn which process it times, at most, before it counts wall-clock time. */
const PID_WAIT_MS = 10_000;

/**
 * The time a call (or a load) has taken: in the child's CPU time where /proc tells it, else in
 * wall-clock time. /proc is read only for calls that last: a call done within
 * CPU_SAMPLE_AFTER_MS counts its wall-clock time (an upper bound of its CPU time), and for longer
 * ones the CPU counter is first read then, assuming the child used all of that first stretch.
 * The grader makes thousands of short calls; reading /proc for each was a tenth of its time.
 * The pid is asked for when needed: in a namespace, the process that runs node is known only once
 * bwrap has said which it is.
 */
export class CallClock {
  private readonly startWall: number;
  private startCpu: number | undefined;
  private sampler: NodeJS.Timeout;

  /**
   * `processStartedAt`: the clock of a process's whole life (a child's load when the child was
   * started earlier, launch.ts): its wall-clock time counted from then, its CPU time from zero.
   */
  constructor(private readonly pid: () => number | undefined, processStartedAt?: number) {
    this.startWall = processStartedAt ?? Date.now();
    const sample = (): void => {
      const known = pid();
      // Not known yet (bwrap has not said which process runs node: a busy machine may take a
      // while): looked at again shortly, else the whole load would be timed by the wall clock.
      if (known === undefined) {
        if (this.wall() < PID_WAIT_MS) this.sampler = setTimeout(sample, CPU_SAMPLE_AFTER_MS);
        return;
      }
      const now = cpuMillis(known);
      if (now !== undefined) this.startCpu = processStartedAt !== undefined ? 0 : now - (Date.now() - this.startWall);
    };
    this.sampler = setTimeout(sample, CPU_SAMPLE_AFTER_MS);
  }

  /** Wall-clock ms since the start. */
  wall(): number {
    return Date.now() - this.startWall;
  }

  /** CPU ms used since the start where known, else wall-clock ms. */
  used(): number {
    const wall = this.wall();
    if (this.startCpu === undefined) return wall;
    const now = cpuMillis(this.pid());
    return now === undefined ? wall : Math.max(0, now - this.startCpu);
  }

  /** Stops sampling (the call is over). */
  stop(): void {
    clearTimeout(this.sampler);
  }
}

/**
 * A time limit measured in the child's CPU time: when the limit is up in wall-clock time but the
 * child has used less than 80% of it in CPU, the wait goes on for the CPU it is owed, up to
 * MAX_STRETCH times the limit, and never past `wallCapMs` of wall-clock time (what is left of the
 * function's and the submission's wall-clock budgets). A child that sleeps uses no CPU, so the
 * wall-clock caps still end it.
 */
export function cpuDeadline(clock: CallClock, limitMs: number, wallCapMs: number, expire: (why: 'cpu' | 'wall') => void): Deadline {
  let timer: NodeJS.Timeout;
  const cap = Math.min(limitMs * MAX_STRETCH, wallCapMs);
  const check = (): void => afterPendingIo(() => {
    const wall = clock.wall();
    const cpu = clock.used();
    if (cpu >= limitMs * 0.8) return expire('cpu');
    if (wall >= cap) return expire('wall');
    timer = setTimeout(check, Math.max(20, Math.min(limitMs - cpu, cap - wall)));
  });
  // A clock that started earlier (a child started ahead) has spent part of the wait already.
  timer = setTimeout(check, Math.max(0, Math.min(limitMs, cap) - clock.wall()));
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
