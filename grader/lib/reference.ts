/**
 * The committed reference outputs of the lab being graded (reference/<id>.json), generated from the
 * lab's numpy code by `npm run make:reference`. The public tests compare against these; the hidden
 * tests compute theirs from the solutions on inputs drawn per run. Their shape is the lab's own
 * (grader/labs/<id>/): the core passes the reference along and never reads into it.
 */
import * as fs from 'node:fs';
import { kitPaths } from './paths';

/** Reads the reference file (the path can be overridden, for the student release). */
export function loadReference<R = unknown>(file: string = kitPaths.reference): R {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as R;
}
