/**
 * Batch, a worker process: grades the groups of students the orchestrator sends, one jest run per
 * group (grade.ts gradeMany), keeping a renderer warm between groups; its type checks go to the
 * orchestrator's one checker. Each
 * student has their own sandbox child, never shared. Writes each student's report folder and
 * sends their row back.
 */
import { gradeMany } from '../grade';
import { shutInspector } from '../sandbox/reaper';
import { Renderer } from '../render/client';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol';
import { fileKitError, fileStudent } from './filing';
import type { StudentEntry } from './discover';
import { progressCount } from '../suites/collector';
import { useCodeCache } from '../lib/code-cache';
import { collectEverything } from '../lib/collect';
import { expectManyTranspiles, TYPECHECK_TIMEOUT_MS, useTypeChecker } from '../stages/compile';
import { fullDiskMessage } from '../lib/tmpdir';

/** How often a worker may say it is alive. */
const PROGRESS_EVERY_MS = 2000;

// No signal may open this worker's inspector (see sandbox/reaper.ts).
shutInspector();
// jest, ts-jest and the kit are compiled once, not at every worker's start.
useCodeCache();
// A worker transpiles one student after another.
expectManyTranspiles();
// Ctrl-C reaches the whole process group: the orchestrator decides (it stops the workers with
// SIGTERM and keeps the rows it has), so a worker does not die of it first.
process.on('SIGINT', () => undefined);

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
/** For the kit's own tests: a worker that meets this student never finishes (its event loop blocked), as a wedged one would. */
const WEDGE_ON = process.env.VG_TEST_WORKER_WEDGES_ON;

async function gradeGroup(students: StudentEntry[]): Promise<void> {
  const s = setup!;
  if (WEDGE_ON && students.some((st) => st.id === WEDGE_ON)) for (;;) { /* wedged */ }
  const done = new Set<number>();
  try {
    await gradeMany(students.map((st) => st.path), s.options, async (index, graded) => {
      // Dies with its scratch folder made and its sandbox children started, as a worker with a bug would.
      if (DIE_ON === students[index].id) process.kill(process.pid, 'SIGKILL');
      done.add(index);
      await send({ type: 'graded', row: fileStudent(s, students[index], graded) });
    }, { renderer, scratch: (dir, made) => void send({ type: 'scratch', dir, made }) });
  } catch (err) {
    // A full disk is the machine's: the batch stops, and these students are graded by --resume
    // once there is room (as kit errors, each would need grading again by hand).
    const full = fullDiskMessage(err);
    if (full) {
      await send({ type: 'disk-full', message: full });
      return;
    }
    // A fault of the kit: the students not yet graded get a kit-error row, and the batch goes on.
    const why = err instanceof Error ? err.message : String(err);
    for (const [index, student] of students.entries()) {
      if (!done.has(index)) await send({ type: 'graded', row: fileKitError(s, student, why) });
    }
  }
}

// A sign of life for the orchestrator's watchdog, whenever grading has moved on since the last one:
// a worker whose event loop is blocked, or that waits on something that never comes, sends none.
let ended = progressCount();
setInterval(() => {
  if (progressCount() === ended) return;
  ended = progressCount();
  void send({ type: 'progress' });
}, PROGRESS_EVERY_MS).unref();

/**
 * A full collection, caches included, between two groups. Each jest run leaves about 10 MB that
 * V8 frees only in its last-resort collection: a worker's heap grew by that much per group, toward
 * its limit, and its ordinary collections grew slower with it. Between groups nothing is in
 * flight, and one such collection costs a few tens of ms a group (the fork gives this process
 * --expose-gc).
 */
function collectBetweenGroups(): void {
  collectEverything();
}

// The batch's one type checker is the orchestrator's: checks go there and come back by id. A
// check that never comes back (the orchestrator gone) leaves the worker to the orchestrator's
// watchdog, as anything else it waits on.
const checks = new Map<number, (warnings: string[]) => void>();
let nextCheck = 0;
useTypeChecker((source) => new Promise<string[]>((resolve) => {
  const id = nextCheck++;
  // The orchestrator answers within its checker's time (counted from the check's arrival); an
  // answer that never comes (a fault of the kit) lets the student be graded without it.
  const late = setTimeout(() => {
    checks.delete(id);
    resolve(['the type check was not run: the batch\'s type checker did not answer (a fault of the grader, not of your code); your code was graded without it']);
  }, 2 * TYPECHECK_TIMEOUT_MS + 5000);
  late.unref();
  checks.set(id, (warnings) => {
    clearTimeout(late);
    resolve(warnings);
  });
  void send({ type: 'check', id, source });
}));

let queue: Promise<void> = Promise.resolve();
process.on('message', (message: ToWorker) => {
  // Answers to checks are taken at once: the group that waits for them holds the queue.
  if (message.type === 'checked') {
    checks.get(message.id)?.(message.warnings);
    checks.delete(message.id);
    return;
  }
  queue = queue.then(async () => {
    if (message.type === 'setup') {
      setup = message.setup;
      renderer = setup.options.noFigures || setup.options.skipLab ? undefined : new Renderer();
      renderer?.warm();
      await send({ type: 'ready' });
    } else if (message.type === 'grade') {
      await gradeGroup(message.students);
      collectBetweenGroups();
      await send({ type: 'ready' });
    } else if (message.type === 'stop') {
      renderer?.close();
      process.disconnect();
    }
  });
});
// The channel closes when this worker is done (it disconnects after `stop`) or when the
// orchestrator is gone (killed outright: SIGKILL, or a SIGHUP it does not handle). Either way
// nobody will read another row: the worker ends, and its exit ends its sandbox children and
// removes its scratch folder (sandbox/reaper.ts); it went on grading, writing report folders the
// grades file never counted.
process.on('disconnect', () => {
  renderer?.close();
  process.exit(0);
});
