/** Hidden checks for `tangent`: random points and spans, the default span at a random point. */
import { call, check } from '../../../../suites/harness';
import type { SuiteContext } from '../context';
import { expectTangent } from '../tangent';

export function tangentHidden(ctx: SuiteContext): void {
  const { sandbox, random, solution } = ctx;
  check('hidden', 'random points and spans', async () => {
    const rng = random('random points');
    for (let i = 0; i < 5; i++) {
      const xTan = +rng.float(-5, 5).toFixed(3);
      const span = +rng.float(0.5, 3).toFixed(2);
      expectTangent(await call(sandbox, 'tangent', xTan, span), solution.tangent(xTan, span), 'hidden');
    }
  });

  check('hidden', 'a random point with the default span', async () => {
    const xTan = +random('default span').float(-4, 4).toFixed(3);
    expectTangent(await call(sandbox, 'tangent', xTan), solution.tangent(xTan), 'hidden');
  });
}
