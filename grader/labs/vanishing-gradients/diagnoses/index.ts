/**
 * The property-based diagnoses, by part: the second and third levels of the hints (hints.ts),
 * after exact matching of the classic mistakes' answers (mutants.ts).
 */
import { numericOnly, type Diagnosis } from '../../../feedback/evidence';
import { LINSPACE } from './linspace';
import { SIGMOID } from './sigmoid';
import { SIGMOID_GRADIENT } from './sigmoid-gradient';
import { TANGENT } from './tangent';
import { DECAY } from './decay';

export type { Diagnosis, Evidence, Finding } from '../../../feedback/evidence';

/** Every part's diagnoses, most specific first (this lab's take numbers alone). */
export const DIAGNOSES: Record<string, readonly Diagnosis<unknown[]>[]> = {
  linspace: LINSPACE.map(numericOnly),
  sigmoid: SIGMOID.map(numericOnly),
  sigmoidGradient: SIGMOID_GRADIENT.map(numericOnly),
  tangent: TANGENT.map(numericOnly),
  simulateDecay: DECAY.map(numericOnly),
};
