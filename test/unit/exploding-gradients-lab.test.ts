/**
 * The second lab's package (grader/labs/exploding-gradients/) in process, without the grader:
 * - its suites' checks, run against the solution (every one passes), the stubs (every one fails,
 *   "not implemented") and each classic mistake (the checks of its part catch it, or say why not);
 *   their expected values come from the numpy reference or the solution, never typed here;
 * - the probe's printed block (the notebook's, to the character, for the solution), its series
 *   and their bounds;
 * - the figures' specs (log scales, the dashed threshold, the legend, a tick per step), the
 *   overlays and the sentences on meaning;
 * - the knobs' checks, groups and flags;
 * - the diagnoses, on mistakes written other ways than the mutants.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as solution from '../../solutions/exploding-gradients';
import * as exercise from '../../exercises/exploding-gradients';
import { LAB } from '../../grader/labs/exploding-gradients';
import { KNOBS, MAX_POINTS, MAX_STEPS, type Knobs } from '../../grader/labs/exploding-gradients/knobs';
import { linspace, numpyArray, type Series } from '../../grader/labs/exploding-gradients/probe';
import { MUTANTS } from '../../grader/labs/exploding-gradients/mutants';
import { DIAGNOSES } from '../../grader/labs/exploding-gradients/diagnoses';
import type { ExplodingReference } from '../../grader/labs/exploding-gradients/reference';
import type { Evidence } from '../../grader/feedback/evidence';
import { seriesCap } from '../../grader/stages/probing';
import { createRandom } from '../../grader/lib/random';
import { isClose } from '../../grader/lib/allclose';
import type { Caller, CallOutcome } from '../../grader/lab-code';

/** The checks the suites register, captured instead of registered with jest. */
const mockChecks: { part: string; visibility: string; title: string; body: () => Promise<void> }[] = [];
let mockPart = '';
jest.mock('../../grader/suites/harness', () => ({
  ...jest.requireActual('../../grader/suites/harness'),
  check: (visibility: string, title: string, body: () => Promise<void>) => mockChecks.push({ part: mockPart, visibility, title, body }),
}));

const ROOT = path.resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PUBLIC, hiddenSuites } = require('../../grader/labs/exploding-gradients/suites') as typeof import('../../grader/labs/exploding-gradients/suites');

const reference = JSON.parse(fs.readFileSync(path.join(ROOT, 'reference', 'exploding-gradients.json'), 'utf8')) as ExplodingReference;
const PARTS = ['relu', 'reluGradient', 'l2Norm', 'clipByNorm', 'simulateGrowth'] as const;
type Fns = Record<string, (...a: any[]) => unknown>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Functions answering as a sandbox does: arguments and values copied (as over the wire), errors by name and message. */
function callerOf(fns: Fns): Caller & { recordTag?: string } {
  const answer = (fn: string, args: unknown[]): CallOutcome => {
    try {
      // As the child does: the answer's value, the arguments the call changed in place, an argument returned itself.
      const given = structuredClone(args);
      const value = fns[fn](...given);
      const changed = given.flatMap((a, i) => (typeof a === 'object' && JSON.stringify(a) !== JSON.stringify(args[i]) ? [i] : []));
      const returnedArgument = given.findIndex((a) => typeof a === 'object' && a !== null && a === value);
      return { kind: 'returned', value: structuredClone(value), ...(changed.length ? { changed } : {}), ...(returnedArgument >= 0 ? { returnedArgument } : {}) } as CallOutcome;
    } catch (err) {
      return { kind: 'threw', error: { name: (err as Error).name, message: (err as Error).message } } as CallOutcome;
    }
  };
  return { call: async (fn, args) => answer(fn, args), callEach: async (fn, list) => list.map((args) => answer(fn, args)) };
}

const hidden = hiddenSuites()!;
for (const part of PARTS) {
  mockPart = part;
  const ctx = {
    sandbox: () => current as never,
    random: (stream: string) => createRandom(1, `${part}/${stream}`),
    solution,
    reference,
  };
  PUBLIC[part](ctx);
  hidden[part](ctx);
}
let current: Caller = callerOf(solution as unknown as Fns);

/** Runs every check of `part` against `fns`: the titles of those that failed, with their messages. */
async function failures(fns: Fns, part?: string): Promise<{ title: string; message: string; outcome: string }[]> {
  current = callerOf(fns);
  const out: { title: string; message: string; outcome: string }[] = [];
  for (const c of mockChecks.filter((k) => part === undefined || k.part === part)) {
    try {
      await c.body();
    } catch (err) {
      out.push({ title: `${c.part} › ${c.visibility}: ${c.title}`, message: (err as Error).message, outcome: (err as { outcome?: string }).outcome ?? 'kit-error' });
    }
  }
  return out;
}

describe('exploding-gradients: the suites', () => {
  test('every part has public and hidden checks, and the refused arguments of the contract are checked', () => {
    for (const part of PARTS) {
      expect(mockChecks.filter((c) => c.part === part && c.visibility === 'public').length).toBeGreaterThanOrEqual(2);
      expect(mockChecks.filter((c) => c.part === part && c.visibility === 'hidden').length).toBeGreaterThanOrEqual(2);
    }
    const refused = reference.edges.raises;
    expect(mockChecks.filter((c) => /RangeError/.test(c.title)).length).toBeGreaterThanOrEqual(refused.length + 2);
  });

  test('the solution passes every check, public and hidden', async () => {
    expect(await failures(solution as unknown as Fns)).toEqual([]);
  });

  test('the stubs fail every check, each saying the function is not implemented', async () => {
    const failed = await failures(exercise as unknown as Fns);
    expect(failed).toHaveLength(mockChecks.length);
    for (const f of failed) expect(f.outcome).toBe('not-implemented');
  });

  test.each(MUTANTS.map((m) => [m.id, m] as const))('%s fails some check of its part and no other part\'s', async (id, m) => {
    const fns = { ...(solution as unknown as Fns), [m.part]: m.run };
    const failed = await failures(fns);
    if (id === 'clip-mutates-argument') {
      // The right values: only the checks of the arguments after the call catch it.
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.every((f) => / in place|itself, not a new array/.test(f.message))).toBe(true);
    }
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((f) => f.title.startsWith(`${m.part} ›`))).toBe(true);
    // Hidden checks never show the expected value: "which is not the right value".
    for (const f of failed.filter((x) => x.title.includes('hidden:'))) expect(f.message).not.toMatch(/expected/);
  });

  test('the growth checks compare relatively: a tiny wrong value for a weight below 1 fails', async () => {
    const tinyWrong = (steps: number, weight: number): number[] => solution.simulateGrowth(steps, weight).map((v) => (weight < 1 ? v * 1.01 : v));
    const failed = await failures({ ...(solution as unknown as Fns), simulateGrowth: tinyWrong }, 'simulateGrowth');
    expect(failed.length).toBeGreaterThan(0);
  });
});

/** The solution's series, probed at the lab's knobs. */
async function solutionProbe(knobs: Knobs = KNOBS.canonical(reference)) {
  const caller = callerOf(solution as unknown as Fns);
  return LAB.probe(caller, knobs, caller);
}

describe('exploding-gradients: the probe', () => {
  test('figure 1\'s data is numpy\'s linspace, to the bit', () => {
    const { start, stop, num } = reference.knobs.range;
    expect(linspace(start, stop, num).every((v, i) => Object.is(v, reference.data.values[i]))).toBe(true);
    expect(linspace(0, 1, 1)).toEqual([0]);
    expect(linspace(0, 1, 0)).toEqual([]);
  });

  test('the solution prints the notebook\'s block, to the character', async () => {
    const { printout, series } = await solutionProbe();
    expect(printout.complete).toBe(true);
    expect(printout.text).toBe(reference.printed);
    expect(printout.text.split('\n')).toContain('step 10 : 57.6650390625');
    expect(series.problems).toEqual({});
    expect(series.growth).toEqual(reference.growth.values);
    const close = (a: number[] | undefined, b: number[]): boolean => !!a && a.length === b.length && a.every((v, i) => isClose(v, b[i], { rtol: 1e-12, atol: 0 }));
    expect(close(series.raw, reference.clipping.raw)).toBe(true);
    expect(close(series.clipped, reference.clipping.clipped)).toBe(true);
    expect(close(series.relu, reference.relu) && close(series.reluGradient, reference.reluGradient)).toBe(true);
  });

  test('arrays print as numpy prints them', () => {
    expect(numpyArray([0, 0, 1])).toBe('[0. 0. 1.]');
    expect(numpyArray(reference.clip[0].clipped)).toBe('[0.6 0.8]');
    expect(numpyArray([0.1, -0.2])).toBe('[ 0.1 -0.2]');
    expect(numpyArray([1.5, 2.25])).toBe('[1.5  2.25]');
  });

  test('a broken function blanks its own lines and series only; figure 3 borrows the solution\'s running product', async () => {
    const broken = { ...(solution as unknown as Fns), simulateGrowth: () => { throw new Error('simulateGrowth is not implemented yet'); } };
    const { printout, series } = await LAB.probe(callerOf(broken), KNOBS.canonical(reference), callerOf(solution as unknown as Fns));
    expect(printout.complete).toBe(false);
    expect(printout.text).toContain('Max of relu : 5.000');
    expect(printout.text).toContain('clip [3, 4] to norm 1 : [0.6 0.8]');
    expect(printout.text).not.toContain('step 1 :');
    expect(printout.text).toMatch(/\(not available: simulateGrowth is not implemented yet\)/);
    expect(series.growth).toBeUndefined();
    expect(series.problems.carried).toMatch(/solution's/);
    expect(series.raw).toHaveLength(reference.knobs.steps);
    expect(LAB.buildFigures(series)[1].placeholder).toBe(true);
    expect(LAB.buildFigures(series)[2].notes.join(' ')).toMatch(/solution's/);
  });

  test('a series longer than the lab\'s is cut to a bound of its size, and the figures say so', async () => {
    const long = { ...(solution as unknown as Fns), simulateGrowth: (steps: number, w: number) => solution.simulateGrowth(steps * 100, w) };
    const { series, printout } = await LAB.probe(callerOf(long), KNOBS.canonical(reference), callerOf(solution as unknown as Fns));
    expect(series.growth).toHaveLength(seriesCap(reference.knobs.steps));
    expect(series.cut?.[0]).toMatch(/gave 1,000 values where the lab has 10/);
    expect(printout.text.split('\n').filter((l) => l.startsWith('step ')).length).toBe(seriesCap(reference.knobs.steps));
    expect(LAB.buildFigures(series)[1].notes[0]).toMatch(/only the first 40/);
  });
});

describe('exploding-gradients: the figures', () => {
  let series: Series;
  beforeAll(async () => {
    series = (await solutionProbe()).series;
  });

  const layersOf = (spec: Record<string, unknown>): Record<string, any>[] => (spec.layer as Record<string, any>[] | undefined) ?? [spec as Record<string, any>]; // eslint-disable-line @typescript-eslint/no-explicit-any

  test('the three figures of LAB.md, in order, none a placeholder for the solution', () => {
    const figures = LAB.buildFigures(series);
    expect(figures.map((f) => f.id)).toEqual(LAB.figures.map((f) => f.id));
    expect(LAB.figures.map((f) => f.title)).toEqual(['ReLU and its Gradient', 'Multiplying Large Numbers', 'Clipping by Norm']);
    for (const f of figures) expect({ id: f.id, placeholder: f.placeholder, notes: f.notes }).toEqual({ id: f.id, placeholder: false, notes: [] });
  });

  test('figure 1: two panels over the data, x "x input data", y "relu(x)" and "gradient"', () => {
    const spec = LAB.buildFigures(series)[0].spec as { hconcat: Record<string, any>[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(spec.hconcat.map((p) => p.title)).toEqual(['relu', 'relu gradient']);
    expect(spec.hconcat.map((p) => p.encoding.y.title)).toEqual(['relu(x)', 'gradient']);
    expect(spec.hconcat.every((p) => p.encoding.x.title === 'x input data' && p.data.values.length === reference.data.num)).toBe(true);
  });

  test('figure 2: log-scale y, a tick at every step, the weight in the legend', () => {
    const spec = LAB.buildFigures(series)[1].spec as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(spec.encoding.y.scale.type).toBe('log');
    expect(spec.encoding.y.title).toBe('Cumulative Gradient');
    expect(spec.encoding.x.title).toBe('Steps');
    expect(spec.encoding.x.axis.values).toEqual(reference.growth.values.map((_, i) => i + 1));
    expect(spec.encoding.color.scale.domain).toEqual([`weight ${reference.knobs.weight}`]);
  });

  test('figure 3: log-scale y, legend raw and clipped, max_norm as a dashed horizontal rule', () => {
    const spec = LAB.buildFigures(series)[2].spec;
    const layers = layersOf(spec);
    const lines = layers.find((l) => l.mark.type === 'line')!;
    expect(lines.encoding.y.scale.type).toBe('log');
    expect(lines.encoding.color.scale.domain).toEqual(['raw', 'clipped']);
    expect(lines.encoding.x.axis.values).toHaveLength(reference.knobs.steps);
    const rule = layers.find((l) => l.mark.type === 'rule')!;
    expect(rule.mark.strokeDash).toEqual(expect.any(Array));
    expect(rule.data.values).toEqual([{ y: reference.knobs.maxNorm }]);
    expect(rule.encoding.x).toBeUndefined();
  });

  test('overlays: yours over the reference on the same scales; without a reference, a note says so', () => {
    const over = LAB.overlayFigures(series, series, {});
    expect(over.map((f) => f.id)).toEqual(LAB.figures.map((f) => f.id));
    const fig3 = layersOf(over[2].spec);
    expect(fig3.filter((l) => l.mark.type === 'line').map((l) => l.data.values[0].who)).toEqual(['reference', 'yours']);
    expect(fig3.some((l) => l.mark.type === 'rule')).toBe(true);
    expect(fig3.find((l) => l.mark.type === 'line')!.encoding.y.scale.type).toBe('log');
    expect(layersOf(over[1].spec)[0].encoding.y.scale.type).toBe('log');
    expect(LAB.overlayFigures(series, undefined, {})[1].notes[0]).toMatch(/no reference/);
    const interactive = LAB.overlayFigures(series, series, { interactive: true });
    expect(JSON.stringify(interactive[2].spec)).toContain('"bind":"scales"');
  });

  test('a growth with values a log scale cannot draw says how many were left out', async () => {
    const s = (await solutionProbe({ ...KNOBS.canonical(reference), weight: -1.5 })).series;
    expect(LAB.buildFigures(s)[1].notes[0]).toMatch(/^5 running product values are 0, negative, not finite or beyond 1e±300/);
    // Near the ends of a double (one value left Vega's log scale blank): left out, and said.
    const extreme = { ...s, growth: s.growth!.map((v, i) => (i === 0 ? 1.2e308 : i === 1 ? 5e-324 : Math.abs(v) + 1)) };
    const figure = LAB.buildFigures(extreme)[1];
    expect(figure.notes[0]).toMatch(/^2 running product values are 0, negative, not finite or beyond 1e±300/);
    expect(JSON.stringify(figure.spec)).not.toMatch(/e\+308|e-324/);
  });

  test('meaning: nothing for the solution; the mistakes are said where the figures show them', async () => {
    const solutionFns = solution as unknown as Fns;
    expect(Object.values(LAB.describeDifferences(series, solutionFns)).flat()).toEqual([]);
    const rescales = MUTANTS.find((m) => m.id === 'clip-rescales-within')!;
    const adds = MUTANTS.find((m) => m.id === 'growth-adds')!;
    const oneAtZero = MUTANTS.find((m) => m.id === 'relu-gradient-one-at-zero')!;
    const fns = { ...solutionFns, clipByNorm: rescales.run, simulateGrowth: adds.run, reluGradient: oneAtZero.run };
    const caller = callerOf(fns);
    const s = (await LAB.probe(caller, { ...KNOBS.canonical(reference), range: { start: -1, stop: 1, num: 3 } }, callerOf(solutionFns))).series;
    const said = LAB.describeDifferences(s, solutionFns);
    expect(said['1-relu-and-its-gradient'].join(' ')).toMatch(/relu gradient differs from the reference at 1 of 3 points \(the first at x = 0\)/);
    expect(said['2-multiplying-large-numbers'].join(' ')).toMatch(/differs from the reference from step 1 on/);
    expect(said['3-clipping-by-norm'].join(' ')).toMatch(/within max_norm 5, yet your clipping changes it/);
  });
});

describe('exploding-gradients: the knobs', () => {
  const lab = KNOBS.canonical(reference);

  test('the lab\'s knobs are the reference\'s', () => {
    expect(lab).toEqual(reference.knobs);
    expect(KNOBS.describe(lab)).toBe('data linspace(-5, 5, 100) · growth: 10 steps at weight 1.5 · clipping at max_norm 5');
    expect(KNOBS.check(KNOBS.asText(lab), lab)).toEqual({ ok: true, knobs: lab });
    expect(KNOBS.check({}, lab)).toEqual({ ok: true, knobs: lab });
  });

  test('every knob is in one group and set by one flag', () => {
    const names = Object.keys(KNOBS.asText(lab)).sort();
    expect(KNOBS.groups.flatMap((g) => g.knobs.map((k) => k.name)).sort()).toEqual(names);
    expect(KNOBS.flags.flatMap((f) => f.names).slice().sort()).toEqual(names);
    expect(KNOBS.flags.map((f) => f.flag)).toEqual(['--weight', '--steps', '--max-norm', '--range']);
    for (const f of KNOBS.flags) expect(f.usage.startsWith(f.flag)).toBe(true);
  });

  test('values typed are checked one by one, each with its own message', () => {
    const wrong = (raw: Record<string, string>): Record<string, string> => {
      const r = KNOBS.check(raw, lab);
      return r.ok ? {} : r.problems;
    };
    expect(Object.keys(wrong({ steps: '0', maxNorm: '0', num: '1', weight: 'abc' })).sort()).toEqual(['maxNorm', 'num', 'steps', 'weight']);
    expect(wrong({ steps: '2.5' }).steps).toMatch(/whole number from 1 to/);
    expect(wrong({ steps: String(MAX_STEPS + 1) }).steps).toMatch(/whole number/);
    expect(wrong({ num: String(MAX_POINTS + 1) }).num).toMatch(/whole number/);
    expect(wrong({ maxNorm: '-1' }).maxNorm).toMatch(/greater than 0/);
    expect(wrong({ maxNorm: 'Infinity' }).maxNorm).toMatch(/not a number/);
    expect(wrong({ start: '5', stop: '5' }).stop).toMatch(/above the start/);
    const ok = KNOBS.check({ weight: '0.5', steps: '20', maxNorm: '2', start: '-1', stop: '3', num: '9' }, lab);
    expect(ok).toEqual({ ok: true, knobs: { weight: 0.5, steps: 20, maxNorm: 2, range: { start: -1, stop: 3, num: 9 } } });
  });
});

describe('exploding-gradients: the diagnoses, on mistakes written other ways than the mutants', () => {
  /** Evidence as the hints build it: each call's answer from the student and the solution. */
  function evidence(part: string, impl: (...a: any[]) => unknown, argsList: unknown[][]): Evidence<unknown[]>[] { // eslint-disable-line @typescript-eslint/no-explicit-any
    const right = (solution as unknown as Fns)[part];
    const close = (a: unknown, b: unknown): boolean => (typeof b === 'number' ? typeof a === 'number' && isClose(a, b, part === 'simulateGrowth' ? { rtol: 1e-9, atol: 0 } : undefined)
      : Array.isArray(b) && Array.isArray(a) && a.length === b.length && b.every((v, i) => close(a[i], v)));
    return argsList.flatMap((args) => {
      let got: unknown;
      try {
        got = impl(...structuredClone(args));
      } catch {
        return [];
      }
      const expected = right(...structuredClone(args));
      return [{ args, got, expected, differs: !close(got, expected) }];
    });
  }
  const named = (part: string, ev: Evidence<unknown[]>[]): string[] => {
    if (!ev.some((e) => e.differs)) return [];
    const mistakes = DIAGNOSES[part].filter((d) => d.strength === 'mistake').flatMap((d) => d.find(ev) ?? []).map((f) => f.id);
    return mistakes.length ? mistakes : DIAGNOSES[part].filter((d) => d.strength === 'observation').flatMap((d) => d.find(ev) ?? []).map((f) => f.id).slice(0, 1);
  };
  const rng = createRandom(7, 'diagnoses');
  const vector = (): number[] => Array.from({ length: rng.int(1, 6) }, () => (rng.next() < 0.2 ? 0 : +rng.float(-10, 10).toFixed(3)));
  const clipCalls: unknown[][] = [
    ...reference.clip.map((c) => [c.grad, c.maxNorm]), ...reference.edges.clipByNorm.map((c) => [c.grad, c.maxNorm]),
    ...Array.from({ length: 12 }, () => { const v = vector(); return [v, +(solution.l2Norm(v) * rng.float(0.1, 3)).toPrecision(3) || 1]; }),
  ];
  const normCalls: unknown[][] = [[reference.norm.v], ...reference.edges.l2Norm.map((e) => [e.v]), ...Array.from({ length: 10 }, () => [vector()])];
  const growthCalls: unknown[][] = [[10, 1.5], ...reference.edges.simulateGrowth.map((g) => [g.steps, g.weight]), ...Array.from({ length: 8 }, () => [rng.int(0, 30), +rng.float(-2.5, 2.5).toFixed(3)])];
  const gradientCalls: unknown[][] = [...reference.data.values.map((x) => [x]), [-2], [0], [3]];
  const checked = (m: number): void => { if (!(Number.isFinite(m) && m > 0)) throw new RangeError('maxNorm'); };

  test.each([
    ['clipByNorm', 'clip-each-element', (g: number[], m: number) => { checked(m); return g.map((x) => Math.max(-m, Math.min(m, x))); }, clipCalls],
    ['clipByNorm', 'clip-rescales-within', (g: number[], m: number) => { checked(m); const n = Math.hypot(...g); return n === 0 ? [...g] : g.map((x) => x / (n / m)); }, clipCalls],
    ['clipByNorm', 'clip-factor-inverted', (g: number[], m: number) => { checked(m); const n = Math.hypot(...g); return g.map((x) => (n > m ? x / (m / n) : x)); }, clipCalls],
    ['l2Norm', 'norm-without-sqrt', (v: number[]) => Math.hypot(...v) ** 2, normCalls],
    ['l2Norm', 'norm-l1', (v: number[]) => v.reduce((s, x) => s + (x < 0 ? -x : x), 0), normCalls],
    ['reluGradient', 'relu-gradient-one-at-zero', (x: number) => (x < 0 ? 0 : 1), gradientCalls],
    ['simulateGrowth', 'growth-keeps-initial-one', (s: number, w: number) => { if (!Number.isInteger(s) || s < 0) throw new RangeError('s'); return Array.from({ length: s }, (_, k) => w ** k); }, growthCalls],
    ['simulateGrowth', 'growth-keeps-initial-one', (s: number, w: number) => { if (!Number.isInteger(s) || s < 0) throw new RangeError('s'); return [1, ...solution.simulateGrowth(s, w)]; }, growthCalls],
    ['simulateGrowth', 'growth-adds', (s: number, w: number) => { if (!Number.isInteger(s) || s < 0) throw new RangeError('s'); return Array.from({ length: s }, (_, k) => w * (k + 1)); }, growthCalls],
    ['simulateGrowth', 'growth-wrong-length', (s: number, w: number) => solution.simulateGrowth(s + 2, w), growthCalls],
    ['relu', 'relu-negative', (x: number) => x, gradientCalls],
    ['reluGradient', 'relu-gradient-not-step', (x: number) => solution.relu(x), gradientCalls],
  ] as const)('%s: %s', (part, id, impl, calls) => {
    expect(named(part, evidence(part, impl as (...a: any[]) => unknown, calls as unknown[][]))).toEqual([id]); // eslint-disable-line @typescript-eslint/no-explicit-any
  });

  test('correct implementations written unusually are never diagnosed', () => {
    const correct: [string, (...a: any[]) => unknown, unknown[][]][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
      ['l2Norm', (v: number[]) => Math.hypot(...v), normCalls],
      ['clipByNorm', (g: number[], m: number) => { checked(m); const n = Math.hypot(...g); return n > m ? g.map((x) => (x / n) * m) : [...g]; }, clipCalls],
      ['simulateGrowth', (s: number, w: number) => Array.from({ length: s }, (_, k) => w ** (k + 1)), growthCalls],
      ['reluGradient', (x: number) => Number(x > 0), gradientCalls],
    ];
    for (const [part, impl, calls] of correct) expect({ part, named: named(part, evidence(part, impl, calls)) }).toEqual({ part, named: [] });
  });

  test('an argument changed by the call, or returned itself, is named once the evidence carries what the sandbox reports', () => {
    const diagnosis = DIAGNOSES.clipByNorm.find((d) => d.id === 'clip-mutates-argument')!;
    const call = { args: [[3, 4], 1], got: [0.6, 0.8], expected: [0.6, 0.8], differs: false };
    expect(diagnosis.find([call])).toBeUndefined();
    expect(diagnosis.find([{ ...call, changed: [0] } as Evidence<unknown[]>])).toEqual({ id: 'clip-mutates-argument' });
    expect(diagnosis.find([{ ...call, returnedArgument: 0 } as Evidence<unknown[]>])).toEqual({ id: 'clip-mutates-argument' });
  });
});
