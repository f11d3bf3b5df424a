/**
 * `npm run validate`: what an instructor's CI checks before releasing or grading, for every lab
 * the kit offers (each check's line names its lab).
 *   1. exercises/ is exactly what make:stubs generates from solutions/ (every lab's stubs);
 *   2. reference/ is what the numpy lab gives today, number for number within a relative 1e-14
 *      (skipped, and said, without python3 and numpy; `--strict` makes that a failure), per lab;
 *   3. per lab: the solution gets full marks, every part with tests;
 *   4. per lab: the untouched stubs get 0, without a crash, every part "not implemented yet";
 *   5. per lab: its student release builds, leaks nothing, and grades (npm run release -- --lab ID
 *      into a temporary folder).
 * Prints one line per check; exits 1 with the list of what is wrong. `--lab ID` checks that lab
 * alone (and the stubs of every lab, which are one folder).
 * Usage: npm run validate [-- --strict] [--lab ID]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { driftedStubs, stubPairs } from './make-stubs';
import { smokeTestRelease } from './release';
import { checkReference, referenceLabs } from './reference-check';
import { labIds, manifestPath, readManifest } from '../lab';

const ROOT = path.resolve(__dirname, '..', '..');

/** A check's outcome: a problem (it fails), or a note (it passed, or was skipped: say why). */
type Outcome = string | undefined | { note: string; skipped?: boolean };
type Check = { name: string; run: () => Outcome };

/** Grades one lab's file in `submission` (solutions or exercises, which hold every lab's). */
function grade(submission: string, lab: string): { status: number | null; result?: Record<string, any>; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-validate-'));
  const out = path.join(dir, 'result.json');
  const r = spawnSync(process.execPath, ['grader/bin/grade.js', '--lab', lab, '--submission', submission, '--format', 'json', '--out', out, '--quiet', '--no-figures', '--report-dir', dir], { cwd: ROOT, encoding: 'utf8' });
  const result = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : undefined;
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: r.status, result, stderr: r.stderr };
}

/** The checks, for every lab or for `only`. */
export const checks = (only?: string): Check[] => [
  {
    name: 'exercises/ is generated from solutions/',
    run: () => {
      // With --lab, that lab's file alone (exercises/ holds every lab's).
      const mine = only === undefined ? undefined : readManifest(manifestPath(ROOT, only)).submission;
      const drifted = driftedStubs(ROOT).filter((n) => mine === undefined || n === mine);
      if (drifted.length) return `${drifted.map((n) => `exercises/${n}`).join(', ')} ${drifted.length === 1 ? 'has' : 'have'} drifted: run npm run make:stubs`;
      return { note: `every lab's stubs: ${stubPairs(ROOT).map((p) => p.name).join(', ')}`, skipped: false };
    },
  },
  // One line per lab whose reference the kit generates: validate checks every lab and says which.
  ...referenceLabs(ROOT).filter((lab) => only === undefined || lab.id === only).map((lab): Check => ({
    name: `reference/ is what the numpy lab gives (${lab.id})`,
    run: () => {
      const checked = checkReference(ROOT, lab);
      if (checked.status === 'failed') return checked.message;
      return { note: checked.message, skipped: checked.status === 'skipped' };
    },
  })),
  // Per lab: its solution, its stubs, its student release.
  ...labIds(ROOT).filter((lab) => only === undefined || lab === only).flatMap((lab): Check[] => [
    {
      name: `the solutions get full marks (${lab})`,
      run: () => {
        const { status, result, stderr } = grade('solutions', lab);
        if (!result) return `grading the solutions wrote no result (exit ${status}): ${stderr.trim().split('\n').pop()}`;
        const empty = result.parts.filter((p: { total: number }) => p.total === 0).map((p: { name: string }) => p.name);
        if (empty.length) return `parts without tests: ${empty.join(', ')}`;
        if (result.score !== result.maxScore) {
          const failing = result.tests.filter((t: { status: string }) => t.status !== 'pass').map((t: { part: string; name: string; message?: string }) => `${t.part} › ${t.name}: ${t.message}`);
          return `the solutions score ${result.score}/${result.maxScore}${failing.length ? `:\n      ${failing.join('\n      ')}` : ` (${result.status}${result.message ? `: ${result.message}` : ''})`}`;
        }
        // A warning the solution gets (a signature that differs from lab.json's contract, a type
        // error) is one every student who writes it right would get too.
        if (result.warnings?.length) return `the solution gets warnings every student would get too:\n      ${(result.warnings as string[]).join('\n      ')}`;
        return undefined;
      },
    },
    {
      name: `the words students read first are written (${lab})`,
      run: () => {
        // The new-lab template's placeholders, still there, would open the student release's README
        // and the stubs' doc comment.
        const submission = readManifest(manifestPath(ROOT, lab)).submission;
        const placeholders: [string, RegExp][] = [
          [`grader/labs/${lab}/student.md`, /^\(What students read first/m],
          [`solutions/${submission}`, /\(Say here what the lab teaches/],
        ];
        const left = placeholders.filter(([file, mark]) => fs.existsSync(path.join(ROOT, file)) && mark.test(fs.readFileSync(path.join(ROOT, file), 'utf8'))).map(([file]) => file);
        return left.length ? `the new-lab template's placeholder is still in ${left.join(' and ')}: write what students should read there` : undefined;
      },
    },
    {
      name: `the stubs get 0 without a crash (${lab})`,
      run: () => {
        const { status, result, stderr } = grade('exercises', lab);
        if (!result) return `grading the stubs wrote no result (exit ${status}): ${stderr.trim().split('\n').pop()}`;
        if (status !== 0 || result.status !== 'graded') return `grading the stubs ended with exit ${status}, status ${result.status}`;
        if (result.score !== 0) return `the stubs score ${result.score}/${result.maxScore}`;
        const other = result.parts.filter((p: { status: string }) => p.status !== 'not-implemented').map((p: { name: string }) => p.name);
        return other.length ? `parts of the stubs not reported "not implemented yet": ${other.join(', ')}` : undefined;
      },
    },
    {
      name: `the student release builds, leaks nothing and grades (${lab})`,
      run: () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-validate-release-'));
        try {
          // npm run release -- --lab ID: a release is one lab's, chosen once per process. It exits
          // 1 with the list when the release would leak.
          const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'grader/tools/release.ts', '--lab', lab, '--out', path.join(dir, 'student')], { cwd: ROOT, encoding: 'utf8' });
          if (r.status !== 0) return (r.stderr || r.error?.message || `exit ${r.status}`).trim().replace(/^release: /, '');
          const problems = smokeTestRelease(path.join(dir, 'student'));
          return problems.length ? problems.join('\n      ') : undefined;
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    },
  ]),
];

function main(argv: string[]): number {
  const usage = 'usage: npm run validate [-- --strict] [--lab ID]';
  let only: string | undefined;
  let strict = false;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    // --strict (the instructor CI): a check that could not run here is a failure, not a note.
    if (a === '--strict') strict = true;
    else if (a === '--lab' || a.startsWith('--lab=')) {
      only = a === '--lab' ? argv[++k] : a.slice('--lab='.length);
      if (!only) {
        console.error(`validate: --lab needs a lab's id (${usage})`);
        return 2;
      }
    } else {
      console.error(`validate: unknown option ${a} (${usage})`);
      return 2;
    }
  }
  if (only !== undefined && !labIds(ROOT).includes(only)) {
    console.error(`validate: --lab ${only}: the kit has no such lab; it has ${labIds(ROOT).join(', ')}`);
    return 2;
  }
  const problems: string[] = [];
  for (const check of checks(only)) {
    const outcome = check.run();
    const problem = typeof outcome === 'string' ? outcome : outcome?.skipped && strict ? `${outcome.note} (--strict)` : undefined;
    const note = typeof outcome === 'object' && !problem ? outcome.note : undefined;
    const mark = problem ? '✗' : typeof outcome === 'object' && outcome.skipped ? '–' : '✓';
    console.log(`${mark} ${check.name}${note ? `: ${note}` : ''}`);
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

if (require.main === module) process.exitCode = main(process.argv.slice(2));
