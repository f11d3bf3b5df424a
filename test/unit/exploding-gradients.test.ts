/**
 * The second lab, "Exploding Gradients and Gradient Clipping", on its own (it is not wired into
 * the grader yet): its solution agrees with the numpy lab (run here through python3 when numpy is
 * present, and through the committed reference always), its classic mistakes are each detectable,
 * each has a hint, and its stubs are what make:stubs generates. Expected values come from the
 * numpy lab (reference/lab/exploding_gradients_notebook.py), never typed by hand; the one literal
 * is the lab's printed block as LAB.md quotes it, which the oracle must reproduce.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as solution from '../../solutions/exploding-gradients';
import * as exercise from '../../exercises/exploding-gradients';
import { makeStubs, solutionBodyLines } from '../../grader/tools/make-stubs';
import { compareReference } from '../../grader/tools/reference-check';
import type { ExplodingReference } from '../../grader/labs/exploding-gradients/reference';
import { mistakesOf, type ExplodingGradients, type Mistake, type Part } from '../../grader/labs/exploding-gradients/mistakes';
import { DIAGNOSES } from '../../grader/labs/exploding-gradients/diagnoses';
import { isClose, type Tolerance } from '../../grader/lib/allclose';
import { createRandom, type Random } from '../../grader/lib/random';

const ROOT = path.resolve(__dirname, '..', '..');
const LAB = path.join(ROOT, 'reference', 'lab', 'exploding_gradients_notebook.py');
const SOLUTION_FILE = path.join(ROOT, 'solutions', 'exploding-gradients.ts');
const EXERCISE_FILE = path.join(ROOT, 'exercises', 'exploding-gradients.ts');

/** The committed reference (grader/labs/exploding-gradients/oracle.py wrote it), typed as the lab types it. */
type Reference = ExplodingReference;
const reference = JSON.parse(fs.readFileSync(path.join(ROOT, 'reference', 'exploding-gradients.json'), 'utf8')) as Reference;

/** The lab's printed block, as LAB.md quotes it (the notebook's output). */
const LAB_PRINTED = `Max of relu : 5.000
Min of relu : 0.000
Max of relu gradient : 1.000
Min of relu gradient : 0.000
relu gradient at -2, 0, 3 : [0. 0. 1.]
step 1 : 1.5
step 2 : 2.25
step 3 : 3.375
step 4 : 5.0625
step 5 : 7.59375
step 6 : 11.390625
step 7 : 17.0859375
step 8 : 25.62890625
step 9 : 38.443359375
step 10 : 57.6650390625
norm of [3, 4] : 5.0
clip [3, 4] to norm 1 : [0.6 0.8]
clip [0.3, 0.4] to norm 1 : [0.3 0.4]
raw norms : [1.5, 2.25, 3.375, 5.0625, 7.5938, 11.3906, 17.0859, 25.6289, 38.4434, 57.665]
clipped norms : [1.5, 2.25, 3.375, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0]
`;

/** Relative 1e-9, as the first lab compares; no absolute floor, so tiny growth values count too. */
const TOL: Tolerance = { rtol: 1e-9, atol: 0 };

/** Numbers the lab's JSON cannot hold are written as the strings JavaScript prints. */
const decodeNumber = (a: unknown): unknown => (a === 'NaN' ? NaN : a === 'Infinity' ? Infinity : a === '-Infinity' ? -Infinity : a);
const encodeNumber = (a: unknown): unknown => (typeof a === 'number' && !Number.isFinite(a) ? String(a) : a);

/** Deep closeness: numbers within TOL, arrays of the same length element by element. */
function close(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number') return typeof actual === 'number' && isClose(actual, expected, TOL);
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => close(actual[i], e));
  return Object.is(actual, expected);
}

/** Fails with both values when they are not close. */
function expectClose(actual: unknown, expected: unknown, what: string): void {
  if (!close(actual, expected)) throw new Error(`${what}: got ${JSON.stringify(actual)}, the numpy lab gives ${JSON.stringify(expected)}`);
}

/** One call of a lab function. */
interface Call {
  fn: Part;
  args: unknown[];
}
const show = (c: Call): string => `${c.fn}(${c.args.map((a) => JSON.stringify(encodeNumber(a))).join(', ')})`;
const asCallable = (f: unknown) => f as (...a: unknown[]) => unknown;

/** The lab's own inputs (its data, its printed calls, its figures' calls) and the contract's edges, read from the reference. */
function canonicalCalls(): Call[] {
  const calls: Call[] = [];
  for (const x of [...reference.data.values, ...reference.reluAt.x]) calls.push({ fn: 'relu', args: [x] }, { fn: 'reluGradient', args: [x] });
  for (const v of [reference.norm.v, ...reference.clipping.scaled, ...reference.clipping.clippedVectors, ...reference.edges.l2Norm.map((e) => e.v)]) calls.push({ fn: 'l2Norm', args: [v] });
  for (const c of [...reference.clip, ...reference.edges.clipByNorm]) calls.push({ fn: 'clipByNorm', args: [c.grad, c.maxNorm] });
  for (const v of reference.clipping.scaled) calls.push({ fn: 'clipByNorm', args: [v, reference.clipping.maxNorm] });
  calls.push({ fn: 'simulateGrowth', args: [reference.growth.steps, reference.growth.weight] });
  for (const g of reference.edges.simulateGrowth) calls.push({ fn: 'simulateGrowth', args: [g.steps, g.weight] });
  for (const r of reference.edges.raises) calls.push({ fn: r.fn as Part, args: r.args.map(decodeNumber) });
  return calls;
}

/** A vector of 0 to `max` values in [-10, 10), a few of them exactly 0. */
function randomVector(r: Random, max = 7): number[] {
  return Array.from({ length: r.int(0, max) }, () => (r.next() < 0.15 ? 0 : r.float(-10, 10)));
}

/** Seeded random calls of every function, valid ones mostly, and some the contract refuses. */
function randomCalls(seed: number, perFunction: number): Call[] {
  const calls: Call[] = [];
  const x = createRandom(seed, 'relu');
  for (let i = 0; i < perFunction; i++) {
    const v = x.next() < 0.1 ? 0 : x.float(-10, 10);
    calls.push({ fn: 'relu', args: [v] }, { fn: 'reluGradient', args: [v] });
  }
  const n = createRandom(seed, 'l2Norm');
  for (let i = 0; i < perFunction; i++) calls.push({ fn: 'l2Norm', args: [randomVector(n, 12)] });
  const c = createRandom(seed, 'clipByNorm');
  for (let i = 0; i < perFunction; i++) {
    const grad = randomVector(c);
    // Around the gradient's own norm, so that both sides of the cap (and the cap itself) come up.
    const norm = solution.l2Norm(grad);
    const pick = c.next();
    const maxNorm = pick < 0.1 && norm > 0 ? norm : pick < 0.55 ? c.float(0.05, 1) * (norm || 1) : c.float(1, 3) * (norm || 1);
    calls.push({ fn: 'clipByNorm', args: [grad, maxNorm] });
  }
  for (const bad of [0, -c.float(0.1, 5), NaN, Infinity, -Infinity]) calls.push({ fn: 'clipByNorm', args: [randomVector(c), bad] });
  const g = createRandom(seed, 'simulateGrowth');
  for (let i = 0; i < perFunction; i++) calls.push({ fn: 'simulateGrowth', args: [g.int(0, 30), g.next() < 0.1 ? 1 : g.float(-2.5, 2.5)] });
  for (const bad of [-g.int(1, 9), g.int(0, 9) + 0.5, NaN, Infinity, -Infinity]) calls.push({ fn: 'simulateGrowth', args: [bad, g.float(0.5, 2)] });
  return calls;
}

/** What a call does: its answer (or what it threw), whether it answered with an argument itself, and the arguments afterwards. */
interface Observation {
  threw?: string;
  value?: unknown;
  returnsArgument: boolean;
  argumentsAfter: unknown[];
}

function observe(fn: unknown, args: unknown[]): Observation {
  const given = args.map((a) => (Array.isArray(a) ? [...a] : a));
  try {
    const value = asCallable(fn)(...given);
    return { value, returnsArgument: given.some((a) => typeof a === 'object' && a === value), argumentsAfter: given };
  } catch (err) {
    return { threw: (err as Error).name, returnsArgument: false, argumentsAfter: given };
  }
}

function sameObservation(a: Observation, b: Observation): boolean {
  if (a.threw !== undefined || b.threw !== undefined) return a.threw === b.threw;
  return close(a.value, b.value) && a.returnsArgument === b.returnsArgument && close(a.argumentsAfter, b.argumentsAfter);
}

const sol = solution as unknown as Record<Part, unknown>;
const trusted: ExplodingGradients = solution;
const MISTAKES: Mistake[] = mistakesOf(trusted);

/**
 * Where each mistake must show (the calls on which it differs from the solution), from what the
 * mistake is: everywhere else it must answer as the solution does. Calls the solution refuses are
 * refused by every mistake (its slip is elsewhere).
 */
const nonZero = (v: number[]): number => v.filter((x) => x !== 0).length;
const SHOWS: Record<string, (args: unknown[]) => boolean> = {
  'clip-each-element': ([g, m]) => solution.l2Norm(g as number[]) > (m as number) && nonZero(g as number[]) >= 2,
  'clip-rescales-within': ([g, m]) => solution.l2Norm(g as number[]) < (m as number) && (g as number[]).length > 0,
  'clip-factor-inverted': ([g, m]) => solution.l2Norm(g as number[]) > (m as number),
  'clip-mutates-argument': () => true,
  'norm-without-sqrt': ([v]) => { const n = solution.l2Norm(v as number[]); return !isClose(n, 0, TOL) && !isClose(n, 1, TOL); },
  'norm-l1': ([v]) => nonZero(v as number[]) >= 2,
  'relu-gradient-one-at-zero': ([x]) => x === 0,
  'growth-keeps-initial-one': ([s, w]) => (s as number) >= 1 && w !== 1,
  'growth-adds': ([s]) => (s as number) >= 1,
};

describe('exploding-gradients: the solution against the numpy lab, run here', () => {
  const probe = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  const hasNumpy = !probe.error && probe.status === 0;
  const why = probe.error ? 'python3 was not found' : 'python3 has no numpy';
  const title = (t: string): string => (hasNumpy ? t : `${t}: skipped, ${why} here (pip install numpy to run it)`);

  /** The lab's answers for `calls`, from its own functions (imported by path, its __main__ block not run). */
  function labAnswers(calls: Call[]): ({ value: unknown } | { raises: string })[] {
    const script = [
      'import importlib.util, json, sys',
      'spec = importlib.util.spec_from_file_location("exploding_gradients_notebook", sys.argv[1])',
      'lab = importlib.util.module_from_spec(spec)',
      'spec.loader.exec_module(lab)',
      'floats = lambda a: [float(x) for x in a]',
      'FNS = {"relu": lambda x: float(lab.relu(x)), "reluGradient": lambda x: float(lab.relu_gradient(x)),',
      '       "l2Norm": lambda v: float(lab.l2_norm(v)), "clipByNorm": lambda g, m: floats(lab.clip_by_norm(g, m)),',
      '       "simulateGrowth": lambda s, w: floats(lab.simulate_growth(s, w))}',
      'SPECIAL = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}',
      'out = []',
      'for fn, args in json.load(sys.stdin):',
      '    args = [SPECIAL.get(a, a) if isinstance(a, str) else a for a in args]',
      '    try:',
      '        out.append({"value": FNS[fn](*args)})',
      '    except ValueError as err:',
      '        out.append({"raises": type(err).__name__})',
      'print(json.dumps(out, allow_nan=False))',
    ].join('\n');
    const input = JSON.stringify(calls.map((c) => [c.fn, c.args.map(encodeNumber)]));
    const r = spawnSync('python3', ['-c', script, LAB], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`the numpy lab did not answer: ${r.stderr}`);
    return JSON.parse(r.stdout) as ({ value: unknown } | { raises: string })[];
  }

  function agree(calls: Call[]): void {
    const answers = labAnswers(calls);
    expect(answers).toHaveLength(calls.length);
    calls.forEach((call, i) => {
      const lab = answers[i];
      if ('raises' in lab) {
        expect(() => asCallable(sol[call.fn])(...call.args)).toThrow(RangeError);
      } else {
        expectClose(asCallable(sol[call.fn])(...call.args), lab.value, show(call));
      }
    });
  }

  (hasNumpy ? test : test.skip)(title('on the lab\'s own inputs and the contract\'s edges'), () => {
    const calls = canonicalCalls();
    expect(calls.length).toBeGreaterThan(200);
    agree(calls);
  });

  (hasNumpy ? test : test.skip)(title('on seeded random inputs, refused ones included'), () => {
    for (const seed of [1, 20261206]) agree(randomCalls(seed, 150));
  });

  (hasNumpy ? test : test.skip)(title('the oracle reproduces the committed reference'), () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eg-oracle-'));
    try {
      const out = path.join(dir, 'reference.json');
      const r = spawnSync('python3', [path.join(ROOT, 'grader', 'labs', 'exploding-gradients', 'oracle.py'), LAB, out], { cwd: ROOT, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      // As npm run validate compares the first lab's: numbers within a relative 1e-14, provenance's python, numpy and path aside.
      const compared = compareReference(JSON.parse(fs.readFileSync(out, 'utf8')), reference);
      expect(compared.problems).toEqual([]);
      expect(compared.numbers).toBeGreaterThan(300);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('exploding-gradients: the committed reference', () => {
  test('was generated from the kit\'s copy of the lab, and says so', () => {
    const p = (reference as unknown as { provenance: Record<string, string> }).provenance;
    const sha = createHash('sha256').update(fs.readFileSync(LAB)).digest('hex');
    expect(p).toMatchObject({ lab: 'reference/lab/exploding_gradients_notebook.py', labSha256: sha, generatedBy: 'python3 grader/labs/exploding-gradients/oracle.py' });
    expect(p.python).toMatch(/^3\.\d+/);
    expect(p.numpy).toMatch(/^\d+\.\d+/);
  });

  test('its printed block is the lab\'s, as LAB.md quotes it', () => {
    expect(reference.printed).toBe(LAB_PRINTED);
  });

  test('relu and reluGradient over the lab\'s data (numpy\'s own linspace) equal the solution\'s', () => {
    const { data, knobs } = reference;
    expect({ start: data.start, stop: data.stop, num: data.num }).toEqual(knobs.range);
    expect(data.values).toHaveLength(knobs.range.num);
    expectClose(data.values.map(solution.relu), reference.relu, 'relu over the data');
    expectClose(data.values.map(solution.reluGradient), reference.reluGradient, 'reluGradient over the data');
    const r = data.values.map(solution.relu);
    const d = data.values.map(solution.reluGradient);
    expectClose([Math.max(...r), Math.min(...r), Math.max(...d), Math.min(...d)],
      [reference.stats.reluMax, reference.stats.reluMin, reference.stats.reluGradientMax, reference.stats.reluGradientMin], 'the stats');
    expectClose(reference.reluAt.x.map(solution.relu), reference.reluAt.relu, 'relu at the printed points');
    expectClose(reference.reluAt.x.map(solution.reluGradient), reference.reluAt.reluGradient, 'reluGradient at the printed points');
  });

  test('the running product, the norm and the clip examples equal the solution\'s', () => {
    const { growth, knobs } = reference;
    expect({ steps: growth.steps, weight: growth.weight }).toEqual({ steps: knobs.steps, weight: knobs.weight });
    expectClose(solution.simulateGrowth(growth.steps, growth.weight), growth.values, 'simulateGrowth');
    expectClose(solution.l2Norm(reference.norm.v), reference.norm.value, 'l2Norm');
    for (const c of reference.clip) expectClose(solution.clipByNorm(c.grad, c.maxNorm), c.clipped, `clipByNorm(${JSON.stringify(c.grad)}, ${c.maxNorm})`);
  });

  test('figure 3: the gradient carried back, its raw and clipped norms, equal the solution\'s', () => {
    const f = reference.clipping;
    expect(f.maxNorm).toBe(reference.knobs.maxNorm);
    expect(solution.l2Norm(f.gradient)).toBeCloseTo(1, 12);
    const product = solution.simulateGrowth(reference.knobs.steps, reference.knobs.weight);
    const scaled = product.map((w) => f.gradient.map((g) => g * w));
    expectClose(scaled, f.scaled, 'the gradient scaled by each running product');
    expectClose(scaled.map((v) => solution.clipByNorm(v, f.maxNorm)), f.clippedVectors, 'the clipped vectors');
    expectClose(scaled.map(solution.l2Norm), f.raw, 'the raw norms');
    expectClose(scaled.map((v) => solution.l2Norm(solution.clipByNorm(v, f.maxNorm))), f.clipped, 'the clipped norms');
  });

  test('the contract\'s edges equal the solution\'s, and what the lab refuses the solution refuses with a RangeError', () => {
    for (const e of reference.edges.l2Norm) expectClose(solution.l2Norm(e.v), e.value, `l2Norm(${JSON.stringify(e.v)})`);
    for (const e of reference.edges.clipByNorm) expectClose(solution.clipByNorm(e.grad, e.maxNorm), e.clipped, `clipByNorm(${JSON.stringify(e.grad)}, ${e.maxNorm})`);
    for (const e of reference.edges.simulateGrowth) expectClose(solution.simulateGrowth(e.steps, e.weight), e.values, `simulateGrowth(${e.steps}, ${e.weight})`);
    expect(reference.edges.raises.length).toBeGreaterThanOrEqual(9);
    for (const r of reference.edges.raises) {
      expect(r.error).toBe('ValueError');
      expect(() => asCallable(sol[r.fn as Part])(...r.args.map(decodeNumber))).toThrow(RangeError);
    }
  });

  test('the numbers of the printed block are the solution\'s, printed as the lab prints them', () => {
    const { knobs } = reference;
    const x = reference.data.values;
    const growth = solution.simulateGrowth(knobs.steps, knobs.weight);
    const g0 = reference.clipping.gradient;
    const scaled = growth.map((w) => g0.map((g) => g * w));
    const round4 = (v: number): number => Math.round(v * 1e4) / 1e4;
    const fixed3 = (v: number): number => Number(v.toFixed(3));
    const expected = [
      fixed3(Math.max(...x.map(solution.relu))), fixed3(Math.min(...x.map(solution.relu))),
      fixed3(Math.max(...x.map(solution.reluGradient))), fixed3(Math.min(...x.map(solution.reluGradient))),
      ...reference.reluAt.x, ...reference.reluAt.x.map(solution.reluGradient),
      ...growth.flatMap((v, i) => [i + 1, v]),
      ...reference.norm.v, solution.l2Norm(reference.norm.v),
      ...reference.clip.flatMap((c) => [...c.grad, c.maxNorm, ...solution.clipByNorm(c.grad, c.maxNorm)]),
      ...scaled.map((v) => round4(solution.l2Norm(v))),
      ...scaled.map((v) => round4(solution.l2Norm(solution.clipByNorm(v, knobs.maxNorm)))),
    ];
    const printed = [...reference.printed.matchAll(/-?\d+(?:\.\d*)?(?:e[+-]?\d+)?/g)].map((m) => Number(m[0]));
    expectClose(printed, expected, 'the printed block\'s numbers');
  });
});

describe('exploding-gradients: the classic mistakes', () => {
  const hints = JSON.parse(fs.readFileSync(path.join(ROOT, 'grader', 'labs', 'exploding-gradients', 'hints.json'), 'utf8')) as { hints: Record<string, string> };
  const canonical = canonicalCalls();
  const random = [...randomCalls(7, 120), ...randomCalls(424242, 120)];

  test('the ids are the lab\'s, each once, each on a function of the lab, each with a one-line note', () => {
    expect(MISTAKES.map((m) => m.id).sort()).toEqual(Object.keys(SHOWS).sort());
    expect(new Set(MISTAKES.map((m) => m.id)).size).toBe(MISTAKES.length);
    for (const m of MISTAKES) {
      expect(Object.keys(solution)).toContain(m.part);
      expect(m.note).toMatch(/^\S.*\S$/);
      expect(m.note).not.toContain('\n');
    }
  });

  test.each(MISTAKES.map((m) => [m.id, m] as const))('%s: differs from the solution on the lab\'s inputs wherever it should show, and only there', (_, mistake) => {
    const mine = (calls: Call[]): Call[] => calls.filter((c) => c.fn === mistake.part);
    const shows = (c: Call): boolean => observe(sol[c.fn], c.args).threw === undefined && SHOWS[mistake.id](c.args);
    const showing = mine(canonical).filter(shows);
    expect(showing.length).toBeGreaterThan(0);
    for (const calls of [mine(canonical), mine(random)]) {
      for (const call of calls) {
        const same = sameObservation(observe(mistake.fn, call.args), observe(sol[call.fn], call.args));
        if (same === shows(call)) {
          throw new Error(`${mistake.id} on ${show(call)}: it ${same ? 'answers as the solution does where it should show' : 'differs from the solution where it should not show'}`);
        }
      }
    }
  });

  test('nothing in grader/labs/exploding-gradients/ repeats a line of either lab\'s solution bodies', () => {
    // The release ships everything under grader/ that it does not keep back, and its leak check
    // (grader/tools/release.ts, checkRelease) fails on any line of the first lab's solution bodies;
    // once this lab is wired in, on this lab's too.
    const folder = path.join(ROOT, 'grader', 'labs', 'exploding-gradients');
    const lines = ['vanishing-gradients.ts', 'exploding-gradients.ts']
      .flatMap((f) => solutionBodyLines(fs.readFileSync(path.join(ROOT, 'solutions', f), 'utf8')));
    expect(lines.length).toBeGreaterThan(20);
    const files = (fs.readdirSync(folder, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(folder, f)).isFile());
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const text = fs.readFileSync(path.join(folder, file), 'utf8');
      expect({ file, repeats: lines.filter((l) => text.includes(l)) }).toEqual({ file, repeats: [] });
    }
  });

  test('clip-mutates-argument answers with the solution\'s values: only the argument tells it apart', () => {
    const m = MISTAKES.find((x) => x.id === 'clip-mutates-argument')!;
    const [grad, maxNorm] = [reference.clip[0].grad, reference.clip[0].maxNorm];
    const theirs = observe(m.fn, [grad, maxNorm]);
    const ours = observe(solution.clipByNorm, [grad, maxNorm]);
    expectClose(theirs.value, ours.value, 'the values');
    expect(theirs.returnsArgument).toBe(true);
    expect(close(theirs.argumentsAfter[0], grad)).toBe(false);
  });

  test('every mistake and every diagnosis has a hint, every hint a mistake or a diagnosis, and no hint holds code', () => {
    // A diagnosis with variants has a text per variant (`id@variant`) as well as its own.
    const diagnosed = Object.values(DIAGNOSES).flat().flatMap((d) => [d.id, ...(d.variants ?? []).map((v) => `${d.id}@${v}`)]);
    expect(Object.keys(hints.hints).sort()).toEqual([...new Set([...MISTAKES.map((m) => m.id), ...diagnosed])].sort());
    const bodies = solutionBodyLines(fs.readFileSync(SOLUTION_FILE, 'utf8'));
    for (const [id, text] of Object.entries(hints.hints)) {
      expect({ id, text }).toEqual({ id, text: expect.stringMatching(/^\S[\s\S]{40,}\.$/) });
      // No call syntax, braces, assignment or statement ends: the hint names the mistake, never the fix.
      expect({ id, code: text.match(/[{};=]|\w\(|=>/g) }).toEqual({ id, code: null });
      for (const line of bodies) expect(text).not.toContain(line);
    }
  });
});

describe('exploding-gradients: the stubs', () => {
  test('exercises/exploding-gradients.ts is exactly what makeStubs generates from the solution', () => {
    expect(fs.readFileSync(EXERCISE_FILE, 'utf8')).toBe(makeStubs(fs.readFileSync(SOLUTION_FILE, 'utf8')));
  });

  test('they export the functions of the solution, and no line of its bodies', () => {
    expect(Object.keys(exercise).sort()).toEqual(Object.keys(solution).sort());
    expect(Object.keys(solution).sort()).toEqual(['clipByNorm', 'l2Norm', 'relu', 'reluGradient', 'simulateGrowth']);
    const text = fs.readFileSync(EXERCISE_FILE, 'utf8');
    const lines = solutionBodyLines(fs.readFileSync(SOLUTION_FILE, 'utf8'));
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) expect(text).not.toContain(line);
  });

  test.each([
    ['relu', () => exercise.relu(1)],
    ['reluGradient', () => exercise.reluGradient(1)],
    ['l2Norm', () => exercise.l2Norm([3, 4])],
    ['clipByNorm', () => exercise.clipByNorm([3, 4], 1)],
    ['simulateGrowth', () => exercise.simulateGrowth(10, 1.5)],
  ] as const)('%s throws "not implemented yet", naming itself', (name, call) => {
    expect(call).toThrow(new Error(`${name} is not implemented yet`));
  });
});

describe('exploding-gradients: clipByNorm leaves its argument alone', () => {
  test('a new array every time, the argument unchanged, the length at most maxNorm (seeded random gradients)', () => {
    const r = createRandom(31337, 'clipByNorm-property');
    let clipped = 0;
    let within = 0;
    for (let i = 0; i < 500; i++) {
      const grad = randomVector(r, 9);
      const norm = solution.l2Norm(grad);
      const maxNorm = r.next() < 0.1 && norm > 0 ? norm : r.float(0.05, 2) * (norm || 1);
      const before = [...grad];
      // Frozen: writing to it would throw (the solution file is a module, so strict).
      const result = solution.clipByNorm(Object.freeze(grad) as number[], maxNorm);
      expect(result).not.toBe(grad);
      expect(Array.isArray(result)).toBe(true);
      expect(grad.every((v, k) => Object.is(v, before[k])) && grad.length === before.length).toBe(true);
      if (norm > maxNorm) {
        clipped++;
        expect(isClose(solution.l2Norm(result), maxNorm, TOL)).toBe(true);
      } else {
        within++;
        expect(result.every((v, k) => Object.is(v, before[k])) && result.length === before.length).toBe(true);
      }
    }
    // Both sides of the cap were visited.
    expect(clipped).toBeGreaterThan(50);
    expect(within).toBeGreaterThan(50);
  });
});
