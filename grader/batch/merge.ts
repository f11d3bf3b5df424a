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
import { mergeGrades, parseCsv, readGrades, type GradeRow, type GradesRun } from './csv';
import { reportFolders } from './discover';
import { classEntries, writeOverviewPage, type ClassEntries } from './overview';
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
  let reports: ClassReports | undefined;
  try {
    merged = mergeGrades(files);
    // The students' reports are read before anything is written: a folder that holds none of
    // them (the wrong one) is refused with nothing written.
    if (reportDir !== undefined && merged.students > 0) reports = classReports(merged.text, out, reportDir);
    writeOutput(outPath, merged.text);
  } catch (err) {
    // The message may quote the files' cells (students' ids): escaped.
    process.stderr.write(`merge:grades: ${safeText((err as Error).message)}\n`);
    return err instanceof NoReports ? 2 : 1;
  }
  process.stdout.write(`merged ${files.length} file${files.length === 1 ? '' : 's'}: ${merged.students} student${merged.students === 1 ? '' : 's'} in ${out}\n`);
  if (reportDir === undefined) return 0;
  if (!reports) {
    // (An overview of nobody would replace a shard's page with an empty one.)
    process.stderr.write(`merge:grades: the grades hold no student: no class overview is written in ${safeLine(reportDir)}\n`);
    return 0;
  }
  try {
    const page = await writeOverviewPage(reportDir, reports.read, reports.run, !noFigures);
    process.stdout.write(`the class overview: ${safeLine(page)}\n`);
    const lacking = reports.read.unmatched;
    if (lacking.length > 0) {
      const shown = lacking.length > 5 ? `${lacking.slice(0, 5).map(safeLine).join(', ')} and ${lacking.length - 5} more` : lacking.map(safeLine).join(', ');
      process.stderr.write(`merge:grades: ${lacking.length} student${lacking.length === 1 ? ' has' : 's have'} no report of this grading in ${safeLine(reportDir)} (${shown}: no result.json, or one of another seed, score or lab): the overview counts their rows alone, and says so; gather every shard's report folders there\n`);
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

/** The report folder holds no report of the grades merged: nothing is written there. */
class NoReports extends Error {}

/** The merged class's entries for its overview, and the run they were graded in. */
interface ClassReports {
  read: ClassEntries;
  run: GradesRun;
}

/**
 * The merged grades' students, with each one's result read back from `reportDir` (their folders
 * named as the batch named them). Throws NoReports when not one graded student has a report of
 * this grading there.
 */
function classReports(mergedText: string, name: string, reportDir: string): ClassReports {
  const head = parseCsv(mergedText)[0];
  const partNames = head.slice(1, head.indexOf('total'));
  const { rows, run } = readGrades(mergedText, partNames, name);
  const ids = rows.map((r) => r.student);
  const folders = reportFolders(ids);
  const students = ids.map((id, k) => ({ id, folder: folders[k] }));
  const byId = new Map<string, GradeRow>(rows.map((r) => [r.student, r]));
  const whole: GradesRun = { seed: run!.seed, shard: '1/1' };
  const read = classEntries(reportDir, students, (id) => byId.get(id)!, whole, partNames);
  // Not one report of this grading: the wrong folder (its parent, another class's or lab's),
  // whose page would be written over with one that knows nothing of the class.
  const graded = rows.filter((r) => r.status !== 'not graded').length;
  if (graded > 0 && read.unmatched.length === graded) throw new NoReports(`none of the ${graded} students graded has a report of this grading in ${reportDir} (a result.json of the same seed, score and parts in their folder): give the folder that holds their report folders; nothing was written`);
  return { read, run: whole };
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
