/**
 * Stage 3, run: the hidden jest suites, once, over every submission in the manifest.
 *
 * Jest runs in this (trusted) process, in band: the suites hold the expected values and only talk
 * to student code through each submission's sandbox child. Jest's own reporters are off (the
 * grader reports); its transform cache makes the suites' TypeScript cost nothing after a first run.
 */
import * as path from 'node:path';
import * as fs from 'node:fs';
import type { AggregatedResult } from '@jest/test-result';
import { KIT_ROOT, kitPaths } from '../lib/paths';
import { cacheDir } from '../lib/cache-dir';
import { MANIFEST_ENV, type Manifest } from '../lib/manifest';
import { fullName, records, type TestRecord } from '../suites/collector';

/** One assertion result, as the judge needs it. */
export interface RawTest {
  /** describe titles: [submission id, part]. */
  ancestors: string[];
  /** The test's title, as students see it. */
  title: string;
  /** Its visibility and outcome, as the harness recorded them (absent: the test never reached its end: a fault of the kit). */
  record?: TestRecord;
  /** Jest's status. */
  status: string;
  /** The first failure: its class name and message. */
  failure?: { name: string; message: string };
  /** How long it ran, in ms, when jest says. */
  durationMs?: number;
}

/** What the jest run gave. */
export interface RawRun {
  /** Every assertion result, in order. */
  tests: RawTest[];
  /** Set when jest could not run the suites at all (a kit error). */
  execError?: string;
}

/** The jest config for grading: only the suites' entry, transformed by ts-jest (loaded lazily), no reporters. */
function gradingConfig(): Record<string, unknown> {
  return {
    rootDir: KIT_ROOT,
    roots: ['<rootDir>/grader/suites'],
    testMatch: [kitPaths.suitesEntry],
    testEnvironment: 'node',
    // ts-jest, loaded only when jest's cache has no output for a suite file (see suites-transformer.ts).
    transform: { '^.+\\.ts$': [path.join(KIT_ROOT, 'build', 'grader', 'lib', 'suites-transformer.js'), { tsconfig: path.join(KIT_ROOT, 'grader', 'tsconfig.suites.json') }] },
    // Under node_modules/.cache, or a folder of this user's own where that cannot be written (lib/cache-dir.ts).
    cacheDirectory: cacheDir('vg-grader-jest'),
    testTimeout: 120_000,
    injectGlobals: false,
  };
}

function firstFailure(details: unknown[], messages: string[]): { name: string; message: string } | undefined {
  const d = details[0] as { name?: unknown; message?: unknown } | undefined;
  if (d && typeof d.message === 'string') return { name: typeof d.name === 'string' ? d.name : 'Error', message: d.message };
  if (messages[0]) return { name: 'Error', message: messages[0].split('\n')[0] };
  return undefined;
}

let jestCli: typeof import('jest') | undefined;

/** Node's globals that its bundled undici (fetch) provides, created when first touched. */
const FETCH_CLASSES = ['FormData', 'Headers', 'Request', 'Response', 'MessageEvent', 'CloseEvent', 'WebSocket'];

/**
 * Takes the fetch API's classes away from this process's globals, before jest loads. jest's node
 * environment reads the descriptor of every global (to copy them into the suites' context), and
 * in Node 24 reading one of these creates it, which loads undici: about 15 ms of every grade, for
 * classes that neither the grader nor the suites use (a sandbox child is a process of its own,
 * with its own globals). `fetch` itself stays, and still works: it loads undici when called.
 */
function withoutFetchClasses(): void {
  for (const name of FETCH_CLASSES) delete (globalThis as Record<string, unknown>)[name];
}

/**
 * Jest's command-line runner, loaded on first use as if the terminal were not one: jest decides
 * once, when its utilities load, whether to draw on the terminal ("Determining test suites to
 * run...", even with its reporters off), and the grader's own report is the only thing a student's
 * terminal should show.
 */
function jest(): typeof import('jest') {
  if (jestCli) return jestCli;
  withoutFetchClasses();
  const term = process.env.TERM;
  process.env.TERM = 'dumb';
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jestCli = require('jest') as typeof import('jest');
    // Jest loads its utilities lazily: load the copy its core uses now, while TERM says so.
    const core = path.dirname(require.resolve('@jest/core'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(require.resolve('jest-util', { paths: [core] }));
  } finally {
    if (term === undefined) delete process.env.TERM;
    else process.env.TERM = term;
  }
  return jestCli;
}

/**
 * Loads jest now (a few hundred ms, synchronous): the grader calls it while a worker transpiles
 * the submission, so that the two overlap instead of following each other.
 */
export function loadJest(): void {
  jest();
}

/** Runs the suites over the manifest and returns the raw assertion results. */
export async function runSuites(manifest: Manifest, scratchDir: string): Promise<RawRun> {
  const manifestPath = path.join(scratchDir, 'manifest.json');
  fs.writeFileSync(manifestPath, JSON.stringify(manifest), { mode: 0o600 });
  const previous = process.env[MANIFEST_ENV];
  process.env[MANIFEST_ENV] = manifestPath;
  // The harness records each test's visibility and outcome here (suites/collector.ts).
  const recorded = records();
  recorded.clear();
  let results: AggregatedResult;
  try {
    ({ results } = await jest().runCLI({
      _: [],
      $0: 'vg-grade',
      config: JSON.stringify(gradingConfig()),
      // Run-wide options go here, not in the project config: jest warns about them there when the
      // working folder is not the kit's.
      runInBand: true,
      silent: true,
      ci: true,
      watchman: false,
      reporters: [],
      maxWorkers: 1,
      // The judge reads the thrown Verdict, not jest's formatted message: skip the stack traces and
      // code frames jest would build for every failing test (a wrong submission has dozens).
      noStackTrace: true,
    } as unknown as Parameters<typeof import('jest').runCLI>[0], [KIT_ROOT]));
  } finally {
    if (previous === undefined) delete process.env[MANIFEST_ENV];
    else process.env[MANIFEST_ENV] = previous;
  }
  const tests: RawTest[] = [];
  const execErrors: string[] = [];
  for (const file of results.testResults) {
    if (file.testExecError) execErrors.push(file.testExecError.message);
    else if (file.failureMessage && file.testResults.length === 0) execErrors.push(file.failureMessage);
    for (const t of file.testResults) {
      const record = recorded.get(fullName(t.ancestorTitles, t.title));
      tests.push({
        ancestors: t.ancestorTitles,
        title: t.title,
        ...(record ? { record } : {}),
        status: t.status,
        failure: t.status === 'failed' ? firstFailure(t.failureDetails ?? [], t.failureMessages ?? []) : undefined,
        ...(typeof t.duration === 'number' && t.duration >= 0 ? { durationMs: Math.round(t.duration) } : {}),
      });
    }
  }
  if (results.testResults.length === 0) execErrors.push('jest found no suites to run');
  recorded.clear();
  return { tests, ...(execErrors.length ? { execError: execErrors.join('\n') } : {}) };
}
