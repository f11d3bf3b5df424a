/**
 * PrairieLearn's external-grader results.json: `score` in 0..1, `tests` with name, points,
 * max_points, message and output, and the lab's figures from the student's functions as images
 * (data URIs), kept under PrairieLearn's 1 MB limit on the whole file. A pure function.
 */
import type { GradeResult } from '../result';
import { renderText } from './text';
import { messageWithAdvice } from './advice';

/** The whole file must stay under 1 MB; the images get what the rest leaves, with a margin. */
export const PRAIRIELEARN_MAX_BYTES = 1_000_000;

/** One test as PrairieLearn reads it. */
export interface PrairieLearnTest {
  /** `part › title`. */
  name: string;
  /** The part's title. */
  description: string;
  /** Points earned. */
  points: number;
  /** Points available. */
  max_points: number;
  /** Feedback. */
  message: string;
  /** More feedback (what the student's code printed). */
  output: string;
}

/** The results file. */
export interface PrairieLearnResults {
  /**
   * False when the tests did not run: a submission missing, one that does not compile, one refused
   * (not text, too large), or a grader failure. PrairieLearn then counts no attempt against the
   * student (its external-grading documentation names a syntax error as the case for it); the
   * message and output say why.
   */
  gradable: boolean;
  /** Score as a fraction, 0..1. */
  score: number;
  /** A one-line summary. */
  message: string;
  /** The text report. */
  output: string;
  /** The tests. */
  tests: PrairieLearnTest[];
  /** Figures as data URIs. */
  images: { label: string; url: string }[];
}

const round = (n: number): number => Math.round(n * 10000) / 10000;

/** Renders results.json; `images` maps the result's figure files to PNG bytes. */
export function renderPrairieLearn(result: GradeResult, images: ReadonlyMap<string, Buffer> = new Map()): string {
  const doc: PrairieLearnResults = {
    gradable: result.status === 'graded',
    score: result.maxScore > 0 ? round(result.score / result.maxScore) : 0,
    message: result.status === 'graded' ? `${result.score}/${result.maxScore}` : (result.message ?? result.status).split('\n')[0],
    output: renderText(result, { color: false, verbose: false, replay: false }),
    tests: result.tests.length > 0
      ? result.tests.map((t) => ({
        name: `${t.part} › ${t.name}`,
        description: result.parts.find((p) => p.name === t.part)?.title ?? t.part,
        points: round(t.points), max_points: round(t.maxPoints),
        message: t.status === 'pass' ? '' : messageWithAdvice(result, t),
        output: result.parts.find((p) => p.name === t.part)?.output ?? '',
      }))
      : result.parts.map((p) => ({ name: p.name, description: p.title, points: 0, max_points: p.maxPoints, message: result.message ?? 'not graded', output: '' })),
    images: [],
  };
  // Images, the student's figures first, while they fit.
  let size = Buffer.byteLength(JSON.stringify(doc));
  const skipped: string[] = [];
  for (const f of result.figures ?? []) {
    const bytes = images.get(f.student);
    if (!bytes) continue;
    const image = { label: `${f.title} (from your functions)`, url: `data:image/png;base64,${bytes.toString('base64')}` };
    const cost = Buffer.byteLength(JSON.stringify(image)) + 1;
    if (size + cost > PRAIRIELEARN_MAX_BYTES - 10_000) {
      skipped.push(f.title);
      continue;
    }
    doc.images.push(image);
    size += cost;
  }
  if (skipped.length) doc.output += `\n(figures left out to stay under PrairieLearn's 1 MB limit: ${skipped.join(', ')})\n`;
  return JSON.stringify(doc) + '\n';
}
