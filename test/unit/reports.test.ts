import { renderText } from '../../grader/report/text';
import { renderGradescope, type GradescopeResults } from '../../grader/report/gradescope';
import { renderJson } from '../../grader/report/json';
import { sanitize } from '../../grader/report/sanitize';
import { failedResult, type GradeResult } from '../../grader/result';
import { KIT_ROOT } from '../../grader/lib/paths';
import { loadRubric } from '../../grader/lib/rubric';

const rubric = loadRubric();

function sample(): GradeResult {
  return {
    version: 1, exercise: 'vanishing-gradients', submission: 'exercises/vanishing-gradients.ts', status: 'graded', seed: 7,
    score: 30, maxScore: 40,
    parts: [
      { name: 'sigmoid', title: 'S', status: 'pass', points: 20, maxPoints: 20, passed: 2, total: 2, feedback: [], fixFirst: [] },
      { name: 'tangent', title: 'T', status: 'partial', points: 10, maxPoints: 20, passed: 1, total: 2, feedback: ['tangent(0).slope is 0.5, expected 0.25'], fixFirst: [] },
    ],
    tests: [
      { part: 'sigmoid', name: 'public: a', visibility: 'public', status: 'pass', points: 10, maxPoints: 10 },
      { part: 'sigmoid', name: 'hidden: b', visibility: 'hidden', status: 'pass', points: 10, maxPoints: 10 },
      { part: 'tangent', name: 'public: c', visibility: 'public', status: 'pass', points: 10, maxPoints: 10 },
      { part: 'tangent', name: 'hidden: d', visibility: 'hidden', status: 'fail', message: 'tangent(1.5).slope is 0.5, which is not the right value', points: 0, maxPoints: 10 },
    ],
    warnings: ['vanishing-gradients.ts:3:1 - error TS2322: nope'],
    lab: { text: '\nMax of x data : 5.0\n', complete: true },
    advisory: true,
  };
}

describe('text report', () => {
  test('lists parts with points and feedback, and ends with Score: X/Y', () => {
    const text = renderText(sample(), { color: false, verbose: true });
    expect(text).toMatch(/✓ sigmoid +20\/20/);
    expect(text).toContain('    tangent(0).slope is 0.5, expected 0.25');
    expect(text).toContain('Warnings');
    expect(text).toContain('  Max of x data : 5.0');
    expect(text.trimEnd().split('\n').pop()).toBe('Score: 30/40');
    expect(text).toContain('This score is advisory');
    expect(renderText({ ...sample(), advisory: false })).not.toContain('advisory');
    expect(text).not.toMatch(/\u001b\[/);
  });
  test('colour only when asked', () => {
    expect(renderText(sample(), { color: true, verbose: true })).toMatch(/\u001b\[32m✓/);
  });
  test('a failed run says why and still scores 0/max', () => {
    const r = failedResult({ exercise: 'vanishing-gradients', submission: 's.ts', status: 'compile-error', seed: 1, message: 'your code does not compile:\nx', parts: rubric.parts });
    const text = renderText(r);
    expect(text).toContain('Not graded: your code does not compile:');
    expect(text.trimEnd().split('\n').pop()).toBe('Score: 0/100');
  });
});

describe('gradescope report (gradescope-autograders.readthedocs.io specification)', () => {
  test('one entry per test with score, max_score, status, name, output, tags, visibility', () => {
    const doc = JSON.parse(renderGradescope(sample())) as GradescopeResults;
    expect(doc.score).toBe(30);
    expect(doc.output_format).toBe('text');
    expect(doc.tests).toHaveLength(4);
    expect(doc.tests[3]).toEqual({
      score: 0, max_score: 10, status: 'failed', name: 'tangent › hidden: d',
      output: 'tangent(1.5).slope is 0.5, which is not the right value', output_format: 'text',
      tags: ['tangent'], visibility: 'after_published',
    });
    expect(doc.tests[0].visibility).toBe('visible');
    expect(doc.extra_data.seed).toBe(7);
    for (const t of doc.tests) expect(Object.keys(t).sort()).toEqual(['max_score', 'name', 'output', 'output_format', 'score', 'status', 'tags', 'visibility']);
  });
  test('a run with no tests still gives one failed entry per part with the reason', () => {
    const r = failedResult({ exercise: 'vanishing-gradients', submission: 's.ts', status: 'kit-error', seed: 1, message: 'boom', parts: rubric.parts });
    const doc = JSON.parse(renderGradescope(r)) as GradescopeResults;
    expect(doc.score).toBe(0);
    expect(doc.tests.map((t) => t.name)).toEqual(rubric.parts.map((p) => p.name));
    expect(doc.tests.every((t) => t.output === 'boom' && t.status === 'failed')).toBe(true);
  });
});

describe('json report and sanitizing', () => {
  test('the record round-trips', () => {
    expect(JSON.parse(renderJson(sample()))).toEqual(sample());
  });
  test('paths, colour codes and control characters are removed; length is capped', () => {
    expect(sanitize(`at /tmp/vg-grade-abc/x.js and ${KIT_ROOT}/grader`, '/tmp/vg-grade-abc')).toBe('at <submission>/x.js and <kit>/grader');
    expect(sanitize('\u001b[31mred\u001b[0m\u0007')).toBe('red');
    expect(sanitize('x'.repeat(50), undefined, 10)).toBe('xxxxxxxxxx… (cut at 10 characters)');
  });
  test('GitHub workflow commands in student text are neutralized', () => {
    expect(sanitize('ok\n::set-output name=score::100\n  ::notice::x')).toBe('ok\n: :set-output name=score::100\n  : :notice::x');
  });
});
