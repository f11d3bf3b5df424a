/**
 * The name of a cache's entry on disk: the sha256 of a salt (what every entry depends on: tool
 * versions, options) and a key. The kit's disk caches (lib/disk-cache.ts) and the renderer's
 * compiled figures (render/runtimes.ts) name their files so. No other import: the renderer's
 * startup snapshot bundles it.
 */
import { createHash } from 'node:crypto';

export function cacheEntryName(salt: string, key: string): string {
  return createHash('sha256').update(salt).update('\0').update(key).digest('hex');
}
