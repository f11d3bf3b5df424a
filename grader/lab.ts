/**
 * The labs the kit grades: each a package under `grader/labs/<id>/` whose manifest, `lab.json`,
 * says what is the lab's and only the lab's: its id and title, the file a submission holds, the
 * graded parts (points, titles, which parts each one's code uses) and the contract (the exported
 * functions' signatures, checked by the type check). The core reads a lab through this module and
 * names none itself.
 *
 * A manifest is the instructor's to write: one that is malformed stops the kit with a message
 * that says which file and what is wrong.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_TOLERANCE, type Tolerance } from './lib/allclose';

/** One graded part: one exported function of the submission. */
export interface LabPart {
  /** The function's exported name; also the part's id. */
  name: string;
  /** Points the part is worth; its tests share them equally. */
  points: number;
  /** A short title for reports. */
  title: string;
  /** Other parts whose functions this one calls: fix those first when both fail. */
  uses: string[];
}

/** A lab's manifest (`grader/labs/<id>/lab.json`). */
export interface LabManifest {
  /** Format version of lab.json. */
  version: 1;
  /** The lab's id: its folder's name, `[a-z0-9-]+`; the reference is `reference/<id>.json`. */
  id: string;
  /** The lab's title, as reports show it. */
  title: string;
  /** The file a submission holds, `<id>.ts` by convention; the stubs are `exercises/<submission>`. */
  submission: string;
  /** Graded parts, in report order. */
  parts: LabPart[];
  /**
   * How close an answer must be to the solution's, by part, where the kit's default (relative 1e-9,
   * absolute 1e-12) does not fit: the tests and the hints' "differs" read it from here alike.
   */
  tolerances?: Record<string, Tolerance>;
  /** The exercise's signatures, checked against the submission's exports by the type check (as warnings). */
  contract: {
    /** TypeScript declarations the signatures use (interfaces, type aliases). */
    types: string;
    /** Each exported function's type, by name, as TypeScript writes a function type. */
    signatures: Record<string, string>;
  };
}

/** The folder that holds the labs, found from this module's place (sources or build). */
export function labsDir(root: string): string {
  return path.join(root, 'grader', 'labs');
}

/** The manifest file of a lab. */
export function manifestPath(root: string, id: string): string {
  return path.join(labsDir(root), id, 'lab.json');
}

/** The ids of the labs in the kit (folders of grader/labs/ that hold a lab.json), sorted. */
export function labIds(root: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(labsDir(root), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((e) => e.isDirectory() && fs.existsSync(manifestPath(root, e.name))).map((e) => e.name).sort();
}

const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A lab's manifest that cannot be read or is malformed: the instructor's to fix, said in one line (its file and what is wrong). */
export class ManifestError extends Error {}

/** Reads and checks a lab's manifest; says plainly what is wrong with one that is malformed. */
export function readManifest(file: string): LabManifest {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ManifestError(`${file}: ${err instanceof SyntaxError ? `not JSON (${err.message})` : (err as Error).message}`);
  }
  const wrong = (what: string): never => { throw new ManifestError(`${file}: ${what}`); };
  const m = data as Partial<LabManifest>;
  if (typeof m !== 'object' || m === null) wrong('must be an object');
  if (m.version !== 1) wrong('"version" must be 1');
  if (typeof m.id !== 'string' || !ID.test(m.id)) wrong('"id" must be lower-case letters, digits and single hyphens, like "my-first-lab"');
  if (path.basename(path.dirname(file)) !== m.id) wrong(`"id" is "${m.id}", but the lab's folder is named "${path.basename(path.dirname(file))}": they must be the same`);
  if (typeof m.title !== 'string' || m.title.trim() === '') wrong('"title" must be a non-empty string');
  if (typeof m.submission !== 'string' || !/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.ts$/.test(m.submission)) wrong('"submission" must be a file name ending in .ts, like "my-first-lab.ts"');
  if (!Array.isArray(m.parts) || m.parts.length === 0) wrong('"parts" must list the graded functions');
  const names = new Set<string>();
  for (const part of m.parts!) {
    const label = `part ${JSON.stringify((part as Partial<LabPart>)?.name)}`;
    if (typeof part?.name !== 'string' || !IDENTIFIER.test(part.name)) wrong(`${label}: "name" must be the exported function's name`);
    if (names.has(part.name)) wrong(`part names must be unique; ${part.name} is listed twice`);
    names.add(part.name);
    if (!(typeof part.points === 'number' && Number.isFinite(part.points) && part.points > 0)) wrong(`part ${part.name} needs positive points`);
    // Scores are kept in hundredths: a part of 33.333 points would leave a correct solution short
    // of the maximum (93.33 of 93.333).
    if (Math.abs(part.points * 100 - Math.round(part.points * 100)) > 1e-9) wrong(`part ${part.name}: points are whole or in hundredths (like 20 or 33.33); got ${part.points}`);
    if (typeof part.title !== 'string') wrong(`part ${part.name}: "title" must be a string`);
    if (!Array.isArray(part.uses) || part.uses.some((u) => typeof u !== 'string')) wrong(`part ${part.name}: "uses" must list part names`);
  }
  for (const part of m.parts!) {
    for (const dep of part.uses) if (!names.has(dep)) wrong(`part ${part.name} uses ${dep}, which is not a part`);
  }
  // "uses" says which part to fix first: a part that uses itself, or parts that use each other,
  // would each tell the student to fix the other first, and never what their own answers were.
  const byName = new Map(m.parts!.map((p) => [p.name, p.uses]));
  // Depth first, each part visited once (a walk of every path took seconds for 25 parts that each
  // use all the earlier ones): a part met again while it is still on the path closes a circle.
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (name: string): void => {
    if (done.has(name)) return;
    const at = onPath.indexOf(name);
    if (at >= 0) {
      const circle = [...onPath.slice(at), name];
      wrong(`part ${circle[0]}: "uses" goes round in a circle (${circle.join(' uses ')}): a part may use only parts that do not use it back`);
    }
    onPath.push(name);
    for (const dep of byName.get(name) ?? []) visit(dep);
    onPath.pop();
    done.add(name);
  };
  for (const part of m.parts!) visit(part.name);
  const tolerance = (t: unknown): boolean => typeof t === 'object' && t !== null
    && [(t as Tolerance).rtol, (t as Tolerance).atol].every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0);
  if (m.tolerances !== undefined) {
    if (typeof m.tolerances !== 'object' || m.tolerances === null) wrong('"tolerances" must map part names to { "rtol", "atol" }');
    for (const [part, t] of Object.entries(m.tolerances!)) {
      if (!names.has(part)) wrong(`"tolerances" names ${part}, which is not a part`);
      if (!tolerance(t)) wrong(`"tolerances.${part}" must be { "rtol": number >= 0, "atol": number >= 0 }`);
    }
  }
  const c = m.contract;
  if (typeof c !== 'object' || c === null || typeof c.types !== 'string' || typeof c.signatures !== 'object' || c.signatures === null) {
    wrong('"contract" must hold "types" (a string of TypeScript declarations) and "signatures" (a function type by name)');
  }
  for (const part of m.parts!) {
    if (typeof c!.signatures[part.name] !== 'string') wrong(`"contract.signatures" has no signature for part ${part.name}`);
  }
  return m as LabManifest;
}

/** How close an answer to `part` must be (the manifest's tolerance, else the kit's default). */
export function toleranceOf(lab: LabManifest, part: string): Tolerance {
  return lab.tolerances?.[part] ?? DEFAULT_TOLERANCE;
}
