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
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KIT_ROOT } from './paths';
import { packageVersion } from './package-version';
import { makeFolders } from '../write';
import { CHECK_HEAP_MB, compilerV8Flags } from '../stages/compiler-flags';
import { RENDERER_V8_FLAGS } from '../render/flags';

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

/**
 * What each snapshot is made from and with: `v8Flags` are those its processes run with (Node 20
 * and 22 refuse a snapshot made with other V8 flags).
 */
const KINDS: Record<SnapshotKind, { entry: string; key: () => Record<string, string>; env: (key: Record<string, string>) => Record<string, string>; alias: Record<string, string>; reads: (key: Record<string, string>) => string[]; v8Flags: string[] }> = {
  checker: {
    entry: path.join(KIT_ROOT, 'grader', 'stages', 'check-snapshot-entry.ts'),
    key: () => ({ typescript: packageVersion('typescript'), libDir: typescriptLibDir() }),
    env: (key) => ({ VG_TS_LIB_DIR: key.libDir }),
    alias: {},
    v8Flags: compilerV8Flags(CHECK_HEAP_MB),
    // The lib files its warm-up parses (lib.es2022 and those it references): all of them, to be sure.
    reads: (key) => (fs.existsSync(key.libDir) ? fs.readdirSync(key.libDir).filter((f) => /^lib\..*\.d\.ts$/.test(f)).map((f) => path.join(key.libDir, f)) : []),
  },
  renderer: {
    entry: path.join(KIT_ROOT, 'grader', 'render', 'renderer-snapshot-entry.ts'),
    key: () => ({ vega: packageVersion('vega'), 'vega-lite': packageVersion('vega-lite') }),
    env: () => ({}),
    alias: NO_CANVAS,
    v8Flags: [...RENDERER_V8_FLAGS],
    reads: () => [],
  },
};

/**
 * A snapshot's record: what it was made from (its key), and its blob's file name and size, or why
 * none could be made. `inputs` lists every file the bundle was made from (the kit's sources and
 * each package's files: vega alone brings about fifty), and `fingerprint` their sizes and times:
 * a package updated in place, or a source edited without a build, makes the record stale.
 */
export interface SnapshotRecord {
  [field: string]: string | string[] | undefined;
  /** The blob's file name, in SNAPSHOT_DIR (when one was made). */
  blob?: string;
  /** Its size in bytes, as text. */
  size?: string;
  /** The inputs' sizes and times, hashed. */
  fingerprint?: string;
  /** The inputs, relative to the kit's root. */
  inputs?: string[];
  /** Why no snapshot could be made (or used), when none was. */
  problem?: string;
}

/** The Node binary itself (a snapshot runs only on the binary that made it; two builds of one version differ). */
function nodeBinary(): string {
  try {
    const file = fs.realpathSync(process.execPath);
    const stat = fs.statSync(file);
    return `${file} ${stat.size} ${stat.mtimeMs}`;
  } catch {
    return process.execPath;
  }
}

/** The running grader's key for a kind. */
function currentKey(kind: SnapshotKind): Record<string, string> {
  return { kind, node: process.version, arch: process.arch, nodeBinary: nodeBinary(), kitRoot: KIT_ROOT, v8Flags: KINDS[kind].v8Flags.join(' '), ...KINDS[kind].key() };
}

/** The sizes and modification times of files (relative to the kit's root), as one text: '' when one is missing. */
export function fingerprint(files: string[]): string {
  const parts: string[] = [];
  for (const file of files) {
    try {
      const stat = fs.statSync(path.resolve(KIT_ROOT, file));
      parts.push(`${file} ${stat.size} ${stat.mtimeMs}`);
    } catch {
      return '';
    }
  }
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

const baseName = (kind: SnapshotKind): string => `${kind}-${process.version}-${process.arch}`;
const recordFile = (kind: SnapshotKind): string => path.join(SNAPSHOT_DIR, `${baseName(kind)}.json`);

/**
 * This Node's record of a kind, when there is one and it still holds: it matches the running
 * grader, its inputs are unchanged, and its blob is there, whole. (A record that says why no
 * snapshot could be made holds until the next build.)
 */
export function snapshotRecord(kind: SnapshotKind): SnapshotRecord | undefined {
  if (!records.has(kind)) records.set(kind, readRecord(kind));
  return records.get(kind);
}

/** Records read in this process (stat-ing a few hundred inputs once, not at every use). */
const records = new Map<SnapshotKind, SnapshotRecord | undefined>();

function readRecord(kind: SnapshotKind): SnapshotRecord | undefined {
  let record: SnapshotRecord;
  try {
    record = JSON.parse(fs.readFileSync(recordFile(kind), 'utf8')) as SnapshotRecord;
  } catch {
    return undefined;
  }
  const key = currentKey(kind);
  if (!Object.keys(key).every((k) => record[k] === key[k])) return undefined;
  if (record.blob === undefined) return typeof record.problem === 'string' ? record : undefined;
  if (!Array.isArray(record.inputs) || record.fingerprint !== fingerprint(record.inputs)) return undefined;
  try {
    if (String(fs.statSync(path.join(SNAPSHOT_DIR, record.blob)).size) !== record.size) return undefined;
  } catch {
    return undefined;
  }
  return record;
}

/** Whether every kind has its record for this Node (made, or found impossible here). */
export function snapshotsDecided(): boolean {
  return SNAPSHOT_KINDS.every((kind) => snapshotRecord(kind) !== undefined);
}

const chosen = new Map<SnapshotKind, string | null>();
/** Snapshots a process of this grader failed to start from. */
const refused = new Set<string>();

/**
 * The snapshot a process of this kind, run with `v8Flags`, should start from, or undefined: none
 * made for this Node, this kit and these flags, none could be made here, turned off, or one failed
 * to start.
 */
export function snapshotFor(kind: SnapshotKind, v8Flags: string[] = []): string | undefined {
  // Made with other V8 flags than the process runs with (a checker with other limits): not for it.
  if (v8Flags.join(' ') !== KINDS[kind].v8Flags.join(' ')) return undefined;
  if (!chosen.has(kind)) {
    const record = process.env[NO_SNAPSHOTS_ENV] === '1' ? undefined : snapshotRecord(kind);
    chosen.set(kind, record?.blob !== undefined ? path.join(SNAPSHOT_DIR, record.blob) : null);
  }
  const blob = chosen.get(kind);
  return blob && !refused.has(blob) ? blob : undefined;
}

/** Longest a process started from a snapshot may take to say it is ready (it usually takes 0.1 s). */
export const SNAPSHOT_START_MS = 10_000;

/**
 * Watches the start of a process: when it came from a snapshot and has not said it is ready
 * (`ready()`) within SNAPSHOT_START_MS, `stop` ends it, and its owner replaces it with one started
 * from its script (as after any failure to start from a snapshot). Returns `ready`, which also
 * ends the watch.
 */
export function watchStart(fromSnapshot: boolean, stop: () => void): () => void {
  if (!fromSnapshot) return () => undefined;
  let said = false;
  const timer = setTimeout(() => { if (!said) stop(); }, SNAPSHOT_START_MS);
  timer.unref();
  return () => {
    said = true;
    clearTimeout(timer);
  };
}

/**
 * A process could not start from `blob`: this grader starts them from their script from now on,
 * and its record says so, so that later graders do not try it again (the next build makes it anew).
 */
export function refuseSnapshot(blob: string, why: string): void {
  refused.add(blob);
  for (const kind of SNAPSHOT_KINDS) {
    const record = snapshotRecord(kind);
    if (record?.blob === undefined || path.join(SNAPSHOT_DIR, record.blob) !== blob) continue;
    try {
      writeRecord(kind, { ...currentKey(kind), problem: `a process could not start from it: ${why}` });
    } catch { /* a kit that cannot be written: this grader alone knows */ }
  }
}

/** Writes a kind's record whole (another grader reads either the old one or this one). */
function writeRecord(kind: SnapshotKind, record: SnapshotRecord): void {
  const written = `${recordFile(kind)}.${process.pid}.tmp`;
  fs.writeFileSync(written, `${JSON.stringify(record, null, 2)}\n`);
  fs.renameSync(written, recordFile(kind));
  records.delete(kind);
}

/**
 * Makes this Node's snapshot of a kind (a second or two): bundles its entry into one script, which
 * `node --build-snapshot` runs; records the result either way, so that a machine where it cannot
 * be made does not try at every build. Returns the record.
 */
export function buildSnapshot(kind: SnapshotKind): SnapshotRecord {
  makeFolders(SNAPSHOT_DIR);
  const key = currentKey(kind);
  const bundle = path.join(SNAPSHOT_DIR, `${baseName(kind)}.${process.pid}.js`);
  const blob = path.join(SNAPSHOT_DIR, `${baseName(kind)}.blob`);
  const partial = `${blob}.${process.pid}.tmp`;
  let record: SnapshotRecord;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    const built = esbuild.buildSync({ entryPoints: [KINDS[kind].entry], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, absWorkingDir: KIT_ROOT, alias: KINDS[kind].alias, logLevel: 'silent', metafile: true });
    // Every file in the bundle, and the files the snapshot's build reads besides (TypeScript's lib files).
    const inputs = [...Object.keys(built.metafile.inputs), ...KINDS[kind].reads(key).map((f) => path.relative(KIT_ROOT, f))].sort();
    const made = spawnSync(process.execPath, [...KINDS[kind].v8Flags, '--snapshot-blob', partial, '--build-snapshot', bundle], {
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
    record = { ...key, blob: path.basename(blob), size: String(fs.statSync(blob).size), fingerprint: fingerprint(inputs), inputs };
  } catch (err) {
    record = { ...key, problem: err instanceof Error ? err.message : String(err) };
  } finally {
    fs.rmSync(bundle, { force: true });
    fs.rmSync(partial, { force: true });
  }
  writeRecord(kind, record);
  chosen.delete(kind);
  return record;
}

/**
 * Makes the snapshots this Node has no record of (see {@link buildSnapshot}). Called under the
 * build's lock: what a build that was stopped half-way left (a bundle, a partial blob) goes first.
 */
export function buildSnapshots(): void {
  if (fs.existsSync(SNAPSHOT_DIR)) {
    for (const file of fs.readdirSync(SNAPSHOT_DIR)) if (/\.\d+\.(js|tmp)$/.test(file)) fs.rmSync(path.join(SNAPSHOT_DIR, file), { force: true });
  }
  for (const kind of SNAPSHOT_KINDS) if (!snapshotRecord(kind)) buildSnapshot(kind);
}
