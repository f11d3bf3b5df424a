/**
 * Stage 7, render: the lab's figures from the student's series and from the solution's, as PNGs,
 * with the student's curves drawn over the reference's where they differ, and sentences on what
 * differs. Reference figures depend only on
 * the knobs, so they are cached on disk by their spec. A failing renderer is a fault of the kit:
 * the figures are then missing, with the reason, and grading goes on.
 */
import { currentLabCode } from '../lib/paths';
import { DiskCache } from '../lib/disk-cache';
import { installRecord, packageVersion } from '../lib/package-version';
import type { FigureResult } from '../result';
import type { Renderer } from '../render/client';
import { placeholder } from '../render/chart';
import { asFunctions, loadAnswers } from '../lib/answers';
import { Sandbox, type SandboxOptions } from '../sandbox/client';
import type { LabPrintout } from '../result';
import type { LabCode, LabProbe, SeriesBase, Solution } from '../lab-code';
import { answersCaller } from './probing';

/** Rendered figures: the records for the result, and the image bytes by file name. */
export interface RenderedFigures {
  /** One record per figure. */
  figures: FigureResult[];
  /** PNG bytes by file name (`figures/<id>-student.png` …), for the report folder. */
  images: Map<string, Buffer>;
}

/**
 * Rendering depends on these packages' versions, and on the rest of vega's packages (npm's record
 * of the last install): an upgrade, even a patch release of one of vega's inner packages, must not
 * serve old images.
 */
function versions(): string {
  return `vega ${packageVersion('vega')}, vega-lite ${packageVersion('vega-lite')}, sharp ${packageVersion('sharp')}, ${installRecord()}`;
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

/** A number in the cache, if there is one. */
function cachedNumber(key: string): number | undefined {
  const text = imageCache().get(key)?.toString();
  const value = text === undefined || text === '' ? NaN : Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** The share of pixels that differ between two figures, cached by what they were drawn from. */
async function cachedShare(key: string, make: () => Promise<number>): Promise<number> {
  const hit = cachedNumber(key);
  if (hit !== undefined) return hit;
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
export async function renderFigures(lab: LabCode, renderer: Renderer, student: SeriesBase, reference: SeriesBase | undefined, solution: Solution): Promise<RenderedFigures> {
  const studentSpecs = lab.buildFigures(student);
  const referenceSpecs = reference ? lab.buildFigures(reference) : lab.figures.map(({ id, title }) => placeholder(id, title, [NO_REFERENCE]));
  const overlaySpecs = reference ? lab.overlayFigures(student, reference, {}) : undefined;
  const meaning = lab.describeDifferences(student, solution);
  const images = new Map<string, Buffer>();
  const figures = await Promise.all(lab.figures.map(async ({ id, title }, i) => {
    // Reference figures depend only on the knobs: cached. A student figure whose data equals the
    // reference's (a correct submission) is the reference image, and needs no overlay.
    // A student figure is cached by its spec too: in a class, many students draw the same figure
    // (a correct one, the stubs' placeholder, a classic mistake), and it is drawn once.
    const referenceJson = JSON.stringify(referenceSpecs[i].spec);
    const studentJson = JSON.stringify(studentSpecs[i].spec);
    const same = studentJson === referenceJson;
    const compared = !studentSpecs[i].placeholder && !referenceSpecs[i].placeholder;
    // The overlay is asked for first, before anything is awaited: the renderer draws it meanwhile.
    const overlay = overlaySpecs?.[i];
    const overlaid = compared && !same && overlay && !overlay.placeholder ? cached(`chart:${JSON.stringify(overlay.spec)}`, () => renderer.chart(overlay.spec)) : undefined;
    overlaid?.catch(() => undefined); // awaited below, after the others (which may fail first)
    const theirs = await cached(`chart:${referenceJson}`, () => renderer.chart(referenceSpecs[i].spec));
    // A student figure drawn now is compared with the reference in the same request (the share
    // is then cached with it); one drawn before has its share cached, or asks for it below.
    const shareKey = `share:${studentJson}\n${referenceJson}`;
    let drawnShare: number | undefined;
    const mine = same ? theirs : await cached(`chart:${studentJson}`, async () => {
      if (!compared || cachedNumber(shareKey) !== undefined) return renderer.chart(studentSpecs[i].spec);
      const drawn = await renderer.chartAgainst(studentSpecs[i].spec, theirs);
      drawnShare = drawn.share;
      imageCache().set(shareKey, String(drawn.share));
      return drawn.png;
    });
    const files = { student: `figures/${id}-student.png`, reference: `figures/${id}-reference.png`, overlay: `figures/${id}-overlay.png` };
    images.set(files.student, mine);
    images.set(files.reference, theirs);
    const record: FigureResult = {
      id, title, student: files.student, reference: files.reference,
      placeholder: studentSpecs[i].placeholder, notes: studentSpecs[i].notes, meaning: meaning[id] ?? [],
    };
    if (compared) {
      record.differingPixels = same ? 0 : Math.round((drawnShare ?? await cachedShare(shareKey, async () => renderer.share(mine, theirs))) * 10000) / 10000;
      if (overlaid) {
        images.set(files.overlay, await overlaid);
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
 * The reference's series for these knobs, from the trusted answers; undefined when the kit does
 * not know them all (the student release knows the lab's knobs only).
 */
export async function referenceSeriesFor(lab: LabCode, knobs: unknown): Promise<SeriesBase | undefined> {
  let unknown = 0;
  const solution = answersCaller(loadAnswers(), () => unknown++);
  const found = await lab.probe(solution, knobs, solution);
  return unknown > 0 ? undefined : found.series;
}

/** The trusted answers as a caller, for a probe's fallbacks (solution data where the student's fails). */
export function solutionCaller(): ReturnType<typeof answersCaller> {
  return answersCaller(loadAnswers());
}

/**
 * The figures from a probe of the student's functions, beside the reference series (the trusted
 * answers with the same knobs). Without a renderer, only the printed block. A renderer failure
 * leaves the figures out, with the reason; it never fails grading.
 */
export async function drawProbe(lab: LabCode, renderer: Renderer | undefined, found: LabProbe, knobs: unknown): Promise<Drawn> {
  if (!renderer) return { printout: found.printout };
  const referenceSeries = await referenceSeriesFor(lab, knobs);
  try {
    return { printout: found.printout, figures: await renderFigures(lab, renderer, found.series, referenceSeries, asFunctions(loadAnswers())) };
  } catch (err) {
    return { printout: found.printout, figuresProblem: `the figures could not be drawn (a fault of the kit, not of your code): ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * The probe in a sandbox of its own, then the figures: `npm run plots` (the student's knobs).
 * Grading probes in the tests' own sandbox instead, after the tests (suites/grade.test.ts).
 */
export async function probeAndRender(lab: LabCode, renderer: Renderer | undefined, options: SandboxOptions, knobs: unknown): Promise<Drawn> {
  const sandbox = new Sandbox(options);
  let found;
  try {
    found = await lab.probe(sandbox, knobs, solutionCaller());
  } finally {
    await sandbox.dispose();
  }
  return drawProbe(lab, renderer, found, knobs);
}
