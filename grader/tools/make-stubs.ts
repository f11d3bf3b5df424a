/**
 * Generates the student's stubs (exercises/) from the solutions (solutions/), like nbgrader's
 * solution regions: everything between `// START CODE HERE` and `// END CODE HERE` is replaced by
 * a line that throws "not implemented yet"; everything else (doc comments, signatures, types)
 * is kept as written. One source of truth; `--check` fails when exercises/ has drifted.
 *
 * usage: npm run make:stubs [-- --check]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const START = /^(\s*)\/\/ START CODE HERE\s*$/;
const END = /^\s*\/\/ END CODE HERE\s*$/;
const FUNCTION = /^\s*export function (\w+)/;

/** Turns a solution file's text into the stub file's text. */
export function makeStubs(solution: string): string {
  const lines = solution.split('\n');
  const out: string[] = [];
  let currentFunction: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fn = FUNCTION.exec(line);
    if (fn) currentFunction = fn[1];
    const start = START.exec(line);
    if (!start) {
      if (END.test(line)) throw new Error(`line ${i + 1}: END CODE HERE without a START CODE HERE`);
      out.push(line);
      continue;
    }
    if (!currentFunction) throw new Error(`line ${i + 1}: START CODE HERE outside an exported function`);
    const indent = start[1];
    let j = i + 1;
    while (j < lines.length && !END.test(lines[j])) {
      if (START.test(lines[j])) throw new Error(`line ${j + 1}: START CODE HERE inside another region`);
      j++;
    }
    if (j === lines.length) throw new Error(`line ${i + 1}: START CODE HERE is never closed by END CODE HERE`);
    out.push(line, `${indent}// Replace the line below with your code.`,
      `${indent}throw new Error('${currentFunction} is not implemented yet');`, lines[j]);
    i = j;
  }
  return out.join('\n');
}

/**
 * The lines of the solution bodies (between the markers) that say something: trimmed, longer than
 * 8 characters (a lone `}` or `return x;` says nothing). What must never reach a student.
 */
export function solutionBodyLines(solution: string): string[] {
  const lines: string[] = [];
  let inside = false;
  for (const line of solution.split('\n')) {
    if (START.test(line)) inside = true;
    else if (END.test(line)) inside = false;
    else if (inside && line.trim().length > 8) lines.push(line.trim());
  }
  return [...new Set(lines)];
}

const ROOT = path.resolve(__dirname, '..', '..');
const SOLUTION = path.join(ROOT, 'solutions', 'vanishing-gradients.ts');
const EXERCISE = path.join(ROOT, 'exercises', 'vanishing-gradients.ts');

function run(argv: string[]): number {
  const expected = makeStubs(fs.readFileSync(SOLUTION, 'utf8'));
  if (argv.includes('--check')) {
    const actual = fs.existsSync(EXERCISE) ? fs.readFileSync(EXERCISE, 'utf8') : '';
    if (actual === expected) {
      console.log('exercises/ is in sync with solutions/');
      return 0;
    }
    console.error('exercises/vanishing-gradients.ts differs from the stubs generated from solutions/: run npm run make:stubs');
    return 1;
  }
  fs.writeFileSync(EXERCISE, expected);
  console.log('wrote exercises/vanishing-gradients.ts from solutions/vanishing-gradients.ts');
  return 0;
}

if (require.main === module) process.exitCode = run(process.argv.slice(2));
