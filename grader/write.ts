/**
 * The one place that writes files. Every write is atomic (a temporary file in the same folder,
 * then a rename), so a reader never sees half a results file.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Puts `file` in place whole: `make` creates it under a temporary name in its folder, then a rename. */
function replaceWith(file: string, make: (tmp: string) => void): void {
  makeFolders(path.dirname(file));
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.rmSync(tmp, { force: true });
  try {
    make(tmp);
    fs.renameSync(tmp, file);
  } catch (err) {
    // A write that fails (a full disk, a folder where the file goes) leaves no half-written
    // temporary file behind.
    try { fs.rmSync(tmp, { force: true }); } catch { /* the error below says what went wrong */ }
    throw namingFile(err, file);
  }
}

/** `err`, naming `file` when it names none: a write's own error (a full disk) fails on an open file and names nothing. */
export function namingFile(err: unknown, file: string): unknown {
  if (err instanceof Error && (err as NodeJS.ErrnoException).code && (err as NodeJS.ErrnoException).path === undefined) (err as NodeJS.ErrnoException).path = file;
  return err;
}

/**
 * Makes `dir` and the folders above it that are missing, one at a time, resolving the path as the
 * system does (`..` after a link is the parent of where the link leads, not of the link). Node's
 * recursive mkdir loops forever under /proc, at full CPU. Throws the first failure: a file, or a
 * link to nothing, where a folder goes; a folder that cannot be written to.
 */
export function makeFolders(dir: string, mode?: number): void {
  if (fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return;
  // Joined by hand: path.join and path.resolve would fold `..` into the text before it.
  const full = path.isAbsolute(dir) ? dir : `${process.cwd()}${path.sep}${dir}`;
  let at = path.parse(full).root;
  for (const part of full.slice(at.length).split(path.sep)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      at = path.dirname(fs.realpathSync.native(at));
      continue;
    }
    const next = path.join(at, part);
    const st = fs.lstatSync(next, { throwIfNoEntry: false });
    if (st?.isSymbolicLink()) {
      if (!fs.statSync(next, { throwIfNoEntry: false })) throw Object.assign(new Error(`ENOENT: ${next} is a symbolic link to nothing (${fs.readlinkSync(next)})`), { code: 'ENOENT', path: next });
      at = fs.realpathSync.native(next);
      continue;
    }
    if (!st) {
      try {
        fs.mkdirSync(next, mode === undefined ? undefined : { mode });
      } catch (err) {
        // Made meanwhile by another process: fine.
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !fs.statSync(next).isDirectory()) throw err;
      }
    }
    at = next;
  }
}

/** Why `dir` cannot be made (or used) as a folder, in one line; undefined when it is one now. */
export function folderProblem(dir: string): string | undefined {
  try {
    makeFolders(dir);
    if (!fs.statSync(dir).isDirectory()) return `${dir} is a file, not a folder`;
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    return undefined;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return `${dir} cannot be made or written to (${e.code ?? 'failed'}${e.path && path.resolve(e.path) !== path.resolve(dir) ? `: ${e.path}` : ''})`;
  }
}

/** Writes `data` to `file` atomically, creating its folder. */
export function writeAtomic(file: string, data: string | Buffer): void {
  replaceWith(file, (tmp) => fs.writeFileSync(tmp, data));
}

/**
 * Writes `bytes` to `file` as a hard link to their copy in `store` (a folder of files named by
 * their hash, each written once), atomically; where the file system cannot link (another device,
 * no hard links), writes the bytes themselves. A class's report folders share their figures this
 * way: the reference figures, and every figure of a mistake many students made, are on disk once
 * (a class of 1,000 wrote half a gigabyte of copies). A linked file is a file like any other:
 * copying or zipping one student's folder copies its bytes.
 */
export function writeShared(file: string, bytes: Buffer, store: string): void {
  const stored = path.join(store, `${createHash('sha256').update(bytes).digest('hex')}${path.extname(file)}`);
  try {
    if (!fs.existsSync(stored)) writeAtomic(stored, bytes);
    replaceWith(file, (tmp) => fs.linkSync(stored, tmp));
  } catch {
    writeAtomic(file, bytes);
  }
}

/** Links followed before a chain counts as a circle (Linux's own limit for one path). */
const MAX_LINKS = 40;

/**
 * A path as written through: where its symbolic links lead, when that is all there; else the path
 * itself when it opens as it is (/dev/stdout leads through /proc/self/fd/1 to a pipe, which is
 * no path); else, for a chain of links whose last target is not there yet, that target (each
 * link of the chain stays a link). A circle gives the path itself: writing it then says ELOOP.
 */
function throughLinks(file: string): string {
  try {
    return fs.realpathSync.native(file);
  } catch { /* a part of it is not there */ }
  if (fs.statSync(file, { throwIfNoEntry: false })) return file;
  let at = file;
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    try {
      if (!fs.lstatSync(at).isSymbolicLink()) return at;
      // A link's target is taken from the folder it really is in, as the kernel takes it: `..`
      // from a folder reached through a link is that folder's parent, not the link's.
      at = path.resolve(fs.realpathSync.native(path.dirname(at)), fs.readlinkSync(at));
    } catch {
      return at; // not there: the end of the chain
    }
  }
  return file;
}

/** What a command's output path is: a regular file (or none yet), a folder, or something else (a device, a pipe). */
export function outputKind(file: string): 'file' | 'folder' | 'special' {
  const st = fs.statSync(throughLinks(file), { throwIfNoEntry: false });
  if (!st || st.isFile()) return 'file';
  return st.isDirectory() ? 'folder' : 'special';
}

/**
 * Why a command could not write its output to `file`, told before it does any work; undefined when
 * it can: a folder is no file, and a file's folder (its nearest one that exists) must be writable.
 */
export function outputProblem(file: string): string | undefined {
  try {
    const kind = outputKind(file);
    if (kind === 'folder') return `${file} is a folder: name a file for the output`;
    if (kind === 'special') return undefined;
    let dir = path.dirname(path.resolve(throughLinks(file)));
    while (!fs.existsSync(dir) && path.dirname(dir) !== dir) {
      // A folder on the way that is a link to nothing cannot be made: said now, not once graded.
      if (fs.lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink()) return `cannot write ${file}: ${dir} is a symbolic link to nothing (${fs.readlinkSync(dir)})`;
      dir = path.dirname(dir);
    }
    if (!fs.statSync(dir).isDirectory()) return `cannot write ${file}: ${dir} is a file, not a folder`;
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'denied';
    return code === 'ELOOP' ? `cannot write ${file}: its symbolic links go round in a circle (ELOOP)` : `cannot write ${file}: its folder cannot be written to (${code})`;
  }
}

/** Where a command's output really goes (through its symbolic links): for comparing with the files a run reads and writes. */
export function outputTarget(file: string): string {
  try {
    return throughLinks(path.resolve(file));
  } catch {
    return path.resolve(file);
  }
}

/** Whether `file` is `dir` or inside it, compared as real paths (either may not exist yet). */
export function within(file: string, dir: string): boolean {
  const real = (p: string): string => {
    const parts: string[] = [];
    let at = path.resolve(p);
    for (;;) {
      try {
        return path.join(fs.realpathSync.native(at), ...parts.reverse());
      } catch {
        if (path.dirname(at) === at) return path.resolve(p);
        parts.push(path.basename(at));
        at = path.dirname(at);
      }
    }
  };
  const rel = path.relative(real(dir), real(file));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Whether two folders are one (as real paths). */
export function sameFolder(a: string, b: string): boolean {
  return within(a, b) && within(b, a);
}

/** The names of this process's stdout and stderr. */
const STANDARD_STREAMS = new Map<string, () => NodeJS.WritableStream>([
  ...['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1'].map((p) => [p, () => process.stdout] as const),
  ...['/dev/stderr', '/dev/fd/2', '/proc/self/fd/2'].map((p) => [p, () => process.stderr] as const),
]);

/**
 * Writes a command's output (`--out`): a regular file atomically, through a symbolic link to its
 * target (the link stays); a device or a pipe (`/dev/stdout`, a FIFO a reader waits on) is written
 * to as it is, never replaced by a file.
 */
export function writeOutput(file: string, data: string | Buffer): void {
  // This process's own stdout or stderr by name: written to the stream itself (a socket, which
  // is what a parent's pipe often is, cannot be opened again by path: ENXIO).
  const stream = STANDARD_STREAMS.get(path.resolve(file));
  if (stream) {
    stream().write(data);
    return;
  }
  const target = throughLinks(path.resolve(file));
  if (outputKind(target) === 'special') fs.writeFileSync(target, data);
  else writeAtomic(target, data);
}
