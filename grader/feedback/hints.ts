/**
 * Stage 5b, hints: for each failing part, the classic mistakes (mutants.ts) whose answers match
 * the student's on the tests' own inputs. A mutant matches when, on every recorded call it can
 * answer, it agrees with the student, and on at least one the student disagrees with the solution;
 * so a correct implementation, however written, never gets a hint. Texts come from hints.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isClose } from '../lib/allclose';
import { loadAnswers, type Answers } from '../lib/answers';
import { KIT_ROOT } from '../lib/paths';
import { Opaque } from '../sandbox/wire';

/** A call the suites made and the value the student's function returned. */
export interface RecordedCall {
  /** The function. */
  fn: string;
  /** Its arguments. */
  args: unknown[];
  /** What it returned. */
  value: unknown;
}

/** A hint attached to a part. */
export interface Hint {
  /** The mistake's id (hints.json). */
  id: string;
  /** The text. */
  text: string;
}

/** The hint texts, by id (grader/feedback/hints.json). */
export function loadHints(file = path.join(KIT_ROOT, 'grader', 'feedback', 'hints.json'), answers: Answers = loadAnswers()): Record<string, string> {
  const hints = (JSON.parse(fs.readFileSync(file, 'utf8')) as { hints: Record<string, string> }).hints;
  for (const m of answers.mistakes) if (!hints[m.id]) throw new Error(`hints.json has no text for the mistake ${m.id}`);
  return hints;
}

const TOL = { rtol: 1e-7, atol: 1e-10 };

/** Deep closeness of a student's value to an expected one (numbers, arrays, tangents). */
export function closeTo(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number') return typeof actual === 'number' && isClose(actual, expected, TOL);
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => closeTo(actual[i], e));
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || actual instanceof Opaque) return false;
    return Object.keys(expected).every((k) => closeTo((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]));
  }
  return actual === expected;
}

/**
 * The hints for the given parts, from the recorded calls. A mistake matches when the student agrees
 * with the mutant on at least 3 in 4 of the calls the mutant can answer, and on at least one call
 * where the mutant and the solution disagree; a correct implementation agrees with the solution
 * there, so it can never match.
 */
export function findHints(calls: RecordedCall[], parts: string[], texts: Record<string, string> = loadHints(), answers: Answers = loadAnswers()): Record<string, Hint[]> {
  const out: Record<string, Hint[]> = {};
  for (const part of parts) {
    const mine = calls.filter((c) => c.fn === part && c.args.every((a) => typeof a === 'number'));
    for (const mutant of answers.mistakes.filter((m) => m.part === part)) {
      let considered = 0;
      let agreed = 0;
      let telling = false;
      for (const call of mine) {
        // Unknown answers (in the release: inputs outside the public tests) are not considered.
        const m = answers.mistake(mutant.key, call.args);
        const expected = answers.solve(part, call.args);
        if (!m?.ok || !expected?.ok) continue;
        considered++;
        if (!closeTo(call.value, m.value)) continue;
        agreed++;
        if (!closeTo(m.value, expected.value)) telling = true;
      }
      const known = (out[part] ?? []).some((h) => h.id === mutant.id);
      if (telling && agreed >= 0.75 * considered && !known) (out[part] ??= []).push({ id: mutant.id, text: texts[mutant.id] });
    }
  }
  return out;
}
