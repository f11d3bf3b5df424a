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

/**
 * The answer is the length of the vector with one value left out, the first or the last (a loop
 * bound one off), where that is not the right length (the value left out is not 0). The side, or
 * false; undefined where no value can be left out.
 */
function leavesOut(e: Call): 'first' | 'last' | false | undefined {
  const v = numbers(e.args[0]);
  if (!v || v.length < 2 || typeof e.expected !== 'number' || typeof e.got !== 'number') return undefined;
  const length = (w: number[]): number => Math.sqrt(w.reduce((s, x) => s + x * x, 0));
  const first = v[0] !== 0 && near(e.got, length(v.slice(1)));
  const last = v[v.length - 1] !== 0 && near(e.got, length(v.slice(0, -1)));
  if (v[0] === 0 && v[v.length - 1] === 0) return undefined;
  return first && !last ? 'first' : last && !first ? 'last' : first && last ? undefined : false;
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
    id: 'norm-leaves-out-a-value', variants: ['first', 'last'], strength: 'mistake', checks: 'every wrong answer is the length of the vector without its first value (or without its last)',
    find: (calls) => {
      // One side on every wrong call that can tell; a call that is right is no evidence.
      const sides = new Set<string>();
      for (const e of calls) {
        if (!e.differs) continue;
        const side = leavesOut(e);
        if (side === false) return undefined;
        if (side) sides.add(side);
      }
      return sides.size === 1 ? { id: 'norm-leaves-out-a-value', variant: [...sides][0] } : undefined;
    },
  },
  {
    id: 'norm-negative', strength: 'observation', checks: 'a negative length',
    find: (calls) => (holdsOnSome(calls, (e) => typeof e.got === 'number' && e.got < 0) ? { id: 'norm-negative' } : undefined),
  },
];
