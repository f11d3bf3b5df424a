/**
 * A Markdown summary for GitHub Actions' $GITHUB_STEP_SUMMARY: the score table, what to fix, and a
 * link to the figures when the report folder is uploaded as an artifact. A pure function.
 */
import type { GradeResult } from '../result';
import { defuseCommands, escapeText } from './sanitize';
import { isolationNote } from './text';

/** Where the figures can be found (the workflow run's artifacts), when known. */
export interface GithubOptions {
  /** A link to the run's artifacts, e.g. built from GITHUB_SERVER_URL, GITHUB_REPOSITORY and GITHUB_RUN_ID. */
  artifactsUrl?: string;
}

/**
 * Text that GitHub's Markdown (cmark-gfm) shows as the same text and nothing else, also inside a
 * table cell: controls and invisible characters shown escaped (the kit's one sanitizer); one
 * line; every ASCII punctuation character backslash-escaped, so that no link,
 * image, emphasis, code span, HTML tag or autolinked URL can start; and a zero-width space after
 * each `@`, which an e-mail autolink would otherwise still join across the escape.
 */
export function markdownText(text: string): string {
  return escapeText(text)
    .replace(/\n+/g, ' ')
    .replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`)
    .replace(/@/g, '@\u200b');
}
const cell = markdownText;

function points(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

const MARK: Record<string, string> = { pass: '✅', partial: '🟡', fail: '❌', 'not-implemented': '⬜', error: '⚠️' };

/** Renders the summary. */
export function renderGithub(result: GradeResult, options: GithubOptions = {}): string {
  const out = [`## ${markdownText(result.title)}: ${points(result.score)}/${points(result.maxScore)}`, ''];
  if (result.status !== 'graded') out.push(`**Not graded:** ${cell(result.message ?? result.status)}`, '');
  out.push('| | part | points | what to fix |', '| --- | --- | --- | --- |');
  for (const p of result.parts) {
    out.push(`| ${MARK[p.status] ?? ''} | \`${p.name}\` | ${points(p.points)}/${points(p.maxPoints)} | ${p.feedback.map(cell).join('<br>')} |`);
  }
  if (result.figures) {
    out.push('', '### Figures', '');
    for (const f of result.figures) {
      const said = [...f.meaning, ...f.notes];
      out.push(`- **${cell(f.title.trim())}**: ${said.length ? said.map(cell).join('; ') : 'shows what the reference shows'}`);
    }
    out.push('', options.artifactsUrl
      ? `The figures (yours, the reference, the difference) and the report page are in [this run's artifacts](${options.artifactsUrl}).`
      : 'The figures (yours, the reference, the difference) and the report page are in the report folder.');
  }
  const isolation = isolationNote(result);
  out.push('', `<sub>seed ${result.seed}${result.hiddenTests !== undefined ? ` · unofficial: ${result.hiddenTests} hidden tests not run` : result.advisory ? ' · advisory score' : ''}${isolation ? ` · ${cell(isolation)}` : ''}</sub>`, '');
  return defuseCommands(out.join('\n'));
}
