/**
 * A submission graded alone has its figures drawn as soon as the lab's probe has run, while its
 * hidden tests still run (grader/grade.ts, through the suites' collector); a batch's groups of
 * several draw after their run. Either way the figures are the same (the goldens of
 * test/fixtures.test.ts are graded alone, test/batch.test.ts compares a batch with them).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const WRONG = path.join(ROOT, 'test', 'fixtures', 'wrong-sigmoid-mirrored', 'vanishing-gradients.ts');

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-early-')); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Result = { timings: Record<string, number>; figures?: { overlay?: string }[] };

function gradeCli(args: string[]): void {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'grader', 'bin', 'grade.js'), ...args, '--seed', '5'], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  expect({ status: run.status, stderr: run.stderr.replace(/^\d+\/\d+ \(\d+%\) · .*\n/gm, '') }).toEqual({ status: 0, stderr: '' });
}

/** The mirrored sigmoid's figures: four, three of them with an overlay (the decay does not use sigmoid). */
function expectItsFigures(result: Result): void {
  expect(result.figures).toHaveLength(4);
  expect(result.figures?.filter((f) => f.overlay)).toHaveLength(3);
}

test('graded alone, the figures start before the run of the tests has ended', () => {
  fs.mkdirSync(path.join(dir, 'alone'));
  fs.copyFileSync(WRONG, path.join(dir, 'alone', 'vanishing-gradients.ts'));
  gradeCli(['--submission', path.join(dir, 'alone'), '--quiet', '--report-dir', path.join(dir, 'alone-report')]);
  const result = JSON.parse(fs.readFileSync(path.join(dir, 'alone-report', 'result.json'), 'utf8')) as Result;
  expectItsFigures(result);
  expect(result.timings.figuresStarted).toBeGreaterThanOrEqual(0);
  expect(result.timings.figuresStarted).toBeLessThan(result.timings.tests);
});
