/**
 * The figure renderer: a process of its own that turns Vega-Lite specs into PNG bytes
 * (Vega-Lite → vega.View, renderer "none" → SVG → sharp → PNG), and pairs of PNGs into diff images.
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
 *   { id, kind: 'diff', a, b }             → { id, png, differing }  (fraction of pixels that differ)
 *   any failure                            → { id, error }
 */
import * as readline from 'node:readline';
import type sharpType from 'sharp';
import type { OutputInfo } from 'sharp';

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
  sharp.concurrency(1);
  return { vega, vegaLite, sharp };
}

const PNG_OPTIONS = { compressionLevel: 9, adaptiveFiltering: false, palette: false } as const;

async function chart(libs: Libraries, spec: unknown): Promise<Buffer> {
  const compiled = libs.vegaLite.compile(spec).spec;
  const view = new libs.vega.View(libs.vega.parse(compiled), { renderer: 'none' });
  try {
    const svg: string = await view.toSVG(SCALE);
    return await libs.sharp(Buffer.from(svg), { density: 72 }).png(PNG_OPTIONS).toBuffer();
  } finally {
    view.finalize();
  }
}

/** A diff image: the reference faded, pixels that differ in red; and the share that differ. */
async function diff(libs: Libraries, a: Buffer, b: Buffer): Promise<{ png: Buffer; differing: number }> {
  const [ra, rb] = await Promise.all([
    libs.sharp(a).ensureAlpha().raw().toBuffer({ resolveWithObject: true }),
    libs.sharp(b).ensureAlpha().raw().toBuffer({ resolveWithObject: true }),
  ]);
  const width = Math.max(ra.info.width, rb.info.width);
  const height = Math.max(ra.info.height, rb.info.height);
  const out = Buffer.alloc(width * height * 4);
  let differing = 0;
  const px = (r: { data: Buffer; info: OutputInfo }, x: number, y: number, c: number): number =>
    x < r.info.width && y < r.info.height ? r.data[(y * r.info.width + x) * 4 + c] : 255;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      let same = true;
      for (let c = 0; c < 3; c++) if (Math.abs(px(ra, x, y, c) - px(rb, x, y, c)) > 16) same = false;
      if (same) {
        const grey = 255 - Math.round((255 - (px(rb, x, y, 0) + px(rb, x, y, 1) + px(rb, x, y, 2)) / 3) * 0.25);
        out[o] = out[o + 1] = out[o + 2] = grey;
      } else {
        differing++;
        out[o] = 220; out[o + 1] = 20; out[o + 2] = 60;
      }
      out[o + 3] = 255;
    }
  }
  const png = await libs.sharp(out, { raw: { width, height, channels: 4 } }).png(PNG_OPTIONS).toBuffer();
  return { png, differing: differing / (width * height) };
}

async function main(): Promise<void> {
  const libs = await load();
  const send = (message: unknown): void => { process.stdout.write(JSON.stringify(message) + '\n'); };
  send({ ready: true });
  const lines = readline.createInterface({ input: process.stdin });
  // One request at a time, in order: sharp and vega are fast enough, and order keeps it simple.
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    queue = queue.then(async () => {
      let request: { id: number; kind: string; spec?: unknown; a?: string; b?: string };
      try {
        request = JSON.parse(line);
      } catch {
        return;
      }
      try {
        if (request.kind === 'chart') {
          send({ id: request.id, png: (await chart(libs, request.spec)).toString('base64') });
        } else if (request.kind === 'diff') {
          const d = await diff(libs, Buffer.from(request.a ?? '', 'base64'), Buffer.from(request.b ?? '', 'base64'));
          send({ id: request.id, png: d.png.toString('base64'), differing: d.differing });
        } else {
          send({ id: request.id, error: `unknown request kind ${request.kind}` });
        }
      } catch (err) {
        send({ id: request.id, error: err instanceof Error ? err.message : String(err) });
      }
    });
  });
  lines.on('close', () => { void queue.then(() => process.exit(0)); });
}

main().catch((err) => {
  process.stderr.write(`renderer: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
