/**
 * Batch, step 1: the class. A batch folder holds one entry per student: a folder
 * `<student-id>/` with the student's `vanishing-gradients.ts`, or a bare `<student-id>.ts` file.
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
}

/** What a batch folder holds. */
export interface ClassList {
  /** The students, sorted by id. */
  students: StudentEntry[];
  /** Entries that are not submissions (left out, for the log). */
  ignored: string[];
}

/** Reads a batch folder. A folder that cannot be read, or two entries for one id, is a usage error. */
export function discover(dir: string): ClassList {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new UsageError(`--batch: cannot read ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const students: StudentEntry[] = [];
  const ignored: string[] = [];
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    let id: string | undefined;
    if (entry.name.startsWith('.')) ignored.push(entry.name);
    // Folders are students even when their file is missing: they get a row that says so.
    else if (entry.isDirectory()) id = entry.name;
    else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith('.ts') && entry.name.length > 3) id = entry.name.slice(0, -3);
    else ignored.push(entry.name);
    if (id === undefined) continue;
    const other = seen.get(id);
    if (other !== undefined) throw new UsageError(`--batch: ${escapeLine(other)} and ${escapeLine(entry.name)} are both student ${escapeLine(id)}; keep one`);
    seen.set(id, entry.name);
    students.push({ id, path: full });
  }
  students.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { students, ignored: ignored.sort() };
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
