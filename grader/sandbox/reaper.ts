/**
 * Ends every live sandbox child when the grader exits, however it exits (the children also carry
 * a parent-death signal, which covers a grader killed with SIGKILL). And keeps the grader's own
 * inspector shut: Node opens it on SIGUSR1, and a signal must never hand a debugger port to
 * anyone (a listener for SIGUSR1 is what stops Node from opening it).
 *
 * One set and one set of handlers per OS process: the sandbox modules are loaded afresh by every
 * jest run (a batch makes one per group), and handlers added by each would pile up and keep
 * every run's modules alive. So the set hangs off a core module, which all of jest's module
 * registries share.
 */
import childProcessModule = require('node:child_process');

/** Process groups of every live child. */
export const LIVE: Set<number> = liveSet();

function liveSet(): Set<number> {
  const host = childProcessModule as unknown as Record<symbol, Set<number> | undefined>;
  const key = Symbol.for('ts-lab-kit.sandbox.live');
  const existing = host[key];
  if (existing) return existing;
  const live = new Set<number>();
  host[key] = live;
  const killAll = (): void => {
    for (const pid of live) {
      try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    live.clear();
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
  return live;
}

/** Keeps SIGUSR1 from opening the inspector in this process (idempotent). */
export function shutInspector(): void {
  if (!process.listeners('SIGUSR1').some((l) => (l as { vgShut?: boolean }).vgShut)) {
    const ignore = Object.assign(() => undefined, { vgShut: true });
    try { process.on('SIGUSR1', ignore); } catch { /* a platform without SIGUSR1 has no such inspector trigger */ }
  }
}
