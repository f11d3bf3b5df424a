import * as fs from 'node:fs';
import * as path from 'node:path';
import * as solution from '../../solutions/vanishing-gradients';
import { closeTo, findHints, loadHints, type RecordedCall } from '../../grader/feedback/hints';
import { MUTANTS } from '../../grader/labs/vanishing-gradients/mutants';

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

describe('hints from calls whose arguments are arrays (the second lab\'s clipping and norms)', () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const lab2 = require('../../solutions/exploding-gradients') as import('../../grader/labs/exploding-gradients/mistakes').ExplodingGradients;
  const { mistakesOf } = require('../../grader/labs/exploding-gradients/mistakes') as typeof import('../../grader/labs/exploding-gradients/mistakes');
  const { findingsFor } = require('../../grader/feedback/hints') as typeof import('../../grader/feedback/hints');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const mistakes = mistakesOf(lab2);
  const attempt = (f: () => unknown): import('../../grader/lib/answers').Answer => {
    try { return { ok: true, value: f() }; } catch (err) { return { ok: false, error: { name: (err as Error).name, message: (err as Error).message } }; }
  };
  /** The second lab's trusted answers, as the kit's Answers. */
  const answers: import('../../grader/lib/answers').Answers = {
    source: 'solutions',
    solve: (fn, args) => attempt(() => (lab2 as unknown as Record<string, (...a: unknown[]) => unknown>)[fn](...args)),
    mistakes: mistakes.map((m) => ({ key: `${m.part}/${m.id}/0`, id: m.id, part: m.part })),
    mistake: (key, args) => {
      const m = mistakes.find((x) => `${x.part}/${x.id}/0` === key);
      return m ? attempt(() => (m.fn as (...a: unknown[]) => unknown)(...args)) : undefined;
    },
  };
  const VECTORS = [[3, 4], [1, 2, 2], [0.5, -1.5, 2], [6, 8, 0], [0.3, 0.4]];

  test('a norm without its square root is named from calls that take an array', () => {
    const calls: RecordedCall[] = VECTORS.map((v) => ({ fn: 'l2Norm', args: [v], value: v.reduce((s, x) => s + x * x, 0) }));
    expect(findingsFor('l2Norm', calls, answers)).toEqual([{ id: 'norm-without-sqrt' }]);
  });

  test('a clipping factor upside down is named, and no trusted function changes the recorded arguments', () => {
    const calls: RecordedCall[] = VECTORS.map((v) => {
      const norm = Math.hypot(...v);
      return { fn: 'clipByNorm', args: [[...v], 1], value: norm > 1 ? v.map((x) => x * norm) : [...v] };
    });
    const before = structuredClone(calls.map((c) => c.args));
    expect(findingsFor('clipByNorm', calls, answers)).toEqual([{ id: 'clip-factor-inverted' }]);
    // Among the mistakes is one that scales its argument in place: it was given copies.
    expect(mistakes.some((m) => m.id === 'clip-mutates-argument')).toBe(true);
    expect(calls.map((c) => c.args)).toEqual(before);
  });

  test('a right clipping gets no hint, however its arrays are built', () => {
    const calls: RecordedCall[] = VECTORS.map((v) => ({ fn: 'clipByNorm', args: [[...v], 5], value: lab2.clipByNorm([...v], 5) }));
    expect(findingsFor('clipByNorm', calls, answers)).toEqual([]);
  });
});
