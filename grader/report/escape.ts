/**
 * Which characters a reader cannot see, and how each is shown instead: the one definition every
 * place that shows a submission's text uses (report/sanitize.ts for terminals, logs and files,
 * render/chart.ts for figures, stages/compile-messages.ts for the line under a compiler message).
 * A module of its own, importing nothing: the compilers' children use it without loading the
 * kit's paths.
 */

/**
 * What a reader cannot see, or what moves or reorders what they see: controls (C0, DEL, C1),
 * format characters (Cf: bidi overrides and isolates, zero-width characters, the byte-order mark,
 * soft hyphens, tags), lone surrogates, line and paragraph separators, and the non-characters
 * U+FFFE and U+FFFF.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\uFFFE\uFFFF]/gu;
const HIDDEN_ONE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\uFFFE\uFFFF]$/u;

/** Every line break a reader may split on: CRLF, LF, CR, NEL (U+0085), LS, PS, VT, FF. */
export const LINE_BREAKS = /\r\n|[\n\r\u0085\u2028\u2029\u000b\u000c]/g;

/** Whether one character (a code point) is hidden. */
export function isHidden(ch: string): boolean {
  return HIDDEN_ONE.test(ch);
}

/** `text` with every hidden character shown escaped, but those in `keep` (tab and LF in multi-line text). */
export function escapeHidden(text: string, keep = ''): string {
  return text.replace(HIDDEN, (ch) => (keep.includes(ch) ? ch : escapeCodePoint(ch)));
}

/** Names for the escapes a reader knows best. */
const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One code point as visible text: `\x1b` (C0, DEL), `\u009b` (up to U+FFFF), `\u{e0041}` (above). */
export function escapeCodePoint(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const cp = ch.codePointAt(0)!;
  if (cp < 0x80) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp <= 0xffff) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\u{${cp.toString(16)}}`;
}
