/**
 * The suites, one per graded part, by the name the rubric gives the part: its public checks (here,
 * shipped to students in the release) and its hidden ones (./hidden, instructors only).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Suite } from '../../../suites/context';
import { linspacePublic } from './linspace';
import { sigmoidPublic } from './sigmoid';
import { sigmoidGradientPublic } from './sigmoidGradient';
import { tangentPublic } from './tangent';
import { simulateDecayPublic } from './simulateDecay';

/** Public checks by part name. */
export const PUBLIC: Record<string, Suite> = {
  linspace: linspacePublic,
  sigmoid: sigmoidPublic,
  sigmoidGradient: sigmoidGradientPublic,
  tangent: tangentPublic,
  simulateDecay: simulateDecayPublic,
};

/** The hidden checks by part name, or undefined in the student release (the folder is not there). */
export function hiddenSuites(): Record<string, Suite> | undefined {
  if (!fs.existsSync(path.join(__dirname, 'hidden', 'index.ts'))) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./hidden') as { HIDDEN: Record<string, Suite> }).HIDDEN;
}
