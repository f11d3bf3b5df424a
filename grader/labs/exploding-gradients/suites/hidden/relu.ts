/** Hidden checks for `relu`: random inputs either side of 0, 0 itself, large and tiny inputs. */
import { callEach, check, expectNumber } from '../../../../suites/harness';
import type { SuiteContext } from '../context';
import { rounded } from '../lab';

export function reluHidden(ctx: SuiteContext): void {
  const { sandbox, random, solution } = ctx;
  check('hidden', 'random inputs, negative, zero and positive', async () => {
    const rng = random('random inputs');
    const xs = [0, ...Array.from({ length: 12 }, () => rounded(rng, -20, 20, 4))];
    const calls = await callEach(sandbox, 'relu', xs.map((x) => [x]));
    for (let i = 0; i < xs.length; i++) expectNumber(calls[i], solution.relu(xs[i]), 'hidden');
  });

  check('hidden', 'large and tiny inputs of either sign', async () => {
    const rng = random('magnitudes');
    const big = rounded(rng, 1e3, 1e6, 1);
    const tiny = rounded(rng, 1, 9, 2) * 1e-9;
    const xs = [big, -big, tiny, -tiny];
    const calls = await callEach(sandbox, 'relu', xs.map((x) => [x]));
    for (let i = 0; i < xs.length; i++) expectNumber(calls[i], solution.relu(xs[i]), 'hidden');
  });
}
