/**
 * The property-based diagnoses, by part: the second and third levels of the hints (hints.ts),
 * after exact matching of the classic mistakes' answers (mutants.ts).
 */
import type { Diagnosis } from './evidence';
import { LINSPACE } from './linspace';
import { SIGMOID } from './sigmoid';
import { SIGMOID_GRADIENT } from './sigmoid-gradient';
import { TANGENT } from './tangent';
import { DECAY } from './decay';

export type { Diagnosis, Evidence, Finding } from './evidence';

/** Every part's diagnoses, most specific first. */
export const DIAGNOSES: Record<string, readonly Diagnosis[]> = {
  linspace: LINSPACE,
  sigmoid: SIGMOID,
  sigmoidGradient: SIGMOID_GRADIENT,
  tangent: TANGENT,
  simulateDecay: DECAY,
};
