/**
 * The one door between the core and a lab's code. A lab is a package under `grader/labs/<id>/`:
 * its manifest (`lab.json`, read by ./lab.ts) says what is data (parts, points, contract,
 * tolerances); its `index.ts` exports `LAB`, a {@link LabCode}, for what is code: the knobs a
 * student may turn, the probe (what the lab prints and the series its figures plot), the figures
 * and what they mean. Its suites (`suites/`), diagnoses (`diagnoses/`), mutants and hint texts sit
 * beside it and are found by their paths.
 *
 * The core treats a lab's knobs and series as data it passes along and never reads: they are
 * JSON (they cross the jest manifest and the sidecar), so `K` and `S` must be plain values.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CallOutcome, Sandbox } from './sandbox/client';
import type { LabPrintout } from './result';

/** Something that answers calls: a Sandbox (the student's functions), or the trusted answers (answersCaller). */
export type Caller = Pick<Sandbox, 'call' | 'callEach'>;

export type { CallOutcome };

/** What every lab's series carry besides its own data. */
export interface SeriesBase {
  /** The knobs the series were computed with (the lab's own type). */
  knobs: unknown;
  /** Why a series is missing or borrowed, by the lab's series name. */
  problems: Record<string, string>;
  /** Series longer than the lab's, cut to a bound of its size: what was cut (said under the figures). */
  cut?: string[];
}

/** The probe's findings: the printed block, and the figures' data. */
export interface LabProbe<S extends SeriesBase = SeriesBase> {
  /** The notebook's printed block, computed by the functions probed. */
  printout: LabPrintout;
  /** The figures' data. */
  series: S;
}

/** One of a lab's figures: its id (a file name's stem) and its title, in the lab's order. */
export interface FigureInfo {
  /** `[a-z0-9-]+`, unique in the lab: the PNGs are `figures/<id>-student.png` … */
  id: string;
  /** The figure's title, as the lab draws it. */
  title: string;
}

/** One figure, ready to render. */
export interface FigureSpec {
  /** Which figure (a FigureInfo's id). */
  id: string;
  /** The Vega-Lite spec. */
  spec: Record<string, unknown>;
  /** What was left out or could not be drawn, in words. */
  notes: string[];
  /** True when nothing could be drawn and the spec is a placeholder that says why. */
  placeholder: boolean;
}

/** Options of the overlay figures. */
export interface OverlayOptions {
  /** For a browser: tooltips on every point, zoom and pan with the mouse. */
  interactive?: boolean;
}

/** Knobs as a student typed them (the page's inputs, the plots command's flags): text by knob name. */
export type RawKnobs = Record<string, string>;

/** Typed knobs checked: the lab's knobs, or a message per knob that cannot be used. */
export type CheckedKnobs<K> = { ok: true; knobs: K } | { ok: false; problems: Record<string, string> };

/** One knob as the live page shows it. */
export interface KnobInput {
  /** Its name: the input's, the query string's and the key of its problems. */
  name: string;
  /** Its label, as the notebook names it. */
  label: string;
  /** What it takes, and the lab's value. */
  help: string;
}

/** The knobs a lab offers ("try changing ..."): how they are shown, typed, checked and described. */
export interface LabKnobs<K> {
  /** The page's fieldsets, in order; every knob in exactly one. */
  groups: readonly { legend: string; knobs: readonly KnobInput[] }[];
  /**
   * The plots command's flags: each sets the knobs it names from comma-separated values, in
   * order (`--range START,STOP,NUM`). `usage` is the flag's line of the command's help.
   */
  flags: readonly { flag: string; names: readonly string[]; usage: string }[];
  /** The lab's own knobs, the ones grading uses, from its reference. */
  canonical(reference: unknown): K;
  /** Checks typed knobs one by one, starting from `base` for those not given. */
  check(raw: RawKnobs, base: K): CheckedKnobs<K>;
  /** Knobs as text, by knob name (the page's inputs). */
  asText(knobs: K): Record<string, string>;
  /** The knobs in one line, for headings and the terminal. */
  describe(knobs: K): string;
}

/**
 * The trusted functions (the solution's answers), called by name; a call this kit cannot answer
 * (the student release, knobs other than the lab's) throws `Unanswerable` (lib/answers.ts).
 */
export type Solution = Record<string, (...args: any[]) => any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A lab's code: the probe and the figures. `K` its knobs, `S` its series (both plain JSON). */
export interface LabCode<K = unknown, S extends SeriesBase = SeriesBase> {
  /** The knobs. */
  knobs: LabKnobs<K>;
  /** The figures, in the lab's order. */
  figures: readonly FigureInfo[];
  /**
   * Calls the functions (`caller`: the student's in a sandbox, or the solution's) with `knobs`,
   * and gives the printed block and the figures' series. `solution` answers the trusted calls
   * the probe falls back on (the data, when the student's data function fails). A function that
   * fails blanks its own lines and series, with the reason in the series' `problems`. It never
   * throws for what a student's function does, and it bounds its work by the lab's size.
   */
  probe(caller: Caller, knobs: K, solution: Caller): Promise<LabProbe<S>>;
  /** The figures from one implementation's series, in `figures`' order. */
  buildFigures(series: S): FigureSpec[];
  /** The figures with the student's curves over the reference's (`reference` undefined: none known). */
  overlayFigures(student: S, reference: S | undefined, options: OverlayOptions): FigureSpec[];
  /** Sentences per figure id: where the student's series depart from the solution's on the same inputs. */
  describeDifferences(student: S, solution: Solution): Record<string, string[]>;
}

/** The lab's code module's path (without extension) in the sources or the build. */
function codeModule(labsDir: string, id: string): string {
  return path.join(labsDir, id, 'index');
}

/** True when the lab has code (a probe and figures); a lab without has tests only. */
export function hasLabCode(labsDir: string, id: string): boolean {
  return ['.ts', '.js'].some((ext) => fs.existsSync(codeModule(labsDir, id) + ext));
}

/** Loads a lab's code (grader/labs/<id>/index.ts, exporting `LAB`); undefined for a lab without any. */
export function loadLabCode(labsDir: string, id: string): LabCode | undefined {
  if (!hasLabCode(labsDir, id)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const found = (require(codeModule(labsDir, id)) as { LAB?: LabCode }).LAB;
  if (!found || typeof found.probe !== 'function' || !Array.isArray(found.figures)) {
    throw new Error(`${codeModule(labsDir, id)}: must export LAB, the lab's code (see grader/lab-code.ts)`);
  }
  return found;
}

/** Every knob's name, in the page's order (none for a lab without code). */
export function knobNames(code: LabCode | undefined): string[] {
  return code ? code.knobs.groups.flatMap((g) => g.knobs.map((k) => k.name)) : [];
}
