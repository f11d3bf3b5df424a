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
