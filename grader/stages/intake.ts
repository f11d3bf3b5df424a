/**
 * Stage 1, intake: find the submission, check it is a regular text file of bounded size, and copy
 * it into the run's scratch folder. Only `vanishing-gradients.ts` is ever taken from a submission
 * folder: its package.json, configs, node_modules or links are never looked at.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kitPaths } from '../lib/paths';

/** Largest submission accepted: far above any honest answer to the lab. */
export const MAX_SUBMISSION_BYTES = 256 * 1024;

/** A submission taken in. */
export interface Submission {
  /** How the submission is named in results: relative to the working folder when inside it. */
  displayName: string;
  /** The source text. */
  source: string;
}

/** Why a submission could not be taken in. */
export interface IntakeProblem {
  /** 'missing': not there or unreadable (exit 2); 'rejected': there, but not acceptable (graded 0). */
  kind: 'missing' | 'rejected';
  /** What went wrong, in one line. */
  message: string;
}

/** The name a path is shown under. */
export function displayPath(p: string, cwd: string = process.cwd()): string {
  const rel = path.relative(cwd, path.resolve(cwd, p));
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.basename(p);
  return shown.split(path.sep).join('/');
}

/** Resolves `--submission` (a file, or a folder holding vanishing-gradients.ts) and reads it. */
export function takeIn(given: string | undefined, cwd: string = process.cwd()): Submission | IntakeProblem {
  let file = given ? path.resolve(cwd, given) : kitPaths.exercise;
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
    if (stat.isDirectory()) {
      file = path.join(file, kitPaths.submissionFileName);
      stat = fs.lstatSync(file);
    }
  } catch {
    const wanted = given ?? displayPath(file, cwd);
    return { kind: 'missing', message: `no submission at ${wanted}: give a ${kitPaths.submissionFileName} file, or a folder that holds one` };
  }
  const displayName = displayPath(file, cwd);
  if (stat.isSymbolicLink()) return { kind: 'missing', message: `${displayName} is a symbolic link; submit the file itself` };
  if (!stat.isFile()) return { kind: 'missing', message: `${displayName} is not a regular file` };
  if (stat.size > MAX_SUBMISSION_BYTES) {
    return { kind: 'rejected', message: `${displayName} is ${Math.round(stat.size / 1024)} KB; the limit is ${MAX_SUBMISSION_BYTES / 1024} KB` };
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    return { kind: 'missing', message: `cannot read ${displayName}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}` };
  }
  if (bytes.includes(0)) return { kind: 'rejected', message: `${displayName} is not a text file (it holds NUL bytes)` };
  const source = bytes.toString('utf8');
  if (source.includes('\uFFFD') && !bytes.toString('latin1').includes('\uFFFD')) {
    return { kind: 'rejected', message: `${displayName} is not valid UTF-8 text` };
  }
  return { displayName, source };
}

/** True when intake gave a problem rather than a submission. */
export function isIntakeProblem(x: Submission | IntakeProblem): x is IntakeProblem {
  return 'kind' in x;
}
