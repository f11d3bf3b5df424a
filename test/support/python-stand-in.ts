/**
 * A stand-in `python3`, placed first on PATH by a test, so that the reference check's tests run
 * the same on every machine, with or without Python and numpy: it says numpy is missing, or it
 * "runs the lab" by writing the committed reference with a change of the test's choosing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** What the stand-in does when called as `python3 oracle.py LAB OUT`. */
export type StandIn =
  | { kind: 'no-numpy' }
  /** Writes the committed reference after `edit` (a JavaScript function body over `r`, the parsed reference). */
  | { kind: 'writes'; edit: string };

/** Makes a folder holding an executable `python3` that behaves as asked; returns the folder. */
export function pythonStandIn(root: string, standIn: StandIn): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-python-stand-in-'));
  // The lab is the one whose generator was called (grader/labs/<id>/oracle.py): its committed
  // reference is what the stand-in writes; the edit applies to the first lab's only.
  const body = standIn.kind === 'no-numpy'
    ? `process.stderr.write("Traceback (most recent call last):\\n  File \\"grader/tools/oracle.py\\", line 15, in <module>\\n    import numpy as np\\nModuleNotFoundError: No module named 'numpy'\\n"); process.exit(1);`
    : `const fs = require('fs'); const path = require('path');
       // Called as python3 oracle.py LAB OUT: OUT is the last argument. A stand-in must never write
       // into the kit (a mistaken index once overwrote the numpy lab, and it was committed so).
       const out = path.resolve(process.argv[process.argv.length - 1]);
       const root = ${JSON.stringify(path.resolve(root))};
       if (process.argv.length !== 5 || out === root || out.startsWith(root + path.sep)) {
         process.stderr.write('python stand-in: refusing to write ' + out + ' (argv ' + JSON.stringify(process.argv.slice(2)) + ')\\n');
         process.exit(3);
       }
       const lab = /grader\\/labs\\/([^/]+)\\/oracle\\.py$/.exec(process.argv[2] || '');
       const id = lab ? lab[1] : 'vanishing-gradients';
       const r = JSON.parse(fs.readFileSync(path.join(root, 'reference', id + '.json'), 'utf8'));
       if (id === 'vanishing-gradients') (function (r) { ${standIn.edit} })(r);
       fs.writeFileSync(out, JSON.stringify(r));`;
  const file = path.join(dir, 'python3');
  fs.writeFileSync(file, `#!${process.execPath}\n${body}\n`, { mode: 0o755 });
  return dir;
}
