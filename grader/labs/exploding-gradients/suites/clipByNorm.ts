/** Public checks for `clipByNorm`: the printed clippings, the contract's edges, figure 3's gradients, refused thresholds. */
import { call, callEach, check, expectArgumentsKept, expectNumbers, expectThrows } from '../../../suites/harness';
import type { SuiteContext } from './context';
import { formatValue } from '../../../lib/format';
import { decodeNumber } from '../reference';

/** clipByNorm's parameters, as the contract names them (for the messages about arguments changed). */
export const PARAMETERS = ['grad', 'maxNorm'] as const;

/** Why a threshold is refused, as the messages say it. */
export const MAX_NORM_RULE = 'maxNorm must be a finite number greater than 0';

export function clipByNormPublic(ctx: SuiteContext): void {
  const { sandbox, reference } = ctx;
  const [over, within] = reference.clip;

  check('public', `clipByNorm(${formatValue(over.grad)}, ${over.maxNorm}) scales down to length ${over.maxNorm}, same direction: ${formatValue(over.clipped)}`, async () => {
    expectNumbers(await call(sandbox, 'clipByNorm', over.grad, over.maxNorm), over.clipped, 'public');
  });

  check('public', `clipByNorm(${formatValue(within.grad)}, ${within.maxNorm}) is within the cap: the same values`, async () => {
    expectNumbers(await call(sandbox, 'clipByNorm', within.grad, within.maxNorm), within.clipped, 'public');
  });

  check('public', 'a new array every time, and grad left as it was, over the cap and within it', async () => {
    for (const { grad, maxNorm } of [over, within]) expectArgumentsKept(await call(sandbox, 'clipByNorm', grad, maxNorm), PARAMETERS);
  });

  check('public', 'a length equal to maxNorm is left as it is; zeros, the empty vector, three and four values', async () => {
    for (const edge of reference.edges.clipByNorm) {
      expectNumbers(await call(sandbox, 'clipByNorm', edge.grad, edge.maxNorm), edge.clipped, 'public');
    }
  });

  check('public', `figure 3's gradients clipped at max_norm ${reference.clipping.maxNorm}`, async () => {
    const { scaled, maxNorm, clippedVectors } = reference.clipping;
    const calls = await callEach(sandbox, 'clipByNorm', scaled.map((v) => [v, maxNorm]));
    for (let i = 0; i < calls.length; i++) expectNumbers(calls[i], clippedVectors[i], 'public');
  });

  for (const refused of reference.edges.raises.filter((r) => r.fn === 'clipByNorm')) {
    const args = refused.args.map(decodeNumber);
    check('public', `maxNorm ${formatValue(args[1])} throws a RangeError`, async () => {
      expectThrows(await call(sandbox, 'clipByNorm', ...args), 'RangeError', MAX_NORM_RULE);
    });
  }
}
