/**
 * The lab's four figures as Vega-Lite specs, built from a LabSeries (pure functions: data in,
 * specs out). Faithful to the notebook's matplotlib figures in content: the same titles, axis
 * titles, series, colours (matplotlib's default cycle; the tangent in orange, dashed), the legend
 * upper left, an integer tick at every step. Fixed sizes, white background, DejaVu Sans.
 */
import type { LabSeries } from './probe';
import { base, CYCLE, drawablePoint, droppedNote, finitePoints, withNotes, lengthNote, panelsFigure, placeholder, stepsAxis, titled, type FigureSpec, type Point } from '../../render/chart';

export { placeholder };

/** The figures, in the lab's order. */
export const FIGURES = [
  { id: '1-sigmoid-steepest-point', title: 'Sigmoid Steepest Point' },
  { id: '2-subplots', title: 'x values, sigmoid, sigmoid gradient' },
  { id: '3-visualizing-compression', title: 'Visualizing Compression' },
  { id: '4-multiplying-small-numbers', title: 'Multiplying Small Numbers' },
] as const;

/** A figure's id. */
export type FigureId = (typeof FIGURES)[number]['id'];

/** The lab draws the tangent with color="orange", the named colour. */
const ORANGE = '#ffa500';
const BLUE = CYCLE.blue;
const CYCLE_ORANGE = CYCLE.orange;
const GREEN = CYCLE.green;

export const xAxis = { field: 'x', type: 'quantitative', title: 'x input data' };

/** Figure 1: the sigmoid and its tangent at xTan, dashed, with the point where it touches. */
export function steepestPoint(s: LabSeries): FigureSpec {
  const id = FIGURES[0].id;
  if (!s.sigmoid) return placeholder(id, FIGURES[0].title, [s.problems.sigmoid ?? 'sigmoid gave nothing']);
  const curve = finitePoints(s.x, s.sigmoid);
  const notes = [...lengthNote(s.x, s.sigmoid, 'sigmoid'), ...droppedNote(curve, 'sigmoid')];
  const layers: Record<string, unknown>[] = [{
    data: { values: curve.points },
    mark: { type: 'line', color: BLUE, strokeWidth: 1.5 },
    encoding: { x: xAxis, y: { field: 'y', type: 'quantitative', title: 'sigmoid(x)' } },
  }];
  if (s.tangent) {
    const line = finitePoints(s.tangent.x, s.tangent.y);
    notes.push(...lengthNote(s.tangent.x, s.tangent.y, 'the tangent'), ...droppedNote(line, 'tangent'));
    layers.push({
      data: { values: line.points },
      mark: { type: 'line', color: ORANGE, strokeDash: [6, 4], strokeWidth: 1.5, clip: true },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
    });
    if (drawablePoint(s.tangent.point.x, s.tangent.point.y)) {
      layers.push({
        data: { values: [s.tangent.point] },
        mark: { type: 'point', filled: true, color: ORANGE, size: 70, opacity: 1 },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      });
    }
  } else {
    notes.push(`no tangent: ${s.problems.tangent ?? 'tangent gave nothing'}`);
  }
  return { id, placeholder: false, notes, spec: { ...base(), title: titled(FIGURES[0].title, notes), layer: layers } };
}

/** A series plotted over x: its key in LabSeries (and in its problems) and its names in the figures. */
export interface PlottedSeries {
  /** The LabSeries field (`x`, `sigmoid`, `gradient`). */
  key: 'x' | 'sigmoid' | 'gradient';
  /** Its panel's title in figure 2. */
  title: string;
  /** Its panel's y-axis title in figure 2. */
  yTitle: string;
  /** Its name in figure 3's legend. */
  label: string;
}

/** The three series plotted over x, in the lab's order (figure 2's panels, figure 3's lines). */
export const PLOTTED: readonly PlottedSeries[] = [
  { key: 'x', title: 'x values', yTitle: 'y=x', label: 'data' },
  { key: 'sigmoid', title: 'sigmoid', yTitle: 'sigmoid', label: 'sigmoid' },
  { key: 'gradient', title: 'sigmoid gradient', yTitle: 'gradient', label: 'sigmoid gradient' },
];

/** A plotted series' values in `s` (undefined when the function gave none). */
export function valuesOf(s: LabSeries, p: PlottedSeries): number[] | undefined {
  return s[p.key];
}

/** Figure 2: three panels in a row, shared x, each its own y scale (10 → 1 → 0.25). */
export function subplots(s: LabSeries): FigureSpec {
  const id = FIGURES[1].id;
  const notes: string[] = [];
  const panels = PLOTTED.map((series) => ({ ...series, ys: valuesOf(s, series) })).map((p) => {
    if (!p.ys) {
      notes.push(`${p.title}: ${s.problems[p.key] ?? 'nothing to draw'}`);
      return placeholder(id, p.title, [s.problems[p.key] ?? 'nothing to draw'], 260, 210).spec;
    }
    const found = finitePoints(s.x, p.ys);
    const { points } = found;
    notes.push(...lengthNote(s.x, p.ys, p.title), ...droppedNote(found, p.title));
    return {
      width: 260, height: 210,
      title: p.title,
      data: { values: points },
      mark: { type: 'line', color: BLUE, strokeWidth: 1.5 },
      encoding: { x: xAxis, y: { field: 'y', type: 'quantitative', title: p.yTitle } },
    };
  });
  return panelsFigure(id, notes, panels, { x: 'shared', y: 'independent' });
}

/** Figure 3: the three series on one chart, legend upper left; the y-limit knob clips to it. */
export function compression(s: LabSeries): FigureSpec {
  const id = FIGURES[2].id;
  const notes: string[] = [];
  const values: Point[] = [];
  for (const { label, key } of PLOTTED) {
    const ys = s[key];
    if (!ys) {
      notes.push(`no ${label}: ${s.problems[key] ?? 'nothing to draw'}`);
      continue;
    }
    const found = finitePoints(s.x, ys, { series: label });
    const { points } = found;
    notes.push(...droppedNote(found, label));
    values.push(...points);
  }
  const ylim = s.knobs.ylim;
  const spec = {
    ...base(),
    title: titled(FIGURES[2].title, notes),
    data: { values },
    mark: { type: 'line', strokeWidth: 1.5, clip: true },
    encoding: {
      x: xAxis,
      y: { field: 'y', type: 'quantitative', title: 'range', ...(ylim ? { scale: { domain: ylim } } : {}) },
      color: {
        field: 'series', type: 'nominal', title: null,
        scale: { domain: ['data', 'sigmoid', 'sigmoid gradient'], range: [BLUE, CYCLE_ORANGE, GREEN] },
        legend: { orient: 'top-left', fillColor: 'white', strokeColor: '#ccc', padding: 6 },
      },
    },
  };
  return { id, placeholder: false, notes, spec };
}

/** Figure 4: the cumulative gradient against steps 1..n, an integer tick at every step. */
export function decay(s: LabSeries): FigureSpec {
  const id = FIGURES[3].id;
  if (!s.decay) return placeholder(id, FIGURES[3].title, [s.problems.decay ?? 'simulateDecay gave nothing']);
  const steps = s.decay.map((_, i) => i + 1);
  const found = finitePoints(steps, s.decay);
  const { points } = found;
  const notes = droppedNote(found, 'cumulative gradient');
  if (points.length === 0) return placeholder(id, FIGURES[3].title, [`simulateDecay(${s.knobs.steps}, ${s.knobs.x}) gave no values that can be drawn (each not finite, or beyond ±1e300)`]);
  return {
    id, placeholder: false, notes,
    spec: {
      ...base(),
      title: titled(FIGURES[3].title, notes),
      data: { values: points },
      mark: { type: 'line', color: BLUE, strokeWidth: 1.5, point: false },
      encoding: {
        x: stepsAxis(steps.length),
        y: { field: 'y', type: 'quantitative', title: 'Cumulative Gradient' },
      },
    },
  };
}

/** All four figures for one implementation. */
export function buildFigures(s: LabSeries): FigureSpec[] {
  const figures: FigureSpec[] = [steepestPoint(s), subplots(s), compression(s), decay(s)];
  // The notes each figure gets once built (drawn with its own, before them).
  const extra: string[][] = figures.map(() => []);
  // A series longer than the lab's was cut (stages/lab.ts): the figures that plot it say so.
  for (const note of s.cut ?? []) {
    const which = note.startsWith('linspace') ? [0, 1, 2] : note.startsWith('tangent') ? [0] : note.startsWith('simulateDecay') ? [3] : [];
    for (const k of which) extra[k].unshift(note);
  }
  // The x data is borrowed when the student's linspace failed: the figures that plot over x say so, first.
  if (s.problems.x) for (const k of [0, 1, 2]) extra[k].unshift(s.problems.x);
  return figures.map((f, k) => withNotes(f, extra[k]));
}
