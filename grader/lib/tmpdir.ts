/**
 * The temporary folder, checked before a command starts anything: every grading makes its scratch
 * folder there (and the renderer its font settings). One that is missing, is no folder, or cannot
 * be written to is the caller's to fix, and said in one line, rather than met later as a fault of
 * the grader in every student's result, or a stack trace from each batch worker.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { within } from '../write';

/** Why the temporary folder cannot hold scratch folders, in one line; undefined when it can. */
export function tmpdirProblem(): string | undefined {
  const dir = os.tmpdir();
  const named = process.env.TMPDIR ? `TMPDIR (${dir})` : `the temporary folder ${dir}`;
  const fix = process.env.TMPDIR ? 'set TMPDIR to a folder you can write to, or unset it to use /tmp' : 'set TMPDIR to a folder you can write to';
  let why: string;
  try {
    if (!fs.statSync(dir).isDirectory()) why = 'it is not a folder';
    else {
      fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
      return undefined;
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    why = code === 'ENOENT' ? 'it does not exist'
      : code === 'EACCES' || code === 'EPERM' ? 'this user may not write to it'
        : code === 'EROFS' ? 'it is on a read-only file system'
          : `it cannot be used (${code ?? String(err)})`;
  }
  return `${named} cannot hold the grader's scratch folders: ${why}; ${fix}`;
}

/** Whether an error's code says a disk is full (no room left, or the user's quota used up). */
export function isFullDisk(code: string | undefined): boolean {
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/**
 * The message for a disk the grader filled while grading, when `err` is one (ENOSPC, EDQUOT):
 * the machine's to fix, in one line naming where a write failed (the error's path, else
 * `writing`); undefined for any other error.
 */
export function fullDiskMessage(err: unknown, writing?: string): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (!isFullDisk(code)) return undefined;
  // (A copy's error names its source in `path` and where it wrote in `dest`; a write to an open
  // file names nothing, and the caller may know what it was writing.)
  const where = (err as NodeJS.ErrnoException & { dest?: string }).dest ?? (err as NodeJS.ErrnoException).path ?? writing;
  // The grader's own folders in the temporary folder (`vg-…`: scratch folders, caches) move with
  // TMPDIR; another folder (a report folder, the grades file's, even under /tmp) is the command's
  // to choose.
  const own = where !== undefined && within(where, os.tmpdir()) && /^vg-/.test(path.relative(os.tmpdir(), where).split(path.sep)[0] ?? '');
  const inTmp = where === undefined || own;
  return `a disk the grader writes to is full (${code}${where ? `, writing ${where}` : ''}): free some space there${inTmp ? ` (the temporary folder is ${os.tmpdir()}), or set TMPDIR to a folder that has room` : ', or write to a disk that has room'}`;
}

