/**
 * `npm run validate` on a copy of the kit made wrong on purpose: the stubs drifted from the
 * solutions and a solution that no longer gets full marks (so no release either). It must say so and exit 1; on the
 * kit as it is, it passes (the instructor CI runs it too).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pythonStandIn } from './support/python-stand-in';

const ROOT = path.resolve(__dirname, '..');

/** A copy of the kit with drifted stubs and a wrong solution. */
function brokenKit(): string {
  const kit = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-validate-kit-'));
  for (const part of ['package.json', 'package-lock.json', 'tsconfig.json', 'grader', 'solutions', 'exercises', 'reference', 'build']) {
    fs.cpSync(path.join(ROOT, part), path.join(kit, part), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(kit, 'node_modules'));
  fs.appendFileSync(path.join(kit, 'exercises', 'vanishing-gradients.ts'), '\n// an edit by hand\n');
  const solution = path.join(kit, 'solutions', 'vanishing-gradients.ts');
  fs.writeFileSync(solution, fs.readFileSync(solution, 'utf8').replace('return 1 / (1 + Math.exp(-x));', 'return 1 / (1 + Math.exp(x));'));
  return kit;
}

// Python is not needed: a stand-in python3 without numpy comes first on PATH, so these run the
// same on every machine (test/unit/reference-check.test.ts covers numpy's answers themselves).
const noNumpy = pythonStandIn(ROOT, { kind: 'no-numpy' });
afterAll(() => fs.rmSync(noNumpy, { recursive: true, force: true }));

function validate(kit: string, ...args: string[]): { status: number | null; stdout: string } {
  // The copied build is older than the edited solution: the launcher rebuilds it, as for an instructor.
  const r = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'grader/tools/validate.ts', ...args], {
    cwd: kit, encoding: 'utf8', env: { ...process.env, PATH: `${noNumpy}${path.delimiter}${process.env.PATH ?? ''}` },
  });
  return { status: r.status, stdout: r.stdout };
}

test('validate lists what is wrong and exits 1; without numpy the reference check is skipped and says so', () => {
  const kit = brokenKit();
  const r = validate(kit);
  expect(r.status).toBe(1);
  expect(r.stdout).toMatch(/✗ exercises\/ is generated from solutions\/\n\s+exercises\/vanishing-gradients\.ts has drifted: run npm run make:stubs/);
  // One line per lab whose reference the kit generates, each saying it was skipped and why.
  for (const id of ['exploding-gradients', 'vanishing-gradients']) {
    expect(r.stdout).toMatch(new RegExp(`^– reference/ is what the numpy lab gives \\(${id}\\): skipped: python3 has no numpy\\. Install it \\(pip install numpy\\)`, 'm'));
  }
  // Each lab's solution, stubs and release, on a line that names the lab.
  expect(r.stdout).toMatch(/✗ the solutions get full marks \(vanishing-gradients\)\n\s+the solutions score \d+(\.\d+)?\/100/);
  expect(r.stdout).toMatch(/✓ the stubs get 0 without a crash \(vanishing-gradients\)/);
  // The release ships stubs generated from the solution: drifted ones stop it (as a wrong solution does).
  expect(r.stdout).toMatch(/✗ the student release builds, leaks nothing and grades \(vanishing-gradients\)\n\s+exercises\/vanishing-gradients\.ts is not what make:stubs generates from solutions\/vanishing-gradients\.ts: run npm run make:stubs, then release/);
  // The other lab, untouched, passes all of its own: it solves, its stubs score 0, its release
  // (its own lab's figures, its own solution) builds and grades.
  for (const check of ['the solutions get full marks', 'the stubs get 0 without a crash', 'the student release builds, leaks nothing and grades']) {
    expect(r.stdout).toContain(`✓ ${check} (exploding-gradients)`);
  }
  expect(r.stdout).toMatch(/3 checks failed\./);
  // --strict (the instructor CI): a check that could not run is a failure too.
  const strict = validate(kit, '--strict');
  expect(strict.status).toBe(1);
  expect(strict.stdout).toMatch(/✗ reference\/ is what the numpy lab gives \(vanishing-gradients\)\n\s+skipped: python3 has no numpy.*\(--strict\)/);
  // The three failures and the two labs' skipped reference checks.
  expect(strict.stdout).toMatch(/✗ reference\/ is what the numpy lab gives \(exploding-gradients\)\n\s+skipped: python3 has no numpy.*\(--strict\)/);
  expect(strict.stdout).toMatch(/5 checks failed\./);
  expect(validate(kit, '--bogus').status).toBe(2);
  // --lab: that lab's checks alone (the other lab's faults are not its own).
  const one = validate(kit, '--lab', 'exploding-gradients');
  expect(one.stdout).not.toContain('(vanishing-gradients)');
  expect(one.stdout).toContain('✓ the solutions get full marks (exploding-gradients)');
  expect(one.stdout).toMatch(/✓ exercises\/ is generated from solutions\//);
  expect(one.status).toBe(0);
  expect(validate(kit, '--lab', 'no-such-lab').status).toBe(2);
  fs.rmSync(kit, { recursive: true, force: true });
});
