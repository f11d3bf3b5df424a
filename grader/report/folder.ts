/**
 * A report folder: the page, the figures, the text report and the result record. The one place
 * that lays a result out on disk (cli.ts for one submission, the batch for each student); the
 * files themselves go through write.ts, atomically.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GradeResult } from '../result';
import { writeAtomic, writeShared } from '../write';
import { renderHtml, type PageOptions } from './html';
import { renderJson } from './json';
import { renderText } from './text';

/**
 * Writes `dir/index.html`, `dir/figures/*.png`, `dir/report.txt` and `dir/result.json`; returns
 * the page's path. With `imageStore`, the figures are hard links to their one copy there (a
 * batch's report root keeps them in a hidden folder: see write.ts, writeShared).
 */
export function writeReportFolder(dir: string, result: GradeResult, images: ReadonlyMap<string, Buffer>, options: PageOptions & { imageStore?: string } = {}): string {
  const page = path.join(dir, 'index.html');
  for (const [file, bytes] of images) {
    if (options.imageStore) writeShared(path.join(dir, file), bytes, options.imageStore);
    else writeAtomic(path.join(dir, file), bytes);
  }
  writeAtomic(path.join(dir, 'result.json'), renderJson(result));
  writeAtomic(path.join(dir, 'report.txt'), renderText(result, { color: false, verbose: true, reportPath: page }));
  writeAtomic(page, renderHtml(result, images, options));
  removeStaleFigures(dir, images);
  return page;
}

/**
 * Figures an earlier grade left in the folder that this one did not draw (an overlay a correct
 * file no longer has, another lab's figures): removed, so the folder holds this result's alone.
 * Only PNGs named as the kit names figures (`<n>-<id>-student.png`, `-reference`, `-overlay`) are
 * touched: a folder given with --report-dir may hold other files of the user's.
 */
const FIGURE_FILE = /^\d+-[a-z0-9-]+-(student|reference|overlay)\.png$/;

function removeStaleFigures(dir: string, images: ReadonlyMap<string, Buffer>): void {
  const figures = path.join(dir, 'figures');
  let names: string[];
  try {
    names = fs.readdirSync(figures);
  } catch {
    return;
  }
  const kept = new Set([...images.keys()].map((file) => path.resolve(dir, file)));
  for (const name of names) {
    const file = path.join(figures, name);
    if (FIGURE_FILE.test(name) && !kept.has(path.resolve(file))) {
      try { fs.rmSync(file, { force: true }); } catch { /* left as it is */ }
    }
  }
}
