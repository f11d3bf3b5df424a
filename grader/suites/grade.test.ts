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
import * as solution from '../../solutions/vanishing-gradients';
import { SUITES } from './index';

const manifest = readManifest();
const reference = loadReference();
const rubric = loadRubric();

for (const entry of manifest.submissions) {
  describe(entry.id, () => {
    let sandbox: Sandbox | undefined;
    beforeAll(() => {
      sandbox = new Sandbox({ ...manifest.sandbox, modulePath: entry.modulePath, recordCalls: 2000 });
    });
    afterAll(async () => {
      if (!sandbox) return;
      await sandbox.dispose();
      const sidecar: Sidecar = { output: sandbox.capturedOutput(), calls: encodeValue(sandbox.recordedCalls(), { maxItems: 2_000_000, maxDepth: 16 }) };
      fs.writeFileSync(entry.sidecarPath, JSON.stringify(sidecar), { mode: 0o600 });
    });
    for (const part of rubric.parts.filter((p) => !manifest.only || p.name === manifest.only)) {
      const suite = SUITES[part.name];
      if (!suite) throw new Error(`the rubric names part ${part.name}, but grader/suites has no suite for it`);
      describe(part.name, () => {
        suite({
          sandbox: () => sandbox!,
          // Streams are keyed by part and test, not by submission: every submission of a run
          // meets the same hidden inputs, whether graded alone or in a batch.
          random: (stream) => createRandom(manifest.seed, `${part.name}/${stream}`),
          solution,
          reference,
        });
      });
    }
  });
}
