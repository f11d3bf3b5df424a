/**
 * The second lab end to end, as a student and an instructor meet it: its file graded as that lab
 * without --lab (the stubs 0, the solution full marks with its three figures and the printed block
 * of its numpy notebook), and its student release (no solution, no hidden suite, and it grades).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GradeResult } from '../grader/result';
import { solutionBodyLines } from '../grader/tools/make-stubs';
import { checkRelease, smokeTestRelease } from '../grader/tools/release';
import { ROOT } from './support/fixtures';

const ID = 'exploding-gradients';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-lab2-'));
fs.chmodSync(tmp, 0o755);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Grades a file of the kit's, its lab chosen by the file's name (no --lab, no VG_LAB). */
function grade(file: string, name: string): { result: GradeResult; stdout: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', TMPDIR: tmp };
  delete env.VG_LAB;
  const r = spawnSync(process.execPath, ['grader/bin/grade.js', '--submission', file, '--seed', '1', '--report-dir', path.join(tmp, name)], { cwd: ROOT, env, encoding: 'utf8' });
  return { result: JSON.parse(fs.readFileSync(path.join(tmp, name, 'result.json'), 'utf8')) as GradeResult, stdout: r.stdout };
}

describe('the second lab, graded by its file\'s name', () => {
  test('its stubs: 0, every part not implemented yet, and the text says which lab and why', () => {
    const { result, stdout } = grade(`exercises/${ID}.ts`, 'stubs');
    expect([result.exercise, result.title, result.status, result.score, result.maxScore]).toEqual([ID, 'Exploding Gradients and Gradient Clipping', 'graded', 0, 100]);
    expect(result.parts.map((p) => [p.name, p.status])).toEqual(['relu', 'reluGradient', 'l2Norm', 'clipByNorm', 'simulateGrowth'].map((n) => [n, 'not-implemented']));
    expect(stdout).toContain(`Lab: ${ID} (from the file's name, ${ID}.ts)`);
  }, 120_000);

  test('its solution: full marks, its three figures drawn as the reference draws them, and the notebook\'s printed block', () => {
    const { result } = grade(`solutions/${ID}.ts`, 'solution');
    expect([result.status, result.score]).toEqual(['graded', 100]);
    expect(result.figures?.map((f) => [f.id, f.placeholder, f.differingPixels, f.meaning])).toEqual([
      ['1-relu-and-its-gradient', false, 0, []], ['2-multiplying-large-numbers', false, 0, []], ['3-clipping-by-norm', false, 0, []],
    ]);
    const reference = JSON.parse(fs.readFileSync(path.join(ROOT, 'reference', `${ID}.json`), 'utf8')) as { printed: string };
    expect(result.lab?.text).toContain('step 10 : 57.6650390625\n');
    expect(result.lab?.text).toBe(reference.printed);
    for (const f of result.figures!) expect(fs.statSync(path.join(tmp, 'solution', f.student)).size).toBeGreaterThan(1000);
  }, 120_000);
});

describe('the second lab\'s student release', () => {
  const dir = path.join(tmp, 'release');
  beforeAll(() => {
    const env = { ...process.env };
    delete env.VG_LAB;
    const r = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'grader/tools/release.ts', '--lab', ID, '--out', dir], { cwd: ROOT, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run release -- --lab ${ID} failed: ${r.stderr}`);
  }, 300_000);

  test('holds its lab alone, no line of its solution, no hidden suite, no classic mistakes', () => {
    expect(checkRelease(dir)).toEqual([]);
    const files: string[] = [];
    const walk = (d: string): void => { for (const e of fs.readdirSync(d, { withFileTypes: true })) { if (e.name === 'node_modules') continue; const p = path.join(d, e.name); if (e.isDirectory()) walk(p); else files.push(path.relative(dir, p)); } };
    walk(dir);
    expect(files).toContain(`exercises/${ID}.ts`);
    expect(files.filter((f) => /^solutions\/|suites\/hidden\/|mutants\.ts$|mistakes\.ts$|oracle\.py$|vanishing-gradients/.test(f))).toEqual([]);
    const lines = solutionBodyLines(fs.readFileSync(path.join(ROOT, 'solutions', `${ID}.ts`), 'utf8'));
    expect(lines.length).toBeGreaterThan(5);
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f)).toString('latin1');
      expect({ f, leaked: lines.filter((l) => text.includes(l)) }).toEqual({ f, leaked: [] });
    }
  });

  test('its README speaks of its lab: its words, its file, its knobs and flags', () => {
    const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(readme).not.toMatch(/\{\{|vanishing-gradients|x_tan|simulateDecay/);
    expect(readme).toContain(fs.readFileSync(path.join(ROOT, 'grader', 'labs', ID, 'student.md'), 'utf8').trim());
    expect(readme).toContain(`npm run grade     # grades exercises/${ID}.ts`);
    expect(readme).toMatch(/npm run plots -- .*--weight/);
    expect(readme).toContain('(`--only relu`)');
  });

  test('grades there: its stubs 0 with its three figures, its solution full marks on the public checks, --official refused', () => {
    expect(smokeTestRelease(dir)).toEqual([]);
  }, 300_000);
});
