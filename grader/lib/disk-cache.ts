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

/** The environment variable that bounds each cache's size, in MB. */
export const CACHE_MAX_ENV = 'VG_CACHE_MAX_MB';
/** Each cache's default bound: a few classes' worth of figures; the others stay far below it. */
const DEFAULT_MAX_MB = 512;
/**
 * A cache's size is looked at after one write in this many, drawn at random: across processes (a
 * grade writes two or three entries), never at every start (reading a large cache's listing costs
 * tens of ms, which an edited file's grade cannot spare).
 */
const PRUNE_EVERY = 200;

/** One named cache. */
export class DiskCache {
  private readonly dir: string;
  private readonly maxBytes: number;

  /**
   * `name` is the cache's folder (lib/cache-dir.ts); `salt` is mixed into every key. A cache is
   * bounded (VG_CACHE_MAX_MB, else 512 MB): past its bound, the entries used longest ago go
   * (a read marks an entry used), so that grading term after term, or a CI runner whose cache
   * is kept, does not fill the disk. `where` is for the kit's own tests.
   */
  constructor(name: string, private readonly salt: string, where: { dir?: string; maxBytes?: number } = {}) {
    this.dir = where.dir ?? cacheDir(name);
    const mb = Number(process.env[CACHE_MAX_ENV]);
    this.maxBytes = where.maxBytes ?? (Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_MAX_MB) * 1024 * 1024;
  }

  private file(key: string): string {
    return path.join(this.dir, cacheEntryName(this.salt, key));
  }

  /** The entry for `key`, or undefined. */
  get(key: string): Buffer | undefined {
    const file = this.file(key);
    try {
      const bytes = fs.readFileSync(file);
      // Used now: the last to go when the cache is pruned.
      try { const now = new Date(); fs.utimesSync(file, now, now); } catch { /* a read-only cache keeps its order */ }
      return bytes;
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
    if (Math.random() < 1 / PRUNE_EVERY) this.prune();
  }

  /**
   * Past its bound, the entries used longest ago are removed until the cache holds four fifths of
   * it. Another process reading an entry meanwhile only misses it (a cache miss costs time).
   */
  prune(): void {
    let entries: { file: string; size: number; used: number }[];
    try {
      // (Not a write in progress: its temporary file's name starts with a dot.)
      entries = fs.readdirSync(this.dir).filter((name) => !name.startsWith('.')).flatMap((name) => {
        const file = path.join(this.dir, name);
        const st = fs.statSync(file, { throwIfNoEntry: false });
        return st?.isFile() ? [{ file, size: st.size, used: st.mtimeMs }] : [];
      });
    } catch {
      return;
    }
    let total = entries.reduce((sum, e) => sum + e.size, 0);
    if (total <= this.maxBytes) return;
    entries.sort((a, b) => a.used - b.used);
    for (const e of entries) {
      if (total <= this.maxBytes * 0.8) break;
      try {
        fs.rmSync(e.file, { force: true });
        total -= e.size;
      } catch { /* another process's: left */ }
    }
  }
}
