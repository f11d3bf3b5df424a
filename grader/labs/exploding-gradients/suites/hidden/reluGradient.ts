/** Hidden checks for `reluGradient`: random inputs, 0 itself, inputs just either side of 0. */
import { callEach, check, expectNumber } from '../../../../suites/harness';
import type { SuiteContext } from '../context';
import { rounded } from '../lab';

export function reluGradientHidden(ctx: SuiteContext): void {
  const { sandbox, random, solution } = ctx;
  check('hidden', 'random inputs, negative and positive', async () => {
    const rng = random('random inputs');
    const xs = Array.from({ length: 12 }, () => rounded(rng, -20, 20, 4));
    const calls = await callEach(sandbox, 'reluGradient', xs.map((x) => [x]));
    for (let i = 0; i < xs.length; i++) expectNumber(calls[i], solution.reluGradient(xs[i]), 'hidden');
  });

  check('hidden', 'exactly 0, and inputs just either side of it', async () => {
    const rng = random('near zero');
    const tiny = rounded(rng, 1, 9, 2) * 1e-9;
    const xs = [0, tiny, -tiny, Number.MIN_VALUE, -Number.MIN_VALUE];
    const calls = await callEach(sandbox, 'reluGradient', xs.map((x) => [x]));
    for (let i = 0; i < xs.length; i++) expectNumber(calls[i], solution.reluGradient(xs[i]), 'hidden');
  });
}
