/**
 * The last word on time: a grading that has not ended within its wall-clock allowance is ended.
 *
 * Every part of grading has limits of its own (each call, each function, each submission's 60 s,
 * the compiler's), so the watchdog fires only when something the kit waits on never settles: a
 * child that holds the process open, a promise nobody resolves. It then writes the catastrophic
 * result through the caller's `onExpire` and ends the process (its sandbox children with it: the
 * reaper kills their process groups at exit). It runs on the grader's event loop, which the kit
 * keeps free: untrusted source is compiled in other processes and a submission's replies are
 * decoded within the lab's bounds, so no step blocks the loop for long. Should the loop block all
 * the same, a second watchdog in a process of its own (a shell that sleeps, then watchdog-child.ts),
 * a little later, kills the grader and writes the result itself.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

/** How long one `npm run grade` may take in all: the submission's 60 s budget, the probe, the compiler's limits, the figures, with room. */
export const GRADE_WATCHDOG_MS = 300_000;

/**
 * How long a batch worker that holds students may show no sign of progress (no test ended, no
 * submission compiled, no student filed) before it is stopped as wedged: far more than any one
 * step may take (a test is bounded by the submission's 60 s, a compile by its 15 s).
 */
export const STUDENT_WATCHDOG_MS = 240_000;

/**
 * How much later than the grader's own timer the outside watchdog acts: the grader's timer, when
 * its event loop turns, writes the result and exits cleanly first.
 */
export function outsideGraceMs(allowanceMs: number): number {
  return Math.max(2000, Math.round(allowanceMs / 10));
}

/**
 * The outside watchdog's waiting, in POSIX sh: a sleep, and a reader of this process's pipe that
 * ends the sleep when the pipe closes (this process ended, however). Only when the sleep runs out
 * does it start Node, on watchdog-child.ts with the orders ($2 on). Waiting costs a shell, a sleep
 * and a cat (a few ms of CPU), where a Node process waiting cost every grade about 60 ms of CPU at
 * its start. (An asynchronous list reads /dev/null unless told otherwise: the pipe is fd 3. The
 * shell would say "Terminated" on the grader's stderr of the sleep it ends: `wait` says nothing.)
 */
const OUTSIDE_WAIT = 'exec 3<&0 </dev/null; sleep "$0" & s=$!; ( cat <&3 >/dev/null 2>&1; kill "$s" 2>/dev/null ) & if wait "$s" 2>/dev/null; then exec "$@"; fi';

/**
 * Starts the outside watchdog for this process: after `ms` it kills this process, however
 * blocked, and writes its result from `argv` and `seed` (watchdog-child.ts). It ends by itself
 * when this process ends; it never holds this process open.
 */
export function startOutsideWatchdog(ms: number, argv: string[], seed: number): void {
  const orders = JSON.stringify({ pid: process.pid, ms, argv, seed });
  const script = path.join(__dirname, 'watchdog-child.js');
  let child: ChildProcess;
  try {
    // Its stdout is the grader's: a machine format asked for on stdout reaches the same reader.
    // (sleep, cat and kill found where every system keeps them, whatever the PATH it was given.)
    // Whole seconds, rounded up: every sleep takes those (not every one takes fractions).
    child = spawn('/bin/sh', ['-c', OUTSIDE_WAIT, String(Math.max(1, Math.ceil(ms / 1000))), process.execPath, script, orders], {
      stdio: ['pipe', 'inherit', 'inherit'],
      env: { ...process.env, PATH: ['/usr/bin', '/bin', process.env.PATH].filter(Boolean).join(':') },
    });
  } catch {
    // Without it the grader's own timer still stands.
    return;
  }
  child.on('error', () => undefined);
  child.stdin!.on('error', () => undefined);
  // Neither the process nor its pipe keeps this one alive; the pipe closes when this one exits.
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
}

/** Reads a watchdog allowance from the environment (the kit's own tests shorten it); `fallback` when unset or invalid. */
export function allowanceFrom(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

/** A running watchdog. */
export interface Watchdog {
  /** Grading ended in time: the watchdog stands down. */
  stop(): void;
}

/**
 * Starts a watchdog: after `ms` without `stop()`, `onExpire` runs once (it should write the
 * result), then the process exits with `exitCode`, whatever still holds it open. The timer does
 * not itself keep the process alive.
 */
export function startWatchdog(ms: number, onExpire: () => void, exitCode = 1): Watchdog {
  const timer = setTimeout(() => {
    try {
      onExpire();
    } finally {
      process.exitCode = exitCode;
      exitWhenFlushed();
    }
  }, ms);
  timer.unref();
  return { stop: () => clearTimeout(timer) };
}

/**
 * Ends the process once the event loop has had `graceMs` to finish what it is doing: for a
 * command whose result is written, nothing left over (a child's pipe, a timer of a library) may
 * keep it running. What is still on its way to stdout or stderr (a large machine format read
 * slowly through a pipe) is written first: the exit waits for it.
 */
export function exitSoon(graceMs = 3000): void {
  setTimeout(exitWhenFlushed, graceMs).unref();
}

/** Exits (with process.exitCode) as soon as stdout and stderr hold nothing unwritten. */
export function exitWhenFlushed(): void {
  const pending = (): boolean => process.stdout.writableLength > 0 || process.stderr.writableLength > 0;
  if (!pending()) process.exit();
  // The pipes' handles keep the process alive while they write; look again shortly.
  setInterval(() => { if (!pending()) process.exit(); }, 50);
}
