import * as fs from 'node:fs';
import * as path from 'node:path';
import * as solution from '../../solutions/vanishing-gradients';
import { closeTo, findHints, loadHints, type RecordedCall } from '../../grader/feedback/hints';
import { MUTANTS } from '../../grader/feedback/mutants';

/** Inputs like the suites' own, per function. */
const INPUTS: Record<string, number[][]> = {
  linspace: [[-5, 5, 100], [0, 1, 5], [-1.7, 1.7], [2, 3, 1], [31.4, -12.2, 17], [-3, 8, 2]],
  sigmoid: [[0], [-5], [2.5], [-10], [7.25]],
  sigmoidGradient: [[0.5], [0.0066], [0.73], [0.2]],
  tangent: [[0, 1.7], [0], [2, 1], [-1.3, 2.2]],
  simulateDecay: [[6, 0], [0, 0], [1, 0.5], [12, -1.2], [30, 2.1]],
};

function callsOf(fn: string, impl: (...a: number[]) => unknown): RecordedCall[] {
  return INPUTS[fn].flatMap((args) => {
    try {
      return [{ fn, args, value: impl(...args) }];
    } catch {
      return [];
    }
  });
}

const sol = solution as unknown as Record<string, (...a: number[]) => unknown>;

describe('hints for the classic mistakes', () => {
  test('every mistake has a hint text, and no text pastes solution code', () => {
    const texts = loadHints();
    for (const m of MUTANTS) expect(texts[m.id]).toMatch(/\w/);
    const source = fs.readFileSync(path.join(__dirname, '..', '..', 'solutions', 'vanishing-gradients.ts'), 'utf8');
    const bodies = [...source.matchAll(/^\s*\/\/ START CODE HERE\n([\s\S]*?)^\s*\/\/ END CODE HERE$/gm)].flatMap((m) => m[1].split('\n'));
    const lines = bodies.map((l) => l.trim()).filter((l) => l.length > 8);
    for (const text of Object.values(texts)) {
      expect(text).not.toMatch(/[{}]|=>|\+=|\*=|\w\(\w*\);/);
      for (const line of lines) expect(text).not.toContain(line);
    }
  });

  test.each(MUTANTS.map((m, i) => [`${m.part}: ${m.id} #${i}`, m]))('%s is recognised from its own answers', (_, mutant) => {
    const m = mutant as (typeof MUTANTS)[number];
    const hints = findHints(callsOf(m.part, m.run), [m.part]);
    expect((hints[m.part] ?? []).map((h) => h.id)).toContain(m.id);
  });

  test('the solution, and correct implementations written differently, get no hint', () => {
    const parts = Object.keys(INPUTS);
    expect(findHints(parts.flatMap((p) => callsOf(p, sol[p])), parts)).toEqual({});
    const different: Record<string, (...a: number[]) => unknown> = {
      linspace: (a, b, n = 50) => Array.from({ length: n }, (_, i) => (n === 1 ? a : a + ((b - a) * i) / (n - 1))),
      sigmoid: (x) => 0.5 * (1 + Math.tanh(x / 2)),
      sigmoidGradient: (a) => a - a * a,
      simulateDecay: (steps, x) => Array.from({ length: steps }, (_, k) => Math.pow(solution.sigmoidGradient(solution.sigmoid(x)), k + 1)),
    };
    expect(findHints(Object.keys(different).flatMap((p) => callsOf(p, different[p])), Object.keys(different))).toEqual({});
  });

  test('closeness is deep and tolerant only to rounding', () => {
    expect(closeTo({ x: [1, 2], point: { x: 0, y: 0.5 } }, { x: [1, 2 + 1e-12], point: { x: 0, y: 0.5 } })).toBe(true);
    expect(closeTo([1, 2], [1, 2, 3])).toBe(false);
    expect(closeTo('0.5', 0.5)).toBe(false);
  });
});
