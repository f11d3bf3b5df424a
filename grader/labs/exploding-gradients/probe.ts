/**
 * The lab's probe: runs the functions (the student's in a sandbox, or the solution's) on the lab's
 * inputs, or the knobs a student chose, and gives back
 * - the block the notebook prints (relu's and its gradient's extremes over the data, the gradient
 *   at -2, 0 and 3, the growth loop step by step, a norm, two clippings, figure 3's norms), with the
 *   numbers written as the notebook writes them, and
 * - the series the three figures plot.
 * This lab has no linspace of its own: figure 1's data is made here, by numpy's formula. Each
 * function gets the lab's own inputs, so one broken function blanks only its own lines and
 * series. It never decides a score, and its work is bounded by the lab's size.
 */
import type { Caller, LabProbe, SeriesBase } from '../../lab-code';
import { pythonFixed, pythonRepr } from '../../lib/format';
import { Attempts, Broken, cut, isNumbers, max, min, notAvailable, why } from '../../stages/probing';
import type { Knobs } from './knobs';

/** What the figures plot, from one implementation (the student's or the solution's). */
export interface Series extends SeriesBase {
  /** The knobs the series were computed with. */
  knobs: Knobs;
  /** Figure 1's data: numpy's linspace over the knobs' range (made by the kit). */
  x: number[];
  /** relu over x. */
  relu?: number[];
  /** reluGradient over x. */
  reluGradient?: number[];
  /** simulateGrowth(steps, weight): figure 2. */
  growth?: number[];
  /** Figure 3: the norm of the gradient GRADIENT carried back step by step (scaled by each running product). */
  raw?: number[];
  /** Figure 3: the norm of the same gradients clipped at maxNorm. */
  clipped?: number[];
  /** Why a series is missing or borrowed, by series name ('relu', 'reluGradient', 'growth', 'raw', 'clipped'). */
  problems: Record<string, string>;
  /** Series longer than the lab's, cut to a bound of its size. */
  cut?: string[];
}

/** The gradient of norm 1 that figure 3 carries back (the lab's g0). */
export const GRADIENT: readonly number[] = [0.6, 0.8];
/** The inputs of the printed line "relu gradient at -2, 0, 3". */
export const RELU_AT: readonly number[] = [-2, 0, 3];
/** The printed norm's vector. */
export const NORM_OF: readonly number[] = [3, 4];
/** The two printed clippings: [gradient, maxNorm]. */
export const CLIPS: readonly (readonly [number[], number])[] = [[[3, 4], 1], [[0.3, 0.4], 1]];

/**
 * numpy's `linspace(start, stop, num)` (endpoint included): start + i * step, the last value stop
 * itself. The figure's data, made by the kit, so that every student's relu is drawn over the same x.
 */
export function linspace(start: number, stop: number, num: number): number[] {
  const count = Math.max(0, Math.floor(num));
  const gap = count > 1 ? (stop - start) / (count - 1) : 0;
  // numpy writes the end itself, so that it is exactly `stop` whatever the rounding of the gaps.
  return Array.from({ length: count }, (_, i) => (count > 1 && i === count - 1 ? stop : i * gap + start));
}

/** `fn` once per argument list, each answer a number, in one exchange. */
async function numbersEach(caller: Caller, fn: string, argsList: unknown[][]): Promise<number[]> {
  if (argsList.length === 0) return [];
  const outcomes = await caller.callEach(fn, argsList);
  return outcomes.map((o) => {
    if (o.kind === 'returned' && typeof o.value === 'number') return o.value;
    throw new Broken(why(fn, o, 'a number'));
  });
}

/** `fn` once per argument list, each answer an array of numbers, in one exchange. */
async function arraysEach(caller: Caller, fn: string, argsList: unknown[][]): Promise<number[][]> {
  if (argsList.length === 0) return [];
  const outcomes = await caller.callEach(fn, argsList);
  return outcomes.map((o) => {
    if (o.kind === 'returned' && isNumbers(o.value)) return o.value;
    throw new Broken(why(fn, o, 'an array of numbers'));
  });
}

/** How many values of an array the printed block shows at most (numpy's own summarising starts at 1000). */
const PRINTED_VALUES = 24;

/**
 * An array of floats as numpy prints it by default (`[0.6 0.8]`, `[0. 0. 1.]`, `[ 0.1 -0.2]`): at
 * most 8 decimals, trailing zeros dropped, the values padded to line up their points. Values
 * numpy would print in scientific notation (very large or very small ones, or NaN) are written as
 * Python's repr writes them instead: LAB.md lets the kit write numbers its own way.
 */
export function numpyArray(values: readonly number[]): string {
  const shown = values.slice(0, PRINTED_VALUES);
  const more = values.length > shown.length ? ` … (${values.length} values)` : '';
  const magnitudes = shown.filter((v) => v !== 0).map(Math.abs);
  const fixed = shown.every(Number.isFinite)
    && (magnitudes.length === 0 || (max(magnitudes) < 1e8 && min(magnitudes) >= 1e-4 && max(magnitudes) / min(magnitudes) <= 1e3));
  if (!fixed) return `[${shown.map(pythonRepr).join(' ')}${more}]`;
  const parts = shown.map((v) => {
    let text = pythonRepr(v);
    const decimals = text.length - text.indexOf('.') - 1;
    if (decimals > 8) text = pythonFixed(v, 8).replace(/0+$/, '');
    const [whole, fraction] = text.split('.');
    return { whole: Object.is(v, -0) ? '-0' : whole, fraction: fraction === '0' ? '' : fraction };
  });
  const left = max(parts.map((p) => p.whole.length));
  const right = max(parts.map((p) => p.fraction.length));
  return `[${parts.map((p) => `${p.whole.padStart(left)}.${p.fraction.padEnd(right)}`).join(' ')}${more}]`;
}

/** A Python list of floats, each rounded to `decimals` as Python's round does (`[1.5, 2.25, 7.5938]`). */
export function pythonRoundedList(values: readonly number[], decimals: number): string {
  const shown = values.slice(0, PRINTED_VALUES);
  const more = values.length > shown.length ? `, … (${values.length} values)` : '';
  return `[${shown.map((v) => pythonRepr(Number.isFinite(v) ? Number(pythonFixed(v, decimals)) : v)).join(', ')}${more}]`;
}

/**
 * Runs the probe. `solution` answers the trusted calls the probe falls back on: figure 3 carries
 * its gradient by the solution's running product when the student's simulateGrowth gives none,
 * and measures its gradients with the solution's l2Norm when the student's gives none.
 */
export async function probe(caller: Caller, knobs: Knobs, solution: Caller): Promise<LabProbe<Series>> {
  const lines: string[] = [];
  const steps = new Attempts();
  const { problems } = steps;
  const attempt = steps.attempt.bind(steps);
  const cuts: string[] = [];
  const { start, stop, num } = knobs.range;
  const x = linspace(start, stop, num);

  const relu = await attempt('relu', () => numbersEach(caller, 'relu', x.map((v) => [v])));
  if (relu) lines.push(`Max of relu : ${pythonFixed(max(relu), 3)}`, `Min of relu : ${pythonFixed(min(relu), 3)}`);
  else lines.push(notAvailable(problems.relu));

  const reluGradient = await attempt('reluGradient', () => numbersEach(caller, 'reluGradient', x.map((v) => [v])));
  if (reluGradient) lines.push(`Max of relu gradient : ${pythonFixed(max(reluGradient), 3)}`, `Min of relu gradient : ${pythonFixed(min(reluGradient), 3)}`);
  else lines.push(notAvailable(problems.reluGradient));

  const at = await attempt('reluAt', () => numbersEach(caller, 'reluGradient', RELU_AT.map((v) => [v])));
  lines.push(at ? `relu gradient at ${RELU_AT.join(', ')} : ${numpyArray(at)}` : notAvailable(problems.reluAt));

  const label = `simulateGrowth(${knobs.steps}, ${knobs.weight})`;
  const growth = await attempt('growth', async () => {
    const o = await caller.call('simulateGrowth', [knobs.steps, knobs.weight]);
    if (o.kind === 'returned' && isNumbers(o.value)) return cut(o.value, knobs.steps, label, cuts);
    throw new Broken(why('simulateGrowth', o, 'an array of numbers'));
  });
  if (growth) lines.push(...growth.map((v, i) => `step ${i + 1} : ${pythonRepr(v)}`));
  else lines.push(notAvailable(problems.growth));

  const norm = await attempt('norm', async () => (await numbersEach(caller, 'l2Norm', [[[...NORM_OF]]]))[0]);
  lines.push(norm !== undefined ? `norm of [${NORM_OF.join(', ')}] : ${pythonRepr(norm)}` : notAvailable(problems.norm));

  for (const [k, [grad, maxNorm]] of CLIPS.entries()) {
    const clipped = await attempt(`clip${k}`, async () => cut((await arraysEach(caller, 'clipByNorm', [[[...grad], maxNorm]]))[0], grad.length, `clipByNorm([${grad.join(', ')}], ${maxNorm})`, []));
    lines.push(clipped ? `clip [${grad.join(', ')}] to norm ${maxNorm} : ${numpyArray(clipped)}` : notAvailable(problems[`clip${k}`]));
  }

  // Figure 3: the gradient carried back by the running product (the student's, else the solution's).
  let carriers = growth;
  if (!carriers) {
    const o = await solution.call('simulateGrowth', [knobs.steps, knobs.weight]);
    if (o.kind === 'returned' && isNumbers(o.value)) {
      carriers = o.value;
      problems.carried = `simulateGrowth gave no running product (${problems.growth}): the gradient is carried by the solution's`;
    }
  }
  const scaled = (carriers ?? []).map((w) => GRADIENT.map((g) => g * w));
  /** Norms of `vectors` by the student's l2Norm, else the solution's (saying so under `name`). */
  const norms = async (name: 'raw' | 'clipped', vectors: number[][]): Promise<number[]> => {
    try {
      return await numbersEach(caller, 'l2Norm', vectors.map((v) => [v]));
    } catch (err) {
      if (!(err instanceof Broken)) throw err;
      const theirs = await attempt(name, () => numbersEach(solution, 'l2Norm', vectors.map((v) => [v])));
      if (!theirs) throw new Broken(`${err.message}; ${problems[name]}`);
      problems[name] = `${err.message}: measured with the solution's l2Norm`;
      steps.complete = false;
      return theirs;
    }
  };
  const raw = carriers ? await attempt('raw', () => norms('raw', scaled)) : undefined;
  if (!carriers) problems.raw = 'no running product to carry the gradient by';
  const clipped = carriers ? await attempt('clipped', async () => {
    const vectors = await arraysEach(caller, 'clipByNorm', scaled.map((v) => [v, knobs.maxNorm]));
    return norms('clipped', vectors.map((v) => cut(v, GRADIENT.length, 'clipByNorm', [])));
  }) : undefined;
  if (!carriers) problems.clipped = problems.raw;
  // The printed norms are the student's own: over the student's running product, measured by the student's l2Norm.
  const own = (name: 'raw' | 'clipped'): string | undefined => (!growth ? problems.growth : problems[name]);
  lines.push(raw && !own('raw') ? `raw norms : ${pythonRoundedList(raw, 4)}` : notAvailable(own('raw') ?? 'no norms'));
  lines.push(clipped && !own('clipped') ? `clipped norms : ${pythonRoundedList(clipped, 4)}` : notAvailable(own('clipped') ?? 'no norms'));
  for (const printedOnly of ['reluAt', 'norm', 'clip0', 'clip1']) delete problems[printedOnly];

  return {
    printout: { text: lines.join('\n') + '\n', complete: steps.complete },
    series: {
      knobs, x,
      ...(relu ? { relu } : {}), ...(reluGradient ? { reluGradient } : {}), ...(growth ? { growth } : {}),
      ...(raw ? { raw } : {}), ...(clipped ? { clipped } : {}),
      problems,
      ...(cuts.length ? { cut: cuts } : {}),
    },
  };
}
