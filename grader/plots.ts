/**
 * `npm run plots`: the lab's figures from the student's functions, with the knobs the notebook
 * invites students to turn ("try changing ..."), beside the same figures from the solution.
 *
 *   npm run plots -- --range -100,100,1000 --x-tan 2 --steps 10 --x 1 --ylim -0.5,1.5
 *
 * Nothing is graded here (grading always uses the lab's values). The steps are those of grading,
 * minus the tests: take the file in, compile it, probe it in the sandbox, draw, write.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isIntakeProblem, takeIn } from './stages/intake';
import { atPath } from './stages/compile-messages';
import { kitPaths } from './lib/paths';
import { compile } from './stages/compile';
import { canonicalKnobs, type LabKnobs } from './stages/lab';
import { probeAndRender } from './stages/render';
import { Renderer } from './render/client';
import { renderFiguresPage } from './report/html';
import { sanitize, sanitizeFigures } from './report/sanitize';
import { prepareScratch, sandboxOptionsFor, scratchBase } from './sandbox/runtime';
import { detectIsolation } from './sandbox/isolation';
import { loadReference } from './lib/reference';
import { writeAtomic } from './write';

/** A command line the plots command cannot act on. */
export class PlotsUsageError extends Error {}

/** Largest number of data points: each costs one call into the sandbox per function. */
export const MAX_POINTS = 5000;

export const PLOTS_USAGE = `usage: npm run plots -- [options]

Draws the lab's four figures from your functions, with the notebook's knobs, beside the reference.

  --range START,STOP,NUM   the data: linspace(START, STOP, NUM)        (lab: -5,5,100; try -100,100,1000)
  --x-tan X                where the tangent touches the sigmoid        (lab: 0; try 2)
  --span S                 half the tangent's length                    (lab: 1.7)
  --steps N                the decay loop's number of steps             (lab: 6; try 10)
  --x X                    the decay loop's input                       (lab: 0; try 1)
  --ylim LO,HI             the y-range of "Visualizing Compression"     (lab: none; try -0.5,1.5)
  --submission PATH        a vanishing-gradients.ts file, or a folder holding one (default: exercises/)
  --out-dir DIR            where the PNGs and index.html go            (default: grade-report/plots)
`;

/** Parsed options of the plots command. */
export interface PlotsOptions {
  /** The knobs. */
  knobs: LabKnobs;
  /** The submission. */
  submission?: string;
  /** Where the figures go. */
  outDir: string;
  /** `--help`. */
  help: boolean;
}

function numbers(flag: string, text: string, count: number): number[] {
  const parts = text.split(',').map((t) => t.trim());
  const parsed = parts.map(Number);
  if (parts.length !== count || parts.some((p) => p === '') || parsed.some((v) => !Number.isFinite(v))) {
    throw new PlotsUsageError(`${flag} takes ${count === 1 ? 'a number' : `${count} numbers separated by commas`}; got ${text}`);
  }
  return parsed;
}

/** Parses argv (without node and the script); starts from the lab's knobs. */
export function parsePlotsArgs(argv: string[], lab: LabKnobs): PlotsOptions {
  const options: PlotsOptions = { knobs: { ...lab }, outDir: path.join('grade-report', 'plots'), help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined || (v.startsWith('--') && !/^--?\d/.test(v))) throw new PlotsUsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--range': {
        const [start, stop, num] = numbers(flag, take(), 3);
        if (!Number.isInteger(num) || num < 2 || num > MAX_POINTS) throw new PlotsUsageError(`--range: NUM must be a whole number from 2 to ${MAX_POINTS}; got ${num}`);
        options.knobs.range = [start, stop, num];
        break;
      }
      case '--x-tan': options.knobs.xTan = numbers(flag, take(), 1)[0]; break;
      case '--span': {
        const span = numbers(flag, take(), 1)[0];
        if (span <= 0) throw new PlotsUsageError(`--span must be positive; got ${span}`);
        options.knobs.span = span;
        break;
      }
      case '--steps': {
        const steps = numbers(flag, take(), 1)[0];
        if (!Number.isInteger(steps) || steps < 1 || steps > 1000) throw new PlotsUsageError(`--steps must be a whole number from 1 to 1000; got ${steps}`);
        options.knobs.steps = steps;
        break;
      }
      case '--x': options.knobs.x = numbers(flag, take(), 1)[0]; break;
      case '--ylim': {
        const [lo, hi] = numbers(flag, take(), 2);
        if (!(lo < hi)) throw new PlotsUsageError(`--ylim: LO must be below HI; got ${lo},${hi}`);
        options.knobs.ylim = [lo, hi];
        break;
      }
      case '--submission': options.submission = take(); break;
      case '--out-dir': options.outDir = take(); break;
      case '--help': case '-h': options.help = true; break;
      default: throw new PlotsUsageError(`unknown option ${arg}`);
    }
  }
  return options;
}

function describeKnobs(k: LabKnobs): string {
  return `data linspace(${k.range.join(', ')}) · tangent at x = ${k.xTan} (span ${k.span}) · decay: ${k.steps} steps at x = ${k.x}${k.ylim ? ` · y-limit ${k.ylim.join(' to ')}` : ''}`;
}

/** Runs the command; returns the exit status. */
export async function plotsMain(argv: string[]): Promise<number> {
  const reference = loadReference();
  let options: PlotsOptions;
  try {
    options = parsePlotsArgs(argv, canonicalKnobs(reference));
  } catch (err) {
    if (!(err instanceof PlotsUsageError)) throw err;
    process.stderr.write(`plots: ${err.message}\n\n${PLOTS_USAGE}`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(PLOTS_USAGE);
    return 0;
  }
  // 1. Take the file in and compile it, as grading does.
  const submission = takeIn(options.submission);
  if (isIntakeProblem(submission)) {
    process.stderr.write(`plots: ${submission.message}\n`);
    return 2;
  }
  const isolation = detectIsolation();
  const scratch = fs.mkdtempSync(path.join(scratchBase(isolation), 'vg-plots-'));
  const renderer = new Renderer();
  try {
    const layout = prepareScratch(scratch);
    const compiled = await compile(submission.source, layout.submissionDir(0));
    if (!compiled.ok) {
      process.stderr.write(`plots: your code does not compile:\n${compiled.errors.map((e) => atPath(e, kitPaths.submissionFileName, submission.displayName)).join('\n\n')}\n`);
      return 1;
    }
    // 2. Probe the student's functions with the knobs, in the sandbox, and draw beside the solution's.
    const drawn = await probeAndRender(renderer, { ...sandboxOptionsFor(layout, isolation), modulePath: compiled.modulePath }, options.knobs);
    if (!drawn.figures) {
      process.stderr.write(`plots: ${drawn.figuresProblem ?? 'no figures were drawn'}\n`);
      return 1;
    }
    // 3. Write: the PNGs and a page with all of them.
    const outDir = path.resolve(options.outDir);
    for (const [file, bytes] of drawn.figures.images) writeAtomic(path.join(outDir, file), bytes);
    const figures = sanitizeFigures(drawn.figures.figures, scratch);
    const page = path.join(outDir, 'index.html');
    writeAtomic(page, renderFiguresPage(describeKnobs(options.knobs), figures, drawn.figures.images, sanitize(drawn.printout.text, scratch)));
    // 4. Tell the student what came out.
    const out: string[] = [`Figures for ${submission.displayName}: ${describeKnobs(options.knobs)}`, ''];
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
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  plotsMain(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (err) => { process.stderr.write(`plots: ${err instanceof Error ? err.stack : String(err)}\n`); process.exitCode = 1; },
  );
}
