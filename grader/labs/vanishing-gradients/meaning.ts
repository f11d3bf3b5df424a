/**
 * What the lab's figures mean: where the student's series depart from the solution's on the same
 * inputs, in words (the kit's helpers: grader/render/meaning.ts).
 */
import { isClose } from '../../lib/allclose';
import { differing, known, short, TOL, describeRegion } from '../../render/meaning';
import type { LabSeries } from './probe';
import type { FigureId } from './figures';
import type { LabFunctions } from './types';

/** Sentences per figure: where the student's series depart from the solution's on the same inputs. */
export function describeDifferences(student: LabSeries, solution: LabFunctions): Record<FigureId, string[]> {
  const out: Record<FigureId, string[]> = {
    '1-sigmoid-steepest-point': [], '2-subplots': [], '3-visualizing-compression': [], '4-multiplying-small-numbers': [],
  };
  const [start, stop, num] = student.knobs.range;
  const { x, sigmoid, gradient, tangent, decay } = student;
  const all = (s: string): void => { out['2-subplots'].push(s); out['3-visualizing-compression'].push(s); };

  if (!student.problems.x) known(() => {
    const want = solution.linspace(start, stop, num);
    if (x.length !== want.length) all(`your data has ${x.length} points; linspace(${start}, ${stop}, ${num}) has ${want.length}`);
    else {
      const mask = differing(x, want);
      if (mask.some(Boolean)) all(`your data (linspace) differs from the reference ${describeRegion(want, mask)}`);
    }
  });
  if (sigmoid) known(() => {
    const want = x.map((v) => solution.sigmoid(v));
    const mask = differing(sigmoid, want);
    if (mask.some(Boolean)) {
      const s = `your sigmoid differs from the reference ${describeRegion(x, mask)}`;
      out['1-sigmoid-steepest-point'].push(s);
      all(s);
      const outside = sigmoid.filter((v) => !(v > 0 && v < 1)).length;
      if (outside > 0) all(`${outside} of your sigmoid values are outside (0, 1), where a sigmoid always lies`);
    }
  });
  if (sigmoid && gradient) known(() => {
    const mask = differing(gradient, sigmoid.map((a) => solution.sigmoidGradient(a)));
    if (mask.some(Boolean)) all(`your sigmoid gradient differs from the reference ${describeRegion(x, mask)}`);
  });
  if (gradient) {
    const peak = Math.max(...gradient.filter(Number.isFinite));
    if (peak > 0.25 + 1e-9) all(`your gradient reaches ${short(peak)}; the sigmoid's gradient is never above 0.25`);
  }
  if (tangent) known(() => {
    const { xTan, span } = student.knobs;
    const want = solution.tangent(xTan, span);
    const t = tangent;
    const where = out['1-sigmoid-steepest-point'];
    if (!isClose(t.point.y, want.point.y, TOL) || !isClose(t.point.x, want.point.x, TOL)) {
      where.push(`your tangent's point is (${short(t.point.x)}, ${short(t.point.y)}); it should sit on the curve at x = ${short(xTan)}`);
    }
    if (t.x.length !== want.x.length) where.push(`your tangent line has ${t.x.length} points; the lab draws it with ${want.x.length}`);
    else if (differing(t.x, want.x).some(Boolean)) where.push(`your tangent line does not span x = ${short(xTan)} ± ${short(span)}`);
    else if (differing(t.y, want.y).some(Boolean)) {
      const slope = t.x.length > 1 ? (t.y[t.y.length - 1] - t.y[0]) / (t.x[t.x.length - 1] - t.x[0]) : NaN;
      where.push(Number.isFinite(slope) && !isClose(slope, want.slope, TOL)
        ? `your tangent line's slope is ${short(slope)}; at x = ${short(xTan)} the sigmoid's slope is ${short(want.slope)}`
        : 'your tangent line does not pass through its point with the sigmoid\'s slope');
    }
  });
  if (decay) known(() => {
    const want = solution.simulateDecay(student.knobs.steps, student.knobs.x);
    const where = out['4-multiplying-small-numbers'];
    if (decay.length !== want.length) {
      where.push(`your decay has ${decay.length} steps; simulateDecay(${student.knobs.steps}, ${student.knobs.x}) has ${want.length}`);
    } else {
      const mask = want.map((e, i) => !isClose(decay[i], e, { rtol: 1e-6, atol: 0 }));
      const first = mask.indexOf(true);
      if (first >= 0) where.push(`your cumulative gradient differs from the reference from step ${first + 1} on`);
    }
  });
  if (decay) {
    const where = out['4-multiplying-small-numbers'];
    if (decay.some((v, i) => i > 0 && v > decay[i - 1] && decay[i - 1] > 0)) {
      where.push('your cumulative gradient grows from one step to the next; multiplying numbers below 0.25 can only shrink it');
    }
  }
  return out;
}
