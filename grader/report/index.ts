/** The output formats, each a pure function from a result to bytes. */
import type { GradeResult } from '../result';
import { renderText } from './text';
import { renderJson } from './json';
import { renderGradescope } from './gradescope';

/** Formats `--format` accepts. */
export const FORMATS = ['text', 'json', 'gradescope'] as const;

/** One of {@link FORMATS}. */
export type Format = (typeof FORMATS)[number];

/** Renders a result in a format (text without colour: files never hold escape codes). */
export function render(result: GradeResult, format: Format): string {
  switch (format) {
    case 'text': return renderText(result, { color: false, verbose: true });
    case 'json': return renderJson(result);
    case 'gradescope': return renderGradescope(result);
  }
}
