/**
 * The kit's own observations, true of any lab's answers: each says what the answers show, and only
 * where its premise holds on the evidence (never of right answers, never a guess among mistakes).
 */
import { observe, OBSERVATION_TEXTS, worded } from '../../grader/feedback/observations';
import type { Evidence } from '../../grader/feedback/evidence';
import { Opaque } from '../../grader/sandbox/wire';

const exact = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const ev = (args: unknown[], got: unknown, expected: unknown): Evidence<unknown[]> => ({ args, got, expected, differs: !exact(got, expected) });
const sig = (x: number): number => 1 / (1 + Math.exp(-x));
const ids = (evidence: Evidence<unknown[]>[], calls: { args: unknown[]; value: unknown }[] = evidence.map((e) => ({ args: e.args, value: e.got }))) => observe('f', evidence, calls, exact).map((f) => [f.id, f.variant, f.params]);

describe("the kit's observations", () => {
  test('right answers give none, however many', () => {
    expect(ids([0, 1, 2].map((x) => ev([x], sig(x), sig(x))))).toEqual([]);
  });

  test('the same arguments, two different answers: something is kept between calls (said before anything else)', () => {
    const calls = [{ args: [3, 1], value: [1, 2, 3] }, { args: [3, 1], value: [1, 2, 3, 1, 2, 3] }];
    expect(ids([ev([3, 1], [1, 2, 3, 1, 2, 3], [1, 2, 3])], calls)).toEqual([['kept-between-calls', undefined, { fn: 'f' }]]);
  });

  test('answers rounded to a few decimals, and how many', () => {
    const xs = [-2, -0.3, 0.7, 1.9];
    expect(ids(xs.map((x) => ev([x], Number(sig(x).toFixed(3)), sig(x))))).toEqual([['rounded', undefined, { fn: 'f', decimals: '3 decimals' }]]);
    expect(ids(xs.map((x) => ev([x], [Math.round(x * 10 + 0.37)], [x * 10 + 0.37])))).toEqual([['rounded', undefined, { fn: 'f', decimals: 'whole numbers' }]]);
  });

  test('not rounded: values that rounding sends to 0 (many mistakes give zeros), or one answer that is not a rounding', () => {
    expect(ids([ev([6], [0, 0, 0], [0.25, 0.0625, 0.015625])]).map((f) => f[0])).not.toContain('rounded');
    expect(ids([ev([1], 0.731, sig(1)), ev([2], 0.5, sig(2))]).map((f) => f[0])).not.toContain('rounded');
  });

  test('one answer for every input where the right ones differ; zero said as such', () => {
    expect(ids([0, 1, 2].map((x) => ev([x], 0.5, x + 0.1)))).toEqual([['same-answer', undefined, { fn: 'f', value: '0.5' }]]);
    expect(ids([0.2, 0.4, 0.6].map((a) => ev([a], 0, a * (1 - a))))).toEqual([['same-answer', 'zero', { fn: 'f', value: '0' }]]);
  });

  test('not one answer: fewer than three wrong calls, right answers that are all the same, or answers of another kind than asked', () => {
    expect(ids([0, 1].map((x) => ev([x], 0.5, x)))).toEqual([]);
    expect(ids([0, 1, 2].map((x) => ev([x], 0.5, 7)))).toEqual([]);
    expect(ids([0, 1, 2].map((x) => ev([x], [0.5], x)))).toEqual([]);
    expect(ids([0, 1, 2].map((x) => ev([x], '0.5', x)))).toEqual([]);
  });

  test('two fields holding one array, only where the right answer\'s two differ', () => {
    const right = { x: [1, 2, 3], y: [5, 6, 7] };
    expect(ids([ev([0], { x: [5, 6, 7], y: [5, 6, 7] }, right)])).toEqual([['one-array-twice', undefined, { fn: 'f', a: 'x', b: 'y' }]]);
    // The right answer's fields are equal too: no fact about sharing.
    expect(ids([ev([0], { x: [1, 1], y: [1, 1], z: 1 }, { x: [1, 1], y: [1, 1], z: 2 })])).toEqual([]);
    // Equal on one call, not on another: not one array.
    expect(ids([ev([0], { x: [5, 6, 7], y: [5, 6, 7] }, right), ev([1], { x: [1, 2, 3], y: [9, 9, 9] }, right)])).toEqual([]);
  });

  test('every observation has its text, its places filled', () => {
    for (const id of ['kept-between-calls', 'rounded', 'same-answer', 'same-answer@zero', 'one-array-twice']) expect(OBSERVATION_TEXTS[id]).toMatch(/\{fn\}/);
    expect(worded(OBSERVATION_TEXTS.rounded, { fn: 'sigmoid', decimals: '3 decimals' })).toMatch(/^Your answers from sigmoid are the right ones rounded to 3 decimals/);
    expect(worded('{fn} and {unknown}', { fn: 'g' })).toBe('g and {unknown}');
  });
});

describe("the kit's observations, where their premise does not hold", () => {
  test('the same unreadable answer twice (two Promises, two typed arrays) is not an answer that changed', () => {
    const promise = new Opaque('promise', 'a Promise');
    const calls = [{ args: [6, 0], value: promise }, { args: [6, 0], value: new Opaque('promise', 'a Promise') }];
    expect(ids([ev([6, 0], promise, [0.25])], calls).map((f) => f[0])).not.toContain('kept-between-calls');
  });
  test('one answer on the wrong calls, but right answers elsewhere: not "the same answer for every input"', () => {
    const evidence = [-12, -15, -18].map((x) => ev([x], 0, sig(x))).concat([0, 1, 2].map((x) => ev([x], sig(x), sig(x))));
    expect(ids(evidence).map((f) => f[0])).not.toContain('same-answer');
  });
  test('a single wrong answer that happens to be a rounding is no pattern', () => {
    expect(ids([ev([0], 1, 0.5), ev([1], sig(1), sig(1))]).map((f) => f[0])).not.toContain('rounded');
  });
});
