/**
 * The store of compiled figures (render/runtimes.ts): which specs it takes apart, what it keeps,
 * where, and how much. That a figure drawn from a kept runtime is the very figure drawn from its
 * spec is tested in figures.test.ts, with the renderer.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { asJson, figureShape, RuntimeStore, runtimeStore, RUNTIMES_ENV, RUNTIMES_SALT_ENV } from '../../grader/render/runtimes';

const runtime = (n: number): object => ({ operators: [{ id: n, type: 'operator' }], streams: [] });

describe('a figure\'s shape', () => {
  test('each view\'s inline data is named and taken out; the rest stays', () => {
    const spec = {
      title: 'a',
      layer: [
        { data: { values: [{ x: 1 }] }, mark: 'line', encoding: { x: { field: 'x' } } },
        { data: { values: [{ x: 2 }, { x: 3 }] }, mark: 'point' },
      ],
    };
    const shape = figureShape(spec)!;
    expect(shape.datasets).toEqual([{ name: 'vg_inline_data_0', values: [{ x: 1 }] }, { name: 'vg_inline_data_1', values: [{ x: 2 }, { x: 3 }] }]);
    expect(shape.spec).toEqual({ title: 'a', layer: [{ data: { name: 'vg_inline_data_0' }, mark: 'line', encoding: { x: { field: 'x' } } }, { data: { name: 'vg_inline_data_1' }, mark: 'point' }] });
    // The spec itself is not changed.
    expect(spec.layer[0].data).toEqual({ values: [{ x: 1 }] });
  });

  test('two figures that differ only in their data have one shape', () => {
    const a = figureShape({ data: { values: [{ y: 1 }] }, mark: 'line' })!;
    const b = figureShape({ data: { values: [{ y: 2 }, { y: 5 }] }, mark: 'line' })!;
    expect(a.key).toBe(b.key);
    expect(figureShape({ data: { values: [] }, mark: 'point' })!.key).not.toBe(a.key);
  });

  test('a spec it cannot take apart with the same drawing for sure has none: it is drawn as it is', () => {
    const line = { mark: 'line', encoding: { x: { field: 'x', type: 'quantitative' } } };
    expect(figureShape({ datasets: { d: [] }, data: { name: 'd' }, mark: 'line' })).toBeUndefined();
    expect(figureShape({ data: { name: 'vg_inline_data_0' }, mark: 'line' })).toBeUndefined();
    expect(figureShape({ title: 'vg_inline_data_7', data: { values: [] }, mark: 'line' })).toBeUndefined();
    // Inline data that is not a view's (a lookup's).
    expect(figureShape({ data: { values: [] }, mark: 'line', transform: [{ lookup: 'k', from: { data: { values: [{ k: 1 }] }, key: 'k' } }] })).toBeUndefined();
    // Inline data beside a transform, or under a view with data, a transform, a facet or a repeat
    // (named data would inherit what those parsed).
    expect(figureShape({ data: { values: [{ x: 1 }] }, transform: [{ calculate: '1', as: 'y' }], ...line })).toBeUndefined();
    expect(figureShape({ data: { values: [{ x: 1 }] }, layer: [{ data: { values: [{ x: 2 }] }, ...line }] })).toBeUndefined();
    expect(figureShape({ transform: [{ filter: 'true' }], layer: [{ data: { values: [{ x: 2 }] }, ...line }] })).toBeUndefined();
    expect(figureShape({ repeat: ['x'], spec: { data: { values: [{ x: 2 }] }, ...line } })).toBeUndefined();
    // A dataset JSON cannot hold exactly.
    expect(figureShape({ data: { values: [{ x: NaN }] }, ...line })).toBeUndefined();
    expect(figureShape({ data: { values: [{ x: 1n }] }, ...line })).toBeUndefined();
    // Panels side by side, each with its data, are taken apart.
    expect(figureShape({ hconcat: [{ data: { values: [{ x: 1 }] }, ...line }, { data: { values: [{ x: 2 }] }, layer: [line] }] })?.datasets).toHaveLength(2);
  });

  test('equal datasets get one name, as Vega-Lite merges equal inline datasets into one source', () => {
    const line = { mark: 'line', encoding: { x: { field: 'x', type: 'quantitative' } } };
    const shape = figureShape({ layer: [{ data: { values: [] }, ...line }, { data: { values: [{ x: 1 }] }, ...line }, { data: { values: [] }, ...line }] })!;
    expect(shape.datasets).toEqual([{ name: 'vg_inline_data_0', values: [] }, { name: 'vg_inline_data_1', values: [{ x: 1 }] }]);
    expect((shape.spec as { layer: { data: unknown }[] }).layer.map((l) => l.data)).toEqual([{ name: 'vg_inline_data_0' }, { name: 'vg_inline_data_1' }, { name: 'vg_inline_data_0' }]);
    // Which datasets are equal is part of the shape: another pattern, another key.
    const apart = figureShape({ layer: [{ data: { values: [] }, ...line }, { data: { values: [{ x: 1 }] }, ...line }, { data: { values: [{ x: 2 }] }, ...line }] })!;
    expect(apart.key).not.toBe(shape.key);
  });

  test('data with anything beside its values (a format, a name) stays in the shape', () => {
    const spec = { data: { values: ['1'], format: { type: 'json' } }, mark: 'line' };
    expect(figureShape(spec)).toEqual({ key: JSON.stringify(spec), spec, datasets: [] });
  });
});

describe('runtimes as JSON', () => {
  test('class instances and unset fields are written as JSON writes them', () => {
    class Entry { constructor(readonly id: number, readonly params?: object) {} }
    expect(asJson({ operators: [new Entry(1)] })).toBe('{"operators":[{"id":1}]}');
  });

  test.each([
    ['a number that is not finite', { a: [1, Infinity] }],
    ['NaN', { a: NaN }],
    ['a function', { f: () => 1 }],
    ['a date', { d: new Date(0) }],
    ['a pattern', { r: /x/ }],
    ['a map', { m: new Map() }],
    ['an empty slot', { a: [1, undefined] }],
    ['a bigint', { b: 1n }],
  ])('%s is refused', (_, value) => {
    expect(asJson(value)).toBeUndefined();
  });
});

describe('the store', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-runtimes-unit-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A store that has kept one shape, and that shape's file. */
  const keptOne = (): { store: RuntimeStore; file: string } => {
    const store = new RuntimeStore(dir, 's');
    store.set('shape', runtime(1));
    return { store, file: path.join(dir, fs.readdirSync(dir)[0]) };
  };

  test('keeps what it is given as JSON gives it back, in memory and on disk; another store with the same salt reads it', () => {
    const store = new RuntimeStore(dir, 'salt 1');
    class Op { constructor(readonly id: number, readonly value?: unknown) {} }
    const kept = store.set('shape', { operators: [new Op(3)] })!;
    expect(kept).toEqual({ operators: [{ id: 3 }] });
    expect(Object.getPrototypeOf((kept as { operators: object[] }).operators[0])).toBe(Object.prototype);
    expect(store.get('shape')).toBe(kept);
    expect(new RuntimeStore(dir, 'salt 1').get('shape')).toEqual(kept);
    expect(new RuntimeStore(dir, 'salt 2').get('shape')).toBeUndefined();
    expect(store.get('another shape')).toBeUndefined();
  });

  test('a runtime JSON cannot hold is neither kept nor written', () => {
    const store = new RuntimeStore(dir, 's');
    expect(store.set('shape', { operators: [{ value: Infinity }] })).toBeUndefined();
    expect(store.get('shape')).toBeUndefined();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a file or folder that others may write to, or that another user owns, is not read (a runtime is code for the renderer)', () => {
    const { file } = keptOne();
    expect(fs.statSync(file).mode & 0o777).toBe(0o644);
    expect(new RuntimeStore(dir, 's').get('shape')).toEqual(runtime(1));
    fs.chmodSync(file, 0o666);
    expect(new RuntimeStore(dir, 's').get('shape')).toBeUndefined();
    fs.chmodSync(file, 0o644);
    fs.chmodSync(dir, 0o775);
    expect(new RuntimeStore(dir, 's').get('shape')).toBeUndefined();
    fs.chmodSync(dir, 0o755);
    if (process.getuid?.() === 0) {
      // Run as root: a file that another (non-root) user owns.
      fs.chownSync(file, 65534, 65534);
      expect(new RuntimeStore(dir, 's').get('shape')).toBeUndefined();
    }
  });

  test('written writable by its user alone, whatever the umask', () => {
    const old = process.umask(0o002);
    try {
      new RuntimeStore(path.join(dir, 'made'), 's').set('shape', runtime(1));
    } finally {
      process.umask(old);
    }
    expect(fs.statSync(path.join(dir, 'made')).mode & 0o777).toBe(0o755);
    expect(new RuntimeStore(path.join(dir, 'made'), 's').get('shape')).toEqual(runtime(1));
  });

  test('forgetting a shape drops it from memory and disk', () => {
    const { store } = keptOne();
    store.forget('shape');
    expect(store.get('shape')).toBeUndefined();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a file that is not JSON, or not a runtime, is a miss', () => {
    const { file } = keptOne();
    for (const text of ['{"operators":', '[]', '{"operators": 3}', '']) {
      fs.writeFileSync(file, text);
      expect({ text, got: new RuntimeStore(dir, 's').get('shape') }).toEqual({ text, got: undefined });
    }
  });

  test('at most so many in memory (the least recently used go) and on disk (the oldest files go)', () => {
    const store = new RuntimeStore(dir, 's', { inMemory: 2, onDisk: 3 });
    const dated = new Set<string>();
    for (let k = 0; k < 5; k++) {
      // Each file written a second after the one before (the clock of a file system may be coarse).
      for (const name of fs.readdirSync(dir)) if (!dated.has(name)) fs.utimesSync(path.join(dir, name), new Date(), new Date(Date.now() - 1000 * (10 - k)));
      for (const name of fs.readdirSync(dir)) dated.add(name);
      store.set(`shape ${k}`, runtime(k));
    }
    expect(fs.readdirSync(dir)).toHaveLength(3);
    const memoryOnly = new RuntimeStore(undefined, 's', { inMemory: 2, onDisk: 3 });
    memoryOnly.set('a', runtime(1));
    memoryOnly.set('b', runtime(2));
    expect(memoryOnly.get('a')).toBeDefined(); // now the most recent
    memoryOnly.set('c', runtime(3));
    expect([memoryOnly.get('a'), memoryOnly.get('b'), memoryOnly.get('c')].map((r) => r !== undefined)).toEqual([true, false, true]);
    // The newest three files are the ones kept: a fresh store reads shapes 2, 3 and 4 only.
    const fresh = new RuntimeStore(dir, 's');
    expect([0, 1, 2, 3, 4].map((k) => fresh.get(`shape ${k}`) !== undefined)).toEqual([false, false, true, true, true]);
  });

  test('a file read is a file used: pruning takes the least recently used', () => {
    const store = new RuntimeStore(dir, 's', { inMemory: 1, onDisk: 2 });
    store.set('old', runtime(1));
    const [oldFile] = fs.readdirSync(dir);
    fs.utimesSync(path.join(dir, oldFile), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    store.set('newer', runtime(2));
    fs.utimesSync(path.join(dir, fs.readdirSync(dir).find((n) => n !== oldFile)!), new Date(Date.now() - 30_000), new Date(Date.now() - 30_000));
    // Read from disk (memory holds one, the newer): now the most recently used.
    expect(new RuntimeStore(dir, 's').get('old')).toEqual(runtime(1));
    store.set('newest', runtime(3));
    const fresh = new RuntimeStore(dir, 's');
    expect(['old', 'newer', 'newest'].map((k) => fresh.get(k) !== undefined)).toEqual([true, false, true]);
  });

  test('a folder it cannot write only costs time', () => {
    const file = path.join(dir, 'a file, not a folder');
    fs.writeFileSync(file, '');
    const store = new RuntimeStore(path.join(file, 'runtimes'), 's');
    expect(store.set('shape', runtime(1))).toEqual(runtime(1));
    expect(store.get('shape')).toEqual(runtime(1));
  });

  test('the renderer\'s store: the folder its starter names, memory only for a relative one or none, none for off', () => {
    const libs = { vega: { version: '6.0.0' }, vegaLite: { version: '6.1.0' } };
    for (const off of ['off', 'OFF', '0', 'false', ' no ']) expect(runtimeStore(libs, { [RUNTIMES_ENV]: off })).toBeUndefined();
    runtimeStore(libs, { [RUNTIMES_ENV]: dir })!.set('shape', runtime(1));
    expect(fs.readdirSync(dir)).toHaveLength(1);
    for (const env of [{}, { [RUNTIMES_ENV]: 'relative/folder' }]) {
      const store = runtimeStore(libs, env)!;
      store.set('shape', runtime(2));
      expect(store.get('shape')).toEqual(runtime(2));
    }
    expect(fs.existsSync('relative')).toBe(false);
    // Another vega or Vega-Lite, or another install: another salt, nothing read.
    expect(runtimeStore({ ...libs, vega: { version: '6.0.1' } }, { [RUNTIMES_ENV]: dir })!.get('shape')).toBeUndefined();
    expect(runtimeStore(libs, { [RUNTIMES_ENV]: dir, [RUNTIMES_SALT_ENV]: 'installed 1 2' })!.get('shape')).toBeUndefined();
    expect(runtimeStore(libs, { [RUNTIMES_ENV]: dir })!.get('shape')).toEqual(runtime(1));
  });
});
