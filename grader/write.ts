/**
 * The one place that writes files. Every write is atomic (a temporary file in the same folder,
 * then a rename), so a reader never sees half a results file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Writes `data` to `file` atomically, creating its folder. */
export function writeAtomic(file: string, data: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}
