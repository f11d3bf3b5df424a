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
 *      kills a worker twice gets a kit-error row;
 *   5. SIGINT or SIGTERM (Ctrl-C): no student is started any more, the workers are stopped, every
 *      row received is written and the summary says how many are left; `--resume` grades only
 *      the students the grades file has no row for, with the seed read back from it;
 *   6. once the grades are written: the class overview page at the report root (overview.ts).
 *
 * Workers' output goes through the progress display (a line printed above the bar, never into
 * it): their stdout and stderr are pipes, which also keeps jest from drawing on the terminal.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadRubric } from '../lib/rubric';
import { UsageError } from '../usage';
import { currentLab, KIT_ROOT } from '../lib/paths';
import { folderProblem, writeOutput } from '../write';
import type { RunOptions } from '../grade';
import { NOT_GRADED_DETAIL, renderGrades, type GradeRow, type GradesRun } from './csv';
import { fileKitError } from './filing';
import { writeClassOverview } from './overview';
import { allowanceFrom, STUDENT_WATCHDOG_MS } from '../watchdog';
import { discover, shardOf, type Shard, type StudentEntry } from './discover';
import { Progress, type ProgressStream } from './progress';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol';
import { TYPECHECK_TIMEOUT_MS, typeCheckInWorker } from '../stages/compile';
import { checkQueue } from './checks';
import { fullDiskMessage } from '../lib/tmpdir';

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
  /** Rows already graded (`--resume`): these students are not graded again. */
  done?: GradeRow[];
  /** Where the workers' own messages go (default: above the progress display). */
  messages?: (line: string) => void;
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
  /** Students graded before (`--resume`), counted in `students`. */
  resumed: number;
  /** Set when a signal stopped the batch: the students without a row. */
  interrupted?: { signal: NodeJS.Signals; left: number };
  /**
   * Set when a write that failed stopped the batch (a full disk: the temporary folder, a report
   * folder, the grades file itself): what failed, whether it was a full disk, and the students
   * without a row; `csv` when it was the grades file (it then holds the rows of its last write).
   */
  writeFailed?: { message: string; full: boolean; csv: boolean; left: number };
  /** Why the class overview page is missing, when it could not be written. */
  overviewProblem?: string;
}

/** A worker's V8 heap limit, in MB. */
const WORKER_HEAP_MB = 320;
/** A worker's young-generation semi-space, in MB (see the fork below). */
const WORKER_SEMI_SPACE_MB = 16;

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
  const rows = new Map<string, GradeRow>();
  const inClass = new Set(students.map((st) => st.id));
  const strangers = (request.done ?? []).filter((row) => !inClass.has(row.student)).map((row) => row.student);
  if (strangers.length) {
    throw new UsageError(`--resume: ${request.out} has rows for students that are not in ${request.dir}${request.shard ? ` (shard ${request.shard.index}/${request.shard.count})` : ''}: ${strangers.slice(0, 5).join(', ')}${strangers.length > 5 ? ` and ${strangers.length - 5} more` : ''}; is it the same class?`);
  }
  // Made now, before any student (and after the checks that refuse the command), or refused in
  // one line (a file or a link to nothing on the way).
  const reportProblem = folderProblem(request.reportRoot);
  if (reportProblem) throw new UsageError(`--report-dir ${reportProblem}`);
  for (const row of request.done ?? []) if (row.status !== 'not graded') rows.set(row.student, row);
  const resumed = rows.size;
  const progress = new Progress(students.length - resumed, request.progress ?? process.stderr);
  const run: GradesRun = { seed: request.options.seed, shard: request.shard ? `${request.shard.index}/${request.shard.count}` : '1/1' };
  const maxScore = rubric.parts.filter((p) => partNames.includes(p.name)).reduce((sum, p) => sum + p.points, 0);
  // Every student of the shard has a row, from the first write on: those not graded yet say so,
  // so that a file left by a stopped (or crashed) batch is never taken for a whole class.
  const pending = (st: StudentEntry): GradeRow => ({ student: st.id, points: partNames.map(() => 0), total: 0, max: maxScore, status: 'not graded', detail: NOT_GRADED_DETAIL });
  const writeCsv = (): void => writeOutput(request.out, renderGrades(partNames, students.map((st) => rows.get(st.id) ?? pending(st)), run));
  // Before any student: a grades file that cannot be written stops the command (cli.ts says why).
  writeCsv();
  // Later, a write that fails stops the batch, as a full disk a worker meets does (below); the
  // grades file keeps what it was last written with (writes are atomic), for --resume.
  const writeCsvOrStop = (): void => {
    try {
      writeCsv();
    } catch (err) {
      const full = fullDiskMessage(err, request.out);
      onWriteFailed(full ?? `cannot write the grades file ${request.out}: ${err instanceof Error ? err.message : String(err)}`, full !== undefined, true);
    }
  };

  // 2. Workers, fed on demand. Students whose worker died wait in `retry`, to be graded alone.
  const queue: StudentEntry[] = students.filter((st) => !rows.has(st.id));
  const retry: StudentEntry[] = [];
  const retried = new Set<string>();
  let stopped: NodeJS.Signals | undefined;
  let writeFailed: { message: string; full: boolean; csv: boolean } | undefined;
  const setup: WorkerSetup = { options: request.options, partNames, reportRoot: path.resolve(request.reportRoot) };
  const jobs = Math.max(1, Math.min(request.jobs, students.length || 1));
  const maxGroup = request.groupSize ?? 24;
  const studentAllowance = allowanceFrom('VG_STUDENT_WATCHDOG_MS', STUDENT_WATCHDOG_MS);
  let lastCsv = Date.now();

  const record = (row: GradeRow): void => {
    // After a signal, rows still arriving may tell of its effects (a helper process it ended),
    // not of the student's code, and after a full disk of what it failed to write: those students
    // are graded by --resume instead.
    if (stopped || writeFailed || rows.has(row.student)) return;
    rows.set(row.student, row);
    progress.tick(row.status);
    // Rewritten now and then, so that an interrupted batch leaves what it graded.
    if (Date.now() - lastCsv > 5000) {
      lastCsv = Date.now();
      writeCsvOrStop();
    }
  };

  const giveUp = (student: StudentEntry, why: string): void => record(fileKitError(setup, student, why));

  // The batch's one type checker (its warnings cached on disk, as a worker's were), one check at a
  // time, each given its time from its arrival (checks.ts).
  const checkForWorker = checkQueue(typeCheckInWorker, TYPECHECK_TIMEOUT_MS);

  // Workers that die with nobody graded in between (a broken build, say) are not restarted forever.
  let deathsInARow = 0;
  // 5. A signal: start nobody more, stop the workers, keep every row; a second one ends at once.
  const children = new Set<ChildProcess>();
  let stoppedAt = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopped) {
      // npm passes a Ctrl-C on to its child, which the terminal has already sent it: a repeat
      // within a second is the same Ctrl-C, not a second one.
      if (Date.now() - stoppedAt < 1000) return;
      for (const c of children) c.kill('SIGKILL');
      writeCsv();
      progress.finish();
      process.stderr.write(`Stopped at once by a second ${signal}: ${rows.size} of ${students.length} students graded; grades so far in ${request.out} (seed ${run.seed}). Go on with the same command and --resume.\n`);
      process.exit(130);
    }
    stoppedAt = Date.now();
    stopped = signal;
    stopStarting(`${signal}: stopping; the students graded so far are kept (${signal === 'SIGINT' ? 'Ctrl-C again to stop at once' : 'send it again to stop at once'})`);
  };
  // Whatever stops the batch (a signal, a full disk): nobody more is started, the workers are
  // stopped, and every row graded before it is kept.
  const stopStarting = (why: string): void => {
    queue.splice(0);
    retry.splice(0);
    progress.log(why);
    for (const c of children) c.kill('SIGTERM');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A full disk (a worker's, or the grades file's): stopped as on a signal (every student after
  // would meet it too).
  const onWriteFailed = (message: string, full: boolean, csv = false): void => {
    if (stopped) return;
    if (writeFailed) {
      // Already stopping: the grades file failing too is worth knowing (it lacks the latest rows).
      writeFailed.csv ||= csv;
      return;
    }
    writeFailed = { message, full, csv };
    stopStarting(`stopping: ${message}`);
  };
  try {
  await new Promise<void>((resolve) => {
    let running = 0;
    const startWorker = (): void => {
      running++;
      const child: ChildProcess = fork(path.join(KIT_ROOT, 'build', 'grader', 'batch', 'worker.js'), [], {
        // Pipes, not the terminal: their lines are printed above the progress bar, and jest,
        // seeing no terminal, draws nothing of its own.
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        // A worker keeps about 50 MB alive between groups, but V8 lets an unbounded heap grow by
        // hundreds of MB before it collects; a bound makes it collect sooner (and keeps a class's
        // batch within its memory target) at no cost in time.
        // Node 24's V8 grows the young generation to 128 MB under a worker's load (Node 20's
        // stopped at 32): bounded as Node 20 had it, the batch's tree stays under 1.5 GB, in the
        // same time within the noise (bench:batch).
        execArgv: [...process.execArgv, `--max-old-space-size=${WORKER_HEAP_MB}`, `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`, '--expose-gc'],
      });
      children.add(child);
      for (const stream of [child.stdout, child.stderr]) forwardLines(stream, request.messages ?? ((line) => progress.log(line)));
      let held: StudentEntry[] = [];
      // The worker's scratch folders (its students' compiled files, the manifest with the seed):
      // a worker that ends normally has removed them; one killed outright (a bug, the watchdog)
      // has not, so they go with it.
      const scratch = new Set<string>();
      // A worker that holds students and shows no sign of life (no test ended, no student filed)
      // for a student's allowance is wedged: it is stopped, and its students are graded again one
      // by one, as after any worker's death.
      let wedged: NodeJS.Timeout | undefined;
      let wedgedOn: string | undefined;
      const watch = (): void => {
        clearTimeout(wedged);
        if (held.length === 0) return;
        wedged = setTimeout(() => {
          wedgedOn = `grading made no progress for ${studentAllowance / 1000} s`;
          progress.log(`${held.map((h) => h.id).join(', ')}: ${wedgedOn}; the worker grading ${held.length === 1 ? 'this student' : 'them'} was stopped${held.length === 1 ? '' : ' (each is graded again alone)'}`);
          child.kill('SIGKILL');
        }, studentAllowance);
        wedged.unref();
      };
      const sendTo = (m: ToWorker): void => { if (child.connected) child.send(m); };
      child.on('message', (m: FromWorker) => {
        if (m.type === 'progress') {
          watch();
          return;
        }
        if (m.type === 'scratch') {
          if (!m.made) scratch.delete(m.dir);
          else if (path.isAbsolute(m.dir) && path.basename(m.dir).startsWith('vg-grade-')) scratch.add(m.dir);
          return;
        }
        if (m.type === 'disk-full') {
          onWriteFailed(m.message, true);
          return;
        }
        if (m.type === 'check') {
          checkForWorker(m.source).then((warnings) => sendTo({ type: 'checked', id: m.id, warnings }), () => undefined);
          return;
        }
        if (m.type === 'graded') {
          deathsInARow = 0;
          held = held.filter((h) => h.id !== m.row.student);
          record(m.row);
          watch();
          return;
        }
        // Ready: a student to grade again, alone; else the next group, smaller as the queue
        // empties so that no worker idles early.
        held = retry.length > 0 ? retry.splice(0, 1) : queue.splice(0, Math.max(1, Math.min(maxGroup, Math.ceil(queue.length / (jobs * 2)))));
        watch();
        if (held.length === 0) sendTo({ type: 'stop' });
        else sendTo({ type: 'grade', students: held });
      });
      child.on('exit', (code, signal) => {
        clearTimeout(wedged);
        running--;
        children.delete(child);
        for (const dir of scratch) {
          try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* left for the system's cleaning */ }
        }
        if (stopped || writeFailed) {
          if (running === 0) resolve();
          return;
        }
        // 4. Students a dead worker held are graded again, alone; twice is a kit error.
        for (const h of held) {
          if (rows.has(h.id)) continue;
          if (retried.has(h.id)) giveUp(h, wedgedOn ? `its ${wedgedOn}, twice (the second time graded alone)` : `its grader process stopped twice (${signal ?? `exit ${code}`})`);
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
    else for (let k = 0; k < Math.min(jobs, queue.length); k++) startWorker();
  });
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }

  // 3. The grades, once more, complete (or as far as they got).
  writeCsvOrStop();
  progress.finish();
  // 4. The class overview, after the last row: it counts every student, as grades.csv does.
  // A page that cannot be written (a student's folder named index.html) costs the page, not the grades.
  let overviewProblem: string | undefined;
  try {
    await writeClassOverview(request.reportRoot, students, (id) => rows.get(id) ?? pending(students.find((st) => st.id === id)!), run, partNames, !request.options.noFigures, currentLab().title);
  } catch (err) {
    overviewProblem = `the class overview could not be written: ${err instanceof Error ? err.message : String(err)}`;
  }
  const byStatus: Record<string, number> = {};
  for (const r of rows.values()) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return {
    students: students.length, byStatus, ignored, seconds: (Date.now() - started) / 1000, resumed,
    ...(overviewProblem ? { overviewProblem } : {}),
    ...(stopped ? { interrupted: { signal: stopped, left: students.length - rows.size } } : {}),
    ...(writeFailed && !stopped ? { writeFailed: { ...writeFailed, left: students.length - rows.size } } : {}),
  };
}

/** Calls `onLine` with each line a stream gives (the last one even without its line break). */
function forwardLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onLine(line.replace(/\r$/, ''));
  });
  stream.on('end', () => { if (buffered.trim()) onLine(buffered); });
}
