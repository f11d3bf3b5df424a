/**
 * simulateGrowth(steps, weight): the starting total 1 kept, a running sum instead of a product, a
 * length other than steps.
 */
import { isClose } from '../../../lib/allclose';
import { NEAR_RELATIVE, type Diagnosis, type Verdict } from '../../../feedback/evidence';
import { holdsOnEvery, holdsOnSome, numbers, type Call } from './read';

const close = (a: number, b: number): boolean => isClose(a, b, NEAR_RELATIVE);

function read(e: Call): { got: number[]; want: number[] } | undefined {
  const got = numbers(e.got);
  const want = numbers(e.expected);
  return got && want ? { got, want } : undefined;
}

/** The first value is the starting total 1, and the right values follow it (steps or steps + 1 values in all). */
function startsWithOne(e: Call): Verdict {
  const c = read(e);
  if (!c) return undefined;
  if (c.got.length === 0) return false;
  const rest = c.got.slice(1);
  return c.got[0] === 1 && rest.length >= c.want.length - 1 && rest.length <= c.want.length && rest.every((v, k) => close(v, c.want[k]));
}

/** Three values or more with one constant, non-zero difference: a sum, not a product (a constant list cannot tell). */
function constantDifference(e: Call): Verdict {
  const c = read(e);
  if (!c || c.got.length < 3) return undefined;
  const d = c.got[1] - c.got[0];
  if (d === 0) return undefined;
  if (!Number.isFinite(d)) return false;
  return c.got.every((v, k) => k === 0 || isClose(v - c.got[k - 1], d, { rtol: 1e-6, atol: 1e-12 }));
}

/** Two values or more, every one the weight itself: the total never multiplied (where the right values differ). */
function neverMultiplied(e: Call): Verdict {
  const c = read(e);
  const w = e.args[1];
  if (!c || c.want.length < 2 || typeof w !== 'number' || close(c.want[1], c.want[0])) return undefined;
  return c.got.length === c.want.length && c.got.every((v) => close(v, w));
}

/** The diagnoses of simulateGrowth, most specific first. */
export const GROWTH: Diagnosis<unknown[]>[] = [
  {
    id: 'growth-keeps-initial-one', strength: 'mistake', checks: 'the starting total 1 first, then the right values',
    find: (calls) => (holdsOnEvery(calls, startsWithOne) ? { id: 'growth-keeps-initial-one' } : undefined),
  },
  {
    id: 'growth-adds', strength: 'mistake', checks: 'a constant difference between values: a running sum',
    find: (calls) => (holdsOnEvery(calls, constantDifference) ? { id: 'growth-adds' } : undefined),
  },
  {
    id: 'growth-never-multiplied', strength: 'mistake', checks: 'every value is the weight itself, where the right values grow or shrink',
    find: (calls) => (holdsOnEvery(calls, neverMultiplied) ? { id: 'growth-never-multiplied' } : undefined),
  },
  {
    id: 'growth-wrong-length', strength: 'observation', checks: 'a number of values other than steps',
    find: (calls) => (holdsOnSome(calls, (e) => { const c = read(e); return !!c && c.got.length !== c.want.length; }) ? { id: 'growth-wrong-length' } : undefined),
  },
];
