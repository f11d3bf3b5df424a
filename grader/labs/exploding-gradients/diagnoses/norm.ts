/** l2Norm(v): the square of the length (no square root), the L1 norm, a negative length. */
import { near, type Diagnosis, type Verdict } from '../../../feedback/evidence';
import { holdsOnEvery, holdsOnSome, numbers, type Call } from './read';

/** The answer is the square of the right one (where squaring changes it: not 0, not 1). */
function withoutSqrt(e: Call): Verdict {
  if (typeof e.expected !== 'number' || typeof e.got !== 'number') return undefined;
  const square = e.expected * e.expected;
  if (near(square, e.expected)) return undefined;
  return near(e.got, square);
}

/** The answer is the sum of the absolute values (where that is not the length: two values or more not 0). */
function l1(e: Call): Verdict {
  const v = numbers(e.args[0]);
  if (!v || typeof e.expected !== 'number' || typeof e.got !== 'number') return undefined;
  const sum = v.reduce((s, x) => s + Math.abs(x), 0);
  if (near(sum, e.expected)) return undefined;
  return near(e.got, sum);
}

/** The diagnoses of l2Norm, most specific first. */
export const NORM: Diagnosis<unknown[]>[] = [
  {
    id: 'norm-without-sqrt', strength: 'mistake', checks: 'every wrong answer is the square of the right one',
    find: (calls) => (holdsOnEvery(calls, withoutSqrt) ? { id: 'norm-without-sqrt' } : undefined),
  },
  {
    id: 'norm-l1', strength: 'mistake', checks: 'every wrong answer is the sum of the absolute values',
    find: (calls) => (holdsOnEvery(calls, l1) ? { id: 'norm-l1' } : undefined),
  },
  {
    id: 'norm-negative', strength: 'observation', checks: 'a negative length',
    find: (calls) => (holdsOnSome(calls, (e) => typeof e.got === 'number' && e.got < 0) ? { id: 'norm-negative' } : undefined),
  },
];
