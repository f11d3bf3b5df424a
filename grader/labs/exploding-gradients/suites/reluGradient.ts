/** Public checks for `reluGradient`: the lab's data, and 0 at exactly 0. */
import { callEach, check, expectNumber } from '../../../suites/harness';
import type { SuiteContext } from './context';

export function reluGradientPublic(ctx: SuiteContext): void {
  const { sandbox, reference } = ctx;

  check('public', "reluGradient over the lab's data gives the lab's step from 0 to 1", async () => {
    const calls = await callEach(sandbox, 'reluGradient', reference.data.values.map((x) => [x]));
    for (let i = 0; i < calls.length; i++) expectNumber(calls[i], reference.reluGradient[i], 'public');
  });

  check('public', `reluGradient at ${reference.reluAt.x.join(', ')} is ${reference.reluAt.reluGradient.join(', ')}: 0 at exactly 0`, async () => {
    const calls = await callEach(sandbox, 'reluGradient', reference.reluAt.x.map((x) => [x]));
    for (let i = 0; i < calls.length; i++) expectNumber(calls[i], reference.reluAt.reluGradient[i], 'public');
  });
}
