/**
 * Stage 1, intake: find the submission, check it is a regular text file of bounded size, and copy
 * it into the run's scratch folder. One file is ever taken from a submission folder: the lab's
 * file (its manifest's `submission`, `<id>.ts`); else that file in the folder's `exercises/`, where
 * the student's copy of the starter keeps it (a whole repository: a GitHub Classroom clone, a
 * Gradescope upload from GitHub; a repository without it is refused, saying what its `exercises/`
 * holds); else the one TypeScript file the folder holds (an upload renamed by a browser,
 * `<id> (1).ts`, or named by the student), with a note that says so. Its
 * package.json, configs, node_modules or links are never looked at. Which lab it is was chosen
 * before (lib/choose-lab.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXERCISES_FOLDER, kitPaths } from '../lib/paths';
import { safeLine } from '../report/sanitize';

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
  return safeLine(shown.split(path.sep).join('/'));
}

/** Resolves `--submission` (a file, or a folder holding the lab's file) and reads it. */
export function takeIn(given: string | undefined, cwd: string = process.cwd()): Submission | IntakeProblem {
  let file = given ? path.resolve(cwd, given) : kitPaths.exercise;
  let stat: fs.Stats;
  let note: string | undefined;
  try {
    stat = fs.lstatSync(file);
    // A folder given by a symbolic link (the caller's own shortcut) is followed; the file in it
    // must still be a file of its own, never a link to somewhere else.
    if (stat.isSymbolicLink() && fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) stat = fs.statSync(file);
    if (stat.isDirectory()) {
      const folder = file;
      const found = submissionIn(folder);
      if (typeof found !== 'string') return { kind: 'missing', message: `${displayPath(folder, cwd)} holds no ${kitPaths.submissionFileName}: ${found.why}` };
      file = path.join(folder, found);
      if (found !== kitPaths.submissionFileName && found !== starterFile()) note = `graded ${safeLine(found)}, the only TypeScript file submitted: name it ${kitPaths.submissionFileName} next time`;
      stat = fs.lstatSync(file);
    }
  } catch {
    const wanted = given !== undefined ? safeLine(given) : displayPath(file, cwd);
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
  const decoded = decodeSource(bytes, displayName);
  if ('kind' in decoded) return decoded;
  const notes = [note, decoded.note].filter((n): n is string => n !== undefined);
  return notes.length ? { displayName, source: decoded.source, note: notes.join('; ') } : { displayName, source: decoded.source };
}

/** How to save a file as UTF-8, for a refusal or a note. */
const RESAVE = 'save it as UTF-8 (in VS Code: click the encoding in the status bar, "Save with Encoding", "UTF-8"; in Notepad: "Save as", Encoding "UTF-8")';

/**
 * A submission's bytes as text, decoded strictly: UTF-8 (a byte-order mark accepted and left out),
 * or UTF-16 with a byte-order mark (transcoded, with a note that says so). Refused, saying why:
 * UTF-16 without a byte-order mark (NUL bytes at every other byte), other bytes that no text
 * holds (NUL), and bytes that are not UTF-8 (naming the line of the first). Valid UTF-8 that
 * holds U+FFFD (the replacement character, in a comment say) is text like any other.
 */
export function decodeSource(bytes: Uint8Array, displayName: string): { source: string; note?: string } | IntakeProblem {
  const utf16 = (littleEndian: boolean): { source: string; note?: string } | IntakeProblem => {
    const body = bytes.subarray(2);
    const which = littleEndian ? 'UTF-16 LE' : 'UTF-16 BE';
    if (body.length % 2 !== 0) return { kind: 'rejected', message: `${displayName} starts like ${which} text but has an odd number of bytes: ${RESAVE}` };
    let source: string;
    try {
      // Big-endian swapped to little-endian by hand: every Node build decodes utf-16le.
      const le = littleEndian ? body : swapPairs(body);
      source = new TextDecoder('utf-16le', { fatal: true }).decode(le);
    } catch {
      return { kind: 'rejected', message: `${displayName} starts like ${which} text but is not valid ${which}: ${RESAVE}` };
    }
    if (source.includes('\u0000')) return { kind: 'rejected', message: `${displayName} is not a text file (it holds NUL characters)` };
    return { source, note: `${displayName} is saved as ${which} (with a byte-order mark): it was read as such and graded; other tools expect UTF-8, so ${RESAVE} next time` };
  };
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(true);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(false);
  if (bytes.includes(0)) {
    const order = utf16WithoutBom(bytes);
    if (order) return { kind: 'rejected', message: `${displayName} is UTF-16 ${order} text without a byte-order mark (NUL bytes at every other byte); the grader reads UTF-8: ${RESAVE}` };
    return { kind: 'rejected', message: `${displayName} is not a text file (it holds NUL bytes)` };
  }
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return { source: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body) };
  } catch {
    const at = firstInvalidUtf8(body);
    const line = 1 + body.subarray(0, at).reduce((n, b) => n + (b === 0x0a ? 1 : 0), 0);
    return { kind: 'rejected', message: `${displayName} is not valid UTF-8 text (the first byte that is not, 0x${body[at].toString(16).padStart(2, '0')}, is on line ${line}; saved in another encoding, such as Windows-1252?): ${RESAVE}` };
  }
}

/** The bytes with each pair swapped (UTF-16 BE to LE). */
function swapPairs(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out[i] = bytes[i + 1];
    out[i + 1] = bytes[i];
  }
  return out;
}

/**
 * 'LE' or 'BE' when bytes without a byte-order mark are evidently UTF-16: an even length, NUL bytes
 * in at least a quarter of the pairs, and (nearly) all of them on one side of their pair (ASCII
 * text in UTF-16 has a NUL in every pair, on the high byte's side).
 */
export function utf16WithoutBom(bytes: Uint8Array): 'LE' | 'BE' | undefined {
  if (bytes.length < 2 || bytes.length % 2 !== 0) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0) (i % 2 === 0 ? even++ : odd++);
  const pairs = bytes.length / 2;
  if (odd >= pairs / 4 && even <= odd / 20) return 'LE';
  if (even >= pairs / 4 && odd <= even / 20) return 'BE';
  return undefined;
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence (the bytes are known to hold one). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need: number;
    let min: number;
    if (b < 0x80) { i++; continue; }
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; } else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; } else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; } else return i;
    let cp = b & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return Math.max(0, bytes.length - 1);
}

/** Whether a file is a tool's configuration (`jest.config.ts`, `vite.config.ts`): a repository's, never an answer. */
function isConfig(name: string): boolean {
  return /\.config\.ts$/i.test(name);
}

/** True when something (a file, a folder, a link) is at `p`; intake then says what is wrong with it. */
function present(p: string): boolean {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/** Where a whole repository keeps the lab's file, relative to the repository: `exercises/<id>.ts`. */
function starterFile(): string {
  return path.join(EXERCISES_FOLDER, kitPaths.submissionFileName);
}

/**
 * The file to take from a submission folder, relative to it: the exercise's name if it is there;
 * else `exercises/<name>` when the folder is a whole repository (its `exercises/` a folder of its
 * own, not a link); else, unless the folder is a repository, the one TypeScript file (not a .d.ts)
 * it holds; otherwise why none can be chosen, naming what was found. A repository's top-level
 * `.ts` files are configs (`jest.config.ts`), never the student's answer.
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
  // Names are the submitter's: shown escaped.
  const shown = (list: string[]): string => (list.length > 8 ? `${list.slice(0, 8).map(safeLine).join(', ')} and ${list.length - 8} more` : list.map(safeLine).join(', '));
  const exercises = entries.find((e) => e.name === EXERCISES_FOLDER);
  if (exercises?.isDirectory() && present(path.join(folder, starterFile()))) return starterFile();
  // A repository (it has exercises/, or a link by that name) without the lab's file there: its
  // top-level .ts files are its configs (jest.config.ts), never the answer, so none is taken.
  if (exercises) {
    if (!exercises.isDirectory()) return { why: `it is a repository, and its ${EXERCISES_FOLDER} is ${exercises.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}: submit the repository with ${starterFile()} in it, or the file itself` };
    let inside: string[];
    try {
      inside = fs.readdirSync(path.join(folder, EXERCISES_FOLDER)).sort();
    } catch (err) {
      return { why: `it is a repository, and its ${EXERCISES_FOLDER}/ cannot be read (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})` };
    }
    return { why: `it is a repository, and its ${EXERCISES_FOLDER}/ ${inside.length ? `holds ${shown(inside)}` : 'is empty'}, not ${kitPaths.submissionFileName}: keep the lab's file under its name, ${starterFile()}` };
  }
  // Files (a link is refused later, saying so), not folders that happen to end in .ts, and not a
  // tool's configuration (`jest.config.ts`, `vite.config.ts`: a repository's, never an answer).
  const typescript = entries.filter((e) => !e.isDirectory() && /\.ts$/i.test(e.name) && !/\.d\.ts$/i.test(e.name) && !isConfig(e.name) && !e.name.startsWith('.')).map((e) => e.name);
  if (typescript.length === 1) return typescript[0];
  if (typescript.length > 1) return { why: `it holds ${typescript.length} TypeScript files (${shown(typescript)}) and the grader cannot tell which is yours: submit one, named ${kitPaths.submissionFileName}` };
  const configs = entries.some((e) => !e.isDirectory() && isConfig(e.name));
  return { why: names.length ? `it holds ${shown(names)}, and no TypeScript file${configs ? ' but a tool\'s configuration' : ''}: submit your ${kitPaths.submissionFileName}` : 'it is empty' };
}

/** True when intake gave a problem rather than a submission. */
export function isIntakeProblem(x: Submission | IntakeProblem): x is IntakeProblem {
  return 'kind' in x;
}
