/**
 * The startup snapshots (grader/lib/snapshots.ts): made by the build for the running Node, with
 * records of what they hold; the type checker's used by every checker the grader starts, and never
 * a reason for a check to be lost. (The renderer's: test/figures.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CompilerProcess, COMPILER_SCRIPT } from '../../grader/stages/compiler-process';
import { fingerprint, snapshotFor, snapshotRecord } from '../../grader/lib/snapshots';
import { RENDERER_V8_FLAGS } from '../../grader/render/flags';
import { typeCheck } from '../../grader/stages/compile-jobs';
import { KIT_ROOT } from '../../grader/lib/paths';
import { argvOf, ensureSnapshots, notASnapshot } from '../support/snapshots';
import { CHECK_HEAP_MB, compilerV8Flags } from '../../grader/stages/compiler-flags';

const ROOT = path.join(__dirname, '..', '..');
const source = (fixture: string): string => fs.readFileSync(path.join(ROOT, 'test', 'fixtures', fixture, 'vanishing-gradients.ts'), 'utf8');

beforeAll(ensureSnapshots, 180_000);

test('the build made a snapshot for this Node, recorded with what it was made from', () => {
  const record = snapshotRecord('checker');
  expect(record).toMatchObject({ node: process.version, arch: process.arch, kitRoot: KIT_ROOT, libDir: path.join(ROOT, 'node_modules', 'typescript', 'lib') });
  // A Node that could not make one would say why here.
  expect(record?.problem).toBeUndefined();
  expect(record?.v8Flags).toBe(compilerV8Flags(CHECK_HEAP_MB).join(' '));
  expect(fs.statSync(snapshotFor('checker', compilerV8Flags(CHECK_HEAP_MB))!).size).toBeGreaterThan(1_000_000);
  // A process run with other V8 flags than the snapshot was made with is not started from it
  // (Node 20 and 22 refuse it): a checker with other limits starts from its script.
  expect(snapshotFor('checker', compilerV8Flags(64))).toBeUndefined();
});

test('a checker starts from the snapshot, with the script\'s argv, and warns exactly as the compiler does in process', async () => {
  const checker = new CompilerProcess('check');
  try {
    // Clean, type errors, a signature that differs from the contract, and a second check in the
    // same process (the lib files reused from the snapshot's program).
    for (const fixture of ['solution', 'type-error-still-runs', 'signature-differs-and-prints', 'wrong-sigmoid-mirrored']) {
      const text = source(fixture);
      const done = await checker.run(text, 30_000);
      expect(done).toEqual({ ok: true, value: typeCheck(text) });
      if (fixture === 'type-error-still-runs') expect((done as { value: string[] }).value.some((w) => /TS\d+/.test(w))).toBe(true);
      if (fixture === 'signature-differs-and-prints') expect((done as { value: string[] }).value.some((w) => /does not match the exercise's signature/.test(w))).toBe(true);
    }
    const argv = argvOf(checker.pid);
    expect(argv).toContain('--snapshot-blob');
    expect(argv.slice(-2)).toEqual([COMPILER_SCRIPT, 'check']);
  } finally {
    checker.close();
  }
});

test('a snapshot Node refuses does not lose the check: it is done by a checker started from the script', async () => {
  const bad = notASnapshot();
  const checker = new CompilerProcess('check', {}, COMPILER_SCRIPT, () => bad.blob);
  try {
    const text = source('type-error-still-runs');
    expect(await checker.run(text, 30_000)).toEqual({ ok: true, value: typeCheck(text) });
    expect(argvOf(checker.pid)).not.toContain('--snapshot-blob');
    // And the next job goes straight to that checker.
    expect(await checker.run(source('solution'), 30_000)).toEqual({ ok: true, value: [] });
  } finally {
    checker.close();
    bad.remove();
  }
});

test('a checker with other limits than the snapshot\'s starts from its script, and the snapshot stays in use for the others', async () => {
  const small = new CompilerProcess('check', { heapMb: 256 });
  try {
    const text = source('type-error-still-runs');
    expect(await small.run(text, 30_000)).toEqual({ ok: true, value: typeCheck(text) });
    expect(argvOf(small.pid)).not.toContain('--snapshot-blob');
    expect(argvOf(small.pid)).toContain('--max-old-space-size=256');
  } finally {
    small.close();
  }
  expect(snapshotRecord('checker')?.problem).toBeUndefined();
});

test('a transpiler never starts from the snapshot', async () => {
  const transpiler = new CompilerProcess('transpile');
  try {
    expect((await transpiler.run('export const n: number = 1;\n', 15_000)).ok).toBe(true);
    expect(argvOf(transpiler.pid)).not.toContain('--snapshot-blob');
  } finally {
    transpiler.close();
  }
});

test('the snapshot holds no lab: a checker started from it checks the contract of the lab being graded (lab 2 here)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-snapshot-lab-'));
  try {
    const solution = fs.readFileSync(path.join(ROOT, 'solutions', 'exploding-gradients.ts'), 'utf8');
    // A signature that differs from lab 2's contract (l2Norm returns a number there).
    const changed = solution.replace('export function l2Norm(v: number[]): number {', 'export function l2Norm(v: number[]): number | string {');
    expect(changed).not.toBe(solution);
    fs.writeFileSync(path.join(dir, 'exploding-gradients.ts'), `${changed}\n// ${process.pid} ${Date.now()}\n`);
    const run = spawnSync(process.execPath, [path.join(ROOT, 'grader', 'bin', 'grade.js'), '--submission', path.join(dir, 'exploding-gradients.ts'), '--no-figures', '--quiet', '--report-dir', path.join(dir, 'report')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr).toBe('');
    const result = JSON.parse(fs.readFileSync(path.join(dir, 'report', 'result.json'), 'utf8')) as { exercise: string; warnings: string[] };
    expect(result.exercise).toBe('exploding-gradients');
    expect(result.warnings.filter((w) => /does not match the exercise's signature/.test(w))).toEqual([expect.stringMatching(/^l2Norm does not match the exercise's signature: /)]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('what a record holds', () => {
  test('each record lists every file its snapshot was made from: the kit\'s sources and each bundled package\'s files', () => {
    const checker = snapshotRecord('checker')!;
    expect(checker.inputs).toEqual(expect.arrayContaining(['node_modules/typescript/lib/typescript.js', 'node_modules/typescript/lib/lib.es5.d.ts', 'grader/stages/compile-jobs.ts', 'grader/stages/check-snapshot-entry.ts']));
    const renderer = snapshotRecord('renderer')!;
    // vega's own packages, which vega's version alone does not pin (its dependencies take patch updates).
    expect(renderer.inputs).toEqual(expect.arrayContaining(['grader/render/draw.ts', expect.stringMatching(/^node_modules\/vega-scenegraph\//), expect.stringMatching(/^node_modules\/d3-format\//), 'node_modules/vega-canvas/build/vega-canvas.browser.js']));
    expect(renderer.inputs!.length).toBeGreaterThan(40);
    for (const record of [checker, renderer]) expect(record.fingerprint).toBe(fingerprint(record.inputs!));
  });

  test('the fingerprint changes when an input changes size or time, and is empty when one is gone', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-fingerprint-'));
    try {
      const [a, b] = [path.join(dir, 'a.js'), path.join(dir, 'b.js')];
      fs.writeFileSync(a, 'one');
      fs.writeFileSync(b, 'two');
      const before = fingerprint([a, b]);
      expect(before).toMatch(/^[0-9a-f]{64}$/);
      expect(fingerprint([a, b])).toBe(before);
      fs.utimesSync(b, new Date(2020, 0, 1), new Date(2020, 0, 1));
      const touched = fingerprint([a, b]);
      expect(touched).not.toBe(before);
      fs.writeFileSync(a, 'one!');
      fs.utimesSync(a, fs.statSync(b).atime, fs.statSync(b).mtime);
      expect(fingerprint([a, b])).not.toBe(touched);
      fs.rmSync(b);
      expect(fingerprint([a, b])).toBe('');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('a checker that starts from a snapshot but never says it is ready is replaced by one started from its script, and the check is done', async () => {
  // A copy of the renderer's snapshot as a checker's: it starts, and waits on its input without a
  // word on the checker's channel. (A copy: the grader's record of a snapshot that fails is rewritten.)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-silent-snapshot-'));
  const silent = path.join(dir, 'renderer.blob');
  fs.copyFileSync(snapshotFor('renderer', [...RENDERER_V8_FLAGS])!, silent);
  const checker = new CompilerProcess('check', {}, COMPILER_SCRIPT, () => silent);
  try {
    const text = source('type-error-still-runs');
    expect(await checker.run(text, 30_000)).toEqual({ ok: true, value: typeCheck(text) });
    expect(argvOf(checker.pid)).not.toContain('--snapshot-blob');
  } finally {
    checker.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
