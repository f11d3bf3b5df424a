/**
 * What the platforms' own readers make of the kit's outputs, for a correct, a wrong, a stub, a
 * hanging, a missing and a not compiling submission (the fixtures' goldens): JUnit against Jenkins'
 * schema (junit-10.xsd, by libxml2's xmllint compiled to WebAssembly: no system package needed);
 * Gradescope's documented results.json rules (hidden tests say nothing before publication, totals
 * add up); the GitHub step summary through cmark-gfm, GitHub's own Markdown (when installed: the
 * test says it is skipped otherwise); PrairieLearn's results shape; and a machine format on stdout
 * that is that format alone.
 */
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { validateXML } from 'xmllint-wasm';
import { renderJunit } from '../grader/report/junit';
import { renderGradescope, type GradescopeResults } from '../grader/report/gradescope';
import { renderGithub } from '../grader/report/github';
import { renderPrairieLearn, type PrairieLearnResults } from '../grader/report/prairielearn';
import { failedResult, type GradeResult } from '../grader/result';
import { FIXTURES, ROOT } from './support/fixtures';
import { which } from '../grader/sandbox/isolation';

const run = promisify(execFile);
const SCENARIOS = ['solution', 'wrong-sigmoid-mirrored', 'stubs', 'hangs-in-gradient', 'missing-submission', 'syntax-error'];
/** Every fixture with a golden: the schema and the totals hold for all of them, not only the six above. */
const ALL = fs.readdirSync(FIXTURES).filter((d) => fs.existsSync(path.join(FIXTURES, d, 'expected_results.json'))).sort();
const golden = (name: string): GradeResult => JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'expected_results.json'), 'utf8')).result as GradeResult;
const XSD = fs.readFileSync(path.join(__dirname, 'support', 'schemas', 'junit-10.xsd'), 'utf8');

/** Schema errors of a JUnit document (none when valid). */
async function junitErrors(xml: string): Promise<string[]> {
  const r = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [{ fileName: 'junit-10.xsd', contents: XSD }] });
  return r.valid ? [] : r.errors.map((e) => e.message);
}

describe('JUnit: valid against Jenkins\' junit-10.xsd, with times and failure types', () => {
  test.each(SCENARIOS)('%s', async (name) => {
    const xml = renderJunit(golden(name));
    expect(await junitErrors(xml)).toEqual([]);
    // Every testcase and suite has a time a reader can add up (dorny/test-reporter showed NaNms).
    for (const el of xml.match(/<(testcase|testsuite|testsuites) [^>]*>/g) ?? []) expect(el).toMatch(/ time="\d+\.\d{3}"/);
    for (const f of xml.match(/<(failure|error) [^>]*>/g) ?? []) expect(f).toMatch(/ type="[A-Za-z]+"/);
  });

  test('every fixture\'s golden, rendered as JUnit, is valid', async () => {
    const invalid: string[] = [];
    for (const name of ALL) {
      const errors = await junitErrors(renderJunit(golden(name)));
      if (errors.length) invalid.push(`${name}: ${errors[0]}`);
    }
    expect(invalid).toEqual([]);
  }, 60_000);

  test('a run the grader could not complete, its cases errors, is valid too', async () => {
    const solution = golden('solution');
    const xml = renderJunit(failedResult({ exercise: solution.exercise, title: solution.title, submission: 's', status: 'kit-error', seed: 1, message: 'the grader failed', parts: solution.parts }));
    expect(xml).toContain('<error type="GraderError"');
    expect(await junitErrors(xml)).toEqual([]);
  });

  test('the measured durations are the times, in seconds; the suites\' times are their sums', async () => {
    const r = golden('wrong-sigmoid-mirrored');
    const timed = { ...r, tests: r.tests.map((t, i) => ({ ...t, durationMs: 10 * (i + 1) })) };
    const xml = renderJunit(timed);
    expect(await junitErrors(xml)).toEqual([]);
    expect(xml).toContain(`name="${r.tests[0].name.replace(/'/g, '&apos;')}" time="0.010"`);
    const linspace = timed.tests.filter((t) => t.part === 'linspace').reduce((s, t) => s + t.durationMs, 0);
    expect(xml).toContain(`<testsuite name="linspace" tests="${r.tests.filter((t) => t.part === 'linspace').length}" failures="0" errors="0" skipped="0" time="${(linspace / 1000).toFixed(3)}">`);
  });

  test('the validator does catch what the schema forbids (a time that is not a number)', async () => {
    const xml = renderJunit(golden('solution')).replace(/time="[^"]*"/, 'time="NaN"');
    expect((await junitErrors(xml)).join('\n')).toMatch(/time/);
  });
});

describe('Gradescope: its documented rules', () => {
  const hundredths = (n: number): number => Math.round(n * 100);

  test.each(ALL)('%s: totals add up exactly, part by part and in all', (name) => {
    const r = golden(name);
    const doc = JSON.parse(renderGradescope(r)) as GradescopeResults;
    expect(hundredths(doc.tests.reduce((s, t) => s + t.score, 0))).toBe(hundredths(doc.score));
    for (const part of r.parts) {
      const tests = doc.tests.filter((t) => t.tags[0] === part.name);
      expect(hundredths(tests.reduce((s, t) => s + t.max_score, 0))).toBe(hundredths(part.maxPoints));
      expect(hundredths(tests.reduce((s, t) => s + t.score, 0))).toBe(hundredths(part.points));
    }
    for (const t of doc.tests) {
      expect(['visible', 'after_published']).toContain(t.visibility);
      expect(t.output_format).toBe('text');
      expect(t.score).toBeLessThanOrEqual(t.max_score);
    }
  });

  test.each(ALL)('%s: before publication, the always-visible output says nothing of hidden tests or the total', (name) => {
    const r = golden(name);
    const doc = JSON.parse(renderGradescope(r)) as GradescopeResults;
    const hidden = r.tests.filter((t) => t.visibility === 'hidden');
    expect(doc.output).not.toMatch(/--seed/);
    if (hidden.length === 0) return;
    expect(doc.output).not.toMatch(/Score:|\d+\/100/);
    for (const t of hidden.filter((x) => x.message)) {
      // A hidden test's message may repeat a public one's word for word (a load failure): only
      // messages no public test gives are secrets.
      if (r.tests.some((p) => p.visibility === 'public' && p.message === t.message)) continue;
      expect(doc.output).not.toContain(t.message);
    }
    expect(doc.output).toMatch(/hidden tests? also ran; their results and your total appear when grades are published/);
    // Nor do the visible tests' outputs: no hint the public tests' calls alone do not give, and no
    // part to fix first that fails only hidden tests.
    const failsPublic = (part: string): boolean => r.tests.some((t) => t.part === part && t.visibility === 'public' && t.status !== 'pass');
    const visibleTexts = [doc.output, ...doc.tests.filter((t) => t.visibility === 'visible').map((t) => t.output)].join('\n');
    for (const part of r.parts) {
      const seen = new Set((part.visible?.hints ?? []).map((h) => h.text));
      for (const h of part.hints ?? []) if (!seen.has(h.text)) expect(visibleTexts).not.toContain(h.text);
      for (const dep of part.fixFirst) if (!failsPublic(dep)) expect(visibleTexts).not.toContain(`fix ${dep} first`);
    }
  });
});

describe('Gradescope: nothing seen before publication tells of a hidden test', () => {
  const shown = (doc: GradescopeResults): string[] => [doc.output, ...doc.tests.filter((t) => t.visibility === 'visible').map((t) => t.output)];

  test('sigmoid fails only hidden tests: no visible test is told to fix sigmoid first, and the tangent\'s own hint is there', () => {
    const r = golden('fails-only-hidden-sigmoid');
    expect(r.tests.filter((t) => t.part === 'sigmoid' && t.status !== 'pass').every((t) => t.visibility === 'hidden')).toBe(true);
    // The result itself (the instructor's) knows sigmoid fails.
    expect(r.parts.find((p) => p.name === 'tangent')!.fixFirst).toEqual(['sigmoid']);
    const doc = JSON.parse(renderGradescope(r)) as GradescopeResults;
    for (const text of shown(doc)) expect(text).not.toMatch(/fix sigmoid first/);
    expect(doc.output).toMatch(/✓ sigmoid +3\/3 public tests passed/);
    const tangentTests = doc.tests.filter((t) => t.visibility === 'visible' && t.name.startsWith('tangent › ') && t.status === 'failed');
    expect(tangentTests.length).toBeGreaterThan(0);
    for (const t of tangentTests) expect(t.output).toMatch(/Hint: Your slope is not the sigmoid's gradient at xTan/);
  });

  test('a hint that only hidden inputs show (NaN for large x) is told on the hidden test only', () => {
    const r = golden('hint-only-hidden-inputs-tell');
    const sigmoid = r.parts.find((p) => p.name === 'sigmoid')!;
    expect(sigmoid.hints?.map((h) => h.id)).toEqual(['sigmoid-overflows']);
    expect(sigmoid.visible?.hints.map((h) => h.id)).toEqual(['sigmoid-not-half-at-zero']);
    const doc = JSON.parse(renderGradescope(r)) as GradescopeResults;
    const nan = sigmoid.hints![0].text;
    for (const text of shown(doc)) expect(text).not.toContain(nan);
    expect(doc.tests.filter((t) => t.visibility === 'after_published').some((t) => t.output.includes(nan))).toBe(true);
    expect(doc.output).toContain(sigmoid.visible!.hints[0].text);
  });
});

describe('PrairieLearn: its results shape', () => {
  test.each(SCENARIOS)('%s', (name) => {
    const r = golden(name);
    const doc = JSON.parse(renderPrairieLearn(r)) as PrairieLearnResults;
    expect(doc.score).toBeGreaterThanOrEqual(0);
    expect(doc.score).toBeLessThanOrEqual(1);
    expect(typeof doc.gradable).toBe('boolean');
    for (const t of doc.tests) {
      expect(t.points).toBeLessThanOrEqual(t.max_points);
      expect(typeof t.message).toBe('string');
    }
    expect(doc.output).not.toMatch(/--seed/);
    if (doc.gradable && r.maxScore > 0) expect(Math.round(doc.score * 10000)).toBe(Math.round((r.score / r.maxScore) * 10000));
  });
});

describe('GitHub step summary: student text stays text in GitHub\'s Markdown', () => {
  const cmark = which('cmark-gfm');
  const hostile = 'see ![pic](https://evil.example/x.png) and [link](https://evil.example) www.evil.example a@evil.example <b>bold</b> **s** `c` <https://evil.example> | cell';
  const result = (): GradeResult => {
    const r = golden('wrong-sigmoid-mirrored');
    return { ...r, parts: r.parts.map((p) => (p.name === 'sigmoid' ? { ...p, feedback: [`sigmoid(1) threw Error: ${hostile}`] } : p)) };
  };

  test('every ASCII punctuation of a student\'s text is escaped, and an e-mail cannot be joined', () => {
    const md = renderGithub(result());
    const row = md.split('\n').find((l) => l.includes('`sigmoid`'))!;
    expect(row).toContain('\\!\\[pic\\]\\(https\\:\\/\\/evil\\.example\\/x\\.png\\)');
    expect(row).toContain('a\\@\u200bevil\\.example');
  });

  (cmark ? test : test.skip)(cmark
    ? 'rendered by cmark-gfm (tables, autolinks): no image, no link, no tag but the artifacts link'
    : 'rendered by cmark-gfm: skipped, cmark-gfm is not installed here (Debian package cmark-gfm; .ci/run installs it)', () => {
    for (const r of [result(), ...SCENARIOS.map(golden)]) {
      const md = renderGithub(r, { artifactsUrl: 'https://github.example/o/r/actions/runs/1#artifacts' });
      const html = spawnSync(cmark!, ['-e', 'table', '-e', 'autolink', '-e', 'strikethrough', '-e', 'tagfilter'], { input: md, encoding: 'utf8' }).stdout;
      expect(html).toContain('<table>');
      const links = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
      expect(links.every((l) => l === 'https://github.example/o/r/actions/runs/1#artifacts')).toBe(true);
      expect(html).not.toMatch(/<img|<b>/);
      // The cell holding the student's text holds only text.
      const cells = (html.match(/<td>[^]*?<\/td>/g) ?? []).filter((c) => c.includes('evil'));
      if (r.parts.some((p) => p.feedback.some((f) => f.includes('evil')))) expect(cells.length).toBe(1);
      for (const cell of cells) expect(cell.slice(4, -5)).not.toMatch(/</);
    }
  });
});

describe('a machine format on stdout is that format alone', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-stdout-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  test.each([[[]], [['--quiet']]])('--format json %j: stdout parses as the result', async (extra) => {
    const { stdout } = await run(process.execPath, ['grader/bin/grade.js', '--submission', 'test/fixtures/solution', '--seed', '1', '--no-figures',
      '--format', 'json', '--report-dir', path.join(tmp, 'r'), ...(extra as string[])], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    expect(JSON.parse(stdout).score).toBe(100);
  }, 60_000);
  test('--format junit: stdout is the XML document and valid', async () => {
    const { stdout } = await run(process.execPath, ['grader/bin/grade.js', '--submission', 'test/fixtures/solution', '--seed', '1', '--no-figures',
      '--format', 'junit', '--report-dir', path.join(tmp, 'j')], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    expect(stdout.startsWith('<?xml')).toBe(true);
    expect(await junitErrors(stdout)).toEqual([]);
  }, 60_000);
});
