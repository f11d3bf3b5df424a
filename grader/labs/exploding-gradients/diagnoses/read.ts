/**
 * What this lab's diagnoses share: the rule of grader/feedback/evidence.ts over calls whose
 * arguments are numbers and arrays of numbers, and the lab's one formula the diagnoses need for
 * candidates (the Euclidean length, which the exercise's own text gives).
 */
import { isClose } from '../../../lib/allclose';
import { NEAR, numbers, type Evidence, type Verdict } from '../../../feedback/evidence';

/** Evidence of this lab: arguments of any JSON shape (vectors, thresholds, counts). */
export type Call = Evidence<unknown[]>;

/**
 * The rule for mistakes (as evidence.ts's holdsOnEvery, over this lab's calls): among the calls
 * where the student is wrong, the property holds on at least one and is contradicted by none.
 */
export function holdsOnEvery(calls: readonly Call[], property: (e: Call) => Verdict): boolean {
  let held = false;
  for (const e of calls) {
    if (!e.differs) continue;
    const v = property(e);
    if (v === false) return false;
    if (v === true) held = true;
  }
  return held;
}

/** The rule for observations: the fact holds on at least one call where the student is wrong. */
export function holdsOnSome(calls: readonly Call[], fact: (e: Call) => boolean): boolean {
  return calls.some((e) => e.differs && fact(e));
}

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

export { numbers };
