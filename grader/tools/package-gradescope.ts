/**
 * `npm run package:gradescope`: writes dist/gradescope/autograder.zip, the file an instructor
 * uploads to a Gradescope programming assignment. Its root holds setup.sh and run_autograder
 * (grader/platforms/gradescope/) and the kit's grading files: package.json and its lock file,
 * tsconfig.json, grader/, solutions/, reference/. Not the kit's own tests, exercises or benches.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zip, type ZipEntry } from '../lib/zip';

const ROOT = path.resolve(__dirname, '..', '..');
const INCLUDE = ['package.json', 'package-lock.json', 'tsconfig.json', 'grader', 'solutions', 'reference'];
const PLATFORM = path.join(ROOT, 'grader', 'platforms', 'gradescope');

function walk(rel: string, out: ZipEntry[]): void {
  const full = path.join(ROOT, rel);
  const stat = fs.lstatSync(full);
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    for (const name of fs.readdirSync(full).sort()) walk(path.join(rel, name), out);
    return;
  }
  out.push({ name: rel.split(path.sep).join('/'), data: fs.readFileSync(full), mode: stat.mode & 0o777 });
}

/** The archive's entries. */
export function gradescopeEntries(): ZipEntry[] {
  const entries: ZipEntry[] = [
    { name: 'setup.sh', data: fs.readFileSync(path.join(PLATFORM, 'setup.sh')), mode: 0o755 },
    { name: 'run_autograder', data: fs.readFileSync(path.join(PLATFORM, 'run_autograder')), mode: 0o755 },
  ];
  for (const rel of INCLUDE) walk(rel, entries);
  return entries;
}

if (require.main === module) {
  const out = path.join(ROOT, 'dist', 'gradescope', 'autograder.zip');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const entries = gradescopeEntries();
  fs.writeFileSync(out, zip(entries));
  console.log(`wrote ${path.relative(process.cwd(), out)} (${entries.length} files, ${Math.round(fs.statSync(out).size / 1024)} KB)`);
}
