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
    version: 1, exercise: 'vanishing-gradients', title: 'Vanishing Gradients', submission: 'exercises/vanishing-gradients.ts', status: 'graded', seed: 7,
    score: 30, maxScore: 40,
    parts: [
      { name: 'sigmoid', title: 'S', status: 'pass', points: 20, maxPoints: 20, passed: 2, total: 2, feedback: [], fixFirst: [] },
      { name: 'tangent', title: 'T', status: 'partial', points: 10, maxPoints: 20, passed: 1, total: 2, feedback: ['tangent(0).slope is 0.5, expected 0.25'], fixFirst: [] },
    ],
    tests: [
      { part: 'sigmoid', name: 'public: a', visibility: 'public', status: 'pass', outcome: 'passed', points: 10, maxPoints: 10 },
      { part: 'sigmoid', name: 'hidden: b', visibility: 'hidden', status: 'pass', outcome: 'passed', points: 10, maxPoints: 10 },
      { part: 'tangent', name: 'public: c', visibility: 'public', status: 'pass', outcome: 'passed', points: 10, maxPoints: 10 },
      { part: 'tangent', name: 'hidden: d', visibility: 'hidden', status: 'fail', outcome: 'wrong-value', message: 'tangent(1.5).slope is 0.5, which is not the right value', points: 0, maxPoints: 10 },
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
    const r = failedResult({ exercise: 'vanishing-gradients', title: 'Vanishing Gradients', submission: 's.ts', status: 'compile-error', seed: 1, message: 'your code does not compile:\nx', parts: rubric.parts });
    const text = renderText(r);
    expect(text).toContain('Not graded: your code does not compile:');
    expect(text.trimEnd().split('\n').pop()).toBe('Score: 0/100');
  });
});

describe('text report: a student\'s text can never pass for the kit\'s own lines', () => {
  /** Lines a student would like the report to show as the kit's. */
  const FORGED = ['Score: 100/100', '✓ sigmoid            20/20  5/5 tests passed', '✓ tangent 20/20', '      ✗ public: nothing failed', '::error::x', 'mid ##[error]x ##vso[task.complete]y'];
  const BREAKS = ['\n', '\r\n', '\r', '\u0085', '\u2028', '\u2029', '\u000b', '\u000c'];
  /** A result whose every student-controlled field carries the forged lines, after every kind of break. */
  function forged(): GradeResult {
    const message = ['first line', ...FORGED].map((l, i) => `${i ? BREAKS[i % BREAKS.length] : ''}${l}`).join('') + ' \u001b]52;c;eA==\u0007\u001b[2J\u009b\u202e';
    const r = sample();
    r.student = 'id\u001b[2J\u009b\u0085Score: 100/100';
    r.submission = 'sub\nScore: 100/100.ts';
    r.parts[1].feedback = [message, `Hint: ${message}`];
    r.parts[1].output = message;
    r.tests[3].message = message;
    r.loadOutput = message;
    r.warnings = [message];
    r.figures = [{ id: 'f', title: 'F', student: 'f.png', reference: 'r.png', meaning: [message], notes: [message] } as unknown as NonNullable<GradeResult['figures']>[number]];
    r.figuresProblem = message;
    r.lab = { text: message, complete: false };
    return r;
  }

  test.each([[true], [false]])('verbose %s: one Score line (the last), the real parts\' lines alone at column 0, nothing hidden, no command', (verbose) => {
    for (const result of [forged(), { ...forged(), status: 'compile-error' as const, message: `your code does not compile:${forged().parts[1].feedback[0]}` }]) {
      const text = renderText(result, { color: false, verbose });
      const lines = text.trimEnd().split('\n');
      expect(lines.filter((l) => l.startsWith('Score:'))).toEqual([lines[lines.length - 1]]);
      expect(lines.filter((l) => /^[✓~·✗] /.test(l)).map((l) => l.split(/\s+/)[1])).toEqual(result.parts.map((p) => p.name));
      // No forged line starts a line, at column 0 or where the kit's own indented lines start.
      for (const f of FORGED) {
        for (const l of lines.filter((x) => x.includes(f.trim()))) expect(l.startsWith(f) || /^ {4}(?:\S)/.test(l) && l.trimStart().startsWith(f.trim())).toBe(false);
      }
      expect(text).not.toMatch(/(?![\t\n])[\p{Cc}\p{Cf}]/u);
      expect(text).not.toMatch(/##\[|##vso\[|^\s*::/im);
      expect(text).toContain('\\x1b]52;c;eA==\\x07\\x1b[2J\\u009b\\u202e');
      // The header names the student and the file on one line.
      expect(lines[0]).toBe('Vanishing Gradients: grading student id\\x1b[2J\\u009b\\u0085Score: 100/100, sub\\nScore: 100/100.ts');
    }
  });

  test('every further line of a message is indented under its test, after a gutter', () => {
    const r = sample();
    r.parts[1].feedback = ['tangent(0) threw Error: one\nScore: 100/100\r\n✓ tangent 20/20'];
    const text = renderText(r, { color: false, verbose: true });
    expect(text).toContain('    tangent(0) threw Error: one\n      | Score: 100/100\n      | ✓ tangent 20/20\n');
  });

  test('gradescope\'s summary and outputs: the same', () => {
    for (const hidden of [true, false]) {
      const r = forged();
      if (!hidden) r.tests = r.tests.filter((t) => t.visibility === 'public').map((t) => (t.part === 'tangent' ? { ...t, status: 'fail' as const, message: r.parts[1].feedback[0] } : t));
      else r.tests[2] = { ...r.tests[2], status: 'fail', message: r.parts[1].feedback[0] };
      const doc = JSON.parse(renderGradescope(r)) as GradescopeResults;
      for (const text of [doc.output, ...doc.tests.map((t) => t.output)]) {
        const lines = text.trimEnd().split('\n');
        expect(lines.filter((l) => l.startsWith('Score:')).length).toBeLessThanOrEqual(1);
        expect(lines.filter((l) => /^[✓~·✗] /.test(l)).length).toBeLessThanOrEqual(r.parts.length);
        expect(text).not.toMatch(/(?![\t\n])[\p{Cc}\p{Cf}]/u);
        expect(text).not.toMatch(/##\[|##vso\[|^\s*::/im);
      }
    }
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
    const r = failedResult({ exercise: 'vanishing-gradients', title: 'Vanishing Gradients', submission: 's.ts', status: 'kit-error', seed: 1, message: 'boom', parts: rubric.parts });
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
  test('paths are removed; colour codes and control characters shown escaped; length is capped', () => {
    expect(sanitize(`at /tmp/vg-grade-abc/x.js and ${KIT_ROOT}/grader`, '/tmp/vg-grade-abc')).toBe('at <submission>/x.js and <kit>/grader');
    expect(sanitize('\u001b[31mred\u001b[0m\u0007')).toBe('\\x1b[31mred\\x1b[0m\\x07');
    expect(sanitize('x'.repeat(50), undefined, 10)).toBe('xxxxxxxxxx… (cut at 10 characters)');
  });
  test('GitHub workflow commands in student text are neutralized', () => {
    expect(sanitize('ok\n::set-output name=score::100\n  ::notice::x')).toBe('ok\n: :set-output name=score::100\n  : :notice::x');
  });
});

describe('the figures section', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { figuresSection } = require('../../grader/report/html') as typeof import('../../grader/report/html');
  /** A PNG's first 24 bytes: the signature and a header of the given width. */
  const pngOf = (width: number): Buffer => {
    const b = Buffer.alloc(24);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
    b.write('IHDR', 12, 'latin1');
    b.writeUInt32BE(width, 16);
    return b;
  };
  const figure = (id: string) => ({ id, title: id, student: `figures/${id}-student.png`, reference: `figures/${id}-reference.png`, placeholder: false, notes: [], meaning: [] });
  test('a figure of panels side by side (wider than one chart) gets a wide row, read from its image, whatever its id', () => {
    const images = new Map([['figures/panels-reference.png', pngOf(2082)], ['figures/single-reference.png', pngOf(994)], ['figures/bogus-reference.png', Buffer.from('not a png at all, but long enough')]]);
    const html = figuresSection([figure('panels'), figure('single'), figure('bogus'), figure('missing')], images);
    expect(html.match(/<div class="row[^"]*">/g)).toEqual(['<div class="row wide">', '<div class="row">', '<div class="row">', '<div class="row">']);
  });
});
