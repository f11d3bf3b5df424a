/**
 * Grades each hostile fixture a few times and prints, per scenario, the outcome, the median wall
 * time and the peaks of memory: the grader's own process (its resident set, from the result) and
 * the whole process tree (grader, renderer, compiler children, the student's sandbox children:
 * resident sizes summed every 100 ms from /proc). The targets, whatever a submission returns:
 * grader <= 400 MB, tree <= 1 GB. Run: npm run bench:hostile [-- --runs N] [-- --only a,b]
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { peakTreeMb } from './tree';

const ROOT = path.resolve(__dirname, '..');
const SCENARIOS = [
  'hangs-in-gradient', 'loops-at-load', 'exits-at-load', 'exits-in-calls', 'calls-process-exit', 'throws-at-load',
  'throws-non-errors', 'patches-globals-to-cheat', 'reads-hidden-files', 'prints-fake-verdicts', 'memory-bombs',
  'floods-stdout', 'spawns-processes', 'returns-weird-values', 'returns-huge-answers', 'returns-many-objects',
  'floods-the-probe', 'remembers-hidden-inputs', 'type-bomb', 'ships-configs', 'symlinked-submission',
  'hard-coded-lab-outputs', 'solution',
];
/** The bounds the README states. */
const TARGET = { graderMb: 400, treeMb: 1024 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
  const onlyArg = process.argv.indexOf('--only');
  const scenarios = onlyArg > 0 ? process.argv[onlyArg + 1].split(',') : SCENARIOS;
  const rows: string[][] = [['scenario', 'outcome', 'wall s (median)', 'grader peak MB', 'tree peak MB']];
  let worstGrader = 0;
  let worstTree = 0;
  for (const name of scenarios) {
    const walls: number[] = [];
    const trees: number[] = [];
    const graderRss: number[] = [];
    let outcome = '';
    for (let i = 0; i < runs; i++) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-bench-'));
      const out = path.join(dir, 'r.json');
      const started = performance.now();
      const child = spawn(process.execPath, ['grader/bin/grade.js', '--submission', `test/fixtures/${name}`,
        '--format', 'json', '--out', out, '--quiet', '--report-dir', dir], { cwd: ROOT, stdio: 'ignore' });
      const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
      const tree = await peakTreeMb(child.pid!, exited);
      const code = await exited;
      walls.push((performance.now() - started) / 1000);
      trees.push(tree);
      const result = JSON.parse(fs.readFileSync(out, 'utf8'));
      if (result.usage) graderRss.push(result.usage.graderMaxRssMb);
      const failing = (result.parts as { name: string; feedback: string[] }[]).filter((p) => p.feedback.length > 0).map((p) => `${p.name}: ${p.feedback[p.feedback.length - 1]}`);
      outcome = `${result.status} ${result.score}/${result.maxScore} (exit ${code})${failing.length ? ' — ' + failing[0] : ''}${result.message ? ' — ' + result.message.split('\n')[0] : ''}`;
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const grader = graderRss.length ? Math.max(...graderRss) : 0;
    worstGrader = Math.max(worstGrader, grader);
    worstTree = Math.max(worstTree, Math.max(...trees));
    rows.push([name, outcome.slice(0, 150), median(walls).toFixed(2), graderRss.length ? String(median(graderRss)) : '-', median(trees).toFixed(0)]);
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  console.log(`runs per scenario: ${runs}; machine: ${os.cpus().length} cores, node ${process.version}`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log(`largest of all runs: grader ${worstGrader} MB (target ${TARGET.graderMb}), tree ${worstTree.toFixed(0)} MB (target ${TARGET.treeMb})${worstGrader <= TARGET.graderMb && worstTree <= TARGET.treeMb ? '' : ' — OVER A TARGET'}`);
}

void main();
