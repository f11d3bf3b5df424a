/**
 * The mistake families of every lab. `test/mistakes/<part>/<mistake-id>--<how>/` holds a
 * submission of the kit's default lab that makes that one mistake in its own way (the solution
 * with one function changed); `test/mistakes/<lab-id>/<part>/…` the same for another lab (a folder
 * named after a lab of the kit). `correct--<how>/` is correct but written unusually, and
 * `unlisted--<how>/` makes a mistake the kit does not list. Each part's folder is graded as one
 * class (`--batch --lab`, official, without figures: drawing is the fixture corpus's concern), and
 * every student's result must equal its golden `expected_results.json` beside the submission. The
 * hints must be exactly the family's, read from the folder's name: one hint, that id, on that part;
 * correct submissions get full marks and no hint; unlisted ones no hint at all. Regenerate the
 * goldens with: UPDATE_GOLDENS=1 npx jest test/mistakes.test.ts
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { GradeResult } from '../grader/result';
import { OBSERVATION_TEXTS } from '../grader/feedback/observations';
import { labIds } from '../grader/lab';
import { defaultLabId } from '../grader/lib/paths';
import Ajv from 'ajv';
import { comparable, processesUnder, ROOT } from './support/fixtures';

const run = promisify(execFile);
const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'grader', 'result.schema.json'), 'utf8')));
const UPDATE = process.env.UPDATE_GOLDENS === '1';
const MISTAKES = path.join(ROOT, 'test', 'mistakes');
const isDir = (p: string): boolean => fs.statSync(p).isDirectory();

/** Each lab's folder of parts: a folder named after a lab is that lab's; the others are the default lab's parts. */
const labs = labIds(ROOT);
const top = fs.readdirSync(MISTAKES).filter((d) => isDir(path.join(MISTAKES, d))).sort();
const groups = [
  { lab: defaultLabId(ROOT), dir: MISTAKES, parts: top.filter((d) => !labs.includes(d)) },
  ...top.filter((d) => labs.includes(d)).map((lab) => ({ lab, dir: path.join(MISTAKES, lab), parts: fs.readdirSync(path.join(MISTAKES, lab)).filter((d) => isDir(path.join(MISTAKES, lab, d))).sort() })),
].filter((g) => g.parts.length > 0);
const members = groups.flatMap((g) => g.parts.flatMap((part) => fs.readdirSync(path.join(g.dir, part)).sort()
  .map((name) => ({ lab: g.lab, dir: path.join(g.dir, part, name), part, name, family: name.split('--')[0] }))));
const label = (m: (typeof members)[number]): string => `${m.lab}/${m.part}/${m.name}`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-mistakes-'));
// Searchable by the sandboxes' own uids, so that the graders' scratch folders go inside it (TMPDIR).
fs.chmodSync(tmp, 0o755);

beforeAll(async () => {
  await Promise.all(groups.flatMap((g) => g.parts.map((part) => run(process.execPath, [
    'grader/bin/grade.js', '--batch', path.relative(ROOT, path.join(g.dir, part)), '--lab', g.lab, '--seed', '1', '--no-figures', '--jobs', '1',
    '--out', path.join(tmp, `${g.lab}-${part}.csv`), '--report-dir', path.join(tmp, g.lab, part), '--quiet',
  ], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp }, maxBuffer: 16 * 1024 * 1024 }))));
}, 400_000);

afterAll(() => {
  expect(processesUnder(tmp)).toEqual([]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

function resultOf(m: (typeof members)[number]): GradeResult {
  return comparable(JSON.parse(fs.readFileSync(path.join(tmp, m.lab, m.part, m.name, 'result.json'), 'utf8')) as GradeResult);
}

describe('mistake families', () => {
  test.each(groups.map((g) => [g.lab, g]))('%s: every named mistake has ways of being written and a hint text; each part a correct one', (lab, g) => {
    // The lab's texts and the kit's own observations (any lab's).
    const hints = (JSON.parse(fs.readFileSync(path.join(ROOT, 'grader', 'labs', lab as string, 'hints.json'), 'utf8')) as { hints: Record<string, string> }).hints;
    const keys = new Set([...Object.keys(hints), ...Object.keys(OBSERVATION_TEXTS)].map((k) => k.split('@')[0]));
    const sizes = new Map<string, number>();
    for (const m of members.filter((x) => x.lab === lab)) {
      expect(m.name).toMatch(/^[a-z0-9-]+--[a-z0-9-]+$/);
      if (m.family === 'correct' || m.family === 'unlisted') continue;
      expect(keys).toContain(m.family);
      sizes.set(`${m.part}/${m.family}`, (sizes.get(`${m.part}/${m.family}`) ?? 0) + 1);
    }
    expect(sizes.size).toBeGreaterThanOrEqual(9);
    // Observations (one fact about the answers) may stand alone; the named mistakes have families.
    const single = [...sizes].filter(([, n]) => n < 2).map(([k]) => k);
    expect(single.filter((k) => !/out-of-range|not-half|power-ahead|squares/.test(k))).toEqual([]);
    for (const part of (g as (typeof groups)[number]).parts) expect(members.some((m) => m.lab === lab && m.part === part && m.family === 'correct')).toBe(true);
  });

  test.each(members.map((m) => [label(m), m]))('%s matches its expected_results.json', (_, m) => {
    const member = m as (typeof members)[number];
    const actual = resultOf(member);
    const goldenPath = path.join(member.dir, 'expected_results.json');
    if (UPDATE) fs.writeFileSync(goldenPath, JSON.stringify(actual, null, 2) + '\n');
    if (!fs.existsSync(goldenPath)) throw new Error(`${label(member)} has no expected_results.json: run UPDATE_GOLDENS=1 npx jest test/mistakes.test.ts`);
    expect(actual).toEqual(JSON.parse(fs.readFileSync(goldenPath, 'utf8')));
    expect(actual.exercise).toBe(member.lab);
    expect(validate(actual) ? [] : validate.errors).toEqual([]);
    const text = fs.readFileSync(goldenPath, 'utf8');
    expect(text).not.toContain(ROOT);
    expect(text).not.toContain(tmp);
  });

  test.each(members.map((m) => [label(m), m]))('%s: exactly its family\'s hint, or none and full marks when correct', (_, m) => {
    const { part, family } = m as (typeof members)[number];
    const result = resultOf(m as (typeof members)[number]);
    const hints = Object.fromEntries(result.parts.filter((p) => p.hints?.length).map((p) => [p.name, p.hints!.map((h) => h.id)]));
    if (family === 'correct') {
      expect({ score: result.score, hints }).toEqual({ score: result.maxScore, hints: {} });
      return;
    }
    // A mistake the kit does not list: no hint at all (nothing it could say would be sure), it
    // loses marks on its part, and a part told to fix another first is told of that part only.
    if (family === 'unlisted') {
      expect(hints).toEqual({});
      expect(result.parts.find((x) => x.name === part)!.status).not.toBe('pass');
      expect(result.parts.flatMap((x) => x.fixFirst).filter((f) => f !== part)).toEqual([]);
      return;
    }
    expect(hints).toEqual({ [part]: [family] });
    // The hint leads the part's feedback, and the part fails on its own (nothing to fix first).
    const p = result.parts.find((x) => x.name === part)!;
    expect(p.fixFirst).toEqual([]);
    expect(p.feedback[0]).toBe(`Hint: ${p.hints![0].text}`);
  });
});
