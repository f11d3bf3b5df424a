/** Public checks for `sigmoid`: the lab's activations, its range, random and extreme inputs. */
import { call, callEach, check, expectNumber } from '../../../suites/harness';
import type { SuiteContext } from './context';

export function sigmoidPublic({ sandbox, solution, reference }: SuiteContext): void {
  check('public', 'sigmoid(0) is 0.5, the midpoint of (0, 1)', async () => {
    expectNumber(await call(sandbox, 'sigmoid', 0), solution.sigmoid(0), 'public');
  });

  check('public', "sigmoid over the lab's data gives the lab's activations", async () => {
    const calls = await callEach(sandbox, 'sigmoid', reference.data.values.map((x) => [x]));
    for (let i = 0; i < calls.length; i++) expectNumber(calls[i], reference.activations[i], 'public');
  });

  check('public', 'sigmoid(-10) is near 0 and sigmoid(10) near 1', async () => {
    expectNumber(await call(sandbox, 'sigmoid', -10), solution.sigmoid(-10), 'public');
    expectNumber(await call(sandbox, 'sigmoid', 10), solution.sigmoid(10), 'public');
  });
}
