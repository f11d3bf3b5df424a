/**
 * The lab's three figures as Vega-Lite specs, built from a probe's Series (pure functions: data
 * in, specs out), in the style of the first lab's (the same look, matplotlib's colours, an integer
 * tick at every step):
 * 1. "ReLU and its Gradient": two panels over the data;
 * 2. "Multiplying Large Numbers": the running product per step, log-scale y, the weight in the legend;
 * 3. "Clipping by Norm": a gradient's norm per step, raw and clipped, log-scale y, max_norm as a
 *    dashed horizontal rule.
 */
import type { FigureInfo, FigureSpec } from '../../lab-code';
import { base, CONFIG, CYCLE, droppedNote, finitePoints, PANEL_SPACING, panelsWidth, placeholder, positivePoints, stepsAxis, titled, withNotes, type Point } from '../../render/chart';
import type { Series } from './probe';

/** The figures, in the lab's order. */
export const FIGURES: readonly FigureInfo[] = [
  { id: '1-relu-and-its-gradient', title: 'ReLU and its Gradient' },
  { id: '2-multiplying-large-numbers', title: 'Multiplying Large Numbers' },
  { id: '3-clipping-by-norm', title: 'Clipping by Norm' },
];

export const BLUE = CYCLE.blue;
export const ORANGE = CYCLE.orange;
/** Figure 1's x axis. */
export const xAxis = { field: 'x', type: 'quantitative', title: 'x input data' };
/** The threshold's rule. */
export const RULE_COLOUR = '#555555';
/** The threshold's dash. */
export const RULE_DASH = [6, 4];

/** One panel of figure 1: its series in Series, its title and y-axis title. */
export interface Panel {
  key: 'relu' | 'reluGradient';
  title: string;
  yTitle: string;
}

/** Figure 1's panels, in the lab's order. */
export const PANELS: readonly Panel[] = [
  { key: 'relu', title: 'relu', yTitle: 'relu(x)' },
  { key: 'reluGradient', title: 'relu gradient', yTitle: 'gradient' },
];

/** The steps 1..n of a per-step series. */
export const stepsOf = (values: readonly number[]): number[] => values.map((_, i) => i + 1);

/** The note for values a log scale cannot draw. */
export function logNote(dropped: number, what: string): string[] {
  return dropped > 0 ? [`${dropped} ${what} value${dropped === 1 ? ' is' : 's are'} 0, negative, not finite or beyond 1e±300: a log scale cannot draw ${dropped === 1 ? 'it' : 'them'}`] : [];
}

/** A log-scale y axis. */
export function logY(title: string): Record<string, unknown> {
  return { field: 'y', type: 'quantitative', title, scale: { type: 'log' }, axis: { format: '~g' } };
}

/** The threshold max_norm: a dashed horizontal rule, labelled at its right end. */
export function thresholdLayers(maxNorm: number): Record<string, unknown>[] {
  return [
    { data: { values: [{ y: maxNorm }] }, mark: { type: 'rule', color: RULE_COLOUR, strokeDash: RULE_DASH, strokeWidth: 1.2 }, encoding: { y: { field: 'y', type: 'quantitative' } } },
    {
      data: { values: [{ y: maxNorm, text: `max_norm = ${maxNorm}` }] },
      mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -3, color: RULE_COLOUR, fontSize: 11 },
      encoding: { y: { field: 'y', type: 'quantitative' }, x: { value: 416 }, text: { field: 'text' } },
    },
  ];
}

/** The series' legend, upper left. */
export const LEGEND = { orient: 'top-left', fillColor: 'white', strokeColor: '#ccc', padding: 6 };

/** Figure 1: relu and its gradient, two panels side by side over the data. */
export function reluFigure(s: Series): FigureSpec {
  const { id, title } = FIGURES[0];
  const notes: string[] = [];
  const panels = PANELS.map((p) => {
    const ys = s[p.key];
    if (!ys) {
      notes.push(`${p.title}: ${s.problems[p.key] ?? 'nothing to draw'}`);
      const { config: _c, $schema: _s, ...rest } = placeholder(id, p.title, [s.problems[p.key] ?? 'nothing to draw'], 300, 220).spec;
      return rest;
    }
    const found = finitePoints(s.x, ys);
    const { points } = found;
    notes.push(...droppedNote(found, p.title));
    return {
      width: 300, height: 220, title: p.title,
      data: { values: points },
      mark: { type: 'line', color: BLUE, strokeWidth: 1.5 },
      encoding: { x: xAxis, y: { field: 'y', type: 'quantitative', title: p.yTitle } },
    };
  });
  if (!s.relu && !s.reluGradient) return placeholder(id, title, notes);
  return {
    id, placeholder: false, notes,
    spec: { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: CONFIG, title: { ...titled(title, notes, panelsWidth(panels)), frame: 'bounds' }, hconcat: panels, spacing: PANEL_SPACING, resolve: { scale: { x: 'shared', y: 'independent' } } },
  };
}

/** Figure 2: the running product against steps 1..n, log-scale y, the weight in the legend. */
export function growthFigure(s: Series): FigureSpec {
  const { id, title } = FIGURES[1];
  if (!s.growth) return placeholder(id, title, [s.problems.growth ?? 'simulateGrowth gave nothing']);
  const label = `weight ${s.knobs.weight}`;
  const { points, dropped } = positivePoints(stepsOf(s.growth), s.growth, { series: label });
  const notes = logNote(dropped, 'running product');
  if (points.length === 0) return placeholder(id, title, [`simulateGrowth(${s.knobs.steps}, ${s.knobs.weight}) gave no value a log scale can draw (each 0, negative, not finite or beyond 1e±300)`]);
  return {
    id, placeholder: false, notes,
    spec: {
      ...base(), title: titled(title, notes),
      data: { values: points },
      mark: { type: 'line', strokeWidth: 1.5, point: { filled: true, size: 30 } },
      encoding: {
        x: stepsAxis(s.growth.length),
        y: logY('Cumulative Gradient'),
        color: { field: 'series', type: 'nominal', title: null, scale: { domain: [label], range: [BLUE] }, legend: LEGEND },
      },
    },
  };
}

/** Figure 3's two series, in the legend's order. */
export const NORMS = [{ key: 'raw', label: 'raw', colour: BLUE }, { key: 'clipped', label: 'clipped', colour: ORANGE }] as const;

/** Figure 3: the carried gradient's norm per step, raw and clipped, log-scale y, max_norm dashed. */
export function clippingFigure(s: Series): FigureSpec {
  const { id, title } = FIGURES[2];
  const notes: string[] = [];
  if (s.problems.carried) notes.push(s.problems.carried);
  const values: Point[] = [];
  let n = 0;
  for (const { key, label } of NORMS) {
    const ys = s[key];
    if (!ys) {
      notes.push(`no ${label} norms: ${s.problems[key] ?? 'nothing to draw'}`);
      continue;
    }
    if (s.problems[key]) notes.push(s.problems[key]);
    n = Math.max(n, ys.length);
    const { points, dropped } = positivePoints(stepsOf(ys), ys, { series: label });
    notes.push(...logNote(dropped, `${label} norm`));
    values.push(...points);
  }
  if (values.length === 0) return placeholder(id, title, notes.length ? notes : ['no norms to draw']);
  return {
    id, placeholder: false, notes,
    spec: {
      ...base(), title: titled(title, notes),
      layer: [
        {
          data: { values },
          mark: { type: 'line', strokeWidth: 1.5, point: { filled: true, size: 30 } },
          encoding: {
            x: stepsAxis(n),
            y: logY('Gradient Norm'),
            color: { field: 'series', type: 'nominal', title: null, scale: { domain: NORMS.map((m) => m.label), range: NORMS.map((m) => m.colour) }, legend: LEGEND },
          },
        },
        ...thresholdLayers(s.knobs.maxNorm),
      ],
    },
  };
}

/** All three figures for one implementation, with the notes of series cut to the lab's size. */
export function buildFigures(s: Series): FigureSpec[] {
  const figures = [reluFigure(s), growthFigure(s), clippingFigure(s)];
  const cut = (s.cut ?? []).filter((note) => note.startsWith('simulateGrowth')).reverse();
  return figures.map((f, k) => (k >= 1 ? withNotes(f, cut) : f));
}
