/**
 * The hand-off from the orchestrator to the jest run: which compiled submissions to grade, with
 * which seed and limits. Written to the run's scratch folder; its path reaches the suites through
 * the VG_GRADER_MANIFEST environment variable (jest passes the environment to test files).
 */
import * as fs from 'node:fs';
import type { SandboxOptions } from '../sandbox/client';

/** The environment variable that holds the manifest's path. */
export const MANIFEST_ENV = 'VG_GRADER_MANIFEST';

/** One submission to grade. */
export interface ManifestEntry {
  /** The submission's id: the describe block's title, and the key of its results. */
  id: string;
  /** The compiled CommonJS file the sandbox loads. */
  modulePath: string;
  /** Where the suites leave what the sandbox captured (the student's output). */
  sidecarPath: string;
}

/** Everything the suites need to know about a run. */
export interface Manifest {
  /** The run's seed: hidden tests draw their inputs from it. */
  seed: number;
  /** When set, only these parts' suites run (`--only`: the part and the parts it uses). */
  parts?: string[];
  /** When true, only the public checks run (recording the student release's answers). */
  publicOnly?: boolean;
  /** When set, each submission's functions are probed for the lab's printout and figures after its tests, in the same sandbox (the lab's knobs: plain data of the lab's own shape). */
  lab?: { knobs: unknown };
  /** Sandbox limits, the same for every submission. */
  sandbox: Omit<SandboxOptions, 'modulePath'>;
  /** Submissions, in order. */
  submissions: ManifestEntry[];
}

/** What the suites leave behind for one submission. */
export interface Sidecar {
  /** What the student's code printed, per function. */
  output: Record<string, string>;
  /** The calls that returned values, wire-encoded (NaN and friends survive JSON). */
  calls: unknown;
  /** The lab probe's findings (a LabProbe), wire-encoded, when the manifest asked for it. */
  lab?: unknown;
  /** Why the probe could not run (a fault of the kit). */
  labError?: string;
}

/** Reads the manifest named by the environment (a kit error when missing: not a student's fault). */
export function readManifest(): Manifest {
  const file = process.env[MANIFEST_ENV];
  if (!file) throw new Error(`${MANIFEST_ENV} is not set: the suites are run by the grader (npm run grade), not directly`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
}
