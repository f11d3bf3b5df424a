/** The rubric (grader/rubric.json): the graded parts, their points and what each part's code uses. */
import * as fs from 'node:fs';
import { kitPaths } from './paths';

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
  /** Format version of rubric.json. */
  version: 1;
  /** The exercise's id. */
  exercise: string;
  /** The exercise's title. */
  title: string;
  /** Graded parts, in report order. */
  parts: RubricPart[];
}

/** Reads and checks the rubric; a malformed rubric is an instructor's error, said plainly. */
export function loadRubric(file: string = kitPaths.rubric): Rubric {
  const rubric = JSON.parse(fs.readFileSync(file, 'utf8')) as Rubric;
  const names = new Set(rubric.parts.map((p) => p.name));
  for (const part of rubric.parts) {
    if (!(typeof part.points === 'number' && part.points > 0)) throw new Error(`rubric: part ${part.name} needs positive points`);
    for (const dep of part.uses) {
      if (!names.has(dep)) throw new Error(`rubric: part ${part.name} uses ${dep}, which is not a part`);
    }
  }
  if (names.size !== rubric.parts.length) throw new Error('rubric: part names must be unique');
  return rubric;
}
