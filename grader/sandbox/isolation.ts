/**
 * The operating system's boundary around each sandbox child. Which one a machine allows is found
 * once per process, strongest first:
 *
 * - `namespaces`: bubblewrap (`bwrap`) puts the child in new user, PID, network, IPC, UTS and
 *   mount namespaces. Its file system holds only the node binary (and the libraries it links),
 *   the child runtime and the submission, read-only. It has no network at all, cannot see or
 *   signal any process outside (the grader, a classmate's sandbox), and dies with the grader.
 *   When the grader is root, bwrap itself runs as a uid of the sandbox's own (see {@link UidLease}).
 * - `uid`: the grader is root but namespaces are refused (a container's seccomp profile, say):
 *   the child runs as a uid that no other live sandbox and no user has, with no new privileges
 *   and a parent-death signal. It cannot signal the grader or a classmate; the network is closed
 *   to it only from inside JavaScript.
 * - `weak`: neither (a laptop or a runner without user namespaces): the child runs as the grader's
 *   own user, guarded from inside JavaScript and by the kernel's resource limits. Results and
 *   reports say so, and `--official` refuses it unless the instructor allows it.
 *
 * In every mode the child also runs under Node's permission model with the kit's JavaScript
 * guards (child.ts) and the kernel's resource limits: the boundary adds to them, never replaces.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** How strongly the child is kept apart from everything else. */
export type IsolationMode = 'namespaces' | 'uid' | 'weak';

/** The isolation a grading run used, as results record it. */
export interface Isolation {
  /** The mode. */
  mode: IsolationMode;
  /** What it means, or why nothing stronger was possible, in one sentence. */
  detail: string;
}

/** Everything needed to start children in the chosen mode (plain data: it travels in the manifest). */
export interface IsolationPlan extends Isolation {
  /** The node binary the child runs. */
  node: string;
  /** bwrap's path (namespaces mode). */
  bwrap?: string;
  /** setpriv's path (when present: parent-death signal, no new privileges, and the uid switch as root). */
  setpriv?: string;
  /** Files the node binary needs, bound read-only into the namespace (its shared libraries). */
  binds: string[];
  /** True when each sandbox gets a uid of its own (the grader is root). */
  ownUids: boolean;
}

/** The environment variable that forces a mode (`namespaces`, `uid`, `weak`) instead of the strongest available. */
export const ISOLATION_ENV = 'VG_ISOLATION';

/** First uid handed to sandboxes, and how many there are (far above any real user's). */
export const SANDBOX_UID_BASE = 1_900_000_000;
const SANDBOX_UID_COUNT = 100_000;

let detected: IsolationPlan | undefined;

/** The strongest isolation this machine allows (or the one VG_ISOLATION asks for), found once per process. */
export function detectIsolation(env: NodeJS.ProcessEnv = process.env): IsolationPlan {
  const wanted = env[ISOLATION_ENV] ?? 'auto';
  if (detected && wanted === 'auto') return detected;
  if (!['auto', 'namespaces', 'uid', 'weak'].includes(wanted)) {
    throw new Error(`${ISOLATION_ENV} takes auto, namespaces, uid or weak; got ${wanted}`);
  }
  const plan = choose(wanted as IsolationMode | 'auto');
  if (wanted === 'auto') detected = plan;
  return plan;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The executable `name` as the grader finds it: on PATH first, then the usual system folders. */
export function which(name: string): string | undefined {
  for (const dir of (process.env.PATH || '/usr/bin:/bin').split(path.delimiter).concat(['/usr/bin', '/bin', '/usr/sbin', '/sbin'])) {
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch { /* not here */ }
  }
  return undefined;
}

function choose(wanted: IsolationMode | 'auto'): IsolationPlan {
  const node = fs.realpathSync(process.execPath);
  const root = isRoot();
  const linux = process.platform === 'linux';
  const setpriv = linux ? which('setpriv') : undefined;
  const bwrap = linux ? which('bwrap') : undefined;
  const base = { node, binds: [] as string[], ownUids: false, ...(setpriv ? { setpriv } : {}) };
  const fail = (why: string): never => {
    throw new Error(`${ISOLATION_ENV}=${wanted} was asked for, but ${why}`);
  };

  if (wanted === 'auto' || wanted === 'namespaces') {
    let why: string;
    if (!linux) why = 'namespaces exist only on Linux';
    else if (!bwrap) why = 'bubblewrap (bwrap) is not installed';
    else if (root && !setpriv) why = 'setpriv (util-linux) is not installed, so bwrap cannot run as a sandbox uid';
    else {
      const plan: IsolationPlan = { ...base, mode: 'namespaces', detail: 'bubblewrap: own user, PID, network, IPC and mount namespaces; no network; only node, the runtime and the submission visible', bwrap, binds: sharedLibraries(node), ownUids: root };
      const problem = probe(plan);
      if (!problem) return plan;
      why = `bwrap could not start a sandbox here (${problem})`;
    }
    if (wanted === 'namespaces') fail(why);
    if (root && setpriv) return { ...base, mode: 'uid', ownUids: true, detail: `a uid of its own per sandbox, no new privileges; no namespaces: ${why}, so the network is closed only from inside JavaScript` };
    if (root) return { ...base, mode: 'weak', detail: `${why}, and setpriv (util-linux) is not installed: student code runs as the grader's user` };
    return { ...base, mode: 'weak', detail: `${why}, and the grader is not root: student code runs as the grader's own user, guarded from inside JavaScript only` };
  }
  if (wanted === 'uid') {
    if (!root) fail('the grader is not root, so it cannot give sandboxes uids of their own');
    if (!setpriv) fail('setpriv (util-linux) is not installed');
    return { ...base, mode: 'uid', ownUids: true, detail: `a uid of its own per sandbox, no new privileges (${ISOLATION_ENV}=uid); the network is closed only from inside JavaScript` };
  }
  return { ...base, mode: 'weak', detail: `${ISOLATION_ENV}=weak: student code runs as the grader's own user, guarded from inside JavaScript only` };
}

/**
 * The shared libraries the node binary loads, from `ldd`; where ldd cannot tell, the usual library
 * folders as a whole (read-only: system libraries are no secret, but the fewer files the better).
 */
function sharedLibraries(node: string): string[] {
  const out = spawnSync('ldd', [node], { encoding: 'utf8', timeout: 10_000 });
  const files = new Set<string>();
  if (out.status === 0) {
    for (const line of out.stdout.split('\n')) {
      const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
      if (m) files.add(m[1]);
    }
    // "statically linked" binaries need nothing.
    // The loader's cache too: without it, a library found through ld.so.conf would not be found.
    if (files.size > 0 && fs.existsSync('/etc/ld.so.cache')) files.add('/etc/ld.so.cache');
    if (files.size > 0 || /statically linked|not a dynamic executable/.test(out.stdout + out.stderr)) return [...files];
  }
  return ['/lib', '/lib64', '/usr/lib', '/usr/lib64'].filter((d) => fs.existsSync(d));
}

/** Starts `node --version` the way children will be started; returns what went wrong, if anything. */
function probe(plan: IsolationPlan): string | undefined {
  const cmd = childCommand(plan, { runtimeDir: undefined, moduleDir: undefined, uid: plan.ownUids ? SANDBOX_UID_BASE + SANDBOX_UID_COUNT - 1 : undefined, nodeArgs: ['--version'] });
  const out = spawnSync(cmd.file, cmd.args, { encoding: 'utf8', timeout: 10_000, env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
  if (out.status === 0 && out.stdout.trim() === process.version) return undefined;
  const said = (out.stderr || out.stdout || String(out.error ?? `exit ${out.status}`)).trim().split('\n').pop();
  return said || `exit code ${out.status}`;
}

/** What a child is started with, for {@link childCommand}. */
export interface ChildSpec {
  /** The child runtime's folder (bound read-only). */
  runtimeDir: string | undefined;
  /** The compiled submission's folder (bound read-only; the child's working folder). */
  moduleDir: string | undefined;
  /** The sandbox's own uid, when the plan gives each one. */
  uid: number | undefined;
  /** node's arguments (flags, script, its arguments). */
  nodeArgs: string[];
  /** Limit on the whole address space, in MB (kernel-enforced; 0: none). */
  addressSpaceMb?: number;
  /** The descriptor bwrap writes its report to (the pid of the process that runs node). */
  infoFd?: number;
}

/**
 * The command that starts a child: a shell sets the kernel's limits (address space, no files
 * written, no core dumps; processes when the uid is the sandbox's own) and becomes setpriv, which
 * sets the parent-death signal and no-new-privileges (and the uid, as root) and becomes bwrap
 * (namespaces mode) or node. Each step execs the next, so the process the grader started is the
 * one that runs the sandbox, and killing its process group ends it.
 */
export function childCommand(plan: IsolationPlan, spec: ChildSpec): { file: string; args: string[] } {
  const limits: string[] = [];
  if (spec.addressSpaceMb) limits.push(`ulimit -v ${spec.addressSpaceMb * 1024}`);
  limits.push('ulimit -f 0', 'ulimit -c 0');
  // A uid of its own: its process count is its alone (V8 and libuv need a dozen threads).
  if (spec.uid !== undefined) limits.push('ulimit -u 256');
  // A limit the system does not support (macOS has no address-space limit) is skipped, not fatal.
  const shell = `${limits.map((l) => `${l} 2>/dev/null`).join('; ')}; exec "$0" "$@"`;
  const chain: string[] = [];
  if (plan.setpriv) {
    chain.push(plan.setpriv);
    if (spec.uid !== undefined) chain.push(`--reuid=${spec.uid}`, `--regid=${spec.uid}`, '--clear-groups');
    chain.push('--pdeathsig', 'KILL', '--no-new-privs', '--');
  }
  if (plan.mode === 'namespaces' && plan.bwrap) {
    chain.push(plan.bwrap,
      '--unshare-user', '--unshare-pid', '--unshare-net', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
      // (The environment is the grader's choice already: a few variables, nothing of its own.)
      '--die-with-parent', '--new-session', '--as-pid-1',
      '--dev', '/dev', '--proc', '/proc',
      '--ro-bind', plan.node, plan.node);
    if (spec.infoFd !== undefined) chain.push('--info-fd', String(spec.infoFd));
    for (const file of plan.binds) chain.push('--ro-bind', file, file);
    for (const dir of [spec.runtimeDir, spec.moduleDir]) if (dir) chain.push('--ro-bind', dir, dir);
    chain.push('--chdir', spec.moduleDir ?? '/');
  }
  chain.push(plan.node, ...spec.nodeArgs);
  return { file: '/bin/sh', args: ['-c', shell, ...chain] };
}

/** Where the grader keeps the leases of sandbox uids: abstract sockets need no folder, only a prefix. */
const LEASE_PREFIX = `\0ts-lab-kit/sandbox-uid/`;

/**
 * A sandbox uid held by this grader process until released: an abstract Unix socket named after
 * the uid is bound while the lease lasts. The kernel lets one socket hold a name at a time and
 * frees it when its process dies, so two graders on one machine (a batch's workers, two unrelated
 * runs) never hand out the same uid at once, and a grader that was killed leaves no stale lease.
 */
export class UidLease {
  private constructor(
    /** The uid. */
    public readonly uid: number,
    private readonly server: net.Server,
  ) {}

  /** Takes a free uid, trying from a random point of the range (fewer collisions between graders). */
  static async acquire(): Promise<UidLease> {
    const start = Math.floor(Math.random() * SANDBOX_UID_COUNT);
    for (let k = 0; k < 1000; k++) {
      const uid = SANDBOX_UID_BASE + ((start + k) % (SANDBOX_UID_COUNT - 1));
      const server = net.createServer();
      const held = await new Promise<boolean>((resolve) => {
        server.once('error', () => resolve(false));
        server.listen({ path: `${LEASE_PREFIX}${uid}`, exclusive: true }, () => resolve(true));
      });
      if (held) {
        server.unref();
        return new UidLease(uid, server);
      }
      server.close();
    }
    throw new Error('no free sandbox uid after 1000 tries (is something holding the kit\'s uid leases?)');
  }

  /** Gives the uid back; resolves once the name is free again (a socket closes a moment later). */
  release(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Where the kit says which isolation it used: one line for reports and logs. */
export function describeIsolation(isolation: Isolation): string {
  return `isolation: ${isolation.mode} (${isolation.detail})`;
}
