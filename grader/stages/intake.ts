/**
 * Stage 1, intake: find the submission, check it is a regular text file of bounded size, and copy
 * it into the run's scratch folder. One file is ever taken from a submission folder: its
 * `vanishing-gradients.ts`, or, when there is none, the one TypeScript file it holds (an upload
 * renamed by a browser, `vanishing-gradients (1).ts`, or named by the student), with a note that
 * says so; its package.json, configs, node_modules or links are never looked at.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kitPaths } from '../lib/paths';
import { escapeLine } from '../report/sanitize';

/** Largest submission accepted: far above any honest answer to the lab. */
export const MAX_SUBMISSION_BYTES = 256 * 1024;

/** A submission taken in. */
export interface Submission {
  /** How the submission is named in results: relative to the working folder when inside it. */
  displayName: string;
  /** The source text. */
  source: string;
  /** Set when the file was found under another name than the exercise's: a warning for the student. */
  note?: string;
}

/** Why a submission could not be taken in. */
export interface IntakeProblem {
  /** 'missing': not there or unreadable (exit 2); 'rejected': there, but not acceptable (graded 0). */
  kind: 'missing' | 'rejected';
  /** What went wrong, in one line. */
  message: string;
}

/**
 * The name a path is shown under: relative to `cwd` when inside it, with every control and
 * invisible character of a file or folder name shown escaped (a name is the submitter's to choose:
 * `\x1b]52;c;…\x07` would write to the clipboard of the terminal that shows it).
 */
export function displayPath(p: string, cwd: string = process.cwd()): string {
  const rel = path.relative(cwd, path.resolve(cwd, p));
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : path.basename(p);
  return escapeLine(shown.split(path.sep).join('/'));
}

/** Resolves `--submission` (a file, or a folder holding vanishing-gradients.ts) and reads it. */
export function takeIn(given: string | undefined, cwd: string = process.cwd()): Submission | IntakeProblem {
  let file = given ? path.resolve(cwd, given) : kitPaths.exercise;
  let stat: fs.Stats;
  let note: string | undefined;
  try {
    stat = fs.lstatSync(file);
    if (stat.isDirectory()) {
      const folder = file;
      const found = submissionIn(folder);
      if (typeof found !== 'string') return { kind: 'missing', message: `${displayPath(folder, cwd)} holds no ${kitPaths.submissionFileName}: ${found.why}` };
      file = path.join(folder, found);
      if (found !== kitPaths.submissionFileName) note = `graded ${escapeLine(found)}, the only TypeScript file submitted: name it ${kitPaths.submissionFileName} next time`;
      stat = fs.lstatSync(file);
    }
  } catch {
    const wanted = given !== undefined ? escapeLine(given) : displayPath(file, cwd);
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
  return note ? { displayName, source, note } : { displayName, source };
}

/**
 * The file to take from a submission folder: the exercise's name if it is there, else the one
 * TypeScript file (not a .d.ts) the folder holds; otherwise why none can be chosen, naming what
 * was found.
 */
function submissionIn(folder: string): string | { why: string } {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (err) {
    return { why: `the folder cannot be read (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})` };
  }
  const names = entries.map((e) => (e.isDirectory() ? `${e.name}/` : e.name));
  if (entries.some((e) => e.name === kitPaths.submissionFileName)) return kitPaths.submissionFileName;
  // Files (a link is refused later, saying so), not folders that happen to end in .ts.
  const typescript = entries.filter((e) => !e.isDirectory() && /\.ts$/i.test(e.name) && !/\.d\.ts$/i.test(e.name) && !e.name.startsWith('.')).map((e) => e.name);
  if (typescript.length === 1) return typescript[0];
  // Names are the submitter's: shown escaped.
  const shown = (list: string[]): string => (list.length > 8 ? `${list.slice(0, 8).map(escapeLine).join(', ')} and ${list.length - 8} more` : list.map(escapeLine).join(', '));
  if (typescript.length > 1) return { why: `it holds ${typescript.length} TypeScript files (${shown(typescript)}) and the grader cannot tell which is yours: submit one, named ${kitPaths.submissionFileName}` };
  return { why: names.length ? `it holds ${shown(names)}, and no TypeScript file: submit your ${kitPaths.submissionFileName}` : 'it is empty' };
}

/** True when intake gave a problem rather than a submission. */
export function isIntakeProblem(x: Submission | IntakeProblem): x is IntakeProblem {
  return 'kind' in x;
}
