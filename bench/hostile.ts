/**
 * Grades each hostile fixture a few times and prints, per scenario, the outcome, the median wall
 * time and peak memory: of the grader's own process (from the result) and of the largest process
 * of the run, the student's child included (from GNU time). Run: npm run bench:hostile [-- --runs N]
 * Needs /usr/bin/time (Debian package `time`).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const SCENARIOS = [
  'hangs-in-gradient', 'loops-at-load', 'exits-at-load', 'exits-in-calls', 'calls-process-exit', 'throws-at-load',
  'throws-non-errors', 'patches-globals-to-cheat', 'reads-hidden-files', 'prints-fake-verdicts', 'memory-bombs',
  'floods-stdout', 'spawns-processes', 'returns-weird-values', 'ships-configs', 'symlinked-submission',
  'hard-coded-lab-outputs', 'solution',
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function main(): void {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
  if (!fs.existsSync('/usr/bin/time')) {
    console.error('bench/hostile.ts needs /usr/bin/time (apt-get install time)');
    process.exit(2);
  }
  const rows: string[][] = [['scenario', 'outcome', 'wall s (median)', 'grader peak MB', 'largest process MB']];
  for (const name of SCENARIOS) {
    const walls: number[] = [];
    const rss: number[] = [];
    const graderRss: number[] = [];
    let outcome = '';
    for (let i = 0; i < runs; i++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-bench-'));
      const out = path.join(dir, 'r.json');
      const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, 'grader/bin/grade.js', '--submission', `test/fixtures/${name}`,
        '--format', 'json', '--out', out, '--quiet', '--report-dir', dir], { cwd: ROOT, encoding: 'utf8' });
      const [wall, kb] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
      walls.push(wall);
      rss.push(kb / 1024);
      const result = JSON.parse(fs.readFileSync(out, 'utf8'));
      if (result.usage) graderRss.push(result.usage.graderMaxRssMb);
      const failing = (result.parts as { name: string; feedback: string[] }[]).filter((p) => p.feedback.length > 0).map((p) => `${p.name}: ${p.feedback[p.feedback.length - 1]}`);
      outcome = `${result.status} ${result.score}/${result.maxScore} (exit ${r.status})${failing.length ? ' — ' + failing[0] : ''}${result.message ? ' — ' + result.message.split('\n')[0] : ''}`;
      fs.rmSync(dir, { recursive: true, force: true });
    }
    rows.push([name, outcome.slice(0, 150), median(walls).toFixed(2), graderRss.length ? String(median(graderRss)) : '-', median(rss).toFixed(0)]);
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  console.log(`runs per scenario: ${runs}; machine: ${os.cpus().length} cores, node ${process.version}`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

main();
