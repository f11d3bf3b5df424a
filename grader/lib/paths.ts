/**
 * Where the kit's files are. Code runs both from the sources (under jest) and from the build
 * (`build/`), so the kit's root is found by walking up to the folder that holds grader/labs/ and
 * package.json. The lab's own files (its manifest, reference, stubs, the submission's file name)
 * come from the lab being graded (grader/lab.ts), read when first asked for: a manifest that is
 * malformed is then a fault the grader reports as a result, not a crash at start. Which lab that
 * is: VG_LAB (set from --lab by lib/choose-lab.ts), else the kit's default (package.json's
 * `"kit": { "defaultLab": ID }`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { labIds, manifestPath, readManifest, type LabManifest } from '../lab';
import { loadLabCode, type LabCode } from '../lab-code';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'grader', 'labs')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the kit's root above ${start}`);
    dir = up;
  }
}

/** The kit's root folder (holds package.json, grader/, solutions/, reference/). */
export const KIT_ROOT = findRoot(__dirname);

/** The environment variable that names the lab to grade, when the kit holds more than one. */
export const LAB_ENV = 'VG_LAB';

/** The ids of the labs the kit offers (those with a manifest), sorted. */
export function offeredLabs(root: string = KIT_ROOT): string[] {
  return labIds(root);
}

/**
 * The kit's default lab: package.json's `"kit": { "defaultLab": ID }`, else the kit's only lab. A
 * default that is not a lab of the kit, or several labs and no default, is an error that lists them.
 */
export function defaultLabId(root: string = KIT_ROOT): string {
  const ids = labIds(root);
  const listed = ids.join(', ') || 'none';
  let pkg: { kit?: { defaultLab?: unknown } };
  try {
    pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as typeof pkg;
  } catch (err) {
    throw new Error(`${path.join(root, 'package.json')} cannot be read: ${(err as Error).message}`);
  }
  const wanted = pkg?.kit?.defaultLab;
  if (wanted !== undefined) {
    if (typeof wanted !== 'string' || !ids.includes(wanted)) {
      throw new Error(`package.json: "kit": { "defaultLab": ${JSON.stringify(wanted)} } is not a lab of the kit (its labs: ${listed})`);
    }
    return wanted;
  }
  if (ids.length === 1) return ids[0];
  if (ids.length === 0) throw new Error(`the kit has no lab: no grader/labs/<id>/lab.json under ${root}`);
  throw new Error(`the kit offers several labs (${listed}) and package.json names no default ("kit": { "defaultLab": ID }): choose one with --lab ID`);
}

/**
 * The id of the lab being graded: the one VG_LAB names (set by --lab, see lib/choose-lab.ts), else
 * the kit's default lab. A name that is not a lab of the kit is an error that lists them. Chosen
 * once per process, when first asked for.
 */
export function labId(): string {
  return chosen ??= chooseLab();
}

let chosen: string | undefined;

function chooseLab(): string {
  const ids = labIds(KIT_ROOT);
  const wanted = process.env[LAB_ENV];
  if (wanted !== undefined && wanted !== '') {
    if (!ids.includes(wanted)) throw new Error(`${LAB_ENV}=${wanted}: the kit has no such lab (its labs: ${ids.join(', ') || 'none'})`);
    return wanted;
  }
  return defaultLabId(KIT_ROOT);
}

/**
 * Makes `id` this process's lab, and its children's (they inherit VG_LAB): the jest run, batch
 * workers, the compiler's child. Called before anything reads {@link labId}; a different lab
 * chosen already is a fault of the kit, said as such.
 */
export function useLab(id: string): void {
  if (chosen !== undefined && chosen !== id) throw new Error(`the lab ${chosen} was already chosen in this process; cannot switch to ${id}`);
  process.env[LAB_ENV] = id;
}

let manifest: LabManifest | undefined;

/** The manifest of the lab being graded (read once; throws, saying why, when it is malformed). */
export function currentLab(): LabManifest {
  return manifest ??= readManifest(manifestPath(KIT_ROOT, labId()));
}

let code: { found: LabCode | undefined } | undefined;

/**
 * The code of the lab being graded (grader/labs/<id>/index.ts: its knobs, probe and figures), or
 * undefined for a lab that has none (it is graded by its tests alone, without figures). Loaded by
 * path beside this module, in the sources or the build.
 */
export function currentLabCode(): LabCode | undefined {
  return (code ??= { found: loadLabCode(path.join(__dirname, '..', 'labs'), currentLab().id) }).found;
}

/**
 * The folder of the kit, and of a student's copy of the starter (`npm run release`), that holds
 * the labs' files: a submission that is a whole repository is graded from there (stages/intake.ts).
 */
export const EXERCISES_FOLDER = 'exercises';

/** Absolute paths of the kit's well-known files (the lab's chosen once per process, see labId). */
export const kitPaths = {
  /** The lab's manifest: parts, points, dependencies, contract. */
  get rubric(): string { return manifestPath(KIT_ROOT, labId()); },
  /** Reference outputs generated from the lab's numpy code. */
  get reference(): string { return path.join(KIT_ROOT, 'reference', `${currentLab().id}.json`); },
  /** The built child runtime that hosts student code. */
  childScript: path.join(KIT_ROOT, 'build', 'grader', 'sandbox', 'child.js'),
  /** The jest entry that runs the hidden suites. */
  suitesEntry: path.join(KIT_ROOT, 'grader', 'suites', 'grade.test.ts'),
  /** The student's default submission: the lab's stubs. */
  get exercise(): string { return path.join(KIT_ROOT, EXERCISES_FOLDER, currentLab().submission); },
  /** The file name every submission must have. */
  get submissionFileName(): string { return currentLab().submission; },
};
