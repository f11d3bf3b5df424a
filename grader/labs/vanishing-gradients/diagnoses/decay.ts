/**
 * simulateDecay(steps, x): the length against steps, the first value (the starting total 1?), and
 * how each value follows from the one before: a constant ratio (which gradient? one power ahead?),
 * a constant difference (adding), a ratio that changes (a gradient recomputed from the running
 * total), squaring.
 */
import { isClose } from '../../../lib/allclose';
import { holdsOnEvery, NEAR_RELATIVE, numbers, type Diagnosis, type Evidence, type Verdict } from '../../../feedback/evidence';
import { gradientOf, sigmoidOf } from './math';

/** The call's steps and x, the answers as arrays, and the right gradient g (undefined for 0 steps). */
function read(e: Evidence): { steps: number; x: number; got: number[]; want: number[]; g: number | undefined } | undefined {
  const got = numbers(e.got);
  const want = numbers(e.expected);
  return got && want ? { steps: e.args[0], x: e.args[1], got, want, g: want[0] } : undefined;
}

const close = (a: number, b: number): boolean => isClose(a, b, NEAR_RELATIVE);

/** The first value is the starting total 1, and the right values follow it (steps or steps + 1 values in all). */
function startsWithOne(e: Evidence): Verdict {
  const c = read(e);
  if (!c || c.got.length === 0) return c ? false : undefined;
  const rest = c.got.slice(1);
  return c.got[0] === 1 && rest.length >= c.want.length - 1 && rest.length <= c.want.length && rest.every((v, k) => close(v, c.want[k]));
}

/** One value more than steps, not because the starting 1 was kept (that is its own mistake). */
function oneTooMany(e: Evidence): Verdict {
  const c = read(e);
  if (!c) return undefined;
  return c.got.length === c.want.length + 1 && c.got[0] !== 1;
}

function oneTooFew(e: Evidence): Verdict {
  const c = read(e);
  return c ? c.got.length === c.want.length - 1 : undefined;
}

/** steps values, each one power of g too far: g^2 .. g^(steps+1). */
function powerAhead(e: Evidence): Verdict {
  const c = read(e);
  if (!c || c.g === undefined) return undefined;
  return c.got.length === c.want.length && c.got.every((v, k) => close(v, c.want[k] * c.g!));
}

/** steps powers of x (1 - x): the gradient formula applied to the raw x. */
function powersOfRawX(e: Evidence): Verdict {
  const c = read(e);
  if (!c || c.g === undefined) return undefined;
  const r = gradientOf(c.x);
  // At x = 0 or 1 the powers are all 0: a list of zeros fits too many mistakes to name one.
  if (close(r, c.g) || r === 0) return undefined;
  return c.got.length === c.want.length && c.got.every((v, k) => close(v, r ** (k + 1)));
}

/** Powers of the input x itself (x, x^2, ...): the loop multiplies by x where the lab multiplies by the gradient. */
function powersOfInput(e: Evidence): Verdict {
  const c = read(e);
  if (!c || c.g === undefined) return undefined;
  // Where x is 0, 1 or the gradient itself, the powers of x cannot tell this mistake.
  if (close(c.x, c.g) || c.x === 0 || c.x === 1) return undefined;
  return c.got.length === c.want.length && c.got.every((v, k) => close(v, c.x ** (k + 1)));
}

/** Three or more values with one constant, non-zero difference: a sum, not a product. */
function constantDifference(e: Evidence): Verdict {
  const c = read(e);
  if (!c || c.got.length < 3) return undefined;
  const d = c.got[1] - c.got[0];
  if (d === 0 || !Number.isFinite(d)) return false;
  return c.got.every((v, k) => k === 0 || isClose(v - c.got[k - 1], d, { rtol: 1e-6, atol: 0 }));
}

/**
 * The ways a gradient is recomputed from the running total t at each step: the new total is the
 * gradient at t, or t times it; the gradient taken at the activation s(t) or at t itself.
 */
const RECOMPUTED: ((t: number) => number)[] = [
  (t) => gradientOf(sigmoidOf(t)),
  (t) => t * gradientOf(sigmoidOf(t)),
  (t) => gradientOf(t),
  (t) => t * gradientOf(t),
];

/**
 * Every value follows from the one before by `f` (three values or more, not all the same: a
 * constant list, 1 squared or a fixed point of `f`, shows no recurrence).
 */
function follows(f: (t: number) => number) {
  return (e: Evidence): Verdict => {
    const c = read(e);
    if (!c || c.got.length < 3) return undefined;
    if (c.got.every((v) => v === c.got[0])) return undefined;
    return c.got.every((v, k) => k === 0 || close(v, f(c.got[k - 1])));
  };
}

/** The diagnoses of simulateDecay, most specific first. */
export const DECAY: Diagnosis[] = [
  {
    id: 'decay-includes-initial-one', strength: 'mistake', checks: 'the starting total 1 first, then the right values',
    find: (calls) => (holdsOnEvery(calls, startsWithOne) ? { id: 'decay-includes-initial-one' } : undefined),
  },
  {
    id: 'decay-one-too-many', strength: 'mistake', checks: 'steps + 1 values (not by keeping the starting 1)',
    find: (calls) => (holdsOnEvery(calls, oneTooMany) ? { id: 'decay-one-too-many' } : undefined),
  },
  {
    id: 'decay-one-too-few', strength: 'mistake', checks: 'steps - 1 values, whichever end is missing',
    find: (calls) => (holdsOnEvery(calls, oneTooFew) ? { id: 'decay-one-too-few' } : undefined),
  },
  {
    id: 'decay-one-power-ahead', strength: 'mistake', checks: 'steps values, each one power of the gradient too far (g^2 first)',
    find: (calls) => (holdsOnEvery(calls, powerAhead) ? { id: 'decay-one-power-ahead' } : undefined),
  },
  {
    id: 'gradient-of-raw-x', strength: 'mistake', checks: 'powers of x (1 - x): the gradient formula applied to the raw x',
    find: (calls) => (holdsOnEvery(calls, powersOfRawX) ? { id: 'gradient-of-raw-x' } : undefined),
  },
  {
    id: 'decay-multiplies-input', strength: 'mistake', checks: 'powers of the input x itself: the loop multiplies by x, not by the gradient',
    find: (calls) => (holdsOnEvery(calls, powersOfInput) ? { id: 'decay-multiplies-input' } : undefined),
  },
  {
    id: 'decay-adds', strength: 'mistake', checks: 'a constant difference between values: a running sum (from 0 or from 1)',
    find: (calls) => (holdsOnEvery(calls, constantDifference) ? { id: 'decay-adds' } : undefined),
  },
  {
    id: 'decay-squares', strength: 'mistake', checks: 'each value the square of the one before',
    find: (calls) => (holdsOnEvery(calls, follows((t) => t * t)) ? { id: 'decay-squares' } : undefined),
  },
  {
    id: 'decay-recomputes-gradient', strength: 'mistake', checks: 'each value a gradient recomputed from the one before (times it or not)',
    find: (calls) => (RECOMPUTED.some((f) => holdsOnEvery(calls, follows(f))) ? { id: 'decay-recomputes-gradient' } : undefined),
  },
];
