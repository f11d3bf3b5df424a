/** Public checks for `simulateDecay`: the lab's loop, edge cases, random depths and inputs. */
import { call, check, expectNumbers, expectSameWhenCalledAgain, expectThrows } from '../../../suites/harness';
import type { SuiteContext } from './context';
import type { Tolerance } from '../../../lib/allclose';
import { currentLab } from '../../../lib/paths';
import { toleranceOf } from '../../../lab';

/** Decayed gradients get tiny: compared relatively (the lab's manifest says so), or any tiny number would pass. */
export const RELATIVE: Tolerance = toleranceOf(currentLab(), 'simulateDecay');

export function simulateDecayPublic({ sandbox, solution, reference }: SuiteContext): void {
  const lab = reference.decay;

  check('public', `simulateDecay(${lab.steps}, ${lab.x}) gives the lab's loop, 0.25 down to 0.000244140625`, async () => {
    expectNumbers(await call(sandbox, 'simulateDecay', lab.steps, lab.x), lab.values, 'public', RELATIVE);
  });

  check('public', 'called twice with the same arguments, the same list both times (nothing is kept between calls)', async () => {
    expectNumbers(await expectSameWhenCalledAgain(sandbox, 'simulateDecay', 3, 1), solution.simulateDecay(3, 1), 'public', RELATIVE);
  });

  check('public', 'zero steps gives []', async () => {
    expectNumbers(await call(sandbox, 'simulateDecay', 0, 0), [], 'public', RELATIVE);
  });

  check('public', 'a negative number of steps throws a RangeError', async () => {
    expectThrows(await call(sandbox, 'simulateDecay', -1, 0), 'RangeError', 'a number of steps cannot be negative');
  });

  check('public', 'a number of steps that is not an integer throws a RangeError', async () => {
    expectThrows(await call(sandbox, 'simulateDecay', 2.5, 0), 'RangeError', 'steps must be a whole number');
  });
}
