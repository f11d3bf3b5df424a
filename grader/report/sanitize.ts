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
/** Every line break a reader may split on besides \n: CR, NEL (U+0085), LS, PS, VT, FF. */
// eslint-disable-next-line no-control-regex
const LINE_BREAKS = /\r\n|[\r\u0085\u2028\u2029\u000b\u000c]/g;
/** C0 controls but tab and newline, DEL, and C1 controls (U+0080..U+009F: 8-bit escapes such as CSI). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g;
/**
 * A line GitHub Actions would run as a workflow command: `::name ...::` or the older `##[name]`,
 * after any white space (the runner trims Unicode white space, NEL and NBSP included).
 */
const WORKFLOW_COMMAND = /^([\s\u0085\u180e\u200b\ufeff]*)(::|##\[)/gm;

/**
 * Text that no CI runner reads as a workflow command: every kind of line break becomes \n, and a
 * line that would begin with `::` or `##[` gets a space inside the marker (`: :`, `# #[`).
 */
export function neutralizeWorkflowCommands(text: string): string {
  return text.replace(LINE_BREAKS, '\n').replace(WORKFLOW_COMMAND, (_, space: string, marker: string) => `${space}${marker === '::' ? ': :' : '# #['}`);
}

/** Sanitizes one message. */
export function sanitize(text: string, scratchDir?: string, max: number = MAX_MESSAGE_CHARS): string {
  // Line breaks first (NEL is also a C1 control, which the next step drops), then controls, then
  // commands: no removal may bring a marker to the start of a line after the commands were checked.
  let out = text.replace(ANSI, '').replace(LINE_BREAKS, '\n').replace(CONTROL, '');
  out = neutralizeWorkflowCommands(out);
  if (scratchDir) out = out.split(scratchDir).join('<submission>');
  out = out.split(KIT_ROOT).join('<kit>');
  if (out.length > max) out = `${out.slice(0, max)}… (cut at ${max} characters)`;
  return out;
}

/** Sanitizes the sentences of figure records (they quote what the student's code returned). */
export function sanitizeFigures(figures: readonly FigureResult[], scratchDir?: string): FigureResult[] {
  return figures.map((f) => ({ ...f, notes: f.notes.map((n) => sanitize(n, scratchDir)), meaning: f.meaning.map((m) => sanitize(m, scratchDir)) }));
}
