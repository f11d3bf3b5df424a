/**
 * The grading pipeline, as numbered steps. Each step is a module under stages/; results are plain
 * data (result.ts). This function never writes reports and never exits: cli.ts does both.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { failedResult, RESULT_VERSION, type GradeResult } from './result';
import { isIntakeProblem, takeIn } from './stages/intake';
import { compile, typeCheckInWorker } from './stages/compile';
import { runSuites } from './stages/run';
import { judge } from './stages/judge';
import { roundPoints, score } from './stages/score';
import { labPrintout } from './stages/lab';
import { sanitize } from './report/sanitize';
import { DEFAULT_SANDBOX_LIMITS, Sandbox, type SandboxOptions } from './sandbox/client';
import { prepareScratch, sandboxUser } from './sandbox/runtime';
import { kitPaths } from './lib/paths';
import { loadRubric } from './lib/rubric';
import { loadReference } from './lib/reference';
import type { Manifest, Sidecar } from './lib/manifest';

/** What to grade and how. */
export interface GradeRequest {
  /** The submission path as given (file or folder); undefined grades exercises/. */
  submission: string | undefined;
  /** The seed for hidden inputs. */
  seed: number;
  /** Overrides of the sandbox limits. */
  limits?: Partial<Omit<SandboxOptions, 'modulePath' | 'childScript'>>;
  /** Skip the lab printout (it needs a second sandbox). */
  skipLab?: boolean;
  /** False when a course platform grades (`--official`); true on a student's machine. */
  advisory: boolean;
}

/** Grades one submission. Throws only on a fault of the kit (cli.ts turns that into a result). */
export async function grade(request: GradeRequest): Promise<GradeResult> {
  const timings: Record<string, number> = {};
  const clock = (name: string, since: number): void => { timings[name] = Math.round(performance.now() - since); };
  let t = performance.now();

  // 1. The kit's own inputs. A broken rubric or reference is the instructor's to fix: throw.
  const rubric = loadRubric();
  const reference = loadReference();
  const base = { exercise: rubric.exercise, seed: request.seed, parts: rubric.parts, advisory: request.advisory };

  // 2. Intake: missing and unacceptable submissions end here, as results.
  const submission = takeIn(request.submission);
  if (isIntakeProblem(submission)) {
    return failedResult({ ...base, submission: request.submission ?? kitPaths.submissionFileName, status: submission.kind, message: submission.message });
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
      return failedResult({
        ...base, submission: submission.displayName, status: 'compile-error',
        message: `your code does not compile:\n${compiled.errors.map((e) => sanitize(e, scratchDir)).join('\n')}`,
      });
    }
    // The type check reads untrusted source too: it runs in a worker with a time limit, and
    // overlaps the tests (it only ever gives warnings).
    const typeChecked = typeCheckInWorker(submission.source);

    // 5. Run the hidden suites, and meanwhile recompute the lab's printed block in a second
    //    sandbox: they share nothing, so their waits overlap.
    const sandboxOptions: Omit<SandboxOptions, 'modulePath'> = {
      ...DEFAULT_SANDBOX_LIMITS, ...request.limits,
      childScript: path.join(layout.runtimeDir, 'child.js'),
      ...(user ? { user: { uid: user.uid, gid: user.gid } } : {}),
    };
    const id = 'submission';
    const manifest: Manifest = {
      seed: request.seed,
      sandbox: sandboxOptions,
      submissions: [{ id, modulePath: compiled.modulePath, sidecarPath: path.join(scratchDir, 'sidecar.json') }],
    };
    t = performance.now();
    const labSandbox = request.skipLab ? undefined : new Sandbox({ ...sandboxOptions, modulePath: compiled.modulePath });
    const labPromise = labSandbox ? labPrintout(labSandbox, reference).finally(() => labSandbox.dispose()) : Promise.resolve(undefined);
    const raw = await runSuites(manifest, scratchDir);
    clock('tests', t);
    const lab = await labPromise;
    clock('tests+lab', t);
    const warnings = (await typeChecked).map((w) => sanitize(w, scratchDir));
    clock('tests+lab+typecheck', t);

    // 6. Judge and score: verdicts come only from the suites; the printout never counts.
    const sidecar = readSidecar(manifest.submissions[0].sidecarPath);
    const tests = judge(raw, id, rubric, scratchDir);
    const output = Object.fromEntries(Object.entries(sidecar.output).map(([k, v]) => [k, sanitize(v, scratchDir, 4000)]));
    const parts = score(tests, rubric, output);
    return {
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
      ...(lab ? { lab: { ...lab, text: sanitize(lab.text, scratchDir, 20_000) } } : {}),
      ...(output['(loading)'] ? { loadOutput: output['(loading)'] } : {}),
      advisory: request.advisory,
      timings,
      usage: { graderMaxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) },
    };
  } finally {
    fs.rmSync(scratchDir, { recursive: true, force: true });
  }
}

function readSidecar(file: string): Sidecar {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Sidecar;
  } catch {
    return { output: {} };
  }
}
