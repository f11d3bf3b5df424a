/** Batch: the messages between the orchestrator (run.ts) and its worker processes (worker.ts). */
import type { RunOptions } from '../grade';
import type { GradeRow } from './csv';
import type { StudentEntry } from './discover';

/** What every worker is told once. */
export interface WorkerSetup {
  /** How to grade (seed, figures, part). */
  options: RunOptions;
  /** The rubric's part names, in order (the CSV's columns). */
  partNames: string[];
  /** Where each student's report folder goes: `<reportRoot>/<id>/`. */
  reportRoot: string;
}

/** Orchestrator → worker. */
export type ToWorker =
  | { type: 'setup'; setup: WorkerSetup }
  | { type: 'grade'; students: StudentEntry[] }
  | { type: 'stop' };

/** Worker → orchestrator. */
export type FromWorker =
  /** Ready for (more) students. */
  | { type: 'ready' }
  /** One student graded, report folder written. */
  | { type: 'graded'; row: GradeRow }
  /** A sign of life: grading has moved on since the last one (see run.ts's watchdog). */
  | { type: 'progress' };
