/**
 * Tolerant comparison of numbers, as numpy's `isclose`: `|actual - expected| <= atol + rtol * |expected|`.
 * A correct implementation written differently (another formula for the same series, another form of the same function,
 * Math.pow for a loop) differs from the solution by rounding only, far inside these tolerances.
 */

/** Relative and absolute tolerance. */
export interface Tolerance {
  /** Relative tolerance, scaled by |expected|. */
  rtol: number;
  /** Absolute tolerance, for values near zero. */
  atol: number;
}

/** The default: tight enough to catch a wrong formula, loose enough for rounding. */
export const DEFAULT_TOLERANCE: Tolerance = { rtol: 1e-9, atol: 1e-12 };

/** True when `actual` is close to `expected`. NaN equals NaN; infinities must match exactly. */
export function isClose(actual: number, expected: number, tol: Tolerance = DEFAULT_TOLERANCE): boolean {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual);
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return actual === expected;
  return Math.abs(actual - expected) <= tol.atol + tol.rtol * Math.abs(expected);
}

/** Index of the first element that is not close, or -1 when all are (lengths must match first). */
export function firstMismatch(actual: readonly number[], expected: readonly number[], tol: Tolerance = DEFAULT_TOLERANCE): number {
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) if (!isClose(actual[i], expected[i], tol)) return i;
  return actual.length === expected.length ? -1 : n;
}
