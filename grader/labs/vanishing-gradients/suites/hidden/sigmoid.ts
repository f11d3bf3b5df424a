/** Hidden checks for `sigmoid`: random inputs and saturation without NaN. */
import { call, callEach, check, expectNumber, Verdict } from '../../../../suites/harness';
import type { SuiteContext } from '../context';
import { formatNumber } from '../../../../lib/format';

export function sigmoidHidden(ctx: SuiteContext): void {
  const { sandbox, random, solution } = ctx;
  check('hidden', 'random inputs', async () => {
    const rng = random('random inputs');
    const xs = Array.from({ length: 12 }, () => +rng.float(-12, 12).toFixed(4));
    const calls = await callEach(sandbox, 'sigmoid', xs.map((x) => [x]));
    for (let i = 0; i < xs.length; i++) expectNumber(calls[i], solution.sigmoid(xs[i]), 'hidden');
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
