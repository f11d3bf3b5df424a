/**
 * Stage 6, lab printout: the block the notebook printed (stats of x, sigmoid and gradient; the
 * decay loop), recomputed from the student's own functions in a sandbox of its own, formatted
 * exactly as numpy printed it. Each function gets the lab's own inputs, so one broken function
 * blanks only its own lines. It never decides a score.
 */
import type { CallOutcome, Sandbox } from '../sandbox/client';
import { formatThrown } from '../sandbox/client';
import { Opaque } from '../sandbox/wire';
import type { LabPrintout } from '../result';
import type { Reference } from '../lib/reference';
import { pythonFixed, pythonRepr } from '../lib/format';

/** The notebook's knobs ("try changing ..."); grading uses the lab's values. */
export interface LabKnobs {
  /** linspace(start, stop, num) for the data. */
  range: [number, number, number];
  /** The decay loop's number of steps. */
  steps: number;
  /** The decay loop's input x. */
  x: number;
}

/** The lab's canonical knobs. */
export function canonicalKnobs(reference: Reference): LabKnobs {
  return { range: [reference.data.start, reference.data.stop, reference.data.num], steps: reference.decay.steps, x: reference.decay.x };
}

class Broken extends Error {}

function why(fn: string, o: CallOutcome): string {
  if (o.kind === 'threw') return /not implemented yet/i.test(o.error.message) ? `${fn} is not implemented yet` : `${fn} threw ${formatThrown(o.error)}`;
  if (o.kind === 'failed') return `${fn}: ${o.message}`;
  return `${fn} returned ${o.value instanceof Opaque ? o.value.text : typeof o.value}`;
}

async function num(sb: Sandbox, fn: string, ...args: unknown[]): Promise<number> {
  const o = await sb.call(fn, args);
  if (o.kind === 'returned' && typeof o.value === 'number') return o.value;
  throw new Broken(why(fn, o));
}

async function nums(sb: Sandbox, fn: string, ...args: unknown[]): Promise<number[]> {
  const o = await sb.call(fn, args);
  if (o.kind === 'returned' && Array.isArray(o.value) && o.value.every((v) => typeof v === 'number')) return o.value as number[];
  throw new Broken(why(fn, o));
}

/** Integers print as Python ints (`0`), other numbers as Python floats. */
function pyNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : pythonRepr(n);
}

/** Computes and formats the notebook's printed block from the student's functions. */
export async function labPrintout(sb: Sandbox, reference: Reference, knobs: LabKnobs = canonicalKnobs(reference)): Promise<LabPrintout> {
  const lines: string[] = [''];
  let complete = true;
  const section = async (body: () => Promise<string[]>): Promise<void> => {
    try {
      lines.push(...(await body()));
    } catch (err) {
      if (!(err instanceof Broken)) throw err;
      complete = false;
      lines.push(`(not available: ${err.message})`);
    }
  };
  const max = (a: number[]): number => a.reduce((m, v) => (v > m || Number.isNaN(v) ? v : m), -Infinity);
  const min = (a: number[]): number => a.reduce((m, v) => (v < m || Number.isNaN(v) ? v : m), Infinity);
  const [start, stop, count] = knobs.range;
  const canonical = start === reference.data.start && stop === reference.data.stop && count === reference.data.num;

  await section(async () => {
    const x = await nums(sb, 'linspace', start, stop, count);
    if (x.length === 0) throw new Broken(`linspace(${start}, ${stop}, ${count}) returned []`);
    return [`Max of x data : ${pythonRepr(max(x))}`, `Min of x data : ${pythonRepr(min(x))} `, ''];
  });
  // The lab's data as input to sigmoid, so a broken linspace blanks only its own lines.
  const data = canonical ? reference.data.values : await nums(sb, 'linspace', start, stop, count).catch(() => reference.data.values);
  let activations: number[] = [];
  await section(async () => {
    activations = [];
    for (const v of data) activations.push(await num(sb, 'sigmoid', v));
    return [`Max of sigmoid : ${pythonFixed(max(activations), 3)}`, `Min of sigmoid : ${pythonFixed(min(activations), 3)} `, ''];
  });
  await section(async () => {
    const inputs = activations.length === data.length ? activations : (canonical ? reference.activations : []);
    if (inputs.length === 0) throw new Broken('sigmoid is needed first');
    const gradients: number[] = [];
    for (const a of inputs) gradients.push(await num(sb, 'sigmoidGradient', a));
    return [`Max of gradients : ${pythonFixed(max(gradients), 3)}`, `Min of gradients : ${pythonFixed(min(gradients), 3)}`];
  });
  lines.push('-- Inputs --', `steps : ${knobs.steps}`, `x value : ${pyNumber(knobs.x)}`);
  await section(async () => {
    const s = await num(sb, 'sigmoid', knobs.x);
    const g = await num(sb, 'sigmoidGradient', s);
    return [`sigmoid : ${pythonFixed(s, 5)}`, `gradient : ${pythonFixed(g, 5)} `, ''];
  });
  lines.push('-- Loop --');
  await section(async () => {
    const values = await nums(sb, 'simulateDecay', knobs.steps, knobs.x);
    return values.map((v, i) => `step ${i + 1} : ${pythonRepr(v)}`);
  });
  lines.push('');
  return { text: lines.join('\n') + '\n', complete };
}
