/**
 * `npm run new-lab -- ID [--title "Title"]`: writes a new lab that grades at once, by creating
 * files only (nothing existing is edited): its package under grader/labs/<ID>/ (manifest, public
 * and hidden suites, classic mistakes and hints, knobs and a figure, a reference generator), its
 * solution, its stubs (made from the solution), its numpy code and its reference. The stubs score 0
 * and the solution full marks from the first run; the instructor then replaces the example
 * functions with the lab's own, as the README's "Writing a lab" walks through.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { makeStubs } from './make-stubs';

const ROOT = path.resolve(__dirname, '..', '..');
const TEMPLATE = path.join(__dirname, 'lab-template');
const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export const NEW_LAB_USAGE = `usage: npm run new-lab -- ID [--title "TITLE"]

Writes a new lab, ID (lower-case letters, digits and single hyphens, like "my-second-lab"), that
grades at once: its stubs score 0 and its solution full marks. Then make it yours: see the README,
"Writing a lab". Nothing existing is changed; an ID already taken is refused.
`;

/** A command line new-lab cannot act on. */
export class NewLabUsageError extends Error {}

/** The lab's title from its id: "my-second-lab" → "My Second Lab". */
export function titleOf(id: string): string {
  return id.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
}

/** What a new lab is: every file, by path from the kit's root, with its text. */
export function labFiles(id: string, title: string): Map<string, string> {
  const notebook = id.replace(/-/g, '_');
  // The title as each kind of file can hold it (a replacement function: `$'` in a title is text).
  const titleFor = (name: string): string => {
    if (name.endsWith('.json')) return JSON.stringify(title).slice(1, -1);
    if (name.endsWith('.py')) return title.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    if (name.endsWith('.ts')) return title.replace(/\*\//g, '*\\/');
    return title;
  };
  const fill = (name: string, text: string): string => text.replace(/__ID__/g, () => id).replace(/__TITLE__/g, () => titleFor(name)).replace(/__NOTEBOOK__/g, () => notebook);
  const read = (name: string): string => fill(name, fs.readFileSync(path.join(TEMPLATE, `${name}.tmpl`), 'utf8'));
  const pkg = `grader/labs/${id}`;
  const solution = read('solution.ts');
  const numpyCode = read('notebook.py');
  const files = new Map<string, string>([
    [`${pkg}/lab.json`, read('lab.json')],
    [`${pkg}/README.md`, read('README.md')],
    [`${pkg}/student.md`, read('student.md')],
    [`${pkg}/index.ts`, read('index.ts')],
    [`${pkg}/types.ts`, read('types.ts')],
    [`${pkg}/mutants.ts`, read('mutants.ts')],
    [`${pkg}/hints.json`, read('hints.json')],
    [`${pkg}/oracle.py`, read('oracle.py')],
    [`${pkg}/suites/context.ts`, read('suites/context.ts')],
    [`${pkg}/suites/index.ts`, read('suites/index.ts')],
    [`${pkg}/suites/hidden/index.ts`, read('suites/hidden/index.ts')],
    [`solutions/${id}.ts`, solution],
    [`exercises/${id}.ts`, makeStubs(solution)],
    [`reference/lab/${notebook}_notebook.py`, numpyCode],
    [`reference/${id}.json`, `${JSON.stringify(firstReference(id, notebook, numpyCode), null, 2)}\n`],
  ]);
  return files;
}

/**
 * The reference the example functions have, written here so that the lab grades before python3 is
 * run: the numbers the example's numpy code gives (small whole numbers and halves, exact in both).
 * `npm run make:reference -- ID` writes it again from the numpy code, and `npm run validate`
 * checks that the two agree.
 */
function firstReference(id: string, notebook: string, numpyCode: string): Record<string, unknown> {
  const squareAt = [0, 3, -2, 0.5, 10];
  const sumsOf = [[3, 4], [1, 2, 3], [], [-1.5, 0.5]];
  const upTo = 5;
  const ks = Array.from({ length: upTo + 1 }, (_, k) => k);
  const py = (n: number): string => (Number.isInteger(n) ? `${n}.0` : String(n));
  return {
    // As the generator writes it (python and numpy: not run yet; npm run validate leaves those aside).
    provenance: {
      lab: `reference/lab/${notebook}_notebook.py`,
      sha256: crypto.createHash('sha256').update(numpyCode).digest('hex'),
      python: 'not run yet: written by npm run new-lab',
      numpy: 'not run yet: written by npm run new-lab',
      generator: `grader/labs/${id}/oracle.py`,
    },
    knobs: { upTo },
    square: { inputs: squareAt, values: squareAt.map((x) => x * x) },
    sumOfSquares: { inputs: sumsOf, values: sumsOf.map((v) => v.reduce((t, x) => t + x * x, 0)) },
    printed: [...ks.map((k) => `square(${k}) : ${py(k * k)}`), `sum of squares : ${py(ks.reduce((t, k) => t + k * k, 0))}`].join('\n') + '\n',
  };
}

/** Parses the command line. */
export function parseNewLabArgs(argv: string[]): { id: string; title: string } | 'help' {
  let id: string | undefined;
  let title: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') return 'help';
    if (a === '--title' || a.startsWith('--title=')) {
      title = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (title === undefined || title.trim() === '') throw new NewLabUsageError('--title needs a title');
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(title)) throw new NewLabUsageError('--title takes one line of text (no line breaks or control characters)');
      if (title.length > 200) throw new NewLabUsageError('--title takes at most 200 characters');
      continue;
    }
    if (a.startsWith('-')) throw new NewLabUsageError(`unknown option ${a}`);
    if (id !== undefined) throw new NewLabUsageError(`one lab at a time: got ${id} and ${a}`);
    id = a;
  }
  if (id === undefined) throw new NewLabUsageError('name the lab: npm run new-lab -- ID');
  if (!ID.test(id) || id.length > 60) throw new NewLabUsageError(`"${id.slice(0, 80)}" is not a lab id: lower-case letters, digits and single hyphens, starting with a letter, like "my-second-lab"`);
  return { id, title: (title ?? titleOf(id)).trim() };
}

/** Writes the lab's files under `root`; refuses (writing nothing) when any is already there. */
export function writeLab(root: string, id: string, title: string): string[] {
  const files = labFiles(id, title);
  const taken = [...files.keys()].filter((f) => fs.existsSync(path.join(root, f)));
  if (fs.existsSync(path.join(root, 'grader', 'labs', id))) taken.unshift(`grader/labs/${id}/`);
  if (taken.length) throw new NewLabUsageError(`the lab ${id} is already there (${taken.slice(0, 3).join(', ')}${taken.length > 3 ? ', …' : ''}): choose another id`);
  for (const [file, text] of files) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text, { flag: 'wx' });
  }
  return [...files.keys()];
}

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseNewLabArgs(argv);
    if (parsed === 'help') {
      process.stdout.write(NEW_LAB_USAGE);
      return 0;
    }
    const written = writeLab(ROOT, parsed.id, parsed.title);
    process.stdout.write([
      `Wrote the lab ${parsed.id} ("${parsed.title}"):`,
      ...written.map((f) => `  ${f}`),
      '',
      'It grades now:',
      `  npm run grade -- --lab ${parsed.id}                                  (the stubs: 0)`,
      `  npm run grade -- --lab ${parsed.id} --submission solutions/${parsed.id}.ts   (the solution: full marks)`,
      '',
      'Then make it yours: README.md, "Writing a lab".',
      '',
    ].join('\n'));
    return 0;
  } catch (err) {
    if (!(err instanceof NewLabUsageError)) throw err;
    process.stderr.write(`new-lab: ${err.message}\n\n${NEW_LAB_USAGE}`);
    return 2;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
