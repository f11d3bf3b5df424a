/**
 * The classic mistakes of the lab "Exploding Gradients and Gradient Clipping", as deliberate wrong
 * implementations (in the spirit of the first lab's grader/labs/vanishing-gradients/mutants.ts). When a student's
 * answers on the tests' own inputs match a mistake's (and differ from the solution's), the part
 * gets that mistake's hint (hints.json beside this file, one text per id).
 *
 * Each mistake imitates one function and is built on the trusted versions of the others, so that a
 * mistake of clipByNorm isolates clipByNorm's own slip (its norm is the right one). The trusted
 * functions are handed in (`mistakesOf(solution)`) rather than imported: everything under grader/
 * is compiled into the student release, where solutions/ does not exist, so an import of the
 * solution from here would break the release's build (see README.md beside this file).
 *
 * The release keeps this file back (KEPT_BACK in grader/tools/release.ts); the mistakes are
 * written on the trusted functions all the same, and repeat no line of either lab's solutions
 * (test/unit/exploding-gradients.test.ts checks it).
 *
 * Wrong values are not the only way to be wrong: `clip-mutates-argument` answers with the right
 * values, and shows only in what happens to the argument (changed, and returned as the answer).
 */

import type { ExplodingGradients } from './functions';

/** The lab's five functions (functions.ts), for the modules that read them from here. */
export type { ExplodingGradients };

/** A part: one of the five functions. */
export type Part = keyof ExplodingGradients;

/** One classic mistake: its hint id, the function it imitates, what it is, and the code. */
export type Mistake = {
  [P in Part]: {
    /** The hint's id in hints.json. */
    id: string;
    /** The function it imitates. */
    part: P;
    /** What the mistake is, in one line (for instructors; the student sees the hint). */
    note: string;
    /** The mistaken implementation, with the part's own signature. */
    fn: ExplodingGradients[P];
  };
}[Part];

/** The contract's argument checks, kept by every mistake whose slip is elsewhere. */
function checkMaxNorm(maxNorm: number): void {
  if (!(Number.isFinite(maxNorm) && maxNorm > 0)) throw new RangeError('maxNorm');
}

function checkSteps(steps: number): void {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError('steps');
}

/** Every mistake, built on `trusted` (the solution) for the functions it does not imitate. */
export function mistakesOf(trusted: ExplodingGradients): Mistake[] {
  return [
    {
      id: 'clip-each-element',
      part: 'clipByNorm',
      note: 'clips each element to [-maxNorm, maxNorm] on its own instead of scaling the whole vector by its norm (the direction changes)',
      fn: (grad, maxNorm) => {
        checkMaxNorm(maxNorm);
        return grad.map((g) => Math.min(maxNorm, Math.max(-maxNorm, g)));
      },
    },
    {
      id: 'clip-rescales-within',
      part: 'clipByNorm',
      note: 'rescales even when the norm is already within maxNorm (always grad * maxNorm / norm): short gradients are stretched up to maxNorm',
      fn: (grad, maxNorm) => {
        checkMaxNorm(maxNorm);
        const norm = trusted.l2Norm(grad);
        return grad.map((g) => (g * maxNorm) / norm);
      },
    },
    {
      id: 'clip-factor-inverted',
      part: 'clipByNorm',
      note: 'scales by norm / maxNorm instead of maxNorm / norm when over the cap, so clipping lengthens the gradient',
      fn: (grad, maxNorm) => {
        checkMaxNorm(maxNorm);
        const norm = trusted.l2Norm(grad);
        return norm > maxNorm ? grad.map((g) => g * (norm / maxNorm)) : grad.slice();
      },
    },
    {
      id: 'clip-mutates-argument',
      part: 'clipByNorm',
      note: 'scales the argument in place and returns the argument itself: the right values, but the caller\'s raw gradient is gone',
      fn: (grad, maxNorm) => {
        checkMaxNorm(maxNorm);
        const norm = trusted.l2Norm(grad);
        if (norm > maxNorm) for (let i = 0; i < grad.length; i++) grad[i] *= maxNorm / norm;
        return grad;
      },
    },
    {
      id: 'norm-without-sqrt',
      part: 'l2Norm',
      note: 'returns the sum of squares, the square of the length (the square root forgotten)',
      fn: (v) => v.reduce((sum, x) => sum + x * x, 0),
    },
    {
      id: 'norm-l1',
      part: 'l2Norm',
      note: 'returns the sum of absolute values (the L1 norm) instead of the Euclidean length',
      fn: (v) => v.reduce((sum, x) => sum + Math.abs(x), 0),
    },
    {
      id: 'relu-gradient-one-at-zero',
      part: 'reluGradient',
      note: 'tests x >= 0 instead of x > 0, so the gradient at exactly 0 is 1 where the lab has 0',
      fn: (x) => (x >= 0 ? 1 : 0),
    },
    {
      // Of the two ways to keep the starting 1, this is the likely one: a loop that runs `steps`
      // times and records the total before multiplying it returns the right number of values, so
      // neither a length check nor the student's own eye on the length catches it; only the values
      // do, which is where a hint is needed ([1, w, ..., w^steps], one value too many, is told
      // already by the length). It matches the first lab's first `decay-includes-initial-one` form.
      id: 'growth-keeps-initial-one',
      part: 'simulateGrowth',
      note: 'records the running total before multiplying: [1, w, ..., w^(steps-1)] instead of [w, ..., w^steps]',
      fn: (steps, weight) => {
        checkSteps(steps);
        return steps === 0 ? [] : [1, ...trusted.simulateGrowth(steps - 1, weight)];
      },
    },
    {
      id: 'growth-adds',
      part: 'simulateGrowth',
      note: 'adds the weight to the running total (starting at 1) instead of multiplying: [1 + w, 1 + 2w, ...] grows in equal steps, never explodes',
      fn: (steps, weight) => {
        checkSteps(steps);
        return Array.from({ length: steps }, (_, k) => 1 + (k + 1) * weight);
      },
    },
  ];
}
