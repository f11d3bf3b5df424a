/** The suites, one per graded part, by the name the rubric gives the part. */
import type { Suite } from './context';
import { linspaceSuite } from './linspace';
import { sigmoidSuite } from './sigmoid';
import { sigmoidGradientSuite } from './sigmoidGradient';
import { tangentSuite } from './tangent';
import { simulateDecaySuite } from './simulateDecay';

export const SUITES: Record<string, Suite> = {
  linspace: linspaceSuite,
  sigmoid: sigmoidSuite,
  sigmoidGradient: sigmoidGradientSuite,
  tangent: tangentSuite,
  simulateDecay: simulateDecaySuite,
};
