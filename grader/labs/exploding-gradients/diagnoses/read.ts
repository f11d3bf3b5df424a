/**
 * What this lab's diagnoses share: the kit's rules (grader/feedback/evidence.ts) over calls whose
 * arguments are numbers and arrays of numbers, and the lab's one formula the diagnoses need for
 * candidates (the Euclidean length, which the exercise's own text gives).
 */
import { isClose } from '../../../lib/allclose';
import { NEAR, numbers, type Evidence } from '../../../feedback/evidence';

/** Evidence of this lab: arguments of any JSON shape (vectors, thresholds, counts). */
export type Call = Evidence<unknown[]>;

/** The Euclidean length: the square root of the sum of the squares. */
export function lengthOf(v: readonly number[]): number {
  let sum = 0;
  for (const x of v) sum += x * x;
  return Math.sqrt(sum);
}

/** Two lists of numbers of the same length, element by element near (NaN near NaN). */
export function nearAll(a: readonly number[] | undefined, b: readonly number[], tol = NEAR): boolean {
  if (!a || a.length !== b.length) return false;
  return a.every((v, i) => isClose(v, b[i], { rtol: tol.rtol, atol: tol.atol * Math.max(1, Math.abs(b[i])) }) || (Number.isNaN(v) && Number.isNaN(b[i])));
}

// The kit's rules, generic in the arguments' shape: this lab's diagnoses read them from here.
export { holdsOnEvery, holdsOnSome } from '../../../feedback/evidence';
export { numbers };
