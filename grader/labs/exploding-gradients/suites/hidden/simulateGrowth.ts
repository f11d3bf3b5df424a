/** Hidden checks for `simulateGrowth`: random depths with weights either side of 1 (and negative), refused step counts. */
import { call, check, expectNumbers, expectThrows } from '../../../../suites/harness';
import type { SuiteContext } from '../context';
import { GROWTH, rounded } from '../lab';
import { STEPS_RULE } from '../simulateGrowth';

export function simulateGrowthHidden(ctx: SuiteContext): void {
  const { sandbox, random, solution } = ctx;
  const expectGrowth = async (steps: number, weight: number): Promise<void> => {
    expectNumbers(await call(sandbox, 'simulateGrowth', steps, weight), solution.simulateGrowth(steps, weight), 'hidden', GROWTH);
  };

  check('hidden', 'random depths with weights above 1: it explodes', async () => {
    const rng = random('explodes');
    for (let i = 0; i < 4; i++) await expectGrowth(rng.int(2, 30), rounded(rng, 1.05, 3));
  });

  check('hidden', 'random depths with weights below 1: it vanishes', async () => {
    const rng = random('vanishes');
    for (let i = 0; i < 4; i++) await expectGrowth(rng.int(2, 30), rounded(rng, 0.05, 0.95));
  });

  check('hidden', 'negative weights, and one step', async () => {
    const rng = random('negative');
    await expectGrowth(rng.int(3, 20), -rounded(rng, 0.2, 2.5));
    await expectGrowth(1, rounded(rng, -3, 3));
    await expectGrowth(0, rounded(rng, -3, 3));
  });

  check('hidden', 'a negative, fractional or infinite number of steps throws a RangeError', async () => {
    const rng = random('refused');
    for (const bad of [-rng.int(2, 30), rng.int(1, 20) + 0.25, -Infinity]) {
      expectThrows(await call(sandbox, 'simulateGrowth', bad, rounded(rng, 0.5, 2)), 'RangeError', STEPS_RULE);
    }
  });
}
