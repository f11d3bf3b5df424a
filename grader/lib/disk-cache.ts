/**
 * A cache on disk, under node_modules/.cache/<name> (or where lib/cache-dir.ts says): bytes by the sha256 of a salt (what every
 * entry depends on: tool versions, options) and a key. The type check, the transpiled submission
 * and the figures use one each. A read that misses, or a write that fails (a read-only kit), only
 * costs time; writes go through write.ts, so a reader never sees half an entry.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cacheDir } from './cache-dir';
import { writeAtomic } from '../write';
import { cacheEntryName } from './cache-entry';

/** One named cache. */
export class DiskCache {
  private readonly dir: string;

  /** `name` is the cache's folder (lib/cache-dir.ts); `salt` is mixed into every key. */
  constructor(name: string, private readonly salt: string) {
    this.dir = cacheDir(name);
  }

  private file(key: string): string {
    return path.join(this.dir, cacheEntryName(this.salt, key));
  }

  /** The entry for `key`, or undefined. */
  get(key: string): Buffer | undefined {
    try {
      return fs.readFileSync(this.file(key));
    } catch {
      return undefined;
    }
  }

  /** The entry for `key`, parsed as JSON and accepted by `valid`, or undefined. */
  getJson<T>(key: string, valid: (value: unknown) => value is T): T | undefined {
    const bytes = this.get(key);
    if (!bytes) return undefined;
    try {
      const value = JSON.parse(bytes.toString('utf8')) as unknown;
      return valid(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores an entry. */
  set(key: string, value: Buffer | string): void {
    try {
      writeAtomic(this.file(key), value);
    } catch { /* a cache that cannot be written only costs time */ }
  }
}
