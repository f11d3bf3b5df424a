/**
 * What the figure renderer does (renderer.ts states why it is a process of its own, and its
 * protocol): Vega-Lite specs to PNG bytes (Vega-Lite → vega.View, renderer "none" → SVG → sharp →
 * PNG), the comparison of two PNGs, and the loop that serves requests. The libraries come from
 * whoever starts the loop: renderer.ts imports them, a process started from the renderer's
 * startup snapshot (renderer-snapshot-entry.ts) has vega and vega-lite in its heap already.
 */
import * as readline from 'node:readline';
import type sharpType from 'sharp';
import type { Sharp } from 'sharp';
import { figureShape, type RuntimeStore } from './runtimes';
import { collectEverything } from '../lib/collect';

/** The pixel scale of every PNG (crisp text on high-density screens). */
export const SCALE = 2;

/** The libraries a renderer draws with, and where it keeps compiled figures (runtimes.ts). */
export interface Libraries {
  vega: any;
  vegaLite: any;
  sharp: typeof sharpType;
  runtimes?: RuntimeStore;
}

/** Text is measured by vega's estimate, never by a canvas package a machine may happen to have. */
export function measureTextByEstimate(vega: any): void {
  vega.textMetrics.width = vega.textMetrics.estimateWidth;
}

/** Sets sharp up as the renderer uses it. */
export function prepareSharp(sharp: typeof sharpType): typeof sharpType {
  sharp.cache(false);
  // One libvips thread: the figures are small, and a batch runs one renderer per worker anyway;
  // fewer threads also means fewer malloc arenas, so the process stays small.
  sharp.concurrency(1);
  return sharp;
}

/**
 * How the PNGs are written. zlib's level 2 writes a figure in a third of level 6's time, for files
 * about 12% larger (the lab's eight student figures and overlays: 29 against 74 ms, 602 against
 * 538 KB); after an edit, the figures are the last thing a grade waits for.
 */
const PNG_OPTIONS = { compressionLevel: 2, adaptiveFiltering: false, palette: false } as const;

/**
 * A spec's SVG text, at the PNGs' scale. With a store of runtimes, the figure's shape is compiled
 * once and its data handed to each view by name (runtimes.ts): the same SVG, without Vega-Lite's
 * compile and Vega's parse each time.
 */
export async function svgOf(libs: Pick<Libraries, 'vega' | 'vegaLite' | 'runtimes'>, spec: unknown): Promise<string> {
  const store = libs.runtimes;
  const shape = store ? figureShape(spec) : undefined;
  if (store && shape) {
    // A kept runtime that fails to draw (a file damaged, or kept by an older vega) is dropped,
    // and the shape compiled again.
    const kept = store.get(shape.key);
    if (kept) {
      try {
        return await drawn(libs, kept, shape.datasets);
      } catch {
        store.forget(shape.key);
      }
    }
    try {
      // A shape whose runtime cannot be kept is drawn as it is, its data inline (below).
      const runtime = store.set(shape.key, libs.vega.parse(libs.vegaLite.compile(shape.spec).spec) as object);
      if (runtime) return await drawn(libs, runtime, shape.datasets);
    } catch {
      // Drawn from the spec below, which fails the same way if the spec itself does.
      store.forget(shape.key);
    }
  }
  return drawn(libs, libs.vega.parse(libs.vegaLite.compile(spec).spec), []);
}

/** A runtime's SVG at the PNGs' scale, the named datasets handed to its view. */
async function drawn(libs: Pick<Libraries, 'vega'>, runtime: object, datasets: { name: string; values: unknown[] }[]): Promise<string> {
  const view = new libs.vega.View(runtime, { renderer: 'none' });
  try {
    for (const { name, values } of datasets) view.data(name, values);
    return await view.toSVG(SCALE);
  } finally {
    view.finalize();
  }
}

/** Raw pixels and their layout, as sharp gives them. */
type Raw = { data: Buffer; info: { width: number; height: number; channels: 1 | 2 | 3 | 4 } };

/** A spec's pixels, at the PNGs' scale. */
async function rasterOf(libs: Libraries, spec: unknown): Promise<Raw> {
  const svg = await svgOf(libs, spec);
  return libs.sharp(Buffer.from(xmlSafe(svg)), { density: 72 }).raw().toBuffer({ resolveWithObject: true });
}

/** Pixels as a PNG. */
function pngOf(libs: Libraries, raw: Raw): Promise<Buffer> {
  return libs.sharp(raw.data, { raw: raw.info }).png(PNG_OPTIONS).toBuffer();
}

/**
 * A spec drawn as a PNG and, given another PNG (the reference figure), the share of pixels that
 * differ visibly between the two: the drawing's own pixels are compared, so its PNG is never
 * decoded again (the same pixels: a PNG is lossless).
 */
async function chart(libs: Libraries, spec: unknown, against?: Buffer): Promise<{ png: Buffer; differing?: number }> {
  const raw = await rasterOf(libs, spec);
  const [png, differing] = await Promise.all([
    pngOf(libs, raw),
    against ? shareOf(libs, libs.sharp(raw.data, { raw: raw.info }), raw.info, libs.sharp(against)) : undefined,
  ]);
  return { png, ...(differing !== undefined ? { differing } : {}) };
}

/** The share of pixels that differ visibly (by more than 16 in a channel) between two PNGs. */
async function share(libs: Libraries, a: Buffer, b: Buffer): Promise<number> {
  return shareOf(libs, libs.sharp(a), undefined, libs.sharp(b));
}

/** {@link share}, of two images as sharp reads them (`aSize`: the first one's, when known). */
async function shareOf(libs: Libraries, a: Sharp, aSize: { width: number; height: number } | undefined, b: Sharp): Promise<number> {
  // Compared at 1x (half the PNGs' 2x size): enough to tell curves apart, and 4 times cheaper.
  const half = async (image: Sharp, size?: { width: number; height: number }) => {
    const { width, height } = size ?? await image.clone().metadata();
    return image.resize(Math.round((width ?? 2) / SCALE), Math.round((height ?? 2) / SCALE), { kernel: 'nearest' })
      .ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  };
  const [ra, rb] = await Promise.all([half(a, aSize), half(b)]);
  const width = Math.max(ra.info.width, rb.info.width);
  const height = Math.max(ra.info.height, rb.info.height);
  const A = ra.data, B = rb.data, wa = ra.info.width, wb = rb.info.width, ha = ra.info.height, hb = rb.info.height;
  let differing = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inA = x < wa && y < ha, inB = x < wb && y < hb;
      const ia = (y * wa + x) * 4, ib = (y * wb + x) * 4;
      for (let c = 0; c < 3; c++) {
        if (Math.abs((inA ? A[ia + c] : 255) - (inB ? B[ib + c] : 255)) > 16) {
          differing++;
          break;
        }
      }
    }
  }
  return differing / (width * height);
}

/**
 * A chart like the lab's (layered lines, two legends, dashes, a point, titles, three panels), drawn
 * and thrown away when the renderer's startup snapshot is made (renderer-snapshot-entry.ts): a
 * renderer started from it has vega's code for such charts compiled already.
 */
export function warmUp(): Record<string, unknown> {
  const xs = Array.from({ length: 100 }, (_, i) => -5 + i / 9.9);
  const line = (who: string, f: (x: number) => number) => xs.map((x) => ({ x, y: f(x), who, series: 'a' }));
  const panel = {
    width: 260, height: 210, title: 'warm',
    layer: [
      { data: { values: line('reference', (x) => 1 / (1 + Math.exp(-x))) }, mark: { type: 'line', strokeWidth: 4, opacity: 0.5 }, encoding: { x: { field: 'x', type: 'quantitative', title: 'x' }, y: { field: 'y', type: 'quantitative', title: 'y' }, color: { field: 'who', type: 'nominal', legend: { orient: 'top-left', symbolType: 'stroke' } }, strokeDash: { field: 'series', type: 'nominal' } } },
      { data: { values: line('yours', (x) => 1 / (1 + Math.exp(x))) }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, color: { field: 'who', type: 'nominal' } } },
      { data: { values: [{ x: 0, y: 0.5, who: 'yours' }] }, mark: { type: 'point', filled: true }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, color: { field: 'who', type: 'nominal' } } },
    ],
  };
  return { config: { font: 'DejaVu Sans', background: 'white' }, title: { text: 'warm', subtitle: ['up'] }, hconcat: [panel, panel, panel] };
}

/** Figures drawn, at least, before an idle renderer collects its garbage (a grade draws 8). */
const COLLECT_AFTER = 16;
/** How long a renderer has had nothing to do before it collects, in ms. */
const COLLECT_WHEN_IDLE_MS = 200;

/**
 * Collects the renderer's garbage when it has drawn many figures and has had nothing to do for a
 * moment. A batch's renderer draws a group's figures in a burst, then waits for the next group;
 * V8 kept its young generation grown to its largest and about 85 MB of memory outside its heap
 * (freed only by its last-resort collection), so each renderer stayed near 350 to 400 MB. The
 * last-resort collection (lib/collect.ts) gives that back: about 230 MB after each burst. Does
 * nothing where `gc` is not exposed (flags.ts exposes it).
 */
export function idleCollector(): { drew: () => void; busy: () => void; idle: () => void } {
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  return {
    drew: () => { drawn++; },
    busy: () => { clearTimeout(timer); },
    idle: () => {
      if (drawn < COLLECT_AFTER) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        drawn = 0;
        collectEverything();
      }, COLLECT_WHEN_IDLE_MS);
      timer.unref();
    },
  };
}

/** Serves requests on stdin until it closes (the protocol in renderer.ts). */
export function serve(libs: Libraries): void {
  const send = (message: unknown): void => { process.stdout.write(JSON.stringify(message) + '\n'); };
  send({ ready: true });
  const lines = readline.createInterface({ input: process.stdin });
  // Requests are served as they come: vega's work is synchronous JavaScript, sharp's runs on its
  // own threads, so one figure's rasterising overlaps the next one's layout. Replies carry the id.
  const inFlight = new Set<Promise<void>>();
  const collector = idleCollector();
  lines.on('line', (line) => {
    const job = (async () => {
      let request: { id: number; kind: string; spec?: unknown; against?: string; a?: string; b?: string };
      try {
        request = JSON.parse(line);
      } catch {
        return;
      }
      try {
        if (request.kind === 'warm') {
          // Loaded, and nothing drawn: a throw-away chart here (to have vega's code compiled before
          // the first figure) cost a grade more CPU than it saved (an edited file's grade: 1.66
          // against 1.78 core-s, 10 alternating pairs), on two cores that the tests, the type check
          // and the figures keep busy. The snapshot's build draws such charts instead.
          send({ id: request.id });
        } else if (request.kind === 'chart') {
          collector.drew();
          // A test hook: a chart that never finishes (the kit's tests of the stall watch).
          if (process.env.VG_TEST_RENDERER_HANGS === '1' && (request.spec as { title?: unknown })?.title === 'hang') for (;;) { /* hang */ }
          const drawn = await chart(libs, request.spec, request.against === undefined ? undefined : Buffer.from(request.against, 'base64'));
          send({ id: request.id, png: drawn.png.toString('base64'), ...(drawn.differing !== undefined ? { differing: drawn.differing } : {}) });
        } else if (request.kind === 'compare') {
          // Exact, pixel for pixel (the kit's golden figures): how many pixels differ at all.
          const [ra, rb] = await Promise.all([Buffer.from(request.a ?? '', 'base64'), Buffer.from(request.b ?? '', 'base64')]
            .map((png) => libs.sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true })));
          let differing = ra.info.width === rb.info.width && ra.info.height === rb.info.height ? 0 : -1;
          if (differing === 0) for (let i = 0; i < ra.data.length; i += 4) if (ra.data.readUInt32LE(i) !== rb.data.readUInt32LE(i)) differing++;
          send({ id: request.id, differing, size: [ra.info.width, ra.info.height, rb.info.width, rb.info.height] });
        } else if (request.kind === 'share') {
          send({ id: request.id, differing: await share(libs, Buffer.from(request.a ?? '', 'base64'), Buffer.from(request.b ?? '', 'base64')) });
        } else {
          send({ id: request.id, error: `unknown request kind ${request.kind}` });
        }
      } catch (err) {
        send({ id: request.id, error: err instanceof Error ? err.message : String(err) });
      }
    })();
    inFlight.add(job);
    collector.busy();
    void job.finally(() => {
      inFlight.delete(job);
      if (inFlight.size === 0) collector.idle();
    });
  });
  lines.on('close', () => { void Promise.all(inFlight).then(() => process.exit(0)); });
}

/**
 * The SVG without the characters XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF, lone
 * surrogates): a figure's text can quote what student code printed or threw, and one vertical tab
 * there would make the whole SVG unreadable to the rasteriser.
 */
function xmlSafe(svg: string): string {
  // eslint-disable-next-line no-control-regex
  return svg.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}
