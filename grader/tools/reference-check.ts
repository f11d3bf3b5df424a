/**
 * The reference check of `npm run validate`: does each lab's reference (reference/<id>.json) still
 * hold what its numpy lab computes? A lab's generator is grader/labs/<id>/oracle.py, called as
 * `python3 oracle.py NOTEBOOK OUT`, and its numpy code is reference/lab/<id, with underscores>_notebook.py. Numbers are compared as numbers, not bytes: numpy's `exp` is not
 * bit-identical across CPUs (SIMD dispatch), so a value may differ in its last bits from one
 * machine to the next. A real change in the lab (a value beyond that, a key more or less, another
 * length, other text) still fails. Without python3 and numpy the check is skipped, and says so.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** How close two of the lab's numbers must be: a relative 1e-14 (about 45 ulps at most). */
export const REFERENCE_RTOL = 1e-14;

/** The largest difference the comparison saw. */
export interface LargestDifference {
  /** Where, e.g. `activations[37]` or `printed (number 12)`. */
  at: string;
  /** The two values. */
  committed: number;
  fresh: number;
  /** |fresh - committed| relative to |committed|. */
  relative: number;
  /** The difference in units in the last place of the committed value. */
  ulps: number;
}

/** What comparing two references found. */
export interface ReferenceComparison {
  /** What differs beyond the tolerance, or in shape (empty when they agree). */
  problems: string[];
  /** The largest numeric difference seen (undefined when every number was identical). */
  largest?: LargestDifference;
  /** How many numbers were compared. */
  numbers: number;
}

/** The unit in the last place of `x` (the gap to the next double away from zero). */
export function ulp(x: number): number {
  const a = Math.abs(x);
  if (a === 0) return Number.MIN_VALUE;
  const exponent = Math.floor(Math.log2(a));
  // Subnormals share the smallest gap.
  return Math.max(2 ** (exponent - 52), Number.MIN_VALUE);
}

/** Splits text into alternating non-number and number pieces (the lab's printout holds both). */
function tokens(text: string): { words: string[]; numbers: number[] } {
  const words: string[] = [];
  const numbers: number[] = [];
  let last = 0;
  for (const m of text.matchAll(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi)) {
    words.push(text.slice(last, m.index));
    numbers.push(Number(m[0]));
    last = m.index! + m[0].length;
  }
  words.push(text.slice(last));
  return { words, numbers };
}

/** Compares a freshly computed reference with the committed one (provenance aside). */
export function compareReference(fresh: unknown, committed: unknown, rtol: number = REFERENCE_RTOL): ReferenceComparison {
  const problems: string[] = [];
  let largest: LargestDifference | undefined;
  let numbers = 0;
  const number = (at: string, f: number, c: number): void => {
    numbers++;
    if (f === c || (Number.isNaN(f) && Number.isNaN(c))) return;
    const diff = Math.abs(f - c);
    const relative = c === 0 ? (f === 0 ? 0 : Infinity) : diff / Math.abs(c);
    const ulps = diff / ulp(c);
    if (!largest || relative > largest.relative) largest = { at, committed: c, fresh: f, relative, ulps };
    if (!(relative <= rtol)) problems.push(`${at} is ${f}, the committed reference has ${c} (relative difference ${relative.toExponential(1)}, more than ${rtol})`);
  };
  const walk = (at: string, f: unknown, c: unknown): void => {
    if (typeof c === 'number' && typeof f === 'number') return number(at, f, c);
    if (typeof c === 'string' && typeof f === 'string') {
      if (f === c) return;
      const tf = tokens(f);
      const tc = tokens(c);
      if (tf.words.length !== tc.words.length || tf.words.some((w, i) => w !== tc.words[i])) {
        // Shown from a little before where they part, so that the difference is in view.
        let i = 0;
        while (i < f.length && i < c.length && f[i] === c[i]) i++;
        const from = Math.max(0, i - 30);
        const around = (t: string): string => `${from > 0 ? '…' : ''}${t.slice(from, from + 80)}${from + 80 < t.length ? '…' : ''}`;
        problems.push(`${at} reads differently from character ${i + 1}: ${JSON.stringify(around(f))} against ${JSON.stringify(around(c))}`);
        return;
      }
      tc.numbers.forEach((n, i) => number(`${at} (number ${i + 1})`, tf.numbers[i], n));
      return;
    }
    if (Array.isArray(c) && Array.isArray(f)) {
      if (f.length !== c.length) {
        problems.push(`${at} has ${f.length} elements, the committed reference ${c.length}`);
        return;
      }
      c.forEach((v, i) => walk(`${at}[${i}]`, f[i], v));
      return;
    }
    if (c && f && typeof c === 'object' && typeof f === 'object' && !Array.isArray(c) && !Array.isArray(f)) {
      const cKeys = Object.keys(c);
      const fKeys = Object.keys(f);
      for (const k of cKeys) if (!(k in f)) problems.push(`${at ? `${at}.` : ''}${k} is missing from what the lab gives now`);
      for (const k of fKeys) if (!(k in c)) problems.push(`${at ? `${at}.` : ''}${k} is new in what the lab gives now`);
      for (const k of cKeys) if (k in f) walk(at ? `${at}.${k}` : k, (f as Record<string, unknown>)[k], (c as Record<string, unknown>)[k]);
      return;
    }
    if (f !== c) problems.push(`${at} is ${JSON.stringify(f)}, the committed reference has ${JSON.stringify(c)}`);
  };
  const strip = (r: unknown): unknown => {
    if (!r || typeof r !== 'object') return r;
    // Which Python and numpy ran, and where the lab file was, differ between machines.
    const { provenance, ...rest } = r as Record<string, unknown>;
    if (provenance && typeof provenance === 'object') {
      const { python: _p, numpy: _n, lab: _l, ...kept } = provenance as Record<string, unknown>;
      return { provenance: kept, ...rest };
    }
    return rest;
  };
  walk('', strip(fresh), strip(committed));
  return { problems, ...(largest ? { largest } : {}), numbers };
}

/** How the check ended. */
export interface ReferenceCheck {
  /** ok: the lab agrees; skipped: no python3 with numpy here; failed: the reference is out of date, or the lab would not run. */
  status: 'ok' | 'skipped' | 'failed';
  /** One or more lines for the instructor. */
  message: string;
}

/** Describes the largest difference, for the check's line. */
function describeLargest(c: ReferenceComparison): string {
  if (!c.largest) return `${c.numbers === 1 ? 'the 1 number' : `all ${c.numbers} numbers`} compared identical`;
  const l = c.largest;
  return `${c.numbers} numbers compared; largest difference ${l.relative.toExponential(1)} relative (${Math.round(l.ulps)} ulp${Math.round(l.ulps) === 1 ? '' : 's'}) at ${l.at}`;
}

/** A lab whose reference the kit generates from numpy code: its id and the three files. */
export interface ReferenceLab {
  id: string;
  /** The generator, relative to the kit's root. */
  oracle: string;
  /** The numpy lab it runs, relative to the kit's root. */
  notebook: string;
  /** The committed reference, relative to the kit's root. */
  reference: string;
}

/** The labs under grader/labs/ that have a reference generator (oracle.py), sorted by id. */
export function referenceLabs(root: string): ReferenceLab[] {
  const labs = path.join(root, 'grader', 'labs');
  if (!fs.existsSync(labs)) return [];
  return fs.readdirSync(labs).sort().filter((id) => fs.existsSync(path.join(labs, id, 'oracle.py'))).map((id) => ({
    id,
    oracle: `grader/labs/${id}/oracle.py`,
    notebook: `reference/lab/${id.replace(/-/g, '_')}_notebook.py`,
    reference: `reference/${id}.json`,
  }));
}

/** Runs a lab's numpy code with `python` (default python3 on PATH) and compares with its committed reference. */
export function checkReference(root: string, lab: ReferenceLab, python = 'python3', env: NodeJS.ProcessEnv = process.env): ReferenceCheck {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-validate-ref-'));
  const out = path.join(dir, 'reference.json');
  try {
    const r = spawnSync(python, [lab.oracle, lab.notebook, out], { cwd: root, encoding: 'utf8', env, timeout: 120_000 });
    const said = `${r.stderr ?? ''}${r.stdout ?? ''}`;
    if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      return { status: 'skipped', message: `skipped: ${python} was not found. Install Python 3 with numpy (pip install numpy) to compare the reference with the lab; --strict makes this a failure` };
    }
    if (r.status !== 0 && /No module named ['"]?numpy/.test(said)) {
      return { status: 'skipped', message: `skipped: ${python} has no numpy. Install it (pip install numpy) to compare the reference with the lab; --strict makes this a failure` };
    }
    if (r.error || r.status !== 0) return { status: 'failed', message: `the numpy lab did not run: ${(r.error?.message ?? said).trim().split('\n').pop()}` };
    const fresh = JSON.parse(fs.readFileSync(out, 'utf8')) as unknown;
    const committed = JSON.parse(fs.readFileSync(path.join(root, lab.reference), 'utf8')) as unknown;
    const compared = compareReference(fresh, committed);
    if (compared.problems.length === 0) return { status: 'ok', message: describeLargest(compared) };
    const shown = compared.problems.slice(0, 5);
    if (compared.problems.length > 5) shown.push(`… and ${compared.problems.length - 5} more`);
    return { status: 'failed', message: `${lab.reference} differs from what the lab gives (beyond a relative ${REFERENCE_RTOL}): run npm run make:reference -- ${lab.id} if the lab changed on purpose\n      ${shown.join('\n      ')}\n      (${describeLargest(compared)})` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
