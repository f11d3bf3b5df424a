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
import { hiddenSuites, PUBLIC } from './index';
import { probe, type Caller } from '../stages/lab';

const manifest = readManifest();

/**
 * The sandbox, answering the probe's calls that the tests already made (the same function, the
 * same arguments) with the value they returned then: the figures show what was tested, and the
 * lab's hundred-point sweeps are not made twice.
 */
function remembering(sandbox: Sandbox): Caller {
  const seen = new Map<string, unknown>();
  for (const c of sandbox.recordedCalls()) {
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
const reference = loadReference();
const rubric = loadRubric();
const solution = asFunctions(loadAnswers());
// The student release has no hidden checks; a recording run leaves them out on purpose.
const hidden = manifest.publicOnly ? undefined : hiddenSuites();

// One sandbox (one child process) per submission, never shared. Creating one starts nothing.
const sandboxes = manifest.submissions.map((entry) => new Sandbox({ ...manifest.sandbox, modulePath: entry.modulePath, recordCalls: 2000 }));

for (const [k, entry] of manifest.submissions.entries()) {
  describe(entry.id, () => {
    let sandbox: Sandbox | undefined;
    beforeAll(() => {
      sandbox = sandboxes[k];
      // The next submission's child starts and loads while this one is tested: its start-up
      // overlaps these tests instead of adding to the run.
      sandboxes[k + 1]?.warm();
    });
    afterAll(async () => {
      if (!sandbox) return;
      // What the tests saw, taken before the probe calls the same functions again.
      await sandbox.stopKeeping();
      const sidecar: Sidecar = { output: sandbox.capturedOutput(), calls: encodeValue(sandbox.recordedCalls(), { maxItems: 2_000_000, maxDepth: 16 }) };
      // The lab's printout and the figures' data, from the same child, after the tests: one
      // process per student, and a function that hung in a test is not waited for again.
      if (manifest.lab) {
        try {
          sidecar.lab = encodeValue(await probe(remembering(sandbox), manifest.lab.knobs, manifest.lab.fallbackX), { maxItems: 2_000_000, maxDepth: 16 });
        } catch (err) {
          sidecar.labError = err instanceof Error ? err.message : String(err);
        }
      }
      await sandbox.dispose();
      fs.writeFileSync(entry.sidecarPath, JSON.stringify(sidecar), { mode: 0o600 });
    }, 300_000);
    for (const part of rubric.parts.filter((p) => !manifest.parts || manifest.parts.includes(p.name))) {
      const suite = PUBLIC[part.name];
      if (!suite) throw new Error(`the rubric names part ${part.name}, but grader/suites has no suite for it`);
      if (hidden && !hidden[part.name]) throw new Error(`the rubric names part ${part.name}, but grader/suites/hidden has no checks for it`);
      describe(part.name, () => {
        const ctx = {
          sandbox: () => sandbox!,
          // Streams are keyed by part and test, not by submission: every submission of a run
          // meets the same hidden inputs, whether graded alone or in a batch.
          random: (stream: string) => createRandom(manifest.seed, `${part.name}/${stream}`),
          solution,
          reference,
        };
        // Public checks first, then hidden: the order the results (and goldens) list them in.
        suite(ctx);
        hidden?.[part.name](ctx);
      });
    }
  });
}
