/**
 * The catastrophic result, built in one place: a module of its own, light to load (a batch's
 * orchestrator files a student its worker died on without loading the grading pipeline).
 */
import * as path from 'node:path';
import { failedResult, type GradeResult } from './result';
import { loadRubric } from './lib/rubric';
import { EXERCISES_FOLDER, kitPaths, LAB_ENV } from './lib/paths';
import { kitFailureText, type Audience } from './outcomes';

/**
 * The one constructor of the catastrophic result: a grade the kit itself could not complete (a
 * bug, a cache it cannot write, a watchdog that stopped it, a batch worker that died on the
 * student). Score 0 and the reason, worded for whoever reads it first (the student's own run, or
 * an instructor's class); for cli.ts, npm run dev and a batch to show as they show any result.
 */
export function kitErrorResult(args: {
  submission: string | undefined; seed: number; advisory: boolean; err: unknown;
  audience?: Audience;
  /** The parts graded (all of them, or the one of --only). */
  partNames?: readonly string[];
}): GradeResult {
  // The lab's manifest itself may be what failed: then the result names what it can.
  let parts: { name: string; title: string; points: number }[] = [];
  // (The lab's id is known from its choice even when its manifest cannot be read.)
  const chosen = process.env[LAB_ENV];
  let lab = { id: chosen || 'unknown', title: chosen ? `The lab ${chosen}` : 'Grading', submission: 'the submission' };
  try {
    const rubric = loadRubric();
    parts = rubric.parts;
    lab = { id: rubric.exercise, title: rubric.title, submission: path.join(EXERCISES_FOLDER, kitPaths.submissionFileName) };
  } catch { /* as above */ }
  if (args.partNames) parts = parts.filter((p) => args.partNames!.includes(p.name));
  const why = args.err instanceof Error ? args.err.message : String(args.err);
  return failedResult({
    exercise: lab.id, title: lab.title, submission: args.submission ?? lab.submission, status: 'kit-error', seed: args.seed,
    message: kitFailureText(why, args.audience ?? 'student'), parts, advisory: args.advisory,
  });
}

