/**
 * A report folder: the page, the figures, the text report and the result record. The one place
 * that lays a result out on disk (cli.ts for one submission, the batch for each student); the
 * files themselves go through write.ts, atomically.
 */
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
  return page;
}
