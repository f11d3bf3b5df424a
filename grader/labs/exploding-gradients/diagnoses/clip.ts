/**
 * clipByNorm(grad, maxNorm): what the answer is as a function of the gradient, its length and the
 * threshold: each value cut on its own, a rescaling even within the cap, the factor upside down;
 * and the facts a clipping can never show (a result longer than the cap, a new direction).
 */
import { type Diagnosis, type Verdict } from '../../../feedback/evidence';
import { holdsOnEvery, holdsOnSome, lengthOf, nearAll, numbers, type Call } from './read';

/** The call's gradient, threshold, answers and the gradient's length; undefined when the call is not a clipping of numbers. */
function read(e: Call): { grad: number[]; maxNorm: number; got: number[] | undefined; want: number[]; norm: number } | undefined {
  const grad = numbers(e.args[0]);
  const maxNorm = e.args[1];
  const want = numbers(e.expected);
  if (!grad || typeof maxNorm !== 'number' || !want) return undefined;
  return { grad, maxNorm, got: numbers(e.got), want, norm: lengthOf(grad) };
}

/** The answer is `candidate`, where `candidate` is not the right answer (else this call cannot tell). */
function is(e: Call, candidate: (c: NonNullable<ReturnType<typeof read>>) => number[][]): Verdict {
  const c = read(e);
  if (!c) return undefined;
  const candidates = candidate(c).filter((k) => !nearAll(k, c.want));
  if (candidates.length === 0) return undefined;
  return candidates.some((k) => nearAll(c.got, k));
}

/** Each value cut to [-maxNorm, maxNorm] on its own. */
const eachElement = (e: Call): Verdict => is(e, ({ grad, maxNorm }) => [grad.map((g) => Math.min(maxNorm, Math.max(-maxNorm, g)))]);

/** Scaled by maxNorm / norm whatever the norm: short gradients stretched up to maxNorm. */
const rescalesWithin = (e: Call): Verdict => is(e, ({ grad, maxNorm, norm }) => [grad.map((g) => (g * maxNorm) / norm)]);

/** Scaled by norm / maxNorm over the cap (or always): clipping lengthens. */
const factorInverted = (e: Call): Verdict => is(e, ({ grad, maxNorm, norm }) => [
  norm > maxNorm ? grad.map((g) => g * (norm / maxNorm)) : grad,
  grad.map((g) => g * (norm / maxNorm)),
]);

/** The gradient (argument 0) was changed in place, or handed back as the answer. */
function changesArgument(e: Call): boolean {
  // As the sandbox saw the call (grader/sandbox/protocol.ts), carried by the evidence.
  return e.returnedArgument === 0 || (e.changed ?? []).includes(0);
}

/** The answer is longer than maxNorm (beyond rounding). */
function longerThanCap(e: Call): boolean {
  const c = read(e);
  return !!c && !!c.got && c.got.every(Number.isFinite) && lengthOf(c.got) > c.maxNorm * (1 + 1e-9);
}

/** The answer points elsewhere than the gradient (not a positive multiple of it). */
function changesDirection(e: Call): boolean {
  const c = read(e);
  if (!c || !c.got || c.got.length !== c.grad.length || c.norm === 0) return false;
  const n = lengthOf(c.got);
  if (!(n > 0) || !Number.isFinite(n)) return false;
  const cosine = c.got.reduce((s, v, i) => s + v * c.grad[i], 0) / (n * c.norm);
  return cosine < 1 - 1e-9;
}

/** The diagnoses of clipByNorm, most specific first. */
export const CLIP: Diagnosis<unknown[]>[] = [
  {
    id: 'clip-each-element', strength: 'mistake', checks: 'every wrong answer is the gradient with each value cut to [-maxNorm, maxNorm] on its own',
    find: (calls) => (holdsOnEvery(calls, eachElement) ? { id: 'clip-each-element' } : undefined),
  },
  {
    id: 'clip-rescales-within', strength: 'mistake', checks: 'every wrong answer is the gradient scaled by maxNorm / norm, within the cap too',
    find: (calls) => (holdsOnEvery(calls, rescalesWithin) ? { id: 'clip-rescales-within' } : undefined),
  },
  {
    id: 'clip-factor-inverted', strength: 'mistake', checks: 'every wrong answer is the gradient scaled by norm / maxNorm (over the cap, or always)',
    find: (calls) => (holdsOnEvery(calls, factorInverted) ? { id: 'clip-factor-inverted' } : undefined),
  },
  {
    id: 'clip-mutates-argument', strength: 'mistake', checks: 'the gradient changed in place by the call, or returned as the answer (as the sandbox reports them)',
    find: (calls) => (calls.some(changesArgument) ? { id: 'clip-mutates-argument' } : undefined),
  },
  {
    id: 'clip-longer-than-cap', strength: 'observation', checks: 'an answer longer than maxNorm',
    find: (calls) => (holdsOnSome(calls, longerThanCap) ? { id: 'clip-longer-than-cap' } : undefined),
  },
  {
    id: 'clip-changes-direction', strength: 'observation', checks: 'an answer that is not a positive multiple of the gradient',
    find: (calls) => (holdsOnSome(calls, changesDirection) ? { id: 'clip-changes-direction' } : undefined),
  },
];
