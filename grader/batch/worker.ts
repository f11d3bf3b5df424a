/**
 * Batch, a worker process: grades the groups of students the orchestrator sends, one jest run per
 * group (grade.ts gradeMany), keeping a renderer and a type checker warm between groups. Each
 * student has their own sandbox child, never shared. Writes each student's report folder and
 * sends their row back.
 */
import * as path from 'node:path';
import { gradeMany } from '../grade';
import { Renderer } from '../render/client';
import { failedResult } from '../result';
import { loadRubric } from '../lib/rubric';
import { writeReportFolder } from '../report/folder';
import { rowOf } from './csv';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol';
import type { StudentEntry } from './discover';

let setup: WorkerSetup | undefined;
let renderer: Renderer | undefined;

function send(message: FromWorker): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, () => resolve());
  });
}

/** For the kit's own tests: a worker that meets this student dies, as a worker with a bug would. */
const DIE_ON = process.env.VG_TEST_WORKER_DIES_ON;

async function gradeGroup(students: StudentEntry[]): Promise<void> {
  const s = setup!;
  if (DIE_ON && students.some((st) => st.id === DIE_ON)) process.kill(process.pid, 'SIGKILL');
  const done = new Set<number>();
  try {
    await gradeMany(students.map((st) => st.path), s.options, async (index, graded) => {
      done.add(index);
      const student = students[index];
      writeReportFolder(path.join(s.reportRoot, student.id), graded.result, graded.images, { linkImages: true });
      await send({ type: 'graded', row: rowOf(student.id, graded.result, s.partNames) });
    }, { renderer });
  } catch (err) {
    // A fault of the kit: the students not yet graded get a kit-error row, and the batch goes on.
    const message = `the grader failed (not the student's fault): ${err instanceof Error ? err.message : String(err)}`;
    const parts = loadRubric().parts.filter((p) => !s.options.only || p.name === s.options.only);
    for (const [index, student] of students.entries()) {
      if (done.has(index)) continue;
      const result = failedResult({ exercise: 'vanishing-gradients', submission: student.id, status: 'kit-error', seed: s.options.seed, message, parts, advisory: s.options.advisory });
      writeReportFolder(path.join(s.reportRoot, student.id), result, new Map(), { linkImages: true });
      await send({ type: 'graded', row: rowOf(student.id, result, s.partNames) });
    }
  }
}

let queue: Promise<void> = Promise.resolve();
process.on('message', (message: ToWorker) => {
  queue = queue.then(async () => {
    if (message.type === 'setup') {
      setup = message.setup;
      renderer = setup.options.noFigures || setup.options.skipLab ? undefined : new Renderer();
      renderer?.warm();
      await send({ type: 'ready' });
    } else if (message.type === 'grade') {
      await gradeGroup(message.students);
      await send({ type: 'ready' });
    } else if (message.type === 'stop') {
      renderer?.close();
      process.disconnect();
    }
  });
});
process.on('disconnect', () => {
  renderer?.close();
});
