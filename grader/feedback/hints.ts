/**
 * Stage 7, hints: what the student's answers say about the mistake in a failing part, in three
 * levels, the first that finds something wins:
 *
 * 1. match: the answers are a classic mistake's own (mutants.ts) on the tests' inputs;
 * 2. mistake: a property of the wrong answers names a known mistake however it was written
 *    (diagnoses/: a count, a gap, a sign, a ratio), holding on every wrong call that can tell;
 * 3. observation: a fact about the wrong answers (a value the function can never return); only
 *    the first that holds, in the order diagnoses/ lists them.
 *
 * Only calls where the student's answer differs from the solution's are evidence, so a correct
 * implementation, however written, never gets a hint. Texts come from hints.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isClose, type Tolerance } from '../lib/allclose';
import { loadAnswers, type Answers } from '../lib/answers';
import { currentLab, KIT_ROOT } from '../lib/paths';
import { toleranceOf } from '../lab';
import { Opaque } from '../sandbox/wire';
import type { RecordedCall } from '../sandbox/client';
import type { Diagnosis, Evidence, Finding } from './evidence';
import { observe, OBSERVATION_TEXTS, worded, type KitFinding } from './observations';

/**
 * The lab's property diagnoses by part (grader/labs/<id>/diagnoses/), most specific first; a lab
 * without any gives none. Loaded by path beside this module (the sources, or the build).
 */
function labDiagnoses(): Record<string, readonly Diagnosis<unknown[]>[]> {
  const base = path.join(__dirname, '..', 'labs', currentLab().id, 'diagnoses');
  if (!['.ts', '.js'].some((ext) => fs.existsSync(path.join(base, `index${ext}`)))) return {};
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(base) as { DIAGNOSES: Record<string, readonly Diagnosis<unknown[]>[]> }).DIAGNOSES;
}
let diagnosesLoaded: Record<string, readonly Diagnosis<unknown[]>[]> | undefined;
const DIAGNOSES = (): Record<string, readonly Diagnosis<unknown[]>[]> => (diagnosesLoaded ??= labDiagnoses());

/** A call the suites made and the value the student's function returned (as the sandbox keeps it). */
export type { RecordedCall };

/** A hint attached to a part. */
export interface Hint {
  /** The mistake's id (hints.json). */
  id: string;
  /** The text. */
  text: string;
}

/** The lab's file of hint texts (grader/labs/<id>/hints.json). */
export function hintsFile(): string {
  return path.join(KIT_ROOT, 'grader', 'labs', currentLab().id, 'hints.json');
}

/** The key of a finding's text in hints.json: `id`, or `id@variant`. */
function textKey(f: Finding): string {
  return f.variant ? `${f.id}@${f.variant}` : f.id;
}

/** Every text key the kit can ask for: each mistake's id, each diagnosis' id and variants. */
export function textKeys(answers: Answers = loadAnswers(), diagnoses: Record<string, readonly Diagnosis<unknown[]>[]> = DIAGNOSES()): string[] {
  const keys = new Set<string>(answers.mistakes.map((m) => m.id));
  for (const list of Object.values(diagnoses)) {
    for (const d of list) {
      keys.add(d.id);
      for (const v of d.variants ?? []) keys.add(textKey({ id: d.id, variant: v }));
    }
  }
  return [...keys].sort();
}

/** The hint texts, by key (grader/labs/<id>/hints.json); every key the kit can ask for must have one. */
export function loadHints(file = hintsFile(), answers: Answers = loadAnswers()): Record<string, string> {
  // A lab without hints.json has no texts: fine as long as it names no mistake and no diagnosis.
  const hints = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { hints: Record<string, string> }).hints : {};
  const missing = textKeys(answers).filter((k) => typeof hints[k] !== 'string' || !hints[k].trim());
  if (missing.length) throw new Error(`${path.relative(KIT_ROOT, file)} has no text for ${missing.join(', ')}`);
  return hints;
}

const TOL = { rtol: 1e-7, atol: 1e-10 };

/** Deep closeness of a student's value to an expected one (numbers, arrays, objects). */
export function closeTo(actual: unknown, expected: unknown, tol: Tolerance = TOL): boolean {
  if (typeof expected === 'number') return typeof actual === 'number' && isClose(actual, expected, tol);
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => closeTo(actual[i], e, tol));
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || actual instanceof Opaque) return false;
    return Object.keys(expected).every((k) => closeTo((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], tol));
  }
  return actual === expected;
}


/** The part's recorded calls whose right answer the kit knows, each marked right or wrong. */
export function evidenceFor(part: string, calls: readonly RecordedCall[], answers: Answers = loadAnswers()): Evidence<unknown[]>[] {
  // The part's tolerance, as its tests use it: "differs" means what a failing test means.
  const tol = toleranceOf(currentLab(), part);
  const out: Evidence<unknown[]>[] = [];
  for (const call of calls) {
    if (call.fn !== part) continue;
    // Unknown answers (in the release: inputs outside the public tests) are not evidence; nor are
    // calls that should have thrown (a missing RangeError is its test's own message). The trusted
    // code gets a copy of the arguments: a function that changes its argument (an array, say)
    // must not change the evidence.
    const expected = answers.solve(part, copied(call.args));
    if (!expected?.ok) continue;
    // A call that changed an argument in place, or returned one itself, is wrong whatever it returned.
    const touched = { ...(call.changed?.length ? { changed: call.changed } : {}), ...(call.returnedArgument !== undefined ? { returnedArgument: call.returnedArgument } : {}) };
    out.push({ args: call.args, got: call.value, expected: expected.value, differs: Object.keys(touched).length > 0 || !closeTo(call.value, expected.value, tol), ...touched });
  }
  return out;
}

/** A deep copy of arguments of any JSON shape (numbers, arrays, plain objects; NaN and -0 kept). */
function copied(args: readonly unknown[]): unknown[] {
  return structuredClone(args) as unknown[];
}

/**
 * Level 1: the classic mistakes whose answers the student's match on at least 3 in 4 of the calls
 * the mistake can answer, and on at least one call where the mistake and the solution disagree.
 */
function matchMistakes(part: string, calls: readonly RecordedCall[], answers: Answers): Finding[] {
  const mine = calls.filter((c) => c.fn === part);
  const found: Finding[] = [];
  for (const mutant of answers.mistakes.filter((m) => m.part === part)) {
    let considered = 0;
    let agreed = 0;
    let telling = false;
    for (const call of mine) {
      const m = answers.mistake(mutant.key, copied(call.args));
      const expected = answers.solve(part, copied(call.args));
      if (!m?.ok || !expected?.ok) continue;
      considered++;
      if (!closeTo(call.value, m.value)) continue;
      agreed++;
      // A list of equal values (all zeros, say) fits too many mistakes to tell this one.
      if (!closeTo(m.value, expected.value) && !degenerate(m.value)) telling = true;
    }
    if (telling && agreed >= 0.75 * considered) found.push({ id: mutant.id });
  }
  return found;
}

/** A list of two or more equal values. */
function degenerate(value: unknown): boolean {
  return Array.isArray(value) && value.length >= 2 && value.every((v) => Object.is(v, value[0]));
}

/** Levels 2 and 3: the part's diagnoses of one strength that fire on the evidence. */
function diagnose(part: string, evidence: readonly Evidence<unknown[]>[], strength: Diagnosis['strength']): Finding[] {
  if (!evidence.some((e) => e.differs)) return [];
  return (DIAGNOSES()[part] ?? []).filter((d) => d.strength === strength).flatMap((d) => d.find(evidence) ?? []);
}

/** The findings for one part: the first level that finds anything. */
export function findingsFor(part: string, calls: readonly RecordedCall[], answers: Answers = loadAnswers()): (Finding | KitFinding)[] {
  const matched = matchMistakes(part, calls, answers);
  if (matched.length) return matched;
  const evidence = evidenceFor(part, calls, answers);
  const tol = toleranceOf(currentLab(), part);
  const kit = observe(part, evidence, calls.filter((c) => c.fn === part), (a, b) => closeTo(a, b, tol));
  // Answers that change between calls with the same arguments, or one array under two names, make
  // every property of them unreliable (a span or an intercept that looks wrong is right): that is
  // said, and nothing that rests on them.
  if (kit[0]?.decisive) return kit;
  const named = diagnose(part, evidence, 'mistake');
  if (named.length) return named;
  // One observation at most: the first (most telling) fact, not a list of symptoms. The kit's
  // (answers rounded, one answer for every input) explain the lab's own symptoms, so they come first.
  if (kit.length) return kit;
  return diagnose(part, evidence, 'observation').slice(0, 1);
}

/** The hints for the given parts (those failing on their own), from the recorded calls. */
export function findHints(calls: RecordedCall[], parts: string[], texts: Record<string, string> = loadHints(), answers: Answers = loadAnswers()): Record<string, Hint[]> {
  const out: Record<string, Hint[]> = {};
  for (const part of parts) {
    const hints: Hint[] = [];
    for (const f of findingsFor(part, calls, answers)) {
      if (hints.some((h) => h.id === f.id)) continue;
      const params = 'params' in f ? f.params : undefined;
      // The lab's text for the id first (its own words), else the kit's catalog.
      const text = texts[textKey(f)] ?? texts[f.id] ?? OBSERVATION_TEXTS[textKey(f)] ?? OBSERVATION_TEXTS[f.id];
      hints.push({ id: f.id, text: worded(text, params) });
    }
    if (hints.length) out[part] = hints;
  }
  return out;
}
