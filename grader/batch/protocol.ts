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
  /** The warnings of a type check the worker asked for. */
  | { type: 'checked'; id: number; warnings: string[] }
  | { type: 'stop' };

/** Worker → orchestrator. */
export type FromWorker =
  /** Ready for (more) students. */
  | { type: 'ready' }
  /** One student graded, report folder written. */
  | { type: 'graded'; row: GradeRow }
  /** A sign of life: grading has moved on since the last one (see run.ts's watchdog). */
  | { type: 'progress' }
  /**
   * A type check to run: the batch has one type checker, the orchestrator's, for all its workers
   * (one compiler loaded, one process's memory, instead of one per worker).
   */
  | { type: 'check'; id: number; source: string }
  /**
   * A scratch folder the worker made (`made`) or removed: a worker killed outright (SIGKILL) never
   * removes its own, so the orchestrator does.
   */
  | { type: 'scratch'; dir: string; made: boolean }
  /**
   * A disk the worker writes to is full (the temporary folder, a report folder): the machine's
   * fault, not the students'. The batch stops; the students it held stay without a row.
   */
  | { type: 'disk-full'; message: string };
