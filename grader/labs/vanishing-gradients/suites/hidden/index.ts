/**
 * The hidden checks, one set per part. Instructors only: the student release leaves this folder
 * out, and the suites' index loads it only when it is here.
 */
import type { Suite } from '../../../../suites/context';
import { linspaceHidden } from './linspace';
import { sigmoidHidden } from './sigmoid';
import { sigmoidGradientHidden } from './sigmoidGradient';
import { tangentHidden } from './tangent';
import { simulateDecayHidden } from './simulateDecay';

/** Hidden checks by part name. */
export const HIDDEN: Record<string, Suite> = {
  linspace: linspaceHidden,
  sigmoid: sigmoidHidden,
  sigmoidGradient: sigmoidGradientHidden,
  tangent: tangentHidden,
  simulateDecay: simulateDecayHidden,
};
