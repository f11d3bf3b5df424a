/**
 * The property-based diagnoses, by part: the second and third levels of the hints
 * (grader/feedback/hints.ts), after exact matching of the classic mistakes' answers (mutants.ts).
 * This lab's calls take arrays (a vector, a gradient), so its diagnoses read evidence of any shape
 * (not through numericOnly, which would see only the calls whose arguments are all numbers).
 */
import type { Diagnosis } from '../../../feedback/evidence';
import { RELU, RELU_GRADIENT } from './relu';
import { NORM } from './norm';
import { CLIP } from './clip';
import { GROWTH } from './growth';

export type { Diagnosis, Evidence, Finding } from '../../../feedback/evidence';

/** Every part's diagnoses, most specific first. */
export const DIAGNOSES: Record<string, readonly Diagnosis<unknown[]>[]> = {
  relu: RELU,
  reluGradient: RELU_GRADIENT,
  l2Norm: NORM,
  clipByNorm: CLIP,
  simulateGrowth: GROWTH,
};
