/**
 * Sandboxes over small compiled modules, for the kit's own tests: laid out as the grader lays out
 * its scratch folder (the child's runtime copied in), under a base that a sandbox's own uid can
 * search. The kit's build/ may sit in a clone under a folder others cannot enter (a mode-0700
 * home, say): a child started from there, as root with a uid of its own, could not read it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sandbox, type SandboxOptions } from '../../grader/sandbox/client';
import { detectIsolation } from '../../grader/sandbox/isolation';
import { prepareScratch, sandboxOptionsFor, scratchBase } from '../../grader/sandbox/runtime';

/** A test file's sandboxes: `sandboxFor` makes one; `dispose` ends them all and removes their folder. */
export interface TestSandboxes {
  /** A sandbox over `js` (CommonJS), with these limits over the defaults; `before` sees its options before it is made. */
  sandboxFor(js: string, limits?: Partial<SandboxOptions>, before?: (options: SandboxOptions) => void): Sandbox;
  /** Ends every sandbox made and removes the scratch folder. */
  dispose(): Promise<void>;
}

/** A scratch folder for one test file's sandboxes. */
export function testSandboxes(prefix = 'vg-sandbox-test-'): TestSandboxes {
  const isolation = detectIsolation();
  const root = fs.mkdtempSync(path.join(scratchBase(isolation), prefix));
  const layout = prepareScratch(root);
  const made: Sandbox[] = [];
  return {
    sandboxFor(js, limits = {}, before) {
      const dir = layout.submissionDir(made.length);
      fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"commonjs"}');
      const modulePath = path.join(dir, 'vanishing-gradients.js');
      fs.writeFileSync(modulePath, js, { mode: 0o644 });
      const options: SandboxOptions = { ...sandboxOptionsFor(layout, isolation), modulePath, ...limits };
      before?.(options);
      const sb = new Sandbox(options);
      made.push(sb);
      return sb;
    },
    async dispose() {
      await Promise.all(made.map((s) => s.dispose()));
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
