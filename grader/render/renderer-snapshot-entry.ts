/**
 * The entry of the renderer's startup snapshot (lib/snapshots.ts bundles it into one script and has
 * `node --build-snapshot` run it). Run once, at the kit's build: it loads vega and vega-lite, and
 * draws a chart like the lab's a few times (its SVG only), so that the functions a figure runs are
 * compiled into the snapshot's heap. A renderer started from the snapshot is ready in about 50 ms
 * instead of importing them (about 150 ms), and its first figures do not meet the interpreter.
 *
 * sharp is native code, which a snapshot cannot hold: the process loads it when it starts, from
 * beside the renderer's script (its argv[1]), after the grader has set FONTCONFIG_FILE.
 */
import { createRequire } from 'node:module';
import * as v8 from 'node:v8';
import type sharpType from 'sharp';
import { measureTextByEstimate, prepareSharp, serve, svgOf, warmUp } from './draw';
import { RuntimeStore, runtimeStore } from './runtimes';

// Bundled by esbuild (ESM packages, turned into this one script); typed loosely, as renderer.ts does.
/* eslint-disable @typescript-eslint/no-require-imports */
const vega = require('vega') as any;
const vegaLite = require('vega-lite') as any;
/* eslint-enable @typescript-eslint/no-require-imports */

measureTextByEstimate(vega);
// The snapshot is taken once the event loop is empty: after these.
void (async () => {
  for (let i = 0; i < 3; i++) await svgOf({ vega, vegaLite }, warmUp());
  // And the way a renderer draws a figure whose shape it has compiled (runtimes.ts), in memory only.
  const runtimes = new RuntimeStore(undefined, 'warm-up');
  for (let i = 0; i < 3; i++) await svgOf({ vega, vegaLite, runtimes }, warmUp());
})();
v8.startupSnapshot.setDeserializeMainFunction(() => {
  const sharp = createRequire(process.argv[1])('sharp') as typeof sharpType;
  // The store reads its folder from the environment of this start, not of the snapshot's build.
  serve({ vega, vegaLite, sharp: prepareSharp(sharp), runtimes: runtimeStore({ vega, vegaLite }) });
});
