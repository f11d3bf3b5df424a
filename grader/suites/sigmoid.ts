/** Hidden suite for `sigmoid`: the lab's activations, its range, random and extreme inputs. */
import { call, check, expectNumber, Verdict } from './harness';
import type { SuiteContext } from './context';
import { formatNumber } from '../lib/format';

export function sigmoidSuite({ sandbox, random, solution, reference }: SuiteContext): void {
  check('public', 'sigmoid(0) is 0.5, the midpoint of (0, 1)', async () => {
    expectNumber(await call(sandbox, 'sigmoid', 0), solution.sigmoid(0), 'public');
  });

  check('public', "sigmoid over the lab's data gives the lab's activations", async () => {
    const xs = reference.data.values;
    for (let i = 0; i < xs.length; i++) expectNumber(await call(sandbox, 'sigmoid', xs[i]), reference.activations[i], 'public');
  });

  check('public', 'sigmoid(-10) is near 0 and sigmoid(10) near 1', async () => {
    expectNumber(await call(sandbox, 'sigmoid', -10), solution.sigmoid(-10), 'public');
    expectNumber(await call(sandbox, 'sigmoid', 10), solution.sigmoid(10), 'public');
  });

  check('hidden', 'random inputs', async () => {
    const rng = random('random inputs');
    for (let i = 0; i < 12; i++) {
      const x = +rng.float(-12, 12).toFixed(4);
      expectNumber(await call(sandbox, 'sigmoid', x), solution.sigmoid(x), 'hidden');
    }
  });

  check('hidden', 'large inputs saturate to 0 and 1 without NaN', async () => {
    const rng = random('saturation');
    const big = +rng.float(40, 700).toFixed(1);
    for (const x of [big, -big]) {
      const got = expectNumber(await call(sandbox, 'sigmoid', x), solution.sigmoid(x), 'hidden');
      if (!(got >= 0 && got <= 1)) throw new Verdict(`sigmoid(${formatNumber(x)}) returned ${formatNumber(got)}, outside [0, 1]`);
    }
  });
}
