/**
 * Every grading ends, within the lab's own size, and what is shown before hidden results are
 * published tells nothing of a hidden input:
 * - a grading that does not finish within its allowance is ended by the watchdog, with a result
 *   that says so, and leaves no process behind;
 * - a batch whose worker wedges (its event loop blocked) still ends, says which student it was,
 *   and grades the others;
 * - submissions whose answers are huge (each within the wire's limits) are graded with the
 *   grader's memory bounded, and the verdicts blame the answers;
 * - a submission that remembers its arguments shows the same public messages, printed block and
 *   public output whatever the seed (only hidden inputs depend on it).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCsv } from '../grader/batch/csv';
import { visibleSummary } from '../grader/report/gradescope';
import type { GradeResult } from '../grader/result';
import { FIXTURES, gradeCommand, processesUnder, ROOT } from './support/fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-ends-test-'));
// Searchable by the sandboxes' own uids, so that the graders' scratch folders go inside it (TMPDIR).
fs.chmodSync(tmp, 0o755);
afterAll(() => {
  // Nothing any of these gradings started outlives them.
  expect(processesUnder(tmp)).toEqual([]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Runs the grade command with this file's TMPDIR; resolves with its exit code and output (never rejects). */
function grade(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return gradeCommand(args, tmp, env);
}

/** Grades a fixture with a seed and returns its result record. */
async function resultOf(fixture: string, seed: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; result: GradeResult; stderr: string }> {
  const dir = fs.mkdtempSync(path.join(tmp, `${fixture}-`));
  const out = path.join(dir, 'result.json');
  const r = await grade(['--submission', path.join(FIXTURES, fixture), '--seed', seed, '--format', 'json', '--out', out, '--report-dir', path.join(dir, 'report'), '--quiet', ...extra], env);
  return { code: r.code, result: JSON.parse(fs.readFileSync(out, 'utf8')) as GradeResult, stderr: r.stderr };
}

describe('the watchdog', () => {
  test('a grading past its allowance is ended with a result that says so, and leaves no process', async () => {
    // sleeps-in-calls takes its 15 s per function; an allowance of 2 s stops it long before.
    const { code, result, stderr } = await resultOf('sleeps-in-calls', '1', ['--no-figures'], { VG_GRADE_WATCHDOG_MS: '2000' });
    expect(code).toBe(1);
    expect(result.status).toBe('kit-error');
    expect(result.score).toBe(0);
    expect(result.message).toMatch(/grading did not finish within 2 s, so it was stopped/);
    expect(stderr).toMatch(/grading did not finish within 2 s; stopped/);
  }, 60_000);

  test('a grader whose event loop is blocked is ended from outside, and its result written all the same', async () => {
    // VG_TEST_GRADER_BLOCKS=1: the grader blocks its event loop for good right after it starts its
    // watchdogs, so its own timer can never fire; the outside one acts 2 s after it would have.
    const { code, result, stderr } = await resultOf('solution', '1', ['--no-figures'], { VG_GRADE_WATCHDOG_MS: '1500', VG_TEST_GRADER_BLOCKS: '1' });
    expect(code).not.toBe(0);
    expect(result.status).toBe('kit-error');
    expect(result.message).toMatch(/grading did not finish within 3\.5 s, so it was stopped/);
    expect(stderr).toMatch(/grading did not finish within 3\.5 s; stopped/);
  }, 60_000);

  test('...whatever PATH the grader was given (the outside watchdog finds its tools where every system keeps them)', async () => {
    const { code, result } = await resultOf('solution', '1', ['--no-figures'], { VG_GRADE_WATCHDOG_MS: '1500', VG_TEST_GRADER_BLOCKS: '1', PATH: '/nonexistent' });
    expect(code).not.toBe(0);
    expect(result.status).toBe('kit-error');
    expect(result.message).toMatch(/grading did not finish within 3\.5 s, so it was stopped/);
  }, 60_000);

  test('...and a result asked for on stdout reaches the grader\'s stdout, written before the grader is ended', async () => {
    const r = await grade(['--submission', path.join(FIXTURES, 'solution'), '--seed', '1', '--format', 'json', '--quiet', '--no-figures', '--report-dir', path.join(tmp, 'blocked-stdout')], { VG_GRADE_WATCHDOG_MS: '1500', VG_TEST_GRADER_BLOCKS: '1' });
    expect(r.code).not.toBe(0);
    const result = JSON.parse(r.stdout) as GradeResult;
    expect(result.status).toBe('kit-error');
    expect(result.message).toMatch(/grading did not finish within 3\.5 s/);
  }, 60_000);
});

describe('results that reach their reader whole', () => {
  test('a machine format on stdout, read slowly through a pipe, arrives whole before the command exits', async () => {
    // Every call prints and throws at length: a JSON result of some 80 KB, more than a pipe holds.
    const dir = fs.mkdtempSync(path.join(tmp, 'talkative-'));
    fs.writeFileSync(path.join(dir, 'vanishing-gradients.ts'), [
      'const say = (what: string, args: unknown[]): never => {',
      '  console.log(`${what} ${JSON.stringify(args)} `.repeat(100));',
      "  throw new Error(`${what} refuses ${JSON.stringify(args)}: ${'\\u0001\\u0002'.repeat(400)}`);",
      '};',
      ...['linspace', 'sigmoid', 'sigmoidGradient', 'tangent', 'simulateDecay'].map((fn) => `export function ${fn}(...a: number[]): never { return say('${fn}', a); }`),
    ].join('\n'));
    // The reader (a shell pipeline, as a platform's script reads) starts only after the grader
    // would have exited on its own (its 3 s grace).
    const out = path.join(dir, 'read.json');
    const grader = ['grader/bin/grade.js', '--submission', dir, '--seed', '1', '--format', 'json', '--quiet', '--no-figures', '--report-dir', path.join(dir, 'report')]
      .map((a) => `'${a}'`).join(' ');
    const code = path.join(dir, 'code');
    spawnSync('sh', ['-c', `{ '${process.execPath}' ${grader}; echo "$?" > '${code}'; } | { sleep 6; cat > '${out}'; }`], { cwd: ROOT, env: { ...process.env, TMPDIR: tmp }, timeout: 120_000 });
    expect(fs.readFileSync(code, 'utf8').trim()).toBe('0');
    const text = fs.readFileSync(out, 'utf8');
    expect(text.length).toBeGreaterThan(65_536);
    expect((JSON.parse(text) as GradeResult).status).toBe('graded');
  }, 120_000);

  test.each(['floods-the-compiler', 'floods-the-type-checker'])('%s: every format is written, the diagnostics the size of a lesson', async (fixture) => {
    for (const format of ['text', 'gradescope', 'junit', 'github']) {
      const dir = fs.mkdtempSync(path.join(tmp, `${fixture}-${format}-`));
      const out = path.join(dir, 'out');
      const r = await grade(['--submission', path.join(FIXTURES, fixture), '--seed', '1', '--format', format, '--out', out, '--report-dir', path.join(dir, 'report'), '--quiet', '--no-figures']);
      expect([0, 1]).toContain(r.code);
      expect(r.stderr).not.toMatch(/RangeError|Maximum call stack/);
      const written = fs.readFileSync(out, 'utf8');
      // The formats that carry the messages whole: the type checker's thousands are counted past
      // the first 20; the transpiler (esbuild) stops at the first syntax error, and says that one.
      if ((format === 'text' || format === 'gradescope') && fixture === 'floods-the-type-checker') expect(written).toMatch(/… and [\d,]+ more type errors \(fix the first ones/);
      if ((format === 'text' || format === 'gradescope') && fixture === 'floods-the-compiler') {
        // One error, however many places a format repeats it in.
        const errors = written.match(/vanishing-gradients\.ts:\d+:\d+ - error: /g) ?? [];
        expect(errors.length).toBeGreaterThan(0);
        expect(new Set(errors)).toEqual(new Set(['vanishing-gradients.ts:4:2 - error: ']));
      }
      expect(written.length).toBeLessThan(200_000);
      expect(fs.existsSync(path.join(dir, 'report', 'report.txt'))).toBe(true);
    }
  }, 180_000);
});

describe('a batch whose worker wedges', () => {
  test('ends, names the student, and grades the others', async () => {
    const cls = path.join(tmp, 'wedged-class');
    fs.mkdirSync(cls);
    const correct = fs.readFileSync(path.join(FIXTURES, 'solution', 'vanishing-gradients.ts'));
    for (const id of ['ann', 'ben', 'cat']) fs.writeFileSync(path.join(cls, `${id}.ts`), correct);
    const csv = path.join(tmp, 'wedged.csv');
    const r = await grade(['--batch', cls, '--seed', '5', '--no-figures', '--jobs', '1', '--out', csv, '--report-dir', path.join(tmp, 'wedged-reports')],
      { VG_TEST_WORKER_WEDGES_ON: 'ben', VG_STUDENT_WATCHDOG_MS: '4000' });
    // A kit error in the class: the command says so in its status.
    expect(r.code).toBe(1);
    const [head, ...rows] = parseCsv(fs.readFileSync(csv, 'utf8'));
    const byId = Object.fromEntries(rows.map((row) => [row[0], Object.fromEntries(head.map((h, i) => [h, row[i]]))]));
    expect(byId.ann).toMatchObject({ status: 'graded', total: '100' });
    expect(byId.cat).toMatchObject({ status: 'graded', total: '100' });
    expect(byId.ben).toMatchObject({ status: 'kit error', total: '0' });
    expect(byId.ben.detail).toMatch(/grading made no progress for 4 s, twice/);
    // The log names the student it was.
    expect(r.stderr).toMatch(/ben: grading made no progress for 4 s; the worker grading this student was stopped/);
  }, 180_000);
});

describe('answers far larger than the lab', () => {
  /** The grader's own peak (its resident set, as the result records it) stays far below the bound the README states. */
  const GRADER_BOUND_MB = 400;

  test.each([
    ['returns-huge-answers', 'about 99,000 numbers from every call'],
    ['returns-many-objects', '99,999 empty objects from every call'],
    ['returns-long-strings', '100 strings of 10,000 characters from every call'],
  ])('%s (%s): each part fails as too large to grade, never a kit error; the grader stays bounded', async (fixture) => {
    const { code, result } = await resultOf(fixture, '1');
    expect(code).toBe(0);
    expect(result.status).toBe('graded');
    expect(result.score).toBe(0);
    expect(result.tests.every((t) => t.status !== 'error')).toBe(true);
    for (const part of ['linspace', 'sigmoid', 'sigmoidGradient', 'simulateDecay']) {
      const first = result.tests.find((t) => t.part === part && t.status === 'fail');
      expect(first?.message).toMatch(/returned a value too large to grade/);
    }
    expect(result.usage?.graderMaxRssMb).toBeLessThan(GRADER_BOUND_MB);
  }, 120_000);

  test('returns-objects-at-the-limit (2,999 empty objects from every call, each reply accepted): the grader stays bounded', async () => {
    const { code, result } = await resultOf('returns-objects-at-the-limit', '1');
    expect(code).toBe(0);
    expect(result.status).toBe('graded');
    expect(result.score).toBe(0);
    expect(result.tests.every((t) => t.status !== 'error')).toBe(true);
    expect(result.usage?.graderMaxRssMb).toBeLessThan(GRADER_BOUND_MB);
  }, 120_000);

  test('floods-the-probe: the series are cut to the lab\'s size and the figures say so', async () => {
    const { result } = await resultOf('floods-the-probe', '1');
    expect(result.status).toBe('graded');
    const notes = (result.figures ?? []).flatMap((f) => f.notes);
    expect(notes).toContain('linspace(-5, 5, 100) gave 2,999 values where the lab has 100: only the first 220 are used here');
    expect(notes).toContain('simulateDecay(6, 0) gave 2,500 values where the lab has 6: only the first 32 are used here');
    // The printed block lists no more steps than the cut series holds.
    expect((result.lab?.text.match(/^step \d+ :/gm) ?? []).length).toBe(32);
    expect(result.usage?.graderMaxRssMb).toBeLessThan(GRADER_BOUND_MB);
  }, 120_000);
});

describe('hidden inputs stay hidden until published', () => {
  test('a submission that remembers every argument shows the same public messages, printed block and public output under two seeds', async () => {
    const [a, b] = await Promise.all(['11', '12'].map((seed) => resultOf('remembers-hidden-inputs', seed, ['--no-figures'])));
    /** Everything a platform shows before hidden results are published. */
    const shown = (r: GradeResult): unknown => ({
      publicTests: r.tests.filter((t) => t.visibility === 'public').map((t) => [t.name, t.status, t.message]),
      printed: r.lab?.text,
      output: r.parts.map((p) => [p.name, p.output ?? '']),
      loadOutput: r.loadOutput,
      gradescope: visibleSummary(r).replace(/seed \d+/g, 'seed'),
    });
    // The fixture does show what it remembers (else this test could not fail)...
    expect(a.result.tests.find((t) => t.visibility === 'public' && t.part === 'sigmoidGradient')?.message).toMatch(/arguments so far: \[/);
    expect(a.result.lab?.text).toMatch(/step 1 :/);
    // ...and hidden tests, which run after, do see seed-dependent inputs.
    const hiddenMessages = (r: GradeResult): string[] => r.tests.filter((t) => t.visibility === 'hidden').map((t) => t.message ?? '');
    expect(hiddenMessages(a.result)).not.toEqual(hiddenMessages(b.result));
    // What is shown before publication is the same under both seeds.
    expect(shown(a.result)).toEqual(shown(b.result));
  }, 120_000);
});
