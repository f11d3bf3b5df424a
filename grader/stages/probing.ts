/**
 * What every lab's probe (grader/labs/<id>/index.ts) is built from: calling the functions with the
 * lab's inputs, turning a call that did not give what the lab plots into the reason that blanks
 * its lines and series (never a throw past the probe), bounding every series by the lab's size,
 * and the trusted answers as a caller of their own. A probe never decides a score.
 */
import type { CallOutcome } from '../sandbox/client';
import { formatThrown } from '../sandbox/client';
import { Opaque } from '../sandbox/wire';
import { pythonRepr } from '../lib/format';
import { escapeLine } from '../report/sanitize';
import { isNotImplemented, notImplementedText } from '../outcomes';
import type { Answers } from '../lib/answers';
import type { Caller } from '../lab-code';

export type { Caller };

/** A call that did not give what the probe needs: its message is the reason shown for the series. */
export class Broken extends Error {}

/** Why a call gave nothing usable, in words (`wanted`: what the lab plots, e.g. "numbers"). */
export function why(fn: string, o: CallOutcome, wanted = 'numbers'): string {
  if (o.kind === 'threw') return isNotImplemented(o.error) ? notImplementedText(fn) : `${fn} threw ${formatThrown(o.error)}`;
  // A function that hung or exited in a test is not called again: say so once, without "not run".
  if (o.kind === 'failed') return o.reason === 'broken-earlier' ? o.message.replace(/^not run: /, '') : `${fn}: ${o.message}`;
  return `${fn} returned ${o.value instanceof Opaque ? o.value.text : typeof o.value}, not ${wanted}`;
}

/** True for an array of numbers. */
export const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((e) => typeof e === 'number');

/** `fn` over every value, as numbers, in one exchange with the caller. */
export async function sweep(sb: Caller, fn: string, values: unknown[]): Promise<number[]> {
  const outcomes = await sb.callEach(fn, values.map((v) => [v]));
  return outcomes.map((o) => {
    if (o.kind === 'returned' && typeof o.value === 'number') return o.value;
    throw new Broken(why(fn, o));
  });
}

/** `fn(...args)` as a number. */
export async function num(sb: Caller, fn: string, ...args: unknown[]): Promise<number> {
  const o = await sb.call(fn, args);
  if (o.kind === 'returned' && typeof o.value === 'number') return o.value;
  throw new Broken(why(fn, o));
}

/** `fn(...args)` as numbers. */
export async function nums(sb: Caller, fn: string, ...args: unknown[]): Promise<number[]> {
  const o = await sb.call(fn, args);
  if (o.kind === 'returned' && isNumbers(o.value)) return o.value;
  throw new Broken(why(fn, o));
}

/**
 * The most values of a series the probe sweeps, prints and draws, for a series the lab gives
 * `labLength` values: twice the lab's and some (so that a list one or a few too long is shown as it
 * is). The probe's and the figures' work is bounded by the lab's size, not by what a submission
 * returns.
 */
export function seriesCap(labLength: number): number {
  return 2 * Math.max(0, Math.floor(labLength)) + 20;
}

/** `series` cut to the bound of a series the lab gives `labLength` values, with the note that says so when cut (`what` names the series). */
export function cut<T>(series: T[], labLength: number, what: string, notes: string[]): T[] {
  const cap = seriesCap(labLength);
  if (series.length <= cap) return series;
  notes.push(`${what} gave ${series.length.toLocaleString('en-US')} values where the lab has ${labLength}: only the first ${cap} are used here`);
  return series.slice(0, cap);
}

/**
 * The printed block's line for a missing value: the reason on one line (a student's multi-line
 * message shown escaped), so that no line of it can pass for a line the lab printed.
 */
export function notAvailable(reason: string): string {
  return `(not available: ${escapeLine(reason)})`;
}

/** Integers print as Python ints (`0`), other numbers as Python floats. */
export function pyNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : pythonRepr(n);
}

/** The largest value (NaN when any is NaN, as numpy's max). */
export const max = (a: number[]): number => a.reduce((m, v) => (v > m || Number.isNaN(v) ? v : m), -Infinity);
/** The smallest value (NaN when any is NaN, as numpy's min). */
export const min = (a: number[]): number => a.reduce((m, v) => (v < m || Number.isNaN(v) ? v : m), Infinity);

/**
 * Runs probe steps, each of which may be Broken: a broken step's reason is kept by name and the
 * block marked incomplete; anything else thrown is a fault of the kit and goes on up.
 */
export class Attempts {
  /** Why a step gave nothing, by name. */
  readonly problems: Record<string, string> = {};
  /** False once a step broke. */
  complete = true;

  async attempt<T>(name: string, body: () => Promise<T>): Promise<T | undefined> {
    try {
      return await body();
    } catch (err) {
      if (!(err instanceof Broken)) throw err;
      this.complete = false;
      this.problems[name] = err.message;
      return undefined;
    }
  }
}

/**
 * Answers calls from the kit's trusted answers (the solutions, run in this process), as a sandbox
 * answers a student's. A call the kit has no answer for (the student release, other knobs) fails.
 */
export function answersCaller(answers: Answers, onUnknown: () => void = () => {}): Caller {
  const answer = (fn: string, args: unknown[]): CallOutcome => {
    const a = answers.solve(fn, args);
    if (!a) onUnknown();
    if (!a) return { kind: 'failed', reason: 'no-reference', message: 'the student release has the reference for the lab\'s own knobs only' };
    return a.ok ? { kind: 'returned', value: a.value } : { kind: 'threw', error: a.error };
  };
  return {
    call: async (fn, args) => answer(fn, args),
    callEach: async (fn, argsList) => argsList.map((args) => answer(fn, args)),
  };
}
