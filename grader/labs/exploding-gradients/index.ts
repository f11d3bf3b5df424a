/**
 * The lab's code for the core (grader/lab-code.ts): its knobs, the probe, the figures and what
 * they mean. Its manifest (lab.json), suites, diagnoses, mutants and hint texts sit beside it.
 */
import type { LabCode } from '../../lab-code';
import { KNOBS, type Knobs } from './knobs';
import { probe, type Series } from './probe';
import { buildFigures, FIGURES } from './figures';
import { overlayFigures } from './overlay';
import { describeDifferences } from './meaning';

export type { Knobs } from './knobs';
export type { Series } from './probe';

/** Exploding Gradients and Gradient Clipping. */
export const LAB: LabCode<Knobs, Series> = {
  knobs: KNOBS,
  figures: FIGURES,
  probe,
  buildFigures,
  overlayFigures,
  describeDifferences,
};
