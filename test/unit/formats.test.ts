/**
 * The platform formats against their documented shapes: the kit's JSON against its own schema
 * (every fixture golden), JUnit XML, PrairieLearn's results.json (score 0..1, 1 MB limit), and
 * the GitHub step summary.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { renderJunit } from '../../grader/report/junit';
import { renderPrairieLearn, PRAIRIELEARN_MAX_BYTES, type PrairieLearnResults } from '../../grader/report/prairielearn';
import { markdownText, renderGithub } from '../../grader/report/github';
import { renderHtml } from '../../grader/report/html';
import { renderGradescope } from '../../grader/report/gradescope';
import { failedResult, type GradeResult } from '../../grader/result';
import { loadRubric } from '../../grader/lib/rubric';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const goldens = fs.readdirSync(FIXTURES)
  .filter((d) => fs.existsSync(path.join(FIXTURES, d, 'expected_results.json')))
  .map((d) => [d, JSON.parse(fs.readFileSync(path.join(FIXTURES, d, 'expected_results.json'), 'utf8')).result as GradeResult] as const);
const wrong = goldens.find(([d]) => d === 'wrong-sigmoid-mirrored')![1];
const rubric = loadRubric();

describe('json: the result record and its schema (grader/result.schema.json)', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'grader', 'result.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  test.each(goldens.map(([d, r]) => [d, r]))('%s is valid', (_, result) => {
    expect(validate(result) ? [] : validate.errors).toEqual([]);
  });
  test('a record that breaks the shape is refused', () => {
    expect(validate({ ...wrong, status: 'great' })).toBe(false);
    expect(validate({ ...wrong, extra: 1 })).toBe(false);
  });
});

describe('junit', () => {
  test('one testsuite per part, one testcase per test, failures with messages, valid XML text', () => {
    const xml = renderJunit({ ...wrong, tests: [...wrong.tests, { part: 'sigmoid', name: 'public: <&"\u0001>', visibility: 'public', status: 'fail', outcome: 'wrong-value', message: 'a < b & "c"', points: 0, maxPoints: 1 }] });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="vanishing-gradients"')).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(5);
    expect(xml.match(/<testcase /g)).toHaveLength(wrong.tests.length + 1);
    expect(xml.match(/<failure /g)).toHaveLength(wrong.tests.filter((t) => t.status === 'fail').length + 1);
    // A control character is shown escaped (the kit's one sanitizer), never written raw (XML 1.0 cannot hold it).
    expect(xml).toContain('name="public: &lt;&amp;&quot;\\x01&gt;"');
    // (The part has a hint: it follows the message.)
    expect(xml).toContain('message="a &lt; b &amp; &quot;c&quot; Hint: ');
    expect(xml).not.toMatch(/\u0001/);
  });
  test('a run that graded nothing fails one case per part with the reason', () => {
    const xml = renderJunit(failedResult({ exercise: 'vanishing-gradients', title: 'Vanishing Gradients', submission: 's', status: 'compile-error', seed: 1, message: 'does not compile', parts: rubric.parts }));
    expect(xml.match(/<failure type="CompileError" message="does not compile">/g)).toHaveLength(5);
    expect(xml).toMatch(/<testsuites name="vanishing-gradients" tests="5" failures="5" errors="0"/);
    expect(xml).not.toMatch(/<error /);
  });
  test('a run the grader itself could not complete errs one case per part: counted as errors, not as failed answers', () => {
    const xml = renderJunit(failedResult({ exercise: 'vanishing-gradients', title: 'Vanishing Gradients', submission: 's', status: 'kit-error', seed: 1, message: 'the grader failed', parts: rubric.parts }));
    expect(xml.match(/<error type="GraderError" message="the grader failed">the grader failed<\/error>/g)).toHaveLength(5);
    expect(xml).not.toMatch(/<failure /);
    expect(xml).toMatch(/<testsuites name="vanishing-gradients" tests="5" failures="0" errors="5"/);
    expect(xml.match(/<testsuite [^>]*failures="0" errors="1"/g)).toHaveLength(5);
  });
});

describe('prairielearn', () => {
  const png = Buffer.alloc(60_000, 7);
  const images = new Map((wrong.figures ?? []).map((f) => [f.student, png] as const));
  test('score is a fraction; tests carry name, points, max_points, message, output; figures are data URIs', () => {
    const doc = JSON.parse(renderPrairieLearn(wrong, images)) as PrairieLearnResults;
    expect(doc.gradable).toBe(true);
    expect(doc.score).toBeCloseTo(wrong.score / wrong.maxScore, 4);
    expect(doc.tests).toHaveLength(wrong.tests.length);
    for (const t of doc.tests) expect(Object.keys(t).sort()).toEqual(['description', 'max_points', 'message', 'name', 'output', 'points']);
    expect(doc.images).toHaveLength(4);
    expect(doc.images[0].url.startsWith('data:image/png;base64,')).toBe(true);
  });
  test('the file stays under 1 MB: figures that do not fit are left out and said so', () => {
    const big = new Map((wrong.figures ?? []).map((f) => [f.student, Buffer.alloc(400_000, 1)] as const));
    const text = renderPrairieLearn(wrong, big);
    expect(Buffer.byteLength(text)).toBeLessThan(PRAIRIELEARN_MAX_BYTES);
    const doc = JSON.parse(text) as PrairieLearnResults;
    expect(doc.images.length).toBeLessThan(4);
    expect(doc.output).toMatch(/left out to stay under PrairieLearn's 1 MB limit/);
  });
  test('only a submission whose tests ran is gradable: one missing, not compiling or refused, or a grader failure, is not (PrairieLearn counts no attempt), and says why', () => {
    const base = { exercise: 'vanishing-gradients', title: 'Vanishing Gradients', submission: 's', seed: 1, message: 'your code does not compile:\ns.ts:1:1 - error', parts: rubric.parts };
    for (const status of ['missing', 'kit-error', 'compile-error', 'rejected'] as const) {
      const doc = JSON.parse(renderPrairieLearn(failedResult({ ...base, status }))) as PrairieLearnResults;
      expect({ status, gradable: doc.gradable, score: doc.score, message: doc.message }).toEqual({ status, gradable: false, score: 0, message: 'your code does not compile:' });
    }
    expect(JSON.parse(renderPrairieLearn(wrong)).gradable).toBe(true);
  });
});

describe('github summary', () => {
  test('a score table, what to fix with table cells escaped, and a link to the artifacts', () => {
    const md = renderGithub({ ...wrong, parts: wrong.parts.map((p) => (p.name === 'sigmoid' ? { ...p, feedback: ['a | b\nc'] } : p)) }, { artifactsUrl: 'https://example.invalid/runs/1#artifacts' });
    expect(md.split('\n')[0]).toBe(`## Vanishing Gradients: ${wrong.score}/${wrong.maxScore}`);
    expect(md).toContain('| 🟡 | `sigmoid` | 4/20 |');
    expect(md).toContain('a \\| b c');
    expect(md).toContain('[this run\'s artifacts](https://example.invalid/runs/1#artifacts)');
  });
});

describe('hints and what to fix first reach every platform, on the failing tests themselves', () => {
  const golden = (d: string): GradeResult => goldens.find(([name]) => name === d)![1];
  // A part failing on its own (with a hint), and a part failing because a used part fails.
  const hinted = golden('wrong-sigmoid-mirrored');
  const hint = hinted.parts.find((p) => p.name === 'sigmoid')!.hints![0].text;
  const fixFirst = hinted.parts.find((p) => p.name === 'tangent')!.feedback[0];
  const failing = (part: string) => hinted.tests.filter((t) => t.part === part && t.status !== 'pass');

  test('the fixture says both in its parts', () => {
    expect(hint).toMatch(/mirror image/);
    expect(fixFirst).toMatch(/^tangent uses sigmoid, which fails its own tests: fix sigmoid first/);
  });

  test('gradescope: every failing test\'s own output ends with the hint, or with what to fix first', () => {
    const doc = JSON.parse(renderGradescope(hinted)) as { tests: { name: string; output: string; status: string }[] };
    for (const part of ['sigmoid', 'tangent']) {
      const tests = doc.tests.filter((t) => t.name.startsWith(`${part} › `) && t.status === 'failed');
      expect(tests.length).toBe(failing(part).length);
      for (const t of tests) expect(t.output).toMatch(part === 'sigmoid' ? `\n\nHint: ${hint}` : fixFirst);
    }
    for (const t of doc.tests.filter((x) => x.status === 'passed')) expect(t.output).toBe('');
  });

  test('prairielearn: the test messages carry them', () => {
    const doc = JSON.parse(renderPrairieLearn(hinted)) as PrairieLearnResults;
    const sigmoid = doc.tests.filter((t) => t.name.startsWith('sigmoid › ') && t.points < t.max_points);
    expect(sigmoid.length).toBeGreaterThan(0);
    for (const t of sigmoid) expect(t.message).toContain(`Hint: ${hint}`);
    for (const t of doc.tests.filter((x) => x.name.startsWith('tangent › ') && x.points < x.max_points)) expect(t.message).toContain(fixFirst);
  });

  test('junit: the failure message attribute (one line) and its text (paragraphs) carry them', () => {
    const xml = renderJunit(hinted);
    const failures = [...xml.matchAll(/<testcase classname="vanishing-gradients\.sigmoid"[^>]*><failure type="WrongAnswer" message="([^"]*)">([^<]*)<\/failure>/g)];
    expect(failures.length).toBe(failing('sigmoid').length);
    for (const [, attr, body] of failures) {
      expect(attr).not.toMatch(/\n/);
      expect(attr).toContain(`Hint: ${hint.replace(/'/g, '&apos;')}`);
      expect(body).toContain(`\n\nHint: ${hint.replace(/'/g, '&apos;')}`);
    }
  });

  test('github summary: the part rows say them', () => {
    const md = renderGithub(hinted);
    // (Escaped for Markdown: GitHub shows the same text.)
    expect(md).toContain(markdownText(`Hint: ${hint}`));
    expect(md).toContain(markdownText(fixFirst));
  });
});

describe('the report page', () => {
  const golden = (d: string): GradeResult => goldens.find(([name]) => name === d)![1];
  const png = Buffer.from('89504e470d0a1a0a', 'hex');
  const imagesOf = (r: GradeResult): Map<string, Buffer> => new Map((r.figures ?? []).flatMap((f) => [f.student, f.reference, ...(f.overlay ? [f.overlay] : [])]).map((file) => [file, png] as const));

  test('a main landmark, a table with its header apart (a phone shows each part as a block), hints set apart from the failures', () => {
    const r = golden('wrong-sigmoid-mirrored');
    const page = renderHtml(r, imagesOf(r));
    expect(page).toMatch(/<body><main>[^]*<\/main>(<script>[^]*<\/script>)?<\/body>/);
    expect(page).toContain('<thead><tr><th>function</th>');
    expect(page).toMatch(/@media \(max-width: 640px\)/);
    const hint = r.parts.find((p) => p.name === 'sigmoid')!.hints![0].text;
    expect(page).toContain(`<p class="hint"><strong>Hint:</strong> ${hint}</p>`);
    expect(page).not.toContain(`<li>Hint: ${hint}</li>`);
  });

  test('alt texts say what a figure shows; yours is drawn over the reference where they differ, and only there', () => {
    const wrong = golden('wrong-sigmoid-mirrored');
    const wrongPage = renderHtml(wrong, imagesOf(wrong));
    expect(wrongPage).toContain('alt="Sigmoid Steepest Point, from your functions: your sigmoid differs from the reference for every x"');
    expect(wrongPage).toContain('alt="Sigmoid Steepest Point, your curves drawn over the reference&#39;s: your sigmoid differs from the reference for every x"'.replace('&#39;', "'"));
    const overlays = wrong.figures!.filter((f) => f.overlay);
    expect(overlays.map((f) => f.id)).toEqual(wrong.figures!.filter((f) => f.differingPixels !== 0 && !f.placeholder).map((f) => f.id));
    expect(overlays.length).toBeGreaterThan(0);
    expect((wrongPage.match(/Yours over the reference/g) ?? []).length).toBe(overlays.length);
    const right = golden('solution');
    expect(right.figures!.every((f) => f.differingPixels === 0 && f.overlay === undefined)).toBe(true);
    const rightPage = renderHtml(right, imagesOf(right));
    expect(rightPage).not.toContain('Yours over the reference');
    expect(rightPage).toContain('alt="Sigmoid Steepest Point, from your functions: it shows what the reference shows"');
  });

  test('figures open large on a click (one small script, only on a page with figures)', () => {
    const r = golden('wrong-sigmoid-mirrored');
    const page = renderHtml(r, imagesOf(r));
    expect(page.match(/<script>/g)).toHaveLength(1);
    expect(page).toContain("img.classList.toggle('large')");
    expect(page).toMatch(/img\.large \{ position: fixed;/);
    const noFigures = golden('syntax-error');
    expect(noFigures.figures).toBeUndefined();
    expect(renderHtml(noFigures, new Map())).not.toContain('<script>');
  });
});
