/**
 * Stage 7, render: the four figures from the student's series and from the solution's, as PNGs,
 * with the student's curves drawn over the reference's where they differ, and sentences on what
 * differs. Reference figures depend only on
 * the knobs, so they are cached on disk by their spec. A failing renderer is a fault of the kit:
 * the figures are then missing, with the reason, and grading goes on.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KIT_ROOT } from '../lib/paths';
import { DiskCache } from '../lib/disk-cache';
import type { FigureResult } from '../result';
import type { Renderer } from '../render/client';
import { buildFigures, FIGURES, placeholder } from '../render/figures';
import { overlayFigures } from '../render/overlay';
import { describeDifferences } from '../render/meaning';
import { asFunctions, loadAnswers, Unanswerable, type LabFunctions } from '../lib/answers';
import { Sandbox, type SandboxOptions } from '../sandbox/client';
import type { LabPrintout } from '../result';
import { answersCaller, probe, type LabKnobs, type LabProbe, type LabSeries } from './lab';

/** Rendered figures: the records for the result, and the image bytes by file name. */
export interface RenderedFigures {
  /** One record per figure. */
  figures: FigureResult[];
  /** PNG bytes by file name (`figures/<id>-student.png` …), for the report folder. */
  images: Map<string, Buffer>;
}

/** Rendering depends on these packages' versions: an upgrade must not serve old images. */
function versions(): string {
  const v = (name: string): string => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(KIT_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return '?';
    }
  };
  return `vega ${v('vega')}, vega-lite ${v('vega-lite')}, sharp ${v('sharp')}`;
}

/** Figures, diffs and diff shares by what they were drawn from (created on first use). */
let figureCache: DiskCache | undefined;
const imageCache = (): DiskCache => (figureCache ??= new DiskCache('vg-figures', versions()));

/**
 * Images being made right now, by key: a batch grades many students at once, and those who made
 * the same mistake ask for the same figure together; it is drawn once and they all wait for it.
 */
const inFlight = new Map<string, Promise<unknown>>();

function once<T>(key: string, make: () => Promise<T>): Promise<T> {
  const running = inFlight.get(key) as Promise<T> | undefined;
  if (running) return running;
  const made = make().finally(() => inFlight.delete(key));
  inFlight.set(key, made);
  return made;
}

/** Reads a cached image, or makes it (once, however many ask at the same time) and caches it. */
async function cached(key: string, make: () => Promise<Buffer>): Promise<Buffer> {
  const hit = imageCache().get(key);
  if (hit) return hit;
  return once(key, async () => {
    const png = await make();
    imageCache().set(key, png);
    return png;
  });
}

/** The share of pixels that differ between two figures, cached by what they were drawn from. */
async function cachedShare(key: string, make: () => Promise<number>): Promise<number> {
  const hit = Number(imageCache().get(key)?.toString());
  if (Number.isFinite(hit)) return hit;
  return once(key, async () => {
    const share = await make();
    imageCache().set(key, String(share));
    return share;
  });
}

/**
 * Whether a submission's figures were all in the cache the last time it was graded (same source,
 * same packages): then grading it again needs no renderer, and none is started ahead for it. A
 * submission whose code changed (a student's edit) gets the renderer started while its tests run.
 */
export function figuresCachedFor(source: string): boolean {
  return imageCache().get(`cached-figures:${source}`) !== undefined;
}

/** Notes that a submission's figures are all in the cache (see figuresCachedFor). */
export function rememberFiguresCached(source: string): void {
  imageCache().set(`cached-figures:${source}`, '1');
}

/** Why the student release has no reference figure for knobs other than the lab's. */
export const NO_REFERENCE = 'the student release draws the reference for the lab\'s own knobs only (as npm run grade does); your figure is drawn all the same';

/**
 * Renders the student's and the reference figures, yours drawn over the reference where they
 * differ, and the sentences on meaning. Without reference series (the student release, other
 * knobs) the reference is a placeholder that says so, and there is nothing to draw over.
 */
export async function renderFigures(renderer: Renderer, student: LabSeries, reference: LabSeries | undefined, solution: LabFunctions): Promise<RenderedFigures> {
  const studentSpecs = buildFigures(student);
  const referenceSpecs = reference ? buildFigures(reference) : FIGURES.map(({ id, title }) => placeholder(id, title, [NO_REFERENCE]));
  const overlaySpecs = reference ? overlayFigures(student, reference) : undefined;
  const meaning = describeDifferences(student, solution);
  const images = new Map<string, Buffer>();
  const figures = await Promise.all(FIGURES.map(async ({ id, title }, i) => {
    // Reference figures depend only on the knobs: cached. A student figure whose data equals the
    // reference's (a correct submission) is the reference image, and needs no overlay.
    // A student figure is cached by its spec too: in a class, many students draw the same figure
    // (a correct one, the stubs' placeholder, a classic mistake), and it is drawn once.
    const referenceJson = JSON.stringify(referenceSpecs[i].spec);
    const studentJson = JSON.stringify(studentSpecs[i].spec);
    const same = studentJson === referenceJson;
    const theirs = await cached(`chart:${referenceJson}`, () => renderer.chart(referenceSpecs[i].spec));
    const mine = same ? theirs : await cached(`chart:${studentJson}`, () => renderer.chart(studentSpecs[i].spec));
    const files = { student: `figures/${id}-student.png`, reference: `figures/${id}-reference.png`, overlay: `figures/${id}-overlay.png` };
    images.set(files.student, mine);
    images.set(files.reference, theirs);
    const record: FigureResult = {
      id, title, student: files.student, reference: files.reference,
      placeholder: studentSpecs[i].placeholder, notes: studentSpecs[i].notes, meaning: meaning[id],
    };
    if (!studentSpecs[i].placeholder && !referenceSpecs[i].placeholder) {
      record.differingPixels = same ? 0 : Math.round(await cachedShare(`share:${studentJson}\n${referenceJson}`, async () => renderer.share(mine, theirs)) * 10000) / 10000;
      const overlay = overlaySpecs?.[i];
      if (!same && overlay && !overlay.placeholder) {
        images.set(files.overlay, await cached(`chart:${JSON.stringify(overlay.spec)}`, () => renderer.chart(overlay.spec)));
        record.overlay = files.overlay;
      }
    }
    return record;
  }));
  return { figures, images };
}

/** What probing and drawing gives: the printed block, and the figures or why there are none. */
export interface Drawn {
  /** The notebook's printed block, from the student's functions. */
  printout: LabPrintout;
  /** The figures, when drawn. */
  figures?: RenderedFigures;
  /** Why they were not, when the renderer failed (a fault of the kit). */
  figuresProblem?: string;
}

/**
 * The data the figures fall back on when the student's linspace fails: the solution's linspace
 * over the same range (unknown in the student release for knobs other than the lab's: none then).
 */
export function fallbackData(knobs: LabKnobs): number[] {
  try {
    return asFunctions(loadAnswers()).linspace(...knobs.range);
  } catch (err) {
    if (err instanceof Unanswerable) return [];
    throw err;
  }
}

/**
 * The reference's series for these knobs, from the trusted answers; undefined when the kit does
 * not know them all (the student release knows the lab's knobs only).
 */
export async function referenceSeriesFor(knobs: LabKnobs): Promise<LabSeries | undefined> {
  let unknown = 0;
  const found = await probe(answersCaller(loadAnswers(), () => unknown++), knobs, fallbackData(knobs));
  return unknown > 0 ? undefined : found.series;
}

/**
 * The figures from a probe of the student's functions, beside the reference series (the trusted
 * answers with the same knobs). Without a renderer, only the printed block. A renderer failure
 * leaves the figures out, with the reason; it never fails grading.
 */
export async function drawProbe(renderer: Renderer | undefined, found: LabProbe, knobs: LabKnobs): Promise<Drawn> {
  if (!renderer) return { printout: found.printout };
  const referenceSeries = await referenceSeriesFor(knobs);
  try {
    return { printout: found.printout, figures: await renderFigures(renderer, found.series, referenceSeries, asFunctions(loadAnswers())) };
  } catch (err) {
    return { printout: found.printout, figuresProblem: `the figures could not be drawn (a fault of the kit, not of your code): ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * The probe in a sandbox of its own, then the figures: `npm run plots` (the student's knobs).
 * Grading probes in the tests' own sandbox instead, after the tests (suites/grade.test.ts).
 */
export async function probeAndRender(renderer: Renderer | undefined, options: SandboxOptions, knobs: LabKnobs): Promise<Drawn> {
  const sandbox = new Sandbox(options);
  let found;
  try {
    found = await probe(sandbox, knobs, fallbackData(knobs));
  } finally {
    await sandbox.dispose();
  }
  return drawProbe(renderer, found, knobs);
}
