/**
 * The notebook's knobs ("try changing the range", "try x_tan = 2", ...) as text a student typed:
 * checked one by one, each with its own message, for `npm run plots` (flags) and for the live
 * page of `npm run dev` (inputs). One set of rules, so both say the same about the same value.
 */
import type { CheckedKnobs as Checked, LabKnobs as KnobsOf } from '../../lab-code';
import { knobReader, whole, type KnobRule } from '../../lib/knobs';
import { canonicalKnobs, type LabKnobs } from './probe';
import type { Reference } from './types';

/** Largest number of data points: each costs one call into the sandbox per function. */
export const MAX_POINTS = 5000;

/** Largest number of decay steps. */
export const MAX_STEPS = 1000;

/** A knob's name, as the live page's inputs and the query string call it. */
export type KnobName = 'start' | 'stop' | 'num' | 'xTan' | 'span' | 'steps' | 'x' | 'ylimLo' | 'ylimHi';

/** The knobs in the page's order. */
export const KNOB_NAMES: readonly KnobName[] = ['start', 'stop', 'num', 'xTan', 'span', 'steps', 'x', 'ylimLo', 'ylimHi'];

/** Knobs as typed: any may be missing (then the lab's value), the y-limits may be empty (no limit). */
export type RawKnobs = Partial<Record<KnobName, string>>;

/** The outcome of checking typed knobs: the knobs, or a message per knob that is wrong. */
export type CheckedKnobs = { ok: true; knobs: LabKnobs } | { ok: false; problems: Partial<Record<KnobName, string>> };

/** The knobs as text, from LabKnobs (the lab's values for the page's inputs). */
export function knobsAsText(k: LabKnobs): Record<KnobName, string> {
  return {
    start: String(k.range[0]), stop: String(k.range[1]), num: String(k.range[2]),
    xTan: String(k.xTan), span: String(k.span), steps: String(k.steps), x: String(k.x),
    ylimLo: k.ylim ? String(k.ylim[0]) : '', ylimHi: k.ylim ? String(k.ylim[1]) : '',
  };
}

/** Checks typed knobs against the rules, starting from `lab` for those not given. */
export function checkKnobs(raw: RawKnobs, lab: LabKnobs): CheckedKnobs {
  const text = { ...knobsAsText(lab), ...raw } as Record<KnobName, string>;
  const reader = knobReader(text);
  const problems = reader.problems as Partial<Record<KnobName, string>>;
  const num = (name: KnobName, rule?: KnobRule): number => reader.num(name, rule);
  const start = num('start');
  const stop = num('stop');
  const count = num('num', whole(2, MAX_POINTS));
  const xTan = num('xTan');
  const span = num('span', (n) => (n > 0 ? undefined : `a positive number, please (got ${n})`));
  const steps = num('steps', whole(1, MAX_STEPS));
  const x = num('x');
  // The y-limit is optional: both empty means none; one alone is a mistake.
  let ylim: [number, number] | undefined;
  const lo = text.ylimLo.trim(), hi = text.ylimHi.trim();
  if (lo !== '' || hi !== '') {
    if (lo === '') problems.ylimLo = 'give both limits, or neither';
    if (hi === '') problems.ylimHi = 'give both limits, or neither';
    if (lo !== '' && hi !== '') {
      const l = num('ylimLo');
      const h = num('ylimHi');
      if (!problems.ylimLo && !problems.ylimHi && !(l < h)) problems.ylimHi = `the upper limit must be above the lower one (${l})`;
      ylim = [l, h];
    }
  }
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, knobs: { range: [start, stop, count], xTan, span, steps, x, ...(ylim ? { ylim } : {}) } };
}


/** The knobs in one line, for headings and the terminal. */
export function describeKnobs(k: LabKnobs): string {
  return `data linspace(${k.range.join(', ')}) · tangent at x = ${k.xTan} (span ${k.span}) · decay: ${k.steps} steps at x = ${k.x}${k.ylim ? ` · y-limit ${k.ylim.join(' to ')}` : ''}`;
}

/** The knobs as the live page groups them and the plots command takes them. */
export const KNOBS: KnobsOf<LabKnobs> = {
  groups: [
    {
      legend: 'Data: linspace(start, stop, num)',
      knobs: [
        { name: 'start', label: 'start', help: 'a number (lab: -5; try -100)' },
        { name: 'stop', label: 'stop', help: 'a number (lab: 5; try 100)' },
        { name: 'num', label: 'num', help: `a whole number, 2 to ${MAX_POINTS} (lab: 100; try 1000)` },
      ],
    },
    {
      legend: 'Tangent',
      knobs: [
        { name: 'xTan', label: 'x_tan', help: 'where it touches (lab: 0; try 2)' },
        { name: 'span', label: 'span', help: 'half its length, above 0 (lab: 1.7)' },
      ],
    },
    {
      legend: 'Decay loop',
      knobs: [
        { name: 'steps', label: 'steps', help: `a whole number, 1 to ${MAX_STEPS} (lab: 6; try 10)` },
        { name: 'x', label: 'x', help: 'the input (lab: 0; try 1)' },
      ],
    },
    {
      legend: 'Compression y-limit (plt.ylim)',
      knobs: [
        { name: 'ylimLo', label: 'low', help: 'empty: none (try -0.5)' },
        { name: 'ylimHi', label: 'high', help: 'empty: none (try 1.5)' },
      ],
    },
  ],
  flags: [
    { flag: '--range', names: ['start', 'stop', 'num'], usage: '--range START,STOP,NUM   the data: linspace(START, STOP, NUM)        (lab: -5,5,100; try -100,100,1000)' },
    { flag: '--x-tan', names: ['xTan'], usage: '--x-tan X                where the tangent touches the sigmoid        (lab: 0; try 2)' },
    { flag: '--span', names: ['span'], usage: '--span S                 half the tangent\'s length                    (lab: 1.7)' },
    { flag: '--steps', names: ['steps'], usage: '--steps N                the decay loop\'s number of steps             (lab: 6; try 10)' },
    { flag: '--x', names: ['x'], usage: '--x X                    the decay loop\'s input                       (lab: 0; try 1)' },
    { flag: '--ylim', names: ['ylimLo', 'ylimHi'], usage: '--ylim LO,HI             the y-range of "Visualizing Compression"     (lab: none; try -0.5,1.5)' },
  ],
  canonical: (reference) => canonicalKnobs(reference as Reference),
  check: (raw, base) => checkKnobs(raw, base) as CheckedKnobs & Checked<LabKnobs>,
  asText: knobsAsText,
  describe: describeKnobs,
};
