/**
 * Batch grading: `npm run grade -- --batch DIR --out grades.csv --report-dir REPORTS`.
 *
 *   1. the class: DIR's students, sorted, cut to this runner's shard (discover.ts);
 *   2. workers: `--jobs` processes (default: one per core), each grading groups of students in
 *      one jest run with warm helpers (worker.ts); groups are handed out as workers ask, so a slow
 *      student holds up one worker, never the batch;
 *   3. each student's report folder is written by the worker that graded them; their row comes
 *      back here, progress is shown, and grades.csv is rewritten as rows arrive (so an interrupted
 *      batch keeps what it graded) and written once more at the end;
 *   4. a worker that dies (a fault of the kit, not of a submission: those end in their sandbox)
 *      is replaced, and the students it held are graded again one by one; a student whose grading
 *      kills a worker twice gets a kit-error row.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadRubric } from '../lib/rubric';
import { KIT_ROOT } from '../lib/paths';
import { writeAtomic } from '../write';
import type { RunOptions } from '../grade';
import { renderGrades, type GradeRow } from './csv';
import { fileKitError } from './filing';
import { discover, shardOf, type Shard, type StudentEntry } from './discover';
import { Progress, type ProgressStream } from './progress';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol';

/** What a batch is asked to do. */
export interface BatchRequest {
  /** The folder with one entry per student. */
  dir: string;
  /** Where grades.csv goes. */
  out: string;
  /** Where the students' report folders go. */
  reportRoot: string;
  /** Worker processes. */
  jobs: number;
  /** This runner's part of the class. */
  shard?: Shard;
  /** How to grade. */
  options: RunOptions;
  /** Where progress goes (stderr by default). */
  progress?: ProgressStream;
  /** Most students per jest run (smaller near the end, to keep every worker busy). */
  groupSize?: number;
}

/** What a batch did. */
export interface BatchSummary {
  /** Students in this shard. */
  students: number;
  /** Rows by status. */
  byStatus: Record<string, number>;
  /** Entries of DIR that are not submissions. */
  ignored: string[];
  /** Wall-clock seconds. */
  seconds: number;
}

/** A worker's V8 heap limit, in MB. */
const WORKER_HEAP_MB = 320;

/** The default number of workers: one per core. */
export function defaultJobs(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/** Grades a class; resolves when grades.csv is written. Throws UsageError for a bad folder. */
export async function runBatch(request: BatchRequest): Promise<BatchSummary> {
  const started = Date.now();
  // 1. The class, and this shard of it.
  const { students: all, ignored } = discover(request.dir);
  const students = shardOf(all, request.shard);
  const rubric = loadRubric();
  const partNames = rubric.parts.filter((p) => !request.options.only || p.name === request.options.only).map((p) => p.name);
  fs.mkdirSync(request.reportRoot, { recursive: true });
  const rows = new Map<string, GradeRow>();
  const progress = new Progress(students.length, request.progress ?? process.stderr);
  const writeCsv = (): void => writeAtomic(request.out, renderGrades(partNames, [...rows.values()]));
  writeCsv();

  // 2. Workers, fed on demand. Students whose worker died wait in `retry`, to be graded alone.
  const queue: StudentEntry[] = [...students];
  const retry: StudentEntry[] = [];
  const retried = new Set<string>();
  const setup: WorkerSetup = { options: request.options, partNames, reportRoot: path.resolve(request.reportRoot) };
  const jobs = Math.max(1, Math.min(request.jobs, students.length || 1));
  const maxGroup = request.groupSize ?? 24;
  let lastCsv = Date.now();

  const record = (row: GradeRow): void => {
    if (rows.has(row.student)) return;
    rows.set(row.student, row);
    progress.tick(row.status);
    // Rewritten now and then, so that an interrupted batch leaves what it graded.
    if (Date.now() - lastCsv > 5000) {
      lastCsv = Date.now();
      writeCsv();
    }
  };

  const giveUp = (student: StudentEntry, why: string): void => record(fileKitError(setup, student, why));

  // Workers that die with nobody graded in between (a broken build, say) are not restarted forever.
  let deathsInARow = 0;
  await new Promise<void>((resolve) => {
    let running = 0;
    const startWorker = (): void => {
      running++;
      const child: ChildProcess = fork(path.join(KIT_ROOT, 'build', 'grader', 'batch', 'worker.js'), [], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        // A worker keeps about 50 MB alive between groups, but V8 lets an unbounded heap grow by
        // hundreds of MB before it collects; a bound makes it collect sooner (and keeps a class's
        // batch within its memory target) at no cost in time.
        execArgv: [...process.execArgv, `--max-old-space-size=${WORKER_HEAP_MB}`],
      });
      let held: StudentEntry[] = [];
      const sendTo = (m: ToWorker): void => { if (child.connected) child.send(m); };
      child.on('message', (m: FromWorker) => {
        if (m.type === 'graded') {
          deathsInARow = 0;
          held = held.filter((h) => h.id !== m.row.student);
          record(m.row);
          return;
        }
        // Ready: a student to grade again, alone; else the next group, smaller as the queue
        // empties so that no worker idles early.
        held = retry.length > 0 ? retry.splice(0, 1) : queue.splice(0, Math.max(1, Math.min(maxGroup, Math.ceil(queue.length / (jobs * 2)))));
        if (held.length === 0) sendTo({ type: 'stop' });
        else sendTo({ type: 'grade', students: held });
      });
      child.on('exit', (code, signal) => {
        running--;
        // 4. Students a dead worker held are graded again, alone; twice is a kit error.
        for (const h of held) {
          if (rows.has(h.id)) continue;
          if (retried.has(h.id)) giveUp(h, `its grader process stopped twice (${signal ?? `exit ${code}`})`);
          else {
            retried.add(h.id);
            retry.push(h);
          }
        }
        held = [];
        if (++deathsInARow >= 3) {
          for (const h of [...retry.splice(0), ...queue.splice(0)]) giveUp(h, `grader processes keep stopping (${signal ?? `exit ${code}`}); see the messages above`);
        }
        if (queue.length + retry.length > 0 && running < jobs) startWorker();
        else if (running === 0) resolve();
      });
      sendTo({ type: 'setup', setup });
    };
    if (queue.length === 0) resolve();
    else for (let k = 0; k < jobs; k++) startWorker();
  });

  // 3. The grades, once more, complete.
  writeCsv();
  progress.finish();
  const byStatus: Record<string, number> = {};
  for (const r of rows.values()) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return { students: students.length, byStatus, ignored, seconds: (Date.now() - started) / 1000 };
}
