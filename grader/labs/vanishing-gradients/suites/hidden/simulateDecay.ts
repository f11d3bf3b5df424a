/** Hidden checks for `simulateDecay`: random depths and inputs, a single step. */
import { call, check, expectNumbers } from '../../../../suites/harness';
import type { SuiteContext } from '../context';
import { RELATIVE } from '../simulateDecay';

export function simulateDecayHidden(ctx: SuiteContext): void {
  const { sandbox, random, solution } = ctx;
  check('hidden', 'random depths and inputs', async () => {
    const rng = random('random depths');
    for (let i = 0; i < 6; i++) {
      const steps = rng.int(1, 40);
      const x = +rng.float(-5, 5).toFixed(3);
      expectNumbers(await call(sandbox, 'simulateDecay', steps, x), solution.simulateDecay(steps, x), 'hidden', RELATIVE);
    }
  });

  check('hidden', 'one step gives just the gradient', async () => {
    const x = +random('one step').float(-3, 3).toFixed(3);
    expectNumbers(await call(sandbox, 'simulateDecay', 1, x), solution.simulateDecay(1, x), 'hidden', RELATIVE);
  });
}
