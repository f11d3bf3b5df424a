/**
 * The answers the kit trusts: what the solution returns for a call, and what each classic mistake
 * (grader/labs/<id>/mutants.ts) returns. Everything that needs an expected value asks here: the suites,
 * the figures' reference series, the sentences on meaning and the hints.
 *
 * In the instructor's kit the answers are computed live from solutions/ and the mutants. The
 * student release has neither (they are the answers to the exercise); it carries a table instead
 * (reference/answers.json), recorded by `npm run release` from the calls the public tests, the
 * lab's figures and the hints make. A call outside the table is "unknown", and whoever asked
 * leaves out what needed it (a hidden test, a reference figure for other knobs, a sentence).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeValue, encodeValue } from '../sandbox/wire';
import { currentLab, KIT_ROOT } from './paths';
import type { Solution } from '../lab-code';

/** One trusted answer: a value, or the error the call throws (a RangeError for a bad count, say). */
export type Answer = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } };

/** A classic mistake the kit can recognise. */
export interface MistakeInfo {
  /** Unique among the mistakes: `part/id/n` (one hint can have several ways of being made). */
  key: string;
  /** Its id (the key of its text in the lab's hints.json). */
  id: string;
  /** The function it imitates. */
  part: string;
}

/** Gives each mistake its unique key, in order. */
function mistakeInfos(mutants: readonly { id: string; part: string }[]): MistakeInfo[] {
  const seen = new Map<string, number>();
  return mutants.map((m) => {
    const base = `${m.part}/${m.id}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return { key: `${base}/${n}`, id: m.id, part: m.part };
  });
}

/** Where the trusted answers come from. */
export interface Answers {
  /** 'solutions' in the instructor's kit; 'table' in the student release. */
  source: 'solutions' | 'table';
  /** The solution's answer to `fn(...args)`, or undefined when this kit cannot know it. */
  solve(fn: string, args: unknown[]): Answer | undefined;
  /** The mistakes the kit knows. */
  mistakes: readonly MistakeInfo[];
  /** What the mistake with this key returns for `args`, or undefined when unknown. */
  mistake(key: string, args: unknown[]): Answer | undefined;
}

/** Thrown by {@link asFunctions} for a call whose answer this kit does not have. */
export class Unanswerable extends Error {
  constructor(fn: string) {
    super(`${fn}: the answer for these inputs is not part of the student release`);
    this.name = 'Unanswerable';
  }
}

/** The student release's table of answers. */
export const ANSWERS_FILE = path.join(KIT_ROOT, 'reference', 'answers.json');
/** Set to a file path to record every answer given (used by `npm run release`). */
export const RECORD_ENV = 'VG_RECORD_ANSWERS';

/** One recorded answer, as stored in the table. */
export interface AnswerEntry {
  /** Whose answer: the solution's, or a mistake's. */
  of: 'solution' | 'mistake';
  /** The function (for the solution) or the mistake's key. */
  name: string;
  /** The arguments, wire-encoded (NaN, ±Infinity and -0 survive JSON). */
  args: unknown;
  /** The answer, with its value wire-encoded. */
  answer: { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } };
}

/** The table file's shape. */
export interface AnswersTable {
  /** Shape version. */
  version: 1;
  /** What the table is and where it came from. */
  note: string;
  /** The mistakes whose answers are in the table. */
  mistakes: MistakeInfo[];
  /** The answers. */
  entries: AnswerEntry[];
}

function keyOf(of: string, name: string, encodedArgs: unknown): string {
  return JSON.stringify([of, name, encodedArgs]);
}

function attempt(f: () => unknown): Answer {
  try {
    return { ok: true, value: f() };
  } catch (err) {
    const e = err as { name?: unknown; message?: unknown };
    return { ok: false, error: { name: typeof e?.name === 'string' ? e.name : 'Error', message: typeof e?.message === 'string' ? e.message : String(err) } };
  }
}

function modulePresent(base: string): boolean {
  return ['.ts', '.js'].some((ext) => fs.existsSync(base + ext));
}

/** Answers computed from solutions/ and the mutants, or undefined when they are not here (the release). */
function liveAnswers(): Answers | undefined {
  // Paths relative to this file hold both in the sources (grader/lib) and the build (build/grader/lib).
  const lab = currentLab();
  const solutionFile = path.join(__dirname, '..', '..', 'solutions', lab.submission.replace(/\.ts$/, ''));
  const mutantsFile = path.join(__dirname, '..', 'labs', lab.id, 'mutants');
  if (!modulePresent(solutionFile)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solution = require(solutionFile) as Record<string, (...a: unknown[]) => unknown>;
  // A lab may name no classic mistakes (then its hints rest on its diagnoses alone, if any).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MUTANTS } = (modulePresent(mutantsFile) ? require(mutantsFile) : { MUTANTS: [] }) as { MUTANTS: { id: string; part: string; run: (...a: unknown[]) => unknown }[] };
  const mistakes = mistakeInfos(MUTANTS);
  const byKey = new Map(mistakes.map((m, i) => [m.key, MUTANTS[i]]));
  return {
    source: 'solutions',
    solve: (fn, args) => (typeof solution[fn] === 'function' ? attempt(() => solution[fn](...args)) : undefined),
    mistakes,
    mistake: (key, args) => {
      const m = byKey.get(key);
      return m ? attempt(() => m.run(...args)) : undefined;
    },
  };
}

/** Reads a table of answers (the student release's). */
export function tableAnswers(file: string = ANSWERS_FILE): Answers {
  const table = JSON.parse(fs.readFileSync(file, 'utf8')) as AnswersTable;
  const map = new Map<string, Answer>();
  for (const e of table.entries) {
    map.set(keyOf(e.of, e.name, e.args), e.answer.ok ? { ok: true, value: decodeValue(e.answer.value) } : e.answer);
  }
  return {
    source: 'table',
    solve: (fn, args) => map.get(keyOf('solution', fn, encodeValue(args))),
    mistakes: table.mistakes,
    mistake: (key, args) => map.get(keyOf('mistake', key, encodeValue(args))),
  };
}

/** Wraps answers so that every one given is appended (JSON lines) to `file`. */
/** An answer as the table stores it (arguments and value wire-encoded). */
export function toEntry(of: AnswerEntry['of'], name: string, args: unknown[], answer: Answer): AnswerEntry {
  return {
    of, name, args: encodeValue(args),
    answer: answer.ok ? { ok: true, value: encodeValue(answer.value, { maxItems: 2_000_000, maxDepth: 16 }) } : answer,
  };
}

function recording(inner: Answers, file: string): Answers {
  const record = (of: AnswerEntry['of'], name: string, args: unknown[], answer: Answer | undefined): Answer | undefined => {
    if (answer) fs.appendFileSync(file, `${JSON.stringify(toEntry(of, name, args, answer))}\n`);
    return answer;
  };
  return {
    source: inner.source,
    solve: (fn, args) => record('solution', fn, args, inner.solve(fn, args)),
    mistakes: inner.mistakes,
    mistake: (key, args) => record('mistake', key, args, inner.mistake(key, args)),
  };
}

let loaded: Answers | undefined;

/** The kit's answers: live from the solutions when they are here, else the release's table. */
export function loadAnswers(): Answers {
  if (loaded) return loaded;
  const live = liveAnswers();
  let answers: Answers;
  if (live) answers = live;
  else if (fs.existsSync(ANSWERS_FILE)) answers = tableAnswers();
  else throw new Error(`the kit has neither solutions/ nor ${path.relative(KIT_ROOT, ANSWERS_FILE)}: it cannot know any expected value`);
  const file = process.env[RECORD_ENV];
  loaded = file ? recording(answers, file) : answers;
  return loaded;
}

/**
 * The lab's functions answered from `answers`, by name (any function the solution exports); a call
 * the kit cannot answer throws {@link Unanswerable}. A lab types it as its own functions.
 */
export function asFunctions<F = Solution>(answers: Answers): F {
  const call = (fn: string) => (...args: unknown[]): never => {
    const a = answers.solve(fn, args);
    if (!a) throw new Unanswerable(fn);
    if (a.ok) return a.value as never;
    const err = new Error(a.error.message);
    err.name = a.error.name;
    throw err;
  };
  const made = new Map<string, (...args: unknown[]) => never>();
  // Any name is a function of the lab's; `then` is not (so that nothing mistakes this for a promise).
  return new Proxy({}, {
    get: (_, name) => (typeof name === 'string' && name !== 'then' ? made.get(name) ?? made.set(name, call(name)).get(name) : undefined),
  }) as F;
}
