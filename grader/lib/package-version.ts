/**
 * An installed package's version, read from its package.json (never by loading the package): what
 * a cache's key names, so that an upgrade never serves what an older version made.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KIT_ROOT } from './paths';

/** The version of the kit's dependency `name`; `?` when it cannot be read. */
export function packageVersion(name: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(KIT_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}

/**
 * What npm last installed: the size and time of its record of node_modules, which every install
 * or update rewrites. A cache of what a package drew or compiled keys on it beside the package's
 * version: vega is a few dozen packages, whose patch releases change no version of vega's own.
 */
export function installRecord(): string {
  try {
    const st = fs.statSync(path.join(KIT_ROOT, 'node_modules', '.package-lock.json'));
    return `installed ${st.size} ${st.mtimeMs}`;
  } catch {
    return 'installed ?';
  }
}
