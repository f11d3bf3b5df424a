/**
 * `npm run validate`: what an instructor's CI checks before releasing or grading.
 *   1. exercises/ is exactly what make:stubs generates from solutions/;
 *   2. reference/ is what the numpy lab gives today (needs python3 with numpy);
 *   3. the solutions get full marks, every part with tests;
 *   4. the untouched stubs get 0, without a crash, every part "not implemented yet";
 *   5. the student release builds, leaks nothing, and grades (npm run release into a temporary folder).
 * Prints one line per check; exits 1 with the list of what is wrong.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { makeStubs } from './make-stubs';
import { buildRelease, smokeTestRelease } from './release';

const ROOT = path.resolve(__dirname, '..', '..');

type Check = { name: string; run: () => string | undefined };

function grade(submission: string): { status: number | null; result?: Record<string, any>; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-validate-'));
  const out = path.join(dir, 'result.json');
  const r = spawnSync(process.execPath, ['grader/bin/grade.js', '--submission', submission, '--format', 'json', '--out', out, '--quiet', '--no-figures', '--report-dir', dir], { cwd: ROOT, encoding: 'utf8' });
  const result = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : undefined;
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: r.status, result, stderr: r.stderr };
}

const CHECKS: Check[] = [
  {
    name: 'exercises/ is generated from solutions/',
    run: () => {
      const expected = makeStubs(fs.readFileSync(path.join(ROOT, 'solutions', 'vanishing-gradients.ts'), 'utf8'));
      const actual = fs.readFileSync(path.join(ROOT, 'exercises', 'vanishing-gradients.ts'), 'utf8');
      return actual === expected ? undefined : 'exercises/vanishing-gradients.ts has drifted: run npm run make:stubs';
    },
  },
  {
    name: 'reference/ is what the numpy lab gives',
    run: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-validate-ref-'));
      const out = path.join(dir, 'reference.json');
      const r = spawnSync('python3', ['grader/tools/oracle.py', 'reference/lab/vanishing_gradients_notebook.py', out], { cwd: ROOT, encoding: 'utf8' });
      try {
        if (r.error || r.status !== 0) return `cannot run the numpy lab (python3 with numpy is needed): ${(r.error?.message ?? r.stderr).trim().split('\n').pop()}`;
        const fresh = JSON.parse(fs.readFileSync(out, 'utf8'));
        const committed = JSON.parse(fs.readFileSync(path.join(ROOT, 'reference', 'vanishing-gradients.json'), 'utf8'));
        // The numpy and Python versions may differ between machines; the values may not.
        delete fresh.provenance.python; delete fresh.provenance.numpy; delete fresh.provenance.lab;
        delete committed.provenance.python; delete committed.provenance.numpy; delete committed.provenance.lab;
        return isDeepStrictEqual(fresh, committed) ? undefined : 'reference/vanishing-gradients.json differs from what the lab gives: run npm run make:reference';
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'the solutions get full marks',
    run: () => {
      const { status, result, stderr } = grade('solutions');
      if (!result) return `grading the solutions wrote no result (exit ${status}): ${stderr.trim().split('\n').pop()}`;
      const empty = result.parts.filter((p: { total: number }) => p.total === 0).map((p: { name: string }) => p.name);
      if (empty.length) return `parts without tests: ${empty.join(', ')}`;
      if (result.score !== result.maxScore) {
        const failing = result.tests.filter((t: { status: string }) => t.status !== 'pass').map((t: { part: string; name: string; message?: string }) => `${t.part} › ${t.name}: ${t.message}`);
        return `the solutions score ${result.score}/${result.maxScore}:\n      ${failing.join('\n      ')}`;
      }
      return undefined;
    },
  },
  {
    name: 'the stubs get 0 without a crash',
    run: () => {
      const { status, result, stderr } = grade('exercises');
      if (!result) return `grading the stubs wrote no result (exit ${status}): ${stderr.trim().split('\n').pop()}`;
      if (status !== 0 || result.status !== 'graded') return `grading the stubs ended with exit ${status}, status ${result.status}`;
      if (result.score !== 0) return `the stubs score ${result.score}/${result.maxScore}`;
      const other = result.parts.filter((p: { status: string }) => p.status !== 'not-implemented').map((p: { name: string }) => p.name);
      return other.length ? `parts of the stubs not reported "not implemented yet": ${other.join(', ')}` : undefined;
    },
  },
  {
    name: 'the student release builds, leaks nothing and grades',
    run: () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-validate-release-'));
      try {
        // buildRelease throws, with the list, when the release would leak.
        buildRelease(path.join(dir, 'student'));
        const problems = smokeTestRelease(path.join(dir, 'student'));
        return problems.length ? problems.join('\n      ') : undefined;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];

function main(): number {
  const problems: string[] = [];
  for (const check of CHECKS) {
    const problem = check.run();
    console.log(`${problem ? '✗' : '✓'} ${check.name}`);
    if (problem) {
      console.log(`    ${problem}`);
      problems.push(`${check.name}: ${problem}`);
    }
  }
  if (problems.length) {
    console.log(`\n${problems.length} check${problems.length === 1 ? '' : 's'} failed.`);
    return 1;
  }
  console.log('\nAll checks passed.');
  return 0;
}

if (require.main === module) process.exitCode = main();
