/**
 * Gradescope's results.json (gradescope-autograders.readthedocs.io, "Autograder Specifications"):
 * one entry per test, hidden tests shown only after grades are published, student-controlled text
 * rendered as plain text (never Gradescope's HTML default). A pure function of the result.
 */
import type { GradeResult } from '../result';
import { renderText } from './text';
import { messageWithAdvice } from './advice';

/** One test as Gradescope reads it. */
export interface GradescopeTest {
  /** Points earned. */
  score: number;
  /** Points available. */
  max_score: number;
  /** 'passed' or 'failed'. */
  status: 'passed' | 'failed';
  /** `part › title`. */
  name: string;
  /** Feedback text. */
  output: string;
  /** How output is rendered: always plain text. */
  output_format: 'text';
  /** The part's function name. */
  tags: string[];
  /** 'visible' for public tests, 'after_published' for hidden ones. */
  visibility: 'visible' | 'after_published';
}

/** The whole results.json. */
export interface GradescopeResults {
  /** Total points. */
  score: number;
  /** The summary shown above the tests. */
  output: string;
  /** Render everything as text. */
  output_format: 'text';
  /** Tests render as text. */
  test_output_format: 'text';
  /** The overall result is visible. */
  visibility: 'visible';
  /** The tests. */
  tests: GradescopeTest[];
  /** The seed and result version, for instructors. */
  extra_data: Record<string, unknown>;
}

const round = (n: number): number => Math.round(n * 10000) / 10000;

/** Renders Gradescope's results.json. */
export function renderGradescope(result: GradeResult): string {
  const tests: GradescopeTest[] = result.tests.length > 0
    ? result.tests.map((t) => ({
      score: round(t.points),
      max_score: round(t.maxPoints),
      status: t.status === 'pass' ? 'passed' : 'failed',
      name: `${t.part} › ${t.name}`,
      output: t.status === 'pass' ? '' : messageWithAdvice(result, t),
      output_format: 'text',
      tags: [t.part],
      visibility: t.visibility === 'public' ? 'visible' : 'after_published',
    }))
    // Nothing ran (a compile error, say): one failed entry per part carries the reason.
    : result.parts.map((p) => ({
      score: 0, max_score: p.maxPoints, status: 'failed', name: p.name,
      output: result.message ?? 'not graded', output_format: 'text', tags: [p.name], visibility: 'visible',
    }));
  const doc: GradescopeResults = {
    score: result.score,
    output: renderText(result, { color: false, verbose: false }),
    output_format: 'text',
    test_output_format: 'text',
    visibility: 'visible',
    tests,
    extra_data: { seed: result.seed, status: result.status, resultVersion: result.version, ...(result.timings ? { timings: result.timings } : {}) },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
