/**
 * The type checker's V8 startup snapshot: a checker process that starts from it has TypeScript's
 * compiler loaded and its lib files parsed and bound already (check-snapshot-entry.ts), instead of
 * spending about 0.4 s of CPU on that at each start. `npm run grade` starts one checker per grade,
 * so this is most of what the type check costs there.
 *
 * The snapshot is built with the kit (grader/bin/build.js, after the grader's build), for the Node
 * that builds it: a snapshot runs only on the very Node binary that made it. It lives in
 * build/check-snapshot/, one per Node version, beside a small record of what it was made from (the
 * Node, the kit's folder, TypeScript's version and lib folder). A checker starts from it only when
 * that record matches the running grader; otherwise, or when the snapshot cannot be made here, or
 * when a process fails to start from it, the checker starts from its script as before (the same
 * checks, only slower). VG_NO_CHECK_SNAPSHOT=1 turns it off.
 *
 * The grader loads neither TypeScript nor esbuild from here: esbuild (which bundles the checker into
 * the one script a snapshot is made from) is loaded by the build only.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KIT_ROOT } from '../lib/paths';
import { packageVersion } from '../lib/package-version';

/** Where the snapshots and their records are (removed by every build of the grader). */
export const SNAPSHOT_DIR = path.join(KIT_ROOT, 'build', 'check-snapshot');

/**
 * The entry the snapshot is made from, bundled from the sources by esbuild: a snapshot is made from
 * one script whose top level runs as is (tsc's CommonJS output expects a module wrapper).
 */
const ENTRY = path.join(KIT_ROOT, 'grader', 'stages', 'check-snapshot-entry.ts');

/** The environment variable that turns the snapshot off (the checker then starts from its script). */
export const NO_SNAPSHOT_ENV = 'VG_NO_CHECK_SNAPSHOT';

/** What a snapshot was made from: it serves only a grader for which all of these are the same. */
interface SnapshotKey {
  node: string;
  arch: string;
  kitRoot: string;
  libDir: string;
  typescript: string;
}

/** A snapshot's record: its key, and the blob's file name, or why none could be made. */
export type SnapshotRecord = SnapshotKey & ({ blob: string } | { problem: string });

/** The running grader's key. */
function currentKey(): SnapshotKey {
  let libDir = '?';
  try {
    // Resolves a path; loads nothing.
    libDir = path.dirname(require.resolve('typescript/lib/lib.d.ts', { paths: [KIT_ROOT] }));
  } catch { /* no TypeScript: no record will match */ }
  return { node: process.version, arch: process.arch, kitRoot: KIT_ROOT, libDir, typescript: packageVersion('typescript') };
}

const baseName = (): string => `checker-${process.version}-${process.arch}`;
const recordFile = (): string => path.join(SNAPSHOT_DIR, `${baseName()}.json`);

/** This Node's record, when there is one and it matches the running grader. */
export function snapshotRecord(): SnapshotRecord | undefined {
  let record: SnapshotRecord;
  try {
    record = JSON.parse(fs.readFileSync(recordFile(), 'utf8')) as SnapshotRecord;
  } catch {
    return undefined;
  }
  const key = currentKey();
  const same = (Object.keys(key) as (keyof SnapshotKey)[]).every((k) => record[k] === key[k]);
  return same ? record : undefined;
}

let chosen: string | null | undefined;
/** Snapshots a checker of this process failed to start from. */
const refused = new Set<string>();

/**
 * The snapshot a checker should start from, or undefined: none made for this Node and this kit,
 * none could be made here, turned off, or one failed to start in this process.
 */
export function checkSnapshot(): string | undefined {
  if (chosen === undefined) {
    const record = process.env[NO_SNAPSHOT_ENV] === '1' ? undefined : snapshotRecord();
    const blob = record && 'blob' in record ? path.join(SNAPSHOT_DIR, record.blob) : undefined;
    chosen = blob && fs.existsSync(blob) ? blob : null;
  }
  return chosen && !refused.has(chosen) ? chosen : undefined;
}

/** A checker could not start from `blob`: this process starts them from the script from now on. */
export function refuseCheckSnapshot(blob: string): void {
  refused.add(blob);
}

/**
 * Makes this Node's snapshot (about 2 s): bundles the checker (TypeScript and the kit's check code)
 * into one script, which `node --build-snapshot` runs; records the result either way, so that a
 * machine where it cannot be made does not try at every build. Returns the record.
 */
export function buildCheckSnapshot(): SnapshotRecord {
  fs.mkdirSync(SNAPSHOT_DIR, { recursive: true });
  const key = currentKey();
  const bundle = path.join(SNAPSHOT_DIR, `${baseName()}.${process.pid}.js`);
  const blob = path.join(SNAPSHOT_DIR, `${baseName()}.blob`);
  const partial = `${blob}.${process.pid}.tmp`;
  let record: SnapshotRecord;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    esbuild.buildSync({ entryPoints: [ENTRY], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'silent' });
    const made = spawnSync(process.execPath, ['--snapshot-blob', partial, '--build-snapshot', bundle], {
      cwd: SNAPSHOT_DIR, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'],
      env: { LANG: 'C.UTF-8', VG_TS_LIB_DIR: key.libDir },
    });
    if (made.status !== 0 || !fs.existsSync(partial)) {
      // The error's own line (the stack's frames follow it), else the last line.
      const lines = (made.stderr ?? '').split('\n').map((l) => l.trim()).filter((l) => l && !/^at |^\(node:\d+\) Warning|^\(Use `node/.test(l));
      const said = lines.find((l) => /^[A-Z]\w*(Error|Exception)\b/.test(l)) ?? lines.pop();
      throw new Error(made.error ? made.error.message : `node --build-snapshot ${made.signal ? `was killed by ${made.signal}` : `exited with code ${made.status}`}${said ? `: ${said}` : ''}`);
    }
    fs.renameSync(partial, blob);
    record = { ...key, blob: path.basename(blob) };
  } catch (err) {
    record = { ...key, problem: err instanceof Error ? err.message : String(err) };
  } finally {
    fs.rmSync(bundle, { force: true });
    fs.rmSync(partial, { force: true });
  }
  const written = `${recordFile()}.${process.pid}.tmp`;
  fs.writeFileSync(written, `${JSON.stringify(record, null, 2)}\n`);
  fs.renameSync(written, recordFile());
  chosen = undefined;
  return record;
}
