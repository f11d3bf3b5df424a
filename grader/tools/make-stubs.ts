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

/** A lab's solution and the stubs generated from it: every `solutions/<name>.ts`, and `exercises/<name>.ts`. */
export interface StubPair {
  /** The file's name, the same in both folders. */
  name: string;
  solution: string;
  exercise: string;
}

/** Every solution in the kit with its stubs' path (one per lab; the solutions' folder is the instructor's). */
export function stubPairs(root: string = ROOT): StubPair[] {
  const dir = path.join(root, 'solutions');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).sort().map((name) => ({
    name, solution: path.join(dir, name), exercise: path.join(root, 'exercises', name),
  }));
}

/** The stubs that differ from what their solution generates, by file name (empty: all in sync). */
export function driftedStubs(root: string = ROOT): string[] {
  return stubPairs(root).filter((p) => (fs.existsSync(p.exercise) ? fs.readFileSync(p.exercise, 'utf8') : '') !== makeStubs(fs.readFileSync(p.solution, 'utf8'))).map((p) => p.name);
}

function run(argv: string[]): number {
  const pairs = stubPairs();
  if (argv.includes('--check')) {
    const drifted = driftedStubs();
    if (drifted.length === 0) {
      console.log(`exercises/ is in sync with solutions/ (${pairs.map((p) => p.name).join(', ')})`);
      return 0;
    }
    console.error(`${drifted.map((n) => `exercises/${n}`).join(', ')} ${drifted.length === 1 ? 'differs' : 'differ'} from the stubs generated from solutions/: run npm run make:stubs`);
    return 1;
  }
  for (const p of pairs) {
    fs.writeFileSync(p.exercise, makeStubs(fs.readFileSync(p.solution, 'utf8')));
    console.log(`wrote exercises/${p.name} from solutions/${p.name}`);
  }
  return 0;
}

if (require.main === module) process.exitCode = run(process.argv.slice(2));
