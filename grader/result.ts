/**
 * The grading result: plain, versioned data. Every reporter is a pure function of it, and every
 * run ends in one, including the catastrophic ones (see {@link failedResult}).
 */

import type { TestOutcome } from './outcomes';

/** Version of the result record's shape; bump on any breaking change. */
export const RESULT_VERSION = 3;

/** One test's verdict: `fail` is a wrong answer, `error` a fault of the kit, not the student. */
export type TestStatus = 'pass' | 'fail' | 'error';

/** One test of one part. */
export interface TestResult {
  /** The part (student function) the test belongs to. */
  part: string;
  /** The test's title, as students see it. */
  name: string;
  /** Public tests ship with the exercise; hidden ones run only when grading. */
  visibility: 'public' | 'hidden';
  /** The verdict. */
  status: TestStatus;
  /** What the test came to, as a code (grader/outcomes.ts): `passed`, `wrong-value`, `timed-out`, … */
  outcome: TestOutcome;
  /** Why it failed, in words for the student (absent on a pass). */
  message?: string;
  /** Points earned. */
  points: number;
  /** Points available. */
  maxPoints: number;
  /** How long the test ran, in ms (varies from run to run; goldens leave it out). */
  durationMs?: number;
}

/** How a part went, as a whole. */
export type PartStatus = 'pass' | 'partial' | 'fail' | 'not-implemented' | 'error';

/** One graded part: one student function. */
export interface PartResult {
  /** The function's name. */
  name: string;
  /** The part's title from the rubric. */
  title: string;
  /** The overall status. */
  status: PartStatus;
  /** Points earned (rounded to 2 decimals). */
  points: number;
  /** Points available. */
  maxPoints: number;
  /** Tests passed. */
  passed: number;
  /** Tests run. */
  total: number;
  /** The lines a student should read first: one per failing test, or one summary line. */
  feedback: string[];
  /** Parts this one calls that fail their own tests: fix them first. */
  fixFirst: string[];
  /** Classic mistakes the student's answers match (grader/feedback), with their hints. */
  hints?: { id: string; text: string }[];
  /** When hidden tests ran: what the public tests alone say (a platform shows it before hidden results are published). */
  visible?: {
    /** Used parts that fail a public test. */
    fixFirst: string[];
    /** Hints from the public tests' calls alone. */
    hints: { id: string; text: string }[];
  };
  /** What the student's code printed while this part's function ran (capped). */
  output?: string;
}

/** How the run ended. */
export type GradeStatus =
  /** The tests ran; the score is meaningful. */
  | 'graded'
  /** The submission did not compile: score 0, the compiler's message. */
  | 'compile-error'
  /** The submission was refused before compiling (too large, not text): score 0, the reason. */
  | 'rejected'
  /** The submission is missing or unreadable: score 0, the reason. */
  | 'missing'
  /** The grader itself failed: score 0, the error; not the student's fault. */
  | 'kit-error';

/** The lab's printed block, computed from the student's functions. */
export interface LabPrintout {
  /** The text, formatted as the notebook printed it. */
  text: string;
  /** True when every number in it came from a working function. */
  complete: boolean;
}

/** One of the lab's figures, drawn from the student's functions beside the reference. */
export interface FigureResult {
  /** The figure's id, the lab's (`1-…`). */
  id: string;
  /** The figure's title, as in the lab. */
  title: string;
  /** The student's PNG, relative to the report folder. */
  student: string;
  /** The reference PNG, relative to the report folder. */
  reference: string;
  /** Yours drawn over the reference on the same axes, relative to the report folder (only when they differ). */
  overlay?: string;
  /** Share of pixels that differ from the reference (advisory only). */
  differingPixels?: number;
  /** True when the student's figure is a placeholder that says why nothing could be drawn. */
  placeholder: boolean;
  /** What was left out of the student's figure (values that are not finite, missing series). */
  notes: string[];
  /** Where the student's curves depart from the reference, in words. */
  meaning: string[];
}

/** The result of grading one submission. */
export interface GradeResult {
  /** Shape version ({@link RESULT_VERSION}). */
  version: number;
  /** The exercise's id: the lab's (grader/labs/<id>/). */
  exercise: string;
  /** The lab's title, as reports show it. */
  title: string;
  /** The submission as given (relative to the working folder when inside it). */
  submission: string;
  /** In a batch: the student's id (their folder's or file's name). */
  student?: string;
  /** How the run ended. */
  status: GradeStatus;
  /** The run's seed: `--seed` replays the same hidden inputs. */
  seed: number;
  /** Points earned. */
  score: number;
  /** Points available. */
  maxScore: number;
  /** One entry per rubric part. */
  parts: PartResult[];
  /** Every test, in order. */
  tests: TestResult[];
  /** Things to fix that did not cost points (type errors in code that still ran). */
  warnings: string[];
  /** For a status other than 'graded': what went wrong, for the student. */
  message?: string;
  /** The lab's printed block from the student's functions (absent when nothing could run). */
  lab?: LabPrintout;
  /** What the student's code printed while loading (capped). */
  loadOutput?: string;
  /** The lab's figures from the student's functions, beside the reference. */
  figures?: FigureResult[];
  /** Why the figures are missing, when the renderer failed (a fault of the kit). */
  figuresProblem?: string;
  /** True on a student's own machine: the official score comes from the course's grader. */
  advisory: boolean;
  /** The operating system's boundary the student's code ran in (absent when none of it ran); left out of goldens, as it depends on the machine. */
  isolation?: { mode: 'namespaces' | 'uid' | 'weak'; detail: string };
  /** In the student release: how many hidden tests the course's grader runs that this run did not have. */
  hiddenTests?: number;
  /** Wall-clock times of the stages in ms (`figuresStarted`: a submission graded alone has its figures started during the tests, this long after their start); left out of goldens. */
  timings?: Record<string, number>;
  /** Peak memory of the grader's own process (student code runs elsewhere, with its own limits); left out of goldens. */
  usage?: { graderMaxRssMb: number };
}

/** The one constructor for a run that could not grade: score 0 and the reason, every part failed. */
export function failedResult(args: {
  exercise: string;
  title: string;
  submission: string;
  status: Exclude<GradeStatus, 'graded'>;
  seed: number;
  message: string;
  parts: { name: string; title: string; points: number }[];
  warnings?: string[];
  advisory?: boolean;
  hiddenTests?: number;
}): GradeResult {
  const maxScore = args.parts.reduce((sum, p) => sum + p.points, 0);
  return {
    version: RESULT_VERSION,
    exercise: args.exercise,
    title: args.title,
    submission: args.submission,
    status: args.status,
    seed: args.seed,
    score: 0,
    maxScore,
    parts: args.parts.map((p) => ({
      name: p.name, title: p.title, status: args.status === 'kit-error' ? 'error' : 'fail',
      points: 0, maxPoints: p.points, passed: 0, total: 0, feedback: [], fixFirst: [],
    })),
    tests: [],
    warnings: args.warnings ?? [],
    message: args.message,
    advisory: args.advisory ?? true,
    ...(args.hiddenTests !== undefined ? { hiddenTests: args.hiddenTests } : {}),
  };
}
