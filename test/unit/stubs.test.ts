/** exercises/ is generated from solutions/: the two never drift apart. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { driftedStubs, makeStubs, solutionBodyLines, stubPairs } from '../../grader/tools/make-stubs';
import * as solution from '../../solutions/vanishing-gradients';
import * as exercise from '../../exercises/vanishing-gradients';

const ROOT = path.resolve(__dirname, '..', '..');
const solutionText = fs.readFileSync(path.join(ROOT, 'solutions', 'vanishing-gradients.ts'), 'utf8');

describe('stubs', () => {
  test('every lab\'s exercises/ file is exactly what make:stubs generates from its solution', () => {
    const pairs = stubPairs(ROOT);
    expect(pairs.map((p) => p.name)).toEqual(expect.arrayContaining(['exploding-gradients.ts', 'vanishing-gradients.ts']));
    expect(driftedStubs(ROOT)).toEqual([]);
    // And a drifted one is found: a copy of the kit's two folders with one stub edited.
    const copy = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'vg-stubs-'));
    for (const dir of ['solutions', 'exercises']) fs.cpSync(path.join(ROOT, dir), path.join(copy, dir), { recursive: true });
    fs.appendFileSync(path.join(copy, 'exercises', 'exploding-gradients.ts'), '\n// edited by hand\n');
    expect(driftedStubs(copy)).toEqual(['exploding-gradients.ts']);
    fs.rmSync(copy, { recursive: true, force: true });
  });
  test('exercises/vanishing-gradients.ts is exactly what make:stubs generates (run npm run make:stubs)', () => {
    expect(fs.readFileSync(path.join(ROOT, 'exercises', 'vanishing-gradients.ts'), 'utf8')).toBe(makeStubs(solutionText));
  });
  test('the stubs export the same functions as the solutions', () => {
    expect(Object.keys(exercise).sort()).toEqual(Object.keys(solution).sort());
    expect(Object.keys(solution).sort()).toEqual(['linspace', 'sigmoid', 'sigmoidGradient', 'simulateDecay', 'tangent']);
  });
  test('each stub throws "not implemented yet", naming its function', () => {
    const calls: [string, () => unknown][] = [
      ['linspace', () => exercise.linspace(0, 1)],
      ['sigmoid', () => exercise.sigmoid(0)],
      ['sigmoidGradient', () => exercise.sigmoidGradient(0.5)],
      ['tangent', () => exercise.tangent(0)],
      ['simulateDecay', () => exercise.simulateDecay(6, 0)],
    ];
    for (const [name, f] of calls) expect(f).toThrow(`${name} is not implemented yet`);
  });
  test('no line of a solution body is left in the stubs', () => {
    const stubs = makeStubs(solutionText);
    const bodies = [...solutionText.matchAll(/^\s*\/\/ START CODE HERE\n([\s\S]*?)^\s*\/\/ END CODE HERE$/gm)].map((m) => m[1]);
    expect(bodies).toHaveLength(5);
    const lines = bodies.flatMap((b) => b.split('\n')).map((l) => l.trim()).filter((l) => l.length > 8);
    // The shared definition (used by the release check) finds the same lines.
    expect(solutionBodyLines(solutionText).sort()).toEqual([...new Set(lines)].sort());
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(stubs).not.toContain(line);
  });
  test('markers keep their place and the doc comments stay', () => {
    const stubs = makeStubs(solutionText);
    expect(stubs.match(/^\s*\/\/ START CODE HERE$/gm)).toHaveLength(5);
    expect(stubs.match(/^\s*\/\/ END CODE HERE$/gm)).toHaveLength(5);
    expect(stubs).toContain('throw a `RangeError`');
  });
  test('malformed regions are reported with their line', () => {
    expect(() => makeStubs('export function f() {\n  // START CODE HERE\n  return 1;\n}')).toThrow(/line 2: START CODE HERE is never closed/);
    expect(() => makeStubs('// START CODE HERE\n// END CODE HERE')).toThrow(/outside an exported function/);
    expect(() => makeStubs('export function f() {\n  // END CODE HERE\n}')).toThrow(/line 2: END CODE HERE without/);
  });
});
