/**
 * The lab's four figures with the student's curves drawn over the reference's, on the same axes
 * (the kit's overlay look: grader/render/overlay.ts).
 */
import type { LabSeries } from './probe';
import { base, drawablePoint, droppedNote, finitePoints, withNotes, panelsFigure, placeholder, stepsAxis, titled, type FigureSpec, type Point } from '../../render/chart';
import { lines as overlayLines, notesFor, pointsOf, whoEncoding, zoomable, type OverlayOptions, type Who } from '../../render/overlay';
import { FIGURES, PLOTTED, valuesOf, xAxis } from './figures';

/** The kit's overlay lines, over the lab's x axis unless the encoding says otherwise. */
function lines(sets: Partial<Record<Who, Point[]>>, encoding: Record<string, unknown>, options: OverlayOptions, legend = true): Record<string, unknown>[] {
  return overlayLines(sets, { x: xAxis, ...encoding }, options, legend);
}

/** Figure 1: the sigmoid and its tangent (dashed), yours over the reference's. */
function steepestPoint(s: LabSeries, r: LabSeries | undefined, options: OverlayOptions): FigureSpec {
  const { id, title } = FIGURES[0];
  const tangentOf = (t: LabSeries | undefined) => (t?.tangent ? finitePoints(t.tangent.x, t.tangent.y, { series: 'tangent' }).points : []);
  const sets = (t: LabSeries | undefined): Point[] | undefined => (t ? [...(pointsOf(t.x, t.sigmoid, { series: 'sigmoid' })?.points ?? []), ...tangentOf(t)] : undefined);
  const yours = sets(s)!;
  const notes = [...notesFor(r), ...droppedNote(pointsOf(s.x, s.sigmoid), 'sigmoid')];
  if (!s.sigmoid) notes.push(`no sigmoid: ${s.problems.sigmoid ?? 'sigmoid gave nothing'}`);
  if (!s.tangent) notes.push(`no tangent: ${s.problems.tangent ?? 'tangent gave nothing'}`);
  const dash = { strokeDash: { field: 'series', type: 'nominal', title: null, scale: { domain: ['sigmoid', 'tangent'], range: [[1, 0], [6, 4]] }, legend: { orient: 'top-left', fillColor: 'white', strokeColor: '#ccc', padding: 6, symbolType: 'stroke', symbolStrokeColor: '#555' } } };
  const layers = lines({ reference: sets(r), yours }, { y: { field: 'y', type: 'quantitative', title: 'sigmoid(x)' }, detail: { field: 'series' }, ...dash }, options);
  for (const [who, t] of [['reference', r], ['yours', s]] as const) {
    const p = t?.tangent?.point;
    if (p && drawablePoint(p.x, p.y)) {
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
    else notes.push(...droppedNote(yours, title));
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
      if (own) notes.push(...droppedNote(found, label));
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
  const notes = [...notesFor(r), ...droppedNote(yours, 'cumulative gradient')];
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
  if (student.problems.x) for (const k of [0, 1, 2]) figures[k] = withNotes(figures[k], [student.problems.x]);
  if (!student.sigmoid && !student.tangent) figures[0] = placeholder(FIGURES[0].id, FIGURES[0].title, [student.problems.sigmoid ?? 'sigmoid gave nothing']);
  return figures;
}
