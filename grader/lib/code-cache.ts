/**
 * V8's code cache on disk (Node 22.1 and later): the modules a kit process loads (jest, ts-jest,
 * TypeScript's compiler, vega, the kit's own) are compiled once and read back on the next start,
 * instead of being compiled at every grade. Called first thing by each of the kit's own processes
 * (the grader, a batch worker, the renderer, a compiler child), never by a sandbox child: student
 * code is neither cached nor given a cache. Where Node has no such cache, or the folder cannot be
 * written (a read-only install), processes start as before.
 */
import Module = require('node:module');
import { cacheDir } from './cache-dir';

/** The cache's folder: beside the kit's other caches (lib/cache-dir.ts, which loads nothing of the kit's: the renderer loads none of it). */
export function codeCacheDir(): string {
  return cacheDir('vg-code');
}

/** Turns the cache on for this process (the modules it loads from now on). */
export function useCodeCache(): void {
  const enable = (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (typeof enable !== 'function' || process.env.VG_NO_CODE_CACHE === '1') return;
  try {
    enable(codeCacheDir());
  } catch { /* no cache: the process starts as before */ }
}
