/**
 * The one place that writes files. Every write is atomic (a temporary file in the same folder,
 * then a rename), so a reader never sees half a results file.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Puts `file` in place whole: `make` creates it under a temporary name in its folder, then a rename. */
function replaceWith(file: string, make: (tmp: string) => void): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.rmSync(tmp, { force: true });
  try {
    make(tmp);
    fs.renameSync(tmp, file);
  } catch (err) {
    // A write that fails (a full disk, a folder where the file goes) leaves no half-written
    // temporary file behind.
    try { fs.rmSync(tmp, { force: true }); } catch { /* the error below says what went wrong */ }
    throw err;
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
