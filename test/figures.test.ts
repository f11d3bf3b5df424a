/**
 * The figures, drawn for the solutions with the lab's knobs, against committed golden PNGs, pixel
 * for pixel; and the same bytes whatever fontconfig the machine has. Regenerate the goldens with
 * UPDATE_GOLDENS=1 npm test -- figures (then look at them: test/goldens/figures/).
 * The renderer is a process of its own (vega is ESM-only): these tests drive it like the grader.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as solution from '../solutions/vanishing-gradients';
import { Renderer } from '../grader/render/client';
import { snapshotFor } from '../grader/lib/snapshots';
import { RENDERER_V8_FLAGS } from '../grader/render/flags';
import { argvOf, ensureSnapshots, notASnapshot } from './support/snapshots';
import { buildFigures, FIGURES } from '../grader/labs/vanishing-gradients/figures';
import { droppedNote, finitePoints, HEIGHT, noteLines, placeholder, WIDTH, type FigureSpec } from '../grader/render/chart';
import { describeRegion } from '../grader/render/meaning';
import { describeDifferences } from '../grader/labs/vanishing-gradients/meaning';
import { NO_REFERENCE_NOTE, REFERENCE_COLOUR, YOURS_COLOUR } from '../grader/render/overlay';
import { overlayFigures } from '../grader/labs/vanishing-gradients/overlay';
import { canonicalKnobs, probe, type LabSeries } from '../grader/labs/vanishing-gradients/probe';
import type { Reference } from '../grader/labs/vanishing-gradients/types';
import { answersCaller } from '../grader/stages/probing';
import { loadAnswers } from '../grader/lib/answers';
import { loadReference } from '../grader/lib/reference';

const GOLDENS = path.join(__dirname, 'goldens', 'figures');
const UPDATE = process.env.UPDATE_GOLDENS === '1';
const reference = loadReference<Reference>();
const knobs = canonicalKnobs(reference);
let series: LabSeries;
let renderer: Renderer;

// The goldens are drawn with a folder of compiled figures of their own (render/runtimes.ts), empty
// at first: nothing kept by an earlier build or run draws them.
const runtimesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-figures-runtimes-'));

beforeAll(async () => {
  ensureSnapshots();
  series = (await probe(answersCaller(loadAnswers()), knobs, answersCaller(loadAnswers()))).series;
  renderer = new Renderer({ ...process.env, VG_RENDER_RUNTIMES: runtimesDir });
});
afterAll(() => {
  renderer.close();
  fs.rmSync(runtimesDir, { recursive: true, force: true });
});

async function expectGolden(name: string, png: Buffer): Promise<void> {
  const file = path.join(GOLDENS, `${name}.png`);
  if (UPDATE) fs.writeFileSync(file, png);
  if (!fs.existsSync(file)) throw new Error(`no golden ${name}.png: run UPDATE_GOLDENS=1 npm test -- figures`);
  expect({ name, differingPixels: await renderer.compare(png, fs.readFileSync(file)) }).toEqual({ name, differingPixels: 0 });
}

describe('the lab figures, drawn for the solutions', () => {
  test.each(FIGURES.map((f, i) => [f.id, i]))('%s matches its golden PNG pixel for pixel', async (id, i) => {
    const figure = buildFigures(series)[i as number];
    expect(figure.placeholder).toBe(false);
    expect(figure.notes).toEqual([]);
    await expectGolden(id as string, await renderer.chart(figure.spec));
  });

  test('a placeholder says why nothing could be drawn', async () => {
    const figure = placeholder('1-sigmoid-steepest-point', 'Sigmoid Steepest Point', ['sigmoid is not implemented yet']);
    await expectGolden('placeholder', await renderer.chart(figure.spec));
  });

  test('a placeholder draws hidden characters escaped, cuts a word longer than a line, and keeps the figure\'s size', async () => {
    const lines = (reasons: string[]): string[] => (placeholder('x', 'T', reasons).spec as { data: { values: { text: string[] }[] } }).data.values[0].text;
    // A right-to-left override drawn raw reversed what followed it: "001/001 :erocS" read "Score: 100/100".
    expect(lines(['sigmoid threw Error: \u202e001/001 :erocS\u0001 \ud800 x\u0085y'])).toEqual(['Nothing to draw:', 'sigmoid threw Error: \\u202e001/001', ':erocS\\x01 \\ud800 x y']);
    const long = lines([`simulateDecay threw Error: ${'W'.repeat(3000)}`]);
    // W is the widest letter: 13 px at most, and a line holds no more than the plot's width does.
    expect(long.slice(2, -1).every((l) => l.length * 13 <= WIDTH - 20 && l.length * 13 > WIDTH - 40)).toBe(true);
    expect(long.at(-1)).toBe('…');
    expect(long.length).toBeLessThanOrEqual(Math.floor((HEIGHT - 10) / 18));
    const wide = await renderer.chart(placeholder('4-multiplying-small-numbers', 'Multiplying Small Numbers', [`simulateDecay threw Error: ${'W'.repeat(3000)}`]).spec);
    const usual = await renderer.chart(placeholder('4-multiplying-small-numbers', 'Multiplying Small Numbers', ['simulateDecay threw Error: boom']).spec);
    expect(wide.readUInt32BE(16)).toBe(usual.readUInt32BE(16));
  });

  test('values too large for a linear axis (near ±1.7e308) are left out with a note, and the notes of figure 2 are drawn above its panels', async () => {
    // One value reaching ±9e307 made every axis tick read NaN: Vega's span overflowed to Infinity.
    const huge = series.x.map((_, i) => (i % 2 ? 1.7e308 : -1.7e308));
    const wild: LabSeries = { ...series, x: huge, tangent: { ...series.tangent!, point: { x: 1.7e308, y: 0.5 } } };
    const [steep, panels] = buildFigures(wild);
    // The sigmoid's values are fine: the x values they pair with are to blame.
    expect(steep.notes).toEqual([`${huge.length} sigmoid values were left out: their x values were not finite or beyond ±1e300`]);
    expect(droppedNote({ dropped: 1, byX: 1 }, 'tangent')).toEqual(['1 tangent value was left out: its x value was not finite or beyond ±1e300']);
    // An x that is not finite is the x's fault too; a mix says which is which.
    expect(droppedNote(finitePoints([0, Infinity, 2, NaN], [0.5, 0.7, NaN, 0.9]), 'sigmoid')).toEqual(['3 sigmoid values are left out: 1 was not finite (NaN or Infinity), 2 for their x values (not finite or beyond ±1e300)']);
    expect(JSON.stringify(steep.spec)).not.toContain('1.7e+308');
    expect(panels.notes[0]).toBe(`${huge.length} of the x values were too large to draw (beyond ±1e300) and are left out`);
    // Vega draws no title whose text is empty, nor its subtitle: the notes are the title's text.
    // (Wrapped to the panels' width: the lines read as the notes.)
    expect((panels.spec.title as { text: string[] }).text.join(' ')).toBe(panels.notes.join(' '));
    await expectGolden('too-large-values-2-subplots', await renderer.chart(panels.spec));
    await expectGolden('too-large-values-1-sigmoid-steepest-point', await renderer.chart(steep.spec));
  });

  test('a note the figures get once built (the x borrowed from the solution) is drawn first, and counted past three', () => {
    const borrowed = 'linspace threw Error: boom; the figures plot the solution\'s x';
    const [steep, panels, compression] = buildFigures({ ...series, tangent: undefined, problems: { x: borrowed, tangent: 'tangent threw Error: t' } });
    expect(steep.notes).toEqual([borrowed, 'no tangent: tangent threw Error: t']);
    // (Wrapped: the lines read as the notes.)
    expect((steep.spec.title as { subtitle: string[] }).subtitle.join(' ')).toBe(steep.notes.join(' '));
    // Figure 2 had no note of its own: its panels get a title that is the note.
    expect((panels.spec.title as { text: string[] }).text.join(' ')).toBe(borrowed);
    expect((compression.spec.title as { subtitle: string[] }).subtitle.join(' ').startsWith(borrowed)).toBe(true);
    const many = buildFigures({ ...series, sigmoid: [...series.sigmoid!.map((v, i) => (i % 7 ? v : NaN)), 0.5], tangent: { ...series.tangent!, y: [...series.tangent!.y, 1] }, problems: { x: borrowed } })[0];
    expect(many.notes.length).toBe(4);
    expect((many.spec.title as { subtitle: string[] }).subtitle.at(-1)).toBe('(1 more note: see the report)');
  });

  test('a long note is wrapped to the figure\'s width, two lines at most: the figure is as wide as with a short one', async () => {
    const long = `threw Error: ${'a rather long word '.repeat(30)}${'W'.repeat(300)}`;
    // Figure 1's notes are its subtitle; figure 2's, its title (over the panels).
    const cases = [
      { lines: (f: FigureSpec) => (f.spec.title as { subtitle: string[] }).subtitle, figure: (why: string) => buildFigures({ ...series, tangent: undefined, problems: { tangent: `tangent ${why}` } })[0] },
      { lines: (f: FigureSpec) => (f.spec.title as { text: string[] }).text, figure: (why: string) => buildFigures({ ...series, sigmoid: undefined, gradient: undefined, problems: { sigmoid: `sigmoid ${why}`, gradient: 'not tried' } })[1] },
    ];
    for (const { lines, figure } of cases) {
      const wide = figure(long);
      expect(lines(wide).length).toBeLessThanOrEqual(6);
      expect(lines(wide).some((l) => l.endsWith('…'))).toBe(true);
      const [drawn, usual] = await Promise.all([renderer.chart(wide.spec), renderer.chart(figure('threw Error: boom').spec)]);
      // A PNG's width is the big-endian word at byte 16.
      expect({ id: wide.id, width: drawn.readUInt32BE(16) }).toEqual({ id: wide.id, width: usual.readUInt32BE(16) });
    }
  });

  test('the same bytes with the machine\'s fontconfig pointed at an empty configuration', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-empty-fontconfig-'));
    fs.writeFileSync(path.join(empty, 'fonts.conf'), '<?xml version="1.0"?>\n<fontconfig></fontconfig>\n');
    const bare = new Renderer({ ...process.env, FONTCONFIG_FILE: path.join(empty, 'fonts.conf'), FONTCONFIG_PATH: empty, XDG_CONFIG_HOME: empty, XDG_DATA_HOME: empty });
    try {
      const spec = buildFigures(series)[0].spec;
      const [a, b] = await Promise.all([renderer.chart(spec), bare.chart(spec)]);
      expect(a.equals(b)).toBe(true);
    } finally {
      bare.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  test('a renderer started from the build\'s snapshot draws the very bytes of one started from its script', async () => {
    // (The goldens above are drawn by the renderer the grader starts: from the snapshot.)
    const plain = new Renderer(process.env, undefined, () => undefined);
    try {
      for (const spec of [buildFigures(series)[1].spec, placeholder('3-visualizing-compression', 'Visualizing Compression', ['sigmoid threw RangeError: deep']).spec]) {
        const [a, b] = await Promise.all([renderer.chart(spec), plain.chart(spec)]);
        expect(a.equals(b)).toBe(true);
      }
      expect(argvOf(renderer.pid)).toContain('--snapshot-blob');
      expect(argvOf(plain.pid)).not.toContain('--snapshot-blob');
    } finally {
      plain.close();
    }
  });

  test('a snapshot Node refuses loses no figure: the requests already sent are drawn by a renderer started from its script', async () => {
    const bad = notASnapshot();
    const r = new Renderer(process.env, undefined, () => bad.blob);
    try {
      const specs = buildFigures(series).map((f) => f.spec);
      // Sent at once, before the process has said whether it could start.
      const drawn = await Promise.all(specs.map((spec) => r.chart(spec)));
      for (const [i, png] of drawn.entries()) expect({ i, differing: await renderer.compare(png, await renderer.chart(specs[i])) }).toEqual({ i, differing: 0 });
      expect(argvOf(r.pid)).not.toContain('--snapshot-blob');
    } finally {
      r.close();
      bad.remove();
    }
  });

  test('a renderer closed before it said it was ready was ended, it did not fail: no other is started, and the snapshot stays in use', async () => {
    const r = new Renderer();
    r.warm();
    const pid = r.pid!;
    process.kill(pid, 'SIGSTOP'); // never ready, as on a machine too busy to start it in time
    r.close(); // killed two seconds later
    await new Promise((done) => setTimeout(done, 3000));
    expect(r.pid).toBe(pid);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(snapshotFor('renderer', [...RENDERER_V8_FLAGS])).toBeDefined();
  });

  test('the same spec gives the same bytes twice', async () => {
    const spec = buildFigures(series)[2].spec;
    expect((await renderer.chart(spec)).equals(await renderer.chart(spec))).toBe(true);
  });
});

describe('figures from broken series', () => {
  test('values that are not finite are dropped, with a note; missing series say why', () => {
    const broken: LabSeries = {
      ...series,
      sigmoid: series.sigmoid!.map((v, i) => (i % 10 === 0 ? NaN : v)),
      gradient: undefined,
      tangent: undefined,
      problems: { gradient: 'sigmoidGradient is not implemented yet', tangent: 'tangent threw RangeError: x' },
    };
    const [steep, panels, compression] = buildFigures(broken);
    expect(steep.notes).toEqual(['10 sigmoid values were not finite (NaN or Infinity) and are left out', 'no tangent: tangent threw RangeError: x']);
    expect(panels.notes).toContain('sigmoid gradient: sigmoidGradient is not implemented yet');
    expect(compression.notes).toContain('no sigmoid gradient: sigmoidGradient is not implemented yet');
    // A lab written before the bound on large values gives a bare count: still worded.
    expect(droppedNote(1, 'square')).toEqual(['1 square value was not finite (NaN or Infinity) and is left out']);
    expect(droppedNote({ dropped: 3, tooLarge: 1 }, 'x values')).toEqual(['3 of the x values were not finite (NaN or Infinity), or too large to draw (beyond ±1e300) and are left out']);
    const decay = buildFigures({ ...series, decay: undefined, problems: { decay: 'simulateDecay is not implemented yet' } })[3];
    expect(decay.placeholder).toBe(true);
  });

  test('the y-limit knob sets the compression figure\'s y domain', () => {
    const spec = buildFigures({ ...series, knobs: { ...knobs, ylim: [-0.5, 1.5] } })[2].spec as { encoding: { y: { scale: { domain: number[] } } } };
    expect(spec.encoding.y.scale.domain).toEqual([-0.5, 1.5]);
  });
});

describe('feedback on meaning', () => {
  test('regions along x, in words', () => {
    const xs = [-2, -1, 0, 1, 2];
    expect(describeRegion(xs, [true, true, true, true, true])).toBe('for every x');
    expect(describeRegion(xs, [true, true, true, false, false])).toBe('for x < 0.5');
    expect(describeRegion(xs, [false, false, true, true, true])).toBe('for x > -0.5');
    expect(describeRegion([-3, -2, -1, 0, 1, 2, 3], [false, true, true, true, false, false, false])).toBe('for x between -2 and 0');
    expect(describeRegion(xs, [true, false, true, false, false])).toBe('at 2 of 5 points (the first at x = -2)');
  });

  test('the solution gets no remark; a sigmoid wrong for x < 0 is told so; a decay with an extra 1 too', () => {
    expect(Object.values(describeDifferences(series, solution)).flat()).toEqual([]);
    const halfWrong = { ...series, sigmoid: series.x.map((v) => (v < 0 ? 0.5 : solution.sigmoid(v))) };
    expect(describeDifferences(halfWrong, solution)['1-sigmoid-steepest-point']).toEqual(['your sigmoid differs from the reference for x < 0']);
    const extraOne = { ...series, decay: [1, ...series.decay!.slice(0, -1)] };
    expect(describeDifferences(extraOne, solution)['4-multiplying-small-numbers']).toEqual(['your cumulative gradient differs from the reference from step 1 on']);
  });
});

describe('yours drawn over the reference', () => {
  // A classic mistake: the sigmoid mirrored (1 - sigmoid), with everything that follows from it.
  const mirrored = (): LabSeries => ({ ...series, sigmoid: series.x.map((v) => 1 - solution.sigmoid(v)) });
  type Layer = { data: { values: { who: string }[] }; mark: { strokeWidth?: number }; encoding: { color: { scale: { domain: string[]; range: string[] } } }; params?: { name: string; bind: string }[] };
  const layersOf = (spec: Record<string, unknown>): Layer[] => spec.layer as Layer[];

  test.each([0, 2])('figure %i matches its golden PNG pixel for pixel', async (i) => {
    await expectGolden(`overlay-${FIGURES[i].id}`, await renderer.chart(overlayFigures(mirrored(), series)[i].spec));
  });

  test('two labelled colours, the reference drawn first (under) and wider, yours on top', () => {
    for (const i of [0, 2, 3]) {
      const layers = layersOf(overlayFigures(mirrored(), series)[i].spec).filter((l) => (l.mark as { type?: string }).type === 'line');
      expect(layers.map((l) => l.data.values[0].who)).toEqual(['reference', 'yours']);
      expect(layers[0].mark.strokeWidth).toBeGreaterThan(layers[1].mark.strokeWidth!);
      expect(layers[0].encoding.color.scale).toEqual({ domain: ['yours', 'reference'], range: [YOURS_COLOUR, REFERENCE_COLOUR] });
    }
  });

  test('in a browser: zoom bound to the scales of every chart and panel, tooltips on the points', () => {
    const specs = overlayFigures(mirrored(), series, { interactive: true });
    const text = JSON.stringify(specs.map((f) => f.spec));
    expect(text.match(/"bind":"scales"/g)).toHaveLength(6);
    expect(JSON.stringify(overlayFigures(mirrored(), series).map((f) => f.spec))).not.toContain('"bind"');
    expect(text).toContain('"tooltip":[{"field":"who"');
  });

  test('without a reference (other knobs, in the student release) only yours is drawn, and the figure says why', () => {
    const [steep] = overlayFigures(mirrored(), undefined);
    expect(steep.notes).toContain(NO_REFERENCE_NOTE);
    expect(layersOf(steep.spec).every((l) => l.data.values.every((v) => v.who === 'yours'))).toBe(true);
  });

  test('a panel of figure 2 where yours has nothing shows the reference alone and says so under its title', () => {
    const none: LabSeries = { ...series, sigmoid: undefined, gradient: undefined, problems: { sigmoid: 'sigmoid is not implemented yet', gradient: 'not tried' } };
    const panels = (overlayFigures(none, series)[1].spec as { hconcat: { title: unknown; layer: Layer[] }[] }).hconcat;
    expect(panels.map((p) => p.title)).toEqual(['x values', { text: 'sigmoid', subtitle: 'yours: nothing to draw' }, { text: 'sigmoid gradient', subtitle: 'yours: nothing to draw' }]);
    expect(panels[1].layer.map((l) => l.data.values[0].who)).toEqual(['reference']);
  });

  test('the share of pixels that differ: none for the same figure, some for the mirrored one', async () => {
    const [mine, theirs] = await Promise.all([buildFigures(mirrored())[0], buildFigures(series)[0]].map((f) => renderer.chart(f.spec)));
    expect(await renderer.share(theirs, theirs)).toBe(0);
    const share = await renderer.share(mine, theirs);
    expect(share).toBeGreaterThan(0.005);
    expect(share).toBeLessThan(0.2);
  });

  test('a figure drawn with its share against the reference: the same PNG, and the share its PNG gives (every figure, yours and the overlay)', async () => {
    const mirror = mirrored();
    const pairs = [
      ...buildFigures(mirror).map((f, i) => [f.spec, buildFigures(series)[i].spec]),
      ...overlayFigures(mirror, series).map((f, i) => [f.spec, buildFigures(series)[i].spec]),
    ];
    for (const [spec, referenceSpec] of pairs) {
      const [alone, theirs] = await Promise.all([renderer.chart(spec), renderer.chart(referenceSpec)]);
      const drawn = await renderer.chartAgainst(spec, theirs);
      expect(drawn.png.equals(alone)).toBe(true);
      expect(drawn.share).toBe(await renderer.share(alone, theirs));
    }
    expect(pairs.length).toBe(2 * FIGURES.length);
  });
});

describe('a figure compiled once by its shape (render/runtimes.ts)', () => {
  const mirrored = (): LabSeries => ({ ...series, sigmoid: series.x.map((v) => 1 - solution.sigmoid(v)) });
  const specs = (): unknown[] => [
    ...buildFigures(series).map((f) => f.spec),
    ...buildFigures(mirrored()).map((f) => f.spec),
    ...overlayFigures(mirrored(), series).map((f) => f.spec),
    placeholder('3-visualizing-compression', 'Visualizing Compression', ['sigmoid threw RangeError: deep']).spec,
  ];

  test('drawn from its spec, from a shape compiled now, kept in memory, or read from disk by another renderer: the very same bytes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-runtimes-'));
    const direct = new Renderer({ ...process.env, VG_RENDER_RUNTIMES: 'off' });
    const first = new Renderer({ ...process.env, VG_RENDER_RUNTIMES: dir });
    const second = new Renderer({ ...process.env, VG_RENDER_RUNTIMES: dir });
    try {
      const all = specs();
      const asIs = await Promise.all(all.map((spec) => direct.chart(spec)));
      for (const [i, spec] of all.entries()) {
        expect({ i, compiledNow: (await first.chart(spec)).equals(asIs[i]) }).toEqual({ i, compiledNow: true });
        expect({ i, inMemory: (await first.chart(spec)).equals(asIs[i]) }).toEqual({ i, inMemory: true });
      }
      // One file per shape: the mirrored figures share the solution's shapes, the overlays and the placeholder have their own.
      const files = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
      expect(files.length).toBe(FIGURES.length * 2 + 1);
      for (const [i, spec] of all.entries()) expect({ i, fromDisk: (await second.chart(spec)).equals(asIs[i]) }).toEqual({ i, fromDisk: true });
    } finally {
      for (const r of [direct, first, second]) r.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('what is kept is what draws: a runtime planted on disk is drawn by a new renderer, and not by one that holds the shape in memory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-runtimes-'));
    const direct = new Renderer({ ...process.env, VG_RENDER_RUNTIMES: 'off' });
    const first = new Renderer({ ...process.env, VG_RENDER_RUNTIMES: dir });
    let second: Renderer | undefined;
    try {
      const mine = buildFigures(series)[0].spec as Record<string, unknown>;
      const retitled = { ...mine, title: { text: 'Another title' } };
      await first.chart(mine);
      const [mineFile] = fs.readdirSync(dir);
      await first.chart(retitled);
      const retitledFile = fs.readdirSync(dir).find((n) => n !== mineFile)!;
      // The retitled shape's runtime, under the key of the figure's own shape.
      fs.copyFileSync(path.join(dir, retitledFile), path.join(dir, mineFile));
      const [asIs, asRetitled] = await Promise.all([direct.chart(mine), direct.chart(retitled)]);
      expect((await first.chart(mine)).equals(asIs)).toBe(true); // held in memory: the file is not read again
      second = new Renderer({ ...process.env, VG_RENDER_RUNTIMES: dir });
      expect((await second.chart(mine)).equals(asRetitled)).toBe(true); // read from the file
    } finally {
      for (const r of [direct, first, second]) r?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('series with nothing to draw: two empty datasets are one source, as Vega-Lite makes them from the spec (figure 1 of a sigmoid that gives NaN everywhere)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-runtimes-'));
    const direct = new Renderer({ ...process.env, VG_RENDER_RUNTIMES: 'off' });
    const kept = new Renderer({ ...process.env, VG_RENDER_RUNTIMES: dir });
    try {
      const empty = { data: { values: [] }, mark: 'line', encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } };
      const nan = series.x.map(() => NaN);
      const specs = [{ layer: [empty, empty] }, buildFigures({ ...series, sigmoid: nan, gradient: nan })[0].spec];
      for (const [i, spec] of specs.entries()) {
        const [a, b] = await Promise.all([direct.chart(spec), kept.chart(spec)]);
        expect({ i, differing: await direct.compare(a, b) }).toEqual({ i, differing: 0 });
      }
    } finally {
      for (const r of [direct, kept]) r.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a runtime file that is damaged, not a runtime, or a runtime that fails to draw is compiled again, and the figure is the same', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-runtimes-'));
    const spec = buildFigures(series)[0].spec;
    const filler = new Renderer({ ...process.env, VG_RENDER_RUNTIMES: dir });
    let reader: Renderer | undefined;
    try {
      const expected = await filler.chart(spec);
      filler.close();
      const [file] = fs.readdirSync(dir);
      for (const damage of ['{"operators": ', '{"no": "operators"}', 'null', '{"operators": []}', '{"operators": [{"id": 0, "type": "nothing-vega-knows"}]}']) {
        fs.writeFileSync(path.join(dir, file), damage);
        reader = new Renderer({ ...process.env, VG_RENDER_RUNTIMES: dir });
        expect({ damage, same: (await reader.chart(spec)).equals(expected) }).toEqual({ damage, same: true });
        reader.close();
        // Written again, whole.
        expect(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')).operators.length).toBeGreaterThan(0);
      }
    } finally {
      filler.close();
      reader?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a renderer closed', () => {
  test('holds its owner open no longer, and does not outlive it', () => {
    const client = JSON.stringify(path.join(__dirname, '..', 'build', 'grader', 'render', 'client.js'));
    // Closed while it draws a chart it never finishes: its owner ends at once, not when the
    // renderer's own allowance (2 s after close) would have killed it, and takes it along.
    const script = `const { Renderer } = require(${client});
const r = new Renderer({ ...process.env, VG_TEST_RENDERER_HANGS: '1' });
r.warm().then(() => {
  r.chart({ title: 'hang' }).catch(() => undefined);
  setTimeout(() => {
    console.log(r.pid);
    const closed = performance.now();
    process.on('exit', () => console.log(Math.round(performance.now() - closed)));
    r.close();
  }, 200);
});`;
    const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(out.status).toBe(0);
    const [pid, afterClose] = out.stdout.trim().split('\n').map(Number);
    expect(pid).toBeGreaterThan(0);
    expect(afterClose).toBeLessThan(1000);
    // Killed on its owner's way out: gone (reaped by init) within moments.
    const gone = (): boolean => { try { process.kill(pid, 0); return false; } catch { return true; } };
    const until = Date.now() + 5000;
    while (!gone() && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    expect(gone()).toBe(true);
  });
});

describe('a renderer that stops answering', () => {
  test('is stopped after its allowance: the waiting figures fail with the reason, and the next one is drawn by a new renderer', async () => {
    // 4 s: long enough for a new renderer's start and first figure on a machine busy with other
    // tests (1.5 s was not, beside a second jest worker), short enough to wait out twice.
    const r = new Renderer({ ...process.env, VG_TEST_RENDERER_HANGS: '1' }, 4000);
    try {
      const hung = r.chart({ ...placeholder('x', 'T', ['a']).spec, title: 'hang' });
      const behind = r.chart(placeholder('y', 'T', ['queued behind it']).spec);
      await expect(hung).rejects.toThrow(/the figure renderer drew nothing for 4 s and was stopped \(a fault of the kit\)/);
      await expect(behind).rejects.toThrow(/drew nothing for 4 s/);
      expect((await r.chart(placeholder('z', 'T', ['after']).spec)).length).toBeGreaterThan(1000);
      // A figure asked for the moment the hung renderer is stopped (before its exit is seen) goes
      // to a new one: the stop is made here by hand, as the watch makes it.
      const again = r.chart({ ...placeholder('x', 'T', ['a']).spec, title: 'hang' });
      (r as unknown as { child: { stall(): void } }).child.stall();
      const right = r.chart(placeholder('w', 'T', ['right after the stop']).spec);
      await expect(again).rejects.toThrow(/drew nothing/);
      expect((await right).length).toBeGreaterThan(1000);
    } finally {
      r.close();
    }
  }, 60_000);

  test('student text with line breaks of every kind is drawn on one line, in a title\'s subtitle as in a placeholder', async () => {
    const { titled } = await import('../grader/render/chart');
    expect(titled('T\u2029x', ['a\u0085::notice b\r::set-env\u2029##[error]c\u000bd'])).toEqual({ text: 'T x', subtitle: ['a ::notice b ::set-env ##[error]c d'] });
    // Past three notes, a line counts the others (the report lists them all).
    expect(noteLines(['a', 'b', 'c', 'd', 'e'])).toEqual(['a', 'b', 'c', '(2 more notes: see the report)']);
  });
});
