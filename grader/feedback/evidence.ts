/**
 * What a diagnosis reads, and the rule every diagnosis follows. A diagnosis names a mistake from a
 * property of the student's answers (a count, a gap, a sign, a ratio), compared with the solution's
 * answers on the same inputs, on the calls where the two differ. Calls where the student is right
 * are never evidence of a mistake, so a correct implementation, however written, gets no hint.
 */
import { isClose, type Tolerance } from '../lib/allclose';
import { Opaque } from '../sandbox/wire';

/** One call of the student's function whose right answer the kit knows. */
export interface Evidence<A extends readonly unknown[] = number[]> {
  /** The arguments, as the test passed them: numbers for the first lab's parts, any JSON shape in general (see numericOnly). */
  args: A;
  /** What the student's function returned. */
  got: unknown;
  /** What the solution returns for the same arguments. */
  expected: unknown;
  /** True when the student's answer is not the solution's (at the tests' own tolerance), or the call changed an argument. */
  differs: boolean;
  /** The indices of the arguments the call changed in place (as the sandbox saw them). */
  changed?: number[];
  /** The index of an argument the call returned itself, not a new value. */
  returnedArgument?: number;
}

/** A diagnosis that fired: the hint's id, and which of its texts fits (hints.json `id@variant`). */
export interface Finding {
  /** The mistake's id, the key of its text in hints.json. */
  id: string;
  /** A variant of the text (for example which side of 0 a half-mirrored curve is wrong on). */
  variant?: string;
}

/**
 * How sure a diagnosis is. A `mistake` names one known mistake and fires only when its property
 * holds on every differing call that can tell it apart; an `observation` states a fact about the
 * student's answers (a value outside the possible range, say) and is given only when no mistake
 * was named for the part.
 */
export type Strength = 'mistake' | 'observation';

/** One property-based diagnosis. */
export interface Diagnosis<A extends readonly unknown[] = number[]> {
  /** The hint's id (hints.json). */
  id: string;
  /** The text variants it may ask for (each needs a text `id@variant` in hints.json). */
  variants?: readonly string[];
  /** A mistake or an observation. */
  strength: Strength;
  /** What it checks, in one line (for instructors reading the catalogue). */
  checks: string;
  /** The finding, or undefined when the property does not hold. */
  find(calls: readonly Evidence<A>[]): Finding | undefined;
}

/** Whether a call's arguments are all numbers. */
function allNumbers(e: Evidence<readonly unknown[]>): e is Evidence<number[]> {
  return e.args.every((a) => typeof a === 'number');
}

/**
 * A diagnosis written for numeric arguments, over evidence of any shape: it sees the calls whose
 * arguments are all numbers (the others cannot tell it anything).
 */
export function numericOnly(d: Diagnosis<number[]>): Diagnosis<unknown[]> {
  return { ...d, find: (calls) => d.find(calls.filter(allNumbers)) };
}

/**
 * What a property says about one call: it holds (true), it is contradicted (false), or this call
 * cannot tell (undefined: the property and the right answer coincide here, or the answer has a
 * shape the property does not speak about).
 */
export type Verdict = boolean | undefined;

/**
 * The rule for mistakes: among the calls where the student is wrong, the property holds on at
 * least one and is contradicted by none.
 */
export function holdsOnEvery<A extends readonly unknown[] = number[]>(calls: readonly Evidence<A>[], property: (e: Evidence<A>) => Verdict): boolean {
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
export function holdsOnSome<A extends readonly unknown[] = number[]>(calls: readonly Evidence<A>[], fact: (e: Evidence<A>) => boolean): boolean {
  return calls.some((e) => e.differs && fact(e));
}

/** Closeness for "the student's value is this candidate": looser than the tests', for other ways of computing it. */
export const NEAR: Tolerance = { rtol: 1e-7, atol: 1e-10 };
/** Relative closeness only, for values that get tiny (a decay's powers): any tiny number is not near another. */
export const NEAR_RELATIVE: Tolerance = { rtol: 1e-7, atol: 0 };

/** True when `a` is near `b` (numbers; NaN is near NaN, infinities only themselves). */
export function near(a: unknown, b: number, tol: Tolerance = NEAR): boolean {
  return typeof a === 'number' && isClose(a, b, tol);
}

/** The value as an array of numbers, or undefined when it is something else. */
export function numbers(v: unknown): number[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : undefined;
}

/** The value as a plain object (not an array, not an opaque value), or undefined. */
export function record(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Opaque) ? (v as Record<string, unknown>) : undefined;
}

/** Differences between neighbours. */
export function gaps(values: readonly number[]): number[] {
  return values.slice(1).map((v, i) => v - values[i]);
}

/** True when every element of `values` is near `target`, scaled by `scale` for the absolute part. */
export function allNear(values: readonly number[], target: number, scale = 1): boolean {
  const tol = { rtol: NEAR.rtol, atol: NEAR.atol * Math.max(1, Math.abs(scale)) };
  return values.every((v) => isClose(v, target, tol));
}

/** True when `v` is a whole number, allowing the rounding of sums of numbers of size `scale`. */
export function isWhole(v: number, scale = 1): boolean {
  return Number.isFinite(v) && Math.abs(v - Math.round(v)) <= 1e-9 * Math.max(1, Math.abs(scale));
}
