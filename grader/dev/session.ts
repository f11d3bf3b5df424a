/**
 * The live session behind `npm run dev`: grades the student's file on demand (one grade at a time;
 * saves that arrive during a grade make one more), and probes the student's functions with the
 * knobs the page asks for. Everything here is what `npm run grade` and `npm run plots` do, kept
 * warm between runs:
 *   - grading is gradeMany itself (jest in this process: its module and transform caches stay
 *     loaded; the type checker's worker stays up), each run with a fresh sandbox child, as always;
 *   - the knob probe's next sandbox child is started ahead, on the last compiled file, so that a
 *     knob change does not wait for a process to start;
 *   - figures are Vega-Lite specs drawn by the browser, so no renderer process is needed at all.
 * Results are plain data ({@link LiveView}); the server sends them, the page draws them.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gradeMany, isolationFor } from '../grade';
import { kitErrorResult } from '../kit-error';
import type { GradeResult } from '../result';
import { isIntakeProblem, takeIn } from '../stages/intake';
import { compile } from '../stages/compile';
import { referenceSeriesFor, solutionCaller } from '../stages/render';
import { asFunctions, loadAnswers } from '../lib/answers';
import { sameKnobs } from '../lib/knobs';
import { loadReference } from '../lib/reference';
import { currentLabCode } from '../lib/paths';
import type { LabCode, RawKnobs, SeriesBase } from '../lab-code';
import { sanitize } from '../report/sanitize';
import { reportBody } from '../report/html';
import { Sandbox } from '../sandbox/client';
import { prepareScratch, sandboxOptionsFor, scratchBase, type ScratchLayout } from '../sandbox/runtime';
import type { IsolationPlan } from '../sandbox/isolation';
import { makeScratch, removeScratch } from '../sandbox/reaper';

/** How long after a grade is sent the type check and the next knob child start (the page draws meanwhile). */
const AFTER_SHOWING_MS = 250;

/** One figure as the page draws it. */
export interface LiveFigure {
  /** The figure's id (the lab's). */
  id: string;
  /** Its title, as in the lab. */
  title: string;
  /** The Vega-Lite spec: yours over the reference, with tooltips and zoom. */
  spec: Record<string, unknown>;
  /** Where yours departs from the reference, in words. */
  meaning: string[];
  /** What was left out of yours. */
  notes: string[];
  /** What the figure shows, for a screen reader. */
  alt: string;
}

/** The figures for one set of knobs. */
export interface LiveFigures {
  /** The knobs they were drawn with (the lab's own shape). */
  knobs: unknown;
  /** True when they are the lab's own knobs (the ones grading uses). */
  lab: boolean;
  /** The lab's figures. */
  figures: LiveFigure[];
  /** The lab's printed block, computed by the student's functions with these knobs. */
  printout?: string;
  /** Why there are no figures (the file does not compile, or was not found). */
  problem?: string;
}

/** What the page shows after a grade. */
export interface LiveView {
  /** This session's id: a page that outlived an earlier `npm run dev` starts counting afresh. */
  session: string;
  /** Counts grades since the session started; the page ignores older ones. */
  version: number;
  /** The result, exactly as `npm run grade` gives it (without images). */
  result: GradeResult;
  /** The report as the static page shows it, without its figures and printed block (the page draws those). */
  reportHtml: string;
  /** The figures with the lab's knobs, from the same sandbox child as the tests. */
  figures: LiveFigures;
  /** The lab's knobs as the page's inputs show them. */
  labKnobs: Record<string, string>;
  /** False while the type check's warnings are still to come (the same version follows, with them). */
  complete: boolean;
}

/**
 * A knob request's outcome: figures, or a message per knob that cannot be used, or `stale` when a
 * newer request took its place before it ran (the page has moved on; nothing was run for it).
 */
export type KnobAnswer = { ok: true; figures: LiveFigures } | { ok: false; problems: Record<string, string>; stale?: true };

/** Options of a session. */
export interface SessionOptions {
  /** The submission: a file or folder (undefined: exercises/). */
  submission: string | undefined;
  /** The seed of the hidden inputs, for the whole session. */
  seed: number;
}

/** The live session. */
export class LiveSession {
  /** The lab's code (knobs, probe, figures); undefined for a lab graded by its tests alone. */
  private readonly code: LabCode | undefined;
  /** The lab's own knobs. */
  private readonly lab: unknown;
  private readonly isolation: IsolationPlan;
  private readonly scratch: string;
  private readonly layout: ScratchLayout;
  private version = 0;
  private readonly id = crypto.randomUUID();
  private running: Promise<LiveView> | undefined;
  private again = false;
  private lastView: LiveView | undefined;
  /** The last file that compiled: what knob probes call. */
  private module: { path: string; hash: string } | undefined;
  /** The next knob probe's sandbox, started ahead on `module`. */
  private nextSandbox: { sandbox: Sandbox; hash: string } | undefined;
  private closed = false;
  /** The knob probes' compile of the last graded file. */
  private recompiled: Promise<void> = Promise.resolve();
  /** Knob probes, one after another. */
  private knobQueue: Promise<void> = Promise.resolve();
  /** Compiled folders of earlier files, removed at the next compile. */
  private readonly oldDirs: string[] = [];
  /** The knob request waiting for the running one (at most one). */
  private waiting: { raw: RawKnobs; resolve: (a: KnobAnswer) => void; reject: (e: unknown) => void } | undefined;
  /** Called with every view: each grade's, then the same version again with its warnings. */
  onView: ((view: LiveView) => void) | undefined;

  constructor(private readonly options: SessionOptions) {
    this.code = currentLabCode();
    this.lab = this.code?.knobs.canonical(loadReference());
    this.isolation = isolationFor({ advisory: true });
    this.scratch = makeScratch(scratchBase(this.isolation), 'vg-dev-');
    this.layout = prepareScratch(this.scratch);
  }

  /** The last view, if a grade has finished. */
  get view(): LiveView | undefined {
    return this.lastView;
  }

  /**
   * Grades the file now, or (when a grade is running) once more after it: a save during a grade
   * is never lost, and saves in a burst make one grade, not many.
   */
  regrade(): Promise<LiveView> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = (async (): Promise<LiveView> => {
      let view: LiveView;
      do {
        this.again = false;
        view = await this.gradeOnce();
      } while (this.again && !this.closed);
      return view;
    })();
    this.running = run;
    void run.finally(() => { if (this.running === run) this.running = undefined; }).catch(() => undefined);
    return run;
  }

  private async gradeOnce(): Promise<LiveView> {
    const version = ++this.version;
    let graded: { result: GradeResult; series?: SeriesBase; lateWarnings?: () => Promise<string[]> } | undefined;
    // The tests' sandbox child also probes the lab's knobs (the figures' data): no renderer, the
    // page draws. Every run compiles the file as it is now and starts a fresh child for it. The
    // type check comes after the tests (it gives warnings only): the verdicts are shown first.
    try {
      await gradeMany([this.options.submission], { seed: this.options.seed, advisory: true, noFigures: true, lateWarnings: true }, (_, g) => { graded = g; });
    } catch (err) {
      // A fault of the kit: the page and the terminal show it as a result, as npm run grade does.
      graded = { result: kitErrorResult({ submission: this.options.submission, seed: this.options.seed, advisory: true, err }) };
    }
    const result = graded!.result;
    const figures: LiveFigures = graded!.series && this.code
      ? await this.figuresOf(this.code, graded!.series, this.lab, result.lab?.text)
      : { knobs: this.lab, lab: true, figures: [], problem: notGradedReason(result) };
    const view: LiveView = { session: this.id, version, result, reportHtml: reportBody(result, new Map(), { noLab: true }), figures, labKnobs: this.code ? this.code.knobs.asText(this.lab) : {}, complete: !graded!.lateWarnings };
    this.show(view);
    // Knob probes follow the file that was graded (when it compiled).
    // A compile that fails for the machine's reasons (the scratch folder gone, a full disk) leaves
    // the knobs without a file: they say so, and the session goes on.
    this.recompiled = this.recompile().catch(() => { this.module = undefined; });
    const late = graded!.lateWarnings;
    // The page draws the figures now: the knob probes' next child and the type check (a core's
    // work for a while) start a moment later, so that on a small machine they do not share its
    // cores with the page.
    setTimeout(() => {
      if (this.lastView !== view || this.closed) return;
      void this.recompiled.then(() => this.startAhead());
      if (late) {
        void late().then((warnings) => {
          // A newer grade has taken its place: these warnings are of an older file.
          if (this.lastView !== view || this.closed) return;
          const whole = { ...result, warnings };
          this.show({ ...view, result: whole, reportHtml: reportBody(whole, new Map(), { noLab: true }), complete: true });
        });
      }
    }, AFTER_SHOWING_MS);
    return view;
  }

  private show(view: LiveView): void {
    if (this.closed) return;
    this.lastView = view;
    this.onView?.(view);
  }

  /** Compiles the file for knob probes (their next child starts later: startAhead). */
  private async recompile(): Promise<void> {
    const submission = takeIn(this.options.submission);
    if (isIntakeProblem(submission)) {
      this.module = undefined;
      return;
    }
    const hash = crypto.createHash('sha256').update(submission.source).digest('hex');
    if (this.module?.hash === hash) return;
    const dir = this.layout.submissionDir(this.version);
    const compiled = await compile(submission.source, dir);
    // Compiled folders of files two saves old go: nothing runs them any more (the last one may
    // still be loading in a knob probe's child).
    for (const d of this.oldDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    if (this.module) this.oldDirs.push(path.dirname(this.module.path));
    this.module = compiled.ok ? { path: compiled.modulePath, hash } : undefined;
  }

  /** Starts the next knob probe's child now (disposing one started on an older file). */
  private startAhead(): void {
    if (this.nextSandbox && this.nextSandbox.hash !== this.module?.hash) {
      void this.nextSandbox.sandbox.dispose();
      this.nextSandbox = undefined;
    }
    if (!this.module || this.nextSandbox || this.closed) return;
    const sandbox = new Sandbox({ ...sandboxOptionsFor(this.layout, this.isolation), modulePath: this.module.path });
    sandbox.warm();
    this.nextSandbox = { sandbox, hash: this.module.hash };
  }

  /**
   * The figures for knobs the student typed: checked first (a message per bad knob, no figure),
   * then the student's functions called in a sandbox child, beside the reference's (when the kit
   * knows it for these knobs).
   */
  figuresFor(raw: RawKnobs): Promise<KnobAnswer> {
    // One probe at a time, and at most one waiting: a newer request takes the waiting one's place
    // (answered `stale` at once), so a page typing fast against a slow function never queues up
    // a sandbox child per keystroke.
    this.waiting?.resolve({ ok: false, problems: {}, stale: true });
    return new Promise<KnobAnswer>((resolve, reject) => {
      const entry = { raw, resolve, reject };
      this.waiting = entry;
      this.knobQueue = this.knobQueue.then(async () => {
        if (this.waiting !== entry) return;
        this.waiting = undefined;
        try {
          resolve(await this.probeKnobs(raw));
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  private async probeKnobs(raw: RawKnobs): Promise<KnobAnswer> {
    const code = this.code;
    if (!code) return { ok: false, problems: {} };
    const checked = code.knobs.check(raw, this.lab);
    if (!checked.ok) return checked;
    const knobs = checked.knobs;
    await this.recompiled;
    this.startAhead();
    const taken = this.nextSandbox;
    if (!this.module || !taken) {
      return { ok: true, figures: { knobs, lab: sameKnobs(knobs, this.lab), figures: [], problem: this.lastView ? notGradedReason(this.lastView.result) : 'not graded yet' } };
    }
    this.nextSandbox = undefined;
    let found;
    try {
      found = await code.probe(taken.sandbox, knobs, solutionCaller());
    } finally {
      void taken.sandbox.dispose();
      // The next knob change finds its child started.
      this.startAhead();
    }
    return { ok: true, figures: await this.figuresOf(code, found.series, knobs, sanitize(found.printout.text, this.scratch, 20_000)) };
  }

  /** The page's figures: yours over the reference (when known for these knobs), with words. */
  private async figuresOf(code: LabCode, series: SeriesBase, knobs: unknown, printout: string | undefined): Promise<LiveFigures> {
    // The student release knows the reference for the lab's knobs only: for others there is none,
    // and the figures say so.
    const reference = await referenceSeriesFor(code, knobs);
    const specs = code.overlayFigures(series, reference, { interactive: true });
    const meaning = reference ? code.describeDifferences(series, asFunctions(loadAnswers())) : undefined;
    const figures = specs.map((f, i): LiveFigure => {
      const words = [...(meaning?.[f.id] ?? []), ...f.notes];
      return {
        id: f.id, title: code.figures[i].title, spec: f.spec, meaning: meaning?.[f.id] ?? [], notes: f.notes,
        alt: `${code.figures[i].title}, your curves${reference ? ' over the reference' : ''}: ${words.length ? words.join('; ') : f.placeholder ? 'nothing could be drawn' : 'yours shows what the reference shows'}`,
      };
    });
    return { knobs, lab: sameKnobs(knobs, this.lab), figures, ...(printout !== undefined ? { printout } : {}) };
  }

  /** Ends the session: its children, its scratch folder. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running?.catch(() => undefined);
    await this.nextSandbox?.sandbox.dispose();
    this.nextSandbox = undefined;
    removeScratch(this.scratch);
  }
}

/** Why a result has no figures, in a sentence for the page. */
function notGradedReason(result: GradeResult): string {
  if (result.status === 'graded') return 'no figures: the lab probe gave nothing';
  return result.message ?? result.status;
}

