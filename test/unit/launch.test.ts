/**
 * A sandbox child started ahead (sandbox/launch.ts): the Sandbox made with the same options adopts
 * it, one made with other options starts its own (and the early one is stopped), one nobody
 * adopts is stopped when the run ends, and what a submission does is told as without it.
 * Which process serves a Sandbox is seen by killing the early child: a Sandbox that adopted it
 * loses the count its module keeps, one that did not keeps counting.
 * Needs the built child runtime (npm test builds it first).
 */
import type { ChildProcess } from 'node:child_process';
import { detectIsolation } from '../../grader/sandbox/isolation';
import { discardEarlyChildren, startEarly, type EarlyChild } from '../../grader/sandbox/launch';
import type { SandboxOptions } from '../../grader/sandbox/contract';
import { testSandboxes } from '../support/sandbox';

const sandboxes = testSandboxes('vg-launch-test-');
const plan = detectIsolation();
afterAll(async () => {
  await discardEarlyChildren();
  await sandboxes.dispose();
});

const COUNTER = 'let n = 0; exports.count = () => ++n;';

/** Resolves when the child has exited (at once if it has); rejects if it is still running after 10 s. */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const late = setTimeout(() => reject(new Error(`child ${child.pid} still running after 10 s`)), 10_000);
    child.once('exit', () => { clearTimeout(late); resolve(); });
  });
}

/** Kills the child's process group and waits for its exit. */
async function killed(child: ChildProcess): Promise<void> {
  try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ }
  await exited(child);
}

/** A sandbox over `js` with a child started ahead for `early` (its options by default). */
function withEarly(js: string, limits: Partial<SandboxOptions> = {}, early: (o: SandboxOptions) => SandboxOptions = (o) => o): { sandbox: ReturnType<typeof sandboxes.sandboxFor>; started: Promise<EarlyChild | undefined> } {
  let started: Promise<EarlyChild | undefined> = Promise.resolve(undefined);
  const sandbox = sandboxes.sandboxFor(js, limits, (o) => { started = startEarly(early(o), plan); });
  return { sandbox, started };
}

describe('a sandbox child started ahead', () => {
  test('is adopted by the Sandbox made with the same options: its first call is answered by that child', async () => {
    const { sandbox, started } = withEarly(COUNTER);
    const early = (await started)!;
    expect(early).toBeDefined();
    expect(await sandbox.call('count', [])).toEqual({ kind: 'returned', value: 1 });
    expect(await sandbox.call('count', [])).toEqual({ kind: 'returned', value: 2 });
    // The adopted child dies between calls: the next call is a new child's, which counts from 1.
    await killed(early.child);
    expect(await sandbox.call('count', [])).toEqual({ kind: 'returned', value: 1 });
  });

  test('started with other options, it is stopped and the Sandbox starts its own', async () => {
    const { sandbox, started } = withEarly(COUNTER, {}, (o) => ({ ...o, memoryMb: o.memoryMb / 2 }));
    const early = (await started)!;
    expect(await sandbox.call('count', [])).toEqual({ kind: 'returned', value: 1 });
    await exited(early.child);
    expect(early.child.signalCode).toBe('SIGKILL');
    expect(await sandbox.call('count', [])).toEqual({ kind: 'returned', value: 2 });
  });

  test('a child nobody adopted is stopped when the run ends', async () => {
    let started: Promise<EarlyChild | undefined> = Promise.resolve(undefined);
    sandboxes.sandboxFor(COUNTER, {}, (o) => { started = startEarly(o, plan); });
    const early = (await started)!;
    expect(early.child.exitCode).toBeNull();
    await discardEarlyChildren();
    await exited(early.child);
    expect(early.child.signalCode).toBe('SIGKILL');
  });

  test('code that exits while loading, before the Sandbox takes its child, is told as without one started ahead', async () => {
    const { sandbox, started } = withEarly('process.exit(1);');
    await exited((await started)!.child);
    expect(await sandbox.call('f', [])).toMatchObject({ kind: 'failed', reason: 'load-exit', message: expect.stringContaining('process.exit(1)') });
  });

  test('what the code printed while loading, before the Sandbox took its child, is kept as the loading\'s output', async () => {
    const { sandbox, started } = withEarly(`console.log('hello from the top'); ${COUNTER}`);
    await started;
    // Time for the child to load and print before it is adopted (on a busy machine it may print
    // after: the output is kept the same way).
    await new Promise((r) => setTimeout(r, 300));
    expect(await sandbox.call('count', [])).toEqual({ kind: 'returned', value: 1 });
    await sandbox.settleOutput();
    expect(sandbox.capturedOutput()['(loading)']).toContain('hello from the top');
  });

  test('a Sandbox disposed of before its first call runs nothing in the child started ahead: the child is stopped', async () => {
    const { sandbox, started } = withEarly(COUNTER);
    const early = (await started)!;
    await sandbox.dispose();
    expect(await sandbox.call('count', [])).toMatchObject({ kind: 'failed' });
    await discardEarlyChildren();
    await exited(early.child);
  });
});
