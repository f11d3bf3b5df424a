/**
 * linspace(start, stop, num): the length against num, which end is missing or extra, and the gaps
 * (constant? a whole number? (stop - start) / num instead of / (num - 1)?).
 */
import { allNear, gaps, holdsOnEvery, holdsOnSome, isWhole, near, numbers, type Diagnosis, type Evidence, type Verdict } from '../../../feedback/evidence';

/** The call's start and stop, and the answers as arrays (undefined when either is not one). */
function read(e: Evidence): { start: number; stop: number; got: number[]; want: number[] } | undefined {
  const got = numbers(e.got);
  const want = numbers(e.expected);
  return got && want ? { start: e.args[0], stop: e.args[1], got, want } : undefined;
}

/** Length compared with the right one: `delta` more values (negative: fewer). */
function lengthIs(delta: number) {
  return (e: Evidence): Verdict => {
    const c = read(e);
    return c ? c.got.length === c.want.length + delta : undefined;
  };
}

/** The right number of values, starting at start, evenly spaced by (stop - start) / num. */
function excludesStop(e: Evidence): Verdict {
  const c = read(e);
  if (!c || c.want.length < 2) return undefined;
  const n = c.want.length;
  if (c.got.length !== n || !near(c.got[0], c.start)) return false;
  const scale = Math.max(Math.abs(c.start), Math.abs(c.stop));
  return allNear(gaps(c.got), (c.stop - c.start) / n, scale);
}

/**
 * The right number of values from start, and every gap a whole number (the last may end at stop,
 * where a loop pushed it). Calls whose right gap is whole cannot tell.
 */
function integerSteps(e: Evidence): Verdict {
  const c = read(e);
  if (!c || c.want.length < 3) return undefined;
  const n = c.want.length;
  const scale = Math.max(Math.abs(c.start), Math.abs(c.stop));
  if (isWhole((c.stop - c.start) / (n - 1), scale)) return undefined;
  if (c.got.length !== n || !near(c.got[0], c.start)) return false;
  const g = gaps(c.got);
  const inner = near(c.got[n - 1], c.stop) ? g.slice(0, -1) : g;
  return inner.every((d) => isWhole(d, scale));
}

/** The right number of values, but the first is not start or the last is not stop. */
function wrongEnds(e: Evidence): boolean {
  const c = read(e);
  if (!c || c.want.length < 2 || c.got.length !== c.want.length) return false;
  return !near(c.got[0], c.start) || !near(c.got[c.got.length - 1], c.stop);
}

/** The diagnoses of linspace, most specific first. */
export const LINSPACE: Diagnosis[] = [
  {
    id: 'linspace-one-too-many', strength: 'mistake', checks: 'one value more than num, whatever the values',
    find: (calls) => (holdsOnEvery(calls, lengthIs(1)) ? { id: 'linspace-one-too-many' } : undefined),
  },
  {
    id: 'linspace-one-too-few', strength: 'mistake', checks: 'one value fewer than num, whichever end is missing',
    find: (calls) => (holdsOnEvery(calls, lengthIs(-1)) ? { id: 'linspace-one-too-few' } : undefined),
  },
  {
    id: 'linspace-excludes-stop', strength: 'mistake', checks: 'num values from start, gaps of (stop - start) / num: stop never reached',
    find: (calls) => (holdsOnEvery(calls, excludesStop) ? { id: 'linspace-excludes-stop' } : undefined),
  },
  {
    id: 'linspace-integer-steps', strength: 'mistake', checks: 'num values from start, every gap a whole number (rounded, floored, truncated), stop perhaps forced last',
    // Some values must differ (a step of 0 with stop pushed last is still a rounded step); a list
    // of equal values is another mistake (the index left out).
    find: (calls) => (holdsOnEvery(calls, integerSteps) && calls.some((e) => e.differs && (numbers(e.got) ?? []).some((v, i, a) => i > 0 && v !== a[i - 1]))
      ? { id: 'linspace-integer-steps' } : undefined),
  },
  {
    id: 'linspace-wrong-ends', strength: 'observation', checks: 'num values, but the first is not start or the last is not stop',
    find: (calls) => (holdsOnSome(calls, wrongEnds) ? { id: 'linspace-wrong-ends' } : undefined),
  },
];
