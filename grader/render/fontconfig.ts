/**
 * The fontconfig setup the renderer runs with: only the fonts shipped in grader/render/fonts,
 * fixed rendering options (no hinting, greyscale antialiasing), and every generic family mapped to
 * DejaVu Sans. Whatever fonts a machine has or lacks, the PNGs come out the same.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KIT_ROOT } from '../lib/paths';
import { cacheDir } from '../lib/cache-dir';
import { makeFolders } from '../write';

/** The folder of the shipped fonts. */
export const FONT_DIR = path.join(KIT_ROOT, 'grader', 'render', 'fonts');

/** The family every figure uses. */
export const FONT_FAMILY = 'DejaVu Sans';

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The fonts.conf text for a fonts folder and a cache folder. */
export function fontsConf(fontDir: string, cacheDir: string): string {
  const alias = (family: string): string =>
    `  <alias binding="strong"><family>${family}</family><prefer><family>${FONT_FAMILY}</family></prefer></alias>`;
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${escapeXml(fontDir)}</dir>
  <cachedir>${escapeXml(cacheDir)}</cachedir>
${['sans-serif', 'serif', 'monospace', 'Helvetica', 'Arial', 'sans'].map(alias).join('\n')}
  <match target="font">
    <edit name="hinting" mode="assign"><bool>false</bool></edit>
    <edit name="autohint" mode="assign"><bool>false</bool></edit>
    <edit name="antialias" mode="assign"><bool>true</bool></edit>
    <edit name="rgba" mode="assign"><const>none</const></edit>
    <edit name="lcdfilter" mode="assign"><const>lcdnone</const></edit>
    <edit name="embeddedbitmap" mode="assign"><bool>false</bool></edit>
  </match>
</fontconfig>
`;
}

let made: string | undefined;

/**
 * Writes the kit's fonts.conf and returns its path, for FONTCONFIG_FILE: in the kit's cache
 * (lib/cache-dir.ts: a folder under the shared temporary folder must be this user's own, so no
 * other user, nor a sandbox that could write files, can plant or block it), and where that cannot
 * be written, in a fresh temporary folder of this process's (it throws only when the temporary
 * folder cannot be written either, which the commands check before they start).
 */
export function ensureFontsConf(): string {
  if (made) return made;
  const write = (dir: string): string => {
    const file = path.join(dir, 'fonts.conf');
    const text = fontsConf(FONT_DIR, path.join(dir, 'cache'));
    makeFolders(path.join(dir, 'cache'));
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) {
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, file);
    }
    return file;
  };
  try {
    made = write(cacheDir('vg-fontconfig'));
  } catch {
    made = write(fs.mkdtempSync(path.join(os.tmpdir(), 'vg-fontconfig-')));
  }
  return made;
}
