/**
 * What each part's suite receives: the student's sandbox, seeded randomness, the trusted solution's
 * answers (expected values for hidden inputs are computed here, never in the student's process) and
 * the reference outputs from the numpy lab.
 */
import type { Sandbox } from '../sandbox/client';
import type { Random } from '../lib/random';
import type { Solution } from '../lab-code';

/** The inputs of one part's suite: `F` the lab's functions, `R` its reference (its own types). */
export interface SuiteContext<F = Solution, R = unknown> {
  /** The student's sandbox (created before the tests run, hence a getter). */
  sandbox: () => Sandbox;
  /** A random stream for one named test; the same run seed gives the same inputs. */
  random: (stream: string) => Random;
  /** The solution's answers, computed in the trusted process (in the student release, only the public inputs'). */
  solution: F;
  /** The lab's outputs as numpy computed them. */
  reference: R;
}

/** A part's suite: registers its checks with jest. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Suite<F = any, R = any> = (ctx: SuiteContext<F, R>) => void;
