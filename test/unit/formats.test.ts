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
import { renderGithub } from '../../grader/report/github';
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
    const xml = renderJunit({ ...wrong, tests: [...wrong.tests, { part: 'sigmoid', name: 'public: <&"\u0001>', visibility: 'public', status: 'fail', message: 'a < b & "c"', points: 0, maxPoints: 1 }] });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="vanishing-gradients"')).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(5);
    expect(xml.match(/<testcase /g)).toHaveLength(wrong.tests.length + 1);
    expect(xml.match(/<failure /g)).toHaveLength(wrong.tests.filter((t) => t.status === 'fail').length + 1);
    expect(xml).toContain('name="public: &lt;&amp;&quot;&gt;"');
    expect(xml).toContain('message="a &lt; b &amp; &quot;c&quot;"');
    expect(xml).not.toMatch(/\u0001/);
  });
  test('a run that graded nothing fails one case per part with the reason', () => {
    const xml = renderJunit(failedResult({ exercise: 'vanishing-gradients', submission: 's', status: 'compile-error', seed: 1, message: 'does not compile', parts: rubric.parts }));
    expect(xml.match(/<failure message="does not compile">/g)).toHaveLength(5);
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
  test('a missing submission or a grader failure is not gradable; a compile error is, at 0', () => {
    const base = { exercise: 'vanishing-gradients', submission: 's', seed: 1, message: 'm', parts: rubric.parts };
    expect(JSON.parse(renderPrairieLearn(failedResult({ ...base, status: 'missing' }))).gradable).toBe(false);
    expect(JSON.parse(renderPrairieLearn(failedResult({ ...base, status: 'kit-error' }))).gradable).toBe(false);
    const compile = JSON.parse(renderPrairieLearn(failedResult({ ...base, status: 'compile-error' })));
    expect([compile.gradable, compile.score]).toEqual([true, 0]);
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
