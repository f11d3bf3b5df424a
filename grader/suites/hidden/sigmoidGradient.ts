/** Hidden checks for `sigmoidGradient`: random activations and the ends of (0, 1). */
import { call, check, expectNumber } from '../harness';
import type { SuiteContext } from '../context';

export function sigmoidGradientHidden(ctx: SuiteContext): void {
  const { sandbox, random, solution } = ctx;
  check('hidden', 'random activations in (0, 1)', async () => {
    const rng = random('random activations');
    for (let i = 0; i < 12; i++) {
      const a = +rng.float(0.001, 0.999).toFixed(5);
      expectNumber(await call(sandbox, 'sigmoidGradient', a), solution.sigmoidGradient(a), 'hidden');
    }
  });

  check('hidden', 'the ends of the interval: activations 0 and 1 have gradient 0', async () => {
    expectNumber(await call(sandbox, 'sigmoidGradient', 0), solution.sigmoidGradient(0), 'hidden');
    expectNumber(await call(sandbox, 'sigmoidGradient', 1), solution.sigmoidGradient(1), 'hidden');
  });
}
