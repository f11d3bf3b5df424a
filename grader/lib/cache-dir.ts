/**
 * Where the kit keeps a cache: under node_modules/.cache, beside the packages it depends on, when
 * that can be written. A kit installed read-only (an image, a folder of another user's) made every
 * grading a fault of the kit, since jest cannot run without a cache folder it can write to; the
 * other caches only cost time there. Then, in this order, the first that can be used:
 *   1. VG_CACHE_DIR, when set (an instructor's or a platform's choice);
 *   2. node_modules/.cache;
 *   3. $XDG_CACHE_HOME (or ~/.cache)/ts-lab-kit/<the kit's folder, hashed>;
 *   4. <the temporary folder>/vg-cache-<uid>/<the kit's folder, hashed>.
 * A folder the kit did not make under 1 to 2 is taken as it is; one under 3 or 4 must be this
 * user's own and writable by nobody else (a cache holds code for the renderer and results for
 * the grader: another user must not be able to plant them). Loads nothing of the kit's: the
 * renderer and the compiler children use it too.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeFolders } from '../write';

/** The environment variable that names the kit's cache folder outright. */
export const CACHE_DIR_ENV = 'VG_CACHE_DIR';

/** The node_modules folder the kit's packages are in (found from jest's place, without the kit's paths). */
function defaultNodeModules(): string {
  return path.dirname(path.dirname(require.resolve('jest/package.json')));
}

/** Whether `dir` is (or could be made into) a folder this process may write to; `own`: also this user's alone. */
function usable(dir: string, own: boolean): boolean {
  try {
    makeFolders(dir, 0o700);
    const st = fs.lstatSync(dir);
    if (!st.isDirectory()) return false;
    if (own && process.getuid && (st.uid !== process.getuid() || (st.mode & 0o022) !== 0)) return false;
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const chosen = new Map<string, string>();

/**
 * The folder for the cache `name` (made if missing), the first usable place in the order above;
 * the same answer for the rest of the process. When none is usable, the place under
 * node_modules/.cache (its reads miss, its writes fail: each cache then only costs time, and
 * jest says why it cannot run).
 */
export function cacheDir(name: string, where: { nodeModules?: string; env?: NodeJS.ProcessEnv; tmpdir?: string } = {}): string {
  const { nodeModules = defaultNodeModules(), env = process.env, tmpdir = os.tmpdir() } = where;
  const memo = `${nodeModules}\0${name}`;
  const known = chosen.get(memo);
  if (known) return known;
  const primary = path.join(nodeModules, '.cache', name);
  const kit = createHash('sha256').update(path.resolve(nodeModules)).digest('hex').slice(0, 12);
  const uid = process.getuid ? process.getuid() : 0;
  const home = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  const candidates: { dir: string; own: boolean }[] = [
    ...(env[CACHE_DIR_ENV] ? [{ dir: path.resolve(env[CACHE_DIR_ENV]!, name), own: false }] : []),
    { dir: primary, own: false },
    { dir: path.join(home, 'ts-lab-kit', kit, name), own: true },
    { dir: path.join(tmpdir, `vg-cache-${uid}`, kit, name), own: true },
  ];
  const found = candidates.find((c) => c.own ? usable(path.dirname(path.dirname(c.dir)), true) && usable(c.dir, true) : usable(c.dir, false));
  const dir = found?.dir ?? primary;
  chosen.set(memo, dir);
  return dir;
}
