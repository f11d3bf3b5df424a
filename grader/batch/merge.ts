/**
 * `npm run merge:grades -- --out grades.csv shard-1.csv shard-2.csv …`: joins the grades files of
 * a class graded in shards (`--shard i/n` on n runners) into one. Refuses files with other columns
 * and a student that appears twice; the rows come out sorted by student id.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { outputProblem, outputTarget, writeOutput } from '../write';
import { mergeGrades } from './csv';
import { parseArgsMessage } from '../usage';
import { safeLine, safeText } from '../report/sanitize';

const USAGE = 'usage: npm run merge:grades -- --out grades.csv SHARD.csv [SHARD.csv …]\n';

/** Runs the command; returns the exit status. */
export function main(argv: string[]): number {
  let out: string | undefined;
  let inputs: string[];
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
    if (values.help) { process.stdout.write(USAGE); return 0; }
    out = values.out;
    inputs = positionals;
  } catch (err) {
    process.stderr.write(`merge:grades: ${safeText(parseArgsMessage(err))}\n${USAGE}`);
    return 2;
  }
  if (!out || inputs.length === 0) {
    process.stderr.write(`merge:grades: ${!out ? '--out FILE is needed' : 'give the shards\' grades files'}\n${USAGE}`);
    return 2;
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
  try {
    const merged = mergeGrades(files);
    writeOutput(outPath, merged.text);
    process.stdout.write(`merged ${files.length} file${files.length === 1 ? '' : 's'}: ${merged.students} students in ${out}\n`);
    return 0;
  } catch (err) {
    // The message may quote the files' cells (students' ids): escaped.
    process.stderr.write(`merge:grades: ${safeText((err as Error).message)}\n`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
