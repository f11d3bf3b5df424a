/**
 * tangent(xTan, span): each field on its own. The count of points (whatever it is), the x range
 * against xTan - span .. xTan + span, the slope against the candidates (the gradient taken at the
 * raw xTan), the point, and whether the line passes through the point whatever its intercept.
 */
import { isClose } from '../../../lib/allclose';
import { holdsOnEvery, holdsOnSome, near, NEAR, numbers, record, type Diagnosis, type Evidence, type Verdict } from '../../../feedback/evidence';
import { gradientOf } from './math';

/** The fields of a tangent, each undefined when it is missing or not of its type. */
interface Fields {
  x?: number[];
  y?: number[];
  slope?: number;
  pointX?: number;
  pointY?: number;
}

function fields(v: unknown): Fields | undefined {
  const t = record(v);
  if (!t) return undefined;
  const point = record(t.point);
  return {
    x: numbers(t.x), y: numbers(t.y),
    slope: typeof t.slope === 'number' ? t.slope : undefined,
    pointX: typeof point?.x === 'number' ? point.x : undefined,
    pointY: typeof point?.y === 'number' ? point.y : undefined,
  };
}

/** x holds the right y values and y the right x values. */
function swapped(got: Fields, want: Required<Fields>): boolean {
  const same = (a: number[] | undefined, b: number[]): boolean => !!a && a.length === b.length && a.every((v, i) => near(v, b[i]));
  return same(got.x, want.y) && same(got.y, want.x);
}

/**
 * Both tangents' fields, when the call's answer and the right one are objects. A tangent whose x
 * and y are swapped is read by {@link swappedAxes} only: its "range" and "line" are the other axis.
 */
function read(e: Evidence): { got: Fields; want: Required<Fields>; xTan: number } | undefined {
  const got = fields(e.got);
  const want = fields(e.expected) as Required<Fields> | undefined;
  return got && want && !swapped(got, want) ? { got, want, xTan: e.args[0] } : undefined;
}

function swappedAxes(e: Evidence): Verdict {
  const got = fields(e.got);
  const want = fields(e.expected) as Required<Fields> | undefined;
  return got && want ? swapped(got, want) : undefined;
}

function wrongCount(e: Evidence): Verdict {
  const c = read(e);
  if (!c?.got.x) return undefined;
  return c.got.x.length !== c.want.x.length;
}

function wrongRange(e: Evidence): Verdict {
  const c = read(e);
  if (!c?.got.x || c.got.x.length < 2) return undefined;
  const want = c.want.x;
  const scale = Math.max(Math.abs(want[0]), Math.abs(want[want.length - 1]));
  const tol = { rtol: NEAR.rtol, atol: NEAR.atol * Math.max(1, scale) };
  // The stretch covered, whichever way it is walked.
  const [lo, hi] = [Math.min(...c.got.x), Math.max(...c.got.x)];
  const [wantLo, wantHi] = [Math.min(want[0], want[want.length - 1]), Math.max(want[0], want[want.length - 1])];
  return !isClose(lo, wantLo, tol) || !isClose(hi, wantHi, tol);
}

/** The slope is the gradient taken at the raw xTan (calls where that is the right slope cannot tell). */
function slopeOfRawX(e: Evidence): Verdict {
  const c = read(e);
  if (!c || c.got.slope === undefined) return undefined;
  const candidate = gradientOf(c.xTan);
  if (near(candidate, c.want.slope)) return undefined;
  return near(c.got.slope, candidate);
}

/**
 * The line's height at xTan, when y is a straight line over x (undefined when it is not one, or
 * when x does not span an interval).
 */
function heightAt(x: number[], y: number[], at: number): number | undefined {
  if (x.length < 2 || x.length !== y.length) return undefined;
  const [x0, x1, y0, y1] = [x[0], x[x.length - 1], y[0], y[y.length - 1]];
  if (!(x1 !== x0) || ![x0, x1, y0, y1].every(Number.isFinite)) return undefined;
  const m = (y1 - y0) / (x1 - x0);
  const scale = Math.max(1, ...y.map(Math.abs));
  const tol = { rtol: NEAR.rtol, atol: NEAR.atol * scale };
  if (!x.every((xi, i) => isClose(y[i], y0 + m * (xi - x0), tol))) return undefined;
  return y0 + m * (at - x0);
}

/** y is a straight line that misses (xTan, sigmoid(xTan)); a line through it, or no line, cannot be this. */
function missesPoint(e: Evidence): Verdict {
  const c = read(e);
  if (!c?.got.x || !c.got.y) return undefined;
  const h = heightAt(c.got.x, c.got.y, c.xTan);
  if (h === undefined) return undefined;
  const scale = Math.max(1, ...c.got.y.map(Math.abs));
  return !isClose(h, c.want.pointY, { rtol: NEAR.rtol, atol: 1e-9 * scale });
}

/** The point is not (xTan, sigmoid(xTan)). */
function wrongPoint(e: Evidence): boolean {
  const c = read(e);
  return !!c && ((c.got.pointX !== undefined && !near(c.got.pointX, c.want.pointX)) || (c.got.pointY !== undefined && !near(c.got.pointY, c.want.pointY)));
}

/** The slope is not the right one. */
function wrongSlope(e: Evidence): boolean {
  const c = read(e);
  return !!c && c.got.slope !== undefined && !near(c.got.slope, c.want.slope);
}

/** The diagnoses of tangent: each field has its own, so a tangent with two mistakes gets both. */
export const TANGENT: Diagnosis[] = [
  {
    id: 'tangent-swapped-axes', strength: 'mistake', checks: 'x holds the line\'s y values and y its x values',
    find: (calls) => (holdsOnEvery(calls, swappedAxes) ? { id: 'tangent-swapped-axes' } : undefined),
  },
  {
    id: 'tangent-wrong-count', strength: 'mistake', checks: 'x has another number of points than the right line, whatever the count',
    find: (calls) => (holdsOnEvery(calls, wrongCount) ? { id: 'tangent-wrong-count' } : undefined),
  },
  {
    id: 'tangent-wrong-span', strength: 'mistake', checks: 'x does not run from xTan - span to xTan + span',
    find: (calls) => (holdsOnEvery(calls, wrongRange) ? { id: 'tangent-wrong-span' } : undefined),
  },
  {
    id: 'gradient-of-raw-x', strength: 'mistake', checks: 'the slope is the gradient formula applied to the raw xTan',
    find: (calls) => (holdsOnEvery(calls, slopeOfRawX) ? { id: 'gradient-of-raw-x' } : undefined),
  },
  {
    id: 'tangent-not-through-point', strength: 'mistake', checks: 'y is a straight line that misses (xTan, sigmoid(xTan)), whatever its intercept',
    find: (calls) => (holdsOnEvery(calls, missesPoint) ? { id: 'tangent-not-through-point' } : undefined),
  },
  {
    id: 'tangent-wrong-point', strength: 'observation', checks: 'point is not (xTan, sigmoid(xTan))',
    find: (calls) => (holdsOnSome(calls, wrongPoint) ? { id: 'tangent-wrong-point' } : undefined),
  },
  {
    id: 'tangent-wrong-slope', strength: 'observation', checks: 'the slope is not the sigmoid\'s gradient at xTan',
    find: (calls) => (holdsOnSome(calls, wrongSlope) ? { id: 'tangent-wrong-slope' } : undefined),
  },
];
