/**
 * What the figures add to a warm `npm run grade`: the same submission graded with and without
 * figures, alternately, N times each; prints the medians and their difference. Run for the
 * solution (whose figures are the cached reference figures) and for a wrong submission (whose
 * figures are drawn). Run: npm run bench:figures [-- --runs N]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeGrade(submission: string, figures: boolean): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-bench-'));
  const started = performance.now();
  const r = spawnSync(process.execPath, ['grader/bin/grade.js', '--submission', submission, '--quiet', '--report-dir', dir, ...(figures ? [] : ['--no-figures'])], { cwd: ROOT });
  const ms = performance.now() - started;
  fs.rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`grading ${submission} failed: ${r.stderr}`);
  return ms;
}

function main(): void {
  const at = process.argv.indexOf('--runs');
  const runs = at > 0 ? Number(process.argv[at + 1]) : 7;
  console.log(`runs: ${runs} each, alternating; machine: ${os.cpus().length} cores, node ${process.version}`);
  console.log('| submission | without figures (median s) | with figures (median s) | figures add (s) |');
  for (const submission of ['solutions', 'test/fixtures/wrong-sigmoid-mirrored']) {
    timeGrade(submission, true); // warm every cache first
    const without: number[] = [];
    const withFigures: number[] = [];
    for (let i = 0; i < runs; i++) {
      without.push(timeGrade(submission, false));
      withFigures.push(timeGrade(submission, true));
    }
    const a = median(without) / 1000;
    const b = median(withFigures) / 1000;
    console.log(`| ${submission} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(b - a).toFixed(2)} |`);
  }
}

main();
