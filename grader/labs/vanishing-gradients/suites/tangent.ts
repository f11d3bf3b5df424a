/** Public checks for `tangent`: the lab's line at 0, the default span, random points and spans. */
import { asNumberArray, call, check, expectClose, returned, Verdict, type Called, type Visibility } from '../../../suites/harness';
import type { SuiteContext } from './context';
import type { Tangent } from '../types';
import { isClose } from '../../../lib/allclose';
import { formatNumber, formatValue } from '../../../lib/format';
import { Opaque } from '../../../sandbox/wire';

/** Checks every field of a returned Tangent against the expected one. */
export function expectTangent(c: Called, expected: Tangent, visibility: Visibility): void {
  const value = returned(c);
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Opaque) {
    throw new Verdict(`${c.label} should return an object { x, y, slope, point }, but returned ${formatValue(value)}`);
  }
  const t = value as Record<string, unknown>;
  for (const key of ['x', 'y', 'slope', 'point']) {
    if (!(key in t)) throw new Verdict(`${c.label} returned an object without \`${key}\`: it needs x, y, slope and point`);
  }
  const number = (v: unknown, what: string, want: number): void => {
    if (typeof v !== 'number') throw new Verdict(`${what} should be a number, but is ${formatValue(v)}`);
    if (!isClose(v, want)) {
      throw new Verdict(visibility === 'public'
        ? `${what} is ${formatNumber(v)}, expected ${formatNumber(want)}`
        : `${what} is ${formatNumber(v)}, which is not the right value`);
    }
  };
  const point = t.point as Record<string, unknown> | null;
  if (point === null || typeof point !== 'object' || point instanceof Opaque || Array.isArray(point)) throw new Verdict(`${c.label}.point should be an object { x, y }, but is ${formatValue(point)}`);
  number(point.x, `${c.label}.point.x`, expected.point.x);
  number(point.y, `${c.label}.point.y (the sigmoid at xTan)`, expected.point.y);
  number(t.slope, `${c.label}.slope`, expected.slope);
  expectClose(asNumberArray(t.x, `${c.label}.x`), expected.x, `${c.label}.x`, visibility);
  expectClose(asNumberArray(t.y, `${c.label}.y`), expected.y, `${c.label}.y`, visibility);
}

export function tangentPublic({ sandbox, solution, reference }: SuiteContext): void {
  const lab = reference.tangent;

  check('public', `tangent(${lab.xTan}) is the lab's line: slope ${lab.slope} through (${lab.point.x}, ${lab.point.y})`, async () => {
    expectTangent(await call(sandbox, 'tangent', lab.xTan, lab.span), lab, 'public');
  });

  check('public', `span defaults to ${lab.span}`, async () => {
    expectTangent(await call(sandbox, 'tangent', lab.xTan), lab, 'public');
  });

  check('public', 'tangent(2, 1): another point, another span', async () => {
    expectTangent(await call(sandbox, 'tangent', 2, 1), solution.tangent(2, 1), 'public');
  });
}
