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
