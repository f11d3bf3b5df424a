/**
 * Hidden checks for `clipByNorm`: random gradients over the cap, within it and exactly at it, zeros
 * and the empty vector, one value, refused thresholds; each answer a new array, the gradient left
 * as it was.
 */
import { call, check, expectArgumentsKept, expectNumbers, expectThrows } from '../../../../suites/harness';
import type { SuiteContext } from '../context';
import { randomVector, rounded } from '../lab';
import { MAX_NORM_RULE, PARAMETERS } from '../clipByNorm';

export function clipByNormHidden(ctx: SuiteContext): void {
  const { sandbox, random, solution } = ctx;
  const expectClipped = async (grad: number[], maxNorm: number): Promise<void> => {
    const c = await call(sandbox, 'clipByNorm', grad, maxNorm);
    expectNumbers(c, solution.clipByNorm(grad, maxNorm), 'hidden');
    expectArgumentsKept(c, PARAMETERS);
  };

  check('hidden', 'random gradients longer than maxNorm', async () => {
    const rng = random('over the cap');
    for (let i = 0; i < 6; i++) {
      const grad = randomVector(rng, 2, 6);
      await expectClipped(grad, +(solution.l2Norm(grad) * rng.float(0.05, 0.9)).toPrecision(3));
    }
  });

  check('hidden', 'random gradients shorter than maxNorm', async () => {
    const rng = random('within the cap');
    for (let i = 0; i < 6; i++) {
      const grad = randomVector(rng, 1, 6);
      await expectClipped(grad, +(solution.l2Norm(grad) * rng.float(1.1, 4)).toPrecision(3));
    }
  });

  check('hidden', 'a random gradient whose length is exactly maxNorm', async () => {
    const grad = randomVector(random('at the cap'), 2, 5);
    await expectClipped(grad, solution.l2Norm(grad));
  });

  check('hidden', 'one value over the cap; zeros and the empty vector', async () => {
    const rng = random('edges');
    const maxNorm = rounded(rng, 0.5, 3, 2);
    await expectClipped([-rounded(rng, 4, 20, 2)], maxNorm);
    await expectClipped(new Array<number>(rng.int(1, 5)).fill(0), maxNorm);
    await expectClipped([], maxNorm);
  });

  check('hidden', 'maxNorm 0, negative, NaN or infinite throws a RangeError', async () => {
    const rng = random('refused');
    for (const bad of [-rounded(rng, 0.1, 10, 2), 0, NaN, Infinity, -Infinity]) {
      expectThrows(await call(sandbox, 'clipByNorm', randomVector(rng, 1, 4), bad), 'RangeError', MAX_NORM_RULE);
    }
  });
}
