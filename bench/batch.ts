/**
 * A class graded in one batch: N students (default 1,000) made from the fixture submissions, mixed
 * like a real class (about 40% correct written in several ways, 40% with one classic mistake,
 * 19% stubs, syntax errors, missing exports and runtime throws, 1% with a function that loops
 * forever). Each student's file gets a line of its own, new at every run (a run's own tag), so no
 * cache knows it in advance: not the compile's, not the type check's, not an earlier run's.
 * Runs `node grader/bin/grade.js --batch … --out grades.csv --report-dir …` with figures, and
 * prints the wall time, the rate, and the peak memory of the whole process tree (the grader, its
 * workers, their renderers and every sandbox child; resident set sizes summed, sampled every
 * 200 ms from /proc). Prints medians when run more than once, and beside them the per-student cost
 * against the isolation floor measured in the same run (one sandbox child: start, load, one call,
 * end), the class's floor on these cores.
 * Run: npm run bench:batch [-- --students N] [--runs N] [--jobs N] [--no-figures]
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCsv } from '../grader/batch/csv';

import { treeRssMb } from './tree';
import { childFloorMs } from './isolation';

const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');

/** The mix: fixture folders by kind, and each kind's share of the class. */
const MIX: { share: number; kind: string; fixtures: string[] }[] = [
  { share: 0.40, kind: 'correct', fixtures: ['solution', 'correct-but-different', 'type-error-still-runs', 'signature-differs-and-prints'] },
  { share: 0.40, kind: 'one mistake', fixtures: fs.readdirSync(FIXTURES).filter((f) => /^(mistake|wrong)-/.test(f)).sort() },
  { share: 0.19, kind: 'stubs, broken', fixtures: ['stubs', 'stubs', 'syntax-error', 'missing-export', 'throws-at-runtime'] },
  { share: 0.01, kind: 'loops forever', fixtures: ['hangs-in-gradient'] },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Writes the class: DIR/student-0001/vanishing-gradients.ts …, each file tagged with `tag` and its student. */
function makeClass(dir: string, students: number, tag: string): Record<string, number> {
  const counts: Record<string, number> = {};
  let k = 0;
  for (const [m, part] of MIX.entries()) {
    const n = m === MIX.length - 1 ? students - k : Math.round(part.share * students);
    for (let i = 0; i < n; i++, k++) {
      const fixture = part.fixtures[i % part.fixtures.length];
      const id = `student-${String(k + 1).padStart(4, '0')}`;
      fs.mkdirSync(path.join(dir, id), { recursive: true });
      const source = fs.readFileSync(path.join(FIXTURES, fixture, 'vanishing-gradients.ts'), 'utf8');
      fs.writeFileSync(path.join(dir, id, 'vanishing-gradients.ts'), `${source}\n// ${id} ${tag}\n`);
    }
    counts[part.kind] = n;
  }
  return counts;
}

/** What a folder takes on disk, in MB: each file once, however many hard links lead to it. */
function onDiskMb(dir: string): number {
  const seen = new Set<string>();
  let bytes = 0;
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const st = fs.statSync(full);
        const id = `${st.dev}:${st.ino}`;
        if (!seen.has(id)) { seen.add(id); bytes += st.size; }
      }
    }
  };
  walk(dir);
  return bytes / 2 ** 20;
}

async function runOnce(classDir: string, args: string[]): Promise<{ seconds: number; peakMb: number; csv: string; diskMb: number }> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-bench-batch-out-'));
  const started = performance.now();
  const child = spawn(process.execPath, ['grader/bin/grade.js', '--batch', classDir, '--out', path.join(out, 'grades.csv'), '--report-dir', path.join(out, 'reports'), '--quiet', ...args], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  let peakMb = 0;
  const sampler = setInterval(() => { peakMb = Math.max(peakMb, treeRssMb(child.pid!)); }, 200);
  const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`the batch exited with ${code}`);
  const csv = fs.readFileSync(path.join(out, 'grades.csv'), 'utf8');
  const diskMb = onDiskMb(path.join(out, 'reports'));
  fs.rmSync(out, { recursive: true, force: true });
  return { seconds, peakMb, csv, diskMb };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const value = (flag: string, fallback: number): number => {
    const i = argv.indexOf(flag);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  const students = value('--students', 1000);
  const runs = value('--runs', 1);
  // A machine that isolates weakly still measures (VG_ISOLATION=weak compares the modes).
  const extra = ['--allow-weak-isolation', ...(argv.includes('--no-figures') ? ['--no-figures'] : []), ...(argv.includes('--jobs') ? ['--jobs', String(value('--jobs', 2))] : [])];
  const classDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-bench-class-'));
  try {
    const tag = (r: number): string => `run ${r + 1} of ${process.pid} at ${Date.now()}`;
    const counts = makeClass(classDir, students, tag(-1));
    console.log(`class of ${students}: ${Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ')}; ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB, node ${process.version}; isolation ${process.env.VG_ISOLATION ?? 'auto'}${extra.length > 1 ? `; ${extra.slice(1).join(' ')}` : ''}`);
    const seconds: number[] = [];
    const peaks: number[] = [];
    for (let r = 0; r < runs; r++) {
      makeClass(classDir, students, tag(r));
      const run = await runOnce(classDir, extra);
      seconds.push(run.seconds);
      peaks.push(run.peakMb);
      const statuses: Record<string, number> = {};
      const [head, ...body] = parseCsv(run.csv);
      const statusAt = head.indexOf('status');
      for (const row of body) {
        const status = row[statusAt];
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
      console.log(`run ${r + 1}: ${run.seconds.toFixed(1)} s, peak ${Math.round(run.peakMb)} MB, reports ${Math.round(run.diskMb)} MB on disk; rows: ${Object.entries(statuses).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    }
    const s = median(seconds);
    // The floor, measured in this run: one sandbox child per student (start, load, one call, end),
    // the cores shared by the batch's workers.
    const floor = await childFloorMs(15);
    // The batch's parallelism: its --jobs, else one worker per core.
    const lanes = Math.min(os.cpus().length, argv.includes('--jobs') ? value('--jobs', 1) : os.cpus().length);
    const perStudent = (s * 1000 * lanes) / students;
    console.log('| students | wall time (median s) | students per second | per student, core-ms | isolation floor per child (ms, this run) | floor for the class on these cores (s) | peak memory of the process tree (median MB) |');
    console.log('| --- | --- | --- | --- | --- | --- | --- |');
    console.log(`| ${students} | ${s.toFixed(1)} | ${(students / s).toFixed(1)} | ${perStudent.toFixed(0)} (${(perStudent / floor.ms).toFixed(2)}x the floor) | ${floor.ms.toFixed(0)} (${floor.mode}) | ${((students * floor.ms) / 1000 / lanes).toFixed(1)} | ${Math.round(median(peaks))} |`);
  } finally {
    fs.rmSync(classDir, { recursive: true, force: true });
  }
}

void main();
