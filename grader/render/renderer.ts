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
 * Where the build made one for this Node, the grader starts the renderer from its startup snapshot
 * instead (renderer-snapshot-entry.ts, lib/snapshots.ts): vega and vega-lite already loaded and
 * warm, the same drawing code (draw.ts), the same protocol. This script is its argv[1] there too.
 *
 * Protocol: JSON lines on stdin, JSON lines on stdout.
 *   (first, once)                          → { ready: true }
 *   { id, kind: 'chart', spec }            → { id, png }             (base64)
 *   { id, kind: 'chart', spec, against }   → { id, png, differing }  (and the share, as below, of png against the PNG `against`)
 *   { id, kind: 'share', a, b }            → { id, differing }       (fraction of pixels that differ visibly)
 *   { id, kind: 'warm' }                   → { id }                  (once loaded; draws nothing)
 *   { id, kind: 'compare', a, b }          → { id, differing, size } (pixels that differ exactly; -1: sizes differ)
 *   any failure                            → { id, error }
 */
import { useCodeCache } from '../lib/code-cache';
import { measureTextByEstimate, prepareSharp, serve, type Libraries } from './draw';
import { runtimeStore } from './runtimes';
import type sharpType from 'sharp';

// vega and vega-lite are compiled once, not at every renderer's start (about half of it).
useCodeCache();

/** Native import(), kept from being turned into require() by the CommonJS build. */
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

async function load(): Promise<Libraries> {
  const [vega, vegaLite] = await Promise.all([importEsm('vega'), importEsm('vega-lite')]);
  measureTextByEstimate(vega);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { vega, vegaLite, sharp: prepareSharp(require('sharp') as typeof sharpType), runtimes: runtimeStore({ vega, vegaLite }) };
}

load().then(serve, (err: unknown) => {
  process.stderr.write(`renderer: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
