/** Public checks for `l2Norm`: the printed norm, the contract's edges, figure 3's vectors. */
import { call, callEach, check, expectNumber } from '../../../suites/harness';
import type { SuiteContext } from './context';
import { formatValue } from '../../../lib/format';

export function l2NormPublic(ctx: SuiteContext): void {
  const { sandbox, reference } = ctx;

  check('public', `l2Norm(${formatValue(reference.norm.v)}) is ${reference.norm.value}`, async () => {
    expectNumber(await call(sandbox, 'l2Norm', reference.norm.v), reference.norm.value, 'public');
  });

  check('public', 'the empty vector has length 0; zeros, negative values, one value and three values', async () => {
    for (const edge of reference.edges.l2Norm) expectNumber(await call(sandbox, 'l2Norm', edge.v), edge.value, 'public');
  });

  check('public', "the lengths of figure 3's gradients, before clipping", async () => {
    const { scaled, raw } = reference.clipping;
    const calls = await callEach(sandbox, 'l2Norm', scaled.map((v) => [v]));
    for (let i = 0; i < calls.length; i++) expectNumber(calls[i], raw[i], 'public');
  });
}
