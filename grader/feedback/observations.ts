/**
 * What the kit itself can see in any lab's wrong answers, whatever the lab: facts about the
 * answers that point at where to look, each resting on a premise it checks on the evidence first.
 * A lab's own diagnoses (grader/labs/<id>/diagnoses/) speak first; these come when they say nothing.
 * Their texts are here, one catalog, worded for any function (`{fn}` is the function's name); a
 * lab's hints.json may give its own text for an id.
 *
 * - empty-slots: an array answer with empty slots (new Array(n) never filled: map skips them);
 * - kept-between-calls: the same arguments gave different answers: the function remembers
 *   something from one call to the next (a list outside it that grows, a counter);
 * - one-array-twice: two fields of the answer hold the same values where the right answer's
 *   differ: one array under two names (`y = x` shares an array, it does not copy it), so filling
 *   one filled the other;
 * - rounded: every wrong answer is the right one rounded to a few decimals (as a notebook prints);
 * - same-answer: one answer for every input, where the right answers differ (a constant, or all 0).
 */
import { isClose } from '../lib/allclose';
import { formatNumber } from '../lib/format';
import { encodeValue, Opaque } from '../sandbox/wire';
import type { Evidence, Finding } from './evidence';

/** The texts of the kit's own observations, by id (and `id@variant`). */
export const OBSERVATION_TEXTS: Readonly<Record<string, string>> = {
  'empty-slots': '{fn} returns arrays with empty slots: an array made with new Array(n) has none of its n places filled, and map and forEach skip empty places, so the callback never ran. Look at how you create the array you fill.',
  'kept-between-calls': '{fn} gave different answers when called twice with the same arguments: it keeps something from one call to the next (a list or a total outside the function, or an argument it changes). Each answer must depend on the arguments alone. Look at what your function reads that it did not get as an argument.',
  'one-array-twice': '{fn} gives {a} and {b} the same values, where they should differ: they are probably one and the same array under two names (assigning an array to another name shares it, it does not copy it), so writing the values of {b} overwrote {a}. Look at where you create {b}.',
  'rounded': 'Your answers from {fn} are the right ones rounded to {decimals}: the notebook rounds only when it prints. Keep the full precision in what the function returns.',
  'same-answer': '{fn} gave the same answer, {value}, for every input the tests tried, where the right answers differ from one input to the next. Look at whether the answer depends on the input at all (a value returned too early, or a result computed before the loop).',
  'same-answer@zero': '{fn} gave 0 for every input the tests tried, where the right answers are not 0. Look at whether the answer depends on the input at all (a total that starts at 0 and is never updated, or a value returned too early).',
};

/** A finding of the kit's, with the words its text needs. */
export interface KitFinding extends Finding {
  /** Words to put in the text's `{name}` places. */
  params: Record<string, string>;
  /** True when it makes every property of the answers unreliable: nothing that rests on them is said beside it. */
  decisive?: true;
}

/** The numbers of a value: itself, or an array's elements; undefined for any other shape. */
function numbersOf(v: unknown): number[] | undefined {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v) && v.every((e) => typeof e === 'number')) return v as number[];
  return undefined;
}

/** The numbers of an answer and of the right one, when they are of the same kind (a number each, or an array each). */
function numbersOfBoth(got: unknown, expected: unknown): [number[], number[]] | undefined {
  if (Array.isArray(got) !== Array.isArray(expected)) return undefined;
  const g = numbersOf(got);
  const w = numbersOf(expected);
  return g && w ? [g, w] : undefined;
}

/** `x` rounded to `d` decimals, as Python's round and JavaScript's toFixed agree on it (half away). */
function roundTo(x: number, d: number): number {
  const f = 10 ** d;
  return Math.sign(x) * Math.round(Math.abs(x) * f) / f;
}

/**
 * Rounded: on every wrong call the answer's numbers are the right ones rounded to the same number
 * of decimals (0 to 6), with at least one number that rounding changed. A wrong answer of any
 * other kind is a contradiction: the answers are then wrong in some other way too.
 */
function rounded(evidence: readonly Evidence<unknown[]>[]): number | undefined {
  const wrong = evidence.filter((e) => e.differs);
  // One wrong answer that happens to be a rounding (a 1 where 0.5 is right) is no pattern.
  if (wrong.length < 2) return undefined;
  for (let d = 0; d <= 6; d++) {
    // Rounding must have changed a number into one that is not 0, on two wrong calls or more:
    // values rounded away to 0 are what many other mistakes give too (the kit's "same answer", or
    // the lab's own diagnoses).
    let changedCalls = 0;
    const fits = wrong.every((e) => {
      const both = numbersOfBoth(e.got, e.expected);
      if (!both || both[0].length !== both[1].length) return false;
      const [got, want] = both;
      let changed = false;
      const ok = want.every((w, i) => {
        if (!Number.isFinite(w)) return Object.is(got[i], w);
        const r = roundTo(w, d);
        if (r !== w && r !== 0) changed = true;
        return isClose(got[i], r, { rtol: 1e-12, atol: 1e-12 });
      });
      if (changed) changedCalls++;
      return ok;
    });
    if (fits && changedCalls >= 2) return d;
  }
  return undefined;
}

/** A value as the wire writes it: equal keys, equal values (NaN, opaque values and all). */
const key = (v: unknown): string => JSON.stringify(encodeValue(v));

/**
 * Same answer: on three or more wrong calls whose right answers are not all the same, and on every
 * other call too ("for every input the tests tried"), the answer is one and the same number (or
 * one and the same array).
 */
function sameAnswer(evidence: readonly Evidence<unknown[]>[]): unknown {
  const wrong = evidence.filter((e) => e.differs);
  if (wrong.length < 3) return undefined;
  if (new Set(evidence.map((e) => key(e.got))).size !== 1) return undefined;
  const gotKeys = new Set(wrong.map((e) => key(e.got)));
  const wantKeys = new Set(wrong.map((e) => key(e.expected)));
  if (gotKeys.size !== 1 || wantKeys.size < 2) return undefined;
  const both = numbersOfBoth(wrong[0].got, wrong[0].expected);
  return both ? both[0] : undefined;
}

/** Two calls with the same arguments that gave answers not close to each other. */
function keptBetweenCalls(calls: readonly { args: unknown[]; value: unknown }[], close: (a: unknown, b: unknown) => boolean): boolean {
  const first = new Map<string, unknown>();
  for (const c of calls) {
    const k = JSON.stringify(encodeValue(c.args));
    if (!first.has(k)) {
      first.set(k, c.value);
      continue;
    }
    // The same value written the same way is the same answer (two Promises, two typed arrays: the
    // comparison of numbers cannot read them, the wire can).
    if (key(first.get(k)) !== key(c.value) && !close(first.get(k), c.value)) return true;
  }
  return false;
}

/** The array fields of an object answer, by name (numbers only). */
function arrayFields(v: unknown): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (!v || typeof v !== 'object' || Array.isArray(v)) return out;
  for (const [k, f] of Object.entries(v as Record<string, unknown>)) if (Array.isArray(f) && f.length >= 2 && f.every((e) => typeof e === 'number')) out.set(k, f as number[]);
  return out;
}

const sameNumbers = (a: number[], b: number[]): boolean => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

/**
 * One array twice: on every wrong call, two array fields of the answer hold exactly the same
 * values, where the right answer's two fields differ. The pair, or undefined.
 */
function oneArrayTwice(evidence: readonly Evidence<unknown[]>[]): [string, string] | undefined {
  const wrong = evidence.filter((e) => e.differs);
  if (wrong.length === 0) return undefined;
  let pair: [string, string] | undefined;
  for (const e of wrong) {
    const got = arrayFields(e.got);
    const want = arrayFields(e.expected);
    const names = [...got.keys()];
    let found: [string, string] | undefined;
    for (let i = 0; i < names.length && !found; i++) {
      for (let j = i + 1; j < names.length && !found; j++) {
        const [a, b] = [names[i], names[j]];
        const wa = want.get(a);
        const wb = want.get(b);
        if (wa && wb && !sameNumbers(wa, wb) && sameNumbers(got.get(a)!, got.get(b)!)) found = [a, b];
      }
    }
    if (!found || (pair && (pair[0] !== found[0] || pair[1] !== found[1]))) return undefined;
    pair = found;
  }
  return pair;
}

/**
 * The kit's observations on one part, most telling first; `calls` are all the part's recorded calls
 * (right ones included: a function that remembers may be right the first time).
 */
export function observe(fn: string, evidence: readonly Evidence<unknown[]>[], calls: readonly { args: unknown[]; value: unknown }[], close: (a: unknown, b: unknown) => boolean): KitFinding[] {
  if (!evidence.some((e) => e.differs)) return [];
  // An empty slot is never a value a function computed: said first (nothing else can be read).
  const hole = (v: unknown): boolean => v instanceof Opaque && v.kind === 'hole';
  if (evidence.some((e) => e.differs && Array.isArray(e.got) && e.got.some(hole))) return [{ id: 'empty-slots', params: { fn }, decisive: true }];
  if (keptBetweenCalls(calls, close)) return [{ id: 'kept-between-calls', params: { fn }, decisive: true }];
  const twice = oneArrayTwice(evidence);
  // Which of the two was written last is not known from the answers: the one the right answer
  // computes from the other (b, listed second in the contract's order) is the usual.
  if (twice) return [{ id: 'one-array-twice', params: { fn, a: twice[0], b: twice[1] }, decisive: true }];
  const d = rounded(evidence);
  if (d !== undefined) return [{ id: 'rounded', params: { fn, decimals: d === 0 ? 'whole numbers' : `${d} decimal${d === 1 ? '' : 's'}` } }];
  const same = sameAnswer(evidence);
  if (Array.isArray(same)) {
    const zero = same.every((v) => v === 0);
    return [{ id: 'same-answer', ...(zero ? { variant: 'zero' } : {}), params: { fn, value: same.length === 1 ? formatNumber(same[0]) : `[${same.slice(0, 4).map(formatNumber).join(', ')}${same.length > 4 ? ', …' : ''}]` } }];
  }
  return [];
}

/** A text with its `{name}` places filled. */
export function worded(text: string, params: Record<string, string> = {}): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}
