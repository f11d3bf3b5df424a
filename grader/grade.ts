/**
 * The grading pipeline, as numbered steps. Each step is a module under stages/; results are plain
 * data (result.ts). This function never writes reports and never exits: cli.ts does both.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from './usage';
import { failedResult, RESULT_VERSION, type GradeResult, type PartResult, type TestResult } from './result';
import { isIntakeProblem, takeIn, type IntakeProblem, type Submission } from './stages/intake';
import { compile, transpileCached, typeCheckInWorker, warmTranspiler } from './stages/compile';
import { atPath } from './stages/compile-messages';
import { loadJest, runSuites } from './stages/run';
import { judge } from './stages/judge';
import { roundPoints, score } from './stages/score';
import type { LabProbe, SeriesBase } from './lab-code';
import { drawProbe, figuresCachedFor, rememberFiguresCached, type Drawn } from './stages/render';
import { Renderer } from './render/client';
import { sanitize, sanitizeFigures } from './report/sanitize';
import { kitErrorResult } from './kit-error';
import { findHints, type RecordedCall } from './feedback/hints';
import { decodeValue } from './sandbox/wire';
import type { SandboxOptions } from './sandbox/client';
import { prepareScratch, sandboxOptionsFor, scratchBase } from './sandbox/runtime';
import { detectIsolation, type IsolationPlan } from './sandbox/isolation';
import { discardEarlyChildren, startEarly } from './sandbox/launch';
import { makeScratch, removeScratch } from './sandbox/reaper';
import { currentLabCode, kitPaths } from './lib/paths';
import { loadRubric, type Rubric } from './lib/rubric';
import { loadReference } from './lib/reference';
import type { Manifest, Sidecar } from './lib/manifest';
import { RECORD_ENV } from './lib/answers';
import { readReleaseInfo } from './lib/release';
import { inPool } from './lib/pool';
import { noteProgress, onProbe, sidecarFailure } from './suites/collector';
import { isFullDisk } from './lib/tmpdir';

/** What to grade and how. */
export interface GradeRequest {
  /** The submission path as given (file or folder); undefined grades exercises/. */
  submission: string | undefined;
  /** The seed for hidden inputs. */
  seed: number;
  /** Overrides of the sandbox limits. */
  limits?: Partial<Omit<SandboxOptions, 'modulePath' | 'childScript'>>;
  /** Skip the lab probe: no printed block, no figures (it needs a second sandbox and a renderer). */
  skipLab?: boolean;
  /** Draw no figures (the printed block is still computed). */
  noFigures?: boolean;
  /** Grade only this part (the others are neither run nor scored). */
  only?: string;
  /** False when a course platform grades (`--official`); true on a student's machine. */
  advisory: boolean;
  /** Official grading may run student code with weak isolation (no namespaces, not root): the instructor's call. */
  allowWeakIsolation?: boolean;
  /**
   * Type-check after the tests instead of beside them, and hand the warnings over in
   * `Graded.lateWarnings` (the result then has none): npm run dev shows the verdicts first, and
   * the checker does not take the second core from the tests.
   */
  lateWarnings?: boolean;
}

/** Official grading was asked for where student code could only be isolated weakly. */
export class IsolationRefused extends Error {}

/**
 * The isolation student code will run in; official grading refuses `weak` unless allowed (a
 * submission could then reach the grader's own user: its files, its processes).
 */
export function isolationFor(options: Pick<GradeRequest, 'advisory' | 'allowWeakIsolation'>): IsolationPlan {
  const isolation = detectIsolation();
  if (isolation.mode === 'weak' && !options.advisory && !options.allowWeakIsolation) {
    throw new IsolationRefused(`official grading needs student code isolated by the operating system, and here it can only be weakly isolated: ${isolation.detail}. Install bubblewrap (and allow unprivileged user namespaces) or run the grader as root; or, knowing the risk, pass --allow-weak-isolation`);
  }
  return isolation;
}

/**
 * The submissions read (intake.ts), and the transpiler's process started now when one of them was
 * not transpiled before: its start (a Node process that loads esbuild, about 50 ms) then overlaps
 * the grader's own work before the compile instead of following it. The command line calls this
 * as soon as it knows the lab (the compiler names the file after it), ahead of gradeMany, which
 * calls it again (its transpiler is started once).
 */
export function readAhead(submissions: (string | undefined)[]): (Submission | IntakeProblem)[] {
  const taken = submissions.map((given) => takeIn(given));
  if (taken.some((s) => !isIntakeProblem(s) && !transpileCached(s.source))) warmTranspiler();
  return taken;
}

/** What grading gives: the result record, and the figures' image bytes by report file name. */
export interface Graded {
  /** The result. */
  result: GradeResult;
  /** PNGs for the report folder (empty when no figures were drawn). */
  images: Map<string, Buffer>;
  /** The series the lab's figures plot, from the student's functions (for a caller that draws them itself: npm run dev). */
  series?: SeriesBase;
  /** With `lateWarnings`: runs the type check (when the caller chooses) and gives its warnings, as `result.warnings` would have held them. */
  lateWarnings?: () => Promise<string[]>;
}

/** What a run over several submissions shares: everything in a request but the submission. */
export type RunOptions = Omit<GradeRequest, 'submission'>;

/** Long-lived helpers a caller grading many groups can keep warm between them. */
export interface Shared {
  /** The figure renderer (its process starts on the first figure that is not cached). */
  renderer?: Renderer;
  /** Told of the run's scratch folder when it is made and when it is removed (a batch worker tells its orchestrator). */
  scratch?: (dir: string, made: boolean) => void;
}

/** Grades one submission. Throws only on a fault of the kit (cli.ts turns that into a result). */
export async function grade(request: GradeRequest): Promise<Graded> {
  // The renderer process starts on its first request (see render/client.ts).
  const renderer = request.skipLab || request.noFigures ? undefined : new Renderer();
  try {
    let graded: Graded | undefined;
    await gradeMany([request.submission], request, (_, g) => { graded = g; }, { renderer });
    return graded!;
  } finally {
    renderer?.close();
  }
}

/**
 * Grades several submissions in one jest run (a batch's group; one submission for `grade`). Each
 * result is handed to `onGraded` with the submission's index as soon as it is known: problems at
 * intake and compile at once, the others after the run. Verdicts are the same as grading each
 * alone: every submission has its own sandbox child and meets the same hidden inputs. Throws only
 * on a fault of the kit.
 */
export async function gradeMany(
  submissions: (string | undefined)[],
  options: RunOptions,
  onGraded: (index: number, graded: Graded) => void | Promise<void>,
  shared: Shared = {},
): Promise<void> {
  const noImages = new Map<string, Buffer>();
  const timings: Record<string, number> = {};
  const clock = (name: string, since: number): void => { timings[name] = Math.round(performance.now() - since); };
  let t = performance.now();

  // 1. The kit's own inputs. A broken rubric or reference is the instructor's to fix: throw.
  const fullRubric = loadRubric();
  if (options.only !== undefined && !fullRubric.parts.some((p) => p.name === options.only)) {
    throw new UsageError(`--only takes one of ${fullRubric.parts.map((p) => p.name).join(', ')}; got ${options.only}`);
  }
  // With --only, the rubric is that one part: its points are the maximum. The parts it uses run
  // too, unscored, so that a failing part can still say which of them to fix first.
  const rubric = options.only ? { ...fullRubric, parts: fullRubric.parts.filter((p) => p.name === options.only) } : fullRubric;
  const runRubric = options.only ? { ...fullRubric, parts: fullRubric.parts.filter((p) => partsFor(fullRubric, options.only!).has(p.name)) } : fullRubric;
  const scored = (name: string): boolean => rubric.parts.some((p) => p.name === name);
  const reference = loadReference();
  const release = readReleaseInfo();
  const base = { exercise: rubric.exercise, title: rubric.title, seed: options.seed, parts: rubric.parts, advisory: options.advisory, ...(release ? { hiddenTests: release.hiddenTests } : {}) };

  // 2. The submissions read (their results wait for step 3), and the isolation and the scratch
  //    folder: the children may read their runtime and each its own compiled file, nothing else.
  //    Choosing the isolation before any result means that a platform that cannot isolate student
  //    code (and was not told to accept that) fails before any is given. A source not transpiled
  //    before has its compiler started first (readAhead): its start overlaps the isolation's probe
  //    (a sandbox started once) and the scratch folder, instead of following them.
  const taken = readAhead(submissions);
  const isolation = isolationFor(options);
  const drawing = !options.skipLab && !options.noFigures && currentLabCode() !== undefined;
  // (A temporary folder too full for it is said by cli.ts, as any disk the grader fills.)
  const scratchDir = makeScratch(scratchBase(isolation), 'vg-grade-');
  shared.scratch?.(scratchDir, true);
  try {
    const layout = prepareScratch(scratchDir);
    type Ready = { index: number; id: string; displayName: string; source: string; modulePath: string; sidecarPath: string; typeChecked: () => Promise<string[]> };
    const ready: Ready[] = [];
    for (const [index, given] of submissions.entries()) {
      // 3. Intake: missing and unacceptable submissions end here, as results.
      const submission = taken[index];
      if (isIntakeProblem(submission)) {
        await onGraded(index, { result: failedResult({ ...base, submission: given ?? kitPaths.submissionFileName, status: submission.kind, message: submission.message }), images: noImages });
        continue;
      }
      clock('intake', t);
      // The renderer's start (from its snapshot, about 50 ms; importing vega, vega-lite and sharp
      // without one, about 150 ms) overlaps the compile, jest's load and the tests instead of
      // following them, for figures that are not cached yet. A file graded before whose figures
      // were all cached then (grading again, unchanged) needs none, and the other core stays free.
      const warming = drawing && !(submissions.length === 1 && figuresCachedFor(submission.source)) ? shared.renderer?.warm() : undefined;
      // 4. Compile (in a child process, by esbuild); the student's process only ever receives
      //    JavaScript. Jest loads meanwhile, in this thread: the two overlap.
      t = performance.now();
      const compiling = compile(submission.source, layout.submissionDir(index));
      loadJest();
      const compiled = await compiling;
      clock('compile', t);
      noteProgress();
      if (!compiled.ok) {
        await onGraded(index, {
          result: failedResult({
            ...base, submission: submission.displayName, status: 'compile-error',
            message: `your code does not compile:\n${compiled.errors.map((e) => sanitize(atPath(e, kitPaths.submissionFileName, submission.displayName), scratchDir)).join('\n\n')}`,
          }),
          images: noImages,
        });
        continue;
      }
      // The type check reads untrusted source too: it runs in a worker with a time limit, and
      // overlaps the tests of a group (it only ever gives warnings).
      const check = (): Promise<string[]> => typeCheckInWorker(submission.source)
        .then((ws) => [...(submission.note ? [submission.note] : []), ...ws.map((w) => atPath(w, kitPaths.submissionFileName, submission.displayName))]);
      // The check starts now, beside the tests (its process loads TypeScript's compiler while
      // jest runs), unless the caller wants the verdicts first (npm run dev: the warnings follow).
      let started: Promise<string[]> | undefined = options.lateWarnings || submissions.length === 1 ? undefined : check();
      const typeChecked = (): Promise<string[]> => (started ??= check());
      // Graded alone, the check takes the other core once the renderer has started (it then waits
      // for the probe, while jest loads and the public tests run), or at once when no renderer
      // was started. A check beside the renderer's start slows both; one after the tests slows
      // the figures, which come last.
      if (submissions.length === 1 && !options.lateWarnings) void (warming ?? Promise.resolve()).then(typeChecked);
      ready.push({ index, id: `submission-${index}`, displayName: submission.displayName, source: submission.source, modulePath: compiled.modulePath, sidecarPath: path.join(scratchDir, `sidecar-${index}.json`), typeChecked });
    }
    if (ready.length === 0) return;

    // 5. Run the suites over every compiled submission, each in its own sandbox child; after a
    //    submission's tests, the same child is probed on the lab's inputs (the printed block, the
    //    figures' data).
    // A lab without code (a probe and figures) is graded by its tests alone.
    const lab = options.skipLab ? undefined : currentLabCode();
    const knobs = lab?.knobs.canonical(reference);
    const manifest: Manifest = {
      seed: options.seed,
      ...(options.only ? { parts: runRubric.parts.map((p) => p.name) } : {}),
      // A run that records answers (npm run release) must never record a hidden input.
      ...(process.env[RECORD_ENV] ? { publicOnly: true } : {}),
      ...(lab ? { lab: { knobs } } : {}),
      sandbox: sandboxOptionsFor(layout, isolation, { ...options.limits, ...testUnguarded(isolation) }),
      submissions: ready.map((r) => ({ id: r.id, modulePath: r.modulePath, sidecarPath: r.sidecarPath })),
    };
    // A submission graded alone has its figures drawn as soon as its probe has run (between its
    // public and its hidden tests): the renderer draws while the hidden tests run, not after them.
    // The data is the sidecar's own (the same JSON text). A batch's groups draw after their run,
    // a few submissions at a time (below), so that the renderer's queue stays short.
    const early = new Map<string, Promise<Drawn>>();
    if (lab && drawing && ready.length === 1) {
      onProbe((id, labJson) => {
        // When the figures started, counted from the start of the tests (the run has not ended).
        timings.figuresStarted = Math.round(performance.now() - t);
        const drawn = drawProbe(lab, shared.renderer, decodeValue(JSON.parse(labJson())) as LabProbe, knobs);
        drawn.catch(() => undefined); // awaited below; not awaited when the sidecar goes missing
        early.set(id, drawn);
      });
    }
    // A submission graded alone has its child started now, beside jest's start in this thread
    // (sandbox/launch.ts): its first test finds it loaded instead of waiting for it. The same
    // command as its Sandbox's own; a batch's children start at their students' turns instead
    // (the next student's while the current one's tests run), a group's at once would hold them
    // all in memory.
    if (ready.length === 1) void startEarly({ ...manifest.sandbox, modulePath: ready[0].modulePath }, isolation);
    t = performance.now();
    let raw: Awaited<ReturnType<typeof runSuites>>;
    try {
      raw = await runSuites(manifest, scratchDir);
    } finally {
      onProbe(undefined);
      // A child no Sandbox took (jest failed before the suites ran) ends with the run.
      await discardEarlyChildren();
    }
    clock('tests', t);

    // Each submission's remaining steps wait mostly on the renderer (another process): a few at a
    // time, so that its queue (and its memory) stays small while this process keeps it busy.
    await inPool(ready, FIGURE_CONCURRENCY, async (r) => {
      // 6. Judge and score: verdicts come only from the suites; the printout never counts.
      const sidecar = readSidecar(r.sidecarPath);
      const { tests: ran, kitFault } = judge(raw, r.id, runRubric, scratchDir);
      // A part or a test the kit could not run or judge (a suite that fails to load, a lab's file
      // the grading user cannot read): no score of this run can be trusted, so the grade is the
      // kit's failure (exit 1, `kit error` in a class's grades, not gradable on PrairieLearn),
      // never a 0 the student would be told to fix. Its tests are kept, to show where it failed.
      if (kitFault !== undefined) {
        const failed = kitErrorResult({ submission: r.displayName, seed: options.seed, advisory: options.advisory, err: kitFault, partNames: rubric.parts.map((p) => p.name) });
        await onGraded(r.index, { result: { ...failed, tests: ran.filter((t) => scored(t.part)), isolation: { mode: isolation.mode, detail: isolation.detail }, ...(release ? { hiddenTests: release.hiddenTests } : {}) }, images: noImages });
        return;
      }
      const output = Object.fromEntries(Object.entries(sidecar.output).map(([k, v]) => [k, sanitize(v, scratchDir, 4000)]));
      // Scored over every part that ran (fixFirst needs the used parts' statuses), then only the
      // rubric's parts are kept (with --only, the used parts' tests are not the student's score).
      const parts = score(ran, runRubric, output).filter((p) => scored(p.name));
      const tests = ran.filter((t) => scored(t.part));
      // 7. Hints: the classic mistakes the student's answers match, for parts that fail on their
      //    own (a part whose dependencies fail is told to fix those first). After scoring, because
      //    fixFirst is known only once every part has its status.
      const calls = decodeValue(sidecar.calls ?? []) as RecordedCall[];
      const hinted = findHints(calls, parts.filter((p) => (p.status === 'fail' || p.status === 'partial') && p.fixFirst.length === 0).map((p) => p.name));
      for (const part of parts) {
        const hints = hinted[part.name];
        if (!hints) continue;
        part.hints = hints;
        part.feedback.unshift(...hints.map((h) => `Hint: ${h.text}`));
      }
      // When hidden tests ran, what the public tests alone say, for platforms that show results
      // before the hidden ones are published: which used parts fail a public test, and the hints
      // of the public tests' calls (a hint from a hidden input would tell of that input).
      if (ran.some((t) => t.visibility === 'hidden')) seeFromPublic(parts, ran, calls.filter((c) => c.tag === 'public'), runRubric);
      // 8. The figures, from the probe's data (reference figures and identical ones are cached).
      if (!options.lateWarnings) void r.typeChecked();
      const since = performance.now();
      const found = sidecar.lab === undefined ? undefined : decodeValue(sidecar.lab) as LabProbe;
      const drawn = found && lab ? await (early.get(r.id) ?? drawProbe(lab, options.noFigures ? undefined : shared.renderer, found, knobs)) : undefined;
      clock('figures', since);
      // Alone in its run, a submission whose figures were all drawn (now or before) is remembered:
      // grading it again needs no renderer started ahead.
      if (drawing && ready.length === 1 && drawn?.figures && !drawn.figuresProblem) rememberFiguresCached(r.source);
      const checked = (): Promise<string[]> => r.typeChecked().then((ws) => ws.map((w) => sanitize(w, scratchDir)));
      const warnings = [
        ...(sidecar.unread ? [`hints and your code's printed output are left out: what the tests recorded could not be read back (${sidecar.unread}; a fault of the grader's machine, not of your code)`] : []),
        ...(options.lateWarnings ? [] : await checked()),
      ];
      // 9. The result: plain data; cli.ts renders and writes it (and the figures) in one place.
      const result: GradeResult = {
        version: RESULT_VERSION,
        exercise: rubric.exercise,
        title: rubric.title,
        submission: r.displayName,
        status: 'graded',
        seed: options.seed,
        score: roundPoints(parts.reduce((sum, p) => sum + p.points, 0)),
        maxScore: rubric.parts.reduce((sum, p) => sum + p.points, 0),
        parts,
        tests,
        warnings,
        ...(drawn ? { lab: { ...drawn.printout, text: sanitize(drawn.printout.text, scratchDir, 20_000) } } : {}),
        ...(output['(loading)'] ? { loadOutput: output['(loading)'] } : {}),
        ...(drawn?.figures ? { figures: sanitizeFigures(drawn.figures.figures, scratchDir) } : {}),
        ...(drawn?.figuresProblem ? { figuresProblem: sanitize(drawn.figuresProblem, scratchDir) } : {}),
        ...(sidecar.labError ? { figuresProblem: `the lab's printout and figures could not be made (a fault of the kit, not of your code): ${sanitize(sidecar.labError, scratchDir)}` } : {}),
        advisory: options.advisory,
        isolation: { mode: isolation.mode, detail: isolation.detail },
        ...(release ? { hiddenTests: release.hiddenTests } : {}),
        timings: { ...timings },
        usage: { graderMaxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) },
      };
      noteProgress();
      await onGraded(r.index, { result, images: drawn?.figures?.images ?? noImages, ...(found ? { series: found.series } : {}), ...(options.lateWarnings ? { lateWarnings: checked } : {}) });
    });
  } finally {
    removeScratch(scratchDir);
    shared.scratch?.(scratchDir, false);
  }
}

/**
 * For the kit's own tests only: VG_TEST_UNGUARDED=1 turns the child's JavaScript guards off, to
 * show that the operating system's boundary holds alone. Refused with weak isolation, where the
 * guards are most of what there is.
 */
function testUnguarded(isolation: IsolationPlan): { testUnguarded?: true } {
  if (process.env.VG_TEST_UNGUARDED !== '1') return {};
  if (isolation.mode === 'weak') throw new Error('VG_TEST_UNGUARDED=1 is refused with weak isolation: the child\'s guards are then most of its isolation');
  return { testUnguarded: true };
}

/** Sets each part's `visible`: what its public tests and those of the parts it uses say alone. */
function seeFromPublic(parts: PartResult[], tests: TestResult[], publicCalls: RecordedCall[], rubric: Rubric): void {
  const failsPublic = (name: string): boolean => tests.some((t) => t.part === name && t.visibility === 'public' && t.status !== 'pass');
  const fixFirst = (name: string): string[] => failsPublic(name) ? (rubric.parts.find((p) => p.name === name)?.uses ?? []).filter(failsPublic) : [];
  const own = parts.filter((p) => failsPublic(p.name) && fixFirst(p.name).length === 0).map((p) => p.name);
  const hinted = findHints(publicCalls, own);
  for (const part of parts) part.visible = { fixFirst: fixFirst(part.name), hints: hinted[part.name] ?? [] };
}

/** A part and every part it uses, directly or through another. */
function partsFor(rubric: Rubric, name: string): Set<string> {
  const found = new Set<string>();
  const visit = (n: string): void => {
    if (found.has(n)) return;
    found.add(n);
    for (const dep of rubric.parts.find((p) => p.name === n)?.uses ?? []) visit(dep);
  };
  visit(name);
  return found;
}

/** Submissions whose figures are drawn at the same time. */
const FIGURE_CONCURRENCY = 3;

/**
 * What the tests recorded beside their verdicts (the output, the calls the hints read, the probe).
 * One that cannot be read back (a temporary folder too full to hold it) leaves them out, and says
 * so: the hints, the printout and the figures went missing without a word.
 */
function readSidecar(file: string): Sidecar & { unread?: string } {
  // The suites could not write it: a full disk stops the grading, as any full disk does (a batch
  // then leaves the student to --resume, rather than filing a report without hints, printout or
  // figures); another reason is said below.
  const failed = sidecarFailure(file);
  if (isFullDisk(failed)) throw Object.assign(new Error(`${failed}: no space left on device, write '${file}'`), { code: failed, path: file });
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Sidecar;
  } catch (err) {
    const why = failed ?? (err as NodeJS.ErrnoException).code ?? (err instanceof SyntaxError ? 'cut short' : 'unreadable');
    return { output: {}, calls: [], unread: why, labError: `what the tests recorded could not be read back (${why})` };
  }
}
