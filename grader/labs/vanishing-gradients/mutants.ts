/**
 * The lab's classic mistakes, as deliberate wrong implementations (mutants). When a student's
 * answers on the tests' own inputs match a mutant's (and differ from the solution's), the part
 * gets that mutant's hint (hints.json beside this file). Mutants run in the trusted process and are
 * built on the solution's other functions, so a mutant of tangent isolates tangent's own mistake.
 */
import * as s from '../../../solutions/vanishing-gradients';

/** One classic mistake. */
export interface Mutant {
  /** The hint's id in hints.json. */
  id: string;
  /** The function it imitates. */
  part: string;
  /** The mistaken implementation. */
  run: (...args: number[]) => unknown;
}

function checkNum(num: number): void {
  if (!Number.isInteger(num) || num < 0) throw new RangeError('num');
}

function checkSteps(steps: number): void {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError('steps');
}

function line(xTan: number, span: number, x: number[], slope: number, y0: number, through = true) {
  return { x, y: x.map((v) => (through ? y0 + slope * (v - xTan) : slope * (v - xTan))), slope, point: { x: xTan, y: y0 } };
}

function decay(steps: number, x: number, step: (total: number, g: number, k: number) => number, first = 1): number[] {
  checkSteps(steps);
  const g = s.sigmoidGradient(s.sigmoid(x));
  const out: number[] = [];
  let total = first;
  for (let k = 1; k <= steps; k++) {
    total = step(total, g, k);
    out.push(total);
  }
  return out;
}

/** Every mutant, by part. */
export const MUTANTS: Mutant[] = [
  { id: 'linspace-excludes-stop', part: 'linspace', run: (a, b, num = 50) => { checkNum(num); return Array.from({ length: num }, (_, i) => a + (i * (b - a)) / num); } },
  { id: 'linspace-one-too-many', part: 'linspace', run: (a, b, num = 50) => { checkNum(num); return s.linspace(a, b, num + 1); } },
  { id: 'linspace-one-too-few', part: 'linspace', run: (a, b, num = 50) => { checkNum(num); return num <= 1 ? [] : s.linspace(a, b, num).slice(0, -1); } },
  { id: 'linspace-integer-steps', part: 'linspace', run: (a, b, num = 50) => { checkNum(num); const step = Math.trunc((b - a) / (num - 1)); return num === 1 ? [a] : Array.from({ length: num }, (_, i) => a + i * step); } },
  { id: 'sigmoid-exp-plus-x', part: 'sigmoid', run: (x) => 1 / (1 + Math.exp(x)) },
  { id: 'sigmoid-missing-one', part: 'sigmoid', run: (x) => 1 / Math.exp(-x) },
  { id: 'gradient-applies-sigmoid-again', part: 'sigmoidGradient', run: (a) => s.sigmoidGradient(s.sigmoid(a)) },
  { id: 'gradient-of-raw-x', part: 'tangent', run: (xTan, span = 1.7) => line(xTan, span, s.linspace(xTan - span, xTan + span), s.sigmoidGradient(xTan), s.sigmoid(xTan)) },
  { id: 'tangent-not-through-point', part: 'tangent', run: (xTan, span = 1.7) => line(xTan, span, s.linspace(xTan - span, xTan + span), s.sigmoidGradient(s.sigmoid(xTan)), s.sigmoid(xTan), false) },
  { id: 'tangent-wrong-span', part: 'tangent', run: (xTan, span = 1.7) => line(xTan, span, s.linspace(-span, span), s.sigmoidGradient(s.sigmoid(xTan)), s.sigmoid(xTan)) },
  { id: 'tangent-wrong-count', part: 'tangent', run: (xTan, span = 1.7) => line(xTan, span, s.linspace(xTan - span, xTan + span, 100), s.sigmoidGradient(s.sigmoid(xTan)), s.sigmoid(xTan)) },
  { id: 'gradient-of-raw-x', part: 'simulateDecay', run: (steps, x) => { checkSteps(steps); const g = s.sigmoidGradient(x); return Array.from({ length: steps }, (_, k) => g ** (k + 1)); } },
  // Two ways to keep the starting 1: in place of the last value, or on top of the others.
  { id: 'decay-includes-initial-one', part: 'simulateDecay', run: (steps, x) => { checkSteps(steps); return [1, ...decay(Math.max(steps - 1, 0), x, (t, g) => t * g)]; } },
  { id: 'decay-includes-initial-one', part: 'simulateDecay', run: (steps, x) => [1, ...decay(steps, x, (t, g) => t * g)] },
  { id: 'decay-one-too-many', part: 'simulateDecay', run: (steps, x) => decay(steps + 1, x, (t, g) => t * g) },
  { id: 'decay-one-too-few', part: 'simulateDecay', run: (steps, x) => (steps === 0 ? [] : decay(steps - 1, x, (t, g) => t * g)) },
  { id: 'decay-adds', part: 'simulateDecay', run: (steps, x) => decay(steps, x, (t, g) => t + g) },
  { id: 'decay-recomputes-gradient', part: 'simulateDecay', run: (steps, x) => decay(steps, x, (t) => s.sigmoidGradient(s.sigmoid(t)), x) },
];
