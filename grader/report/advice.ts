/**
 * What a failing test's own message is followed by wherever a platform shows tests one by one
 * (Gradescope, PrairieLearn, JUnit): its part's hints and what to fix first. The part's feedback
 * says the same once for the whole part (text report, page, GitHub summary).
 */
import type { GradeResult, TestResult } from '../result';
import { fixFirstLine } from '../stages/score';

/** The lines that follow a failing test's message: fix first, then the hints; none for a pass. */
export function adviceFor(result: GradeResult, test: TestResult): string[] {
  if (test.status === 'pass') return [];
  const part = result.parts.find((p) => p.name === test.part);
  if (!part) return [];
  return [
    ...(part.fixFirst.length ? [fixFirstLine(part.name, part.fixFirst)] : []),
    ...(part.hints ?? []).map((h) => `Hint: ${h.text}`),
  ];
}

/** A failing test's message followed by its advice, paragraph by paragraph. */
export function messageWithAdvice(result: GradeResult, test: TestResult): string {
  return [test.message ?? '', ...adviceFor(result, test)].filter(Boolean).join('\n\n');
}
