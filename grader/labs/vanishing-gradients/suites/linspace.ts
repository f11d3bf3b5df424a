/** Public checks for `linspace`: the lab's data, numpy's defaults and edge cases, random ranges. */
import { call, check, expectNumbers, expectThrows } from '../../../suites/harness';
import type { SuiteContext } from './context';

export function linspacePublic({ sandbox, solution, reference }: SuiteContext): void {
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
}
