/**
 * One code point as visible text. A module of its own, importing nothing: the compilers' children
 * word their messages with it (stages/compile-messages.ts) without loading the kit's paths.
 */

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
