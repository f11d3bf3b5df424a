/**
 * Ends every live sandbox child when the grader exits, however it exits (the children also carry
 * a parent-death signal, which covers a grader killed with SIGKILL), and removes the scratch
 * folders of the runs a signal cut short. And keeps the grader's own
 * inspector shut: Node opens it on SIGUSR1, and a signal must never hand a debugger port to
 * anyone (a listener for SIGUSR1 is what stops Node from opening it).
 *
 * One set and one set of handlers per OS process: the sandbox modules are loaded afresh by every
 * jest run (a batch makes one per group), and handlers added by each would pile up and keep
 * every run's modules alive. So the set hangs off a core module, which all of jest's module
 * registries share.
 */
import childProcessModule = require('node:child_process');
import * as fs from 'node:fs';

/** What must not outlive the grader: the process groups of live children, and scratch folders of runs in progress. */
interface Leftovers {
  live: Set<number>;
  scratch: Set<string>;
}

const leftovers = leftoverSets();

/** Process groups of every live child. */
export const LIVE: Set<number> = leftovers.live;

/**
 * Scratch folders of runs in progress (the compiled submissions, the manifest with its seed):
 * removed when the grader exits or is stopped by a signal, after the children are ended. A run
 * removes its own when it ends (and takes it out of the set); this is for the runs a signal cuts
 * short, whose `finally` never comes.
 */
export const SCRATCH: Set<string> = leftovers.scratch;

function leftoverSets(): Leftovers {
  const host = childProcessModule as unknown as Record<symbol, Leftovers | undefined>;
  const key = Symbol.for('ts-lab-kit.sandbox.leftovers');
  const existing = host[key];
  if (existing) return existing;
  const sets: Leftovers = { live: new Set<number>(), scratch: new Set<string>() };
  host[key] = sets;
  const { live, scratch } = sets;
  const killAll = (): void => {
    for (const pid of live) {
      try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    live.clear();
    for (const dir of scratch) {
      try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* left for the system's cleaning */ }
    }
    scratch.clear();
  };
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      // Raised again for its default action (the process ends), unless another part of the
      // process handles this signal (a batch stops its workers and keeps its rows): it decides.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
  shutInspector();
  return sets;
}

/** Keeps SIGUSR1 from opening the inspector in this process (idempotent). */
export function shutInspector(): void {
  if (!process.listeners('SIGUSR1').some((l) => (l as { vgShut?: boolean }).vgShut)) {
    const ignore = Object.assign(() => undefined, { vgShut: true });
    try { process.on('SIGUSR1', ignore); } catch { /* a platform without SIGUSR1 has no such inspector trigger */ }
  }
}

/** Makes a run's scratch folder under `base` (mkdtemp with `prefix`), removed with the grader if a signal cuts the run short. */
export function makeScratch(base: string, prefix: string): string {
  const dir = fs.mkdtempSync(`${base.replace(/\/+$/, '')}/${prefix}`);
  SCRATCH.add(dir);
  return dir;
}

/** Removes a run's scratch folder (at the run's end). */
export function removeScratch(dir: string): void {
  SCRATCH.delete(dir);
  fs.rmSync(dir, { recursive: true, force: true });
}
