/**
 * The lab's knobs ("Try changing ..."): the weight, the number of steps, the clipping threshold
 * max_norm, and figure 1's data range. Typed as text by a student (the live page's inputs, the
 * plots command's flags) and checked one by one, each with its own message.
 */
import type { CheckedKnobs, LabKnobs, RawKnobs } from '../../lab-code';
import { knobReader, whole } from '../../lib/knobs';
import { labReference } from './reference';

/** The knobs of one run of the probe (plain JSON). */
export interface Knobs {
  /** The recurrent weight the growth loop multiplies by. */
  weight: number;
  /** The growth loop's number of steps (figures 2 and 3). */
  steps: number;
  /** The clipping threshold (figure 3). */
  maxNorm: number;
  /** Figure 1's data: numpy's linspace(start, stop, num), made by the kit. */
  range: { start: number; stop: number; num: number };
}

/** Largest number of data points: each costs one call into the sandbox per function. */
export const MAX_POINTS = 5000;
/** Largest number of steps: each costs three calls into the sandbox (a norm, a clipping, its norm). */
export const MAX_STEPS = 500;

/** A knob's name: the page's input, the query string's key and the key of its problem. */
export type KnobName = 'weight' | 'steps' | 'maxNorm' | 'start' | 'stop' | 'num';

/** The knobs as text, by knob name. */
export function asText(k: Knobs): Record<KnobName, string> {
  return {
    weight: String(k.weight), steps: String(k.steps), maxNorm: String(k.maxNorm),
    start: String(k.range.start), stop: String(k.range.stop), num: String(k.range.num),
  };
}

/** Checks typed knobs one by one, starting from `base` for those not given. */
export function check(raw: RawKnobs, base: Knobs): CheckedKnobs<Knobs> {
  const text: Record<string, string> = { ...asText(base) };
  for (const [name, value] of Object.entries(raw)) if (name in text && typeof value === 'string') text[name] = value;
  const { num, problems } = knobReader(text);
  const weight = num('weight');
  const steps = num('steps', whole(1, MAX_STEPS));
  const maxNorm = num('maxNorm', (n) => (n > 0 ? undefined : `a number greater than 0, please (got ${n})`));
  const start = num('start');
  const stop = num('stop', (n) => (Number.isFinite(start) && !(n > start) ? `the end must be above the start (${start})` : undefined));
  const count = num('num', whole(2, MAX_POINTS));
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, knobs: { weight, steps, maxNorm, range: { start, stop, num: count } } };
}

/** The knobs in one line, for headings and the terminal. */
export function describe(k: Knobs): string {
  return `data linspace(${k.range.start}, ${k.range.stop}, ${k.range.num}) · growth: ${k.steps} steps at weight ${k.weight} · clipping at max_norm ${k.maxNorm}`;
}

/** The knobs the lab offers. */
export const KNOBS: LabKnobs<Knobs> = {
  groups: [
    {
      legend: 'Figure 1: the data',
      knobs: [
        { name: 'start', label: 'start', help: 'where linspace starts (the lab: -5)' },
        { name: 'stop', label: 'stop', help: 'where it stops, above start (the lab: 5)' },
        { name: 'num', label: 'num', help: `how many points, a whole number from 2 to ${MAX_POINTS} (the lab: 100)` },
      ],
    },
    {
      legend: 'Figures 2 and 3: the growth loop',
      knobs: [
        { name: 'weight', label: 'weight', help: 'the recurrent weight multiplied at each step (the lab: 1.5; try 0.5 to see it vanish, 1.0 for neither)' },
        { name: 'steps', label: 'steps', help: `how many steps, a whole number from 1 to ${MAX_STEPS} (the lab: 10)` },
      ],
    },
    {
      legend: 'Figure 3: clipping',
      knobs: [
        { name: 'maxNorm', label: 'max_norm', help: 'the clipping threshold, a number greater than 0 (the lab: 5.0)' },
      ],
    },
  ],
  flags: [
    { flag: '--weight', names: ['weight'], usage: '--weight W             the recurrent weight (the lab: 1.5)' },
    { flag: '--steps', names: ['steps'], usage: `--steps N              the growth loop's steps, 1 to ${MAX_STEPS} (the lab: 10)` },
    { flag: '--max-norm', names: ['maxNorm'], usage: '--max-norm M           the clipping threshold, > 0 (the lab: 5.0)' },
    { flag: '--range', names: ['start', 'stop', 'num'], usage: `--range START,STOP,NUM figure 1's data, linspace(START, STOP, NUM), NUM 2 to ${MAX_POINTS} (the lab: -5,5,100)` },
  ],
  canonical(reference: unknown): Knobs {
    const k = labReference(reference).knobs;
    return { weight: k.weight, steps: k.steps, maxNorm: k.maxNorm, range: { start: k.range.start, stop: k.range.stop, num: k.range.num } };
  },
  check,
  asText,
  describe,
};
