/**
 * The jest entry the grader runs: for each submission in the manifest, one describe block per
 * rubric part, all calling into that submission's own sandbox. Titles are
 * `<submission id> › <part> › <public|hidden>: <check>`; the judge stage reads them back.
 */
import { afterAll, beforeAll, describe } from '@jest/globals';
import * as fs from 'node:fs';
import { Sandbox } from '../sandbox/client';
import { encodeValue } from '../sandbox/wire';
import { readManifest, type Sidecar } from '../lib/manifest';
import { createRandom } from '../lib/random';
import { loadReference } from '../lib/reference';
import { loadRubric } from '../lib/rubric';
import { asFunctions, loadAnswers } from '../lib/answers';
import * as path from 'node:path';
import { currentLab, currentLabCode, KIT_ROOT } from '../lib/paths';
import type { Suite } from './context';
import type { SuiteContext } from './context';
import { answersCaller, type Caller } from '../stages/probing';
import { announceProbe, noteSidecarFailure } from './collector';
import { readReleaseInfo } from '../lib/release';

const manifest = readManifest();

/**
 * The sandbox, answering the probe's calls that the public tests already made (the same function,
 * the same arguments) with the value they returned then: the figures show what was tested, and
 * the lab's hundred-point sweeps are not made twice. Only public calls are reused: the probe runs
 * before any hidden input has reached the child.
 */
function remembering(sandbox: Sandbox): Caller {
  const seen = new Map<string, unknown>();
  for (const c of sandbox.recordedCalls()) {
    if (c.tag !== 'public') continue;
    const key = JSON.stringify([c.fn, encodeValue(c.args)]);
    if (!seen.has(key)) seen.set(key, c.value);
  }
  const keyOf = (fn: string, args: unknown[]): string => JSON.stringify([fn, encodeValue(args)]);
  return {
    call: async (fn, args) => {
      const key = keyOf(fn, args);
      return seen.has(key) ? { kind: 'returned', value: seen.get(key) } : sandbox.call(fn, args);
    },
    callEach: async (fn, argsList) => {
      const unseen = argsList.filter((args) => !seen.has(keyOf(fn, args)));
      const fresh = unseen.length ? await sandbox.callEach(fn, unseen) : [];
      let k = 0;
      return argsList.map((args) => {
        const key = keyOf(fn, args);
        return seen.has(key) ? { kind: 'returned' as const, value: seen.get(key) } : fresh[k++];
      });
    },
  };
}
/**
 * The lab's suites (grader/labs/<id>/suites/): its public checks by part, and its hidden ones,
 * absent from the student release (its hidden/ folder is not there).
 */
const { PUBLIC, hiddenSuites } = require(path.join(KIT_ROOT, 'grader', 'labs', currentLab().id, 'suites')) as {
  PUBLIC: Record<string, Suite>;
  hiddenSuites: () => Record<string, Suite> | undefined;
};
const reference = loadReference();
const rubric = loadRubric();
const solution = asFunctions(loadAnswers());
// The student release has no hidden checks; a recording run leaves them out on purpose. Anywhere
// else a lab without them is broken (its hidden/index.ts moved or deleted): official grades would
// silently count the public tests alone, so the run fails as the kit's.
const hidden = manifest.publicOnly ? undefined : hiddenSuites();
if (!manifest.publicOnly && hidden === undefined && readReleaseInfo() === undefined) {
  throw new Error(`grader/labs/${currentLab().id}/suites/hidden/index.ts is missing: the lab's hidden tests cannot run (restore it; only the student release, made by npm run release, goes without it)`);
}

// One sandbox (one child process) per submission, never shared. Creating one starts nothing.
const sandboxes = manifest.submissions.map((entry) => new Sandbox({ ...manifest.sandbox, modulePath: entry.modulePath, recordCalls: 2000 }));

/** The parts this run grades, in the rubric's order. */
const parts = rubric.parts.filter((p) => !manifest.parts || manifest.parts.includes(p.name));
for (const part of parts) {
  if (!PUBLIC[part.name]) throw new Error(`the lab's manifest names part ${part.name}, but grader/labs/${currentLab().id}/suites has no suite for it`);
  if (hidden && !hidden[part.name]) throw new Error(`the lab's manifest names part ${part.name}, but grader/labs/${currentLab().id}/suites/hidden has no checks for it`);
}

/*
 * The order of one submission's run, and why:
 *   1. every part's public tests: their messages may be shown before hidden results are
 *      published, so they run in a child that has not seen a hidden input yet (a submission that
 *      remembers its arguments could otherwise show them there);
 *   2. the lab's probe (the printed block and the figures' data, also shown at once), in the same
 *      child, still before any hidden input, aside from the tests (it spends none of their time
 *      budgets and marks no function broken for them); what the child prints from here on is not
 *      kept;
 *   3. every part's hidden tests.
 * The judge lists results part by part, public before hidden, whatever the order they ran in.
 */
for (const [k, entry] of manifest.submissions.entries()) {
  describe(entry.id, () => {
    let sandbox: Sandbox | undefined;
    const sidecar: Sidecar = { output: {}, calls: [] };
    let probed = false;
    /** Steps 2 (once): the output so far, then the probe. */
    const probeOnce = async (): Promise<void> => {
      if (probed || !sandbox) return;
      probed = true;
      await sandbox.stopOutput();
      sidecar.output = sandbox.capturedOutput();
      const code = currentLabCode();
      if (!manifest.lab || !code) return;
      const lab = manifest.lab;
      try {
        const found = await sandbox.aside(() => code.probe(remembering(sandbox!), lab.knobs, answersCaller(loadAnswers())));
        sidecar.lab = encodeValue(found, { maxItems: 200_000, maxDepth: 16 });
      } catch (err) {
        sidecar.labError = err instanceof Error ? err.message : String(err);
      }
      const encoded = sidecar.lab;
      if (encoded !== undefined) announceProbe(entry.id, () => JSON.stringify(encoded));
    };
    beforeAll(() => {
      sandbox = sandboxes[k];
      // The next submission's child starts and loads while this one is tested: its start-up
      // overlaps these tests instead of adding to the run.
      sandboxes[k + 1]?.warm();
    });
    afterAll(async () => {
      if (!sandbox) return;
      // Whatever fails here, the child is ended and the sidecar written: a grading never waits
      // on a child that nobody will call again.
      try {
        await probeOnce();
        await sandbox.stopKeeping();
        try {
          sidecar.calls = encodeValue(sandbox.recordedCalls(), { maxItems: 2_000_000, maxDepth: 16 });
        } catch {
          // The log is bounded by the sandbox; should it still not encode, the hints go without it.
          sidecar.calls = [];
        }
      } finally {
        await sandbox.dispose();
        // A write that fails (a full disk) is the grader's to tell: it is noted, not thrown (the
        // grader stops on a full disk, and says any other reason in the result).
        // (VG_TEST_SIDECAR_LOST, for the kit's own tests: `1`, a file that went missing without a
        // word; `ENOSPC`, a write that a full disk refuses.)
        const lost = process.env.VG_TEST_SIDECAR_LOST;
        try {
          if (lost === 'ENOSPC') throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
          if (lost !== '1') fs.writeFileSync(entry.sidecarPath, JSON.stringify(sidecar), { mode: 0o600 });
        } catch (err) {
          noteSidecarFailure(entry.sidecarPath, (err as NodeJS.ErrnoException).code ?? 'unwritable');
        }
      }
    }, 300_000);
    const contextFor = (name: string): SuiteContext => ({
      sandbox: () => sandbox!,
      // Streams are keyed by part and test, not by submission: every submission of a run meets
      // the same hidden inputs, whether graded alone or in a batch.
      random: (stream: string) => createRandom(manifest.seed, `${name}/${stream}`),
      solution,
      reference,
    });
    // 1. Public tests, part by part.
    for (const part of parts) describe(part.name, () => PUBLIC[part.name](contextFor(part.name)));
    // 2 and 3. The probe, then the hidden tests.
    if (hidden) {
      for (const part of parts) {
        describe(part.name, () => {
          beforeAll(probeOnce, 300_000);
          hidden[part.name](contextFor(part.name));
        });
      }
    }
  });
}
