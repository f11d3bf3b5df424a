/**
 * The notebook's knobs ("try changing the range", "try x_tan = 2", ...) as text a student typed:
 * checked one by one, each with its own message, for `npm run plots` (flags) and for the live
 * page of `npm run dev` (inputs). One set of rules, so both say the same about the same value.
 */
import type { LabKnobs } from '../stages/lab';

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

/** A number as a student may type it (no empty text, no `0x`, no Infinity). */
function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

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
  const problems: Partial<Record<KnobName, string>> = {};
  const text = { ...knobsAsText(lab), ...raw };
  const num = (name: KnobName, rule?: (n: number) => string | undefined): number => {
    const n = parseNumber(text[name]);
    if (n === undefined) {
      problems[name] = `${JSON.stringify(text[name].slice(0, 40))} is not a number`;
      return NaN;
    }
    const wrong = rule?.(n);
    if (wrong) problems[name] = wrong;
    return n;
  };
  const whole = (from: number, to: number) => (n: number): string | undefined => (Number.isInteger(n) && n >= from && n <= to ? undefined : `a whole number from ${from} to ${to}, please (got ${n})`);
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

/** True when two sets of knobs are the same (the lab's, for the reference). */
export function sameKnobs(a: LabKnobs, b: LabKnobs): boolean {
  return a.range.every((v, i) => v === b.range[i]) && a.xTan === b.xTan && a.span === b.span && a.steps === b.steps && a.x === b.x
    && (a.ylim === undefined) === (b.ylim === undefined) && (a.ylim === undefined || (a.ylim[0] === b.ylim![0] && a.ylim[1] === b.ylim![1]));
}

/** The knobs in one line, for headings and the terminal. */
export function describeKnobs(k: LabKnobs): string {
  return `data linspace(${k.range.join(', ')}) · tangent at x = ${k.xTan} (span ${k.span}) · decay: ${k.steps} steps at x = ${k.x}${k.ylim ? ` · y-limit ${k.ylim.join(' to ')}` : ''}`;
}
