/**
 * Files and folders that a sandbox child reads, made with their modes set outright. The mode given
 * at creation is masked by the process's umask: a root grader under umask 077 (a hardened image, a
 * service with UMask=0077) made them 0700 and 0600, the sandbox's own uid could read none of them,
 * and every submission, a correct one too, "ended while loading".
 */
import * as fs from 'node:fs';
import { makeFolders, namingFile } from '../write';

/** Writes `data` to `file`, readable by every user (0644) whatever the umask. */
export function writeReadable(file: string, data: string): void {
  try {
    fs.writeFileSync(file, data, { mode: 0o644 });
  } catch (err) {
    throw namingFile(err, file);
  }
  fs.chmodSync(file, 0o644);
}

/** Copies `from` to `to`, readable by every user (0644) whatever the umask or `from`'s mode. */
export function copyReadable(from: string, to: string): void {
  fs.copyFileSync(from, to);
  fs.chmodSync(to, 0o644);
}

/** Makes `dir` (and its missing parents), then sets its mode to `mode` whatever the umask. */
export function makeDir(dir: string, mode: number): void {
  makeFolders(dir, mode);
  fs.chmodSync(dir, mode);
}
