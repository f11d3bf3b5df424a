/** The output formats, each a pure function from a result (and its images) to bytes. */
import type { GradeResult } from '../result';
import { renderText } from './text';
import { renderJson } from './json';
import { renderGradescope } from './gradescope';
import { renderPrairieLearn } from './prairielearn';
import { renderJunit } from './junit';
import { renderGithub } from './github';

/** Formats `--format` accepts. */
export const FORMATS = ['text', 'json', 'gradescope', 'prairielearn', 'junit', 'github'] as const;

/** One of {@link FORMATS}. */
export type Format = (typeof FORMATS)[number];

/** What some formats need beyond the result. */
export interface RenderContext {
  /** The figures' PNGs by report file name (PrairieLearn embeds them). */
  images?: ReadonlyMap<string, Buffer>;
  /** A link to the CI run's artifacts (the GitHub summary links the figures there). */
  artifactsUrl?: string;
}

/** Renders a result in a format (text without colour: files never hold escape codes). */
export function render(result: GradeResult, format: Format, context: RenderContext = {}): string {
  switch (format) {
    case 'text': return renderText(result, { color: false, verbose: true });
    case 'json': return renderJson(result);
    case 'gradescope': return renderGradescope(result);
    case 'prairielearn': return renderPrairieLearn(result, context.images);
    case 'junit': return renderJunit(result);
    case 'github': return renderGithub(result, { artifactsUrl: context.artifactsUrl });
  }
}
