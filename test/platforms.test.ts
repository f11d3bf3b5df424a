/**
 * The course platforms' entry points, run as the platform would run them, against a temporary
 * folder standing for theirs: Gradescope's run_autograder (/autograder), and the bundle it ships in.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { detectIsolation } from '../grader/sandbox/isolation';
import { unzipSync } from 'fflate';
import { gradescopeEntries, gradescopeZipPath, packageGradescope, runAutograderFor } from '../grader/tools/package-gradescope';
import { UsageError } from '../grader/usage';
import { zip } from '../grader/lib/zip';

const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(__dirname, 'fixtures');

/** A folder laid out as Gradescope's /autograder: source (the kit), submission, results. */
function autograderRoot(submission: string | undefined, uploadedAs = 'vanishing-gradients.ts'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-autograder-'));
  fs.symlinkSync(ROOT, path.join(root, 'source'));
  fs.mkdirSync(path.join(root, 'submission'));
  if (submission) fs.copyFileSync(path.join(FIXTURES, submission, 'vanishing-gradients.ts'), path.join(root, 'submission', uploadedAs));
  return root;
}

function runAutograder(root: string, script = path.join(ROOT, 'grader', 'platforms', 'gradescope', 'run_autograder')): { status: number | null; results: Record<string, any> } {
  const r = spawnSync('bash', [script], { env: { ...process.env, AUTOGRADER_ROOT: root }, encoding: 'utf8' });
  return { status: r.status, results: JSON.parse(fs.readFileSync(path.join(root, 'results', 'results.json'), 'utf8')) };
}

describe('Gradescope: run_autograder', () => {
  test.concurrent.each([
    ['wrong-sigmoid-mirrored'],
    ['solution'],
  ])('grades /autograder/submission (%s) into /autograder/results/results.json with the golden score', async (name) => {
    const root = autograderRoot(name);
    const { status, results } = runAutograder(root);
    const golden = JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'expected_results.json'), 'utf8')).result;
    expect(status).toBe(0);
    expect(results.score).toBe(golden.score);
    expect(results.output_format).toBe('text');
    expect(results.tests.length).toBe(golden.tests.length);
    expect(new Set(results.tests.map((t: { visibility: string }) => t.visibility))).toEqual(new Set(['visible', 'after_published']));
    expect(results.output).not.toMatch(/advisory/); // the platform's score is the official one
    expect(results.extra_data.isolation.mode).toBe(detectIsolation().mode);
    expect(fs.existsSync(path.join(root, 'results', 'report', 'index.html'))).toBe(true);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('an empty submission still ends in a valid results.json with score 0 and the reason', () => {
    const root = autograderRoot(undefined);
    const { status, results } = runAutograder(root);
    expect(status).toBe(0);
    expect(results.score).toBe(0);
    expect(results.output).toMatch(/submission holds no vanishing-gradients\.ts: it is empty/);
    expect(results.tests.length).toBe(5);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test.concurrent.each([['vanishing-gradients (1).ts'], ['my-solution.ts']])('an upload named %j (the only .ts file) is graded, with a note', async (uploadedAs) => {
    const root = autograderRoot('solution', uploadedAs);
    const { status, results } = runAutograder(root);
    expect(status).toBe(0);
    expect(results.score).toBe(100);
    expect(results.output).toContain(`graded ${uploadedAs}, the only TypeScript file submitted: name it vanishing-gradients.ts next time`);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('an upload of the whole starter repository (from GitHub) is graded from its exercises/, without a note', () => {
    const root = autograderRoot(undefined);
    const upload = path.join(root, 'submission');
    for (const [file, from] of [['exercises/vanishing-gradients.ts', 'solutions/vanishing-gradients.ts'], ['package.json', 'package.json'], ['tsconfig.json', 'tsconfig.json'], ['jest.config.ts', 'jest.config.ts'], ['grader/cli.ts', 'grader/cli.ts']]) {
      fs.mkdirSync(path.dirname(path.join(upload, file)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, from), path.join(upload, file));
    }
    const { status, results } = runAutograder(root);
    expect(status).toBe(0);
    expect(results.score).toBe(100);
    expect(results.output).not.toMatch(/graded .*, the only TypeScript file/);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('an autograder without its files (no source folder) still writes a results.json that says so', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-autograder-'));
    const { status, results } = runAutograder(root);
    expect(status).toBe(0);
    expect(results).toEqual({ score: 0, output: 'The autograder could not find its own files; this is not your fault: tell your instructor.', output_format: 'text', tests: [] });
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('two TypeScript files: refused, saying what was found', () => {
    const root = autograderRoot('solution', 'a.ts');
    fs.copyFileSync(path.join(FIXTURES, 'stubs', 'vanishing-gradients.ts'), path.join(root, 'submission', 'b.ts'));
    const { status, results } = runAutograder(root);
    expect(status).toBe(0);
    expect(results.score).toBe(0);
    expect(results.output).toMatch(/holds 2 TypeScript files \(a\.ts, b\.ts\) and the grader cannot tell which is yours/);
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe('Gradescope: autograder.zip', () => {
  test('one archive per lab, dist/gradescope/<id>/autograder.zip; an unknown lab is a usage error that lists the labs', () => {
    expect(gradescopeZipPath('vanishing-gradients')).toBe(path.join(ROOT, 'dist', 'gradescope', 'vanishing-gradients', 'autograder.zip'));
    expect(gradescopeZipPath('exploding-gradients', '/kit')).toBe('/kit/dist/gradescope/exploding-gradients/autograder.zip');
    expect(() => packageGradescope('nope')).toThrow(UsageError);
    expect(() => packageGradescope('nope')).toThrow(/--lab nope: the kit has no such lab; its labs: exploding-gradients \(exploding-gradients\.ts\), vanishing-gradients \(vanishing-gradients\.ts\)/);
  });

  test.each([['vanishing-gradients', 'exploding-gradients'], ['exploding-gradients', 'vanishing-gradients']])('the archive of %s grades its lab: --lab written into run_autograder, the lab the default of its package.json, no other lab\'s files', (id, other) => {
    const entries = gradescopeEntries(id);
    const names = entries.map((e) => e.name);
    const script = entries.find((e) => e.name === 'run_autograder')!.data.toString('utf8');
    expect(script).toMatch(new RegExp(`^LAB="${id}"$`, 'm'));
    expect(script).toContain('node grader/bin/grade.js ${LAB:+--lab "$LAB"}');
    expect(JSON.parse(entries.find((e) => e.name === 'package.json')!.data.toString('utf8')).kit).toEqual({ defaultLab: id });
    for (const needed of [`grader/labs/${id}/lab.json`, `grader/labs/${id}/index.ts`, `grader/labs/${id}/suites/hidden/index.ts`, `solutions/${id}.ts`, `reference/${id}.json`]) expect(names).toContain(needed);
    // The other lab's content (its package, solution and reference) is in the kit, not in this lab's archive.
    expect(fs.existsSync(path.join(ROOT, 'solutions', `${other}.ts`))).toBe(true);
    expect(names.filter((n) => n.includes(other))).toEqual([]);
    expect(names.filter((n) => n.startsWith('grader/labs/')).every((n) => n.startsWith(`grader/labs/${id}/`))).toBe(true);
  });

  test('the archive\'s run_autograder grades its lab whatever the upload is named', () => {
    const root = autograderRoot('solution', 'my-answer.ts');
    const script = path.join(root, 'run_autograder');
    fs.writeFileSync(script, runAutograderFor('vanishing-gradients'), { mode: 0o755 });
    const { status, results } = runAutograder(root, script);
    expect(status).toBe(0);
    expect(results.score).toBe(100);
    expect(results.output).toContain('graded my-answer.ts, the only TypeScript file submitted: name it vanishing-gradients.ts next time');
    fs.rmSync(root, { recursive: true, force: true });
  });


  test('setup.sh and run_autograder at the root, executable; the grading files; no kit tests', () => {
    const entries = gradescopeEntries();
    const names = entries.map((e) => e.name);
    expect(names.slice(0, 2)).toEqual(['setup.sh', 'run_autograder']);
    expect(entries.slice(0, 2).every((e) => e.mode === 0o755)).toBe(true);
    for (const needed of ['package.json', 'package-lock.json', 'grader/suites/grade.test.ts', 'grader/labs/vanishing-gradients/lab.json', 'solutions/vanishing-gradients.ts', 'reference/vanishing-gradients.json', 'grader/render/fonts/DejaVuSans.ttf']) {
      expect(names).toContain(needed);
    }
    expect(names.some((n) => n.startsWith('test/') || n.startsWith('node_modules/') || n.startsWith('build/'))).toBe(false);
  });

  test('the archive is a valid zip that unpacks to the same bytes and modes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-zip-'));
    const file = path.join(dir, 'autograder.zip');
    const entries = gradescopeEntries().slice(0, 5);
    fs.writeFileSync(file, zip(entries));
    // Read back by an independent reader (fflate, no Python needed): names and bytes from the
    // archive, modes from its central directory (external attributes, high 16 bits).
    const bytes = fs.readFileSync(file);
    const unpacked = unzipSync(new Uint8Array(bytes));
    const modes = new Map<string, number>();
    for (let at = bytes.indexOf('PK\u0001\u0002'); at >= 0; at = bytes.indexOf('PK\u0001\u0002', at + 4)) {
      const nameLength = bytes.readUInt16LE(at + 28);
      modes.set(bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8'), (bytes.readUInt32LE(at + 38) >>> 16) & 0o777);
    }
    const listing = Object.entries(unpacked).map(([name, data]) => `${name} ${'0o' + (modes.get(name) ?? 0).toString(8)} ${data.length}`);
    for (const e of entries) expect(Buffer.from(unpacked[e.name]).equals(e.data)).toBe(true);
    expect(listing).toEqual(entries.map((e) => `${e.name} ${'0o' + e.mode.toString(8)} ${e.data.length}`));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('PrairieLearn: the external grader entrypoint', () => {
  function gradeRoot(submission: string | undefined): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-grade-root-'));
    fs.mkdirSync(path.join(root, 'student'));
    if (submission) fs.copyFileSync(path.join(FIXTURES, submission, 'vanishing-gradients.ts'), path.join(root, 'student', 'vanishing-gradients.ts'));
    return root;
  }
  function runEntrypoint(root: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): { status: number | null; results: Record<string, any>; bytes: number } {
    const r = spawnSync('bash', [path.join(ROOT, 'grader', 'platforms', 'prairielearn', 'entrypoint.sh'), ...args], { env: { ...process.env, GRADE_ROOT: root, ...env }, encoding: 'utf8' });
    const text = fs.readFileSync(path.join(root, 'results', 'results.json'), 'utf8');
    return { status: r.status, results: JSON.parse(text), bytes: Buffer.byteLength(text) };
  }

  test('grades /grade/student into /grade/results/results.json: score 0..1, tests, figures as images, under 1 MB', () => {
    const root = gradeRoot('wrong-sigmoid-mirrored');
    const { status, results, bytes } = runEntrypoint(root);
    const golden = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'wrong-sigmoid-mirrored', 'expected_results.json'), 'utf8')).result;
    expect(status).toBe(0);
    expect(results.gradable).toBe(true);
    expect(results.score).toBeCloseTo(golden.score / golden.maxScore, 4);
    expect(results.tests).toHaveLength(golden.tests.length);
    expect(results.images).toHaveLength(4);
    expect(results.images.every((i: { url: string }) => i.url.startsWith('data:image/png;base64,'))).toBe(true);
    expect(bytes).toBeLessThan(1_000_000);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('the question names its lab: the entrypoint\'s argument, or VG_LAB in externalGradingOptions.environment', () => {
    const root = gradeRoot('solution');
    const { status, results } = runEntrypoint(root, ['vanishing-gradients'], { VG_LAB: 'nope' });
    expect(status).toBe(0);
    expect([results.gradable, results.score]).toEqual([true, 1]);
    fs.rmSync(root, { recursive: true, force: true });
    // A lab the kit does not have: the grader stops (a usage error) and results.json says the
    // autograder could not start, not counted against the student.
    for (const [args, env] of [[['nope'], {}], [[], { VG_LAB: 'nope' }]] as [string[], NodeJS.ProcessEnv][]) {
      const bad = gradeRoot('solution');
      const r = runEntrypoint(bad, args, env);
      expect(r.status).toBe(0);
      expect(r.results.gradable).toBe(false);
      expect(r.results.message).toMatch(/could not start \(exit status 2\)/);
      fs.rmSync(bad, { recursive: true, force: true });
    }
  });

  test('a file that does not compile: not gradable (PrairieLearn counts no attempt), with the compiler\'s message', () => {
    const root = gradeRoot('syntax-error');
    const { status, results } = runEntrypoint(root);
    expect(status).toBe(0);
    expect([results.gradable, results.score]).toEqual([false, 0]);
    expect(results.message).toBe('your code does not compile:');
    expect(results.output).toMatch(/vanishing-gradients\.ts:\d+:\d+ - error/);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('no file submitted: a valid results.json, not gradable, with the reason', () => {
    const root = gradeRoot(undefined);
    const { status, results } = runEntrypoint(root);
    expect(status).toBe(0);
    expect(results.gradable).toBe(false);
    expect(results.message).toMatch(/holds no vanishing-gradients\.ts: it is empty/);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
