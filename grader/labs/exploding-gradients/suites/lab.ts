/**
 * What this lab's checks share: the suite context read as this lab's (its functions and its
 * reference), and the tolerances its manifest gives.
 */
import * as path from 'node:path';
import type { SuiteContext } from '../../../suites/context';
import type { Sandbox } from '../../../sandbox/client';
import type { Random } from '../../../lib/random';
import type { Tolerance } from '../../../lib/allclose';
import { readManifest, toleranceOf } from '../../../lab';
import type { ExplodingGradients } from '../functions';
import { labReference, type ExplodingReference } from '../reference';

/** A suite's context, typed for this lab. */
export interface Lab {
  sandbox: () => Sandbox;
  random: (stream: string) => Random;
  /** The trusted answers (the solution's), computed in the grader's process. */
  solution: ExplodingGradients;
  reference: ExplodingReference;
}

/** The suite context as this lab's (the core passes the trusted answers by function name). */
export function lab(ctx: SuiteContext): Lab {
  return {
    sandbox: ctx.sandbox,
    random: ctx.random,
    solution: ctx.solution as unknown as ExplodingGradients,
    reference: labReference(ctx.reference),
  };
}

/**
 * Running products get tiny for weights below 1: compared relatively (this lab's manifest says so),
 * or any tiny number would pass. Read from this lab's own manifest, whichever lab the process grades.
 */
export const GROWTH: Tolerance = toleranceOf(readManifest(path.join(__dirname, '..', 'lab.json')), 'simulateGrowth');

/** A random number rounded to `digits` decimals (inputs that read well in a message). */
export function rounded(rng: Random, lo: number, hi: number, digits = 3): number {
  return +rng.float(lo, hi).toFixed(digits);
}

/**
 * A vector of `min` to `max` values in [-10, 10] (3 decimals), about one in five of them exactly 0
 * and, when it has two values or more, at least one that is not.
 */
export function randomVector(rng: Random, min: number, max: number): number[] {
  const v = Array.from({ length: rng.int(min, max) }, () => (rng.next() < 0.2 ? 0 : rounded(rng, -10, 10)));
  if (v.length > 0 && !v.some((x) => x !== 0)) v[rng.int(0, v.length - 1)] = rounded(rng, 0.5, 10);
  return v;
}
