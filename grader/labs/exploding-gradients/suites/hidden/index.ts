/**
 * The hidden checks, one set per part. Instructors only: the student release leaves this folder
 * out, and the suites' index loads it only when it is here.
 */
import type { Suite } from '../../../../suites/context';
import { reluHidden } from './relu';
import { reluGradientHidden } from './reluGradient';
import { l2NormHidden } from './l2Norm';
import { clipByNormHidden } from './clipByNorm';
import { simulateGrowthHidden } from './simulateGrowth';

/** Hidden checks by part name. */
export const HIDDEN: Record<string, Suite> = {
  relu: reluHidden,
  reluGradient: reluGradientHidden,
  l2Norm: l2NormHidden,
  clipByNorm: clipByNormHidden,
  simulateGrowth: simulateGrowthHidden,
};
