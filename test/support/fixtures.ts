/**
 * Grading the fixture corpus (test/fixtures/<scenario>/) the way its goldens were made: the real
 * command (`node grader/bin/grade.js`, as `npm run grade` runs it) with a fixed seed, the result
 * without what depends on the run or the machine (timings, memory, the isolation used). Shared by
 * the fixture tests and by .ci/node-versions.ts, which grades the corpus on other Node versions.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The kit's root. */
export const ROOT = path.resolve(__dirname, '..', '..');
/** The fixture folders' parent. */
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
/** The seed every golden was graded with. */
export const SEED = '1';

/** The scenarios, sorted. */
export function scenarios(): string[] {
  return fs.readdirSync(FIXTURES).filter((d) => fs.statSync(path.join(FIXTURES, d)).isDirectory()).sort();
}

/** What a golden holds: the exit status and the result record. */
export interface Graded {
  exitCode: number;
  result: Record<string, unknown>;
}

/**
 * Grades one fixture with `node` (default: this process's), its scratch folders under `tmpRoot`
 * (TMPDIR for the grader: every process of the run then names a path inside it, see
 * {@link processesUnder}).
 */
export async function gradeFixture(name: string, tmpRoot: string, node: string = process.execPath): Promise<Graded> {
  const tmp = fs.mkdtempSync(path.join(tmpRoot, `${name}-`));
  const out = path.join(tmp, 'result.json');
  let exitCode = 0;
  try {
    await run(node, [
      'grader/bin/grade.js', '--submission', `test/fixtures/${name}`, '--seed', SEED,
      '--format', 'json', '--out', out, '--report-dir', path.join(tmp, 'report'), '--quiet',
    ], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', TMPDIR: tmpRoot }, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    exitCode = (err as { code?: number }).code ?? -1;
  }
  const result = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>;
  fs.rmSync(tmp, { recursive: true, force: true });
  return { exitCode, result: comparable(result) };
}

/**
 * A result as goldens hold it: without timings, the tests' durations and memory (they vary from
 * run to run) and without the isolation used (it depends on the machine; isolation.test.ts checks it).
 */
export function comparable<T extends object>(result: T): T {
  const { timings: _t, usage: _u, isolation: _i, ...rest } = result as T & { timings?: unknown; usage?: unknown; isolation?: unknown; tests?: unknown };
  const tests = (rest as { tests?: unknown }).tests;
  if (Array.isArray(tests)) (rest as { tests: unknown[] }).tests = tests.map((t) => { const { durationMs: _d, ...kept } = t as { durationMs?: unknown }; return kept; });
  return rest as T;
}

/** The golden of a scenario, or undefined when it has none yet. */
export function goldenOf(name: string): Graded | undefined {
  const file = path.join(FIXTURES, name, 'expected_results.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) as Graded : undefined;
}

/**
 * The processes of one run: those whose command line names a path under `tmpRoot` (sandbox
 * children, whose scratch is there) or whose environment has TMPDIR set to it (graders, batch
 * workers, renderers started with it). Nothing of another run on the same machine (a second
 * `npm test`, a batch elsewhere) is looked at. Lines are `pid command`.
 */
export function processesUnder(tmpRoot: string): string[] {
  const found: string[] = [];
  const marker = `TMPDIR=${tmpRoot}\0`;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmdline) continue; // a zombie: it holds nothing any more
      let environ = '';
      try { environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8'); } catch { /* another user's, unreadable */ }
      if (cmdline.includes(tmpRoot) || environ.includes(marker)) found.push(`${pid} ${cmdline.split('\0').join(' ').trim()}`);
    } catch { /* exited meanwhile */ }
  }
  return found;
}

/** What running the grade command gave. */
export interface CommandRun {
  /** Its exit status (-1 when it could not be read). */
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node grader/bin/grade.js ARGS` from the kit's root with TMPDIR set to `tmpRoot` (so that
 * its scratch folders and processes are this run's: see processesUnder) and NO_COLOR; resolves
 * with its exit status and output, never rejects.
 */
export async function gradeCommand(args: string[], tmpRoot: string, env: NodeJS.ProcessEnv = {}): Promise<CommandRun> {
  try {
    const r = await run(process.execPath, ['grader/bin/grade.js', ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', TMPDIR: tmpRoot, ...env }, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
