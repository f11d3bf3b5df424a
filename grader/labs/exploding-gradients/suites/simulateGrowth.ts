/** Public checks for `simulateGrowth`: the lab's loop, the weights either side of 1, the edges, refused step counts. */
import { call, check, expectNumbers, expectThrows } from '../../../suites/harness';
import type { SuiteContext } from './context';
import { formatValue } from '../../../lib/format';
import { decodeNumber } from '../reference';
import { GROWTH } from './lab';

/** Why a number of steps is refused, as the messages say it. */
export const STEPS_RULE = 'steps must be a whole number >= 0';

export function simulateGrowthPublic(ctx: SuiteContext): void {
  const { sandbox, reference } = ctx;
  const g = reference.growth;

  check('public', `simulateGrowth(${g.steps}, ${g.weight}) gives the lab's loop, ${g.values[0]} up to ${g.values[g.values.length - 1]}`, async () => {
    expectNumbers(await call(sandbox, 'simulateGrowth', g.steps, g.weight), g.values, 'public', GROWTH);
  });

  for (const edge of reference.edges.simulateGrowth) {
    check('public', `simulateGrowth(${edge.steps}, ${edge.weight})${edge.steps === 0 ? ' is []' : ''}`, async () => {
      expectNumbers(await call(sandbox, 'simulateGrowth', edge.steps, edge.weight), edge.values, 'public', GROWTH);
    });
  }

  for (const refused of reference.edges.raises.filter((r) => r.fn === 'simulateGrowth')) {
    const args = refused.args.map(decodeNumber);
    check('public', `${formatValue(args[0])} steps throws a RangeError`, async () => {
      expectThrows(await call(sandbox, 'simulateGrowth', ...args), 'RangeError', STEPS_RULE);
    });
  }
}
