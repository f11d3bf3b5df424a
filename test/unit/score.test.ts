import { score, MAX_FEEDBACK_LINES } from '../../grader/stages/score';
import { loadRubric, type Rubric } from '../../grader/lib/rubric';
import type { TestResult } from '../../grader/result';
import type { TestOutcome } from '../../grader/outcomes';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const rubric = loadRubric();

/** Tests for one part: `statuses` in order, with the given messages for failures. */
/**
 * Tests for one part: `statuses` in order, with the given messages and outcome codes for failures
 * (a failure is a wrong value, an error a fault of the kit, unless `outcome` says otherwise).
 */
function tests(part: string, statuses: ('pass' | 'fail' | 'error')[], message = (i: number) => `${part}(${i}) returned 0, expected 1`, outcome?: (i: number) => TestOutcome): TestResult[] {
  const points = (rubric.parts.find((p) => p.name === part)?.points ?? 0) / statuses.length;
  return statuses.map((status, i) => ({
    part, name: `public: t${i}`, visibility: 'public', status, points: status === 'pass' ? points : 0, maxPoints: points,
    outcome: status === 'pass' ? 'passed' : outcome?.(i) ?? (status === 'fail' ? 'wrong-value' : 'kit-error'),
    ...(status === 'pass' ? {} : { message: message(i) }),
  }));
}

const allPass = (except: string[] = []): TestResult[] =>
  rubric.parts.filter((p) => !except.includes(p.name)).flatMap((p) => tests(p.name, ['pass', 'pass', 'pass']));

describe('score', () => {
  test('the rubric adds up to 100 over the five functions', () => {
    expect(rubric.parts.map((p) => p.name)).toEqual(['linspace', 'sigmoid', 'sigmoidGradient', 'tangent', 'simulateDecay']);
    expect(rubric.parts.reduce((s, p) => s + p.points, 0)).toBe(100);
  });

  test('all passing gives full points per part, exactly', () => {
    const parts = score(allPass(), rubric);
    expect(parts.every((p) => p.status === 'pass' && p.points === p.maxPoints && p.feedback.length === 0)).toBe(true);
  });

  test('a part earns the share of the tests it passes, rounded to 2 decimals', () => {
    const parts = score([...allPass(['sigmoid']), ...tests('sigmoid', ['pass', 'fail', 'fail'])], rubric);
    const sigmoid = parts.find((p) => p.name === 'sigmoid')!;
    expect(sigmoid).toMatchObject({ status: 'partial', points: 6.67, passed: 1, total: 3 });
  });

  test('an untouched stub is one "not implemented yet" line, with no dependency noise', () => {
    const stub = rubric.parts.flatMap((p) => tests(p.name, ['fail', 'fail'], () => `${p.name} is not implemented yet`, () => 'not-implemented'));
    for (const part of score(stub, rubric)) {
      expect(part.status).toBe('not-implemented');
      expect(part.feedback).toEqual([`${part.name} is not implemented yet: write your code between START CODE HERE and END CODE HERE`]);
      expect(part.fixFirst).toEqual([]);
    }
  });

  test('a failing part that uses a failing part names the one to fix first', () => {
    const t = [...allPass(['sigmoid', 'tangent']), ...tests('sigmoid', ['fail']), ...tests('tangent', ['pass', 'fail'])];
    const tangent = score(t, rubric).find((p) => p.name === 'tangent')!;
    expect(tangent.fixFirst).toEqual(['sigmoid']);
    expect(tangent.feedback[0]).toBe('tangent uses sigmoid, which fails its own tests: fix sigmoid first, then look at tangent again');
    // A part that passes never gets the note, whatever its dependencies do.
    const t2 = [...allPass(['sigmoid']), ...tests('sigmoid', ['fail'])];
    expect(score(t2, rubric).find((p) => p.name === 'tangent')!.fixFirst).toEqual([]);
  });

  test('the same failure from many inputs is one line; repeats after a hang are dropped', () => {
    const msgs = ['sigmoid(1) threw TypeError: x (at line 3)', 'sigmoid(2) threw TypeError: x (at line 3)', 'sigmoid(3): not run: sigmoid timed out earlier'];
    const parts = score([...allPass(['sigmoid']), ...tests('sigmoid', ['fail', 'fail', 'fail'], (i) => msgs[i], (i) => (i < 2 ? 'threw' : 'not-run'))], rubric);
    expect(parts.find((p) => p.name === 'sigmoid')!.feedback).toEqual([msgs[0]]);
  });

  test('feedback is capped per part', () => {
    const many = tests('linspace', Array(10).fill('fail'), (i) => `linspace(${i}) problem number ${i}`);
    const feedback = score([...allPass(['linspace']), ...many], rubric).find((p) => p.name === 'linspace')!.feedback;
    expect(feedback).toHaveLength(MAX_FEEDBACK_LINES + 1);
    expect(feedback[MAX_FEEDBACK_LINES]).toMatch(/and 6 more/);
  });

  test('a kit error in a test makes the part an error, not a student failure', () => {
    const t = [...allPass(['linspace']), ...tests('linspace', ['pass', 'error'], () => 'the grader failed on this test')];
    expect(score(t, rubric).find((p) => p.name === 'linspace')!.status).toBe('error');
  });
});

describe('loadRubric', () => {
  /** Writes a lab manifest (grader/labs/x/lab.json's shape) in a folder named after its id. */
  const write = (r: unknown): string => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vg-rubric-')), 'x', 'lab.json');
    fs.mkdirSync(path.dirname(f));
    fs.writeFileSync(f, JSON.stringify(r));
    return f;
  };
  const part = { name: 'a', points: 10, title: 'A', uses: [] as string[] };
  const base = { version: 1, id: 'x', title: 'X', submission: 'x.ts', parts: [part], contract: { types: '', signatures: { a: '() => number' } } };
  test('rejects unknown dependencies, bad points and duplicate parts; reads a good one as the rubric', () => {
    expect(() => loadRubric(write({ ...base, parts: [{ ...part, uses: ['zzz'] }] }))).toThrow(/uses zzz/);
    expect(() => loadRubric(write({ ...base, parts: [{ ...part, points: 0 }] }))).toThrow(/positive points/);
    expect(() => loadRubric(write({ ...base, parts: [part, part] }))).toThrow(/unique/);
    expect(loadRubric(write(base))).toEqual({ version: 1, exercise: 'x', title: 'X', parts: [part] } satisfies Rubric);
  });
});
