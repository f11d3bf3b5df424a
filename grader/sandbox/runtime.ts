/**
 * Lays out a run's scratch folder so the child can read exactly two folders and nothing else:
 *
 *   <scratch>/            0711: the child may pass through, not list (the manifest lives here, 0600)
 *   <scratch>/runtime/    the child runtime (child.js, wire.js, protocol.js), copied from build/
 *   <scratch>/submission/ the compiled submission, and a package.json that ends Node's search
 *
 * The runtime is copied rather than read from the kit, because the kit's folder may not be
 * readable by the sandbox's own uid (a kit under /root, say), because only these folders are
 * bound into the child's namespace, and because the child's read permission must not cover the
 * kit (the solutions, the reference, the suites).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { kitPaths } from '../lib/paths';
import { copyReadable, makeDir, writeReadable } from '../lib/sandbox-files';
import { DEFAULT_SANDBOX_LIMITS, type SandboxOptions } from './client';
import type { IsolationPlan } from './isolation';

/** The files of the child runtime, as built. */
const RUNTIME_FILES = ['child.js', 'wire.js', 'protocol.js'];

/** Paths of a prepared scratch folder. */
export interface ScratchLayout {
  /** The scratch root. */
  root: string;
  /** Where the child runtime was copied; the child script is `<runtime>/child.js`. */
  runtimeDir: string;
  /** Where one submission's compiled code goes (one folder per submission). */
  submissionDir: (index: number) => string;
}

/** True when every folder from `dir` up to / may be searched by others (mode o+x). */
function searchableByOthers(dir: string): boolean {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    try {
      if ((fs.statSync(d).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    if (path.dirname(d) === d) return true;
  }
}

/**
 * Where the run's scratch folder goes: the system's temporary folder (TMPDIR), unless children run
 * as uids of their own and cannot reach into it (a TMPDIR of mode 0700, say); then /tmp. A machine
 * with neither is told how to fix it.
 */
export function scratchBase(isolation: IsolationPlan): string {
  // Its real path: Node's permission model compares the folders it may read with the real paths
  // of the files opened, so a TMPDIR reached through a symbolic link (a home folder that is one; on
  // a Mac, /var is /private/var) let the child read nothing, and every submission scored 0.
  let wanted = os.tmpdir();
  try { wanted = fs.realpathSync.native(wanted); } catch { /* checked at the commands' start */ }
  if (!isolation.ownUids || searchableByOthers(wanted)) return wanted;
  if (searchableByOthers('/tmp')) return '/tmp';
  throw new Error(`student code runs as a uid of its own and cannot reach ${wanted} (a folder on the way is not searchable by others): set TMPDIR to a folder that others may search, such as /tmp`);
}

/** Creates the runtime and submission folders inside `root` (a fresh mkdtemp folder). */
export function prepareScratch(root: string): ScratchLayout {
  // Every mode is set outright (sandbox-files.ts): the umask would mask what a create asks for.
  fs.chmodSync(root, 0o711);
  const runtimeDir = path.join(root, 'runtime');
  makeDir(runtimeDir, 0o755);
  const builtDir = path.dirname(kitPaths.childScript);
  for (const file of RUNTIME_FILES) copyReadable(path.join(builtDir, file), path.join(runtimeDir, file));
  // Its own package.json: Node then looks no further up for one (and would be denied if it did).
  writeReadable(path.join(runtimeDir, 'package.json'), '{"type":"commonjs"}\n');
  return {
    root,
    runtimeDir,
    submissionDir: (index: number) => {
      const dir = path.join(root, `submission-${index}`);
      makeDir(dir, 0o755);
      return dir;
    },
  };
}

/** The sandbox options for a prepared scratch folder: the default limits, overridable, and the isolation. */
export function sandboxOptionsFor(layout: ScratchLayout, isolation: IsolationPlan, limits: Partial<SandboxOptions> = {}): Omit<SandboxOptions, 'modulePath'> {
  return {
    ...DEFAULT_SANDBOX_LIMITS, ...limits,
    childScript: path.join(layout.runtimeDir, 'child.js'),
    isolation,
    submissionFile: kitPaths.submissionFileName,
  };
}
