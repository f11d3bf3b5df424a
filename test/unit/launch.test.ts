/**
 * A sandbox child started ahead (sandbox/launch.ts): the Sandbox made with the same options adopts
 * it, one made with other options starts its own (and the early one is stopped), one nobody
 * adopts is stopped when the run ends, and what a submission does is told as without it.
 * Which process serves a Sandbox is seen by killing the early child: a Sandbox that adopted it
 * loses the count its module keeps, one that did not keeps counting.
 * Needs the built child runtime (npm test builds it first).
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
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

/** The sockets of held sandbox-uid leases on this machine (abstract sockets, sandbox/isolation.ts UidLease; /proc/net/unix's inode and path columns, a name's padding shown as @). */
function leaseSockets(): { uid: number; inode: string }[] {
  return fs.readFileSync('/proc/net/unix', 'utf8').split('\n')
    .map((line) => line.trim().split(/\s+/))
    .map((cols) => ({ inode: cols[6], uid: /@ts-lab-kit\/sandbox-uid\/(\d+)(?!\d)/.exec(cols[7] ?? '')?.[1] }))
    .filter((s): s is { inode: string; uid: string } => s.uid !== undefined)
    .map((s) => ({ inode: s.inode, uid: Number(s.uid) }));
}

/** The sandbox uids whose leases are held on this machine. */
function heldLeases(): number[] {
  return leaseSockets().map((s) => s.uid).sort((a, b) => a - b);
}
const leaseHeld = (uid: number): boolean => heldLeases().includes(uid);

/**
 * The sandbox uids whose leases this process holds: a lease's socket among this process's open
 * files. Another run on the machine (jest's other worker, another grader) takes and gives back
 * leases of its own meanwhile, so the machine's list is not this test's to compare.
 */
function leasesOfThisProcess(): number[] {
  const mine = new Set<string>();
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(fs.readlinkSync(`/proc/self/fd/${fd}`))?.[1];
      if (inode) mine.add(inode);
    } catch { /* closed meanwhile (readdir's own fd) */ }
  }
  return leaseSockets().filter((s) => mine.has(s.inode)).map((s) => s.uid).sort((a, b) => a - b);
}

/** Whether the uid's lease is free within `ms`. */
async function freedWithin(uid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (leaseHeld(uid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** Every process under `pid`, where /proc tells. */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter((p) => p.trim()).map(Number);
  } catch { /* gone, or no such file here */ }
  return children.flatMap((c) => [c, ...descendants(c)]);
}

/** Whether a process exists and is not a zombie. */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
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
    const early = (await started)!;
    // Waits until the line is in the pipe, without reading it: a 'readable' listener, once fired
    // and gone, leaves the stream to the Sandbox's own reader.
    await new Promise((r) => early.child.stdout!.once('readable', r));
    expect(await sandbox.call('count', [])).toEqual({ kind: 'returned', value: 1 });
    await sandbox.settleOutput();
    expect(sandbox.capturedOutput()['(loading)']).toContain('hello from the top');
  });

  test('a load that began before the adoption is counted from the child\'s start: its CPU time counts against the load limit', async () => {
    // 0.6 s of CPU at the top level against a 0.5 s limit: over it whenever the clock starts, as
    // long as the time before the adoption is counted too.
    const spin = 'const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; }; const end = cpu() + 600_000; while (cpu() < end) {}';
    const { sandbox, started } = withEarly(`${spin} ${COUNTER}`, { loadTimeoutMs: 500 });
    const early = (await started)!;
    // Adopted after 0.45 s of the child's life: counted from the adoption, the load would have
    // 0.5 s more and pass.
    await new Promise((r) => setTimeout(r, Math.max(0, 450 - (Date.now() - early.startedAt))));
    expect(await sandbox.call('count', [])).toMatchObject({ kind: 'failed', reason: 'load-timeout' });
  });

  // Only where each sandbox has a uid of its own (the grader is root); elsewhere jest reports it
  // skipped, with the reason in its name.
  const withOwnUids = plan.ownUids ? test : test.skip;
  const ownUidsNote = plan.ownUids ? '' : ` (skipped: this machine's isolation, ${plan.mode}, gives sandboxes no uid of their own)`;
  withOwnUids(`the uid a child started ahead runs under is the adopting Sandbox's for all its children, and is given back when it is disposed of${ownUidsNote}`, async () => {
    const { sandbox, started } = withEarly(`${COUNTER} exports.hang = () => { for (;;) {} };`, { callTimeoutMs: 300 });
    const early = (await started)!;
    const uid = early.lease!.uid;
    expect(leaseHeld(uid)).toBe(true);
    expect(await sandbox.call('count', [])).toEqual({ kind: 'returned', value: 1 });
    // A hang stops the child; the next one starts under the same uid, with no new lease.
    const before = leasesOfThisProcess();
    expect(before).toContain(uid);
    expect(await sandbox.call('hang', [])).toMatchObject({ kind: 'failed', reason: 'timeout' });
    expect(await sandbox.call('count', [])).toEqual({ kind: 'returned', value: 1 });
    expect(leasesOfThisProcess()).toEqual(before);
    await sandbox.dispose();
    expect(await freedWithin(uid, 2000)).toBe(true);
  });

  test('stopping a child started ahead ends the process that runs node before its uid is given back', async () => {
    // Inside bwrap, node runs in a session of its own; its end was once left to bwrap's death
    // signal, and about half the time it still ran when the uid was given back: eight rounds.
    for (let round = 0; round < 8; round++) {
      let started: Promise<EarlyChild | undefined> = Promise.resolve(undefined);
      sandboxes.sandboxFor(COUNTER, {}, (o) => { started = startEarly(o, plan); });
      const early = (await started)!;
      await new Promise((r) => early.child.stdio[4]!.once('readable', r)); // loaded: it has said so
      const inside = descendants(early.child.pid!);
      if (plan.mode === 'namespaces') expect(inside.length).toBeGreaterThan(0);
      await discardEarlyChildren();
      for (const pid of inside) expect(running(pid)).toBe(false);
      // Given back (its name freed) soon after; held a moment longer is the safe side.
      if (early.lease) expect(await freedWithin(early.lease.uid, 2000)).toBe(true);
    }
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
