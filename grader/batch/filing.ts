/**
 * Batch, one student's outputs: their report folder (`<reportRoot>/<folder>/`, the id but for the
 * overview's own names: discover.ts; pages linking the
 * figures beside them) and their grades row. Workers file the students they grade; the
 * orchestrator files the ones it gives up on (a worker died on them twice) the same way.
 */
import * as path from 'node:path';
import type { Graded } from '../grade';
import { kitErrorResult } from '../kit-error';
import { writeReportFolder } from '../report/folder';
import { rowOf, type GradeRow } from './csv';
import type { StudentEntry } from './discover';
import type { WorkerSetup } from './protocol';

/**
 * The report root's folder of figures, each stored once and hard-linked into the students'
 * folders. Hidden: a class folder's hidden entries are never students (discover.ts).
 */
export const FIGURE_STORE = '.figures';

/** Writes a graded student's report folder and returns their row. */
export function fileStudent(setup: WorkerSetup, student: StudentEntry, graded: Graded): GradeRow {
  // The page and result.json name the student, not only the folder they are in.
  const result = { ...graded.result, student: student.id };
  writeReportFolder(path.join(setup.reportRoot, student.folder), result, graded.images, { linkImages: true, imageStore: path.join(setup.reportRoot, FIGURE_STORE) });
  return rowOf(student.id, result, setup.partNames);
}

/** A student the kit could not grade (not their fault): score 0 and why, filed like any other. */
export function fileKitError(setup: WorkerSetup, student: StudentEntry, why: string): GradeRow {
  const result = kitErrorResult({ submission: student.id, seed: setup.options.seed, advisory: setup.options.advisory, err: why, audience: 'instructor', partNames: setup.partNames });
  return fileStudent(setup, student, { result, images: new Map() });
}
