/**
 * Feedback on what the figures mean, read from their data rather than their pixels (the way
 * plotchecker reads matplotlib's): where the student's curve departs from what the solution gives
 * on the same inputs, said in words. Pixel differences are advisory; these sentences are the point.
 * What every lab's sentences share is here; each lab says its own (grader/labs/<id>/meaning.ts).
 */
import { isClose, type Tolerance } from '../lib/allclose';
import { Unanswerable } from '../lib/answers';

/** Runs one group of sentences; in the student release, a group whose answers are unknown says nothing. */
export function known(body: () => void): void {
  try {
    body();
  } catch (err) {
    if (!(err instanceof Unanswerable)) throw err;
  }
}

/** Plot-level tolerance: far looser than the tests', since a figure cannot show 1e-9. */
export const TOL: Tolerance = { rtol: 1e-6, atol: 1e-9 };

/** A number in three significant digits, for sentences. */
export function short(n: number): string {
  return String(Number(n.toPrecision(3)));
}

/** Where along x a mask is true, in words: "for every x", "for x < 0", "at 3 of 100 points …". */
export function describeRegion(xs: number[], mask: boolean[]): string {
  const n = mask.length;
  const runs: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    if (runs.length && runs[runs.length - 1][1] === i - 1) runs[runs.length - 1][1] = i;
    else runs.push([i, i]);
  }
  const count = mask.filter(Boolean).length;
  if (count === n) return 'for every x';
  const increasing = xs[n - 1] >= xs[0];
  if (runs.length === 1 && count > 2) {
    const [a, b] = runs[0];
    const from = xs[a];
    const to = xs[b];
    // The boundary is halfway between the last point that differs and the first that does not.
    const mid = (i: number, j: number): string => {
      const m = (xs[i] + xs[j]) / 2;
      return short(Math.abs(m) < Math.abs(xs[j] - xs[i]) * 1e-6 ? 0 : m);
    };
    if (a === 0) return increasing ? `for x < ${mid(b, b + 1)}` : `for x > ${mid(b, b + 1)}`;
    if (b === n - 1) return increasing ? `for x > ${mid(a - 1, a)}` : `for x < ${mid(a - 1, a)}`;
    return `for x between ${short(Math.min(from, to))} and ${short(Math.max(from, to))}`;
  }
  const first = runs[0][0];
  return `at ${count} of ${n} points (the first at x = ${short(xs[first])})`;
}

/** Where `actual` is not close to `expected`, point by point. */
export function differing(actual: number[], expected: number[], tolerance: Tolerance = TOL): boolean[] {
  return expected.map((e, i) => !isClose(actual[i], e, tolerance));
}
