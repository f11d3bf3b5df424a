/**
 * The lab's three figures with the student's curves drawn over the reference's, on the same axes,
 * in the kit's two labelled colours ("yours" and "reference"), the reference wide and pale under,
 * yours narrow and dark on top (pure functions: series in, Vega-Lite specs out).
 */
import type { FigureSpec, OverlayOptions } from '../../lab-code';
import { base, CONFIG, droppedNote, finitePoints, PANEL_SPACING, panelsWidth, placeholder, positivePoints, stepsAxis, titled, type Point } from '../../render/chart';
import { lines, notesFor, zoomable } from '../../render/overlay';
import { FIGURES, logNote, logY, NORMS, PANELS, stepsOf, thresholdLayers, xAxis } from './figures';
import type { Series } from './probe';

/** Figure 1: two panels, each yours over the reference's. */
function reluFigure(s: Series, r: Series | undefined, options: OverlayOptions): FigureSpec {
  const { id, title } = FIGURES[0];
  const notes = notesFor(r);
  const panels = PANELS.map((p, i) => {
    const ys = s[p.key];
    const yours = ys ? finitePoints(s.x, ys) : undefined;
    if (!yours) notes.push(`${p.title}: ${s.problems[p.key] ?? 'nothing to draw'}`);
    else notes.push(...droppedNote(yours, p.title));
    const theirs = r?.[p.key];
    const reference = r && theirs ? finitePoints(r.x, theirs).points : undefined;
    const layers = lines({ reference, yours: yours?.points }, { x: xAxis, y: { field: 'y', type: 'quantitative', title: p.yTitle } }, options);
    if (layers.length === 0) {
      const { config: _c, $schema: _s, ...rest } = placeholder(id, p.title, [s.problems[p.key] ?? 'nothing to draw'], 300, 220).spec;
      return rest;
    }
    return { width: 300, height: 220, title: yours ? p.title : { text: p.title, subtitle: 'yours: nothing to draw' }, layer: zoomable(layers, `zoom1${i}`, options) };
  });
  return {
    id, placeholder: false, notes,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: CONFIG, title: { ...titled(title, notes, panelsWidth(panels)), frame: 'bounds' }, hconcat: panels, spacing: PANEL_SPACING,
      resolve: { scale: { x: options.interactive ? 'independent' : 'shared', y: 'independent', color: 'shared' } },
    },
  };
}

/** Figure 2: the running product per step, yours over the reference's, log-scale y. */
function growthFigure(s: Series, r: Series | undefined, options: OverlayOptions): FigureSpec {
  const { id, title } = FIGURES[1];
  if (!s.growth) return placeholder(id, title, [s.problems.growth ?? 'simulateGrowth gave nothing']);
  const yours = positivePoints(stepsOf(s.growth), s.growth);
  const reference = r?.growth ? positivePoints(stepsOf(r.growth), r.growth).points : undefined;
  const notes = [...notesFor(r), ...logNote(yours.dropped, 'running product')];
  const n = Math.max(s.growth.length, r?.growth?.length ?? 0);
  const layers = lines({ reference, yours: yours.points }, { x: stepsAxis(n), y: logY(`Cumulative Gradient (weight ${s.knobs.weight})`) }, options);
  return { id, placeholder: false, notes, spec: { ...base(), title: titled(title, notes), layer: zoomable(layers, 'zoom2', options) } };
}

/** Figure 3: raw and clipped norms (dash tells the series, colour whose), max_norm dashed. */
function clippingFigure(s: Series, r: Series | undefined, options: OverlayOptions): FigureSpec {
  const { id, title } = FIGURES[2];
  const notes = notesFor(r);
  if (s.problems.carried) notes.push(s.problems.carried);
  let n = 0;
  const all = (t: Series, own: boolean): Point[] => NORMS.flatMap(({ key, label }) => {
    const ys = t[key];
    if (!ys) {
      if (own) notes.push(`no ${label} norms: ${t.problems[key] ?? 'nothing to draw'}`);
      return [];
    }
    if (own && t.problems[key]) notes.push(t.problems[key]);
    n = Math.max(n, ys.length);
    const found = positivePoints(stepsOf(ys), ys, { series: label });
    if (own) notes.push(...logNote(found.dropped, `${label} norm`));
    return found.points;
  });
  const yours = all(s, true);
  const reference = r ? all(r, false) : undefined;
  if (yours.length === 0 && !reference?.length) return placeholder(id, title, notes.length ? notes : ['no norms to draw']);
  const layers = lines({ reference, yours }, {
    x: stepsAxis(n),
    y: logY('Gradient Norm'),
    detail: { field: 'series' },
    strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain: NORMS.map((m) => m.label), range: [[1, 0], [2, 2]] }, legend: { orient: 'bottom-right', fillColor: 'white', strokeColor: '#ccc', padding: 6, symbolType: 'stroke', symbolStrokeColor: '#555' } },
  }, options);
  return { id, placeholder: false, notes, spec: { ...base(), title: titled(title, notes), layer: [...zoomable(layers, 'zoom3', options), ...thresholdLayers(s.knobs.maxNorm)] } };
}

/**
 * The three figures, the student's curves over the reference's (`reference` undefined: no
 * reference for these knobs; the figures then say so).
 */
export function overlayFigures(student: Series, reference: Series | undefined, options: OverlayOptions = {}): FigureSpec[] {
  return [reluFigure(student, reference, options), growthFigure(student, reference, options), clippingFigure(student, reference, options)];
}
