/**
 * The lab's four figures with the student's curves drawn over the reference's, on the same axes,
 * in two labelled colours ("yours" and "reference"): the report's "where they differ" image and
 * the live page's charts (pure functions: series in, Vega-Lite specs out).
 *
 * The reference is drawn first, wide and pale, and yours on top, narrow and dark: where they agree
 * one sees a dark line inside a pale band; where they part, two lines. Width tells them apart too,
 * not colour alone.
 */
import type { LabSeries } from '../stages/lab';
import { base, droppedNote, FIGURES, finitePoints, panelsFigure, placeholder, PLOTTED, stepsAxis, titled, valuesOf, xAxis, type FigureSpec, type Point } from './figures';

/** The colour of the student's curves. */
export const YOURS_COLOUR = '#c2185b';
/** The colour of the reference's curves. */
export const REFERENCE_COLOUR = '#8c8c8c';

/** Why a live chart has no reference (knobs other than the lab's, in the student release). */
export const NO_REFERENCE_NOTE = 'no reference for these knobs: only your curves are drawn';

type Who = 'yours' | 'reference';

/** How the two are told apart: colour and width, with a legend. */
function whoEncoding(legend = true): Record<string, unknown> {
  return {
    color: {
      field: 'who', type: 'nominal', title: null,
      scale: { domain: ['yours', 'reference'], range: [YOURS_COLOUR, REFERENCE_COLOUR] },
      legend: legend ? { orient: 'top-left', fillColor: 'white', strokeColor: '#ccc', padding: 6, symbolType: 'stroke', symbolStrokeWidth: 3 } : null,
    },
  };
}

const STROKE: Record<Who, Record<string, unknown>> = {
  reference: { strokeWidth: 4.5, opacity: 0.55 },
  yours: { strokeWidth: 1.6 },
};

/** Options of the figures. */
export interface OverlayOptions {
  /** For a browser: tooltips on every point, zoom and pan with the mouse. */
  interactive?: boolean;
}

/** One line layer per who (reference first: under), each point labelled with who and `extra`. */
function lines(sets: Partial<Record<Who, Point[]>>, encoding: Record<string, unknown>, options: OverlayOptions, legend = true): Record<string, unknown>[] {
  return (['reference', 'yours'] as const).filter((who) => sets[who]).map((who) => ({
    data: { values: sets[who]!.map((p) => ({ ...p, who })) },
    // In a browser, yours carries a tooltip on every point (invisible points to hover: drawing
    // them for the reference too would double the page's drawing time for little).
    mark: { type: 'line', clip: true, ...STROKE[who], ...(options.interactive && who === 'yours' ? { point: { filled: true, size: 36, opacity: 0 }, tooltip: true } : {}) },
    encoding: {
      x: xAxis, ...whoEncoding(legend), ...encoding,
      ...(options.interactive && who === 'yours' ? { tooltip: [{ field: 'who', title: 'curve' }, ...(encoding.strokeDash ? [{ field: 'series', title: 'series' }] : []), { field: 'x', type: 'quantitative', format: '.5~g' }, { field: 'y', type: 'quantitative', format: '.5~g' }] } : {}),
    },
  }));
}

/** Zoom and pan, bound to the scales of the first layer of a chart (named per panel). */
function zoomable(layers: Record<string, unknown>[], name: string, options: OverlayOptions): Record<string, unknown>[] {
  if (!options.interactive || layers.length === 0) return layers;
  return [{ ...layers[0], params: [{ name, select: 'interval', bind: 'scales' }] }, ...layers.slice(1)];
}

function pointsOf(xs: number[], ys: number[] | undefined, extra: Record<string, string> = {}): { points: Point[]; dropped: number } | undefined {
  return ys ? finitePoints(xs, ys, extra) : undefined;
}

function notesFor(reference: LabSeries | undefined): string[] {
  return reference ? [] : [NO_REFERENCE_NOTE];
}

/** Figure 1: the sigmoid and its tangent (dashed), yours over the reference's. */
function steepestPoint(s: LabSeries, r: LabSeries | undefined, options: OverlayOptions): FigureSpec {
  const { id, title } = FIGURES[0];
  const tangentOf = (t: LabSeries | undefined) => (t?.tangent ? finitePoints(t.tangent.x, t.tangent.y, { series: 'tangent' }).points : []);
  const sets = (t: LabSeries | undefined): Point[] | undefined => (t ? [...(pointsOf(t.x, t.sigmoid, { series: 'sigmoid' })?.points ?? []), ...tangentOf(t)] : undefined);
  const yours = sets(s)!;
  const notes = [...notesFor(r), ...droppedNote(pointsOf(s.x, s.sigmoid)?.dropped ?? 0, 'sigmoid')];
  if (!s.sigmoid) notes.push(`no sigmoid: ${s.problems.sigmoid ?? 'sigmoid gave nothing'}`);
  if (!s.tangent) notes.push(`no tangent: ${s.problems.tangent ?? 'tangent gave nothing'}`);
  const dash = { strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain: ['sigmoid', 'tangent'], range: [[1, 0], [6, 4]] }, legend: { orient: 'top-left', fillColor: 'white', strokeColor: '#ccc', padding: 6, symbolType: 'stroke', symbolStrokeColor: '#555' } } };
  const layers = lines({ reference: sets(r), yours }, { y: { field: 'y', type: 'quantitative', title: 'sigmoid(x)' }, detail: { field: 'series' }, ...dash }, options);
  for (const [who, t] of [['reference', r], ['yours', s]] as const) {
    const p = t?.tangent?.point;
    if (p && Number.isFinite(p.x) && Number.isFinite(p.y)) {
      layers.push({
        data: { values: [{ x: p.x, y: p.y, who }] },
        mark: { type: 'point', filled: true, size: who === 'yours' ? 60 : 150, opacity: who === 'yours' ? 1 : 0.55, ...(options.interactive ? { tooltip: true } : {}) },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, ...whoEncoding() },
      });
    }
  }
  return { id, placeholder: false, notes, spec: { ...base(), title: titled(title, notes), layer: zoomable(layers, 'zoom1', options) } };
}

/** Figure 2: three panels, each yours over the reference's. */
function subplots(s: LabSeries, r: LabSeries | undefined, options: OverlayOptions): FigureSpec {
  const { id } = FIGURES[1];
  const notes = notesFor(r);
  const panels = PLOTTED.map((series, i) => {
    const { title, yTitle, key } = series;
    const yours = pointsOf(s.x, valuesOf(s, series));
    if (!yours) notes.push(`${title}: ${s.problems[key] ?? 'nothing to draw'}`);
    else notes.push(...droppedNote(yours.dropped, title));
    const reference = r ? pointsOf(r.x, valuesOf(r, series))?.points : undefined;
    const layers = lines({ reference, yours: yours?.points }, { y: { field: 'y', type: 'quantitative', title: yTitle } }, options);
    if (layers.length === 0) return placeholder(id, title, [s.problems[key] ?? 'nothing to draw'], 260, 210).spec;
    // A panel with the reference alone says, under its title, that yours is missing from it.
    return { width: 260, height: 210, title: yours ? title : { text: title, subtitle: 'yours: nothing to draw' }, layer: zoomable(layers, `zoom2${i}`, options) };
  });
  // Each panel zooms on its own in a browser; a shared x would tie the three zooms together.
  return panelsFigure(id, notes, panels, { x: options.interactive ? 'independent' : 'shared', y: 'independent', color: 'shared' });
}

/** Figure 3: data, sigmoid and gradient on one chart (dash tells the series, colour whose). */
function compression(s: LabSeries, r: LabSeries | undefined, options: OverlayOptions): FigureSpec {
  const { id, title } = FIGURES[2];
  const notes = notesFor(r);
  const all = (t: LabSeries, own: boolean): Point[] => PLOTTED
    .flatMap(({ label, key }) => {
      const ys = t[key];
      if (!ys) {
        if (own) notes.push(`no ${label}: ${t.problems[key] ?? 'nothing to draw'}`);
        return [];
      }
      const found = finitePoints(t.x, ys, { series: label });
      if (own) notes.push(...droppedNote(found.dropped, label));
      return found.points;
    });
  const ylim = s.knobs.ylim;
  const layers = lines({ reference: r ? all(r, false) : undefined, yours: all(s, true) }, {
    y: { field: 'y', type: 'quantitative', title: 'range', ...(ylim ? { scale: { domain: ylim } } : {}) },
    detail: { field: 'series' },
    strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain: ['data', 'sigmoid', 'sigmoid gradient'], range: [[1, 0], [6, 3], [2, 2]] }, legend: { orient: 'bottom-right', fillColor: 'white', strokeColor: '#ccc', padding: 6, symbolType: 'stroke', symbolStrokeColor: '#555' } },
  }, options);
  return { id, placeholder: false, notes, spec: { ...base(), title: titled(title, notes), layer: zoomable(layers, 'zoom3', options) } };
}

/** Figure 4: the cumulative gradient per step, yours over the reference's. */
function decay(s: LabSeries, r: LabSeries | undefined, options: OverlayOptions): FigureSpec {
  const { id, title } = FIGURES[3];
  if (!s.decay) return placeholder(id, title, [s.problems.decay ?? 'simulateDecay gave nothing']);
  const steps = (d: number[]): number[] => d.map((_, i) => i + 1);
  const yours = finitePoints(steps(s.decay), s.decay);
  const reference = r?.decay ? finitePoints(steps(r.decay), r.decay).points : undefined;
  const notes = [...notesFor(r), ...droppedNote(yours.dropped, 'cumulative gradient')];
  const layers = lines({ reference, yours: yours.points }, {
    x: stepsAxis(Math.max(s.decay.length, r?.decay?.length ?? 0)),
    y: { field: 'y', type: 'quantitative', title: 'Cumulative Gradient' },
  }, options);
  return { id, placeholder: false, notes, spec: { ...base(), title: titled(title, notes), layer: zoomable(layers, 'zoom4', options) } };
}

/**
 * The four figures, the student's curves over the reference's (`reference` undefined: no reference
 * for these knobs; the figures then say so). A figure the student's functions give nothing for is
 * the placeholder that says why, as in the student's own figure.
 */
export function overlayFigures(student: LabSeries, reference: LabSeries | undefined, options: OverlayOptions = {}): FigureSpec[] {
  const figures = [steepestPoint(student, reference, options), subplots(student, reference, options), compression(student, reference, options), decay(student, reference, options)];
  if (student.problems.x) for (const f of figures.slice(0, 3)) if (!f.placeholder) f.notes.unshift(student.problems.x);
  if (!student.sigmoid && !student.tangent) figures[0] = placeholder(FIGURES[0].id, FIGURES[0].title, [student.problems.sigmoid ?? 'sigmoid gave nothing']);
  return figures;
}
