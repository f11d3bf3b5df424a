/** Hidden checks for `sigmoidGradient`: random activations and the ends of (0, 1). */
import { call, callEach, check, expectNumber } from '../../../../suites/harness';
import type { SuiteContext } from '../context';

export function sigmoidGradientHidden(ctx: SuiteContext): void {
  const { sandbox, random, solution } = ctx;
  check('hidden', 'random activations in (0, 1)', async () => {
    const rng = random('random activations');
    const as = Array.from({ length: 12 }, () => +rng.float(0.001, 0.999).toFixed(5));
    const calls = await callEach(sandbox, 'sigmoidGradient', as.map((a) => [a]));
    for (let i = 0; i < as.length; i++) expectNumber(calls[i], solution.sigmoidGradient(as[i]), 'hidden');
  });

  check('hidden', 'the ends of the interval: activations 0 and 1 have gradient 0', async () => {
    expectNumber(await call(sandbox, 'sigmoidGradient', 0), solution.sigmoidGradient(0), 'hidden');
    expectNumber(await call(sandbox, 'sigmoidGradient', 1), solution.sigmoidGradient(1), 'hidden');
  });
}
