/**
 * `npm run validate` on a copy of the kit made wrong on purpose: the stubs drifted from the
 * solutions and a solution that no longer gets full marks (so no release either). It must say so and exit 1; on the
 * kit as it is, it passes (the instructor CI runs it too).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

test('validate lists what is wrong and exits 1', () => {
  const kit = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-validate-kit-'));
  for (const part of ['package.json', 'package-lock.json', 'tsconfig.json', 'grader', 'solutions', 'exercises', 'reference', 'build']) {
    fs.cpSync(path.join(ROOT, part), path.join(kit, part), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(kit, 'node_modules'));
  fs.appendFileSync(path.join(kit, 'exercises', 'vanishing-gradients.ts'), '\n// an edit by hand\n');
  const solution = path.join(kit, 'solutions', 'vanishing-gradients.ts');
  fs.writeFileSync(solution, fs.readFileSync(solution, 'utf8').replace('return 1 / (1 + Math.exp(-x));', 'return 1 / (1 + Math.exp(x));'));
  // The copied build is older than the edited solution: the launcher rebuilds it, as for an instructor.
  const r = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'grader/tools/validate.ts'], { cwd: kit, encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/✗ exercises\/ is generated from solutions\/\n\s+exercises\/vanishing-gradients\.ts has drifted: run npm run make:stubs/);
  expect(r.stdout).toMatch(/✗ the solutions get full marks\n\s+the solutions score \d+(\.\d+)?\/100/);
  expect(r.stdout).toMatch(/✓ the stubs get 0 without a crash/);
  // The release records its answers from the solution: a wrong solution stops it.
  expect(r.stdout).toMatch(/✗ the student release builds, leaks nothing and grades\n\s+the solution should get full marks on the public checks/);
  expect(r.stdout).toMatch(/3 checks failed\./);
  fs.rmSync(kit, { recursive: true, force: true });
});
