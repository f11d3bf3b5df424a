/**
 * What every lab's figures share: the look (font, sizes, colours of the frame), finite points,
 * notes in the subtitle, the placeholder that says why nothing could be drawn, panels side by
 * side and a steps axis. Pure functions: data in, Vega-Lite out. A lab's own figures
 * (grader/labs/<id>/figures.ts) are built from these.
 */
import type { FigureSpec } from '../lab-code';
import { FONT_FAMILY } from './fontconfig';
import { escapeHidden, LINE_BREAKS } from '../report/escape';

export type { FigureSpec };

/** matplotlib's default cycle: C0, C1, C2, C3. */
export const CYCLE = { blue: '#1f77b4', orange: '#ff7f0e', green: '#2ca02c', red: '#d62728' } as const;

/** A figure's default size, in pixels. */
export const WIDTH = 420;
export const HEIGHT = 300;

/** How a figure's notes are drawn (under its title). */
const NOTE_COLOR = '#b03030';
const NOTE_FONT_SIZE = 11;

/** The figures' shared look. */
export const CONFIG = {
  font: FONT_FAMILY,
  background: 'white',
  padding: 12,
  view: { stroke: '#888' },
  // frame 'group': titles sit over the plot area, so the panels' titles line up.
  title: { fontSize: 15, fontWeight: 'bold', anchor: 'middle', frame: 'group', baseline: 'alphabetic', offset: 10, subtitleColor: NOTE_COLOR, subtitleFontSize: NOTE_FONT_SIZE },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11 },
};

/** One plotted point (x, y and labels). */
export type Point = Record<string, number | string>;

/**
 * The largest magnitude a linear axis draws. Vega lays a linear scale out from its span (largest
 * less smallest value) and ticks from that: a series reaching about ±9e307 overflows the span to
 * Infinity and every tick reads NaN, the whole figure lost to one value. A log scale has its own
 * bounds (positivePoints).
 */
export const MAX_DRAWN = 1e300;

/** Points left out of a series, and why: `dropped` counts them all, `tooLarge` those beyond MAX_DRAWN. */
export interface LeftOut {
  dropped: number;
  tooLarge?: number;
  /** The points whose y could be drawn and whose x could not (not finite, or too large): the x values are to blame. */
  byX?: number;
}

/** Whether a value can be drawn on a linear axis: finite, and within ±MAX_DRAWN. */
function fits(v: number): boolean {
  return Number.isFinite(v) && Math.abs(v) <= MAX_DRAWN;
}

/** Points whose x and y are finite and within ±MAX_DRAWN (a linear axis); how many were not, and why. */
export function finitePoints(xs: number[], ys: number[], extra: Record<string, string> = {}): { points: Point[] } & Required<LeftOut> {
  const points: Point[] = [];
  let dropped = 0;
  let tooLarge = 0;
  let byX = 0;
  const n = Math.min(xs.length, ys.length);
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    const y = ys[i];
    if (fits(x) && fits(y)) {
      points.push({ x, y, ...extra });
      continue;
    }
    dropped++;
    if (fits(y)) byX++;
    else if (Number.isFinite(y) && Number.isFinite(x)) tooLarge++;
  }
  return { points, dropped, tooLarge, byX };
}

/**
 * Points a log scale can draw: y from 1e-300 to 1e300 (no 0 or negative value; and Vega's log
 * scale, rounding its domain out to powers of ten, overflows near the ends of a double: one value
 * of 1.2e308, or of 5e-324, left the whole figure blank); how many were not.
 */
export function positivePoints(xs: number[], ys: number[], extra: Record<string, string> = {}): { points: Point[]; dropped: number } {
  const { points, dropped } = finitePoints(xs, ys, extra);
  const kept = points.filter((p) => (p.y as number) >= 1 / MAX_DRAWN);
  return { points: kept, dropped: dropped + points.length - kept.length };
}

/**
 * The note for values left out because they were not finite, or too large for a linear axis:
 * give what finitePoints returned (a bare count, as labs written before the bound gave, is taken
 * for values that were not finite).
 */
export function droppedNote(found: LeftOut | number | undefined, what: string): string[] {
  const left: LeftOut = typeof found === 'number' ? { dropped: found } : found ?? { dropped: 0 };
  const dropped = left.dropped;
  if (dropped === 0) return [];
  const tooLarge = left.tooLarge ?? 0;
  // A series already named as values ("x values") is not said twice.
  const counted = /\bvalues$/.test(what) ? `${dropped} of the ${what}` : `${dropped} ${what} value${dropped === 1 ? '' : 's'}`;
  const were = dropped === 1 ? 'was' : 'were';
  const are = dropped === 1 ? 'is' : 'are';
  // Values left out only because of their x (a lab whose x values went wild) are not theirs to blame.
  const byX = left.byX ?? 0;
  if (byX === dropped) return [`${counted} ${were} left out: ${dropped === 1 ? 'its x value was' : 'their x values were'} not finite or beyond ±1e300`];
  const own = dropped - byX;
  const why = tooLarge === 0 ? 'not finite (NaN or Infinity)'
    : tooLarge === own ? 'too large to draw (beyond ±1e300)'
      : 'not finite (NaN or Infinity), or too large to draw (beyond ±1e300)';
  if (byX === 0) return [`${counted} ${were} ${why} and ${are} left out`];
  return [`${counted} ${are} left out: ${own} ${own === 1 ? 'was' : 'were'} ${why}, ${byX} for ${byX === 1 ? 'its x value' : 'their x values'} (not finite or beyond ±1e300)`];
}

/** Whether a single point can be drawn on linear axes (see MAX_DRAWN). */
export function drawablePoint(x: number, y: number): boolean {
  return fits(x) && fits(y);
}

/** The note for series whose lengths differ. */
export function lengthNote(xs: number[], ys: number[], what: string): string[] {
  return xs.length !== ys.length ? [`${what} has ${ys.length} values for ${xs.length} x values; only the pairs are drawn`] : [];
}

/**
 * Text a figure can draw: what student code threw may hold line breaks of any kind (NEL, LS, PS,
 * a vertical tab), which become spaces the wrapping can break at (vega's text layout, under Node
 * 24, never finished a subtitle holding them), and other controls, bidi overrides and invisible
 * characters, which are drawn escaped (`\u202e`), as every report shows them: drawn raw, an
 * override reversed what followed it ("…001/001 :erocS" read as a score), and the font dropped
 * the others without a trace.
 */
export function drawable(text: string): string {
  // Line breaks of every kind, and tabs, become spaces: a figure lays its text out in lines of its own.
  return escapeHidden(text.replace(LINE_BREAKS, ' ').replace(/\t/g, ' '));
}

/** A title with the notes as its subtitle (noteLines: wrapped to `width`, at most three notes and a count of the rest). */
export function titled(title: string, notes: string[], width = WIDTH): Record<string, unknown> {
  return notes.length > 0 ? { text: drawable(title), subtitle: noteLines(notes, width) } : { text: drawable(title) };
}

/**
 * A figure's notes as the lines its subtitle draws: at most three notes, each wrapped to `width`
 * pixels in at most three lines (a longer one is cut, and ends in an ellipsis), and a line that
 * counts the notes left out (the report lists them all). A note drawn as one line however long
 * (a student's 500-character error) once made figure 2 9,624 px wide, its panels unreadable.
 */
export function noteLines(notes: string[], width = WIDTH): string[] {
  // The wrapping measures characters as the renderer does (0.8 of the size: 10.4 px at the
  // placeholder's 13 px); notes are drawn smaller.
  const px = (width * 13) / NOTE_FONT_SIZE;
  const lines = notes.slice(0, 3).flatMap((note) => {
    const wrapped = wrap(drawable(note), px, 3);
    return wrapped.length > 3 ? [...wrapped.slice(0, 2), `${wrapped[2]}…`] : wrapped;
  });
  const more = notes.length - 3;
  return more > 0 ? [...lines, `(${more} more note${more === 1 ? '' : 's'}: see the report)`] : lines;
}

/** Line height of a placeholder's text, in pixels. */
const LINE_HEIGHT = 18;

/** A figure that says why it could not be drawn, in the figure's own size and title. */
export function placeholder(id: string, title: string, reasons: string[], width = WIDTH, height = HEIGHT): FigureSpec {
  // The reasons can quote what student code threw (see drawable).
  const clean = reasons.map(drawable);
  // As many lines as the plot holds (one is the heading); a cut is marked.
  const room = Math.max(1, Math.floor((height - 10) / LINE_HEIGHT) - 1);
  const all = clean.flatMap((r) => wrap(r, width - 20, room + 1));
  const lines = all.length > room ? [...all.slice(0, room - 1), '…'] : all;
  const text = ['Nothing to draw:', ...lines];
  return {
    id,
    placeholder: true,
    notes: reasons,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: { ...CONFIG, view: { stroke: '#ccc' } },
      title: { text: title },
      width, height,
      data: { values: [{ text }] },
      mark: { type: 'text', fontSize: 13, lineHeight: LINE_HEIGHT, color: '#b03030', align: 'center', baseline: 'middle' },
      // Vega lays the lines downwards from y: start half the block above the middle.
      encoding: { text: { field: 'text' }, x: { value: width / 2 }, y: { value: height / 2 - ((text.length - 1) * LINE_HEIGHT) / 2 } },
    },
  };
}

/**
 * How wide a character of a placeholder's text counts, in pixels: the larger of how wide vega
 * reckons it (0.8 of the font size for every character, 10.4 px at 13 px: the renderer measures
 * text by that estimate, and a line it reckons wider than the plot widens the whole figure) and
 * how wide the shipped DejaVu Sans draws it (W and m, the widest letters, 13 px; a character
 * beyond ASCII, or a glyph the font lacks, drawn as a box, about as much).
 */
function charWidth(ch: string): number {
  return /[WMmw@]/.test(ch) || ch.length > 1 || ch.charCodeAt(0) >= 0x80 ? 13 : 10.4;
}

/** The widest `text` may be drawn, in pixels. */
function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += charWidth(ch);
  return w;
}

/**
 * Splits text into lines at most `px` pixels wide (charWidth), at spaces, stopping after `most`
 * lines; a word too wide for a line is cut across lines (a 3,000-character word once made a
 * placeholder ten times the figure's width). Only as much text as those lines can hold is read.
 */
function wrap(text: string, px: number, most: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.slice(0, Math.ceil(px / 10.4 + 1) * most).split(/\s+/)) {
    for (const piece of pieces(word, px)) {
      if (line && textWidth(`${line} ${piece}`) > px) {
        out.push(line);
        line = '';
      }
      line = line ? `${line} ${piece}` : piece;
    }
    if (out.length >= most) break;
  }
  if (line) out.push(line);
  return out;
}

/** A word in pieces each at most `px` pixels wide (one character at the least), by code point. */
function pieces(word: string, px: number): string[] {
  const out: string[] = [];
  let piece = '';
  let w = 0;
  for (const ch of word) {
    if (piece && w + charWidth(ch) > px) {
      out.push(piece);
      piece = '';
      w = 0;
    }
    piece += ch;
    w += charWidth(ch);
  }
  if (piece) out.push(piece);
  return out;
}

/** A figure's top-level keys: schema, look and size. */
export const base = (width = WIDTH, height = HEIGHT): Record<string, unknown> => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  config: CONFIG,
  width,
  height,
});

/** An x axis of steps 1..n, an integer tick at every step (at most 30 ticks). */
export function stepsAxis(n: number, title = 'Steps'): Record<string, unknown> {
  const ticks = Array.from({ length: n }, (_, i) => i + 1).filter((k) => n <= 30 || k % Math.ceil(n / 30) === 0);
  return { field: 'x', type: 'quantitative', title, axis: { values: ticks, format: 'd' }, scale: { domain: [1, Math.max(2, n)], nice: false } };
}

/**
 * A figure with notes put before its own (a borrowed series, a series cut to the lab's size: what
 * its lab learns once the figures are built), drawn as its own notes are: in its subtitle, or
 * above its panels. A placeholder is left as it is (it says why nothing was drawn).
 */
export function withNotes(figure: FigureSpec, extra: readonly string[]): FigureSpec {
  if (figure.placeholder || extra.length === 0) return figure;
  const notes = [...extra, ...figure.notes];
  const spec = figure.spec as Record<string, unknown>;
  const panels = Array.isArray(spec.hconcat) ? (spec.hconcat as Record<string, unknown>[]) : undefined;
  const width = panels ? panelsWidth(panels) : typeof spec.width === 'number' ? spec.width : WIDTH;
  const title = spec.title;
  const lines = noteLines(notes, width);
  const next = typeof title === 'string' ? { text: title, subtitle: lines }
    : title && typeof title === 'object' ? (Array.isArray((title as { text?: unknown }).text) ? { ...title, text: lines } : { ...title, subtitle: lines })
      : notesTitle(lines);
  return { ...figure, notes, spec: { ...spec, title: next } };
}

/** The title of panels that have no title of their own: their notes, drawn as notes. */
function notesTitle(lines: string[]): Record<string, unknown> {
  return { text: lines, color: NOTE_COLOR, fontSize: NOTE_FONT_SIZE, fontWeight: 'normal', anchor: 'start', frame: 'bounds' };
}

/** The gap between panels side by side, in pixels. */
export const PANEL_SPACING = 36;

/** How wide panels side by side are drawn, their gaps included (a subtitle's notes are wrapped to it). */
export function panelsWidth(panels: readonly Record<string, unknown>[]): number {
  return panels.reduce((sum, p) => sum + (typeof p.width === 'number' ? p.width : WIDTH), 0) + PANEL_SPACING * Math.max(0, panels.length - 1);
}

/**
 * A figure of panels side by side (each a spec of its own, whose top-level keys are left out),
 * the notes as a subtitle, and how the panels share scales.
 */
export function panelsFigure(id: string, notes: string[], panels: Record<string, unknown>[], scales: Record<string, string>): FigureSpec {
  return {
    id, placeholder: false, notes,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      config: CONFIG,
      // The notes are the title itself, drawn as a title's notes are: Vega draws no title whose
      // text is empty, and so none of its subtitle either (the notes went missing).
      ...(notes.length ? { title: notesTitle(noteLines(notes, panelsWidth(panels))) } : {}),
      hconcat: panels.map(({ config: _c, $schema: _s, ...rest }) => rest),
      spacing: PANEL_SPACING,
      resolve: { scale: scales },
    },
  };
}
