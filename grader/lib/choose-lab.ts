/**
 * Choosing the lab a command works on, once, before anything reads it (lib/paths.ts's labId):
 *
 *   1. `--lab ID`, else the environment's VG_LAB (a course platform's configuration): checked
 *      against the labs the kit offers; an unknown id is a usage error that lists them;
 *   2. else the submission's own files: a file named as a lab's submission file (`<id>.ts`), or a
 *      folder holding one lab's file (at its top, else in its `exercises/`: a whole repository); for a class (`--batch`), the students' folders, which must
 *      all hold one lab's file. A folder, or a class, holding several labs' files is a usage error
 *      that lists them: never a guess;
 *   3. else the kit's default lab (package.json's `"kit": { "defaultLab": ID }`).
 *
 * The choice is made this process's lab and, through VG_LAB, its children's: the jest run, batch
 * workers, the compiler's child. The deciding functions are pure (they take the offered labs as
 * data) so that they can be tried with labs the kit does not hold; the rest reads the disk.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { labIds, manifestPath, readManifest } from '../lab';
import { defaultLabId, EXERCISES_FOLDER, KIT_ROOT, LAB_ENV, useLab } from './paths';
import { UsageError } from '../usage';
import { escapeLine, safeText } from '../report/sanitize';
import { discover } from '../batch/discover';

/** A lab the kit offers, as choosing needs it: its id and the file a submission holds. */
export interface LabFile {
  /** The lab's id. */
  id: string;
  /** Its submission's file name (`<id>.ts` by convention). */
  submission: string;
}

/** How a lab was chosen (said under the report's heading). */
export type LabChoiceHow = 'option' | 'environment' | 'file' | 'default';

/** The lab chosen, and how. */
export interface LabChoice {
  /** The lab's id. */
  id: string;
  /** By `--lab`, by VG_LAB, by the submission's file name, or the kit's default. */
  how: LabChoiceHow;
  /** With 'file': the file name that decided it. */
  file?: string;
}

/**
 * The labs the kit offers (a manifest under grader/labs/<id>/), with their submission's file name.
 * A manifest that cannot be read gives `<id>.ts`, the convention: grading that lab then says what
 * is wrong with it, rather than every command failing at its start.
 */
export function offeredLabFiles(root: string = KIT_ROOT): LabFile[] {
  return labIds(root).map((id) => {
    try {
      return { id, submission: readManifest(manifestPath(root, id)).submission };
    } catch {
      return { id, submission: `${id}.ts` };
    }
  });
}

/** `a`, `a or b`, `a, b or c`. */
function either(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The offered labs' file names, for usage texts: `a.ts`, or `a.ts or b.ts`. */
export function labFilesText(labs: readonly LabFile[] = offeredLabFiles()): string {
  return either(labs.map((l) => l.submission)) || '<id>.ts';
}

/** The offered labs' ids, for usage texts. */
export function labIdsText(labs: readonly LabFile[] = offeredLabFiles()): string {
  return either(labs.map((l) => l.id)) || 'none';
}

/** The labs, listed for a message: `a (a.ts), b (b.ts)`. */
function listed(labs: readonly LabFile[]): string {
  return labs.map((l) => `${l.id} (${l.submission})`).join(', ') || 'none';
}

/** The lab `id` names, checked against the offered labs: an unknown one is a usage error that lists them. */
export function checkLabId(id: string, labs: readonly LabFile[], given = `--lab ${id}`): LabFile {
  const lab = labs.find((l) => l.id === id);
  if (!lab) throw new UsageError(`${escapeLine(given)}: the kit has no such lab; its labs: ${listed(labs)}`);
  return lab;
}

/** The offered labs whose submission file is among `names` (a folder's entries). */
export function labsAmong(names: readonly string[], labs: readonly LabFile[]): LabFile[] {
  return labs.filter((l) => names.includes(l.submission));
}

/** What a submission is, as choosing its lab needs it. */
export type SubmissionShape =
  | { kind: 'file'; name: string }
  | { kind: 'folder'; names: readonly string[]; shown: string };

/**
 * The lab a submission's own files name: a file named as a lab's submission file, or a folder
 * holding exactly one lab's file. Undefined when none does (another name: the kit's default then
 * applies, and intake says what it took). A folder holding several labs' files is a usage error
 * that lists them.
 */
export function labOfSubmission(submission: SubmissionShape, labs: readonly LabFile[]): LabFile | undefined {
  if (submission.kind === 'file') return labs.find((l) => l.submission === submission.name);
  const found = labsAmong(submission.names, labs);
  if (found.length > 1) {
    throw new UsageError(`${submission.shown} holds the files of ${found.length} labs: ${found.map((l) => `${l.submission} (lab ${l.id})`).join(', ')}; say which to grade with --lab ID`);
  }
  return found[0];
}

/** One student of a class, as choosing the class's lab needs it: the names in their folder (none for a bare file). */
export interface StudentShape {
  /** The student's id. */
  id: string;
  /** The entries of the student's folder; undefined for a bare `<student>.ts` (its name is the student's, not a lab's). */
  names?: readonly string[];
}

/**
 * The lab a class's files name: every student folder that holds a lab's file holds the same lab's.
 * Undefined when none does. A class whose folders hold several labs' files (mixed, or a folder with
 * two) is a usage error that lists each lab with its students.
 */
export function labOfClass(students: readonly StudentShape[], labs: readonly LabFile[]): LabFile | undefined {
  const by = new Map<string, string[]>();
  for (const s of students) {
    for (const lab of labsAmong(s.names ?? [], labs)) by.set(lab.id, [...(by.get(lab.id) ?? []), s.id]);
  }
  const found = labs.filter((l) => by.has(l.id));
  if (found.length > 1) {
    const who = (ids: string[]): string => (ids.length > 5 ? `${ids.slice(0, 5).map(escapeLine).join(', ')} and ${ids.length - 5} more` : ids.map(escapeLine).join(', '));
    throw new UsageError(`--batch: the class holds the files of ${found.length} labs: ${found.map((l) => `${l.submission} (lab ${l.id}: ${who(by.get(l.id)!)})`).join('; ')}; grade each lab's students apart, or say which lab with --lab ID`);
  }
  return found[0];
}

/** What a command asks for: `--lab`, and what it grades (one submission, or a class). */
export interface LabRequest {
  /** `--lab ID`. */
  lab?: string;
  /** `--submission PATH` (a file or a folder). */
  submission?: string;
  /** `--batch DIR`. */
  batch?: string;
}

/** The entries of a folder that are not folders (a link counts: intake refuses it, saying why). */
function entryNames(dir: string): string[] | undefined {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((e) => !e.isDirectory()).map((e) => e.name);
  } catch {
    return undefined;
  }
}

/**
 * The entries of a submission folder that can name its lab: its own files; when none is a lab's
 * file and the folder is a whole repository, also the files in its `exercises/` (a folder of its
 * own, not a link), where intake then takes the lab's file from (stages/intake.ts).
 */
function folderNames(dir: string, labs: readonly LabFile[]): string[] | undefined {
  const top = entryNames(dir);
  if (top === undefined || labsAmong(top, labs).length > 0) return top;
  return isDirectory(path.join(dir, EXERCISES_FOLDER)) ? [...top, ...(entryNames(path.join(dir, EXERCISES_FOLDER)) ?? [])] : top;
}

/** A submission path as choosing sees it; undefined when it is not there (intake says so). */
function shapeOf(given: string, cwd: string, labs: readonly LabFile[]): SubmissionShape | undefined {
  const full = path.resolve(cwd, given);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(full);
  } catch {
    return { kind: 'file', name: path.basename(full) };
  }
  if (!stat.isDirectory()) return { kind: 'file', name: path.basename(full) };
  const names = folderNames(full, labs);
  if (names === undefined) return undefined;
  const rel = path.relative(cwd, full);
  const shown = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : full;
  return { kind: 'folder', names, shown: escapeLine(shown.split(path.sep).join('/')) };
}

/** Where choosing looks, beside the request (each defaults to this kit and this process). */
export interface ChooseContext {
  /** The offered labs. */
  labs?: readonly LabFile[];
  /** The environment (VG_LAB). */
  env?: NodeJS.ProcessEnv;
  /** The folder a relative `--submission` is taken from (`--batch` is taken from the process's). */
  cwd?: string;
  /** The kit's default lab (throws, saying why, when it has none). */
  defaultLab?: () => string;
}

/**
 * Chooses the lab (see the top of this file); reads the submission's or the class's folder. A
 * usage error says why no lab could be chosen.
 */
export function chooseLab(request: LabRequest, context: ChooseContext = {}): LabChoice {
  const { labs = offeredLabFiles(), env = process.env, cwd = process.cwd(), defaultLab = defaultLabId } = context;
  if (request.lab !== undefined) return { id: checkLabId(request.lab, labs).id, how: 'option' };
  const fromEnv = env[LAB_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { id: checkLabId(fromEnv, labs, `${LAB_ENV}=${fromEnv}`).id, how: 'environment' };
  let found: LabFile | undefined;
  if (request.batch !== undefined) {
    const { students } = discover(request.batch);
    found = labOfClass(students.map((s) => ({ id: s.id, names: isDirectory(s.path) ? folderNames(s.path, labs) : undefined })), labs);
  } else if (request.submission !== undefined) {
    const shape = shapeOf(request.submission, cwd, labs);
    found = shape ? labOfSubmission(shape, labs) : undefined;
  }
  if (found) return { id: found.id, how: 'file', file: found.submission };
  try {
    return { id: defaultLab(), how: 'default' };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** Chooses the lab and makes it this process's and its children's (VG_LAB). */
export function applyLab(request: LabRequest): LabChoice {
  const choice = chooseLab(request);
  useLab(choice.id);
  return choice;
}

/** The line a text report says the lab under its heading with. */
export function labLine(choice: LabChoice, labs: readonly LabFile[] = offeredLabFiles()): string {
  const others = labs.filter((l) => l.id !== choice.id).map((l) => l.id);
  switch (choice.how) {
    case 'option': return `Lab: ${choice.id} (--lab)`;
    case 'environment': return `Lab: ${choice.id} (${LAB_ENV})`;
    case 'file': return `Lab: ${choice.id} (from the file's name, ${choice.file})`;
    default: return `Lab: ${choice.id} (the kit's default${others.length ? `; for ${either(others)}: --lab ID` : ''})`;
  }
}

/** Takes `--lab ID` (or `--lab=ID`) out of a command line; the last one given counts. */
export function takeLabOption(argv: readonly string[]): { lab?: string; argv: string[] } {
  const rest: string[] = [];
  let lab: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--lab') {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('-')) throw new UsageError(`--lab needs a lab's id: ${labIdsText()}`);
      lab = value;
      i++;
    } else if (arg.startsWith('--lab=')) {
      lab = arg.slice('--lab='.length);
      if (lab === '') throw new UsageError(`--lab needs a lab's id: ${labIdsText()}`);
    } else rest.push(arg);
  }
  return lab === undefined ? { argv: rest } : { lab, argv: rest };
}

/** The value of an option (`--name V` or `--name=V`) on a command line, the last one given; undefined without. */
export function peekOption(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name && argv[i + 1] !== undefined) value = argv[++i];
    else if (argv[i].startsWith(`${name}=`)) value = argv[i].slice(name.length + 1);
  }
  return value;
}

/**
 * For a command that grades or draws one submission (npm run dev, npm run plots): takes `--lab`
 * out of its command line (in place), chooses the lab (from `--lab`, VG_LAB, `--submission`'s
 * file, else the kit's default) and makes it the process's. False, after saying why on stderr with
 * the command's usage, when no lab can be chosen (the command then exits 2).
 */
export function selectLab(command: string, argv: string[], usage: string): boolean {
  try {
    const { lab, argv: rest } = takeLabOption(argv);
    applyLab({ lab, submission: peekOption(rest, '--submission') });
    argv.splice(0, argv.length, ...rest);
    return true;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${command}: ${safeText(err.message)}\n\n${usage}`);
    return false;
  }
}
