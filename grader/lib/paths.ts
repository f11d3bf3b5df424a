/**
 * Where the kit's files are. Code runs both from the sources (under jest) and from the build
 * (`build/`), so the kit's root is found by walking up to the folder that holds grader/rubric.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'grader', 'rubric.json')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the kit's root above ${start}`);
    dir = up;
  }
}

/** The kit's root folder (holds package.json, grader/, solutions/, reference/). */
export const KIT_ROOT = findRoot(__dirname);

/** Absolute paths of the kit's well-known files. */
export const kitPaths = {
  /** The rubric: parts, points, dependencies. */
  rubric: path.join(KIT_ROOT, 'grader', 'rubric.json'),
  /** Reference outputs generated from the numpy lab. */
  reference: path.join(KIT_ROOT, 'reference', 'vanishing-gradients.json'),
  /** The built child runtime that hosts student code. */
  childScript: path.join(KIT_ROOT, 'build', 'grader', 'sandbox', 'child.js'),
  /** The jest entry that runs the hidden suites. */
  suitesEntry: path.join(KIT_ROOT, 'grader', 'suites', 'grade.test.ts'),
  /** The student's default submission. */
  exercise: path.join(KIT_ROOT, 'exercises', 'vanishing-gradients.ts'),
  /** The file name every submission must have. */
  submissionFileName: 'vanishing-gradients.ts',
};
