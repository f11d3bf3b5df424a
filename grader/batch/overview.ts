/**
 * Batch, the class overview: once the grades are written, the page at the report root
 * (`<reportRoot>/index.html`) with its charts beside it (`overview/*.png`). It reads each
 * student's result.json back from their report folder, so a resumed batch's overview counts the
 * students graded before it too, and a merge of shards' grades (merge.ts) can write the whole
 * class's. Charts are drawn by the renderer like the lab's figures; when it
 * cannot (or with --no-figures) the page says so and keeps its tables.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GradeResult } from '../result';
import { Renderer } from '../render/client';
import { overviewCharts, renderOverviewHtml, summarizeClass, type ClassEntry } from '../report/overview';
import { writeAtomic } from '../write';
import type { GradeRow, GradesRun } from './csv';
import type { StudentEntry } from './discover';

function readResult(file: string): GradeResult | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as GradeResult;
  } catch {
    return undefined;
  }
}

/** A class's entries for its overview, and the graded students counted by their row alone. */
export interface ClassEntries {
  entries: ClassEntry[];
  /** Students graded whose report folder holds no result of this grading (none, or another's). */
  unmatched: string[];
}

/**
 * Each student's row, with their result read back from their report folder when it is the one
 * this row was graded from: the same seed, score, maximum and parts. A student not graded (a
 * stopped batch) may have an old report folder: it is not theirs now; nor is a result of another
 * grading (a folder left from an earlier run or another lab, merged with these grades), whose
 * tests would be counted against this row's score.
 */
export function classEntries(reportRoot: string, students: readonly Pick<StudentEntry, 'id' | 'folder'>[], rows: (id: string) => GradeRow, run: GradesRun, partNames: readonly string[]): ClassEntries {
  const unmatched: string[] = [];
  const sameParts = (r: GradeResult): boolean => r.parts.length === partNames.length && r.parts.every((p, k) => p.name === partNames[k]);
  const entries: ClassEntry[] = students.map((st) => {
    const row = rows(st.id);
    const found = row.status === 'not graded' ? undefined : readResult(path.join(reportRoot, st.folder, 'result.json'));
    const result = found && found.seed === run.seed && Math.abs(found.score - row.total) < 0.005 && found.maxScore === row.max && Array.isArray(found.parts) && sameParts(found) ? found : undefined;
    if (row.status !== 'not graded' && !result) unmatched.push(st.id);
    return { id: st.id, folder: st.folder, ...(result ? { result } : {}), status: row.status, total: row.total, max: row.max, detail: row.detail };
  });
  return { entries, unmatched };
}

/**
 * Writes the overview page of a class (a batch's: its students, rows and parts); returns its path
 * and the students counted by their row alone (classEntries). `title` is the lab's.
 */
export async function writeClassOverview(reportRoot: string, students: readonly Pick<StudentEntry, 'id' | 'folder'>[], rows: (id: string) => GradeRow, run: GradesRun, partNames: readonly string[], drawCharts: boolean, title?: string): Promise<{ page: string; unmatched: string[] }> {
  const read = classEntries(reportRoot, students, rows, run, partNames);
  return { page: await writeOverviewPage(reportRoot, read, run, drawCharts, title), unmatched: read.unmatched };
}

/**
 * Writes the overview page of a class from its entries; returns its path. `title` is the lab's (a
 * merge of shards' grades, which does not know the lab, leaves it out: the students' results name
 * it). Students counted by their row alone are named on the page.
 */
export async function writeOverviewPage(reportRoot: string, { entries, unmatched }: ClassEntries, run: GradesRun, drawCharts: boolean, title?: string): Promise<string> {
  const overview = summarizeClass(entries, title);
  const images = new Map<string, Buffer>();
  let problem: string | undefined;
  if (!drawCharts) {
    problem = 'Charts are left out with --no-figures.';
  } else {
    const renderer = new Renderer();
    try {
      for (const chart of overviewCharts(overview)) images.set(chart.file, await renderer.chart(chart.spec));
    } catch (err) {
      images.clear();
      problem = `The charts could not be drawn (a fault of the kit): ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      renderer.close();
    }
  }
  for (const [file, bytes] of images) writeAtomic(path.join(reportRoot, file), bytes);
  const page = path.join(reportRoot, 'index.html');
  const heading = `seed ${run.seed}${run.shard !== '1/1' ? ` · shard ${run.shard} (this page counts this shard's students only)` : ''}`;
  const shown = unmatched.length > 8 ? `${unmatched.slice(0, 8).join(', ')} and ${unmatched.length - 8} more` : unmatched.join(', ');
  const one = unmatched.length === 1;
  const notes = unmatched.length ? [`${unmatched.length} student${one ? ' is' : 's are'} counted by ${one ? 'their grade' : 'their grades'} alone (${shown}): ${one ? 'their report folder holds' : 'their report folders hold'} no result of this grading, so their tests, parts and hints are not in the tables below.`] : [];
  writeAtomic(page, renderOverviewHtml(overview, images, heading, problem, notes));
  return page;
}
