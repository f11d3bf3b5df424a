/**
 * Why a test ended as it did, as a code that travels from the sandbox through the suites and the
 * judge into the result, and the one catalog of the words the kit says for the codes it words
 * itself. Nothing downstream reads a message back to learn what happened: score, the CSV, the
 * probe and the reports branch on codes.
 */
import type { FailureReason } from './sandbox/contract';
import type { ThrownError } from './sandbox/protocol';

/** A test's outcome. */
export type TestOutcome =
  /** Every check of the test held. */
  | 'passed'
  /** A value came back, and it is not the right one (or not of the right shape). */
  | 'wrong-value'
  /** The student's function threw (an error it should not have, or none where one was due). */
  | 'threw'
  /** The function is still the stub: it throws "… is not implemented yet". */
  | 'not-implemented'
  /** A call ran past its time limit. */
  | 'timed-out'
  /** The file did not finish loading within its limit. */
  | 'load-timed-out'
  /** The file could not be loaded: it threw or exited at its top level. */
  | 'load-failed'
  /** A time budget (a function's, or the whole submission's) was used up. */
  | 'budget'
  /** A call ran out of memory. */
  | 'out-of-memory'
  /** A call returned more than the grader takes. */
  | 'too-large'
  /** The student's code wrote to the grader's private channel. */
  | 'protocol'
  /** The process running the student's code exited or crashed during a call. */
  | 'crashed'
  /** The file does not export the function (or exports something else under its name). */
  | 'missing-export'
  /** The call was not made: its function broke in an earlier test, or its budget was already used up. */
  | 'not-run'
  /** The kit failed: not the student's fault. */
  | 'kit-error';

/** Every code, for checks of data read back (a result file, a jest run's records). */
export const TEST_OUTCOMES: readonly TestOutcome[] = [
  'passed', 'wrong-value', 'threw', 'not-implemented', 'timed-out', 'load-timed-out', 'load-failed', 'budget',
  'out-of-memory', 'too-large', 'protocol', 'crashed', 'missing-export', 'not-run', 'kit-error',
];

/** Whether a value is an outcome code. */
export function isTestOutcome(v: unknown): v is TestOutcome {
  return typeof v === 'string' && (TEST_OUTCOMES as readonly string[]).includes(v);
}

/** Outcomes that mean the student's code ran out of time (the CSV's "timed out" rows). */
export const OUT_OF_TIME: ReadonlySet<TestOutcome> = new Set(['timed-out', 'load-timed-out', 'budget']);

/** Outcomes that concern the whole file, not one function (nothing to say about the order of parts). */
export const AT_LOAD: ReadonlySet<TestOutcome> = new Set(['load-timed-out', 'load-failed']);

/** The outcome of a sandbox call that failed (not returned, not thrown), by the sandbox's reason. */
export function outcomeOfFailure(reason: FailureReason, notRun = false): TestOutcome {
  if (notRun) return 'not-run';
  switch (reason) {
    case 'load-timeout': return 'load-timed-out';
    case 'load-error': case 'load-exit': return 'load-failed';
    case 'missing-export': return 'missing-export';
    case 'timeout': return 'timed-out';
    case 'budget': return 'budget';
    case 'exit': case 'crash': return 'crashed';
    case 'out-of-memory': return 'out-of-memory';
    case 'too-large': return 'too-large';
    case 'protocol': return 'protocol';
    case 'broken-earlier': return 'not-run';
    case 'no-reference': return 'kit-error';
  }
}

/**
 * The one place the kit reads a student's error for meaning: the stubs (grader/tools/make-stubs.ts)
 * throw "<fn> is not implemented yet", and a function that still does is not written yet.
 */
export function isNotImplemented(error: Pick<ThrownError, 'message'>): boolean {
  return /not implemented yet/i.test(error.message);
}

// ---- The catalog: what the kit says in its own words. ----

/** A function still the stub. */
export function notImplementedText(fn: string): string {
  return `${fn} is not implemented yet`;
}

/** A part whose every test met the stub. */
export function partNotImplementedText(part: string): string {
  return `${part} is not implemented yet: write your code between START CODE HERE and END CODE HERE`;
}

/** Who is told of a fault of the kit: the student (their own result) or the instructor (a class's rows). */
export type Audience = 'student' | 'instructor';

/** A run the kit could not complete: never the student's fault, and said so. */
export function kitFailureText(why: string, audience: Audience): string {
  return `the grader failed (not ${audience === 'student' ? 'your fault; tell your instructor' : 'the student\'s fault'}): ${why}`;
}

/** One test the kit could not run or judge. */
export function kitTestFailureText(why: string): string {
  return `the grader failed on this test (not your fault; tell your instructor): ${why}`;
}

/** A part none of whose tests ran. */
export function kitPartFailureText(part: string, why: string): string {
  return `the grader failed before testing ${part} (not your fault; tell your instructor): ${why}`;
}
