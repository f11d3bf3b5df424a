/**
 * What a failing test's own message is followed by wherever a platform shows tests one by one
 * (Gradescope, PrairieLearn, JUnit): its part's hints and what to fix first. The part's feedback
 * says the same once for the whole part (text report, page, GitHub summary).
 */
import type { GradeResult, PartResult, TestResult } from '../result';
import { fixFirstLine } from '../stages/score';

/**
 * Whose knowledge the advice may use: `all` the tests', or `public` only (what a platform shows
 * before hidden results are published: a hint from a hidden input, or "fix X first" where X fails
 * only hidden tests, would tell of them).
 */
export type AdviceView = 'all' | 'public';

/** The part's "fix first" list and hints, as the view may know them. */
export function partAdvice(part: PartResult, view: AdviceView = 'all'): { fixFirst: string[]; hints: { id: string; text: string }[] } {
  if (view === 'public' && part.visible) return part.visible;
  return { fixFirst: part.fixFirst, hints: part.hints ?? [] };
}

/** The lines that follow a failing test's message: fix first, then the hints; none for a pass. */
export function adviceFor(result: GradeResult, test: TestResult, view: AdviceView = 'all'): string[] {
  if (test.status === 'pass') return [];
  const part = result.parts.find((p) => p.name === test.part);
  if (!part) return [];
  const { fixFirst, hints } = partAdvice(part, view);
  return [
    ...(fixFirst.length ? [fixFirstLine(part.name, fixFirst)] : []),
    ...hints.map((h) => `Hint: ${h.text}`),
  ];
}

/** A failing test's message followed by its advice, paragraph by paragraph. */
export function messageWithAdvice(result: GradeResult, test: TestResult, view: AdviceView = 'all'): string {
  return [test.message ?? '', ...adviceFor(result, test, view)].filter(Boolean).join('\n\n');
}
