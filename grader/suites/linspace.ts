/** Hidden suite for `linspace`: the lab's data, numpy's defaults and edge cases, random ranges. */
import { call, check, expectNumbers, expectThrows } from './harness';
import type { SuiteContext } from './context';

export function linspaceSuite({ sandbox, random, solution, reference }: SuiteContext): void {
  const { start, stop, num, values } = reference.data;

  check('public', `linspace(${start}, ${stop}, ${num}) gives the lab's data`, async () => {
    expectNumbers(await call(sandbox, 'linspace', start, stop, num), values, 'public');
  });

  check('public', 'linspace(0, 1, 5) is [0, 0.25, 0.5, 0.75, 1]', async () => {
    expectNumbers(await call(sandbox, 'linspace', 0, 1, 5), solution.linspace(0, 1, 5), 'public');
  });

  check('public', 'num defaults to 50, as in numpy (the tangent relies on it)', async () => {
    const { xTan, span, x } = reference.tangent;
    expectNumbers(await call(sandbox, 'linspace', xTan - span, xTan + span), x, 'public');
  });

  check('public', 'num 0 gives [] and num 1 gives [start]', async () => {
    expectNumbers(await call(sandbox, 'linspace', 2, 3, 0), [], 'public');
    expectNumbers(await call(sandbox, 'linspace', 2, 3, 1), [2], 'public');
  });

  check('public', 'a negative num throws a RangeError', async () => {
    expectThrows(await call(sandbox, 'linspace', 0, 1, -1), 'RangeError', 'a count cannot be negative');
  });

  check('public', 'a num that is not an integer throws a RangeError', async () => {
    expectThrows(await call(sandbox, 'linspace', 0, 1, 2.5), 'RangeError', 'a count must be a whole number');
  });

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
