/** The TypeScript solutions against the committed numpy reference, to 1e-12. */
import * as solution from '../../solutions/vanishing-gradients';
import { loadReference } from '../../grader/lib/reference';
import { canonicalKnobs, probe } from '../../grader/labs/vanishing-gradients/probe';
import type { Reference } from '../../grader/labs/vanishing-gradients/types';
import { answersCaller } from '../../grader/stages/probing';
import { loadAnswers } from '../../grader/lib/answers';

const reference = loadReference<Reference>();
const TOL = 1e-12;

function expectAllClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(TOL));
}

describe('solutions agree with the numpy lab (reference/vanishing-gradients.json)', () => {
  test('linspace(-5, 5, 100)', () => {
    const { start, stop, num, values } = reference.data;
    expectAllClose(solution.linspace(start, stop, num), values);
  });
  test('sigmoid and sigmoidGradient over the data', () => {
    expectAllClose(reference.data.values.map(solution.sigmoid), reference.activations);
    expectAllClose(reference.activations.map(solution.sigmoidGradient), reference.gradients);
  });
  test('the tangent at 0', () => {
    const t = solution.tangent(reference.tangent.xTan);
    expectAllClose(t.x, reference.tangent.x);
    expectAllClose(t.y, reference.tangent.y);
    expect(Math.abs(t.slope - reference.tangent.slope)).toBeLessThanOrEqual(TOL);
    expect(t.point).toEqual(reference.tangent.point);
  });
  test('the decay loop', () => {
    expectAllClose(solution.simulateDecay(reference.decay.steps, reference.decay.x), reference.decay.values);
  });
  test('the stats the notebook printed', () => {
    const acts = reference.data.values.map(solution.sigmoid);
    const grads = acts.map(solution.sigmoidGradient);
    expect(Math.abs(Math.max(...acts) - reference.stats.sigmoidMax)).toBeLessThanOrEqual(TOL);
    expect(Math.abs(Math.min(...grads) - reference.stats.gradientMin)).toBeLessThanOrEqual(TOL);
  });
  test('bad arguments, as the stubs document them', () => {
    expect(solution.linspace(2, 3, 0)).toEqual([]);
    expect(solution.linspace(2, 3, 1)).toEqual([2]);
    expect(() => solution.linspace(0, 1, -1)).toThrow(RangeError);
    expect(() => solution.linspace(0, 1, 1.5)).toThrow(RangeError);
    expect(solution.simulateDecay(0, 1)).toEqual([]);
    expect(() => solution.simulateDecay(-2, 0)).toThrow(RangeError);
    expect(() => solution.simulateDecay(0.5, 0)).toThrow(RangeError);
  });
});

describe("the lab's printed block", () => {
  test('computed from the solutions, it is exactly what the notebook printed', async () => {
    // The solutions called in this process stand in for a sandbox: the formatting is what is tested.
    const knobs = canonicalKnobs(reference);
    const found = await probe(answersCaller(loadAnswers()), knobs, answersCaller(loadAnswers()));
    expect(found.printout.complete).toBe(true);
    expect(found.printout.text).toBe(reference.printed);
    expect(found.series.problems).toEqual({});
  });
});
