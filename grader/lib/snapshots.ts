/**
 * V8 startup snapshots of the kit's own helper processes, made by the build (grader/bin/build.js)
 * so that a process starts with its libraries loaded and warm instead of loading them at every
 * grade:
 *
 * - `checker`: the type check's process (compile-child.ts) with TypeScript's compiler loaded and
 *   its lib files parsed and bound (stages/check-snapshot-entry.ts). It reads untrusted source, as
 *   it would from its script; what it starts from is the kit's own state, nothing of a submission.
 * - `renderer`: the figure renderer (render/renderer.ts) with vega and vega-lite loaded, and the
 *   functions a figure runs compiled by drawing a chart at the build (render/renderer-snapshot-entry.ts).
 *   sharp, native code a snapshot cannot hold, is loaded when the process starts.
 *
 * A snapshot runs only on the very Node binary that made it: there is one per Node version, in
 * build/snapshots/, each beside a record of what it was made from (the Node, the kit's folder, the
 * versions of the packages it holds). A process starts from one only when its record matches the
 * running grader; otherwise, when none could be made here (the record says why), or when one fails
 * to start, the process starts from its script as before: the same results, more slowly.
 * VG_NO_SNAPSHOTS=1 turns them off.
 *
 * Each snapshot is made from one script that esbuild bundles from the sources (a snapshot's script
 * runs without a module wrapper, and cannot load packages). esbuild is loaded here only to make
 * them: the grader never loads it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KIT_ROOT } from './paths';
import { packageVersion } from './package-version';

/** The kit's snapshots. */
export type SnapshotKind = 'checker' | 'renderer';
export const SNAPSHOT_KINDS: readonly SnapshotKind[] = ['checker', 'renderer'];

/** Where the snapshots and their records are (removed by every build of the grader). */
export const SNAPSHOT_DIR = path.join(KIT_ROOT, 'build', 'snapshots');

/** The environment variable that turns the snapshots off (each process then starts from its script). */
export const NO_SNAPSHOTS_ENV = 'VG_NO_SNAPSHOTS';

/** TypeScript's lib folder (a path: nothing is loaded). */
function typescriptLibDir(): string {
  try {
    return path.dirname(require.resolve('typescript/lib/lib.d.ts', { paths: [KIT_ROOT] }));
  } catch {
    return '?';
  }
}

/**
 * vega-canvas's build without a canvas: vega's Node build looks for the optional `canvas` package
 * with a top-level await (which no single script can hold), and the kit never uses a canvas (text
 * is measured by estimate). Its browser build finds no canvas either, without the await.
 */
const NO_CANVAS = { 'vega-canvas': './node_modules/vega-canvas/build/vega-canvas.browser.js' };

/** What each snapshot is made from, and what its record must match besides the Node and the kit's folder. */
const KINDS: Record<SnapshotKind, { entry: string; key: () => Record<string, string>; env: (key: Record<string, string>) => Record<string, string>; alias: Record<string, string> }> = {
  checker: {
    entry: path.join(KIT_ROOT, 'grader', 'stages', 'check-snapshot-entry.ts'),
    key: () => ({ typescript: packageVersion('typescript'), libDir: typescriptLibDir() }),
    env: (key) => ({ VG_TS_LIB_DIR: key.libDir }),
    alias: {},
  },
  renderer: {
    entry: path.join(KIT_ROOT, 'grader', 'render', 'renderer-snapshot-entry.ts'),
    key: () => ({ vega: packageVersion('vega'), 'vega-lite': packageVersion('vega-lite') }),
    env: () => ({}),
    alias: NO_CANVAS,
  },
};

/** A snapshot's record: what it was made from, and its blob's file name or why none could be made. */
export type SnapshotRecord = Record<string, string> & ({ blob: string } | { problem: string });

/** The running grader's key for a kind. */
function currentKey(kind: SnapshotKind): Record<string, string> {
  return { kind, node: process.version, arch: process.arch, kitRoot: KIT_ROOT, ...KINDS[kind].key() };
}

const baseName = (kind: SnapshotKind): string => `${kind}-${process.version}-${process.arch}`;
const recordFile = (kind: SnapshotKind): string => path.join(SNAPSHOT_DIR, `${baseName(kind)}.json`);

/** This Node's record of a kind, when there is one and it matches the running grader. */
export function snapshotRecord(kind: SnapshotKind): SnapshotRecord | undefined {
  let record: SnapshotRecord;
  try {
    record = JSON.parse(fs.readFileSync(recordFile(kind), 'utf8')) as SnapshotRecord;
  } catch {
    return undefined;
  }
  const key = currentKey(kind);
  return Object.keys(key).every((k) => record[k] === key[k]) ? record : undefined;
}

/** Whether every kind has its record for this Node (made, or found impossible here). */
export function snapshotsDecided(): boolean {
  return SNAPSHOT_KINDS.every((kind) => snapshotRecord(kind) !== undefined);
}

const chosen = new Map<SnapshotKind, string | null>();
/** Snapshots a process of this grader failed to start from. */
const refused = new Set<string>();

/**
 * The snapshot a process of this kind should start from, or undefined: none made for this Node and
 * this kit, none could be made here, turned off, or one failed to start in this grader.
 */
export function snapshotFor(kind: SnapshotKind): string | undefined {
  if (!chosen.has(kind)) {
    const record = process.env[NO_SNAPSHOTS_ENV] === '1' ? undefined : snapshotRecord(kind);
    const blob = record && 'blob' in record ? path.join(SNAPSHOT_DIR, record.blob) : undefined;
    chosen.set(kind, blob && fs.existsSync(blob) ? blob : null);
  }
  const blob = chosen.get(kind);
  return blob && !refused.has(blob) ? blob : undefined;
}

/** A process could not start from `blob`: this grader starts them from their script from now on. */
export function refuseSnapshot(blob: string): void {
  refused.add(blob);
}

/**
 * Makes this Node's snapshot of a kind (a second or two): bundles its entry into one script, which
 * `node --build-snapshot` runs; records the result either way, so that a machine where it cannot
 * be made does not try at every build. Returns the record.
 */
export function buildSnapshot(kind: SnapshotKind): SnapshotRecord {
  fs.mkdirSync(SNAPSHOT_DIR, { recursive: true });
  const key = currentKey(kind);
  const bundle = path.join(SNAPSHOT_DIR, `${baseName(kind)}.${process.pid}.js`);
  const blob = path.join(SNAPSHOT_DIR, `${baseName(kind)}.blob`);
  const partial = `${blob}.${process.pid}.tmp`;
  let record: SnapshotRecord;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    esbuild.buildSync({ entryPoints: [KINDS[kind].entry], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, absWorkingDir: KIT_ROOT, alias: KINDS[kind].alias, logLevel: 'silent' });
    const made = spawnSync(process.execPath, ['--snapshot-blob', partial, '--build-snapshot', bundle], {
      cwd: SNAPSHOT_DIR, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'],
      env: { LANG: 'C.UTF-8', ...KINDS[kind].env(key) },
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
  const written = `${recordFile(kind)}.${process.pid}.tmp`;
  fs.writeFileSync(written, `${JSON.stringify(record, null, 2)}\n`);
  fs.renameSync(written, recordFile(kind));
  chosen.delete(kind);
  return record;
}

/** Makes the snapshots this Node has no record of (see {@link buildSnapshot}). */
export function buildSnapshots(): void {
  for (const kind of SNAPSHOT_KINDS) if (!snapshotRecord(kind)) buildSnapshot(kind);
}
