/**
 * What the tests of the startup snapshots share (grader/lib/snapshots.ts): this Node's snapshots
 * made before they run, a live process's argv, and a file Node refuses as a snapshot.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** `npm test` builds first; a jest run on another Node has the build make this Node's snapshots now. */
export function ensureSnapshots(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require(path.join(ROOT, 'grader', 'bin', 'build.js')) as { ensureBuilt: () => boolean }).ensureBuilt();
}

/** The command line of a live process, as its arguments. */
export function argvOf(pid: number | undefined): string[] {
  return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '').split('\0');
}

/** A file that is no snapshot, outside the kit's records (so that its failure rewrites none), and how to remove it. */
export function notASnapshot(): { blob: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-not-a-snapshot-'));
  const blob = path.join(dir, 'not-a-snapshot.blob');
  fs.writeFileSync(blob, 'these bytes are no V8 snapshot\n'.repeat(1000));
  return { blob, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
