/**
 * The class overview of a batch, for the instructor: the score distribution, the pass rate of
 * every part and every test, the hints the class got most and who got each, and a link to every
 * student's page. Pure functions: the students' results in, plain data (ClassOverview), Vega-Lite
 * specs and the page's HTML out. The batch writes it (batch/overview.ts).
 */
import type { GradeResult } from '../result';
import { CONFIG } from '../render/chart';
import { esc, STYLE } from './html';
import { byCodeUnit } from '../lib/order';
import { escapeLine } from './sanitize';

/** One student as the overview sees them. */
export interface ClassEntry {
  /** The student's id (their folder's or file's name). */
  id: string;
  /** Their report folder's name, beside the overview (the id when not given). */
  folder?: string;
  /** Their result, when a report was written for them. */
  result?: GradeResult;
  /** Their grades row's status (`graded`, `compile error`, …). */
  status: string;
  /** Points earned. */
  total: number;
  /** Points available. */
  max: number;
  /** The row's one-line detail. */
  detail: string;
}

/** A rate over the students it applies to. */
export interface Rate {
  /** Students who passed it. */
  passed: number;
  /** Students it was run for. */
  of: number;
}

/** The overview's numbers. */
export interface ClassOverview {
  /** The lab's title (from the students' results), when known. */
  title?: string;
  /** Students in the class (this shard). */
  students: number;
  /** Students whose code ran (a result with tests). */
  graded: number;
  /** Points available. */
  max: number;
  /** Every student's total, in the order of `entries`. */
  totals: number[];
  /** Mean and median total, over every student (not-graded ones count 0, as in grades.csv). */
  mean: number;
  /** Median total. */
  median: number;
  /** Students per row status. */
  byStatus: Record<string, number>;
  /** Per part, in rubric order: passed / partly / failed among the graded students. */
  parts: { name: string; passed: number; partial: number; failed: number; of: number }[];
  /** Per test, the hardest first. */
  tests: ({ part: string; name: string; visibility: string } & Rate)[];
  /** Hints, the most frequent first, with the students who got each. */
  hints: { id: string; text: string; part: string; students: string[] }[];
  /** Every student. */
  entries: ClassEntry[];
}

/** The overview's numbers, from the students' entries. */
export function summarizeClass(entries: readonly ClassEntry[], title?: string): ClassOverview {
  const sorted = [...entries].sort((a, b) => byCodeUnit(a.id, b.id));
  const labTitle = title ?? sorted.map((e) => e.result?.title).find((t): t is string => typeof t === 'string');
  const totals = sorted.map((e) => e.total);
  const ordered = [...totals].sort((a, b) => a - b);
  const median = ordered.length === 0 ? 0 : ordered.length % 2 ? ordered[(ordered.length - 1) / 2] : (ordered[ordered.length / 2 - 1] + ordered[ordered.length / 2]) / 2;
  const ran = sorted.filter((e) => e.result && e.result.status === 'graded');
  const byStatus: Record<string, number> = {};
  for (const e of sorted) byStatus[e.status] = (byStatus[e.status] ?? 0) + 1;
  const partNames = [...new Set(sorted.flatMap((e) => e.result?.parts.map((p) => p.name) ?? []))];
  const parts = partNames.map((name) => {
    const statuses = ran.map((e) => e.result!.parts.find((p) => p.name === name)?.status);
    return {
      name,
      passed: statuses.filter((s) => s === 'pass').length,
      partial: statuses.filter((s) => s === 'partial').length,
      failed: statuses.filter((s) => s !== undefined && s !== 'pass' && s !== 'partial').length,
      of: statuses.filter((s) => s !== undefined).length,
    };
  });
  const tests = new Map<string, ClassOverview['tests'][number]>();
  for (const e of ran) {
    for (const t of e.result!.tests) {
      const key = `${t.part}\n${t.name}`;
      const rate = tests.get(key) ?? { part: t.part, name: t.name, visibility: t.visibility, passed: 0, of: 0 };
      rate.of++;
      if (t.status === 'pass') rate.passed++;
      tests.set(key, rate);
    }
  }
  const hints = new Map<string, ClassOverview['hints'][number]>();
  for (const e of ran) {
    for (const p of e.result!.parts) {
      for (const h of p.hints ?? []) {
        // By id and text: one mistake may be told in words of its own per variant (which side of 0).
        const key = `${h.id}\n${h.text}`;
        const found = hints.get(key) ?? { id: h.id, text: h.text, part: p.name, students: [] };
        if (!found.students.includes(e.id)) found.students.push(e.id);
        hints.set(key, found);
      }
    }
  }
  const mean = totals.length ? totals.reduce((s, t) => s + t, 0) / totals.length : 0;
  return {
    ...(labTitle ? { title: labTitle } : {}),
    students: sorted.length,
    graded: ran.length,
    max: Math.max(0, ...sorted.map((e) => e.max)),
    totals,
    mean: Math.round(mean * 100) / 100,
    median,
    byStatus,
    parts,
    tests: [...tests.values()].sort((a, b) => a.passed / a.of - b.passed / b.of || byCodeUnit(a.part, b.part) || byCodeUnit(a.name, b.name)),
    hints: [...hints.values()].sort((a, b) => b.students.length - a.students.length || byCodeUnit(a.id, b.id)),
    entries: sorted,
  };
}

/** The overview's two charts, as Vega-Lite specs (file name → spec). */
export function overviewCharts(o: ClassOverview): { file: string; title: string; alt: string; spec: Record<string, unknown> }[] {
  const step = o.max > 0 ? o.max / 10 : 10;
  const bins = Array.from({ length: 10 }, (_, i) => {
    const from = i * step;
    const to = (i + 1) * step;
    // The last bin holds full marks too.
    const count = o.totals.filter((t) => t >= from && (i === 9 ? t <= to : t < to)).length;
    return { from, to, label: `${fmt(from)}–${fmt(to)}`, count };
  });
  const partRows = o.parts.flatMap((p) => ([['passed', p.passed], ['partly passed', p.partial], ['failed', p.failed]] as const).map(([outcome, n]) => ({ part: p.name, outcome, students: n, share: p.of ? n / p.of : 0 })));
  return [
    {
      file: 'overview/scores.png',
      title: 'Score distribution',
      alt: `Score distribution of ${o.students} students: ${bins.filter((b) => b.count > 0).map((b) => `${b.count} scored ${b.label}`).join(', ') || 'none'}`,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: CONFIG, width: 520, height: 240,
        title: { text: 'Score distribution' },
        data: { values: bins },
        mark: { type: 'bar', color: '#3b6fb6' },
        encoding: {
          x: { field: 'label', type: 'ordinal', sort: null, title: `score (of ${fmt(o.max)})`, axis: { labelAngle: 0 } },
          y: { field: 'count', type: 'quantitative', title: 'students', axis: { tickMinStep: 1, format: 'd' } },
        },
      },
    },
    {
      file: 'overview/parts.png',
      title: 'Each part: who passed it',
      alt: `Pass rate per part: ${o.parts.map((p) => `${p.name} ${p.passed} of ${p.of} passed`).join(', ')}`,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: CONFIG, width: 520, height: 30 * Math.max(1, o.parts.length),
        title: { text: 'Each part: who passed it' },
        data: { values: partRows },
        mark: { type: 'bar' },
        encoding: {
          y: { field: 'part', type: 'nominal', sort: o.parts.map((p) => p.name), title: null },
          x: { field: 'share', type: 'quantitative', stack: 'zero', title: 'share of the graded students', axis: { format: '%' }, scale: { domain: [0, 1] } },
          color: { field: 'outcome', type: 'nominal', title: null, scale: { domain: ['passed', 'partly passed', 'failed'], range: ['#2e7d32', '#f0b429', '#c62828'] }, legend: { orient: 'bottom', direction: 'horizontal' } },
          order: { field: 'outcome', sort: 'descending' },
        },
      },
    },
  ];
}

/** A PNG's width, from its header. */
function pngWidth(png: Buffer): number {
  return png.length >= 24 ? png.readUInt32BE(16) : 0;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function pct(passed: number, of: number): string {
  // Rounded down: 199 of 200 is 99%, never 100%.
  return of === 0 ? '–' : `${Math.floor((passed / of) * 100)}%`;
}

/** The link to a student's page, relative to the overview (a report folder's name is one path segment). */
function pageOf(folder: string): string {
  return `${encodeURIComponent(folder)}/index.html`;
}

/** How many student links a hint lists before "and N more". */
const HINT_STUDENTS_SHOWN = 30;

/** The overview page; `images` maps the charts' file names to PNG bytes (linked beside the page). */
export function renderOverviewHtml(o: ClassOverview, images: ReadonlyMap<string, Buffer>, heading: string, chartsProblem?: string, notes: readonly string[] = []): string {
  const charts = overviewCharts(o).map((c) => {
    const png = images.get(c.file);
    // Shown at the size it was drawn for (the PNG is twice that, for sharp text), smaller on a phone.
    return png ? `<figure><img src="${esc(c.file)}" alt="${esc(c.alt)}" width="${Math.round(pngWidth(png) / 2)}"></figure>` : '';
  }).join('');
  const folders = new Map(o.entries.map((e) => [e.id, e.folder ?? e.id]));
  const pageOfStudent = (id: string): string => pageOf(folders.get(id) ?? id);
  // An id is a file's name: shown with its hidden characters escaped, so that a bidi override
  // cannot make one student's row read as another's.
  const shownId = (id: string): string => esc(escapeLine(id));
  const statusLine = Object.entries(o.byStatus).map(([s, n]) => `${esc(s)} ${n}`).join(', ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title ? `${esc(o.title)}: c` : 'C'}lass overview</title><style>${STYLE}
.overview figure { margin: 1rem 0; } .overview img { max-width: 100%; height: auto; border: 1px solid #ddd; }
table.list { border-collapse: collapse; width: 100%; } table.list td, table.list th { border-bottom: 1px solid #eee; padding: .35rem .5rem; text-align: left; vertical-align: top; }
table.list td.num, table.list th.num { text-align: right; white-space: nowrap; }
@media (max-width: 640px) { table.list { font-size: .85rem; } table.list td, table.list th { padding: .3rem .25rem; } }
</style></head>
<body><main class="overview">
<h1>${o.title ? `${esc(o.title)}: c` : 'C'}lass overview</h1>
<div class="muted">${esc(heading)}</div>
<p><strong>${o.students}</strong> student${o.students === 1 ? '' : 's'} (${statusLine || 'none'}) · mean <strong>${o.mean}</strong> · median <strong>${o.median}</strong> of ${fmt(o.max)}</p>
${notes.map((n) => `<p class="advisory">${esc(escapeLine(n))}</p>\n`).join('')}${o.byStatus['not graded'] ? `<p class="advisory">${o.byStatus['not graded']} student${o.byStatus['not graded'] === 1 ? ' was' : 's were'} not graded yet (the batch was stopped): they count 0 here, as in grades.csv. Go on with --resume.</p>` : ''}
<h2>Scores and parts</h2>
${chartsProblem ? `<p class="muted">${esc(chartsProblem)}</p>` : ''}${charts}
<table class="list"><thead><tr><th scope="col">part</th><th scope="col" class="num">passed</th><th scope="col" class="num">partly</th><th scope="col" class="num">failed</th><th scope="col" class="num">pass rate</th></tr></thead><tbody>
${o.parts.map((p) => `<tr><td><code>${esc(p.name)}</code></td><td class="num">${p.passed}</td><td class="num">${p.partial}</td><td class="num">${p.failed}</td><td class="num">${pct(p.passed, p.of)}</td></tr>`).join('\n')}
</tbody></table>
<h2>The hints the class got most</h2>
${o.hints.length === 0 ? '<p class="muted">No student got a hint.</p>' : `<table class="list"><thead><tr><th scope="col" class="num">students</th><th scope="col">hint</th><th scope="col">who</th></tr></thead><tbody>
${o.hints.map((h) => `<tr><td class="num">${h.students.length}</td><td><code>${esc(h.part)}</code>: ${esc(h.text)}</td><td>${h.students.slice(0, HINT_STUDENTS_SHOWN).map((s) => `<a href="${esc(pageOfStudent(s))}">${shownId(s)}</a>`).join(', ')}${h.students.length > HINT_STUDENTS_SHOWN ? ` and ${h.students.length - HINT_STUDENTS_SHOWN} more` : ''}</td></tr>`).join('\n')}
</tbody></table>`}
<h2>Each test: who passed it (the hardest first)</h2>
<table class="list"><thead><tr><th scope="col">part</th><th scope="col">test</th><th scope="col" class="num">passed</th><th scope="col" class="num">rate</th></tr></thead><tbody>
${o.tests.map((t) => `<tr><td><code>${esc(t.part)}</code></td><td>${esc(t.name)}</td><td class="num">${t.passed}/${t.of}</td><td class="num">${pct(t.passed, t.of)}</td></tr>`).join('\n')}
</tbody></table>
<h2>Students</h2>
<table class="list"><thead><tr><th scope="col">student</th><th scope="col" class="num">score</th><th scope="col">status</th><th scope="col">first thing to fix</th></tr></thead><tbody>
${o.entries.map((e) => `<tr><td>${e.result ? `<a href="${esc(pageOfStudent(e.id))}">${shownId(e.id)}</a>` : shownId(e.id)}</td><td class="num">${fmt(e.total)}/${fmt(e.max)}</td><td>${esc(e.status)}</td><td>${esc(e.detail)}</td></tr>`).join('\n')}
</tbody></table>
</main></body></html>
`;
}
