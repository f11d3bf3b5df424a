/**
 * The suites, one per graded part, by the name the rubric gives the part: its public checks (here,
 * shipped to students in the release) and its hidden ones (./hidden, instructors only).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Suite } from '../../../suites/context';
import { reluPublic } from './relu';
import { reluGradientPublic } from './reluGradient';
import { l2NormPublic } from './l2Norm';
import { clipByNormPublic } from './clipByNorm';
import { simulateGrowthPublic } from './simulateGrowth';

/** Public checks by part name. */
export const PUBLIC: Record<string, Suite> = {
  relu: reluPublic,
  reluGradient: reluGradientPublic,
  l2Norm: l2NormPublic,
  clipByNorm: clipByNormPublic,
  simulateGrowth: simulateGrowthPublic,
};

/** The hidden checks by part name, or undefined in the student release (the folder is not there). */
export function hiddenSuites(): Record<string, Suite> | undefined {
  if (!fs.existsSync(path.join(__dirname, 'hidden', 'index.ts')) && !fs.existsSync(path.join(__dirname, 'hidden', 'index.js'))) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./hidden') as { HIDDEN: Record<string, Suite> }).HIDDEN;
}
