/**
 * The figure renderer: a process of its own that turns Vega-Lite specs into PNG bytes
 * (Vega-Lite → vega.View, renderer "none" → SVG → sharp → PNG), and compares pairs of PNGs.
 *
 * Why a process: vega 6 and vega-lite 6 are ESM-only with top-level await, which neither jest's
 * module registry nor a CommonJS require can load; a plain Node process imports them natively.
 * It also runs beside the tests, on the other core, and a crash in native code cannot take the
 * grader down. It never sees student code, only numbers.
 *
 * Why FONTCONFIG_FILE is set by whoever starts it (renderer-client.ts), before sharp loads: sharp
 * draws SVG text through fontconfig, which silently substitutes whatever fonts a machine has. The
 * kit's fontconfig file names only the fonts shipped in grader/render/fonts, so every machine draws
 * the same pixels.
 *
 * Protocol: JSON lines on stdin, JSON lines on stdout.
 *   { id, kind: 'chart', spec }            → { id, png }             (base64)
 *   { id, kind: 'share', a, b }            → { id, differing }       (fraction of pixels that differ visibly)
 *   { id, kind: 'warm' }                   → { id }                  (draws WARM_UP and throws it away)
 *   { id, kind: 'compare', a, b }          → { id, differing, size } (pixels that differ exactly; -1: sizes differ)
 *   any failure                            → { id, error }
 */
import * as readline from 'node:readline';
import type sharpType from 'sharp';
import { useCodeCache } from '../lib/code-cache';
import type { OutputInfo } from 'sharp';

// vega and vega-lite are compiled once, not at every renderer's start (about half of it).
useCodeCache();

/** Native import(), kept from being turned into require() by the CommonJS build. */
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

/** The pixel scale of every PNG (crisp text on high-density screens). */
export const SCALE = 2;

interface Libraries {
  vega: any;
  vegaLite: any;
  sharp: typeof sharpType;
}

async function load(): Promise<Libraries> {
  const [vega, vegaLite] = await Promise.all([importEsm('vega'), importEsm('vega-lite')]);
  // Text is measured by vega's estimate, never by a canvas package a machine may happen to have.
  vega.textMetrics.width = vega.textMetrics.estimateWidth;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sharp = require('sharp') as typeof sharpType;
  sharp.cache(false);
  // One libvips thread: the figures are small, and a batch runs one renderer per worker anyway;
  // fewer threads also means fewer malloc arenas, so the process stays small.
  sharp.concurrency(1);
  return { vega, vegaLite, sharp };
}

const PNG_OPTIONS = { compressionLevel: 6, adaptiveFiltering: false, palette: false } as const;

async function chart(libs: Libraries, spec: unknown): Promise<Buffer> {
  const compiled = libs.vegaLite.compile(spec).spec;
  const view = new libs.vega.View(libs.vega.parse(compiled), { renderer: 'none' });
  try {
    const svg: string = await view.toSVG(SCALE);
    return await libs.sharp(Buffer.from(xmlSafe(svg)), { density: 72 }).png(PNG_OPTIONS).toBuffer();
  } finally {
    view.finalize();
  }
}

/** The share of pixels that differ visibly (by more than 16 in a channel) between two PNGs. */
async function share(libs: Libraries, a: Buffer, b: Buffer): Promise<number> {
  // Compared at 1x (half the PNGs' 2x size): enough to tell curves apart, and 4 times cheaper.
  const half = async (png: Buffer) => {
    const meta = await libs.sharp(png).metadata();
    return libs.sharp(png).resize(Math.round((meta.width ?? 2) / SCALE), Math.round((meta.height ?? 2) / SCALE), { kernel: 'nearest' })
      .ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  };
  const [ra, rb] = await Promise.all([half(a), half(b)]);
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
 * A chart like the lab's (layered lines, two legends, dashes, a point, titles, three panels) drawn
 * once and thrown away while the tests run: the first real figures then meet compiled code, not
 * the interpreter (a cold figure takes two to three times as long as a warm one).
 */
function warmUp(): Record<string, unknown> {
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

async function main(): Promise<void> {
  const libs = await load();
  const send = (message: unknown): void => { process.stdout.write(JSON.stringify(message) + '\n'); };
  send({ ready: true });
  const lines = readline.createInterface({ input: process.stdin });
  // Requests are served as they come: vega's work is synchronous JavaScript, sharp's runs on its
  // own threads, so one figure's rasterising overlaps the next one's layout. Replies carry the id.
  const inFlight = new Set<Promise<void>>();
  lines.on('line', (line) => {
    const job = (async () => {
      let request: { id: number; kind: string; spec?: unknown; a?: string; b?: string };
      try {
        request = JSON.parse(line);
      } catch {
        return;
      }
      try {
        if (request.kind === 'warm') {
          await chart(libs, warmUp());
          send({ id: request.id });
        } else if (request.kind === 'chart') {
          // A test hook: a chart that never finishes (the kit's tests of the stall watch).
          if (process.env.VG_TEST_RENDERER_HANGS === '1' && (request.spec as { title?: unknown })?.title === 'hang') for (;;) { /* hang */ }
          send({ id: request.id, png: (await chart(libs, request.spec)).toString('base64') });
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
    void job.finally(() => inFlight.delete(job));
  });
  lines.on('close', () => { void Promise.all(inFlight).then(() => process.exit(0)); });
}

main().catch((err) => {
  process.stderr.write(`renderer: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

/**
 * The SVG without the characters XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF, lone
 * surrogates): a figure's text can quote what student code printed or threw, and one vertical tab
 * there would make the whole SVG unreadable to the rasteriser.
 */
function xmlSafe(svg: string): string {
  // eslint-disable-next-line no-control-regex
  return svg.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}
