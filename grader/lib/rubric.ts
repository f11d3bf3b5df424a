/** The rubric: a lab's graded parts, their points and what each part's code uses (from its manifest, grader/labs/<id>/lab.json). */
import { kitPaths } from './paths';
import { readManifest } from '../lab';

/** One graded part: one student function. */
export interface RubricPart {
  /** The function's exported name; also the part's id. */
  name: string;
  /** Points the part is worth; its tests share them equally. */
  points: number;
  /** A short title for reports. */
  title: string;
  /** Other parts whose functions this one calls: fix those first when both fail. */
  uses: string[];
}

/** The whole rubric. */
export interface Rubric {
  /** Format version. */
  version: 1;
  /** The exercise's id. */
  exercise: string;
  /** The exercise's title. */
  title: string;
  /** Graded parts, in report order. */
  parts: RubricPart[];
}

/**
 * The rubric of the lab being graded (or of the lab manifest `file`): its parts as the grader
 * scores them. A malformed manifest is an instructor's error, said plainly (grader/lab.ts).
 */
export function loadRubric(file: string = kitPaths.rubric): Rubric {
  const lab = readManifest(file);
  return { version: 1, exercise: lab.id, title: lab.title, parts: lab.parts };
}
