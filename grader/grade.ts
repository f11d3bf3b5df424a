/**
 * The grading pipeline, as numbered steps. Each step is a module under stages/; results are plain
 * data (result.ts). This function never writes reports and never exits: cli.ts does both.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from './usage';
import { failedResult, RESULT_VERSION, type GradeResult } from './result';
import { isIntakeProblem, takeIn } from './stages/intake';
import { compile, typeCheckInWorker } from './stages/compile';
import { runSuites } from './stages/run';
import { judge } from './stages/judge';
import { roundPoints, score } from './stages/score';
import { canonicalKnobs } from './stages/lab';
import { probeAndRender } from './stages/render';
import { Renderer } from './render/client';
import { sanitize, sanitizeFigures } from './report/sanitize';
import { findHints, type RecordedCall } from './feedback/hints';
import { decodeValue } from './sandbox/wire';
import type { SandboxOptions } from './sandbox/client';
import { prepareScratch, sandboxOptionsFor, sandboxUser } from './sandbox/runtime';
import { kitPaths } from './lib/paths';
import { loadRubric } from './lib/rubric';
import { loadReference } from './lib/reference';
import type { Manifest, Sidecar } from './lib/manifest';
import { RECORD_ENV } from './lib/answers';
import { readReleaseInfo } from './lib/release';

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
}

/** What grading gives: the result record, and the figures' image bytes by report file name. */
export interface Graded {
  /** The result. */
  result: GradeResult;
  /** PNGs for the report folder (empty when no figures were drawn). */
  images: Map<string, Buffer>;
}

/** Grades one submission. Throws only on a fault of the kit (cli.ts turns that into a result). */
export async function grade(request: GradeRequest): Promise<Graded> {
  // The renderer process starts on its first request (see render/client.ts).
  const renderer = request.skipLab || request.noFigures ? undefined : new Renderer();
  try {
    return await gradeWith(request, renderer);
  } finally {
    renderer?.close();
  }
}

async function gradeWith(request: GradeRequest, renderer: Renderer | undefined): Promise<Graded> {
  const noImages = new Map<string, Buffer>();
  const timings: Record<string, number> = {};
  const clock = (name: string, since: number): void => { timings[name] = Math.round(performance.now() - since); };
  let t = performance.now();

  // 1. The kit's own inputs. A broken rubric or reference is the instructor's to fix: throw.
  const fullRubric = loadRubric();
  if (request.only !== undefined && !fullRubric.parts.some((p) => p.name === request.only)) {
    throw new UsageError(`--only takes one of ${fullRubric.parts.map((p) => p.name).join(', ')}; got ${request.only}`);
  }
  // With --only, the rubric is that one part: its tests run, its points are the maximum.
  const rubric = request.only ? { ...fullRubric, parts: fullRubric.parts.filter((p) => p.name === request.only).map((p) => ({ ...p, uses: [] })) } : fullRubric;
  const reference = loadReference();
  const release = readReleaseInfo();
  const base = { exercise: rubric.exercise, seed: request.seed, parts: rubric.parts, advisory: request.advisory, ...(release ? { hiddenTests: release.hiddenTests } : {}) };

  // 2. Intake: missing and unacceptable submissions end here, as results.
  const submission = takeIn(request.submission);
  if (isIntakeProblem(submission)) {
    return { result: failedResult({ ...base, submission: request.submission ?? kitPaths.submissionFileName, status: submission.kind, message: submission.message }), images: noImages };
  }
  clock('intake', t);

  // 3. The scratch folder: the child may read its runtime and its own compiled file, nothing else.
  //    Resolving the sandbox user first means a misconfigured platform fails before any work.
  const user = sandboxUser();
  const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-grade-'));
  try {
    const layout = prepareScratch(scratchDir);
    // 4. Compile in this process; the student's process only ever receives JavaScript.
    t = performance.now();
    const compiled = compile(submission.source, layout.submissionDir(0));
    clock('compile', t);
    if (!compiled.ok) {
      return {
        result: failedResult({
          ...base, submission: submission.displayName, status: 'compile-error',
          message: `your code does not compile:\n${compiled.errors.map((e) => sanitize(e, scratchDir)).join('\n')}`,
        }),
        images: noImages,
      };
    }
    // The type check reads untrusted source too: it runs in a worker with a time limit, and
    // overlaps the tests (it only ever gives warnings).
    const typeChecked = typeCheckInWorker(submission.source);

    // 5. Run the hidden suites, and meanwhile probe the student's functions on the lab's inputs
    //    in a second sandbox (the printed block, the figures' data) and render the figures: they
    //    share nothing, so their waits overlap.
    const sandboxOptions = sandboxOptionsFor(layout, user, request.limits);
    const id = 'submission';
    const manifest: Manifest = {
      seed: request.seed,
      ...(request.only ? { only: request.only } : {}),
      // A run that records answers (npm run release) must never record a hidden input.
      ...(process.env[RECORD_ENV] ? { publicOnly: true } : {}),
      sandbox: sandboxOptions,
      submissions: [{ id, modulePath: compiled.modulePath, sidecarPath: path.join(scratchDir, 'sidecar.json') }],
    };
    t = performance.now();
    const figuresPromise = request.skipLab ? Promise.resolve(undefined) : probeAndRender(renderer, { ...sandboxOptions, modulePath: compiled.modulePath }, canonicalKnobs(reference));
    const raw = await runSuites(manifest, scratchDir);
    clock('tests', t);
    const drawn = await figuresPromise;
    clock('tests+lab', t);
    const warnings = (await typeChecked).map((w) => sanitize(w, scratchDir));
    clock('tests+lab+typecheck', t);

    // 6. Judge and score: verdicts come only from the suites; the printout never counts.
    const sidecar = readSidecar(manifest.submissions[0].sidecarPath);
    const tests = judge(raw, id, rubric, scratchDir);
    const output = Object.fromEntries(Object.entries(sidecar.output).map(([k, v]) => [k, sanitize(v, scratchDir, 4000)]));
    const parts = score(tests, rubric, output);
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
    // 8. The result: plain data; cli.ts renders and writes it (and the figures) in one place.
    const result: GradeResult = {
      version: RESULT_VERSION,
      exercise: rubric.exercise,
      submission: submission.displayName,
      status: 'graded',
      seed: request.seed,
      score: roundPoints(parts.reduce((sum, p) => sum + p.points, 0)),
      maxScore: rubric.parts.reduce((sum, p) => sum + p.points, 0),
      parts,
      tests,
      warnings,
      ...(drawn ? { lab: { ...drawn.printout, text: sanitize(drawn.printout.text, scratchDir, 20_000) } } : {}),
      ...(output['(loading)'] ? { loadOutput: output['(loading)'] } : {}),
      ...(drawn?.figures ? { figures: sanitizeFigures(drawn.figures.figures, scratchDir) } : {}),
      ...(drawn?.figuresProblem ? { figuresProblem: sanitize(drawn.figuresProblem, scratchDir) } : {}),
      advisory: request.advisory,
      ...(release ? { hiddenTests: release.hiddenTests } : {}),
      timings,
      usage: { graderMaxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) },
    };
    return { result, images: drawn?.figures?.images ?? noImages };
  } finally {
    fs.rmSync(scratchDir, { recursive: true, force: true });
  }
}

function readSidecar(file: string): Sidecar {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Sidecar;
  } catch {
    return { output: {}, calls: [] };
  }
}
