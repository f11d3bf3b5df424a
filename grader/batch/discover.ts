/**
 * Batch, step 1: the class. A batch folder holds one entry per student: a folder
 * `<student-id>/` with the student's file (the lab's, `<id>.ts`), or a bare `<student-id>.ts` file.
 * (Which lab: `--lab`, else the one whose file the students' folders hold, lib/choose-lab.ts.)
 * Hidden entries (a leading dot) and other files are left out and listed, so nothing is skipped
 * silently. A shard is every n-th student of the sorted list, so that n runners split a class
 * without talking to each other.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError } from '../usage';
import { escapeLine } from '../report/sanitize';

/** One student's submission. */
export interface StudentEntry {
  /** The student's id: the folder's name, or the file's name without `.ts`. */
  id: string;
  /** The folder or the file, as the grader's intake takes it. */
  path: string;
  /** Their report folder's name under the report root: the id, unless the id is one of the overview's own names ({@link OVERVIEW_NAMES}). */
  folder: string;
}

/**
 * The names the class overview takes at the report root (its page, its charts' folder). A student
 * whose id is one of them (whatever its case: a Mac's disk ignores case) gets `<id>~` as their report
 * folder (more `~` while that too is a classmate's id): the overview would otherwise fail to write
 * its page, or write its charts into that student's folder.
 */
export const OVERVIEW_NAMES: readonly string[] = ['index.html', 'overview'];

/** What a batch folder holds. */
export interface ClassList {
  /** The students, sorted by id. */
  students: StudentEntry[];
  /** Entries that are not submissions (left out, for the log). */
  ignored: string[];
}

/** Reads a batch folder. A folder that cannot be read, or two entries for one id, is a usage error. */
export function discover(dir: string): ClassList {
  let raw: Buffer[];
  try {
    // Names as the file system holds them: a name that is not UTF-8 must not be read as another
    // (two such names would decode to one id, and a path built from a decoded name finds nothing).
    raw = fs.readdirSync(dir, { encoding: 'buffer' });
  } catch (err) {
    throw new UsageError(`--batch: cannot read ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const students: StudentEntry[] = [];
  const ignored: string[] = [];
  const seen = new Map<string, string>();
  for (const bytes of raw) {
    const name = utf8(bytes);
    if (name === undefined) {
      ignored.push(`${shownBytes(bytes)} (its name is not UTF-8 text: rename it to grade it)`);
      continue;
    }
    const full = path.join(dir, name);
    let stat: fs.Stats | undefined;
    try { stat = fs.lstatSync(full); } catch { /* gone meanwhile */ }
    let id: string | undefined;
    if (name.startsWith('.') || !stat) ignored.push(name);
    // Folders are students even when their file is missing: they get a row that says so.
    else if (stat.isDirectory()) id = name;
    else if ((stat.isFile() || stat.isSymbolicLink()) && name.endsWith('.ts') && name.length > 3) id = name.slice(0, -3);
    else ignored.push(name);
    if (id === undefined) continue;
    // One id however its accents are encoded: `josé` with é as one character and as e and a
    // combining accent (a Mac writes names the second way) read the same in every list and page.
    const key = id.normalize('NFC');
    const other = seen.get(key);
    if (other !== undefined) throw new UsageError(`--batch: ${escapeLine(other)} and ${escapeLine(name)} are both student ${escapeLine(key)}${other.normalize('NFC') === name.normalize('NFC') && other !== name ? ' (the same letters, their accents encoded differently)' : ''}; keep one`);
    seen.set(key, name);
    students.push({ id, path: full, folder: id });
  }
  students.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Over the whole class, before any shard is cut: every runner gives a student the same folder.
  const folders = reportFolders(students.map((st) => st.id));
  for (const [k, st] of students.entries()) st.folder = folders[k];
  return { students, ignored: ignored.sort() };
}

/**
 * The report folders of a whole class's students, given their ids sorted by code unit: each id,
 * but an id that is one of the overview's own names, whatever its case, gets `~` (more while that
 * too is a classmate's). The same for a batch and for a merge of its shards (merge.ts).
 */
export function reportFolders(sortedIds: readonly string[]): string[] {
  const taken = new Set(sortedIds.map((id) => id.toLowerCase()));
  return sortedIds.map((id) => {
    if (!OVERVIEW_NAMES.includes(id.toLowerCase())) return id;
    let folder = `${id}~`;
    while (taken.has(folder.toLowerCase())) folder += '~';
    taken.add(folder.toLowerCase());
    return folder;
  });
}

/** A name's bytes as UTF-8 text, or undefined when they are not UTF-8. */
function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** A name that is not UTF-8, shown with its bytes above ASCII escaped (`x\xff`). */
function shownBytes(bytes: Buffer): string {
  return escapeLine(Array.from(bytes, (b) => (b < 0x80 ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join(''));
}

/** A shard: `i` of `n` (1-based). */
export interface Shard {
  /** Which shard, from 1. */
  index: number;
  /** How many shards in all. */
  count: number;
}

/** Parses `--shard i/n`. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard takes i/n with 1 <= i <= n, like 2/4; got ${text}`);
  return { index, count };
}

/** The students of one shard: every n-th of the sorted list, starting at the i-th. */
export function shardOf<T>(students: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return [...students];
  return students.filter((_, k) => k % shard.count === shard.index - 1);
}
