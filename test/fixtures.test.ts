/**
 * Fixture submissions, one folder per scenario under test/fixtures/, each graded by the real
 * command (`node grader/bin/grade.js`, as `npm run grade` runs it) with a fixed seed, and compared
 * with the golden `expected_results.json` beside it. Goldens hold no durations and no absolute
 * paths. Regenerate them all with: UPDATE_GOLDENS=1 npm test -- fixtures
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');
const FIXTURES = path.join(__dirname, 'fixtures');
const UPDATE = process.env.UPDATE_GOLDENS === '1';
const SEED = '1';

/** What a golden holds: the result record without timings, and the exit status. */
async function gradeFixture(name: string): Promise<Record<string, unknown>> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `vg-fixture-${name}-`));
  const out = path.join(tmp, 'result.json');
  let exitCode = 0;
  try {
    await run(process.execPath, [
      'grader/bin/grade.js', '--submission', `test/fixtures/${name}`, '--seed', SEED,
      '--format', 'json', '--out', out, '--report-dir', path.join(tmp, 'report'), '--quiet',
    ], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  } catch (err) {
    exitCode = (err as { code?: number }).code ?? -1;
  }
  const result = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>;
  fs.rmSync(tmp, { recursive: true, force: true });
  delete result.timings;
  return { exitCode, result };
}

const scenarios = fs.readdirSync(FIXTURES).filter((d) => fs.statSync(path.join(FIXTURES, d)).isDirectory()).sort();

describe('fixture submissions', () => {
  test('there are fixtures to grade', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(15);
  });

  test.concurrent.each(scenarios)('%s matches its expected_results.json', async (name) => {
    const actual = await gradeFixture(name);
    const goldenPath = path.join(FIXTURES, name, 'expected_results.json');
    if (UPDATE || !fs.existsSync(goldenPath)) {
      if (!UPDATE) throw new Error(`${name} has no expected_results.json: run UPDATE_GOLDENS=1 npm test -- fixtures`);
      fs.writeFileSync(goldenPath, JSON.stringify(actual, null, 2) + '\n');
    }
    const golden = JSON.parse(fs.readFileSync(goldenPath, 'utf8'));
    expect(actual).toEqual(golden);
    // Goldens must be machine-independent.
    const text = JSON.stringify(golden);
    expect(text).not.toContain(ROOT);
    expect(text).not.toContain(os.tmpdir() + '/');
    expect(text).not.toMatch(/\u001b\[/);
  });
});
