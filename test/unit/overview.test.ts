/**
 * The class overview's numbers and page, from results the fixtures' goldens hold (pure functions:
 * no batch is run here; test/batch.test.ts checks the page a real batch writes).
 */
import { renderOverviewHtml, summarizeClass, overviewCharts, type ClassEntry } from '../../grader/report/overview';
import type { GradeResult } from '../../grader/result';
import { goldenOf } from '../support/fixtures';

const entryOf = (id: string, fixture: string, status = 'graded'): ClassEntry => {
  const result = goldenOf(fixture)!.result as unknown as GradeResult;
  return { id, result, status, total: result.score, max: result.maxScore, detail: '' };
};

describe('the class overview', () => {
  const entries = [
    entryOf('zoe', 'solution'), entryOf('amy', 'wrong-sigmoid-mirrored'), entryOf('bob', 'wrong-sigmoid-mirrored'),
    entryOf('cy', 'stubs'), entryOf('<dee> & "co"', 'syntax-error', 'compile error'),
    { id: 'eve', status: 'missing', total: 0, max: 100, detail: 'no submission' },
  ];
  const o = summarizeClass(entries);

  test('students in the grades file\'s order (by code unit), the same under every locale: not localeCompare\'s', () => {
    const names = ['zed', 'äb', 'Öz', 'Bob', 'amy'];
    const page = summarizeClass(names.map((id) => ({ id, status: 'missing', total: 0, max: 100, detail: '' })));
    expect(page.entries.map((e) => e.id)).toEqual(['Bob', 'amy', 'zed', 'Öz', 'äb']);
  });

  test('counts: students, the graded ones, statuses, mean and median over everyone', () => {
    expect(o.students).toBe(6);
    expect(o.graded).toBe(4);
    expect(o.byStatus).toEqual({ graded: 4, 'compile error': 1, missing: 1 });
    const totals = entries.map((e) => e.total);
    expect(o.mean).toBeCloseTo(totals.reduce((a, b) => a + b, 0) / 6, 2);
    const sorted = [...totals].sort((a, b) => a - b);
    expect(o.median).toBe((sorted[2] + sorted[3]) / 2);
    expect(o.entries.map((e) => e.id)).toEqual(['<dee> & "co"', 'amy', 'bob', 'cy', 'eve', 'zoe']);
  });

  test('pass rates per part and per test are over the students whose code ran', () => {
    const sigmoid = o.parts.find((p) => p.name === 'sigmoid')!;
    expect(sigmoid).toEqual({ name: 'sigmoid', passed: 1, partial: 2, failed: 1, of: 4 });
    for (const t of o.tests) {
      const ran = entries.filter((e) => e.result?.status === 'graded').map((e) => e.result!.tests.find((x) => x.part === t.part && x.name === t.name));
      expect({ t: t.name, passed: t.passed, of: t.of }).toEqual({ t: t.name, passed: ran.filter((x) => x?.status === 'pass').length, of: ran.filter(Boolean).length });
    }
    // The hardest first.
    const rates = o.tests.map((t) => t.passed / t.of);
    expect(rates).toEqual([...rates].sort((a, b) => a - b));
  });

  test('hints: the most frequent first, with the students who got each', () => {
    expect(o.hints[0]).toMatchObject({ id: 'sigmoid-exp-plus-x', part: 'sigmoid', students: ['amy', 'bob'] });
  });

  test('the page: links encoded and names escaped; charts only when drawn, with their numbers in words', () => {
    const page = renderOverviewHtml(o, new Map(), 'seed 1', 'Charts are left out with --no-figures.');
    expect(page).toContain('<a href="%3Cdee%3E%20%26%20%22co%22/index.html">&lt;dee&gt; &amp; &quot;co&quot;</a>');
    expect(page).not.toContain('<dee>');
    // A student without a report (missing) is listed, not linked.
    expect(page).toContain('<tr><td>eve</td>');
    expect(page).toContain('Charts are left out with --no-figures.');
    expect(page).not.toContain('<img');
    const charts = overviewCharts(o);
    // Totals: 100 (zoe), 72 twice (the mirrored sigmoid), 0 three times (stubs, syntax error, missing).
    expect(entries.map((e) => e.total).sort((a, b) => a - b)).toEqual([0, 0, 0, 72, 72, 100]);
    expect(charts[0].alt).toBe('Score distribution of 6 students: 3 scored 0–10, 2 scored 70–80, 1 scored 90–100');
    expect(charts[1].alt).toContain('sigmoid 1 of 4 passed');
    const png = Buffer.alloc(24);
    png.writeUInt32BE(1040, 16);
    const drawn = renderOverviewHtml(o, new Map(charts.map((c) => [c.file, png])), 'seed 1');
    expect(drawn).toContain('<img src="overview/scores.png" alt="Score distribution of 6 students: ');
    expect(drawn).toContain('width="520"');
  });

  test('a stopped batch says how many were not graded yet, and that they count 0', () => {
    const stopped = summarizeClass([...entries, { id: 'zed', status: 'not graded', total: 0, max: 100, detail: '' }]);
    expect(renderOverviewHtml(stopped, new Map(), 'seed 1')).toContain('1 student was not graded yet (the batch was stopped): they count 0 here, as in grades.csv.');
    expect(renderOverviewHtml(o, new Map(), 'seed 1')).not.toContain('not graded yet');
  });

  test('the score bins hold every student once, full marks in the last', () => {
    const spec = overviewCharts(o)[0].spec as { data: { values: { count: number; label: string }[] } };
    expect(spec.data.values.reduce((s, b) => s + b.count, 0)).toBe(6);
    expect(spec.data.values[9]).toMatchObject({ label: '90–100', count: 1 });
  });
});
