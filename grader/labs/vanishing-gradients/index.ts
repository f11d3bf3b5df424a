/**
 * The lab's code, as the core reads it (grader/lab-code.ts): the notebook's knobs, the probe (its
 * printed block and the series of its four figures), the figures, the student's drawn over the
 * reference's, and what they mean in words.
 */
import type { LabCode } from '../../lab-code';
import { buildFigures, FIGURES } from './figures';
import { KNOBS } from './knobs';
import { describeDifferences } from './meaning';
import { overlayFigures } from './overlay';
import { probe, type LabKnobs, type LabSeries } from './probe';
import type { LabFunctions } from './types';

export const LAB: LabCode<LabKnobs, LabSeries> = {
  knobs: KNOBS,
  figures: FIGURES,
  probe,
  buildFigures,
  overlayFigures,
  describeDifferences: (student, solution) => describeDifferences(student, solution as unknown as LabFunctions),
};
