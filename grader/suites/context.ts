/**
 * What each part's suite receives: the student's sandbox, seeded randomness, the trusted solution's
 * answers (expected values for hidden inputs are computed here, never in the student's process) and
 * the reference outputs from the numpy lab.
 */
import type { Sandbox } from '../sandbox/client';
import type { Random } from '../lib/random';
import type { Reference } from '../lib/reference';
import type { LabFunctions } from '../lib/answers';

/** The inputs of one part's suite. */
export interface SuiteContext {
  /** The student's sandbox (created before the tests run, hence a getter). */
  sandbox: () => Sandbox;
  /** A random stream for one named test; the same run seed gives the same inputs. */
  random: (stream: string) => Random;
  /** The solution's answers, computed in the trusted process (in the student release, only the public inputs'). */
  solution: LabFunctions;
  /** The lab's outputs as numpy computed them. */
  reference: Reference;
}

/** A part's suite: registers its checks with jest. */
export type Suite = (ctx: SuiteContext) => void;
