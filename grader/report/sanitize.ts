/**
 * Makes text safe to show and to store in results: no absolute paths of the grading machine
 * (the scratch folder becomes `<submission>`, the kit `<kit>`), no terminal colour codes,
 * no control characters, and a bounded length.
 */
import { KIT_ROOT } from '../lib/paths';
import type { FigureResult } from '../result';

/** Longest message kept, in characters. */
export const MAX_MESSAGE_CHARS = 1000;

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Sanitizes one message. */
export function sanitize(text: string, scratchDir?: string, max: number = MAX_MESSAGE_CHARS): string {
  let out = text.replace(ANSI, '').replace(CONTROL, '');
  // GitHub Actions reads lines starting with "::" as workflow commands (::set-output, ::notice):
  // text a student controls must never issue one.
  out = out.replace(/^(\s*)::/gm, '$1: :');
  if (scratchDir) out = out.split(scratchDir).join('<submission>');
  out = out.split(KIT_ROOT).join('<kit>');
  if (out.length > max) out = `${out.slice(0, max)}… (cut at ${max} characters)`;
  return out;
}

/** Sanitizes the sentences of figure records (they quote what the student's code returned). */
export function sanitizeFigures(figures: readonly FigureResult[], scratchDir?: string): FigureResult[] {
  return figures.map((f) => ({ ...f, notes: f.notes.map((n) => sanitize(n, scratchDir)), meaning: f.meaning.map((m) => sanitize(m, scratchDir)) }));
}
