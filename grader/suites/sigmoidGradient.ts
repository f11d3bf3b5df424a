/** Hidden suite for `sigmoidGradient`: it takes the activation; its maximum; the lab's gradients. */
import { call, check, expectNumber } from './harness';
import type { SuiteContext } from './context';

export function sigmoidGradientSuite({ sandbox, random, solution, reference }: SuiteContext): void {
  check('public', 'sigmoidGradient(0.5) is 0.25, the largest gradient the sigmoid has', async () => {
    expectNumber(await call(sandbox, 'sigmoidGradient', 0.5), solution.sigmoidGradient(0.5), 'public');
  });

  check('public', "sigmoidGradient over the lab's activations gives the lab's gradients", async () => {
    const as = reference.activations;
    for (let i = 0; i < as.length; i++) expectNumber(await call(sandbox, 'sigmoidGradient', as[i]), reference.gradients[i], 'public');
  });

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
