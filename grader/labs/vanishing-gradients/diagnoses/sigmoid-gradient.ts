/**
 * sigmoidGradient(a): the derivative taken at the raw argument (the sigmoid applied again), the
 * sign, the range [0, 0.25], the ends g(0) = g(1) = 0 and the symmetry g(a) = g(1 - a).
 */
import { holdsOnEvery, holdsOnSome, near, type Diagnosis, type Evidence, type Verdict } from '../../../feedback/evidence';
import { gradientOf, sigmoidOf } from './math';

/** The answer is the sigmoid's derivative at a taken as a raw x: s(a) (1 - s(a)). */
function atRawArgument(e: Evidence): Verdict {
  if (typeof e.got !== 'number') return undefined;
  const candidate = gradientOf(sigmoidOf(e.args[0]));
  if (typeof e.expected === 'number' && near(candidate, e.expected)) return undefined;
  return near(e.got, candidate);
}

/** The answer is the right one with the opposite sign. */
function negated(e: Evidence): Verdict {
  if (typeof e.got !== 'number' || typeof e.expected !== 'number' || e.expected === 0) return undefined;
  return near(e.got, -e.expected);
}

/** An activation in [0, 1] whose answer is outside [0, 0.25]. */
function outOfRange(e: Evidence): boolean {
  const a = e.args[0];
  return a >= 0 && a <= 1 && typeof e.got === 'number' && (Number.isNaN(e.got) || e.got < 0 || e.got > 0.25 + 1e-12);
}

/** Pairs of calls at a and 1 - a whose answers differ (at least one of them wrong). */
function asymmetric(calls: readonly Evidence[]): boolean {
  const byArg = new Map<number, Evidence>();
  for (const e of calls) if (typeof e.got === 'number') byArg.set(e.args[0], e);
  const args = [...byArg.keys()].sort((p, q) => p - q);
  for (const e of byArg.values()) {
    const a = e.args[0];
    if (a >= 0.5 || a < 0 || a > 1) continue;
    // The mirrored activation, as the lab computes it, may differ from 1 - a in the last bits.
    const mirror = args.find((b) => Math.abs(b - (1 - a)) <= 1e-12);
    if (mirror === undefined) continue;
    const other = byArg.get(mirror)!;
    if ((e.differs || other.differs) && !near(e.got, other.got as number)) return true;
  }
  return false;
}

/** The diagnoses of sigmoidGradient, most specific first. */
export const SIGMOID_GRADIENT: Diagnosis[] = [
  {
    id: 'gradient-applies-sigmoid-again', strength: 'mistake', checks: 'every wrong answer is the derivative at a taken as a raw x: s(a) (1 - s(a))',
    find: (calls) => (holdsOnEvery(calls, atRawArgument) ? { id: 'gradient-applies-sigmoid-again' } : undefined),
  },
  {
    id: 'gradient-sign', strength: 'mistake', checks: 'every wrong answer is the right one negated',
    find: (calls) => (holdsOnEvery(calls, negated) ? { id: 'gradient-sign' } : undefined),
  },
  {
    id: 'gradient-out-of-range', strength: 'observation', checks: 'an answer outside [0, 0.25] for an activation in [0, 1]',
    find: (calls) => (holdsOnSome(calls, outOfRange) ? { id: 'gradient-out-of-range' } : undefined),
  },
  {
    id: 'gradient-not-zero-at-ends', strength: 'observation', checks: 'the gradient at activation 0 or 1 is not 0',
    find: (calls) => (holdsOnSome(calls, (e) => (e.args[0] === 0 || e.args[0] === 1) && typeof e.got === 'number') ? { id: 'gradient-not-zero-at-ends' } : undefined),
  },
  {
    id: 'gradient-not-symmetric', strength: 'observation', checks: 'g(a) and g(1 - a) differ',
    find: (calls) => (asymmetric(calls) ? { id: 'gradient-not-symmetric' } : undefined),
  },
];
