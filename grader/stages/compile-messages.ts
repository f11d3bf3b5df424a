/**
 * Compiler messages as a student expects them from `tsc`: the location, the message (with its
 * chain of reasons), the related locations, and the line of code with a caret under the span.
 * Locations name the file by its bare name here; {@link atPath} puts the path the student would
 * click in its place, after the cache (the same source in another folder gives the same messages).
 * Loads no compiler: the type check's child words TypeScript's diagnostics with these pieces
 * (compile-jobs.ts), the transpile's child words esbuild's (transpile-job.ts).
 */

/** Longest excerpt line shown; longer lines are cut around the caret. */
const EXCERPT_WIDTH = 120;

/**
 * The line of code `text` (line `line`, from 1), numbered, with a caret (and tildes) under
 * `length` characters from `column` (from 1, in UTF-16 code units, as editors count).
 */
export function excerptLine(text: string, line: number, column: number, length: number): string[] {
  const span = Math.max(1, Math.min(length, text.length - (column - 1)));
  // Cut a long line to a window around the caret, marking what was left out.
  let from = 0;
  if (text.length > EXCERPT_WIDTH) from = Math.max(0, Math.min(column - 1 - Math.floor(EXCERPT_WIDTH / 3), text.length - EXCERPT_WIDTH));
  const shown = (from > 0 ? '…' : '') + text.slice(from, from + EXCERPT_WIDTH) + (from + EXCERPT_WIDTH < text.length ? '…' : '');
  const offset = column - 1 - from + (from > 0 ? 1 : 0);
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

/** One native transpiler message, tsc-style, with `fileName` in its locations. */
export function formatNative(m: NativeMessage, fileName: string): string {
  const lines: string[] = [];
  const at = (l: NativeLocation): { column: number; length: number } => {
    const start = utf16Index(l.lineText, l.column);
    return { column: start + 1, length: utf16Index(l.lineText, l.column + l.length) - start };
  };
  if (m.location) {
    const { column, length } = at(m.location);
    lines.push(`${fileName}:${m.location.line}:${column} - error: ${m.text}`);
    lines.push('', ...excerptLine(m.location.lineText, m.location.line, column, length));
  } else {
    lines.push(`error: ${m.text}`);
  }
  for (const note of m.notes ?? []) {
    // Only notes about the student's own file: one about the kit's settings (esbuild's
    // `<tsconfig.json>`, where strict mode is turned on) names no place the student could change.
    if (!note.location || (note.location.file !== undefined && note.location.file !== m.location?.file)) continue;
    lines.push(`  ${fileName}:${note.location.line}:${at(note.location).column}: ${note.text.replace(/:$/, '')}`);
  }
  return lines.join('\n');
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
