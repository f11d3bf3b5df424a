/**
 * What each test of a grading run came to, recorded by the harness as the test ends (its
 * visibility and its outcome code) and read by the run stage after jest returns: the judge needs
 * neither to parse a title nor to recognise an error by its name.
 *
 * The suites run inside jest's own module registry, the run stage outside it, in the same process
 * (jest runs in band): the records hang off a core module, which both registries share.
 */
import childProcessModule = require('node:child_process');
import type { TestOutcome } from '../outcomes';
import type { Visibility } from './harness';

/** One test's record. */
export interface TestRecord {
  visibility: Visibility;
  outcome: TestOutcome;
}

/** The records of the run in progress, by the test's full name (its describe titles and its title, joined by spaces, as jest names it). */
export function records(): Map<string, TestRecord> {
  const host = childProcessModule as unknown as Record<symbol, Map<string, TestRecord> | undefined>;
  const key = Symbol.for('ts-lab-kit.suites.records');
  return (host[key] ??= new Map());
}

/**
 * Steps of grading done in this process so far, over every run: tests ended, submissions compiled
 * and results handed over (a batch worker's sign of life: one whose count stops moving for long
 * is wedged).
 */
export function progressCount(): number {
  return counter().n;
}

/** Counts one more step of grading done. */
export function noteProgress(): void {
  counter().n++;
}

function counter(): { n: number } {
  const host = childProcessModule as unknown as Record<symbol, { n: number } | undefined>;
  return (host[Symbol.for('ts-lab-kit.suites.ended')] ??= { n: 0 });
}

/** The full name jest gives a test: its describe titles and its own, joined by spaces. */
export function fullName(ancestors: readonly string[], title: string): string {
  return [...ancestors, title].join(' ');
}

/** Told of a submission's probe as soon as it has run: its id, and its data as the sidecar will hold it (JSON text). */
export type ProbeListener = (id: string, labJson: () => string) => void;

const PROBE_KEY = Symbol.for('ts-lab-kit.suites.probe-listener');

/**
 * Listens for probes (undefined: stops). The grader draws a submission's figures from the probe's
 * data while that submission's hidden tests still run, instead of after the whole run.
 */
export function onProbe(listener: ProbeListener | undefined): void {
  (childProcessModule as unknown as Record<symbol, ProbeListener | undefined>)[PROBE_KEY] = listener;
}

/**
 * Tells the listener, if any, of a submission's probe (the text is made only when someone listens).
 * What the listener does is the grader's business: it never fails the suite's run.
 */
export function announceProbe(id: string, labJson: () => string): void {
  try {
    (childProcessModule as unknown as Record<symbol, ProbeListener | undefined>)[PROBE_KEY]?.(id, labJson);
  } catch { /* the grader draws after the run instead */ }
}

const SIDECAR_KEY = Symbol.for('ts-lab-kit.suites.sidecar-failures');

/** Why the suites could not write sidecars, by path (on the shared core module, as the records are). */
function sidecarFailures(): Map<string, string> {
  const host = childProcessModule as unknown as Record<symbol, Map<string, string> | undefined>;
  return (host[SIDECAR_KEY] ??= new Map());
}

/** Says that a submission's sidecar could not be written, and why (the error's code). */
export function noteSidecarFailure(file: string, code: string): void {
  sidecarFailures().set(file, code);
}

/** Why the sidecar at `file` could not be written, if the suites said so (read once: then forgotten). */
export function sidecarFailure(file: string): string | undefined {
  const code = sidecarFailures().get(file);
  sidecarFailures().delete(file);
  return code;
}
