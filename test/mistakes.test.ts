/**
 * The mistake families. `test/mistakes/<part>/<mistake-id>--<how>/` holds a submission that makes
 * that one mistake in its own way (the solution with one function changed); `correct--<how>/` one
 * that is correct but written unusually. Each part's folder is graded as one class (`--batch`,
 * official, without figures: drawing is the fixture corpus's concern), and every student's result
 * must equal its golden `expected_results.json` beside the submission. The hints must be exactly
 * the family's, read from the folder's name: one hint, that id, on that part; correct submissions
 * get full marks and no hint. Regenerate the goldens with:
 * UPDATE_GOLDENS=1 npx jest test/mistakes.test.ts
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { GradeResult } from '../grader/result';
import { textKeys } from '../grader/feedback/hints';
import { OBSERVATION_TEXTS } from '../grader/feedback/observations';
import Ajv from 'ajv';
import { comparable, processesUnder, ROOT } from './support/fixtures';

const run = promisify(execFile);
const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'grader', 'result.schema.json'), 'utf8')));
const UPDATE = process.env.UPDATE_GOLDENS === '1';
const MISTAKES = path.join(ROOT, 'test', 'mistakes');
// The first lab's parts; a folder named for another lab (test/mistakes/<lab>/) is that lab's families, graded by its own test.
const parts = fs.readdirSync(MISTAKES).filter((d) => fs.statSync(path.join(MISTAKES, d)).isDirectory() && !fs.existsSync(path.join(ROOT, 'grader', 'labs', d, 'lab.json'))).sort();
const members = parts.flatMap((part) => fs.readdirSync(path.join(MISTAKES, part)).sort().map((name) => ({ part, name, family: name.split('--')[0] })));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-mistakes-'));
// Searchable by the sandboxes' own uids, so that the graders' scratch folders go inside it (TMPDIR).
fs.chmodSync(tmp, 0o755);

beforeAll(async () => {
  await Promise.all(parts.map((part) => run(process.execPath, [
    'grader/bin/grade.js', '--batch', path.join('test', 'mistakes', part), '--seed', '1', '--no-figures', '--jobs', '1',
    '--out', path.join(tmp, `${part}.csv`), '--report-dir', path.join(tmp, part), '--quiet',
  ], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp }, maxBuffer: 16 * 1024 * 1024 })));
}, 400_000);

afterAll(() => {
  expect(processesUnder(tmp)).toEqual([]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

function resultOf(part: string, name: string): GradeResult {
  return comparable(JSON.parse(fs.readFileSync(path.join(tmp, part, name, 'result.json'), 'utf8')) as GradeResult);
}

describe('mistake families', () => {
  test('every family has several ways of writing its mistake, and every id has a hint text', () => {
    // The lab's mistakes and diagnoses, and the kit's own observations (any lab's).
    const keys = new Set([...textKeys(), ...Object.keys(OBSERVATION_TEXTS).map((k) => k.split('@')[0])]);
    const sizes = new Map<string, number>();
    for (const m of members) {
      expect(m.name).toMatch(/^[a-z0-9-]+--[a-z0-9-]+$/);
      if (m.family === 'correct') continue;
      expect(keys).toContain(m.family);
      sizes.set(`${m.part}/${m.family}`, (sizes.get(`${m.part}/${m.family}`) ?? 0) + 1);
    }
    expect(sizes.size).toBeGreaterThanOrEqual(20);
    // Observations (one fact about the answers) may stand alone; the named mistakes have families.
    const single = [...sizes].filter(([, n]) => n < 2).map(([k]) => k);
    expect(single.every((k) => /out-of-range|not-half|power-ahead|squares/.test(k))).toBe(true);
  });

  test.each(members.map((m) => [`${m.part}/${m.name}`, m]))('%s matches its expected_results.json', (_, m) => {
    const { part, name } = m as (typeof members)[number];
    const actual = resultOf(part, name);
    const goldenPath = path.join(MISTAKES, part, name, 'expected_results.json');
    if (UPDATE) fs.writeFileSync(goldenPath, JSON.stringify(actual, null, 2) + '\n');
    if (!fs.existsSync(goldenPath)) throw new Error(`${part}/${name} has no expected_results.json: run UPDATE_GOLDENS=1 npx jest test/mistakes.test.ts`);
    expect(actual).toEqual(JSON.parse(fs.readFileSync(goldenPath, 'utf8')));
    expect(validate(actual) ? [] : validate.errors).toEqual([]);
    const text = fs.readFileSync(goldenPath, 'utf8');
    expect(text).not.toContain(ROOT);
    expect(text).not.toContain(tmp);
  });

  test.each(members.map((m) => [`${m.part}/${m.name}`, m]))('%s: exactly its family\'s hint, or none and full marks when correct', (_, m) => {
    const { part, name, family } = m as (typeof members)[number];
    const result = resultOf(part, name);
    const hints = Object.fromEntries(result.parts.filter((p) => p.hints?.length).map((p) => [p.name, p.hints!.map((h) => h.id)]));
    if (family === 'correct') {
      expect({ score: result.score, hints }).toEqual({ score: result.maxScore, hints: {} });
      return;
    }
    expect(hints).toEqual({ [part]: [family] });
    // The hint leads the part's feedback, and the part fails on its own (nothing to fix first).
    const p = result.parts.find((x) => x.name === part)!;
    expect(p.fixFirst).toEqual([]);
    expect(p.feedback[0]).toBe(`Hint: ${p.hints![0].text}`);
  });
});
