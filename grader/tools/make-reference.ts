/**
 * `npm run make:reference`: regenerates every lab's reference from its numpy code (each lab's
 * grader/labs/<id>/oracle.py), or one lab's with `-- ID`. Needs python3 with numpy. Nothing in a
 * reference is typed by hand.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { referenceLabs } from './reference-check';

const ROOT = path.resolve(__dirname, '..', '..');

function run(argv: string[]): number {
  const all = referenceLabs(ROOT);
  const wanted = argv.filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((id) => !all.some((l) => l.id === id));
  if (unknown.length) {
    console.error(`make:reference: no lab ${unknown.join(', ')} with a reference generator (labs: ${all.map((l) => l.id).join(', ') || 'none'})`);
    return 2;
  }
  let status = 0;
  for (const lab of all.filter((l) => wanted.length === 0 || wanted.includes(l.id))) {
    const r = spawnSync('python3', [lab.oracle, lab.notebook, lab.reference], { cwd: ROOT, stdio: 'inherit' });
    if (r.status === 0) console.log(`${lab.id}: wrote ${lab.reference} from ${lab.notebook}`);
    else {
      console.error(`${lab.id}: ${lab.oracle} failed (${r.error ? r.error.message : `exit ${r.status}`})`);
      status = 1;
    }
  }
  return status;
}

if (require.main === module) process.exitCode = run(process.argv.slice(2));
