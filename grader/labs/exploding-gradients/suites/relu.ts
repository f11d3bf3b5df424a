/** Public checks for `relu`: the lab's data and its printed call. */
import { callEach, check, expectNumber } from '../../../suites/harness';
import type { SuiteContext } from './context';

export function reluPublic(ctx: SuiteContext): void {
  const { sandbox, reference } = ctx;

  check('public', `relu over the lab's data (${reference.data.num} points from ${reference.data.start} to ${reference.data.stop}) gives the lab's values`, async () => {
    const calls = await callEach(sandbox, 'relu', reference.data.values.map((x) => [x]));
    for (let i = 0; i < calls.length; i++) expectNumber(calls[i], reference.relu[i], 'public');
  });

  check('public', `relu at ${reference.reluAt.x.join(', ')} is ${reference.reluAt.relu.join(', ')}: 0 for x <= 0, x itself above`, async () => {
    const calls = await callEach(sandbox, 'relu', reference.reluAt.x.map((x) => [x]));
    for (let i = 0; i < calls.length; i++) expectNumber(calls[i], reference.reluAt.relu[i], 'public');
  });
}
