/**
 * Stage 6, the lab probe: runs the student's functions on the lab's inputs (or the knobs a student
 * chose) in a sandbox of its own, and gives back
 * - the block the notebook printed (stats of x, sigmoid and gradient; the decay loop), formatted
 *   exactly as numpy printed it, and
 * - the series the four figures plot.
 * Each function gets the lab's own inputs, so one broken function blanks only its own lines and
 * figures. It never decides a score.
 */
import type { CallOutcome, Sandbox } from '../sandbox/client';
import { formatThrown } from '../sandbox/client';
import { Opaque } from '../sandbox/wire';
import type { LabPrintout } from '../result';
import type { Reference } from '../lib/reference';
import { pythonFixed, pythonRepr } from '../lib/format';
import { escapeLine } from '../report/sanitize';
import { isNotImplemented, notImplementedText } from '../outcomes';
import type { Answers } from '../lib/answers';

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

/** The probe's findings. */
export interface LabProbe {
  /** The notebook's printed block. */
  printout: LabPrintout;
  /** The figures' data. */
  series: LabSeries;
}

class Broken extends Error {}

/** Something that answers calls: a Sandbox, or the solutions called directly (see solutionCaller). */
export type Caller = Pick<Sandbox, 'call' | 'callEach'>;

function why(fn: string, o: CallOutcome): string {
  if (o.kind === 'threw') return isNotImplemented(o.error) ? notImplementedText(fn) : `${fn} threw ${formatThrown(o.error)}`;
  // A function that hung or exited in a test is not called again: say so once, without "not run".
  if (o.kind === 'failed') return o.reason === 'broken-earlier' ? o.message.replace(/^not run: /, '') : `${fn}: ${o.message}`;
  return `${fn} returned ${o.value instanceof Opaque ? o.value.text : typeof o.value}, not ${fn === 'tangent' ? 'a Tangent' : 'numbers'}`;
}

/** `fn` over every value, as numbers, in one exchange with the caller. */
async function sweep(sb: Caller, fn: string, values: number[]): Promise<number[]> {
  const outcomes = await sb.callEach(fn, values.map((v) => [v]));
  return outcomes.map((o) => {
    if (o.kind === 'returned' && typeof o.value === 'number') return o.value;
    throw new Broken(why(fn, o));
  });
}

async function num(sb: Caller, fn: string, ...args: unknown[]): Promise<number> {
  const o = await sb.call(fn, args);
  if (o.kind === 'returned' && typeof o.value === 'number') return o.value;
  throw new Broken(why(fn, o));
}

async function nums(sb: Caller, fn: string, ...args: unknown[]): Promise<number[]> {
  const o = await sb.call(fn, args);
  if (o.kind === 'returned' && Array.isArray(o.value) && o.value.every((v) => typeof v === 'number')) return o.value as number[];
  throw new Broken(why(fn, o));
}

/**
 * The most values of a series the probe sweeps, prints and draws, for a series the lab gives
 * `labLength` values: twice the lab's and some (so that a list one or a few too long is shown as it
 * is). The probe's and the figures' work is bounded by the lab's size, not by what a submission
 * returns.
 */
export function seriesCap(labLength: number): number {
  return 2 * Math.max(0, Math.floor(labLength)) + 20;
}

/** `series` cut to the bound of a series the lab gives `labLength` values, with the note that says so when cut (`what` names the series). */
function cut<T>(series: T[], labLength: number, what: string, notes: string[]): T[] {
  const cap = seriesCap(labLength);
  if (series.length <= cap) return series;
  notes.push(`${what} gave ${series.length.toLocaleString('en-US')} values where the lab has ${labLength}: only the first ${cap} are used here`);
  return series.slice(0, cap);
}

/**
 * The printed block's line for a missing value: the reason on one line (a student's multi-line
 * message shown escaped), so that no line of it can pass for a line the lab printed.
 */
function notAvailable(why: string): string {
  return `(not available: ${escapeLine(why)})`;
}

/** Integers print as Python ints (`0`), other numbers as Python floats. */
function pyNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : pythonRepr(n);
}

const max = (a: number[]): number => a.reduce((m, v) => (v > m || Number.isNaN(v) ? v : m), -Infinity);
const min = (a: number[]): number => a.reduce((m, v) => (v < m || Number.isNaN(v) ? v : m), Infinity);

/**
 * Runs the probe. `fallbackX` is the data to use when the student's linspace fails (the
 * solution's linspace over the same range), so that sigmoid and its gradient can still be shown.
 */
export async function probe(sb: Caller, knobs: LabKnobs, fallbackX: number[]): Promise<LabProbe> {
  const lines: string[] = [''];
  const problems: Record<string, string> = {};
  let complete = true;
  const attempt = async <T>(name: string, body: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await body();
    } catch (err) {
      if (!(err instanceof Broken)) throw err;
      complete = false;
      problems[name] = err.message;
      return undefined;
    }
  };
  const [start, stop, count] = knobs.range;
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
      throw new Broken(why('tangent', o.kind === 'returned' ? { kind: 'returned', value: new Opaque('shape', 'a value without numeric x, y and point') } : o));
    }
    const label = `tangent(${knobs.xTan}, ${knobs.span})`;
    return { x: cut(t.x, TANGENT_POINTS, `${label}.x`, cuts), y: cut(t.y, TANGENT_POINTS, `${label}.y`, cuts), point: { x: point.x, y: point.y } };
  });

  return {
    printout: { text: lines.join('\n') + '\n', complete },
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

/**
 * Answers calls from the kit's trusted answers (the solutions, run in this process), as a sandbox
 * answers a student's. A call the kit has no answer for (the student release, other knobs) fails.
 */
export function answersCaller(answers: Answers, onUnknown: () => void = () => {}): Caller {
  const answer = (fn: string, args: unknown[]): CallOutcome => {
    const a = answers.solve(fn, args);
    if (!a) onUnknown();
    if (!a) return { kind: 'failed', reason: 'no-reference', message: 'the student release has the reference for the lab\'s own knobs only' };
    return a.ok ? { kind: 'returned', value: a.value } : { kind: 'threw', error: a.error };
  };
  return {
    call: async (fn, args) => answer(fn, args),
    callEach: async (fn, argsList) => argsList.map((args) => answer(fn, args)),
  };
}
