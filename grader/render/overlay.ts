/**
 * What every lab's overlay figures share: the student's curves drawn over the reference's, on the
 * same axes, in two labelled colours ("yours" and "reference"), for the report's "where they
 * differ" image and the live page's charts (pure functions: points in, Vega-Lite layers out).
 *
 * The reference is drawn first, wide and pale, and yours on top, narrow and dark: where they agree
 * one sees a dark line inside a pale band; where they part, two lines. Width tells them apart too,
 * not colour alone.
 */
import type { OverlayOptions } from '../lab-code';
import { finitePoints, type LeftOut, type Point } from './chart';

export type { OverlayOptions };

/** The colour of the student's curves. */
export const YOURS_COLOUR = '#c2185b';
/** The colour of the reference's curves. */
export const REFERENCE_COLOUR = '#8c8c8c';

/** Why a live chart has no reference (knobs other than the lab's, in the student release). */
export const NO_REFERENCE_NOTE = 'no reference for these knobs: only your curves are drawn';

/** Whose curve. */
export type Who = 'yours' | 'reference';

/** How the two are told apart: colour and width, with a legend. */
export function whoEncoding(legend = true): Record<string, unknown> {
  return {
    color: {
      field: 'who', type: 'nominal', title: null,
      scale: { domain: ['yours', 'reference'], range: [YOURS_COLOUR, REFERENCE_COLOUR] },
      legend: legend ? { orient: 'top-left', fillColor: 'white', strokeColor: '#ccc', padding: 6, symbolType: 'stroke', symbolStrokeWidth: 3 } : null,
    },
  };
}

/** The strokes of the two. */
export const STROKE: Record<Who, Record<string, unknown>> = {
  reference: { strokeWidth: 4.5, opacity: 0.55 },
  yours: { strokeWidth: 1.6 },
};

/**
 * One line layer per who (reference first: under), each point labelled with who. `encoding` holds
 * the x and y channels (and any other); `legend` false leaves the colour legend out.
 */
export function lines(sets: Partial<Record<Who, Point[]>>, encoding: Record<string, unknown>, options: OverlayOptions, legend = true): Record<string, unknown>[] {
  return (['reference', 'yours'] as const).filter((who) => sets[who]).map((who) => ({
    data: { values: sets[who]!.map((p) => ({ ...p, who })) },
    // In a browser, yours carries a tooltip on every point (invisible points to hover: drawing
    // them for the reference too would double the page's drawing time for little).
    mark: { type: 'line', clip: true, ...STROKE[who], ...(options.interactive && who === 'yours' ? { point: { filled: true, size: 36, opacity: 0 }, tooltip: true } : {}) },
    encoding: {
      // x first, as every chart of the kit writes it (the specs are the figure cache's keys).
      ...('x' in encoding ? { x: encoding.x } : {}), ...whoEncoding(legend), ...encoding,
      ...(options.interactive && who === 'yours' ? { tooltip: [{ field: 'who', title: 'curve' }, ...(encoding.strokeDash ? [{ field: 'series', title: 'series' }] : []), { field: 'x', type: 'quantitative', format: '.5~g' }, { field: 'y', type: 'quantitative', format: '.5~g' }] } : {}),
    },
  }));
}

/** Zoom and pan, bound to the scales of the first layer of a chart (named per panel). */
export function zoomable(layers: Record<string, unknown>[], name: string, options: OverlayOptions): Record<string, unknown>[] {
  if (!options.interactive || layers.length === 0) return layers;
  return [{ ...layers[0], params: [{ name, select: 'interval', bind: 'scales' }] }, ...layers.slice(1)];
}

/** The drawable points of a series (finitePoints), or undefined when there is none. */
export function pointsOf(xs: number[], ys: number[] | undefined, extra: Record<string, string> = {}): ({ points: Point[] } & LeftOut) | undefined {
  return ys ? finitePoints(xs, ys, extra) : undefined;
}

/** The note of a figure without a reference. */
export function notesFor(reference: unknown): string[] {
  return reference ? [] : [NO_REFERENCE_NOTE];
}
