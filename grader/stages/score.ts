/**
 * Stage 5, score: tests become parts. A part's points are its passed share; its feedback is one
 * line per distinct failure, or a single line when the part is simply not written yet. When a part
 * fails and a part it calls fails too, the feedback names the one to fix first, instead of
 * repeating that part's failures (the failing tests stay listed in the results).
 */
import type { PartResult, PartStatus, TestResult } from '../result';
import type { Rubric } from '../lib/rubric';
import { AT_LOAD, partNotImplementedText } from '../outcomes';

/** Rounds points for display and totals (2 decimals). */
export function roundPoints(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Scores every rubric part from its tests; `output` is what the student's code printed, per function. */
export function score(tests: TestResult[], rubric: Rubric, output: Record<string, string> = {}): PartResult[] {
  const parts: PartResult[] = rubric.parts.map((part) => {
    const mine = tests.filter((t) => t.part === part.name);
    const passed = mine.filter((t) => t.status === 'pass').length;
    const failing = mine.filter((t) => t.status !== 'pass');
    let status: PartStatus;
    let feedback: string[];
    if (failing.some((t) => t.status === 'error')) {
      status = 'error';
      feedback = unique(failing);
    } else if (failing.length === 0) {
      status = 'pass';
      feedback = [];
    } else if (passed === 0 && failing.every((t) => t.outcome === 'not-implemented')) {
      status = 'not-implemented';
      feedback = [partNotImplementedText(part.name)];
    } else {
      status = passed > 0 ? 'partial' : 'fail';
      feedback = unique(failing);
    }
    const earned = mine.reduce((sum, t) => sum + t.points, 0);
    return {
      name: part.name,
      title: part.title,
      status,
      points: passed === mine.length && mine.length > 0 ? part.points : roundPoints(earned),
      maxPoints: part.points,
      passed,
      total: mine.length,
      feedback,
      fixFirst: [],
      ...(output[part.name] ? { output: output[part.name] } : {}),
    };
  });
  // Dependencies are read after every part has its own status.
  const byName = new Map(parts.map((p) => [p.name, p]));
  for (const part of parts) {
    if (part.status === 'pass' || part.status === 'not-implemented') continue;
    // When the file does not load, every part fails for that one reason: no order to suggest.
    if (failedAtLoad(tests.filter((t) => t.part === part.name && t.status !== 'pass'))) continue;
    const uses = rubric.parts.find((p) => p.name === part.name)?.uses ?? [];
    const broken = uses.filter((dep) => byName.get(dep)?.status !== 'pass');
    if (broken.length === 0) continue;
    part.fixFirst = broken;
    // Said instead of the part's own failures, which would mostly repeat the other part's.
    part.feedback = [fixFirstLine(part.name, broken)];
  }
  return parts;
}

/** What a part whose used parts fail says: fix those first. */
export function fixFirstLine(part: string, broken: readonly string[]): string {
  const list = broken.join(', ');
  return `${part} uses ${list}, which ${broken.length === 1 ? 'fails its' : 'fail their'} own tests: fix ${list} first, then look at ${part} again`;
}

/** Most feedback lines shown for one part; the test list has the rest. */
export const MAX_FEEDBACK_LINES = 4;

/** A message without its leading call (`f(0.5) threw …` → `threw …`): the failure's cause. */
function cause(message: string): string {
  return message.replace(/^\w+\(.*?\)(\.\w+)*:?\s*/, '');
}

/**
 * Distinct failures, in test order: one line per cause (the same exception from ten inputs is one
 * line). Calls that were not made (outcome `not-run`) only repeat an earlier failure of the same
 * function (it hung or exited once; later calls were skipped), so they are dropped when anything
 * else is said.
 */
export function unique(failing: readonly Pick<TestResult, 'message' | 'outcome'>[]): string[] {
  const byCause = new Map<string, { line: string; notRun: boolean }>();
  for (const t of failing) {
    const line = t.message ?? '';
    if (line && !byCause.has(cause(line))) byCause.set(cause(line), { line, notRun: t.outcome === 'not-run' });
  }
  const distinct = [...byCause.values()];
  const said = distinct.filter((d) => !d.notRun).map((d) => d.line);
  const kept = said.length > 0 ? said : distinct.slice(0, 1).map((d) => d.line);
  return kept.length > MAX_FEEDBACK_LINES
    ? [...kept.slice(0, MAX_FEEDBACK_LINES), `… and ${kept.length - MAX_FEEDBACK_LINES} more (see the tests below)`]
    : kept;
}

/** True when a part failed only because the file itself could not be loaded. */
function failedAtLoad(failing: readonly TestResult[]): boolean {
  return failing.length > 0 && failing.every((t) => AT_LOAD.has(t.outcome));
}
