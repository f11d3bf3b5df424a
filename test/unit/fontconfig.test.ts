/**
 * The renderer's fonts.conf: in the kit's cache, never at a fixed name in the shared temporary
 * folder, where another user (or a sandbox that could create a file) once planted a file that
 * turned every later grade into a fault of the kit.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureFontsConf, fontsConf, FONT_DIR } from '../../grader/render/fontconfig';
import { cacheDir } from '../../grader/lib/cache-dir';

test('fonts.conf is written in the kit\'s cache, with its fontconfig cache beside it', () => {
  const dir = cacheDir('vg-fontconfig');
  const file = ensureFontsConf();
  expect(file).toBe(path.join(dir, 'fonts.conf'));
  expect(fs.readFileSync(file, 'utf8')).toBe(fontsConf(FONT_DIR, path.join(dir, 'cache')));
  expect(fs.statSync(path.join(dir, 'cache')).isDirectory()).toBe(true);
});
