/**
 * What the hidden suites are written with: a call to a student function that never throws, and
 * checks that turn its outcome into a verdict with a message a student understands.
 *
 * A failed check throws a {@link Verdict}; the judge stage reads its message as the test's feedback.
 * Public checks may say what was expected (the notebook prints those values anyway); hidden checks
 * say what was called and what came back, never the expected value.
 */
import { expect, test } from '@jest/globals';
import { isNotImplemented, notImplementedText, outcomeOfFailure, type TestOutcome } from '../outcomes';
import { noteProgress, records } from './collector';
import type { CallOutcome, Sandbox } from '../sandbox/client';
import { formatThrown } from '../sandbox/client';
import { encodeValue, Opaque } from '../sandbox/wire';
import { DEFAULT_TOLERANCE, firstMismatch, isClose, type Tolerance } from '../lib/allclose';
import { formatNumber, formatValue } from '../lib/format';

/** Whether students see a test before submitting. */
export type Visibility = 'public' | 'hidden';

/** A failed check: its message is the feedback, its outcome the code the result carries. */
export class Verdict extends Error {
  constructor(message: string, readonly outcome: TestOutcome = 'wrong-value') {
    super(message);
    this.name = 'Verdict';
  }
}

/** One call to a student function and what came of it. */
export interface Called {
  /** How the call reads in a message, e.g. `f(-5, 5, 100)`. */
  label: string;
  /** The function called. */
  fn: string;
  /** What happened. */
  outcome: CallOutcome;
}

/** The visibility of the test running now (tests run one at a time, in band). */
let running: Visibility | undefined;

/**
 * Registers a test titled `public: …` or `hidden: …` (the judge reads the visibility back). The
 * calls it makes are recorded with its visibility: what public tests alone show may be said where
 * hidden results are not yet published.
 */
export function check(visibility: Visibility, title: string, body: () => Promise<void>): void {
  test(`${visibility}: ${title}`, async () => {
    running = visibility;
    // What the test came to is recorded for the judge (suites/collector.ts): its visibility and
    // its outcome code. Anything but a Verdict thrown here is a fault of the kit.
    const name = expect.getState().currentTestName;
    let outcome: TestOutcome = 'passed';
    try {
      await body();
    } catch (err) {
      outcome = err instanceof Verdict ? err.outcome : 'kit-error';
      throw err;
    } finally {
      running = undefined;
      if (name !== undefined) records().set(name, { visibility, outcome });
      noteProgress();
    }
  });
}

/** Calls `fn(...args)` in the student's sandbox. */
export async function call(sandbox: () => Sandbox, fn: string, ...args: unknown[]): Promise<Called> {
  const label = `${fn}(${args.map((a) => formatValue(a)).join(', ')})`;
  const box = sandbox();
  box.recordTag = running;
  return { label, fn, outcome: await box.call(fn, args) };
}

/**
 * Calls `fn` once per argument list, in one exchange with the student's sandbox (a sweep over the
 * lab's data): the same outcomes as calling one at a time, and every call is made.
 */
export async function callEach(sandbox: () => Sandbox, fn: string, argsList: unknown[][]): Promise<Called[]> {
  const box = sandbox();
  box.recordTag = running;
  const outcomes = await box.callEach(fn, argsList);
  return outcomes.map((outcome, k) => ({ label: `${fn}(${argsList[k].map((a) => formatValue(a)).join(', ')})`, fn, outcome }));
}

/** The value a call returned, or a Verdict saying why there is none. */
export function returned(c: Called): unknown {
  const o = c.outcome;
  if (o.kind === 'returned') return o.value;
  if (o.kind === 'threw') {
    if (isNotImplemented(o.error)) throw new Verdict(notImplementedText(c.fn), 'not-implemented');
    throw new Verdict(`${c.label} threw ${formatThrown(o.error)}`, 'threw');
  }
  throw new Verdict(failureText(c, o), outcomeOfFailure(o.reason, o.notRun));
}

/** A failure's message: load failures concern the whole file, not the call that met them. */
function failureText(c: Called, o: Extract<CallOutcome, { kind: 'failed' }>): string {
  return o.reason.startsWith('load') ? o.message : `${c.label}: ${o.message}`;
}

/** Describes what a value is, for "expected a number, got …". */
function describeKind(value: unknown): string {
  if (value instanceof Opaque) return value.text;
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'undefined') return 'undefined (did you forget to return?)';
  return `a ${typeof value} (${formatValue(value)})`;
}

/** The call returned a number close to `expected`. */
export function expectNumber(c: Called, expected: number, visibility: Visibility, tol: Tolerance = DEFAULT_TOLERANCE): number {
  const value = returned(c);
  if (typeof value !== 'number') throw new Verdict(`${c.label} should return a number, but returned ${describeKind(value)}`);
  if (!isClose(value, expected, tol)) {
    throw new Verdict(visibility === 'public'
      ? `${c.label} returned ${formatNumber(value)}, expected ${formatNumber(expected)}`
      : `${c.label} returned ${formatNumber(value)}, which is not the right value`);
  }
  return value;
}

/** A value is an array of plain numbers; says which element is not. */
export function asNumberArray(value: unknown, what: string): number[] {
  if (!Array.isArray(value)) throw new Verdict(`${what} should be an array of numbers, but is ${describeKind(value)}`);
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'number') {
      throw new Verdict(`${what} should hold only numbers, but element ${i} is ${describeKind(value[i])}`);
    }
  }
  return value as number[];
}

/** `actual` (already known to be numbers) matches `expected` element by element. */
export function expectClose(actual: number[], expected: readonly number[], what: string, visibility: Visibility, tol: Tolerance = DEFAULT_TOLERANCE): void {
  if (actual.length !== expected.length) {
    const has = `${what} has ${actual.length} element${actual.length === 1 ? '' : 's'}`;
    throw new Verdict(visibility === 'public' ? `${has}, expected ${expected.length}` : `${has}, which is not the right number`);
  }
  const i = firstMismatch(actual, expected, tol);
  if (i < 0) return;
  if (Number.isNaN(actual[i]) || !Number.isFinite(actual[i])) {
    throw new Verdict(`${what}: element ${i} is ${formatNumber(actual[i])}, which is never right here`);
  }
  throw new Verdict(visibility === 'public'
    ? `${what}: element ${i} (the first that differs) is ${formatNumber(actual[i])}, expected ${formatNumber(expected[i])}`
    : `${what}: element ${i} (the first that differs) is ${formatNumber(actual[i])}, which is not the right value`);
}

/** The call returned an array of numbers matching `expected`. */
export function expectNumbers(c: Called, expected: readonly number[], visibility: Visibility, tol: Tolerance = DEFAULT_TOLERANCE): number[] {
  const value = asNumberArray(returned(c), `the result of ${c.label}`);
  expectClose(value, expected, `${c.label}`, visibility, tol);
  return value;
}

/** The call threw an error of class `name` (a RangeError for a bad argument, say). */
export function expectThrows(c: Called, name: string, why: string): void {
  const o = c.outcome;
  if (o.kind === 'threw') {
    if (isNotImplemented(o.error)) throw new Verdict(notImplementedText(c.fn), 'not-implemented');
    if (o.error.name === name) return;
    throw new Verdict(`${c.label} threw ${formatThrown(o.error)}; it should throw a ${name} because ${why}`, 'threw');
  }
  if (o.kind === 'failed') throw new Verdict(failureText(c, o), outcomeOfFailure(o.reason, o.notRun));
  throw new Verdict(`${c.label} returned ${formatValue(o.value)}; it should throw a ${name} because ${why}`, 'wrong-value');
}

/**
 * The call left its arguments as they were and returned a new value, not one of them: `names` are
 * the parameters' names, by position, as the contract writes them. A call that changed an argument
 * in place gives the right values to a caller that reads only the result, and surprises every
 * caller that keeps the argument; one that returns its argument ties the two together.
 */
export function expectArgumentsKept(c: Called, names: readonly string[]): void {
  const o = c.outcome;
  if (o.kind !== 'returned') {
    returned(c);
    return;
  }
  const name = (i: number): string => names[i] ?? `argument ${i + 1}`;
  if (o.changed?.length) {
    throw new Verdict(`${c.label} changed ${o.changed.map(name).join(' and ')} in place: after the call, the caller's ${o.changed.length === 1 ? 'value is' : 'values are'} not what it passed in. Leave the arguments as they are and build the answer in a new array`);
  }
  if (o.returnedArgument !== undefined) {
    throw new Verdict(`${c.label} returned ${name(o.returnedArgument)} itself, not a new array: whoever changes the result then changes the argument too. Return a new array, even when the values are the same`);
  }
}

/**
 * Calls `fn(...args)` twice in a row: the same answer both times (a function that keeps something
 * between calls, such as a list outside it that grows, answers differently the second time).
 * Gives the first call, for further checks.
 */
export async function expectSameWhenCalledAgain(sandbox: () => Sandbox, fn: string, ...args: unknown[]): Promise<Called> {
  const first = await call(sandbox, fn, ...args);
  const a = returned(first);
  const second = await call(sandbox, fn, ...args);
  const b = returned(second);
  if (JSON.stringify(encodeValue(a)) !== JSON.stringify(encodeValue(b))) {
    throw new Verdict(`${first.label} gave ${formatValue(a)}, then ${formatValue(b)} when called again with the same arguments: something is kept from one call to the next. Each answer must depend on the arguments alone`);
  }
  return first;
}
