/**
 * The sandbox's contract with its callers: the limits it enforces (SandboxOptions and the defaults
 * `npm run grade` uses), what a call can come to (CallOutcome, FailureReason), and how a thrown
 * error is told in one line. Plain types and data: the process management is in client.ts.
 */
import type { IsolationPlan } from './isolation';
import type { ThrownError } from './protocol';

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
  /** Wall-clock time all calls to one function may take, sleeping included. */
  fnWallBudgetMs: number;
  /** Wall-clock time loading and all calls of the submission may take, sleeping included. */
  submissionBudgetMs: number;
  /** The operating system's boundary (isolation.ts); detected when absent. */
  isolation?: IsolationPlan;
  /** Tests only: the child skips its JavaScript guards, to show that the OS boundary holds alone. */
  testUnguarded?: boolean;
  /** Largest reply line accepted from the child. */
  maxReplyBytes: number;
  /**
   * Most items (array elements and object fields, at every depth) one reply may hold. The lab's
   * largest answer is a few hundred numbers: a reply far beyond that tells nothing more, and
   * decoding it would make the grader's work grow with what a submission returns.
   */
  maxReplyItems: number;
  /** Most items the log of recorded calls (the hints' evidence) keeps, arguments and values together. */
  maxRecordedItems?: number;
  /** Most characters of student output kept per function (and for loading). */
  maxOutputChars: number;
  /** Keep a log of the values calls returned (for hints), up to this many calls; 0 keeps none. */
  recordCalls?: number;
  /**
   * The submission's file name, the lab's (`<id>.ts`): the child finds the student's frames in a
   * stack trace by it. Default: the compiled module's name.
   */
  submissionFile?: string;
}

/** Defaults used by `npm run grade`. */
export const DEFAULT_SANDBOX_LIMITS = {
  callTimeoutMs: 2000,
  callTimeoutAfterHangMs: 500,
  loadTimeoutMs: 5000,
  fnBudgetMs: 6000,
  fnWallBudgetMs: 15_000,
  submissionBudgetMs: 60_000,
  memoryMb: 256,
  addressSpaceMb: 1536,
  maxReplyBytes: 1024 * 1024,
  // The lab's largest answer is 300 numbers (a series over a hidden count): ten times that. A sweep of a
  // few hundred calls, each at this limit, stays within the grader's memory bound (bench:hostile).
  maxReplyItems: 3_000,
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
  /**
   * `changed`: the indices of the arguments the call changed in place (arrays and objects);
   * `returnedArgument`: the index of an argument it returned itself instead of a new value.
   */
  | { kind: 'returned'; value: unknown; changed?: number[]; returnedArgument?: number }
  | { kind: 'threw'; error: ThrownError }
  /** `notRun`: the call was refused before it was made (its function broke earlier, a budget was already used up). */
  | { kind: 'failed'; reason: FailureReason; message: string; notRun?: true };

/** Failures after which a function is not called again. */
export const BREAKS_FUNCTION = new Set<FailureReason>(['timeout', 'budget', 'exit', 'out-of-memory', 'crash', 'protocol']);

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
