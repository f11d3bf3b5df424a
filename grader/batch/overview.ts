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

/**
 * Writes the overview page of a class; returns its path, and the students graded whose report
 * folder holds no result that matches their row (none there, or one of another grading: another
 * seed or score), whom it counts by their row alone. `title` is the lab's (a merge of shards'
 * grades, which does not know the lab, leaves it out: the students' results name it).
 */
export async function writeClassOverview(reportRoot: string, students: readonly Pick<StudentEntry, 'id' | 'folder'>[], rows: (id: string) => GradeRow, run: GradesRun, drawCharts: boolean, title?: string): Promise<{ page: string; unmatched: string[] }> {
  const unmatched: string[] = [];
  const entries: ClassEntry[] = students.map((st) => {
    const row = rows(st.id);
    // A student not graded (a stopped batch) may have an old report folder: it is not theirs now.
    // Nor is a result of another grading (a folder left from an earlier run, merged with these
    // grades): its tests would be counted against this row's score.
    const found = row.status === 'not graded' ? undefined : readResult(path.join(reportRoot, st.folder, 'result.json'));
    const result = found && found.seed === run.seed && Math.abs(found.score - row.total) < 0.005 && found.maxScore === row.max ? found : undefined;
    if (row.status !== 'not graded' && !result) unmatched.push(st.id);
    return { id: st.id, folder: st.folder, ...(result ? { result } : {}), status: row.status, total: row.total, max: row.max, detail: row.detail };
  });
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
  writeAtomic(page, renderOverviewHtml(overview, images, heading, problem));
  return { page, unmatched };
}
