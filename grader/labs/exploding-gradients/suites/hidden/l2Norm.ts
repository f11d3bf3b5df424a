/** Hidden checks for `l2Norm`: random vectors (zeros among their values), empty and all-zero vectors, other magnitudes. */
import { call, check, expectArgumentsKept, expectNumber } from '../../../../suites/harness';
import type { SuiteContext } from '../context';
import { randomVector, rounded } from '../lab';

export function l2NormHidden(ctx: SuiteContext): void {
  const { sandbox, random, solution } = ctx;
  check('hidden', 'random vectors of one to eight values, zeros among them', async () => {
    const rng = random('random vectors');
    for (let i = 0; i < 8; i++) {
      const v = randomVector(rng, 1, 8);
      const c = await call(sandbox, 'l2Norm', v);
      expectNumber(c, solution.l2Norm(v), 'hidden');
      expectArgumentsKept(c, ['v']);
    }
  });

  check('hidden', 'the empty vector, and zeros of a random length', async () => {
    const zeros = new Array<number>(random('zeros').int(1, 6)).fill(0);
    expectNumber(await call(sandbox, 'l2Norm', []), solution.l2Norm([]), 'hidden');
    expectNumber(await call(sandbox, 'l2Norm', zeros), solution.l2Norm(zeros), 'hidden');
  });

  check('hidden', 'small and large values', async () => {
    const rng = random('magnitudes');
    for (const scale of [1e-3, 1e3]) {
      const v = Array.from({ length: rng.int(2, 5) }, () => rounded(rng, -9, 9, 2) * scale);
      expectNumber(await call(sandbox, 'l2Norm', v), solution.l2Norm(v), 'hidden');
    }
  });
}
