/**
 * Fixture submissions, one folder per scenario under test/fixtures/, each graded by the real
 * command (`node grader/bin/grade.js`, as `npm run grade` runs it) with a fixed seed, and compared
 * with the golden `expected_results.json` beside it. Goldens hold no durations and no absolute
 * paths. Regenerate them all with: UPDATE_GOLDENS=1 npm test -- fixtures
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { FIXTURES, gradeFixture, processesUnder, ROOT, SEED, scenarios as listScenarios } from './support/fixtures';

const run = promisify(execFile);

const UPDATE = process.env.UPDATE_GOLDENS === '1';
const scenarios = listScenarios();
/** This run's own temporary folder: every grader and sandbox child of it names a path inside. */
const RUN_TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-fixtures-run-'));
// Searchable by the sandboxes' own uids, so that the graders' scratch folders go inside it.
fs.chmodSync(RUN_TMP, 0o755);

/** Files the reads-hidden-files fixture tries to write: they must never appear. */
const FORBIDDEN_WRITES = ['/tmp/vg-stolen.txt', '/tmp/vg-stolen-at-exit.txt'];

beforeAll(() => {
  for (const f of FORBIDDEN_WRITES) fs.rmSync(f, { force: true });
});

afterAll(() => {
  // Nothing this run started outlives its graders (only this run's processes are looked at:
  // another test run on the machine is none of its business), and nothing a submission wrote is there.
  expect(processesUnder(RUN_TMP)).toEqual([]);
  for (const f of FORBIDDEN_WRITES) expect(fs.existsSync(f)).toBe(false);
  fs.rmSync(RUN_TMP, { recursive: true, force: true });
});

describe('fixture submissions', () => {
  test('there are fixtures to grade', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(15);
  });

  test.concurrent.each(scenarios)('%s matches its expected_results.json', async (name) => {
    const actual = await gradeFixture(name, RUN_TMP);
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
    // (This run's scratch folders, not any /tmp path: a code excerpt may quote one the student wrote.)
    expect(text).not.toContain(RUN_TMP);
    expect(text).not.toMatch(/\u001b\[/);
  });
});

/** The classic mistakes each fixture makes, by part: the hints its golden must carry, and no others. */
const EXPECTED_HINTS: Record<string, Record<string, string[]>> = {
  'wrong-linspace-leaves-out-stop': { linspace: ['linspace-excludes-stop'] },
  'mistake-linspace-one-too-many': { linspace: ['linspace-one-too-many'] },
  'mistake-linspace-one-too-few': { linspace: ['linspace-one-too-few'] },
  'mistake-linspace-integer-steps': { linspace: ['linspace-integer-steps'] },
  'wrong-sigmoid-mirrored': { sigmoid: ['sigmoid-exp-plus-x'] },
  'mistake-sigmoid-missing-one': { sigmoid: ['sigmoid-missing-one'] },
  'wrong-gradient-applies-sigmoid-again': { sigmoidGradient: ['gradient-applies-sigmoid-again'] },
  'wrong-tangent-slope-from-raw-x': { tangent: ['gradient-of-raw-x'] },
  'mistake-tangent-not-through-point': { tangent: ['tangent-not-through-point'] },
  'mistake-tangent-wrong-span': { tangent: ['tangent-wrong-span'] },
  'mistake-tangent-wrong-count': { tangent: ['tangent-wrong-count'] },
  'wrong-decay-includes-initial-one': { simulateDecay: ['decay-includes-initial-one'] },
  'mistake-decay-gradient-of-raw-x': { simulateDecay: ['gradient-of-raw-x'] },
  'mistake-decay-one-too-many': { simulateDecay: ['decay-one-too-many'] },
  'mistake-decay-one-too-few': { simulateDecay: ['decay-one-too-few'] },
  'mistake-decay-adds': { simulateDecay: ['decay-adds'] },
  'mistake-decay-recomputes-gradient': { simulateDecay: ['decay-recomputes-gradient'] },
  // NaN for |x| > 50: only the hidden large inputs show it (the visible hints are in consumers.test.ts).
  'fails-only-hidden-sigmoid': { sigmoid: ['sigmoid-overflows'] },
  'hint-only-hidden-inputs-tell': { sigmoid: ['sigmoid-overflows'] },
  // The kit's own observations (grader/feedback/observations.ts), true of any lab's answers.
  // hard-coded-lab-outputs: the lab's list for most inputs, [] for zero steps: not one answer for
  // every input, so no 'same-answer' (its messages say enough).
  'patches-globals-to-cheat': { sigmoid: ['same-answer'] },
  'reads-hidden-files': { sigmoid: ['same-answer'] },
};

describe('hints', () => {
  test.each(scenarios)('%s carries exactly the hints for its mistakes (none for correct code)', (name) => {
    const goldenPath = path.join(FIXTURES, name, 'expected_results.json');
    const golden = JSON.parse(fs.readFileSync(goldenPath, 'utf8')).result as { parts: { name: string; hints?: { id: string }[] }[] };
    const hints = Object.fromEntries(golden.parts.filter((p) => p.hints?.length).map((p) => [p.name, p.hints!.map((h) => h.id)]));
    expect(hints).toEqual(EXPECTED_HINTS[name] ?? {});
  });
});

describe('no text a student controls becomes a CI workflow command', () => {
  /** Every string in a value. */
  const strings = (v: unknown): string[] => typeof v === 'string' ? [v] : Array.isArray(v) ? v.flatMap(strings) : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : [];
  test.each(scenarios)('%s: no line of any message starts a workflow command, whatever the line break', (name) => {
    const golden = JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'expected_results.json'), 'utf8'));
    const lines = strings(golden).flatMap((s) => s.split(/\r\n|[\n\r\u0085\u2028\u2029\u000b\u000c]/));
    expect(lines.filter((l) => /^[\s\u0085\u180e\u200b\ufeff]*(::|##\[)/.test(l))).toEqual([]);
  });
  test('the fixture that tries it has its markers defused in what it shows', () => {
    const golden = JSON.stringify(JSON.parse(fs.readFileSync(path.join(FIXTURES, 'writes-workflow-commands', 'expected_results.json'), 'utf8')));
    expect(golden).toContain(': :notice title=pwned');
    expect(golden).toContain('# #[warning]old-style command');
  });
});

describe('hidden tests keep their expected values to themselves', () => {
  test('no hidden test message in any golden says what was expected', () => {
    const said: string[] = [];
    for (const name of scenarios) {
      const goldenPath = path.join(FIXTURES, name, 'expected_results.json');
      const golden = JSON.parse(fs.readFileSync(goldenPath, 'utf8')).result as { tests: { visibility: string; message?: string }[] };
      for (const t of golden.tests) if (t.visibility === 'hidden' && /expected/i.test(t.message ?? '')) said.push(`${name}: ${t.message}`);
    }
    expect(said).toEqual([]);
  });
});

describe('patched globals', () => {
  test('a submission that patches Math, Object.is, Number, JSON, Array.prototype, expect, test and describe gets the verdicts it gets without the patches', async () => {
    const file = path.join(FIXTURES, 'patches-globals-to-cheat', 'vanishing-gradients.ts');
    const source = fs.readFileSync(file, 'utf8');
    expect(source).toContain('// PATCHES BEGIN');
    const twin = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-unpatched-'));
    fs.writeFileSync(path.join(twin, 'vanishing-gradients.ts'), source.slice(0, source.indexOf('// PATCHES BEGIN')));
    const out = path.join(twin, 'r.json');
    await run(process.execPath, ['grader/bin/grade.js', '--submission', twin, '--seed', SEED, '--format', 'json', '--out', out, '--quiet', '--report-dir', twin], { cwd: ROOT, env: { ...process.env, TMPDIR: RUN_TMP } });
    const unpatched = JSON.parse(fs.readFileSync(out, 'utf8'));
    fs.rmSync(twin, { recursive: true, force: true });
    const golden = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'patches-globals-to-cheat', 'expected_results.json'), 'utf8')).result;
    const verdicts = (r: { tests: { name: string; status: string }[] }) => r.tests.map((t) => `${t.name}: ${t.status}`);
    expect(verdicts(golden)).toEqual(verdicts(unpatched));
    expect(golden.score).toBe(unpatched.score);
    expect(golden.score).toBeLessThan(golden.maxScore);
  });
});

describe('stable verdicts', () => {
  test('wrong submissions graded 10 times each, each time with a fresh seed, get their golden score every time', async () => {
    const names = ['wrong-sigmoid-mirrored', 'hard-coded-lab-outputs'];
    const seen = new Map<string, Set<number>>(names.map((n) => [n, new Set<number>()]));
    for (let round = 0; round < 10; round++) {
      await Promise.all(names.map(async (name) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-stable-'));
        const out = path.join(dir, 'r.json');
        await run(process.execPath, ['grader/bin/grade.js', '--submission', `test/fixtures/${name}`, '--format', 'json', '--out', out, '--quiet', '--report-dir', dir], { cwd: ROOT, env: { ...process.env, TMPDIR: RUN_TMP } });
        seen.get(name)!.add(JSON.parse(fs.readFileSync(out, 'utf8')).score);
        fs.rmSync(dir, { recursive: true, force: true });
      }));
    }
    for (const name of names) {
      const golden = JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'expected_results.json'), 'utf8'));
      expect({ name, scores: [...seen.get(name)!] }).toEqual({ name, scores: [golden.result.score] });
    }
  });
});
