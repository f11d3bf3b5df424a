/**
 * Compiler messages as a student expects them from `tsc`: the location, the message (with its
 * chain of reasons), the related locations, and the line of code with a caret under the span.
 * Locations name the file by its bare name here; {@link atPath} puts the path the student would
 * click in its place, after the cache (the same source in another folder gives the same messages).
 * Loads no compiler: the type check's child words TypeScript's diagnostics with these pieces
 * (compile-jobs.ts), the transpile's child words esbuild's (transpile-job.ts).
 */
import { escapeCodePoint, isHidden } from '../report/escape';

/** Longest excerpt line shown; longer lines are cut around the caret. */
const EXCERPT_WIDTH = 120;

/*
 * A line of code shows its hidden characters escaped (report/escape.ts), tabs kept: shown raw, a
 * NEL or a bidi override inside a string literal would break the excerpt in two or reorder it,
 * and the caret would point elsewhere.
 */

/** `text` as the excerpt shows it, one piece per UTF-16 code unit of the text (a pair's second unit gives ''). */
function shownUnits(text: string): string[] {
  const pieces: string[] = [];
  for (const ch of text) {
    pieces.push(ch !== '\t' && isHidden(ch) ? escapeCodePoint(ch) : ch);
    if (ch.length === 2) pieces.push('');
  }
  return pieces;
}

/**
 * The line of code `text` (line `line`, from 1), numbered, with a caret (and tildes) under
 * `length` characters from `column` (from 1, in UTF-16 code units, as editors count). Hidden
 * characters are shown escaped (`\u0085`), and the caret stays under the characters it marks.
 */
export function excerptLine(text: string, line: number, column: number, length: number): string[] {
  const units = shownUnits(text);
  const start = Math.max(0, Math.min(column - 1, units.length));
  const before = units.slice(0, start).join('');
  const marked = units.slice(start, start + Math.max(1, length)).join('');
  const display = units.join('');
  const caretAt = before.length;
  const span = Math.max(1, Math.min(marked.length, display.length - caretAt));
  // Cut a long line to a window around the caret, marking what was left out.
  let from = 0;
  if (display.length > EXCERPT_WIDTH) from = Math.max(0, Math.min(caretAt - Math.floor(EXCERPT_WIDTH / 3), display.length - EXCERPT_WIDTH));
  const shown = (from > 0 ? '…' : '') + display.slice(from, from + EXCERPT_WIDTH) + (from + EXCERPT_WIDTH < display.length ? '…' : '');
  const offset = caretAt - from + (from > 0 ? 1 : 0);
  // Tabs stay tabs under the code, so the caret lines up in any tab width.
  const pad = shown.slice(0, offset).replace(/[^\t]/g, ' ');
  const marks = '^' + '~'.repeat(Math.max(0, Math.min(span, EXCERPT_WIDTH) - 1));
  const gutter = String(line);
  return [`${gutter} | ${shown}`, `${' '.repeat(gutter.length)} | ${pad}${marks}`];
}

/** Where a native transpiler's message points: its line (from 1), its column and length in UTF-8 bytes (from 0), and the line's text. */
export interface NativeLocation {
  /** The file it is in (the submission's own name, or one of the transpiler's: `<tsconfig.json>`). */
  file?: string;
  line: number;
  column: number;
  length: number;
  lineText: string;
}

/** A native transpiler's message (esbuild's shape): its text, where, and notes (related locations). */
export interface NativeMessage {
  text: string;
  location: NativeLocation | null;
  notes?: { text: string; location: NativeLocation | null }[];
}

/** A byte offset into a line's UTF-8 as a UTF-16 index (what editors and the excerpt count). */
function utf16Index(lineText: string, byteOffset: number): number {
  const bytes = Buffer.from(lineText, 'utf8');
  return bytes.subarray(0, Math.max(0, Math.min(byteOffset, bytes.length))).toString('utf8').length;
}

/** A place in the student's file: its line (from 1), column (from 1, in UTF-16 code units) and length, and the line's text. */
export interface Place {
  line: number;
  column: number;
  length: number;
  lineText: string;
}

/**
 * A compiler message laid out as tsc lays it out, whichever compiler gave it: `file:line:col -
 * head`, the line of code with a caret under the span, then the related places, indented (a
 * related text without a place in the student's file stands alone).
 */
export function layoutMessage(fileName: string, head: string, at: Place | undefined, related: { text: string; at?: { line: number; column: number } }[] = []): string {
  const lines = at ? [`${fileName}:${at.line}:${at.column} - ${head}`, '', ...excerptLine(at.lineText, at.line, at.column, at.length)] : [head];
  for (const r of related) lines.push(r.at ? `  ${fileName}:${r.at.line}:${r.at.column}: ${r.text}` : `  ${r.text}`);
  return lines.join('\n');
}

/** One native transpiler message, tsc-style, with `fileName` in its locations. */
export function formatNative(m: NativeMessage, fileName: string): string {
  const place = (l: NativeLocation): Place => {
    const start = utf16Index(l.lineText, l.column);
    return { line: l.line, column: start + 1, length: utf16Index(l.lineText, l.column + l.length) - start, lineText: l.lineText };
  };
  // Only notes about the student's own file: one about the kit's settings (esbuild's
  // `<tsconfig.json>`, where strict mode is turned on) names no place the student could change.
  const notes = (m.notes ?? []).filter((n) => n.location && (n.location.file === undefined || n.location.file === m.location?.file));
  return layoutMessage(fileName, `error: ${m.text}`, m.location ? place(m.location) : undefined,
    notes.map((n) => ({ text: n.text.replace(/:$/, ''), at: place(n.location!) })));
}

/**
 * A message whose locations name the submission by its bare name (`<lab>.ts:12:3`),
 * with `displayPath` (`exercises/<lab>.ts`) in their place.
 */
export function atPath(message: string, bareName: string, displayPath: string): string {
  if (displayPath === bareName) return message;
  const escaped = bareName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return message.replace(new RegExp(`(^|\\n|  )${escaped}(?=:\\d+:\\d+)`, 'g'), (_, lead: string) => `${lead}${displayPath}`);
}
