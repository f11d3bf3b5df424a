/**
 * What every lab's knobs share (grader/labs/<id>/knobs.ts says which it has): numbers as a student
 * types them, checked the same on the live page of `npm run dev` and in `npm run plots`' flags.
 */
import { isDeepStrictEqual } from 'node:util';

/** A number as a student may type it (no empty text, no `0x`, no Infinity); undefined otherwise. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** True when two sets of a lab's knobs are the same (plain data: the lab's own, for the reference). */
export function sameKnobs(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(a, b);
}

/** A rule a knob's number must follow: undefined when it does, else what is wrong, in words. */
export type KnobRule = (n: number) => string | undefined;

/** A whole number from `from` to `to`. */
export const whole = (from: number, to: number): KnobRule => (n) => (Number.isInteger(n) && n >= from && n <= to ? undefined : `a whole number from ${from} to ${to}, please (got ${n})`);

/**
 * Reads typed knobs one by one: `num(name, rule)` is the knob's number (NaN when it is not one),
 * and `problems` collects a message per knob that cannot be used, so that every bad value is
 * named at once, on the page and on the command line alike.
 */
export function knobReader(text: Record<string, string>): { num: (name: string, rule?: KnobRule) => number; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const num = (name: string, rule?: KnobRule): number => {
    const n = parseNumber(text[name] ?? '');
    if (n === undefined) {
      problems[name] = `${JSON.stringify((text[name] ?? '').slice(0, 40))} is not a number`;
      return NaN;
    }
    const wrong = rule?.(n);
    if (wrong) problems[name] = wrong;
    return n;
  };
  return { num, problems };
}
