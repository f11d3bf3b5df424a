/**
 * Compiler diagnostics as a student expects them from `tsc`: the location, the code, the whole
 * message chain (an overload error's reasons, not only "No overload matches this call"), the
 * related locations, and the line of code with a caret under the span. Locations name the file
 * by its bare name here; {@link atPath} puts the path the student would click in its place, after
 * the cache (the same source in another folder gives the same messages).
 */
import ts from 'typescript';

/** Longest excerpt line shown; longer lines are cut around the caret. */
const EXCERPT_WIDTH = 120;

/** `line:column` (both from 1) of a position. */
function where(file: ts.SourceFile, pos: number): { line: number; column: number } {
  const { line, character } = file.getLineAndCharacterOfPosition(pos);
  return { line: line + 1, column: character + 1 };
}

/** The line of code at `start`, numbered, with a caret (and tildes) under `length` characters. */
export function excerpt(file: ts.SourceFile, start: number, length: number): string[] {
  const { line, column } = where(file, start);
  const lineStart = file.getPositionOfLineAndCharacter(line - 1, 0);
  const text = file.text.slice(lineStart).split(/\r\n|[\n\r\u2028\u2029]/)[0];
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

/** One diagnostic, tsc-style, with `fileName` in its location. */
export function formatDiagnostic(d: ts.Diagnostic, fileName: string): string {
  const category = d.category === ts.DiagnosticCategory.Warning ? 'warning' : 'error';
  const chain = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  const lines: string[] = [];
  if (d.file && d.start !== undefined) {
    const { line, column } = where(d.file, d.start);
    lines.push(`${fileName}:${line}:${column} - ${category} TS${d.code}: ${chain}`);
    lines.push('', ...excerpt(d.file, d.start, d.length ?? 1));
  } else {
    lines.push(`${category} TS${d.code}: ${chain}`);
  }
  for (const r of d.relatedInformation ?? []) {
    const text = ts.flattenDiagnosticMessageText(r.messageText, '\n');
    if (r.file && r.start !== undefined && r.file.fileName === d.file?.fileName) {
      const { line, column } = where(r.file, r.start);
      lines.push(`  ${fileName}:${line}:${column}: ${text}`);
    } else {
      lines.push(`  ${text}`);
    }
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
