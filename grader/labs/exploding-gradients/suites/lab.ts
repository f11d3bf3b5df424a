/**
 * What this lab's checks share: the tolerance its manifest gives the growth, and random inputs.
 */
import * as path from 'node:path';
import type { Random } from '../../../lib/random';
import type { Tolerance } from '../../../lib/allclose';
import { readManifest, toleranceOf } from '../../../lab';

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
