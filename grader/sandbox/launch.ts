/**
 * How a sandbox child is started (the command, its environment, its descriptors), and the one
 * child a grade may start ahead of its Sandbox.
 *
 * Why ahead: a submission graded alone waits for jest to start (about 0.2 s of this thread) and
 * then, at its first test, for its child to start (about 50 ms). Started once the submission is
 * compiled, the child loads beside jest's start, on the other core, and the first test finds it
 * ready. The Sandbox that the suites make in jest's realm adopts it (client.ts ensureStarted):
 * the same command and the same process, and its load counted from its start (CPU and wall-clock
 * time, as a batch counts a child it starts while the previous student is tested), so what a
 * submission does alone and in a batch is the same. A child nobody adopted is stopped when the run
 * ends (discardEarlyChildren).
 *
 * The registry hangs off a core module, which every jest module registry shares (as reaper.ts's
 * set does): the grader's realm puts the child in, the suites' realm takes it out.
 */
import childProcessModule = require('node:child_process');
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SUBMISSION_FILE_ENV } from './protocol';
import { childCommand, UidLease, type IsolationPlan } from './isolation';
import { LIVE } from './reaper';
import type { SandboxOptions } from './contract';

/** Node's permission model flag: `--permission` from Node 23 on, experimental before. */
const PERMISSION_FLAG = Number(process.versions.node.split('.')[0]) >= 23 ? '--permission' : '--experimental-permission';

/** The descriptor on which bwrap names the process that runs node (namespaces only). */
export const INFO_FD = 5;

/** What a child is started with. */
interface Launch {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Whether bwrap reports on INFO_FD. */
  info: boolean;
}

/** The command, folder and environment of a child for `o` under `plan`, with `uid` its own when the plan gives one. */
function launchOf(o: SandboxOptions, plan: IsolationPlan, uid: number | undefined): Launch {
  const moduleDir = path.dirname(o.modulePath);
  const runtimeDir = path.dirname(o.childScript);
  const info = plan.mode === 'namespaces';
  const command = childCommand(plan, {
    runtimeDir, moduleDir, uid, addressSpaceMb: o.addressSpaceMb,
    // Inside bwrap, the process that runs node is not the one spawned here: bwrap names it on INFO_FD.
    ...(info ? { infoFd: INFO_FD } : {}),
    nodeArgs: [
      PERMISSION_FLAG,
      `--allow-fs-read=${runtimeDir}${path.sep}`,
      `--allow-fs-read=${moduleDir}${path.sep}`,
      '--no-warnings',
      '--no-addons',
      `--max-old-space-size=${o.memoryMb}`,
      '--disallow-code-generation-from-strings',
      o.childScript,
      o.modulePath,
      ...(o.testUnguarded ? ['--test-unguarded'] : []),
    ],
  });
  return {
    ...command,
    cwd: moduleDir,
    env: { NODE_ENV: 'test', LANG: 'C.UTF-8', UV_THREADPOOL_SIZE: '1', VG_MAX_REPLY_ITEMS: String(o.maxReplyItems), [SUBMISSION_FILE_ENV]: o.submissionFile ?? path.basename(o.modulePath) },
    info,
  };
}

/** Starts a child for `o` under `plan`: fd 3 takes requests, fd 4 gives replies (and INFO_FD bwrap's report). */
export function launchChild(o: SandboxOptions, plan: IsolationPlan, uid: number | undefined): ChildProcess {
  const launch = launchOf(o, plan, uid);
  const child = childProcessModule.spawn(launch.file, launch.args, {
    cwd: launch.cwd,
    detached: true, // its own process group, so everything it starts can be killed together
    stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe', ...(launch.info ? ['pipe' as const] : [])],
    env: launch.env,
  });
  if (child.pid !== undefined) {
    const pid = child.pid;
    LIVE.add(pid);
    child.on('exit', () => LIVE.delete(pid));
  }
  child.on('error', () => { /* a spawn failure surfaces as an exit */ });
  return child;
}

/** The pids of a process's children, where /proc tells them. */
function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter((p) => p.trim() !== '').map(Number);
  } catch {
    return [];
  }
}

/**
 * Ends a child and its process group now, and the processes it started directly: inside bwrap,
 * node runs in a session of its own, out of the group's reach (bwrap's death signal would end it
 * a moment later). `inside`: the pid of the process that runs node, when bwrap has named it (a
 * system without /proc's list of children). Returns the pids ended beside the group, for
 * {@link untilEnded}.
 */
export function killChild(child: ChildProcess, inside?: number): number[] {
  if (child.pid === undefined) return [];
  const live = child.exitCode === null && child.signalCode === null;
  // Read before the kill, while they are still the child's (a pid known from before its exit may be another's by now).
  const started = live ? [...new Set([...childrenOf(child.pid), ...(inside !== undefined && inside !== child.pid ? [inside] : [])])] : [];
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
  try { child.kill('SIGKILL'); } catch { /* already gone */ }
  for (const pid of started) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  return started;
}

/** Whether a process still runs (a zombie does not: it has ended, and waits to be reaped). */
function running(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Resolves true once none of these processes runs, false at the deadline (Date.now() ms). SIGKILL
 * is delivered, not done: a process tears its memory down first. A sandbox's uid is given back
 * only once its processes have ended.
 */
export async function untilEnded(pids: number[], deadline: number): Promise<boolean> {
  while (pids.some(running)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

/** A child started ahead, with the uid lease it runs under (when the plan gives each sandbox one). */
export interface EarlyChild {
  child: ChildProcess;
  lease: UidLease | undefined;
  /** When it was started (Date.now()): its load is counted from then. */
  startedAt: number;
}

type Entry = { key: string; started: Promise<EarlyChild | undefined> };

/** The children started ahead and not adopted yet, by compiled module: one registry per OS process. */
function registry(): Map<string, Entry> {
  const host = childProcessModule as unknown as Record<symbol, Map<string, Entry> | undefined>;
  const key = Symbol.for('ts-lab-kit.sandbox.early');
  return (host[key] ??= new Map());
}

/** What must match for a Sandbox to adopt a child started ahead: everything it would start its own child with. */
function keyOf(o: SandboxOptions, plan: IsolationPlan): string {
  return JSON.stringify([launchOf(o, plan, undefined), plan.ownUids, plan.mode]);
}

/**
 * Starts the child that a Sandbox made later with the same options (in any realm of this process)
 * adopts at its first call instead of starting one. One per compiled module: a second call for
 * the same module replaces (and stops) the first child. Resolves to the child (undefined when no
 * uid was free for it: the Sandbox then starts its own).
 */
export function startEarly(o: SandboxOptions, plan: IsolationPlan): Promise<EarlyChild | undefined> {
  const map = registry();
  const previous = map.get(o.modulePath);
  if (previous) void previous.started.then(stopEarly);
  const started = (async (): Promise<EarlyChild | undefined> => {
    const lease = plan.ownUids ? await UidLease.acquire() : undefined;
    return { child: launchChild(o, plan, lease?.uid), lease, startedAt: Date.now() };
  })().catch(() => undefined); // no lease, no child: the Sandbox starts its own as usual
  map.set(o.modulePath, { key: keyOf(o, plan), started });
  return started;
}

/**
 * The child started ahead for these options, taken out of the registry (a Sandbox adopts it);
 * undefined when there is none. One started with other options is stopped, not given.
 */
export function takeEarly(o: SandboxOptions, plan: IsolationPlan): Promise<EarlyChild | undefined> | undefined {
  const map = registry();
  const entry = map.get(o.modulePath);
  if (!entry) return undefined;
  map.delete(o.modulePath);
  if (entry.key !== keyOf(o, plan)) {
    void entry.started.then(stopEarly);
    return undefined;
  }
  return entry.started;
}

/** Stops a child started ahead and gives its uid back once it has exited. */
export function stopEarly(early: EarlyChild | undefined): Promise<void> {
  if (!early) return Promise.resolve();
  const { child, lease } = early;
  const deadline = Date.now() + 3000;
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const gone = exited()
    ? Promise.resolve(true)
    : new Promise<boolean>((resolve) => {
      child.once('exit', () => resolve(true));
      setTimeout(() => resolve(exited()), 3000).unref();
    });
  const inside = killChild(child);
  return gone.then(async (over) => {
    if (over && await untilEnded(inside, deadline)) await lease?.release();
  });
}

/** Stops every child started ahead that no Sandbox adopted (the run is over). */
export async function discardEarlyChildren(): Promise<void> {
  const map = registry();
  const entries = [...map.values()];
  map.clear();
  await Promise.all(entries.map((e) => e.started.then(stopEarly)));
}
