/**
 * What the figures mean, read from their data: where the student's series depart from what the
 * solution gives on the same inputs, said in words, and the facts the lab teaches that a series
 * contradicts (a ReLU below 0, a gradient other than 0 and 1, a product that does not explode for
 * a weight above 1, a clipped norm above max_norm).
 */
import { isClose } from '../../lib/allclose';
import type { Solution } from '../../lab-code';
import { describeRegion, known, short, TOL } from '../../render/meaning';
import { FIGURES } from './figures';
import { GRADIENT, type Series } from './probe';

/** Relative only, for per-step values that get tiny (weights below 1). */
const RELATIVE = { rtol: 1e-6, atol: 0 };

/** The first step (1-based) where `got` departs from `want`, or 0. */
function firstDeparture(got: readonly number[], want: readonly number[]): number {
  const k = want.findIndex((w, i) => !isClose(got[i], w, RELATIVE));
  return k + 1;
}

/** Sentences per figure id: where the student's series depart from the solution's on the same inputs. */
export function describeDifferences(student: Series, solution: Solution): Record<string, string[]> {
  const [fig1, fig2, fig3] = FIGURES.map((f) => f.id);
  const out: Record<string, string[]> = { [fig1]: [], [fig2]: [], [fig3]: [] };
  const { x, relu, reluGradient, growth, raw, clipped, knobs } = student;

  if (relu) known(() => {
    const mask = x.map((v, i) => !isClose(relu[i], solution.relu(v) as number, TOL));
    if (mask.some(Boolean)) out[fig1].push(`your relu differs from the reference ${describeRegion(x, mask)}`);
    const negative = relu.filter((v) => v < 0).length;
    if (negative > 0) out[fig1].push(`${negative} of your relu values are below 0; ReLU cuts every negative input to 0`);
  });
  if (reluGradient) known(() => {
    const mask = x.map((v, i) => !isClose(reluGradient[i], solution.reluGradient(v) as number, TOL));
    if (mask.some(Boolean)) out[fig1].push(`your relu gradient differs from the reference ${describeRegion(x, mask)}`);
    const other = reluGradient.filter((v) => v !== 0 && v !== 1).length;
    if (other > 0) out[fig1].push(`${other} of your gradient values are neither 0 nor 1; ReLU's gradient is a step from 0 to 1`);
  });

  if (growth) known(() => {
    const want = solution.simulateGrowth(knobs.steps, knobs.weight) as number[];
    if (growth.length !== want.length) out[fig2].push(`your running product has ${growth.length} steps; simulateGrowth(${knobs.steps}, ${knobs.weight}) has ${want.length}`);
    else {
      const k = firstDeparture(growth, want);
      if (k > 0) out[fig2].push(`your running product differs from the reference from step ${k} on`);
    }
  });
  if (growth && growth.length >= 2 && knobs.weight > 1 && growth.every((v) => v > 0)) {
    if (growth.some((v, i) => i > 0 && !(v > growth[i - 1]))) {
      out[fig2].push(`with a weight of ${knobs.weight}, above 1, every step should multiply the gradient and make it larger; yours does not grow at every step`);
    }
  }

  if (raw || clipped) known(() => {
    // The norms the solution gives over the same carried gradients: over the student's running
    // product when it gave one (the figure carries the gradient by it), else the solution's.
    const carriers = growth ?? (solution.simulateGrowth(knobs.steps, knobs.weight) as number[]);
    const scaled = carriers.map((w) => GRADIENT.map((g) => g * w));
    if (raw && !student.problems.raw) {
      const want = scaled.map((v) => solution.l2Norm(v) as number);
      const k = raw.length === want.length ? firstDeparture(raw, want) : -1;
      if (k !== 0) out[fig3].push(k < 0 ? `you have ${raw.length} raw norms for ${want.length} steps` : `your raw norms differ from the reference from step ${k} on (the norms come from l2Norm)`);
    }
    if (clipped && !student.problems.clipped) {
      const want = scaled.map((v) => solution.l2Norm(solution.clipByNorm(v, knobs.maxNorm)) as number);
      const k = clipped.length === want.length ? firstDeparture(clipped, want) : -1;
      if (k !== 0) out[fig3].push(k < 0 ? `you have ${clipped.length} clipped norms for ${want.length} steps` : `your clipped norms differ from the reference from step ${k} on`);
    }
  });
  if (clipped) {
    const above = clipped.findIndex((v) => v > knobs.maxNorm * (1 + 1e-9));
    if (above >= 0) out[fig3].push(`your clipped norm at step ${above + 1} is ${short(clipped[above])}, above max_norm ${knobs.maxNorm}; clipping never leaves a gradient longer than the threshold`);
  }
  if (raw && clipped && raw.length === clipped.length) {
    const stretched = raw.findIndex((v, i) => v <= knobs.maxNorm && !isClose(clipped[i], v, TOL));
    if (stretched >= 0) out[fig3].push(`at step ${stretched + 1} the raw norm ${short(raw[stretched])} is within max_norm ${knobs.maxNorm}, yet your clipping changes it to ${short(clipped[stretched])}; a gradient within the threshold is left as it is`);
  }
  return out;
}
