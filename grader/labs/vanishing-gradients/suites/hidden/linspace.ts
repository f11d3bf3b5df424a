/** Hidden checks for `linspace`: random ranges and counts, decreasing and zero-width ranges, bad counts. */
import { call, check, expectNumbers, expectThrows } from '../../../../suites/harness';
import type { SuiteContext } from '../context';

export function linspaceHidden(ctx: SuiteContext): void {
  const { sandbox, random, solution } = ctx;
  check('hidden', 'random ranges and counts', async () => {
    const rng = random('random ranges');
    for (let i = 0; i < 8; i++) {
      const a = +rng.float(-100, 100).toFixed(3);
      const b = +rng.float(-100, 100).toFixed(3);
      const n = rng.int(2, 300);
      expectNumbers(await call(sandbox, 'linspace', a, b, n), solution.linspace(a, b, n), 'hidden');
    }
  });

  check('hidden', 'decreasing and zero-width ranges', async () => {
    const rng = random('decreasing');
    const hi = +rng.float(1, 50).toFixed(2);
    const lo = -+rng.float(1, 50).toFixed(2);
    const n = rng.int(3, 40);
    expectNumbers(await call(sandbox, 'linspace', hi, lo, n), solution.linspace(hi, lo, n), 'hidden');
    expectNumbers(await call(sandbox, 'linspace', lo, lo, n), solution.linspace(lo, lo, n), 'hidden');
  });

  check('hidden', 'a count of 2 gives exactly the two ends', async () => {
    const rng = random('two');
    const a = +rng.float(-10, 10).toFixed(2);
    const b = +rng.float(-10, 10).toFixed(2);
    expectNumbers(await call(sandbox, 'linspace', a, b, 2), solution.linspace(a, b, 2), 'hidden');
  });

  check('hidden', 'NaN, Infinity and -0.5 as num throw a RangeError', async () => {
    for (const bad of [NaN, Infinity, -0.5]) {
      expectThrows(await call(sandbox, 'linspace', 0, 1, bad), 'RangeError', 'a count must be a non-negative whole number');
    }
  });
}
