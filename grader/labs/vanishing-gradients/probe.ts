/**
 * Stage 6, the lab probe: runs the student's functions on the lab's inputs (or the knobs a student
 * chose) in a sandbox of its own, and gives back
 * - the block the notebook printed (stats of x, sigmoid and gradient; the decay loop), formatted
 *   exactly as numpy printed it, and
 * - the series the four figures plot.
 * Each function gets the lab's own inputs, so one broken function blanks only its own lines and
 * figures. It never decides a score.
 */
import { Opaque } from '../../sandbox/wire';
import { pythonFixed, pythonRepr } from '../../lib/format';
import type { LabProbe as Probe } from '../../lab-code';
import { Attempts, Broken, cut, max, min, notAvailable, num, nums, pyNumber, sweep, why, type Caller } from '../../stages/probing';
import type { Reference } from './types';

/** The notebook's knobs ("try changing ..."); grading uses the lab's values. */
export interface LabKnobs {
  /** linspace(start, stop, num) for the data. */
  range: [number, number, number];
  /** Where the tangent touches the sigmoid. */
  xTan: number;
  /** Half the tangent line's length along x. */
  span: number;
  /** The decay loop's number of steps. */
  steps: number;
  /** The decay loop's input x. */
  x: number;
  /** The y-range of the "Visualizing Compression" figure, when set (the lab's plt.ylim). */
  ylim?: [number, number];
}

/** The lab's canonical knobs. */
export function canonicalKnobs(reference: Reference): LabKnobs {
  return {
    range: [reference.data.start, reference.data.stop, reference.data.num],
    xTan: reference.tangent.xTan,
    span: reference.tangent.span,
    steps: reference.decay.steps,
    x: reference.decay.x,
  };
}

/** What the figures plot, from one implementation (the student's or the solution's). */
export interface LabSeries {
  /** The knobs the series were computed with. */
  knobs: LabKnobs;
  /** The data: linspace(range), or the solution's when the student's linspace failed. */
  x: number[];
  /** sigmoid over x. */
  sigmoid?: number[];
  /** sigmoidGradient over the activations. */
  gradient?: number[];
  /** tangent(xTan, span). */
  tangent?: { x: number[]; y: number[]; point: { x: number; y: number } };
  /** simulateDecay(steps, x). */
  decay?: number[];
  /** Why a series is missing or borrowed, by series name ('x', 'sigmoid', 'gradient', 'tangent', 'decay'). */
  problems: Record<string, string>;
  /** Series longer than the lab's, cut to a bound of its size: what was cut (said under the figures). */
  cut?: string[];
}

/** The probe's findings for this lab. */
export type LabProbe = Probe<LabSeries>;

/**
 * The data the figures fall back on when the student's linspace fails: the solution's linspace
 * over the same range (unknown in the student release for knobs other than the lab's: none then).
 */
async function fallbackData(solution: Caller, knobs: LabKnobs): Promise<number[]> {
  const o = await solution.call('linspace', [...knobs.range]);
  return o.kind === 'returned' && Array.isArray(o.value) ? (o.value as number[]) : [];
}

/**
 * Runs the probe: the student's functions (`sb`) with the lab's inputs or the student's knobs.
 * `solution` gives the data when the student's linspace fails, so that sigmoid and its gradient
 * can still be shown.
 */
export async function probe(sb: Caller, knobs: LabKnobs, solution: Caller): Promise<LabProbe> {
  const lines: string[] = [''];
  const steps = new Attempts();
  const problems = steps.problems;
  const attempt = steps.attempt.bind(steps);
  const [start, stop, count] = knobs.range;
  // Asked first, whatever the student's gives: the release's table of answers records it so.
  const fallbackX = await fallbackData(solution, knobs);
  /** Series cut to the lab's size, said in the figures' notes. */
  const cuts: string[] = [];

  const studentX = await attempt('x', async () => {
    const x = await nums(sb, 'linspace', start, stop, count);
    if (x.length === 0) throw new Broken(`linspace(${start}, ${stop}, ${count}) returned []`);
    return x;
  });
  if (studentX) lines.push(`Max of x data : ${pythonRepr(max(studentX))}`, `Min of x data : ${pythonRepr(min(studentX))} `, '');
  else lines.push(notAvailable(problems.x));
  const x = studentX ? cut(studentX, count, `linspace(${start}, ${stop}, ${count})`, cuts) : fallbackX;
  if (!studentX) problems.x = `${problems.x}; the figures use the solution's data instead`;

  const sigmoid = await attempt('sigmoid', async () => {
    return sweep(sb, 'sigmoid', x);
  });
  if (sigmoid) lines.push(`Max of sigmoid : ${pythonFixed(max(sigmoid), 3)}`, `Min of sigmoid : ${pythonFixed(min(sigmoid), 3)} `, '');
  else lines.push(notAvailable(problems.sigmoid));

  const gradient = await attempt('gradient', async () => {
    if (!sigmoid) throw new Broken('not tried: sigmoidGradient takes the activations, and sigmoid gave none');
    return sweep(sb, 'sigmoidGradient', sigmoid);
  });
  if (gradient) lines.push(`Max of gradients : ${pythonFixed(max(gradient), 3)}`, `Min of gradients : ${pythonFixed(min(gradient), 3)}`);
  else lines.push(notAvailable(problems.gradient));

  lines.push('-- Inputs --', `steps : ${knobs.steps}`, `x value : ${pyNumber(knobs.x)}`);
  const inputs = await attempt('inputs', async () => {
    const s = await num(sb, 'sigmoid', knobs.x);
    return [s, await num(sb, 'sigmoidGradient', s)];
  });
  if (inputs) lines.push(`sigmoid : ${pythonFixed(inputs[0], 5)}`, `gradient : ${pythonFixed(inputs[1], 5)} `, '');
  else lines.push(notAvailable(problems.inputs));
  delete problems.inputs;

  lines.push('-- Loop --');
  const decay = await attempt('decay', async () => cut(await nums(sb, 'simulateDecay', knobs.steps, knobs.x), knobs.steps, `simulateDecay(${knobs.steps}, ${knobs.x})`, cuts));
  if (decay) lines.push(...decay.map((v, i) => `step ${i + 1} : ${pythonRepr(v)}`));
  else lines.push(notAvailable(problems.decay));
  lines.push('');

  const tangent = await attempt('tangent', async () => {
    const o = await sb.call('tangent', [knobs.xTan, knobs.span]);
    const t = o.kind === 'returned' ? (o.value as Record<string, unknown> | null) : null;
    const arrays = (v: unknown): v is number[] => Array.isArray(v) && v.every((e) => typeof e === 'number');
    const point = t && typeof t === 'object' ? (t.point as Record<string, unknown> | null) : null;
    if (!t || typeof t !== 'object' || !arrays(t.x) || !arrays(t.y) || !point || typeof point.x !== 'number' || typeof point.y !== 'number') {
      throw new Broken(why('tangent', o.kind === 'returned' ? { kind: 'returned', value: new Opaque('shape', 'a value without numeric x, y and point') } : o, 'a Tangent'));
    }
    const label = `tangent(${knobs.xTan}, ${knobs.span})`;
    return { x: cut(t.x, TANGENT_POINTS, `${label}.x`, cuts), y: cut(t.y, TANGENT_POINTS, `${label}.y`, cuts), point: { x: point.x, y: point.y } };
  });

  return {
    printout: { text: lines.join('\n') + '\n', complete: steps.complete },
    series: {
      knobs, x,
      ...(sigmoid ? { sigmoid } : {}), ...(gradient ? { gradient } : {}),
      ...(tangent ? { tangent } : {}), ...(decay ? { decay } : {}),
      problems,
      ...(cuts.length ? { cut: cuts } : {}),
    },
  };
}

/** The tangent's points in the lab (its linspace's default count). */
const TANGENT_POINTS = 50;
