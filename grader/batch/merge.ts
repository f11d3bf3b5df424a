/**
 * `npm run merge:grades -- --out grades.csv shard-1.csv shard-2.csv …`: joins the grades files of
 * a class graded in shards (`--shard i/n` on n runners) into one. Refuses files with other columns
 * and a student that appears twice; the rows come out sorted by student id. With `--report-dir
 * DIR` (the shards' report folders gathered in one), it also writes the whole class's overview
 * page there: each shard wrote one that counted its own students only, over the others'.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { outputProblem, outputTarget, sameFolder, within, writeOutput } from '../write';
import { mergeGrades, parseCsv, readGrades, type GradeRow } from './csv';
import { reportFolders } from './discover';
import { writeClassOverview } from './overview';
import { parseArgsMessage } from '../usage';
import { safeLine, safeText } from '../report/sanitize';

const USAGE = 'usage: npm run merge:grades -- --out grades.csv [--report-dir DIR [--no-figures]] SHARD.csv [SHARD.csv …]\n';

/** Runs the command; resolves with the exit status. */
export async function main(argv: string[]): Promise<number> {
  let out: string | undefined;
  let reportDir: string | undefined;
  let noFigures = false;
  let inputs: string[];
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { out: { type: 'string' }, 'report-dir': { type: 'string' }, 'no-figures': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
    if (values.help) { process.stdout.write(USAGE); return 0; }
    out = values.out;
    reportDir = values['report-dir'];
    noFigures = values['no-figures'] ?? false;
    inputs = positionals;
  } catch (err) {
    process.stderr.write(`merge:grades: ${safeText(parseArgsMessage(err))}\n${USAGE}`);
    return 2;
  }
  if (!out || inputs.length === 0) {
    process.stderr.write(`merge:grades: ${!out ? '--out FILE is needed' : 'give the shards\' grades files'}\n${USAGE}`);
    return 2;
  }
  if (noFigures && reportDir === undefined) {
    process.stderr.write(`merge:grades: --no-figures goes with --report-dir DIR\n${USAGE}`);
    return 2;
  }
  // The report folder is checked before anything is written: a merge that cannot write the page asked for writes nothing.
  if (reportDir !== undefined) {
    const why = reportDirProblem(reportDir, out);
    if (why) {
      process.stderr.write(`merge:grades: ${safeLine(why)}\n`);
      return 2;
    }
  }
  const outPath = path.resolve(out);
  const problem = outputProblem(out);
  if (problem) {
    process.stderr.write(`merge:grades: ${safeLine(problem)}\n`);
    return 2;
  }
  const files: { name: string; text: string }[] = [];
  for (const name of inputs) {
    if (path.resolve(name) === outPath || outputTarget(name) === outputTarget(out)) {
      process.stderr.write(`merge:grades: ${name} is both an input and --out\n`);
      return 2;
    }
    try {
      files.push({ name, text: fs.readFileSync(name, 'utf8') });
    } catch (err) {
      process.stderr.write(`merge:grades: cannot read ${safeLine(name)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
      return 2;
    }
  }
  let merged: { text: string; students: number };
  try {
    merged = mergeGrades(files);
    writeOutput(outPath, merged.text);
  } catch (err) {
    // The message may quote the files' cells (students' ids): escaped.
    process.stderr.write(`merge:grades: ${safeText((err as Error).message)}\n`);
    return 1;
  }
  process.stdout.write(`merged ${files.length} file${files.length === 1 ? '' : 's'}: ${merged.students} student${merged.students === 1 ? '' : 's'} in ${out}\n`);
  if (reportDir === undefined) return 0;
  if (merged.students === 0) {
    // (An overview of nobody would replace a shard's page with an empty one.)
    process.stderr.write(`merge:grades: the grades hold no student: no class overview is written in ${safeLine(reportDir)}\n`);
    return 0;
  }
  try {
    const { page, withoutFolder } = await classOverview(merged.text, out, reportDir, !noFigures);
    process.stdout.write(`the class overview: ${safeLine(page)}\n`);
    if (withoutFolder.length > 0) {
      const shown = withoutFolder.length > 5 ? `${withoutFolder.slice(0, 5).map(safeLine).join(', ')} and ${withoutFolder.length - 5} more` : withoutFolder.map(safeLine).join(', ');
      process.stderr.write(`merge:grades: ${withoutFolder.length} student${withoutFolder.length === 1 ? ' has' : 's have'} no report of this grading in ${safeLine(reportDir)} (${shown}: no result.json, or one of another seed or score): the overview counts their rows, without their tests; gather every shard's report folders there\n`);
    }
    return 0;
  } catch (err) {
    process.stderr.write(`merge:grades: the grades were merged, but the class overview could not be written: ${safeText(err instanceof Error ? err.message : String(err))}\n`);
    return 1;
  }
}

/**
 * Why the overview cannot be written in `reportDir`, or why `out` must not be written there: the
 * overview's page and charts, and the students' folders (their result.json is what the page
 * reads), are the report folder's. A grades file at its top is fine. Undefined when neither.
 */
function reportDirProblem(reportDir: string, out: string): string | undefined {
  if (!fs.statSync(reportDir, { throwIfNoEntry: false })?.isDirectory()) return `--report-dir ${reportDir} is not a folder: give the folder that holds the shards' report folders`;
  try {
    fs.accessSync(reportDir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    return `--report-dir ${reportDir} cannot be written to (${(err as NodeJS.ErrnoException).code ?? 'unwritable'}): the class overview goes there`;
  }
  const target = outputTarget(out);
  if (within(target, path.join(reportDir, 'index.html')) || within(target, path.join(reportDir, 'overview')) || (within(target, reportDir) && !sameFolder(path.dirname(target), reportDir))) {
    return `--out ${out} would write over a file of the report folder ${reportDir} (the class overview, its charts, or a student's report): name a file outside them`;
  }
  return undefined;
}

/**
 * The whole class's overview page, from the merged grades and each student's result.json in
 * `reportDir` (their folders named as the batch named them); which students have no folder there.
 */
async function classOverview(mergedText: string, name: string, reportDir: string, drawCharts: boolean): Promise<{ page: string; withoutFolder: string[] }> {
  const head = parseCsv(mergedText)[0];
  const partNames = head.slice(1, head.indexOf('total'));
  const { rows, run } = readGrades(mergedText, partNames, name);
  const ids = rows.map((r) => r.student);
  const folders = reportFolders(ids);
  const students = ids.map((id, k) => ({ id, folder: folders[k] }));
  const byId = new Map<string, GradeRow>(rows.map((r) => [r.student, r]));
  const { page, unmatched } = await writeClassOverview(reportDir, students, (id) => byId.get(id)!, { seed: run!.seed, shard: '1/1' }, drawCharts);
  return { page, withoutFolder: unmatched };
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
