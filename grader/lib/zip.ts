/**
 * The platform bundles' ZIP archives, written by fflate (no `zip` binary needed on the machine).
 * Entries keep their Unix modes, so that setup.sh and run_autograder stay executable, and carry a
 * fixed timestamp, so that the same inputs give the same archive.
 */
import { zipSync, type Zippable } from 'fflate';

/** One file in the archive. */
export interface ZipEntry {
  /** Path inside the archive, with forward slashes. */
  name: string;
  /** The bytes. */
  data: Buffer;
  /** Unix mode (e.g. 0o755 for scripts). */
  mode: number;
}

/** 1 Jan 2020, local time (a ZIP timestamp has no zone): every archive's entries carry it. */
const FIXED_TIME = new Date(2020, 0, 1);

/** Builds the archive. Throws on two entries of one name (a ZIP would keep both). */
export function zip(entries: ZipEntry[]): Buffer {
  const files: Zippable = {};
  for (const e of entries) {
    if (Object.hasOwn(files, e.name)) throw new Error(`zip: ${e.name} twice`);
    // Unix (os 3): the mode, as a regular file, in the high 16 bits of the attributes.
    files[e.name] = [new Uint8Array(e.data), { level: 9, mtime: FIXED_TIME, os: 3, attrs: ((0o100000 | e.mode) << 16) >>> 0 }];
  }
  return Buffer.from(zipSync(files));
}
