/**
 * `npm run release`: dist/student/ holds what a student needs and nothing of the solutions, the
 * hidden checks or their inputs; its `npm run grade` runs the public checks, draws the figures
 * and says the score is unofficial. (Installing with `npm ci` is left to the CI workflow and the
 * README's steps; here the kit's node_modules are linked in.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildRelease, checkRelease, keptBack, smokeTestRelease, type ReleaseSummary } from '../grader/tools/release';
import { solutionBodyLines } from '../grader/tools/make-stubs';
import type { GradeResult } from '../grader/result';
import type { KnobAnswer, LiveView } from '../grader/dev/session';
import { NO_REFERENCE_NOTE } from '../grader/render/overlay';
import { knobs, startDev, viewAtLeast } from './support/dev';

const ROOT = path.resolve(__dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-release-test-'));
let first: ReleaseSummary;
let second: ReleaseSummary;

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((f) => !f.startsWith('node_modules/') && !f.startsWith('build/'));
}

beforeAll(() => {
  // Two builds with different seeds: the hidden inputs depend on the seed, so identical answers
  // show that no hidden input was recorded.
  first = buildRelease(path.join(tmp, 'a'), 1);
  second = buildRelease(path.join(tmp, 'b'), 987654);
}, 240_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the student release', () => {
  test('holds the stubs, the public checks, their answers, the figures and a project of its own', () => {
    const files = filesUnder(first.dir);
    for (const f of ['exercises/vanishing-gradients.ts', 'reference/vanishing-gradients.json', 'reference/answers.json',
      'grader/labs/vanishing-gradients/suites/linspace.ts', 'grader/dev/main.ts', 'grader/dev/assets/live.js', 'grader/release.json', 'package.json', 'package-lock.json', 'tsconfig.json', 'README.md',
      'reference/figures/1-sigmoid-steepest-point.png', 'reference/figures/4-multiplying-small-numbers.png']) {
      expect(files).toContain(f);
    }
    expect(fs.readFileSync(path.join(first.dir, 'exercises', 'vanishing-gradients.ts'), 'utf8'))
      .toBe(fs.readFileSync(path.join(ROOT, 'exercises', 'vanishing-gradients.ts'), 'utf8'));
    const pkg = JSON.parse(fs.readFileSync(path.join(first.dir, 'package.json'), 'utf8'));
    const kit = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.grade).toBe('node grader/bin/grade.js');
    expect(pkg.scripts.dev).toBe('node grader/bin/dev.js');
    expect(pkg.dependencies).toEqual(kit.dependencies);
    const lock = JSON.parse(fs.readFileSync(path.join(first.dir, 'package-lock.json'), 'utf8'));
    expect(lock.packages[''].name).toBe(pkg.name);
    expect(lock.packages[''].dependencies).toEqual(pkg.dependencies);
    // One lab's release (the kit's default here): its package.json makes it the starter's lab, and
    // no other lab's package, stubs or reference ships.
    expect(pkg.kit).toEqual({ defaultLab: 'vanishing-gradients' });
    expect(files.filter((f) => /^grader\/labs\/(?!vanishing-gradients\/)|^exercises\/(?!vanishing-gradients\.ts$)|^reference\/[^/]+\.json$/.test(f) && f !== 'reference/answers.json' && f !== 'reference/vanishing-gradients.json')).toEqual([]);
    const readme = fs.readFileSync(path.join(first.dir, 'README.md'), 'utf8');
    expect(readme).not.toMatch(/\{\{/);
    expect(readme).toContain('npm run grade     # grades exercises/vanishing-gradients.ts');
    // The lab's words (its student.md), knobs and flags: no other lab's.
    expect(readme).toContain(fs.readFileSync(path.join(ROOT, 'grader', 'labs', 'vanishing-gradients', 'student.md'), 'utf8').trim());
    expect(readme).toContain('npm run plots -- --range START,STOP,NUM --x-tan X --span S --steps N --x X --ylim LO,HI');
    expect(readme).toContain('`x_tan`');
    expect(readme).toContain('(`--only linspace`)');
    expect(readme.replace(/\s+/g, ' ')).toContain(`runs them and ${first.hiddenTests} hidden tests as well`);
  });

  test('has no line of the solution bodies, no hidden check, no instructor-only file', () => {
    const lines = solutionBodyLines(fs.readFileSync(path.join(ROOT, 'solutions', 'vanishing-gradients.ts'), 'utf8'));
    expect(lines.length).toBeGreaterThan(10);
    const files = filesUnder(first.dir);
    for (const f of files) {
      const text = fs.readFileSync(path.join(first.dir, f)).toString('latin1');
      for (const line of lines) expect({ file: f, has: text.includes(line) ? line : undefined }).toEqual({ file: f, has: undefined });
      expect(text).not.toMatch(/check\(\s*'hidden'/);
    }
    expect(files.filter((f) => /^solutions\/|^test\/|^reference\/lab\/|suites\/hidden\/|mutants\.ts$|^grader\/tools\/|^grader\/platforms\//.test(f))).toEqual([]);
    expect(checkRelease(first.dir)).toEqual([]);
  });

  test('records no hidden input: two seeds give the same answers', () => {
    expect(first.hiddenTests).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(second.dir, 'reference', 'answers.json'), 'utf8'))
      .toBe(fs.readFileSync(path.join(first.dir, 'reference', 'answers.json'), 'utf8'));
    expect(second.hiddenTests).toBe(first.hiddenTests);
  });

  test('what stays in the kit, for every lab: hidden checks, mistakes, the reference generator, the instructor notes (a lab\'s README.md tells what the hidden tests check)', () => {
    for (const lab of ['vanishing-gradients', 'exploding-gradients', 'any-new-lab']) {
      for (const f of ['suites/hidden/index.ts', 'mutants.ts', 'mistakes.ts', 'oracle.py', 'README.md']) expect([f, keptBack(`grader/labs/${lab}/${f}`)]).toEqual([f, true]);
      for (const f of ['lab.json', 'student.md', 'suites/index.ts', 'index.ts']) expect([f, keptBack(`grader/labs/${lab}/${f}`)]).toEqual([f, false]);
    }
  });

  test('the leak check catches a solution line, a hidden check and a missing marker', () => {
    const bad = path.join(tmp, 'bad');
    fs.cpSync(first.dir, bad, { recursive: true });
    const line = solutionBodyLines(fs.readFileSync(path.join(ROOT, 'solutions', 'vanishing-gradients.ts'), 'utf8'))[0];
    fs.appendFileSync(path.join(bad, 'README.md'), `\n    ${line}\n`);
    fs.mkdirSync(path.join(bad, 'grader', 'labs', 'vanishing-gradients', 'suites', 'hidden'));
    fs.writeFileSync(path.join(bad, 'grader', 'labs', 'vanishing-gradients', 'suites', 'hidden', 'x.ts'), "check('hidden', 'x', async () => {});\n");
    fs.rmSync(path.join(bad, 'grader', 'release.json'));
    const problems = checkRelease(bad).join('\n');
    expect(problems).toContain(`README.md contains a line of the solution: ${line}`);
    expect(problems).toContain("grader/labs/vanishing-gradients/suites/hidden/x.ts stays in the instructor's kit");
    expect(problems).toContain('grader/labs/vanishing-gradients/suites/hidden/x.ts registers a hidden check');
    expect(problems).toContain('grader/release.json is missing');
  });

  test('npm run grade there: stubs 0 and unofficial, solution full marks on public checks, --official refused', () => {
    expect(smokeTestRelease(first.dir)).toEqual([]);
  }, 180_000);

  test('hints and figure sentences work there too, from the recorded answers', () => {
    const out = path.join(tmp, 'mistake.json');
    const r = spawnSync(process.execPath, ['grader/bin/grade.js', '--submission', path.join(ROOT, 'test', 'fixtures', 'mistake-decay-one-too-many'),
      '--format', 'json', '--out', out, '--quiet', '--report-dir', path.join(tmp, 'mistake-report')], { cwd: first.dir, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as GradeResult;
    const decay = result.parts.find((p) => p.name === 'simulateDecay')!;
    expect(decay.hints?.map((h) => h.id)).toEqual(['decay-one-too-many']);
    expect(result.figures?.find((f) => f.id === '4-multiplying-small-numbers')?.meaning).toEqual(['your decay has 7 steps; simulateDecay(6, 0) has 6']);
    expect(result.tests.every((t) => t.visibility === 'public')).toBe(true);
    expect(result.hiddenTests).toBe(first.hiddenTests);
  }, 120_000);

  test('npm run dev there: the live page draws the reference for the lab\'s knobs only, and the student\'s curves for any', async () => {
    const modules = path.join(first.dir, 'node_modules');
    if (!fs.existsSync(modules)) fs.symlinkSync(path.join(ROOT, 'node_modules'), modules, 'dir');
    const dev = await startDev(['--submission', path.join(ROOT, 'test', 'fixtures', 'wrong-sigmoid-mirrored'), '--seed', '1'], tmp, first.dir);
    try {
      const view = await viewAtLeast<LiveView>(dev.port, 1);
      expect(view.result.hiddenTests).toBe(first.hiddenTests);
      expect(view.figures.figures[0].notes).not.toContain(NO_REFERENCE_NOTE);
      expect(view.figures.figures[0].meaning).toContain('your sigmoid differs from the reference for every x');
      const moved = await knobs<KnobAnswer>(dev.port, 'xTan=2');
      if (!moved.ok) throw new Error(JSON.stringify(moved));
      expect(moved.figures.figures[0].notes).toContain(NO_REFERENCE_NOTE);
      expect(moved.figures.figures[0].meaning).toEqual([]);
      expect(JSON.stringify(moved.figures.figures[0].spec)).not.toContain('"who":"reference"');
    } finally {
      dev.child.kill('SIGINT');
      expect(await dev.exited).toBe(0);
    }
  }, 180_000);

  // The diagnoses read only the public calls there (the table has no other answer): a mistake
  // written in its own way is still named.
  test.each([
    ['linspace', 'linspace-integer-steps--floor-then-stop'],
    ['sigmoid', 'sigmoid-exp-plus-x--two-branches-slip-for-negative'],
    ['tangent', 'tangent-not-through-point--forgets-shift'],
    ['simulateDecay', 'decay-adds--sum-from-zero'],
  ])('the property-based hints work there too: %s, %s', (part, name) => {
    const out = path.join(tmp, `${name}.json`);
    const r = spawnSync(process.execPath, ['grader/bin/grade.js', '--submission', path.join(ROOT, 'test', 'mistakes', part, name),
      '--format', 'json', '--out', out, '--quiet', '--no-figures', '--report-dir', path.join(tmp, `${name}-report`)], { cwd: first.dir, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as GradeResult;
    expect(result.parts.find((p) => p.name === part)!.hints?.map((h) => h.id)).toEqual([name.split('--')[0]]);
  }, 120_000);
});
