/**
 * Gradescope's results.json (gradescope-autograders.readthedocs.io, "Autograder Specifications"):
 * one entry per test, hidden tests shown only after grades are published, student-controlled text
 * rendered as plain text (never Gradescope's HTML default). A pure function of the result.
 */
import type { GradeResult, TestResult } from '../result';
import { fixFirstLine, unique } from '../stages/score';
import { defuseCommands, escapeLine, escapeText, safeText } from './sanitize';
import { messageLines, renderText, warningLines } from './text';
import { messageWithAdvice, partAdvice } from './advice';

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

/**
 * The top-level output, which students always see. With hidden tests (shown only once grades are
 * published) it says only what the public tests say: per part the public tests passed, and for a
 * part with a failing public test its messages, hints and what to fix first (when that part fails
 * a public test too); never the total, never a hidden test's message. Without hidden tests it is
 * the text report, without the seed advice (a student cannot replay a seed on the platform).
 */
export function visibleSummary(result: GradeResult): string {
  const hidden = result.tests.filter((t) => t.visibility === 'hidden').length;
  if (hidden === 0) return renderText(result, { color: false, verbose: false, replay: false });
  const failingPublic = (part: string): TestResult[] => result.tests.filter((t) => t.part === part && t.visibility === 'public' && t.status !== 'pass');
  const width = Math.max(...result.parts.map((p) => p.name.length), 8);
  const out = [
    `${escapeLine(result.title)}: grading ${escapeLine(result.submission)}`, '',
    `Public tests only: ${hidden} hidden test${hidden === 1 ? '' : 's'} also ran; their results and your total appear when grades are published.`, '',
  ];
  for (const part of result.parts) {
    const shown = result.tests.filter((t) => t.part === part.name && t.visibility === 'public');
    const failing = failingPublic(part.name);
    out.push(`${failing.length ? '✗' : '✓'} ${part.name.padEnd(width)} ${shown.length - failing.length}/${shown.length} public tests passed`);
    if (failing.length === 0) continue;
    // The public tests' own view (computed once, when grading): used parts that fail a public test.
    const seen = partAdvice(part, 'public');
    const lines = seen.fixFirst.length
      ? [fixFirstLine(part.name, seen.fixFirst)]
      : [...seen.hints.map((h) => `Hint: ${h.text}`), ...unique(failing)];
    for (const line of lines) for (const l of messageLines('    ', line)) out.push(l);
  }
  if (result.warnings.length > 0) {
    out.push('');
    for (const line of warningLines(result.warnings)) out.push(line);
  }
  if (result.lab) {
    out.push('', "The lab's printed output, computed by your functions:");
    for (const line of escapeText(result.lab.text).replace(/\n$/, '').split('\n')) out.push(`  ${line}`);
  }
  return defuseCommands(out.join('\n')) + '\n';
}

/** Renders Gradescope's results.json. */
export function renderGradescope(result: GradeResult): string {
  const tests: GradescopeTest[] = result.tests.length > 0
    ? result.tests.map((t) => ({
      score: round(t.points),
      max_score: round(t.maxPoints),
      status: t.status === 'pass' ? 'passed' : 'failed',
      name: `${t.part} › ${t.name}`,
      // A visible test is seen before hidden results are published: its advice is the public tests' alone.
      // Shown as text on the page, and in logs when results.json is printed: escaped and defused.
      output: t.status === 'pass' ? '' : safeText(messageWithAdvice(result, t, t.visibility === 'public' ? 'public' : 'all')),
      output_format: 'text',
      tags: [t.part],
      visibility: t.visibility === 'public' ? 'visible' : 'after_published',
    }))
    // Nothing ran (a compile error, say): one failed entry per part carries the reason.
    : result.parts.map((p) => ({
      score: 0, max_score: p.maxPoints, status: 'failed', name: p.name,
      output: safeText(result.message ?? 'not graded'), output_format: 'text', tags: [p.name], visibility: 'visible',
    }));
  const doc: GradescopeResults = {
    score: result.score,
    output: visibleSummary(result),
    output_format: 'text',
    test_output_format: 'text',
    visibility: 'visible',
    tests,
    extra_data: { seed: result.seed, status: result.status, resultVersion: result.version, ...(result.isolation ? { isolation: result.isolation } : {}), ...(result.timings ? { timings: result.timings } : {}) },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
