/**
 * The property-based diagnoses (grader/labs/vanishing-gradients/diagnoses/), in process: each known mistake
 * written several ways other than the kit's mutants is named, and only it; correct implementations
 * written unusually, and wrong ones that are no known mistake, get no mistake named. Inputs are
 * like the suites' own: the public checks' and random ones as the hidden checks draw them.
 */
import * as solution from '../../solutions/vanishing-gradients';
import { findHints, findingsFor, loadHints, type RecordedCall } from '../../grader/feedback/hints';
import { DIAGNOSES } from '../../grader/labs/vanishing-gradients/diagnoses';
import { createRandom } from '../../grader/lib/random';

type Impl = (...a: number[]) => unknown;
const s = solution;
const sig = s.sigmoid;
const grad = s.sigmoidGradient;

/** Inputs per function: the public checks' and a seeded draw like the hidden checks'. */
function inputs(fn: string, seed: number): number[][] {
  const rng = createRandom(seed, `diagnoses/${fn}`);
  const r = (lo: number, hi: number, digits: number): number => +rng.float(lo, hi).toFixed(digits);
  const lab = s.linspace(-5, 5, 100);
  switch (fn) {
    case 'linspace': return [[-5, 5, 100], [0, 1, 5], [-1.7, 1.7], [2, 3, 0], [2, 3, 1],
      ...Array.from({ length: 8 }, () => [r(-100, 100, 3), r(-100, 100, 3), rng.int(2, 300)]), [r(1, 50, 2), -r(1, 50, 2), rng.int(3, 40)], [r(-10, 10, 2), r(-10, 10, 2), 2]];
    case 'sigmoid': return [[0], ...lab.map((x) => [x]), [-10], [10], ...Array.from({ length: 12 }, () => [r(-12, 12, 4)]), [r(40, 700, 1)], [-r(40, 700, 1)]];
    case 'sigmoidGradient': return [[0.5], ...lab.map((x) => [sig(x)]), ...Array.from({ length: 12 }, () => [r(0.001, 0.999, 5)]), [0], [1]];
    case 'tangent': return [[0, 1.7], [0], [2, 1], ...Array.from({ length: 5 }, () => [r(-5, 5, 3), r(0.5, 3, 2)]), [r(-4, 4, 3)]];
    default: return [[6, 0], [0, 0], ...Array.from({ length: 6 }, () => [rng.int(1, 40), r(-5, 5, 3)]), [1, r(-3, 3, 3)]];
  }
}

/** The calls an implementation answers (calls that throw are not recorded, as in the sandbox). */
function callsOf(fn: string, impl: Impl, seed = 1): RecordedCall[] {
  return inputs(fn, seed).flatMap((args) => {
    try {
      return [{ fn, args, value: impl(...args) }];
    } catch {
      return [];
    }
  });
}

const checkNum = (num: number): void => { if (!Number.isInteger(num) || num < 0) throw new RangeError('num'); };
const checkSteps = (n: number): void => { if (!Number.isInteger(n) || n < 0) throw new RangeError('steps'); };
const line = (xTan: number, x: number[], slope: number, y: (v: number) => number) => ({ x, y: x.map(y), slope, point: { x: xTan, y: sig(xTan) } });
const decay = (steps: number, x: number, next: (t: number, g: number, k: number) => number, first = 1): number[] => {
  checkSteps(steps);
  const g = grad(sig(x));
  const out: number[] = [];
  let t = first;
  for (let k = 0; k < steps; k++) out.push((t = next(t, g, k)));
  return out;
};

/** Known mistakes, written otherwise than the mutants and the test/mistakes fixtures. */
const MISTAKES: [part: string, id: string, how: string, impl: Impl][] = [
  ['linspace', 'linspace-excludes-stop', 'a map over keys', (a, b, n = 50) => { checkNum(n); return [...Array(n).keys()].map((i) => a + (b - a) * (i / n)); }],
  ['linspace', 'linspace-excludes-stop', 'step from num, reduce', (a, b, n = 50) => { checkNum(n); return Array.from({ length: n }).reduce<number[]>((acc, _, i) => [...acc, a + i * ((b - a) / n)], []); }],
  ['linspace', 'linspace-one-too-many', 'a while loop with <=', (a, b, n = 50) => { checkNum(n); if (n === 1) return [a]; const out: number[] = []; let i = 0; while (i <= n - 1 + 1) out.push(a + (i++ * (b - a)) / (n - 1)); return out; }],
  ['linspace', 'linspace-one-too-many', 'start pushed twice', (a, b, n = 50) => { checkNum(n); return [a, ...s.linspace(a, b, n)]; }],
  ['linspace', 'linspace-one-too-few', 'slice off the end', (a, b, n = 50) => { checkNum(n); return s.linspace(a, b, n).slice(0, Math.max(0, n - 1)); }],
  ['linspace', 'linspace-one-too-few', 'filter out start', (a, b, n = 50) => { checkNum(n); return s.linspace(a, b, n).filter((_, i) => i > 0); }],
  ['linspace', 'linspace-integer-steps', 'Math.trunc, stop last', (a, b, n = 50) => { checkNum(n); if (n === 1) return [a]; const d = Math.trunc((b - a) / (n - 1)); return Array.from({ length: n }, (_, i) => (i === n - 1 ? b : a + d * i)); }],
  ['linspace', 'linspace-integer-steps', 'parseInt', (a, b, n = 50) => { checkNum(n); if (n === 1) return [a]; const d = parseInt(String((b - a) / (n - 1)), 10); return Array.from({ length: n }, (_, i) => a + d * i); }],
  ['sigmoid', 'sigmoid-exp-plus-x', 'exp of x over one plus', (x) => Math.exp(-x) / (1 + Math.exp(-x))],
  ['sigmoid', 'sigmoid-exp-plus-x', 'one minus the sigmoid', (x) => 1 - 1 / (1 + Math.exp(-x))],
  ['sigmoid', 'sigmoid-missing-one', 'E to the x', (x) => Math.E ** x],
  ['sigmoid', 'sigmoid-missing-one', 'one over e to the minus x', (x) => 1 / Math.exp(-x)],
  ['sigmoidGradient', 'gradient-applies-sigmoid-again', 'tanh form', (a) => { const t = 0.5 * (1 + Math.tanh(a / 2)); return t * (1 - t); }],
  ['sigmoidGradient', 'gradient-applies-sigmoid-again', 'e over square', (a) => Math.exp(a) / (1 + Math.exp(a)) ** 2],
  ['sigmoidGradient', 'gradient-sign', 'a squared minus a', (a) => a * a - a],
  ['sigmoidGradient', 'gradient-sign', 'minus sign in front', (a) => -a * (1 - a)],
  ['tangent', 'gradient-of-raw-x', 'slope from the raw point', (xTan, span = 1.7) => { const m = grad(xTan); return line(xTan, s.linspace(xTan - span, xTan + span), m, (v) => sig(xTan) + m * (v - xTan)); }],
  ['tangent', 'tangent-not-through-point', 'intercept is the slope', (xTan, span = 1.7) => { const m = grad(sig(xTan)); return line(xTan, s.linspace(xTan - span, xTan + span), m, (v) => m + m * (v - xTan)); }],
  ['tangent', 'tangent-not-through-point', 'shift added', (xTan, span = 1.7) => { const m = grad(sig(xTan)); return line(xTan, s.linspace(xTan - span, xTan + span), m, (v) => sig(xTan) + m * (v + xTan)); }],
  ['tangent', 'tangent-wrong-span', 'span doubled', (xTan, span = 1.7) => { const m = grad(sig(xTan)); return line(xTan, s.linspace(xTan - 2 * span, xTan + 2 * span), m, (v) => sig(xTan) + m * (v - xTan)); }],
  ['tangent', 'tangent-wrong-span', 'from zero to xTan plus span', (xTan, span = 1.7) => { const m = grad(sig(xTan)); return line(xTan, s.linspace(0, xTan + span), m, (v) => sig(xTan) + m * (v - xTan)); }],
  ['tangent', 'tangent-wrong-count', '49 points', (xTan, span = 1.7) => { const m = grad(sig(xTan)); return line(xTan, s.linspace(xTan - span, xTan + span, 49), m, (v) => sig(xTan) + m * (v - xTan)); }],
  ['tangent', 'tangent-wrong-count', '200 points', (xTan, span = 1.7) => { const m = grad(sig(xTan)); return line(xTan, s.linspace(xTan - span, xTan + span, 200), m, (v) => sig(xTan) + m * (v - xTan)); }],
  ['tangent', 'tangent-swapped-axes', 'x and y exchanged', (xTan, span = 1.7) => { const t = s.tangent(xTan, span); return { ...t, x: t.y, y: t.x }; }],
  ['simulateDecay', 'gradient-of-raw-x', 'running product of x (1 - x)', (n, x) => { checkSteps(n); const out: number[] = []; let t = 1; for (let k = 0; k < n; k++) out.push((t *= x - x * x)); return out; }],
  ['simulateDecay', 'decay-includes-initial-one', 'unshift 1, drop last', (n, x) => { checkSteps(n); const v = decay(n, x, (t, g) => t * g); v.unshift(1); return v.slice(0, Math.max(n, 1)); }],
  ['simulateDecay', 'decay-one-too-many', 'a do-while', (n, x) => { checkSteps(n); const g = grad(sig(x)); const out: number[] = []; let t = 1; let k = 0; do { out.push((t *= g)); } while (k++ < n); return out; }],
  ['simulateDecay', 'decay-one-too-few', 'powers 2..steps', (n, x) => { checkSteps(n); const g = grad(sig(x)); return Array.from({ length: Math.max(0, n - 1) }, (_, k) => g ** (k + 2)); }],
  ['simulateDecay', 'decay-adds', 'a reduce that sums', (n, x) => { checkSteps(n); const g = grad(sig(x)); return Array.from({ length: n }, (_, k) => Array.from({ length: k + 1 }, () => g).reduce((p, q) => p + q, 0)); }],
  ['simulateDecay', 'decay-adds', 'sum from one', (n, x) => decay(n, x, (t, g) => t + g)],
  ['simulateDecay', 'decay-recomputes-gradient', 'raw gradient of the total', (n, x) => decay(n, x, (t) => t * (1 - t), x)],
  ['simulateDecay', 'decay-recomputes-gradient', 'times the gradient at the total', (n, x) => decay(n, x, (t) => t * grad(sig(t)), x)],
  ['simulateDecay', 'decay-squares', 'squared each step', (n, x) => { checkSteps(n); const out: number[] = []; let t = grad(sig(x)); for (let k = 0; k < n; k++) { out.push(t); t = t ** 2; } return out; }],
];

/** Correct implementations written unusually: no hint, at any level. */
const CORRECT: [part: string, how: string, impl: Impl][] = [
  ['linspace', 'both ends weighted', (a, b, n = 50) => { checkNum(n); return n === 1 ? [a] : Array.from({ length: n }, (_, i) => ((n - 1 - i) * a + i * b) / (n - 1)); }],
  ['linspace', 'from the stop backwards', (a, b, n = 50) => { checkNum(n); return n === 1 ? [a] : Array.from({ length: n }, (_, i) => b - ((n - 1 - i) * (b - a)) / (n - 1)); }],
  ['sigmoid', 'tanh', (x) => 0.5 + 0.5 * Math.tanh(x / 2)],
  ['sigmoid', 'two branches', (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))],
  ['sigmoidGradient', 'difference', (a) => a - a ** 2],
  ['tangent', 'own sampling', (xTan, span = 1.7) => { const m = grad(sig(xTan)); const x = Array.from({ length: 50 }, (_, i) => xTan - span + (i * 2 * span) / 49); x[49] = xTan + span; return line(xTan, x, m, (v) => m * v + (sig(xTan) - m * xTan)); }],
  ['simulateDecay', 'powers', (n, x) => { checkSteps(n); const g = grad(sig(x)); return Array.from({ length: n }, (_, k) => Math.pow(g, k + 1)); }],
  ['simulateDecay', 'exp of a sum of logs', (n, x) => { checkSteps(n); const g = grad(sig(x)); return Array.from({ length: n }, (_, k) => Math.exp((k + 1) * Math.log(g))); }],
];

/** Wrong in ways that are no known mistake: nothing may be named as a mistake. */
const UNKNOWN: [part: string, how: string, impl: Impl][] = [
  ['linspace', 'reversed', (a, b, n = 50) => s.linspace(b, a, n)],
  ['sigmoid', 'steeper', (x) => sig(2 * x)],
  ['sigmoidGradient', 'half of it', (a) => (a * (1 - a)) / 2],
  ['tangent', 'y is the curve', (xTan, span = 1.7) => { const x = s.linspace(xTan - span, xTan + span); return { x, y: x.map(sig), slope: grad(sig(xTan)), point: { x: xTan, y: sig(xTan) } }; }],
  ['tangent', 'slope sign flipped in the line', (xTan, span = 1.7) => { const m = grad(sig(xTan)); return line(xTan, s.linspace(xTan - span, xTan + span), m, (v) => sig(xTan) + m * (xTan - v)); }],
  ['simulateDecay', 'ratio is the activation', (n, x) => decay(n, x, (t) => t * sig(x))],
  ['simulateDecay', 'constant', (n, x) => decay(n, x, (_, g) => g)],
  ['simulateDecay', 'all ones (never multiplies)', (n) => { checkSteps(n); return Array.from({ length: n }, () => 1); }],
  ['linspace', 'every value start (the index forgotten)', (a, _b, n = 50) => { checkNum(n); return Array.from({ length: n }, () => a); }],
];

describe('property-based diagnoses', () => {
  test('every diagnosis has a text, and no text is code', () => {
    const texts = loadHints();
    for (const list of Object.values(DIAGNOSES)) {
      for (const d of list) {
        expect(texts[d.id]).toMatch(/\w/);
        for (const v of d.variants ?? []) expect(texts[`${d.id}@${v}`]).toMatch(/\w/);
      }
    }
    for (const text of Object.values(texts)) expect(text).not.toMatch(/[{};=]|\w\(|\+=|\*=|=>/);
  });

  test.each(MISTAKES.map(([part, id, how, impl]) => [`${part}: ${id}, ${how}`, part, id, impl]))('%s is named, and only it', (_, part, id, impl) => {
    for (const seed of [1, 2, 3]) {
      const hints = findHints(callsOf(part as string, impl as Impl, seed), [part as string]);
      expect({ seed, hints: (hints[part as string] ?? []).map((h) => h.id) }).toEqual({ seed, hints: [id] });
    }
  });

  test.each(CORRECT.map(([part, how, impl]) => [`${part}, ${how}`, part, impl]))('correct (%s): no hint', (_, part, impl) => {
    for (const seed of [1, 2, 3]) expect(findHints(callsOf(part as string, impl as Impl, seed), [part as string])).toEqual({});
  });

  test.each(UNKNOWN.map(([part, how, impl]) => [`${part}, ${how}`, part, impl]))('no known mistake (%s): no mistake named', (_, part, impl) => {
    const known = new Set(Object.values(DIAGNOSES).flat().filter((d) => d.strength === 'mistake').map((d) => d.id));
    for (const seed of [1, 2, 3]) {
      const ids = findingsFor(part as string, callsOf(part as string, impl as Impl, seed)).map((f) => f.id);
      expect(ids.filter((id) => known.has(id))).toEqual([]);
      expect(ids.length).toBeLessThanOrEqual(1);
    }
  });

  test('a curve mirrored on one side only is named by its side', () => {
    const slip: Impl = (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : 1 / (1 + Math.exp(x)));
    const [f] = findingsFor('sigmoid', callsOf('sigmoid', slip));
    expect(f).toEqual({ id: 'sigmoid-exp-plus-x', variant: 'negative-x' });
    expect(findHints(callsOf('sigmoid', slip), ['sigmoid']).sigmoid[0].text).toMatch(/negative x/);
    const whole = findingsFor('sigmoid', callsOf('sigmoid', (x) => 1 / (1 + Math.exp(x))));
    expect(whole).toEqual([{ id: 'sigmoid-exp-plus-x' }]);
  });

  test('a tangent walked from right to left covers the right stretch: its span is not named', () => {
    const reversed: Impl = (xTan, span = 1.7) => { const t = s.tangent(xTan, span); return { ...t, x: [...t.x].reverse(), y: [...t.y].reverse() }; };
    expect(findingsFor('tangent', callsOf('tangent', reversed)).map((f) => f.id)).not.toContain('tangent-wrong-span');
  });

  test('a tangent with two mistakes gets both hints', () => {
    const both: Impl = (xTan, span = 1.7) => { const m = grad(xTan); return line(xTan, s.linspace(xTan - span, xTan + span, 20), m, (v) => sig(xTan) + m * (v - xTan)); };
    expect(findingsFor('tangent', callsOf('tangent', both)).map((f) => f.id).sort()).toEqual(['gradient-of-raw-x', 'tangent-wrong-count']);
  });

  test('observations: a fact about the answers, only the first, only when no mistake is named', () => {
    const plusOne: Impl = (x) => 1 + Math.exp(-x);
    expect(findingsFor('sigmoid', callsOf('sigmoid', plusOne))).toEqual([{ id: 'sigmoid-out-of-range' }]);
    const naive: Impl = (x) => Math.exp(x) / (1 + Math.exp(x));
    expect(findingsFor('sigmoid', [{ fn: 'sigmoid', args: [800], value: naive(800) }, { fn: 'sigmoid', args: [1], value: naive(1) }])).toEqual([{ id: 'sigmoid-overflows' }]);
    expect(findingsFor('sigmoidGradient', callsOf('sigmoidGradient', (a) => a * a)).map((f) => f.id)).toEqual(['gradient-out-of-range']);
  });

  test('answers that are not numbers (undefined, a string, a value the wire could not carry) are no fact about numbers', () => {
    for (const value of [undefined, '0.5', null, [0.5], { valueOf: 0.5 }]) {
      const calls: RecordedCall[] = [0, 1, -3, 4.5].flatMap((x) => [{ fn: 'sigmoid', args: [x], value }, { fn: 'sigmoidGradient', args: [Math.min(1, Math.abs(x) / 5)], value }]);
      expect(findHints(calls, ['sigmoid', 'sigmoidGradient'])).toEqual({});
    }
  });

  test('a list of zeros (x = 0, where many mistakes give zeros) names no mistake, at any level', () => {
    // Multiplying a total that starts at x = 0 gives zeros, as the gradient of the raw x (0) does:
    // the release's public decay calls are all at x = 0.
    const fromX: Impl = (n, x) => decay(n, x, (t) => t * grad(sig(t)), x);
    const calls = [[6, 0], [0, 0]].map((args) => ({ fn: 'simulateDecay', args, value: fromX(...args) }));
    expect(findingsFor('simulateDecay', calls)).toEqual([]);
  });

  test('a call whose right answer the kit does not know (the release, off the public inputs) is no evidence', () => {
    const calls = callsOf('sigmoid', (x) => 1 / (1 + Math.exp(x)));
    const unknown = { source: 'table' as const, mistakes: [], solve: () => undefined, mistake: () => undefined };
    expect(findHints(calls, ['sigmoid'], loadHints(), unknown)).toEqual({});
  });
});
