/**
 * The one sanitizer for text that comes from a submission or from a file or folder name (a
 * student's id in a batch) and reaches a terminal, a log, a CI runner or a text file. It makes such
 * text safe to show and to store in results:
 *
 * - every control character and every invisible formatting character is shown ESCAPED, as text
 *   (`\x1b`, `\u009b`, `\u202e`), never passed through and never silently dropped: a reader sees
 *   that something was there. That covers the C0 controls (ESC, so every CSI and OSC sequence, the
 *   clipboard-writing OSC 52 included, BEL, BS, ...), DEL, the C1 controls (U+0080..U+009F: the
 *   8-bit CSI U+009B and OSC U+009D among them), and Unicode's format characters (category Cf):
 *   bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069; they reorder what a line
 *   shows, "Trojan Source"), zero-width spaces and joiners, the byte-order mark, soft hyphens,
 *   invisible operators and tag characters. Those are shown escaped rather than kept because a
 *   grading report has no use for them and they let one string pass for another (`sig\u200bmoid`
 *   looks like a function's name; a culture-aware search such as .NET's default `IndexOf`, used by CI
 *   runners, skips zero-width characters, so `#\u200b#[` may be found as `##[`). Lone surrogates
 *   and the non-characters U+FFFE and U+FFFF are shown escaped too (no file can hold them as text);
 * - line breaks other than LF (CRLF, CR, NEL, LS, PS, VT, FF) become LF in multi-line text (a lone
 *   CR would let a line overwrite the one a terminal shows), and are shown escaped in a one-line
 *   field (a name, an id);
 * - no line can be run as a CI workflow command: `::` at a line's start (after white space) as
 *   GitHub reads it, and `##[` (GitHub's older commands) and `##vso[` (Azure Pipelines') ANYWHERE
 *   in a line, since both runners look these up with IndexOf;
 * - no absolute paths of the grading machine (the scratch folder becomes `<submission>`, the kit
 *   `<kit>`), and a bounded length.
 *
 * Tabs are kept in multi-line text (they move the cursor right, never elsewhere). The backslash is
 * not escaped: a student who writes `\x1b` as text shows that text, harmlessly. Every function
 * here is idempotent: text it returned goes through it again unchanged, so a report may sanitize
 * what a stage already did.
 */
import { KIT_ROOT } from '../lib/paths';
import type { FigureResult } from '../result';
import { escapeCodePoint, escapeHidden, LINE_BREAKS } from './escape';

export { escapeCodePoint };

/** Longest message kept, in characters. */
export const MAX_MESSAGE_CHARS = 1000;

/**
 * Multi-line text with every control and invisible formatting character shown escaped, and every
 * line break an LF (tabs kept). Markers of workflow commands are left to {@link defuseCommands}.
 */
export function escapeText(text: string): string {
  return escapeHidden(text.replace(LINE_BREAKS, '\n'), '\t\n');
}

/** One line (a name, an id) with every control, line break, tab and invisible character shown escaped. */
export function escapeLine(text: string): string {
  return escapeHidden(text);
}

/** A line's start that GitHub Actions reads as a workflow command: `::` after any white space (the runner trims Unicode white space). */
const LINE_COMMAND = /^([\s\u0085\u180e\u200b\ufeff]*)::/gm;
/** Markers runners find anywhere in a line: GitHub's old `##[name]`, Azure Pipelines' `##vso[` (matched without regard to case). */
const ANYWHERE_COMMAND = /##(\[|vso\[)/gi;

/**
 * Text that no CI runner reads as a workflow command: every kind of line break becomes \n; a line
 * that would begin with `::` gets a space inside the marker (`: :`), and every `##[` or `##vso[`
 * wherever it is becomes `# #[` (`# #vso[`). The result holds no marker, and defusing it again
 * changes nothing.
 */
export function defuseCommands(text: string): string {
  return text
    .replace(LINE_BREAKS, '\n')
    .replace(LINE_COMMAND, (_, space: string) => `${space}: :`)
    .replace(ANYWHERE_COMMAND, (_, rest: string) => `# #${rest}`);
}

/** Text from a submission as a terminal, a log or a text file may show it: escaped, then defused. */
export function safeText(text: string): string {
  return defuseCommands(escapeText(text));
}

/** One line from a submission or a name as a terminal, a log or a text file may show it. */
export function safeLine(text: string): string {
  return defuseCommands(escapeLine(text));
}

/** The first `max` characters, never cutting a surrogate pair in two. */
export function cut(text: string, max: number): string {
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** Sanitizes one message (multi-line): escaped, defused, paths of the machine replaced, capped. */
export function sanitize(text: string, scratchDir?: string, max: number = MAX_MESSAGE_CHARS): string {
  let out = escapeText(text);
  if (scratchDir) out = out.split(scratchDir).join('<submission>');
  out = out.split(KIT_ROOT).join('<kit>');
  if (out.length > max) out = `${cut(out, max)}… (cut at ${max} characters)`;
  // Last: a path replaced or a cut cannot bring two halves of a marker together afterwards.
  return defuseCommands(out);
}

/** Sanitizes the sentences of figure records (they quote what the student's code returned). */
export function sanitizeFigures(figures: readonly FigureResult[], scratchDir?: string): FigureResult[] {
  return figures.map((f) => ({ ...f, notes: f.notes.map((n) => sanitize(n, scratchDir)), meaning: f.meaning.map((m) => sanitize(m, scratchDir)) }));
}
