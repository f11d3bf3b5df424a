/**
 * The terminal report: per part its points and what to fix, the lab's printed block from the
 * student's functions, and last the line `Score: X/Y`. A pure function of the result.
 */
import type { GradeResult, PartResult } from '../result';
import { defuseCommands, escapeLine, escapeText } from './sanitize';

/**
 * Text a student controls (a test's message, a feedback line, a figure's note), as lines of the
 * report: escaped (no control or invisible character reaches the terminal), its first line after
 * `indent`, every further line after `indent` and a gutter (`  | `), so that no line of it starts
 * at column 0 or where the kit's own lines start (`✓ part 20/20`, `Score:`, a failing test's
 * `      ✗ name`): a message cannot pass for the kit's verdicts however many lines it has.
 */
export function messageLines(indent: string, text: string): string[] {
  const [first, ...rest] = escapeText(text).split('\n');
  return [`${indent}${first}`, ...rest.map((l) => `${indent}  | ${l}`)];
}

/** How the text report is drawn. */
export interface TextOptions {
  /** ANSI colours (only on a terminal, and never with NO_COLOR). */
  color: boolean;
  /** Show every failing test under its part, not just the part's feedback. */
  verbose: boolean;
  /** The report page, named on the last line. */
  reportPath?: string;
  /** False where the student cannot grade again with a seed (a course platform): no replay advice. */
  replay?: boolean;
  /** Which lab was graded, and how it was chosen: a line under the heading (npm run grade on a terminal). */
  lab?: string;
}

const paint = (on: boolean, code: string) => (s: string): string => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

function mark(part: PartResult): string {
  switch (part.status) {
    case 'pass': return '✓';
    case 'partial': return '~';
    case 'not-implemented': return '·';
    default: return '✗';
  }
}

function points(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

/** Renders the report as text. */
export function renderText(result: GradeResult, options: TextOptions = { color: false, verbose: true }): string {
  const green = paint(options.color, '32');
  const red = paint(options.color, '31');
  const dim = paint(options.color, '2');
  const bold = paint(options.color, '1');
  const out: string[] = [];
  // A batch's student id is a folder's name, and a submission's name a file's: one line each, escaped.
  out.push(bold(`${escapeLine(result.title)}: grading ${result.student ? `student ${escapeLine(result.student)}, ` : ''}${escapeLine(result.submission)}`));
  if (options.lab) out.push(dim(escapeLine(options.lab)));
  out.push('');

  if (result.status !== 'graded') {
    // A compile error's message is tsc's, with the student's lines quoted after their numbers: its
    // further lines are indented, so that none starts at column 0.
    const [first, ...rest] = escapeText(result.message ?? result.status).split('\n');
    out.push(red(`Not graded: ${first}`));
    for (const l of rest) out.push(l ? `  ${l}` : '');
    out.push('');
  }
  const width = Math.max(...result.parts.map((p) => p.name.length), 8);
  for (const part of result.parts) {
    const score = `${points(part.points)}/${points(part.maxPoints)}`.padStart(7);
    const colour = part.status === 'pass' ? green : part.status === 'partial' ? (s: string) => s : red;
    const tally = part.total > 0 ? dim(`  ${part.passed}/${part.total} tests passed`) : '';
    out.push(`${colour(mark(part))} ${part.name.padEnd(width)} ${score}${tally}`);
    for (const line of part.feedback) for (const l of messageLines('    ', line)) out.push(l);
    if (options.verbose && part.status !== 'not-implemented' && part.status !== 'pass') {
      const failing = result.tests.filter((t) => t.part === part.name && t.status !== 'pass');
      if (failing.length > 1 || (failing.length === 1 && part.feedback.length > 1)) {
        for (const t of failing) out.push(dim(`      ✗ ${t.name}`));
      }
    }
    if (part.output) {
      out.push(dim('    your code printed:'));
      for (const line of escapeText(part.output).split('\n').slice(0, 20)) out.push(dim(`    | ${line}`));
    }
  }
  if (result.loadOutput) {
    out.push('', dim('Your code printed while loading:'));
    for (const line of escapeText(result.loadOutput).split('\n').slice(0, 20)) out.push(dim(`  | ${line}`));
  }
  if (result.warnings.length > 0) {
    out.push('');
    for (const line of warningLines(result.warnings)) out.push(line);
  }
  if (result.figures) {
    const said = result.figures.filter((f) => f.meaning.length > 0 || f.notes.length > 0);
    out.push('', bold('Figures') + dim(` (yours beside the reference${options.reportPath ? ', in the report page' : ''}):`));
    if (said.length === 0) out.push('  Your figures show what the reference figures show.');
    for (const f of said) {
      out.push(`  ${f.title}:`);
      for (const m of [...f.meaning, ...f.notes]) for (const l of messageLines('    ', m)) out.push(l);
    }
  }
  if (result.figuresProblem) {
    const [first, ...rest] = escapeText(result.figuresProblem).split('\n');
    out.push('', first);
    for (const l of rest) out.push(`  | ${l}`);
  }
  if (result.lab) {
    out.push('', bold("The lab's printed output, computed by your functions:"));
    for (const line of escapeText(result.lab.text).replace(/\n$/, '').split('\n')) out.push(`  ${line}`);
  }
  if (result.hiddenTests !== undefined) {
    out.push('', bold(unofficialNote(result.hiddenTests)));
  } else {
    // Replaying a seed means something only when tests ran (not after a compile error, say).
    if (result.tests.length > 0 && options.replay !== false) out.push('', dim(`seed ${result.seed} (grade again with --seed ${result.seed} to replay the hidden tests' inputs)`));
    else out.push('');
    if (result.advisory) out.push(dim('This score is advisory: your course grades your submitted file with its own copy of the tests.'));
  }
  const isolation = isolationNote(result);
  if (isolation) out.push(dim(isolation));
  // (The page's path holds a batch's student id: a folder's name.)
  const page = options.reportPath ? `   (report: ${escapeLine(options.reportPath)})` : '';
  out.push(bold(`Score: ${points(result.score)}/${points(result.maxScore)}`) + page);
  // CI logs show this text: whatever a message carries, no line of it is a workflow command.
  return defuseCommands(out.join('\n')) + '\n';
}

/** The line every report carries when student code ran with weak isolation (none otherwise). */
export function isolationNote(result: GradeResult): string | undefined {
  if (result.isolation?.mode !== 'weak') return undefined;
  return `isolation: weak: ${result.isolation.detail}.${result.advisory ? ' That is fine for your own code on your own machine; course graders isolate it further.' : ''}`;
}

/** What the student release says under its score. */
export function unofficialNote(hiddenTests: number): string {
  return `Unofficial score: only the public tests ran here. When you submit, your course's grader also runs ${hiddenTests} hidden test${hiddenTests === 1 ? '' : 's'} (new inputs for every function), so your official score can be lower.`;
}

/**
 * The warnings block: a warning is tsc's message with its code excerpt, every line indented, a
 * blank line between two.
 */
export function warningLines(warnings: readonly string[]): string[] {
  const out = ['Warnings (they cost no points, but fix them):'];
  warnings.forEach((w, i) => {
    if (i > 0) out.push('');
    for (const l of escapeText(w).split('\n')) out.push(l ? `  ${l}` : '');
  });
  return out;
}
