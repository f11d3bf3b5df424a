/**
 * Vega's runtime dataflow of a figure, kept by the figure's shape: its Vega-Lite spec without the
 * numbers it plots. Compiling a spec (Vega-Lite to Vega, then Vega's parse) is about half of what
 * drawing a figure costs in a renderer that has just started, and the shape of a lab's figure
 * hardly ever changes: the same titles, axes and layers, only other data. So a figure's inline data
 * (`data: { values: [...] }`) is taken out and named, the shape is compiled once, and each drawing
 * makes a view of the compiled dataflow and hands it the data by name (vega's `view.data`).
 *
 * Kept in memory (a batch's renderer lives long) and on disk (each `npm run grade` starts a new
 * renderer), under node_modules/.cache like the kit's other caches, keyed by vega's and
 * Vega-Lite's versions. A figure whose spec names data itself, or holds anything else unusual, is
 * compiled as it is, every time: the cache only ever serves a shape it made.
 *
 * What is on disk is code for the renderer (vega compiles a runtime's expressions into functions):
 * it is the kit's, written by the kit's renderer, in the kit's own folder, like its compiled
 * scripts. Student code never runs in the renderer, and its sandbox cannot write there; and a file
 * or folder that another user may write to is not read (trusted()).
 * Datasets are named by their content, and a spec whose data could be read differently once named
 * is not taken apart (figureShape): the PNG is the one its spec draws, byte for byte.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeFolders, writeAtomic } from '../write';
import { cacheEntryName } from '../lib/cache-entry';

/** The names given to a figure's inline datasets; a spec that uses such a name itself is not cached. */
const DATASET_PREFIX = 'vg_inline_data_';

/** Runtimes kept in memory, at most (a lab has a handful of figure shapes). */
const IN_MEMORY = 32;

/** Runtime files kept on disk, at most: the oldest go when there are more. */
const ON_DISK = 256;

/** The keys of a Vega-Lite view, beside which `data` is the view's own data. */
const VIEW_KEYS = ['mark', 'layer', 'hconcat', 'vconcat', 'concat', 'facet', 'repeat', 'spec'];

/** A figure's shape, and the data taken out of it. */
export interface FigureShape {
  /** The spec's JSON, each inline dataset replaced by a named one. */
  key: string;
  /** The Vega-Lite spec with named datasets. */
  spec: unknown;
  /** The values of each named dataset. */
  datasets: { name: string; values: unknown[] }[];
}

/**
 * The spec's shape, or undefined when it cannot be taken apart with the same drawing for sure:
 * - it names a dataset with the prefix used here, or has `datasets` (top-level named data);
 * - it has inline data that is not a view's own (a lookup's, say);
 * - a view's inline data sits under a view with data of its own, a transform, a facet or a
 *   repeat, or beside a transform: Vega-Lite parses inline data afresh but lets named data
 *   inherit what the enclosing views parsed, so the two could be read differently;
 * - a dataset that JSON cannot hold exactly (a value that is not finite, say).
 * Datasets are named by their content: Vega-Lite merges identical inline datasets into one source,
 * and the same values under one name are merged the same way (two empty series drawn as two
 * sources would widen a scale the merged one does not).
 */
export function figureShape(spec: unknown): FigureShape | undefined {
  const datasets: { name: string; values: unknown[] }[] = [];
  const byContent = new Map<string, string>();
  let unsafe = false;
  const walk = (node: unknown, enclosed: boolean): unknown => {
    if (unsafe) return node;
    if (typeof node === 'string') {
      if (node.startsWith(DATASET_PREFIX)) unsafe = true;
      return node;
    }
    if (Array.isArray(node)) return node.map((item) => walk(item, enclosed));
    if (node === null || typeof node !== 'object') return node;
    const record = node as Record<string, unknown>;
    const isView = VIEW_KEYS.some((key) => key in record);
    // What this view's children inherit: its data, its transforms, its faceting.
    const encloses = enclosed || (isView && ('data' in record || 'transform' in record || 'facet' in record || 'repeat' in record));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record)) {
      if (k === 'datasets') unsafe = true;
      if (k === 'data' && isInlineData(v)) {
        const content = asJson(v.values);
        if (!isView || enclosed || 'transform' in record || content === undefined) {
          unsafe = true;
          return node;
        }
        let name = byContent.get(content);
        if (name === undefined) {
          name = `${DATASET_PREFIX}${datasets.length}`;
          byContent.set(content, name);
          datasets.push({ name, values: v.values });
        }
        out[k] = { name };
      } else {
        out[k] = walk(v, encloses);
      }
    }
    return out;
  };
  const shaped = walk(spec, false);
  return unsafe ? undefined : { key: JSON.stringify(shaped), spec: shaped, datasets };
}

/** `{ values: [...] }` and nothing else (a format, a name or a transform would change its meaning). */
function isInlineData(v: unknown): v is { values: unknown[] } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && Array.isArray((v as { values?: unknown }).values);
}

/** Compiled runtimes by shape, in memory and (when given a folder) on disk. */
export class RuntimeStore {
  private readonly memory = new Map<string, object>();

  /**
   * `dir`: where runtimes are kept on disk (none: memory only); `salt`: what every entry depends
   * on; the most kept in memory and on disk.
   */
  constructor(private readonly dir: string | undefined, private readonly salt: string, private readonly limits = { inMemory: IN_MEMORY, onDisk: ON_DISK }) {}

  private file(key: string): string | undefined {
    return this.dir && path.join(this.dir, `${cacheEntryName(this.salt, key)}.json`);
  }

  /** The runtime of a shape, or undefined. */
  get(key: string): object | undefined {
    const held = this.memory.get(key);
    if (held) {
      // Most recently used last: the first is the one to drop.
      this.memory.delete(key);
      this.memory.set(key, held);
      return held;
    }
    const file = this.file(key);
    if (!file || !this.trusted(this.dir!) || !this.trusted(file)) return undefined;
    let runtime: unknown;
    try {
      runtime = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      return undefined;
    }
    if (!isRuntime(runtime)) return undefined;
    // Used now: the last to be pruned.
    try {
      const now = new Date();
      fs.utimesSync(file, now, now);
    } catch { /* read-only: pruned sooner, nothing worse */ }
    this.remember(key, runtime);
    return runtime;
  }

  /** Forgets a shape's runtime, here and on disk (one that failed to draw). */
  forget(key: string): void {
    this.memory.delete(key);
    const file = this.file(key);
    if (file) fs.rmSync(file, { force: true });
  }

  /**
   * Whether a file or folder may be read as code for the renderer: owned by this process's user
   * (or root) and writable by no one else. A kept runtime is code (vega compiles its expressions),
   * so a folder others may write to is not read from.
   */
  private trusted(file: string): boolean {
    try {
      const st = fs.statSync(file);
      const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
      return (uid === undefined || st.uid === uid || st.uid === 0) && (st.mode & 0o022) === 0;
    } catch {
      return false;
    }
  }

  /**
   * Keeps a shape's runtime, as JSON gives it back (vega's parse describes its dataflow in JSON,
   * with class instances and unset fields JSON does not keep): a renderer then draws every figure,
   * whether its shape was compiled now, earlier or by another process, from the same description.
   * Returns that description; undefined when JSON cannot hold the runtime exactly (a number that
   * is not finite, a function), which is then neither kept nor used. A write that fails, such as
   * in a read-only kit, only costs time.
   */
  set(key: string, runtime: object): object | undefined {
    const text = asJson(runtime);
    if (text === undefined) return undefined;
    const described = JSON.parse(text) as object;
    this.remember(key, described);
    const file = this.file(key);
    if (!file) return described;
    try {
      // Writable by this user alone, whatever the umask (trusted() reads nothing else).
      makeFolders(this.dir!);
      fs.chmodSync(this.dir!, 0o755);
      writeAtomic(file, text);
      fs.chmodSync(file, 0o644);
      this.prune();
    } catch { /* a cache that cannot be written only costs time */ }
    return described;
  }

  private remember(key: string, runtime: object): void {
    this.memory.set(key, runtime);
    if (this.memory.size > this.limits.inMemory) this.memory.delete(this.memory.keys().next().value!);
  }

  /** Drops the oldest files past the limit (another renderer may be pruning too: a file gone is fine). */
  private prune(): void {
    const names = fs.readdirSync(this.dir!).filter((n) => n.endsWith('.json'));
    if (names.length <= this.limits.onDisk) return;
    const aged = names.map((n) => {
      try {
        return { n, t: fs.statSync(path.join(this.dir!, n)).mtimeMs };
      } catch {
        return { n, t: 0 };
      }
    }).sort((a, b) => a.t - b.t);
    for (const { n } of aged.slice(0, names.length - this.limits.onDisk)) fs.rmSync(path.join(this.dir!, n), { force: true });
  }
}

/**
 * `value` as JSON text, or undefined when JSON would change what it holds: a number that is not
 * finite (JSON writes null), a function, a symbol or a bigint, a date, a pattern, a map or a set,
 * an empty slot in an array. An object's unset fields and its class are not kept, on purpose.
 */
export function asJson(value: unknown): string | undefined {
  let lost = false;
  let text: string;
  try {
    text = JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
      const raw = this[key];
      if ((typeof raw === 'number' && !Number.isFinite(raw)) || typeof raw === 'function' || typeof raw === 'symbol' || typeof raw === 'bigint'
        || raw instanceof Date || raw instanceof RegExp || raw instanceof Map || raw instanceof Set || (raw === undefined && Array.isArray(this))) {
        lost = true;
      }
      return v;
    });
  } catch {
    // A bigint, or a cycle.
    return undefined;
  }
  return lost || text === undefined ? undefined : text;
}

/** What vega's parse returns: an object with the dataflow's operators. */
function isRuntime(value: unknown): value is object {
  return value !== null && typeof value === 'object' && Array.isArray((value as { operators?: unknown }).operators);
}

/**
 * The environment variable that names the renderer's folder of runtimes (render/client.ts sets it
 * to one under node_modules/.cache); `off` (or `0`) draws every figure from its spec, as it is.
 */
export const RUNTIMES_ENV = 'VG_RENDER_RUNTIMES';

/**
 * What the installed packages add to the key (lib/package-version.ts installRecord, set by
 * render/client.ts): vega's own parts (its parser, runtime, view) take patch updates that change
 * no version this process can see.
 */
export const RUNTIMES_SALT_ENV = 'VG_RENDER_RUNTIMES_SALT';

/** How the kit takes a figure apart and keeps its runtime: a change to either makes another key. */
const FORMAT = 'runtime 2';

/** The store a renderer uses: on disk where its starter named a folder, in memory only otherwise, none for `off`. */
export function runtimeStore(libs: { vega: { version?: unknown }; vegaLite: { version?: unknown } }, env: NodeJS.ProcessEnv = process.env): RuntimeStore | undefined {
  const dir = env[RUNTIMES_ENV];
  if (dir !== undefined && ['off', '0', 'false', 'no'].includes(dir.trim().toLowerCase())) return undefined;
  return new RuntimeStore(dir && path.isAbsolute(dir) ? dir : undefined, `${FORMAT}, vega ${String(libs.vega.version)}, vega-lite ${String(libs.vegaLite.version)}, ${env[RUNTIMES_SALT_ENV] ?? ''}`);
}
