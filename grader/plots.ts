/**
 * `npm run plots`: the lab's figures from the student's functions, with the knobs the notebook
 * invites students to turn ("try changing ..."), beside the same figures from the solution.
 *
 *   npm run plots -- [--lab ID] [the lab's knobs as flags: its code's knobs.flags]
 *
 * Nothing is graded here (grading always uses the lab's values). The steps are those of grading,
 * minus the tests: take the file in, compile it, probe it in the sandbox, draw, write.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isIntakeProblem, takeIn } from './stages/intake';
import { atPath } from './stages/compile-messages';
import { currentLab, currentLabCode, kitPaths } from './lib/paths';
import { compile } from './stages/compile';
import { probeAndRender } from './stages/render';
import { Renderer } from './render/client';
import { renderFiguresPage } from './report/html';
import { sanitize, sanitizeFigures } from './report/sanitize';
import { prepareScratch, sandboxOptionsFor, scratchBase } from './sandbox/runtime';
import { detectIsolation } from './sandbox/isolation';
import { makeScratch, removeScratch } from './sandbox/reaper';
import { loadReference } from './lib/reference';
import { outputProblem, writeAtomic } from './write';
import { outputFailed, watchOutput } from './lib/output';
import type { LabCode, LabKnobs, RawKnobs } from './lab-code';
import { labFilesText, labIdsText, selectLab } from './lib/choose-lab';
import { tmpdirProblem } from './lib/tmpdir';

/** A command line the plots command cannot act on. */
export class PlotsUsageError extends Error {}

/** A flag's usage line with its description in the help's column (`--steps N   description`). */
function aligned(usage: string): string {
  const m = /^(--\S+(?: [A-Z][A-Z0-9,_]*)?)\s+(.*)$/.exec(usage);
  return m ? `${m[1].padEnd(24)} ${m[2]}` : usage;
}

/** The command's help: the lab's knobs as flags, then the options every lab has. */
export function plotsUsage(knobs: LabKnobs<unknown> | undefined): string {
  return `usage: npm run plots -- [options]

Draws the lab's figures from your functions, with the notebook's knobs, beside the reference.

${(knobs?.flags ?? []).map((f) => `  ${aligned(f.usage)}\n`).join('')}  --submission PATH        a lab's file (${labFilesText()}), or a folder holding one (default: exercises/)
  --lab ID                 the lab: ${labIdsText()} (default: the lab whose file --submission is or holds, else the kit's default)
  --out-dir DIR            where the PNGs and index.html go            (default: grade-report/plots)
`;
}

/** Parsed options of the plots command. */
export interface PlotsOptions {
  /** The knobs (the lab's own shape). */
  knobs: unknown;
  /** The submission. */
  submission?: string;
  /** Where the figures go. */
  outDir: string;
  /** `--help`. */
  help: boolean;
}

/** Which flag (and which of its values) sets a knob, for messages about the command line: `--range START`. */
function flagOf(knobs: LabKnobs<unknown>, name: string): string {
  const f = knobs.flags.find((g) => g.names.includes(name));
  if (!f) return name;
  // The value's name as the usage line writes it (START,STOP,NUM), when it does.
  const words = /^--\S+\s+(\S+)/.exec(f.usage)?.[1].split(',');
  return f.names.length === 1 || words?.length !== f.names.length ? f.flag : `${f.flag} ${words[f.names.indexOf(name)]}`;
}

/** Splits a flag's comma-separated value into exactly `names.length` texts. */
function split(flag: string, text: string, names: readonly string[], raw: RawKnobs): void {
  const parts = text.split(',');
  if (parts.length !== names.length || parts.some((p) => p.trim() === '')) {
    throw new PlotsUsageError(`${flag} takes ${names.length === 1 ? 'a number' : `${names.length} numbers separated by commas`}; got ${text}`);
  }
  names.forEach((name, i) => { raw[name] = parts[i]; });
}

/** Parses argv (without node and the script); starts from the lab's knobs, checked as the live page checks them. */
export function parsePlotsArgs(argv: string[], knobs: LabKnobs<unknown>, lab: unknown): PlotsOptions {
  const raw: RawKnobs = {};
  const options: Omit<PlotsOptions, 'knobs'> = { outDir: path.join('grade-report', 'plots'), help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined || (v.startsWith('--') && !/^--?\d/.test(v))) throw new PlotsUsageError(`${flag} needs a value`);
      return v;
    };
    const knob = knobs.flags.find((f) => f.flag === flag);
    if (knob) {
      split(flag, take(), knob.names, raw);
      continue;
    }
    switch (flag) {
      case '--submission': options.submission = take(); break;
      case '--out-dir': options.outDir = take(); break;
      case '--help': case '-h': options.help = true; break;
      default: throw new PlotsUsageError(`unknown option ${arg}`);
    }
  }
  const checked = knobs.check(raw, lab);
  if (!checked.ok) {
    throw new PlotsUsageError(Object.entries(checked.problems).map(([name, problem]) => `${flagOf(knobs, name)}: ${problem}`).join('; '));
  }
  return { knobs: checked.knobs, ...options };
}

/** The knobs of a lab without code: none, and nothing to check. */
const NO_KNOBS: LabKnobs<unknown> = { groups: [], flags: [], canonical: () => undefined, check: () => ({ ok: true, knobs: undefined }), asText: () => ({}), describe: () => '' };

/** Runs the command; returns the exit status. */
export async function plotsMain(argv: string[]): Promise<number> {
  watchOutput('plots');
  const code = await plotsRun(argv);
  return outputFailed() ? Math.max(code, 1) : code;
}

async function plotsRun(argv: string[]): Promise<number> {
  // --lab taken out of argv, the lab chosen before anything reads it; its knobs are the flags.
  if (!selectLab('plots', argv, plotsUsage(undefined))) return 2;
  const code: LabCode | undefined = currentLabCode();
  const usage = plotsUsage(code?.knobs);
  let options: PlotsOptions;
  try {
    options = parsePlotsArgs(argv, code?.knobs ?? NO_KNOBS, code?.knobs.canonical(loadReference()));
  } catch (err) {
    if (!(err instanceof PlotsUsageError)) throw err;
    process.stderr.write(`plots: ${err.message}\n\n${usage}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(usage);
    return 0;
  }
  const tmpProblem = tmpdirProblem();
  if (tmpProblem) {
    process.stderr.write(`plots: ${tmpProblem}\n`);
    return 2;
  }
  // Where the page goes, before any work: a folder that cannot be written to failed only at the end.
  const outProblem = outputProblem(path.join(path.resolve(options.outDir), 'index.html'));
  if (outProblem) {
    process.stderr.write(`plots: --out-dir: ${outProblem}\n`);
    return 2;
  }
  if (!code) {
    process.stderr.write(`plots: the lab ${currentLab().id} has no figures to draw\n`);
    return 2;
  }
  // 1. Take the file in and compile it, as grading does.
  const submission = takeIn(options.submission);
  if (isIntakeProblem(submission)) {
    process.stderr.write(`plots: ${submission.message}\n`);
    return 2;
  }
  const isolation = detectIsolation();
  const scratch = makeScratch(scratchBase(isolation), 'vg-plots-');
  const renderer = new Renderer();
  try {
    const layout = prepareScratch(scratch);
    const compiled = await compile(submission.source, layout.submissionDir(0));
    if (!compiled.ok) {
      process.stderr.write(`plots: your code does not compile:\n${compiled.errors.map((e) => atPath(e, kitPaths.submissionFileName, submission.displayName)).join('\n\n')}\n`);
      return 1;
    }
    // 2. Probe the student's functions with the knobs, in the sandbox, and draw beside the solution's.
    const drawn = await probeAndRender(code, renderer, { ...sandboxOptionsFor(layout, isolation), modulePath: compiled.modulePath }, options.knobs);
    if (!drawn.figures) {
      process.stderr.write(`plots: ${drawn.figuresProblem ?? 'no figures were drawn'}\n`);
      return 1;
    }
    // 3. Write: the PNGs and a page with all of them.
    const outDir = path.resolve(options.outDir);
    for (const [file, bytes] of drawn.figures.images) writeAtomic(path.join(outDir, file), bytes);
    const figures = sanitizeFigures(drawn.figures.figures, scratch);
    const page = path.join(outDir, 'index.html');
    writeAtomic(page, renderFiguresPage(currentLab().title, code.knobs.describe(options.knobs), figures, drawn.figures.images, sanitize(drawn.printout.text, scratch)));
    // 4. Tell the student what came out.
    const out: string[] = [`Figures for ${submission.displayName}: ${code.knobs.describe(options.knobs)}`, ''];
    for (const f of figures) {
      out.push(`  ${f.title}: ${path.relative(process.cwd(), path.join(outDir, f.student))}`);
      for (const line of [...f.meaning, ...f.notes]) out.push(`    ${line}`);
    }
    out.push('', "The lab's printed output, computed by your functions:");
    for (const line of sanitize(drawn.printout.text, scratch).replace(/\n$/, '').split('\n')) out.push(`  ${line}`);
    out.push('', `Page: ${path.relative(process.cwd(), page) || page}`);
    process.stdout.write(out.join('\n') + '\n');
    return 0;
  } finally {
    renderer.close();
    removeScratch(scratch);
  }
}

if (require.main === module) {
  plotsMain(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err) => { process.stderr.write(`plots: ${err instanceof Error ? err.stack : String(err)}\n`); process.exitCode = 1; },
  );
}
