/**
 * `npm run package:gradescope`: writes dist/gradescope/<id>/autograder.zip, the file an instructor
 * uploads to a Gradescope programming assignment, one per lab (an assignment is one lab). Its root
 * holds setup.sh and run_autograder (grader/platforms/gradescope/), the latter with the lab's id
 * written in (it grades that lab whatever the student uploads), and the kit's grading files for
 * that lab: package.json (the lab its default) and its lock file, tsconfig.json, grader/ (of the
 * labs' packages, that lab's only), its solution and its reference. Not the kit's own tests,
 * exercises or benches.
 *
 * usage: npm run package:gradescope [-- --lab ID]
 *   without --lab: one archive for each lab the kit offers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { zip, type ZipEntry } from '../lib/zip';
import { labIds, manifestPath, readManifest } from '../lab';
import { checkLabId, offeredLabFiles, labIdsText } from '../lib/choose-lab';
import { defaultLabId } from '../lib/paths';
import { parseArgsMessage, UsageError } from '../usage';

const ROOT = path.resolve(__dirname, '..', '..');
const PLATFORM = path.join(ROOT, 'grader', 'platforms', 'gradescope');

/** The line of run_autograder that names its lab (empty in the kit: the submission's, else the default). */
const LAB_LINE = /^LAB=""$/m;

/** Where a lab's archive goes. */
export function gradescopeZipPath(id: string, root: string = ROOT): string {
  return path.join(root, 'dist', 'gradescope', id, 'autograder.zip');
}

function walk(rel: string, out: ZipEntry[], skip: (rel: string) => boolean): void {
  const full = path.join(ROOT, rel);
  const stat = fs.lstatSync(full);
  if (stat.isSymbolicLink()) return;
  const name = rel.split(path.sep).join('/');
  if (skip(name)) return;
  if (stat.isDirectory()) {
    for (const entry of fs.readdirSync(full).sort()) walk(path.join(rel, entry), out, skip);
    return;
  }
  out.push({ name, data: fs.readFileSync(full), mode: stat.mode & 0o777 });
}

/** run_autograder with the lab's id written in. */
export function runAutograderFor(id: string): Buffer {
  const script = fs.readFileSync(path.join(PLATFORM, 'run_autograder'), 'utf8');
  if (!LAB_LINE.test(script)) throw new Error('grader/platforms/gradescope/run_autograder has no line LAB="" to write the lab into');
  return Buffer.from(script.replace(LAB_LINE, `LAB="${id}"`));
}

/** The archive's entries for one lab (default: the kit's default lab). */
export function gradescopeEntries(id: string = defaultLabId(ROOT)): ZipEntry[] {
  const lab = readManifest(manifestPath(ROOT, id));
  const kitPackage = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const entries: ZipEntry[] = [
    { name: 'setup.sh', data: fs.readFileSync(path.join(PLATFORM, 'setup.sh')), mode: 0o755 },
    { name: 'run_autograder', data: runAutograderFor(lab.id), mode: 0o755 },
    // The lab the archive grades is its default too (whatever else reads package.json agrees).
    { name: 'package.json', data: Buffer.from(`${JSON.stringify({ ...kitPackage, kit: { ...(kitPackage.kit as object | undefined), defaultLab: lab.id } }, null, 2)}\n`), mode: 0o644 },
  ];
  // Of the labs' packages, solutions and references: this lab's only.
  const otherLab = (rel: string): boolean => {
    const pkg = /^grader\/labs\/([^/]+)(\/|$)/.exec(rel);
    if (pkg) return pkg[1] !== lab.id;
    if (/^solutions\/[^/]+$/.test(rel)) return rel !== `solutions/${lab.submission}`;
    if (/^reference\/[^/]+\.json$/.test(rel)) return rel !== `reference/${lab.id}.json`;
    return rel === 'reference/lab';
  };
  for (const rel of ['package-lock.json', 'tsconfig.json', 'grader', 'solutions', 'reference']) walk(rel, entries, otherLab);
  return entries;
}

/** Writes the archives (one lab's, or every offered lab's); returns what it wrote. */
export function packageGradescope(lab: string | undefined): { id: string; file: string; files: number; bytes: number }[] {
  const ids = lab !== undefined ? [checkLabId(lab, offeredLabFiles(ROOT)).id] : labIds(ROOT);
  return ids.map((id) => {
    const out = gradescopeZipPath(id);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const entries = gradescopeEntries(id);
    fs.writeFileSync(out, zip(entries));
    return { id, file: out, files: entries.length, bytes: fs.statSync(out).size };
  });
}

if (require.main === module) {
  const usage = `usage: npm run package:gradescope [-- --lab ID]   (labs: ${labIdsText()}; without --lab: one archive per lab)`;
  let lab: string | undefined;
  try {
    ({ lab } = parseArgs({ args: process.argv.slice(2), options: { lab: { type: 'string' } }, strict: true, allowPositionals: false }).values);
  } catch (err) {
    console.error(`package:gradescope: ${parseArgsMessage(err)}\n${usage}`);
    process.exit(2);
  }
  try {
    for (const w of packageGradescope(lab)) {
      console.log(`wrote ${path.relative(process.cwd(), w.file)} (the lab ${w.id}: ${w.files} files, ${Math.round(w.bytes / 1024)} KB)`);
    }
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`package:gradescope: ${err.message}\n${usage}`);
    process.exit(2);
  }
}
