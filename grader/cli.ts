/**
 * `npm run grade`: parse the options, grade, report. Exit status: 0 whenever grading ran (whatever
 * the score), 2 for a usage error or a missing/unreadable submission, 1 when the grader itself
 * failed. Whatever happens, a valid result is written to `--out` (score 0 and the reason, at worst).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs as nodeParseArgs } from 'node:util';
import { grade, isolationFor, IsolationRefused, readAhead } from './grade';
import { kitErrorResult } from './kit-error';
import { allowanceFrom, exitSoon, GRADE_WATCHDOG_MS, outsideGraceMs, startOutsideWatchdog, startWatchdog } from './watchdog';
import { shutInspector } from './sandbox/reaper';
import { parseArgsMessage, parseSeed, UsageError } from './usage';
import type { GradeResult } from './result';
import { readReleaseInfo } from './lib/release';
import { FORMATS, render, type Format } from './report';
import { renderText } from './report/text';
import { writeReportFolder } from './report/folder';
import { outputKind, outputProblem, outputTarget, sameFolder, within, writeOutput } from './write';
import { canColor } from './lib/terminal';
import { ManifestError } from './lab';
import { KIT_ROOT } from './lib/paths';
import { outputFailed, watchOutput } from './lib/output';
import { drawSeed } from './lib/random';
import { loadRubric } from './lib/rubric';
import { defaultJobs, runBatch } from './batch/run';
import { parseShard, type Shard } from './batch/discover';
import { readGrades, stoppedBatch, type GradeRow } from './batch/csv';
import { safeLine, safeText } from './report/sanitize';
import { fullDiskMessage, tmpdirProblem } from './lib/tmpdir';
import { applyLab, labFilesText, labIdsText, labLine, type LabChoice } from './lib/choose-lab';

/** Parsed command-line options. */
export interface CliOptions {
  /** `--submission PATH`: a file, or a folder holding the lab's file. */
  submission?: string;
  /** `--lab ID`: the lab to grade (else the submission's files say, else the kit's default; see lib/choose-lab.ts). */
  lab?: string;
  /** `--report-dir DIR`: where report files go. */
  reportDir: string;
  /** `--format`: the format of `--out` (or of stdout, without `--out`). */
  format: Format;
  /** `--out FILE`: where the formatted result goes. */
  out?: string;
  /** `--seed N`: replay a run's hidden inputs. */
  seed?: number;
  /** `--quiet`: no terminal report. */
  quiet: boolean;
  /** `--official`: a course platform grades; the score is not advisory. */
  official: boolean;
  /** `--allow-weak-isolation`: official grading may run student code with weak isolation. */
  allowWeakIsolation: boolean;
  /** `--no-figures`: draw no figures (faster; the report has no pictures). */
  noFigures: boolean;
  /** `--only PART`: grade one part (GitHub Classroom gives points per step). */
  only?: string;
  /** `--fail-under PERCENT`: exit 1 when the score is below it. */
  failUnder?: number;
  /** `--batch DIR`: grade a class (one entry per student) into a grades CSV. */
  batch?: string;
  /** `--jobs N`: worker processes for a batch. */
  jobs?: number;
  /** `--shard i/n`: this runner's part of the batch. */
  shard?: Shard;
  /** `--resume`: grade only the students the grades file has no row for, with its seed. */
  resume?: boolean;
  /** `--help`. */
  help: boolean;
}

export { UsageError };

/**
 * The usage text. In the student release (which has the public tests only, and no batch), it says
 * so and leaves out what only the instructor's kit does.
 */
export function usage(release: boolean = readReleaseInfo() !== undefined): string {
  const against = release
    ? 'against the lab\'s public tests (the course\'s grader runs its hidden tests too).'
    : 'against the lab\'s public and hidden tests.';
  return `usage: npm run grade -- [options]

Grades the kit's default lab's file in exercises/ (or --submission) ${against}

  --submission PATH   a lab's file (${labFilesText()}), or a folder that holds one
  --lab ID            the lab to grade: ${labIdsText()} (default: the lab whose file the
                      submission${release ? '' : ', or the class,'} holds; else the kit's default lab)
  --report-dir DIR    where report files go (default: grade-report/)
  --format FORMAT     ${FORMATS.join(' | ')}: the format of --out (default: text)
  --out FILE          write the result there, in --format (always written, even on failure)
  --seed N            replay the ${release ? '' : 'hidden '}tests' inputs of an earlier run
  --quiet             no text report on the terminal (a --format other than text, without
                      --out, still goes to stdout: only that format, nothing else)
${release ? '' : `  --official          a course platform grades: the score is official, not advisory (refused
                      where student code can only be weakly isolated: see the README's security model)
  --allow-weak-isolation
                      grade officially even so (a batch too): the instructor accepts the risk
`}  --no-figures        draw no figures (the report page then has none)
  --only PART         grade one part: one of the functions the lab's manifest grades
  --fail-under PCT    exit 1 when the score is below PCT percent (GitHub Classroom's pass/fail steps)
  --help              this text
${release ? '' : `
Grading a class:

  --batch DIR         grade every student in DIR: DIR/<id>/<the lab's file> or DIR/<id>.ts
                      (--out is then the grades CSV, default grades.csv; --report-dir gets one
                      folder per student)
  --jobs N            worker processes (default: one per core)
  --shard i/n         grade every n-th student from the i-th (split a class across CI runners;
                      join the CSVs with npm run merge:grades)
  --resume            go on with a batch that was stopped (Ctrl-C): grade only the students the
                      grades file (--out) lists as not graded yet, with the seed it was graded with
`}`;
}

/** The options as node:util's parseArgs reads them (the values are checked below). */
const OPTION_SPEC = {
  submission: { type: 'string' }, lab: { type: 'string' }, 'report-dir': { type: 'string' }, out: { type: 'string' }, format: { type: 'string' },
  seed: { type: 'string' }, quiet: { type: 'boolean' }, official: { type: 'boolean' }, 'allow-weak-isolation': { type: 'boolean' },
  'no-figures': { type: 'boolean' }, only: { type: 'string' }, 'fail-under': { type: 'string' }, batch: { type: 'string' },
  jobs: { type: 'string' }, shard: { type: 'string' }, resume: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

/** Parses argv (without node and the script). */
export function parseArgs(argv: string[]): CliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = nodeParseArgs({ args: argv, options: OPTION_SPEC, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError(parseArgsMessage(err, (arg) => `did you mean --submission ${arg}?`));
  }
  const str = (name: string): string | undefined => values[name] as string | undefined;
  const options: CliOptions = {
    reportDir: str('report-dir') ?? 'grade-report', format: 'text', quiet: values.quiet === true, official: values.official === true,
    allowWeakIsolation: values['allow-weak-isolation'] === true, noFigures: values['no-figures'] === true, help: values.help === true,
  };
  if (str('submission') !== undefined) options.submission = str('submission');
  if (str('lab') !== undefined) options.lab = str('lab');
  if (str('out') !== undefined) options.out = str('out');
  if (str('only') !== undefined) options.only = str('only');
  if (str('batch') !== undefined) options.batch = str('batch');
  if (values.resume === true) options.resume = true;
  const f = str('format');
  if (f !== undefined) {
    if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}; got ${f}`);
    options.format = f as Format;
  }
  const seed = str('seed');
  if (seed !== undefined) {
    options.seed = parseSeed(seed);
  }
  const under = str('fail-under');
  if (under !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(under) || Number(under) > 100) throw new UsageError(`--fail-under takes a percentage from 0 to 100; got ${under}`);
    options.failUnder = Number(under);
  }
  const jobs = str('jobs');
  if (jobs !== undefined) {
    if (!/^\d{1,3}$/.test(jobs) || Number(jobs) < 1) throw new UsageError(`--jobs takes a whole number from 1; got ${jobs}`);
    options.jobs = Number(jobs);
  }
  const shard = str('shard');
  if (shard !== undefined) options.shard = parseShard(shard);
  if (options.batch === undefined) {
    if (options.jobs !== undefined || options.shard || options.resume) throw new UsageError('--jobs, --shard and --resume go with --batch DIR');
  } else {
    if (options.submission !== undefined) throw new UsageError('--batch grades a folder of students; --submission grades one: give one of them');
    if (options.format !== 'text') throw new UsageError('--batch writes a grades CSV to --out; --format is for one submission');
    if (options.failUnder !== undefined) throw new UsageError('--fail-under is for one submission, not a batch');
  }
  return options;
}

/** Runs a batch; returns the exit status (1 when a student's grading failed for the kit's fault; 130 when stopped). */
async function mainBatch(options: CliOptions, lab: LabChoice): Promise<number> {
  const out = options.out ?? 'grades.csv';
  // --resume: the rows already there are kept, and their seed is the run's (the hidden inputs of
  // the students still to grade must be the same as their classmates').
  let done: GradeRow[] = [];
  let seed = options.seed;
  if (options.resume) {
    let text: string;
    try {
      text = fs.readFileSync(out, 'utf8');
    } catch (err) {
      throw new UsageError(`--resume: cannot read the grades file ${out} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): give the --out of the batch to go on with`);
    }
    const rubric = loadRubric();
    const partNames = rubric.parts.filter((p) => !options.only || p.name === options.only).map((p) => p.name);
    let read: ReturnType<typeof readGrades>;
    try {
      read = readGrades(text, partNames, out);
    } catch (err) {
      throw new UsageError(`--resume: ${(err as Error).message}`);
    }
    done = read.rows;
    if (read.run) {
      if (seed !== undefined && seed !== read.run.seed) throw new UsageError(`--resume: ${out} was graded with seed ${read.run.seed}, not ${seed}: leave --seed out, or start again`);
      const shard = options.shard ? `${options.shard.index}/${options.shard.count}` : '1/1';
      if (shard !== read.run.shard) throw new UsageError(`--resume: ${out} is shard ${read.run.shard}, not ${shard}`);
      seed = read.run.seed;
    }
  } else {
    // The grades of a batch that was stopped are not written over by the same command run again
    // without --resume (the up arrow): its students graded so far would be lost.
    let text: string | undefined;
    try { text = fs.readFileSync(out, 'utf8'); } catch { /* no such file: nothing to keep */ }
    const stopped = text === undefined ? undefined : stoppedBatch(text);
    if (stopped) throw new UsageError(`${out} holds the grades of a batch that was stopped (${stopped.graded} student${stopped.graded === 1 ? '' : 's'} graded, ${stopped.left} not yet): add --resume to go on with it, or remove the file (or give another --out) to start again`);
  }
  seed ??= drawSeed();
  const quietStream = { write: () => true, isTTY: false };
  const summary = await runBatch({
    dir: options.batch!, out, reportRoot: options.reportDir, jobs: options.jobs ?? defaultJobs(), shard: options.shard, done,
    // A batch is the instructor's grading: the score is official.
    options: { seed, advisory: false, noFigures: options.noFigures, only: options.only, allowWeakIsolation: options.allowWeakIsolation },
    progress: options.quiet ? quietStream : process.stderr,
    // Without a progress display, the workers' own messages (a crash's stack) still reach stderr.
    // (Escaped: they may quote a student's id or file, which are the students' to name.)
    ...(options.quiet ? { messages: (line: string) => { process.stderr.write(`${safeLine(line)}\n`); } } : {}),
  });
  const by = Object.entries(summary.byStatus).map(([st, n]) => `${st} ${n}`).join(', ') || 'nobody';
  const shardNote = options.shard ? ` (shard ${options.shard.index}/${options.shard.count})` : '';
  const resumedNote = summary.resumed ? ` (${summary.resumed} graded before, kept)` : '';
  if (summary.interrupted) {
    // Said even with --quiet: an interrupted batch must say what is left.
    const { signal, left } = summary.interrupted;
    process.stderr.write(`Stopped by ${signal}: ${summary.students - left} of ${summary.students} students graded${shardNote}${resumedNote}: ${by}; ${left} left.\n`);
    process.stderr.write(`Grades so far: ${out}   Seed: ${seed}\nGo on with the same command and --resume.\n`);
    return 130;
  }
  if (summary.writeFailed) {
    // Said even with --quiet, as a signal's stop: the machine's to fix, then --resume.
    const { message, full, csv, left } = summary.writeFailed;
    process.stderr.write(`grade: ${safeText(message)}\n`);
    process.stderr.write(`Stopped: ${summary.students - left} of ${summary.students} students graded${shardNote}${resumedNote}: ${by}${left ? `; ${left} left, not graded (no fault of theirs)` : ''}.\n`);
    process.stderr.write(`Grades so far: ${out}${csv ? ', as it was last written (the students graded after that are not in it; --resume grades them again)' : ''}   Seed: ${seed}\n${full ? 'Once there is room' : 'Once that is fixed'}, go on with the same command and --resume.\n`);
    return 2;
  }
  if (!options.quiet) {
    process.stdout.write(`Graded ${summary.students} student${summary.students === 1 ? '' : 's'}${shardNote} in ${summary.seconds.toFixed(1)} s${resumedNote}: ${by}.\n`);
    process.stdout.write(`${labLine(lab)}\n`);
    process.stdout.write(`Grades: ${out}   Reports: ${path.join(options.reportDir, '<student>', 'index.html')}   Class overview: ${path.join(options.reportDir, 'index.html')}   Seed: ${seed}\n`);
    if (summary.ignored.length) process.stdout.write(`Not submissions, left out: ${summary.ignored.map(safeLine).join(', ')}\n`);
  }
  // Said even with --quiet: the grades are fine, one page is missing.
  if (summary.overviewProblem) process.stderr.write(`Note: ${summary.overviewProblem}\n`);
  return summary.byStatus['kit error'] ? 1 : 0;
}

/** Set when --out could not be written once grading was done (a full disk). */
let outFileFailed = false;

/** Runs the command; returns the exit status (1 at least when its output could not be written). */
export async function main(argv: string[]): Promise<number> {
  watchOutput('grade');
  const code = await run(argv);
  return outputFailed() || outFileFailed ? Math.max(code, 1) : code;
}

async function run(argv: string[]): Promise<number> {
  // Before anything else: no signal may open this process's inspector (see sandbox/reaper.ts).
  shutInspector();
  let options: CliOptions;
  try {
    options = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`grade: ${safeText(err.message)}\n\n${usage()}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(usage());
    return 0;
  }
  // Before anything is started: every grading makes its scratch folder in the temporary folder.
  const tmpProblem = tmpdirProblem();
  if (tmpProblem) {
    process.stderr.write(`grade: ${safeText(tmpProblem)}\n`);
    return 2;
  }
  // Where the output goes, before any work: a folder, or a folder that cannot be written to, would
  // fail only once everything was graded.
  const out = options.out ?? (options.batch !== undefined ? 'grades.csv' : undefined);
  const outProblem = out === undefined ? undefined
    : options.batch !== undefined && outputKind(out) === 'special' ? `--out ${out}: a batch rewrites its grades file as it goes (and --resume reads it back): name a file`
      : outputProblem(out) ?? outputClash(out, options);
  if (outProblem) {
    process.stderr.write(`grade: ${safeText(outProblem)}\n`);
    return 2;
  }
  if (options.official && readReleaseInfo()) {
    process.stderr.write('grade: --official: this is the student release, which has only the public tests; the official score comes from the course\'s grader\n');
    return 2;
  }
  if (options.batch !== undefined) {
    if (readReleaseInfo()) {
      process.stderr.write('grade: --batch: this is the student release, which has only the public tests; batches are graded with the instructor\'s kit\n');
      return 2;
    }
    try {
      // The lab, before anything reads it (the workers inherit it): --lab, else the one whose
      // file the students' folders hold, else the kit's default.
      const lab = applyLab({ lab: options.lab, batch: options.batch });
      // Refused before any student is graded, rather than once per student.
      isolationFor({ advisory: false, allowWeakIsolation: options.allowWeakIsolation });
      return await mainBatch(options, lab);
    } catch (err) {
      // A full disk before any student (the grades file's first write): one line, as for one submission.
      const full = fullDiskMessage(err);
      if (full) {
        process.stderr.write(`grade: ${safeText(full)}\n`);
        return 2;
      }
      if (!(err instanceof UsageError) && !(err instanceof IsolationRefused)) throw err;
      // A usage error of a batch may quote a grades file's cells or the class folder's names.
      process.stderr.write(`grade: ${safeText(err.message)}\n`);
      return 2;
    }
  }
  // The lab, before anything reads it (every process started from here on inherits it): --lab,
  // else the one whose file the submission is or holds, else the kit's default.
  let lab: LabChoice;
  try {
    lab = applyLab({ lab: options.lab, submission: options.submission });
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`grade: ${safeText(err.message)}\n\n${usage()}`);
    return 2;
  }
  const labText = labLine(lab);
  const seed = options.seed ?? drawSeed();
  let result: GradeResult | undefined;
  let images: ReadonlyMap<string, Buffer> = new Map();
  // Last line of defence: if the event loop drains while grading still waits on something (a bug
  // of the kit), Node would exit 0 with nothing written. Write a kit-error result instead.
  const stalled = (): void => {
    emit(kitError(options, seed, new Error('grading stopped before it finished (a promise was never settled)')), new Map(), options);
    process.exitCode = 1;
  };
  process.once('beforeExit', stalled);
  // Whatever hangs, the grading ends: past its allowance the result says so and the process
  // exits; should this process's event loop be blocked, a watchdog outside it does both a moment later.
  const allowance = allowanceFrom('VG_GRADE_WATCHDOG_MS', GRADE_WATCHDOG_MS);
  const watchdog = startWatchdog(allowance, () => {
    process.removeListener('beforeExit', stalled);
    emitStopped(argv, seed, allowance, options);
  });
  startOutsideWatchdog(allowance + outsideGraceMs(allowance), argv, seed);
  // The file is read now (the watchdogs stand) and, when it was not transpiled before, its
  // compiler's process started: it starts beside the grader's own start (see readAhead).
  // Whatever fails here fails again in grade() below, which turns it into a result.
  try {
    readAhead([options.submission]);
  } catch { /* reported by grade() */ }
  // For the kit's own tests: a grader whose event loop is blocked, which only the outside watchdog can end.
  if (process.env.VG_TEST_GRADER_BLOCKS === '1') for (;;) { /* blocked */ }
  try {
    ({ result, images } = await grade({ submission: options.submission, seed, advisory: !options.official, allowWeakIsolation: options.allowWeakIsolation, noFigures: options.noFigures, only: options.only }));
  } catch (err) {
    if (err instanceof UsageError) {
      process.removeListener('beforeExit', stalled);
      process.stderr.write(`grade: ${safeText(err.message)}\n\n${usage()}`);
      return 2;
    }
    // A disk that is full (the temporary folder, where the scratch folder and the compiled file
    // go, or the kit's caches): the machine's to fix, said in one line, as a TMPDIR that cannot be
    // written to is at the start. Nothing of the student's is graded wrong for it.
    const full = fullDiskMessage(err);
    if (full) {
      process.removeListener('beforeExit', stalled);
      process.stderr.write(`grade: ${safeText(full)}\n`);
      return 2;
    }
    // A fault of the kit, not of the submission: still a valid result, score 0, with the reason.
    const detail = err instanceof IsolationRefused || err instanceof ManifestError ? err.message : err instanceof Error ? err.stack ?? err.message : String(err);
    process.stderr.write(`grade: the grader failed: ${safeText(detail)}\n`);
    result = kitError(options, seed, err);
  } finally {
    // Written in finally, whatever happened above.
    watchdog.stop();
    process.removeListener('beforeExit', stalled);
    if (result) emit(result, images, options, labText);
  }
  if (!result) return 1;
  if (result.status === 'missing') {
    process.stderr.write(`grade: ${safeText(result.message ?? 'missing')}\n`);
    return 2;
  }
  if (result.status === 'kit-error') return 1;
  if (options.failUnder !== undefined && result.maxScore > 0 && (100 * result.score) / result.maxScore < options.failUnder) {
    process.stderr.write(`grade: ${result.score}/${result.maxScore} is below --fail-under ${options.failUnder}%\n`);
    return 1;
  }
  return 0;
}

/**
 * Writes the result of a grading stopped by a watchdog after `ms`, everywhere the command's
 * arguments ask (the outside watchdog calls it from its own process, with the grader's arguments).
 */
export function emitStopped(argv: string[], seed: number, ms: number, parsed?: CliOptions): void {
  const options = parsed ?? parseArgs(argv);
  process.stderr.write(`grade: grading did not finish within ${+(ms / 1000).toFixed(1)} s; stopped\n`);
  emit(kitError(options, seed, new Error(`grading did not finish within ${+(ms / 1000).toFixed(1)} s, so it was stopped`)), new Map(), options);
}

/**
 * Why `out` must not be written: it is (through its links) a file the run reads or writes itself,
 * the submission (its code would be replaced by the result), a file of the class folder (a
 * classmate's), one in the report folder (the page would replace it), or one of the kit's own
 * (its manifest, say: every later grade would fail). Undefined when none.
 */
function outputClash(out: string, options: CliOptions): string | undefined {
  const target = outputTarget(out);
  const said = (what: string): string => `--out ${out} would write over ${what}: name a file outside it`;
  if (options.submission !== undefined) {
    const given = path.resolve(options.submission);
    const folder = fs.statSync(given, { throwIfNoEntry: false })?.isDirectory();
    if (folder ? within(target, given) && target.endsWith('.ts') : within(target, given)) return said('the submission');
  }
  // In the class folder: a student's entry (a .ts file, or anything in a student's folder); a
  // grades file beside the students, not one of them, is fine (it is listed as left out).
  if (options.batch !== undefined && within(target, options.batch) && (target.endsWith('.ts') || !sameFolder(path.dirname(target), options.batch))) {
    return said(`a student's entry in the class folder ${options.batch}`);
  }
  // The files the report folder writes (its result.json is the same record as --format json).
  const report = path.resolve(options.reportDir);
  const reportFiles = ['index.html', 'report.txt', ...(options.format === 'json' ? [] : ['result.json'])];
  if (within(target, path.join(report, 'figures')) || reportFiles.some((f) => within(target, path.join(report, f)))) {
    return said(`a file of the report folder ${options.reportDir}, which the grader writes`);
  }
  for (const own of ['grader', 'solutions', 'exercises', 'reference', 'build', 'node_modules']) {
    if (within(target, path.join(KIT_ROOT, own))) return said(`the kit's own ${own}/`);
  }
  return undefined;
}

/** The result of a run the grader itself could not complete: score 0 and the reason. */
function kitError(options: CliOptions, seed: number, err: unknown): GradeResult {
  return kitErrorResult({ submission: options.submission, seed, advisory: !options.official, err });
}

/** The GitHub Actions run's artifacts page, when running in one. */
function artifactsUrl(): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = process.env;
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}#artifacts` : undefined;
}

/** Sends a result everywhere it was asked for; the report folder gets the page and the figures. */
function emit(result: GradeResult, images: ReadonlyMap<string, Buffer>, options: CliOptions, labText?: string): void {
  const context = { images, artifactsUrl: artifactsUrl() };
  if (options.out) {
    try {
      writeOutput(options.out, render(result, options.format, context));
    } catch (err) {
      // (A full disk, say.) The report folder below is still written, and the status says it.
      process.stderr.write(`grade: --out ${safeLine(options.out)} could not be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})\n`);
      outFileFailed = true;
    }
  }
  const dir = path.resolve(options.reportDir);
  let page: string | undefined = path.join(dir, 'index.html');
  // A report folder that cannot be written (read-only, another user's, a full disk) costs the
  // page, never the result: the result still goes to stdout or --out, and the status is grading's.
  if (result.status !== 'missing') {
    try {
      writeReportFolder(dir, result, images);
    } catch (err) {
      page = undefined;
      process.stderr.write(`grade: the report folder ${safeLine(path.relative(process.cwd(), dir) || dir)} could not be written (${safeLine(err instanceof Error ? err.message : String(err))}); the result is complete without it (--report-dir chooses another folder)\n`);
    }
  }
  // A machine format without --out goes to stdout, and nothing else does (--quiet or not): the
  // output is that format alone, for a pipe or a redirect.
  if (!options.out && options.format !== 'text') {
    process.stdout.write(render(result, options.format, context));
    return;
  }
  if (options.quiet) return;
  if (result.status === 'missing') return;
  const color = canColor(process.stdout);
  process.stdout.write(renderText(result, { color, verbose: true, ...(page ? { reportPath: path.relative(process.cwd(), page) || page } : {}), ...(labText ? { lab: labText } : {}) }));
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // The result is written: nothing left over (a child's pipe, a library's timer) keeps the
      // command running.
      exitSoon();
    },
    (err) => { process.stderr.write(`grade: ${err instanceof Error ? err.stack : String(err)}\n`); process.exitCode = 1; },
  );
}
