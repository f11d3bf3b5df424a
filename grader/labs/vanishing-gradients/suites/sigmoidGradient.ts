/** Public checks for `sigmoidGradient`: it takes the activation; its maximum; the lab's gradients. */
import { call, callEach, check, expectNumber } from '../../../suites/harness';
import type { SuiteContext } from './context';

export function sigmoidGradientPublic({ sandbox, solution, reference }: SuiteContext): void {
  check('public', 'sigmoidGradient(0.5) is 0.25, the largest gradient the sigmoid has', async () => {
    expectNumber(await call(sandbox, 'sigmoidGradient', 0.5), solution.sigmoidGradient(0.5), 'public');
  });

  check('public', "sigmoidGradient over the lab's activations gives the lab's gradients", async () => {
    const calls = await callEach(sandbox, 'sigmoidGradient', reference.activations.map((a) => [a]));
    for (let i = 0; i < calls.length; i++) expectNumber(calls[i], reference.gradients[i], 'public');
  });
}
