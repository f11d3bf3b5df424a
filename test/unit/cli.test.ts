import { parseArgs, usage, UsageError } from '../../grader/cli';

describe('parseArgs', () => {
  test('defaults', () => {
    expect(parseArgs([])).toEqual({ reportDir: 'grade-report', format: 'text', quiet: false, official: false, allowWeakIsolation: false, noFigures: false, help: false });
  });
  test('every option, in both spellings', () => {
    expect(parseArgs(['--submission', 'solutions', '--report-dir=r', '--format', 'gradescope', '--out', 'o.json', '--seed', '42', '--quiet', '--official', '--allow-weak-isolation', '--no-figures']))
      .toEqual({ submission: 'solutions', reportDir: 'r', format: 'gradescope', out: 'o.json', seed: 42, quiet: true, official: true, allowWeakIsolation: true, noFigures: true, help: false });
  });
  test.each([
    [['--format', 'xml'], /--format must be one of/],
    [['--seed', 'abc'], /--seed must be a whole number/],
    [['--seed', '0'], /--seed must be a whole number/],
    [['--submission'], /--submission needs a value/],
    [['--out', '--quiet'], /--out needs a value/],
    [['--frobnicate'], /unknown option --frobnicate/],
    [['solutions'], /did you mean --submission solutions/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseArgs(argv as string[])).toThrow(UsageError);
    expect(() => parseArgs(argv as string[])).toThrow(message as RegExp);
  });
});

describe('when the grader itself fails', () => {
  test('a valid result (score 0 and the reason) is still written to --out, and the exit status is 1', () => {
    // A copy of the built kit whose lab manifest is broken: the fault is the kit's, not the submission's.
    const fs = require('node:fs') as typeof import('node:fs');
    const os = require('node:os') as typeof import('node:os');
    const path = require('node:path') as typeof import('node:path');
    const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
    const root = path.resolve(__dirname, '..', '..');
    const kit = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-broken-kit-'));
    for (const part of ['package.json', 'build', 'reference', 'solutions']) fs.cpSync(path.join(root, part), path.join(kit, part), { recursive: true });
    fs.mkdirSync(path.join(kit, 'grader', 'labs', 'vanishing-gradients'), { recursive: true });
    fs.writeFileSync(path.join(kit, 'grader', 'labs', 'vanishing-gradients', 'lab.json'), '{ "parts": [ oops');
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(kit, 'node_modules'));
    const out = path.join(kit, 'results.json');
    const r = spawnSync(process.execPath, [path.join(kit, 'build', 'grader', 'cli.js'), '--submission', path.join(root, 'solutions'), '--format', 'gradescope', '--out', out, '--report-dir', path.join(kit, 'report')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    const results = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(results.score).toBe(0);
    expect(results.output).toMatch(/the grader failed \(not your fault; tell your instructor\)/);
    expect(results.extra_data.status).toBe('kit-error');
    fs.rmSync(kit, { recursive: true, force: true });
  });
});

describe('npm run plots: the knobs', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parsePlotsArgs: parse, PlotsUsageError } = require('../../grader/plots') as typeof import('../../grader/plots');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { KNOBS, MAX_POINTS } = require('../../grader/labs/vanishing-gradients/knobs') as typeof import('../../grader/labs/vanishing-gradients/knobs');
  type Knobs = import('../../grader/labs/vanishing-gradients/probe').LabKnobs;
  const parsePlotsArgs = (argv: string[], base: Knobs) => { const o = parse(argv, KNOBS as never, base); return { ...o, knobs: o.knobs as Knobs }; };
  const lab: Knobs = { range: [-5, 5, 100], xTan: 0, span: 1.7, steps: 6, x: 0 };
  test("the notebook's example knobs", () => {
    expect(parsePlotsArgs(['--range', '-100,100,1000', '--x-tan', '2', '--steps', '10', '--x', '1', '--ylim', '-0.5,1.5'], lab).knobs)
      .toEqual({ range: [-100, 100, 1000], xTan: 2, span: 1.7, steps: 10, x: 1, ylim: [-0.5, 1.5] });
    expect(parsePlotsArgs([], lab)).toEqual({ knobs: lab, outDir: 'grade-report/plots', help: false });
    expect(parsePlotsArgs(['--x=-3'], lab).knobs.x).toBe(-3);
    expect(parsePlotsArgs(['--x', '-3'], lab).knobs.x).toBe(-3);
  });
  test.each([
    [['--range', '1,2'], /--range takes 3 numbers/],
    [['--range', '-5,5,1.5'], /--range NUM: a whole number from 2 to 5000/],
    [['--range', `-5,5,${MAX_POINTS + 1}`], /--range NUM: a whole number from 2 to 5000, please \(got 5001\)/],
    [['--steps', '0'], /--steps: a whole number from 1 to 1000/],
    [['--ylim', '1,0'], /--ylim HI: the upper limit must be above the lower one/],
    [['--x-tan', 'abc'], /--x-tan: "abc" is not a number/],
    [['--span', '-1'], /--span: a positive number, please/],
    [['--bogus'], /unknown option --bogus/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parsePlotsArgs(argv as string[], lab)).toThrow(PlotsUsageError);
    expect(() => parsePlotsArgs(argv as string[], lab)).toThrow(message as RegExp);
  });
});

describe('GitHub Classroom flags', () => {
  test('--only and --fail-under', () => {
    expect(parseArgs(['--only', 'sigmoid', '--fail-under', '100'])).toMatchObject({ only: 'sigmoid', failUnder: 100 });
    expect(() => parseArgs(['--fail-under', '101'])).toThrow(/percentage from 0 to 100/);
    expect(() => parseArgs(['--fail-under', 'x'])).toThrow(UsageError);
  });
  test('grading one part: its points are the maximum; --fail-under decides the exit status', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const os = require('node:os') as typeof import('node:os');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require('node:fs') as typeof import('node:fs');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const path = require('node:path') as typeof import('node:path');
    const root = path.resolve(__dirname, '..', '..');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-only-'));
    const grade = (...args: string[]) => spawnSync(process.execPath, ['grader/bin/grade.js', '--submission', 'test/fixtures/wrong-sigmoid-mirrored', '--quiet', '--no-figures', '--report-dir', dir, '--format', 'json', '--out', path.join(dir, 'r.json'), ...args], { cwd: root, encoding: 'utf8' });
    const linspace = grade('--only', 'linspace', '--fail-under', '100');
    expect(linspace.status).toBe(0);
    const result = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'));
    expect([result.score, result.maxScore, result.parts.map((p: { name: string }) => p.name)]).toEqual([20, 20, ['linspace']]);
    expect(result.tests.every((t: { part: string }) => t.part === 'linspace')).toBe(true);
    const sigmoid = grade('--only', 'sigmoid', '--fail-under', '100');
    expect(sigmoid.status).toBe(1);
    expect(sigmoid.stderr).toMatch(/below --fail-under 100%/);
    expect(grade('--only', 'nope').status).toBe(2);
    // A part whose used part fails still says so (GitHub Classroom grades one part per step):
    // the used parts' tests run, unscored, and are not in the result.
    expect(grade('--only', 'tangent').status).toBe(0);
    const tangent = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'));
    expect([tangent.maxScore, tangent.parts.map((p: { name: string }) => p.name)]).toEqual([20, ['tangent']]);
    expect(tangent.tests.every((t: { part: string }) => t.part === 'tangent')).toBe(true);
    expect(tangent.parts[0].fixFirst).toEqual(['sigmoid']);
    expect(tangent.parts[0].feedback).toEqual(['tangent uses sigmoid, which fails its own tests: fix sigmoid first, then look at tangent again']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('official grading and weak isolation', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('node:fs') as typeof import('node:fs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const os = require('node:os') as typeof import('node:os');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require('node:path') as typeof import('node:path');
  const root = path.resolve(__dirname, '..', '..');
  /** Grades the solution as if this machine could only isolate weakly (VG_ISOLATION=weak). */
  const gradeWeak = (dir: string, ...args: string[]) => spawnSync(process.execPath, ['grader/bin/grade.js', '--submission', 'solutions/vanishing-gradients.ts', '--no-figures', '--report-dir', dir, '--format', 'json', '--out', path.join(dir, 'r.json'), ...args],
    { cwd: root, encoding: 'utf8', env: { ...process.env, VG_ISOLATION: 'weak', NO_COLOR: '1' } });

  test('--official refuses weak isolation with a result that says why; --allow-weak-isolation grades, and says so', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-weak-'));
    const refused = gradeWeak(dir, '--official', '--quiet');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/official grading needs student code isolated by the operating system/);
    expect(refused.stderr).not.toMatch(/    at /); // a reason, not a stack trace
    const r1 = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'));
    expect([r1.status, r1.score, r1.message]).toEqual(['kit-error', 0, expect.stringMatching(/--allow-weak-isolation/)]);
    const allowed = gradeWeak(dir, '--official', '--allow-weak-isolation');
    expect(allowed.status).toBe(0);
    const r2 = JSON.parse(fs.readFileSync(path.join(dir, 'r.json'), 'utf8'));
    expect([r2.status, r2.score, r2.isolation.mode]).toEqual(['graded', 100, 'weak']);
    const text = spawnSync(process.execPath, ['grader/bin/grade.js', '--submission', 'solutions/vanishing-gradients.ts', '--no-figures', '--report-dir', dir], { cwd: root, encoding: 'utf8', env: { ...process.env, VG_ISOLATION: 'weak', NO_COLOR: '1' } });
    expect(text.stdout).toMatch(/^isolation: weak: .*course graders isolate it further\.$/m);
    expect(fs.readFileSync(path.join(dir, 'index.html'), 'utf8')).toContain('isolation: weak');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a batch (official) is refused before any student, unless allowed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-weak-batch-'));
    const batch = spawnSync(process.execPath, ['grader/bin/grade.js', '--batch', 'test/fixtures', '--out', path.join(dir, 'g.csv'), '--report-dir', dir], { cwd: root, encoding: 'utf8', env: { ...process.env, VG_ISOLATION: 'weak' } });
    expect(batch.status).toBe(2);
    expect(batch.stderr).toMatch(/^grade: official grading needs student code isolated/);
    expect(fs.existsSync(path.join(dir, 'g.csv'))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

test('the usage text in the student release says it grades the public tests, and leaves out what only the instructor\'s kit does', () => {
  const kit = usage(false);
  expect(kit).toContain('against the lab\'s public and hidden tests.');
  for (const flag of ['--official', '--batch DIR', '--resume', 'merge:grades']) expect(kit).toContain(flag);
  const release = usage(true);
  expect(release).toContain('against the lab\'s public tests (the course\'s grader runs its hidden tests too).');
  for (const flag of ['--official', '--allow-weak-isolation', '--batch', '--jobs', '--shard', '--resume', 'merge:grades', 'hidden tests\' inputs']) expect(release).not.toContain(flag);
  for (const flag of ['--submission', '--only PART', '--fail-under', '--seed N']) expect(release).toContain(flag);
});
