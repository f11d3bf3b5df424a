/**
 * sigmoid(x): falls where it should rise (mirrored: 1 - sigmoid), on both sides of 0 or on one;
 * the exponential alone (e^x or e^-x, the "1 +" missing); values outside (0, 1); NaN where the
 * exponential overflows; sigmoid(0) not one half.
 */
import { holdsOnEvery, holdsOnSome, near, NEAR_RELATIVE, type Diagnosis, type Evidence, type Verdict } from '../../../feedback/evidence';

/** The student's answer is the mirror image: 1 - sigmoid(x). */
function mirrored(e: Evidence): Verdict {
  if (typeof e.got !== 'number' || typeof e.expected !== 'number') return undefined;
  return near(e.got, 1 - e.expected);
}

/** The student's answer is e^x or e^-x: the exponential without "1 +". */
function exponentialAlone(e: Evidence): Verdict {
  if (typeof e.got !== 'number') return undefined;
  const x = e.args[0];
  return near(e.got, Math.exp(x), NEAR_RELATIVE) || near(e.got, Math.exp(-x), NEAR_RELATIVE);
}

/** The student's answer is tanh(x), another S-shaped function (where the two differ: not at 0). */
function isTanh(e: Evidence): Verdict {
  if (typeof e.got !== 'number' || e.args[0] === 0) return undefined;
  return near(e.got, Math.tanh(e.args[0]), NEAR_RELATIVE);
}

/**
 * Which side of 0 a mirrored curve is wrong on: `negative-x` or `positive-x` when every wrong call
 * is on one side and the other side has right answers (a two-branch sigmoid with a slip in one
 * branch), undefined when it is wrong on both sides.
 */
function mirroredSide(calls: readonly Evidence[]): string | undefined {
  const wrong = calls.filter((e) => e.differs);
  const right = calls.filter((e) => !e.differs);
  if (wrong.every((e) => e.args[0] < 0) && right.some((e) => e.args[0] > 0)) return 'negative-x';
  if (wrong.every((e) => e.args[0] > 0) && right.some((e) => e.args[0] < 0)) return 'positive-x';
  return undefined;
}

/** The diagnoses of sigmoid, most specific first. */
export const SIGMOID: Diagnosis[] = [
  {
    id: 'sigmoid-exp-plus-x', variants: ['negative-x', 'positive-x'], strength: 'mistake',
    checks: 'every wrong answer is 1 - sigmoid(x) (the mirror image), named by side when the other side is right',
    find: (calls) => {
      if (!holdsOnEvery(calls, mirrored)) return undefined;
      const side = mirroredSide(calls);
      return side ? { id: 'sigmoid-exp-plus-x', variant: side } : { id: 'sigmoid-exp-plus-x' };
    },
  },
  {
    id: 'sigmoid-is-tanh', strength: 'mistake', checks: 'every wrong answer is tanh(x), the hyperbolic tangent',
    find: (calls) => (holdsOnEvery(calls, isTanh) ? { id: 'sigmoid-is-tanh' } : undefined),
  },
  {
    id: 'sigmoid-missing-one', strength: 'mistake', checks: 'every wrong answer is e^x or e^-x: the exponential without "1 +"',
    find: (calls) => (holdsOnEvery(calls, exponentialAlone) ? { id: 'sigmoid-missing-one' } : undefined),
  },
  {
    id: 'sigmoid-overflows', strength: 'observation', checks: 'NaN for some input (e^x overflowed to Infinity, then Infinity / Infinity)',
    find: (calls) => (holdsOnSome(calls, (e) => typeof e.got === 'number' && Number.isNaN(e.got)) ? { id: 'sigmoid-overflows' } : undefined),
  },
  {
    id: 'sigmoid-out-of-range', strength: 'observation', checks: 'a value below 0 or above 1',
    find: (calls) => (holdsOnSome(calls, (e) => typeof e.got === 'number' && (e.got < 0 || e.got > 1)) ? { id: 'sigmoid-out-of-range' } : undefined),
  },
  {
    id: 'sigmoid-not-half-at-zero', strength: 'observation', checks: 'sigmoid(0) is not 0.5',
    find: (calls) => (holdsOnSome(calls, (e) => e.args[0] === 0 && typeof e.got === 'number') ? { id: 'sigmoid-not-half-at-zero' } : undefined),
  },
];
