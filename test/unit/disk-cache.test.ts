/**
 * The kit's caches on disk are bounded: past the bound, the entries used longest ago go (a read
 * marks an entry used), down to four fifths of it; an entry being written is never touched.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiskCache } from '../../grader/lib/disk-cache';

test('past its bound the cache drops the entries used longest ago, keeps the ones just read or written, and leaves writes in progress', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-disk-cache-'));
  try {
    const cache = new DiskCache('test', 'salt', { dir, maxBytes: 10_000 });
    const kb = Buffer.alloc(1000, 1);
    const old = Date.now() / 1000 - 3600;
    // Ten entries of 1 KB, each older than the next; then the oldest is read (used again).
    for (let k = 0; k < 10; k++) {
      cache.set(`k${k}`, kb);
      const file = fs.readdirSync(dir).map((n) => path.join(dir, n)).find((f) => fs.statSync(f).mtimeMs > (old + 1000) * 1000)!;
      fs.utimesSync(file, old + k, old + k);
    }
    fs.writeFileSync(path.join(dir, '.in-progress.123.tmp'), Buffer.alloc(5000));
    expect(cache.get('k0')).toEqual(kb);
    // Over the bound: 11 KB.
    cache.set('k10', kb);
    cache.prune();
    const kept = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9', 'k10'].filter((k) => cache.get(k) !== undefined);
    expect(kept).toEqual(['k0', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9', 'k10']);
    expect(fs.existsSync(path.join(dir, '.in-progress.123.tmp'))).toBe(true);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
