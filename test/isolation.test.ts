/**
 * The operating system's boundary around sandbox children, tried as an attacker who already runs
 * arbitrary code in the child (every JavaScript guard bypassed): a full Node process, without the
 * permission model, started exactly as the grader starts children (isolation.ts childCommand).
 * In `namespaces` and `uid` modes it must not reach a loopback listener (namespaces), signal the
 * grader or a classmate's sandbox, or outlive its parent. Modes this machine cannot provide are
 * skipped, and say so.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { childCommand, detectIsolation, ISOLATION_ENV, UidLease, which, type IsolationMode, type IsolationPlan } from '../grader/sandbox/isolation';

/** The plan for a mode, or why this machine cannot give it. */
function planFor(mode: IsolationMode): IsolationPlan | string {
  try {
    return detectIsolation({ ...process.env, [ISOLATION_ENV]: mode });
  } catch (err) {
    return (err as Error).message;
  }
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Whether bwrap can make a user namespace as an unprivileged user here (then a non-root grader gets namespaces). */
const bwrapWorksUnprivileged = (() => {
  const bwrap = which('bwrap');
  if (!bwrap) return false;
  const args = ['--unshare-user', '--unshare-pid', '--unshare-net', '--ro-bind', '/', '/', 'true'];
  const r = isRoot ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', bwrap, ...args]) : spawnSync(bwrap, args);
  return r.status === 0;
})();

/** What the attacker does, as a script: every attack, each reported as it ended. */
const ATTACK = `
const net = require('net'), dgram = require('dgram'), fs = require('fs');
const [tcpPort, udpPort, graderPid, classmatePid] = process.argv.slice(1).map(Number);
const report = {};
const done = () => { process.stdout.write(JSON.stringify(report)); process.exit(0); };
const attempt = (name, f) => { try { report[name] = f() ?? 'ran'; } catch (e) { report[name] = 'refused: ' + (e.code || e.message); } };
attempt('killGrader', () => process.kill(graderPid, 'SIGKILL'));
attempt('usr1Grader', () => process.kill(graderPid, 'SIGUSR1'));
attempt('killClassmate', () => process.kill(classmatePid, 'SIGKILL'));
attempt('killAll', () => process.kill(-1, 'SIGKILL'));
attempt('processes', () => fs.readdirSync('/proc').filter((d) => /^\\d+$/.test(d)).length);
attempt('passwd', () => fs.readFileSync('/etc/passwd', 'utf8').length);
attempt('writeTmp', () => fs.writeFileSync('/tmp/vg-isolation-escape', 'x'));
const udp = dgram.createSocket('udp4');
udp.on('error', (e) => { report.udp = 'refused: ' + e.code; });
udp.send('escaped', udpPort, '127.0.0.1', (e) => { report.udp = e ? 'refused: ' + e.code : 'sent'; });
const socket = net.connect(tcpPort, '127.0.0.1');
socket.on('connect', () => { report.tcp = 'connected'; socket.end(); });
socket.on('error', (e) => { report.tcp = 'refused: ' + e.code; });
setTimeout(done, 1500);
`;

/** Starts `args` for node the way the grader starts a child in `plan`, as `uid` when given. */
function startLikeAChild(plan: IsolationPlan, dir: string, uid: number | undefined, nodeArgs: string[]): ChildProcess {
  const command = childCommand(plan, { runtimeDir: undefined, moduleDir: dir, uid, addressSpaceMb: 1536, nodeArgs });
  return spawn(command.file, command.args, { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { LANG: 'C.UTF-8' } });
}

function output(child: ChildProcess): Promise<{ stdout: string; stderr: string; code: number | null }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => { stdout += c; });
  child.stderr!.on('data', (c: Buffer) => { stderr += c; });
  return new Promise((resolve) => child.on('close', (code) => resolve({ stdout, stderr, code })));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.each(['namespaces', 'uid'] as const)('%s isolation, attacked from inside the child', (mode) => {
  const plan = planFor(mode);
  if (typeof plan === 'string') {
    // Visible in the results on purpose: the attack tests did not run here, and why.
    test.skip(`skipped: this machine cannot give ${mode} isolation (${plan})`, () => undefined);
    return;
  }
  const p = plan as IsolationPlan;
  let dir: string;
  let tcp: net.Server;
  let udp: dgram.Socket;
  const heard: string[] = [];
  let graderStandIn: ChildProcess;
  let classmate: ChildProcess;
  const leases: UidLease[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-isolation-'));
    fs.chmodSync(dir, 0o755);
    tcp = net.createServer((s) => { heard.push('tcp'); s.destroy(); });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    udp = dgram.createSocket('udp4');
    udp.on('message', () => heard.push('udp'));
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    // The grader's stand-in runs as this test's user (as the grader would), the classmate as a
    // sandbox like the attacker's (its own uid, when the plan gives each one).
    graderStandIn = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const classmateLease = p.ownUids ? await UidLease.acquire() : undefined;
    if (classmateLease) leases.push(classmateLease);
    classmate = startLikeAChild(p, dir, classmateLease?.uid, ['-e', 'setInterval(() => {}, 1000)']);
    await new Promise((r) => setTimeout(r, 300));
  });

  afterAll(() => {
    tcp.close();
    udp.close();
    graderStandIn.kill('SIGKILL');
    try { process.kill(-classmate.pid!, 'SIGKILL'); } catch { /* gone */ }
    for (const l of leases) l.release();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync('/tmp/vg-isolation-escape', { force: true });
  });

  test('reaches no signal target outside, no classmate, and (namespaces) no network and no files', async () => {
    fs.rmSync('/tmp/vg-isolation-escape', { force: true });
    const lease = p.ownUids ? await UidLease.acquire() : undefined;
    if (lease) leases.push(lease);
    const tcpPort = (tcp.address() as net.AddressInfo).port;
    const udpPort = udp.address().port;
    const attacker = startLikeAChild(p, dir, lease?.uid, ['-e', ATTACK, String(tcpPort), String(udpPort), String(graderStandIn.pid), String(classmate.pid)]);
    const { stdout, stderr } = await output(attacker);
    const report = JSON.parse(stdout || '{}') as Record<string, unknown>;
    expect({ stderr, report: Object.keys(report).sort() }).toEqual({ stderr: '', report: ['killAll', 'killClassmate', 'killGrader', 'passwd', 'processes', 'tcp', 'udp', 'usr1Grader', 'writeTmp'] });
    expect(report.killGrader).toMatch(/^refused: (ESRCH|EPERM)$/);
    expect(report.usr1Grader).toMatch(/^refused: (ESRCH|EPERM)$/);
    expect(report.killClassmate).toMatch(/^refused: (ESRCH|EPERM)$/);
    expect(alive(graderStandIn.pid!)).toBe(true);
    expect(alive(classmate.pid!)).toBe(true);
    // No file it writes holds a byte (the kernel's file-size limit is 0). In uid mode it may
    // create an empty file where anyone may (/tmp); in a namespace not even that reaches the host.
    expect(report.writeTmp).toBe('refused: EFBIG');
    if (mode === 'uid' && fs.existsSync('/tmp/vg-isolation-escape')) expect(fs.statSync('/tmp/vg-isolation-escape').size).toBe(0);
    if (mode === 'namespaces') {
      expect(fs.existsSync('/tmp/vg-isolation-escape')).toBe(false);
      // It sees itself alone, no system files, and no network at all.
      expect(report.processes).toBe(1);
      expect(report.passwd).toBe('refused: ENOENT');
      expect(report.tcp).toMatch(/^refused: /);
      // Its datagram goes to its own loopback, never to the host's: the listener hears nothing.
      await new Promise((r) => setTimeout(r, 200));
      expect(heard).toEqual([]);
    }
  });

  test('dies with its parent, even one killed with SIGKILL', async () => {
    // A stand-in grader starts a child that sleeps (no CPU) and is then killed outright.
    const lease = p.ownUids ? await UidLease.acquire() : undefined;
    if (lease) leases.push(lease);
    const command = childCommand(p, { runtimeDir: undefined, moduleDir: dir, uid: lease?.uid, nodeArgs: ['-e', 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000)', 'vg-isolation-sleeper'] });
    const parent = spawn(process.execPath, ['-e', `
      const c = require('child_process').spawn(${JSON.stringify(command.file)}, ${JSON.stringify(command.args)}, { stdio: 'ignore', detached: true });
      setTimeout(() => console.log(c.pid), 500); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'ignore'] });
    const childPid = await new Promise<number>((r) => parent.stdout!.once('data', (d: Buffer) => r(Number(String(d).trim()))));
    const sleepers = (): string => spawnSync('pgrep', ['-f', 'vg-isolation-sleeper'], { encoding: 'utf8' }).stdout.trim();
    expect(alive(childPid)).toBe(true);
    expect(sleepers()).not.toBe('');
    parent.kill('SIGKILL');
    const deadline = Date.now() + 3000;
    while (sleepers() !== '' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(sleepers()).toBe('');
  });
});

describe('a grader that is not root (a laptop, a CI runner)', () => {
  // As root, this test becomes an unprivileged user (nobody, uid 65534) to be one; otherwise it
  // already is one. The grader then picks its own isolation and is attacked from inside a child.
  const setpriv = which('setpriv');
  const canDrop = !isRoot || setpriv !== undefined;
  // Without user namespaces for unprivileged users, a non-root grader isolates weakly: then there
  // is no boundary to attack, and the test says so instead of passing.
  const title = !canDrop ? 'skipped: root without setpriv cannot become an unprivileged user here'
    : !bwrapWorksUnprivileged ? 'skipped: an unprivileged user cannot make user namespaces here, so a non-root grader has only weak isolation (reported as such)'
      : 'it picks namespaces; its children cannot signal it and reach no network';
  (canDrop && bwrapWorksUnprivileged ? test : test.skip)(title, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-nonroot-'));
    fs.chmodSync(dir, 0o755);
    const tcp = net.createServer((c) => { c.destroy(); });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    // A copy the unprivileged user can read: the kit's own build/ may be in a folder it cannot
    // enter (a clone under a mode-0700 home). isolation.js needs only Node's own modules.
    const isolationJs = path.join(dir, 'isolation.js');
    fs.copyFileSync(path.join(__dirname, '..', 'build', 'grader', 'sandbox', 'isolation.js'), isolationJs);
    fs.chmodSync(isolationJs, 0o644);
    const script = `
      const { detectIsolation, childCommand } = require(${JSON.stringify(isolationJs)});
      const { spawn } = require('child_process');
      const plan = detectIsolation();
      // Weak isolation has no boundary to attack (the attack would succeed, by design): say so and stop.
      if (plan.mode === 'weak') { console.log(JSON.stringify({ uid: process.getuid(), mode: plan.mode, report: {} })); process.exit(0); }
      const cmd = childCommand(plan, { runtimeDir: undefined, moduleDir: ${JSON.stringify(dir)}, uid: undefined, addressSpaceMb: 1536,
        nodeArgs: ['-e', ${JSON.stringify(ATTACK)}, '${(tcp.address() as net.AddressInfo).port}', '9', String(process.pid), String(process.pid)] });
      const c = spawn(cmd.file, cmd.args, { cwd: ${JSON.stringify(dir)}, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = ''; c.stdout.on('data', (d) => { out += d; });
      c.on('close', () => console.log(JSON.stringify({ uid: process.getuid(), mode: plan.mode, report: JSON.parse(out || '{}') })));`;
    const argv = isRoot ? [setpriv!, '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script] : [process.execPath, '-e', script];
    const run = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', cwd: dir, timeout: 30_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    tcp.close();
    fs.rmSync(dir, { recursive: true, force: true });
    // It printed, so the attack did not kill it; and what its children tried was refused.
    const said = JSON.parse(run.stdout.trim().split('\n').pop() || '{}') as { uid: number; mode: string; report: Record<string, string> };
    expect(said.uid).not.toBe(0);
    expect(said.mode).toBe('namespaces');
    expect(said.report.killGrader).toMatch(/^refused: (ESRCH|EPERM)$/);
    expect(said.report.usr1Grader).toMatch(/^refused: (ESRCH|EPERM)$/);
    expect(said.report.tcp).toMatch(/^refused: /);
  });
});

describe('the scratch folder', () => {
  test('goes to TMPDIR, unless sandboxes with uids of their own could not reach into it: then /tmp', () => {
    const closed = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-closed-tmp-'));
    fs.chmodSync(closed, 0o700);
    const open = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-open-tmp-'));
    fs.chmodSync(open, 0o755);
    // os.tmpdir() reads the real environment: ask a process that has TMPDIR set.
    const runtimeJs = path.join(__dirname, '..', 'build', 'grader', 'sandbox', 'runtime.js');
    const base = (tmpdir: string, ownUids: boolean): string => spawnSync(process.execPath, ['-e',
      `const { scratchBase } = require(${JSON.stringify(runtimeJs)}); console.log(scratchBase({ mode: 'uid', detail: '', node: '', binds: [], ownUids: ${ownUids} }));`],
    { encoding: 'utf8', env: { ...process.env, TMPDIR: tmpdir } }).stdout.trim();
    try {
      expect(base(closed, true)).toBe('/tmp');
      expect(base(closed, false)).toBe(closed);
      expect(base(open, true)).toBe(open);
    } finally {
      fs.rmSync(closed, { recursive: true, force: true });
      fs.rmSync(open, { recursive: true, force: true });
    }
  });
});

/** Whether another process could take the lease of `uid` now ('free') or not ('busy'). */
function leaseSeenFromAnotherProcess(uid: number): string {
  return spawnSync(process.execPath, ['-e', `
    const net = require('net'); const s = net.createServer();
    s.once('error', () => { console.log('busy'); process.exit(0); });
    s.listen({ path: '\\0ts-lab-kit/sandbox-uid/${uid}', exclusive: true }, () => { console.log('free'); process.exit(0); });`], { encoding: 'utf8' }).stdout.trim();
}

describe('choosing the isolation', () => {
  test('auto picks the strongest mode this machine allows, and never weak for root with setpriv', () => {
    const auto = detectIsolation({ ...process.env, [ISOLATION_ENV]: 'auto' });
    const namespaces = planFor('namespaces');
    if (typeof namespaces !== 'string') expect(auto.mode).toBe('namespaces');
    else if (isRoot && auto.setpriv) expect(auto.mode).toBe('uid');
    else expect(auto.mode).toBe('weak');
    expect(auto.detail.length).toBeGreaterThan(20);
  });

  test('a mode that cannot be had is an error that says why; an unknown one too', () => {
    expect(() => detectIsolation({ [ISOLATION_ENV]: 'sideways' })).toThrow(/takes auto, namespaces, uid or weak/);
    if (!isRoot) expect(() => detectIsolation({ [ISOLATION_ENV]: 'uid' })).toThrow(/not root/);
  });

  test('uid leases are never handed out twice at once, and come back when released', async () => {
    const held = await Promise.all(Array.from({ length: 50 }, () => UidLease.acquire()));
    expect(new Set(held.map((l) => l.uid)).size).toBe(50);
    // Another process cannot take a uid this one holds.
    const taken = held[0].uid;
    expect(leaseSeenFromAnotherProcess(taken)).toBe('busy');
    for (const l of held) l.release();
    await new Promise((r) => setTimeout(r, 50));
    expect(leaseSeenFromAnotherProcess(taken)).toBe('free');
  });
});

describe('the grader keeps its inspector shut', () => {
  /** Starts node with an inspector port ready for SIGUSR1, sends it, and says whether the port opened. */
  async function opensOnSigusr1(preload: string[]): Promise<boolean> {
    const port = await new Promise<number>((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => r(p)); }); });
    const child = spawn(process.execPath, [`--inspect-port=127.0.0.1:${port}`, '-e', `${preload.map((m) => `require(${JSON.stringify(m)});`).join('')} console.log('up'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((r) => child.stdout!.once('data', r));
    child.kill('SIGUSR1');
    await new Promise((r) => setTimeout(r, 700));
    const open = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); r(true); });
      s.on('error', () => r(false));
    });
    const survived = alive(child.pid!);
    child.kill('SIGKILL');
    expect(survived).toBe(true);
    return open;
  }

  test('SIGUSR1 opens no debugger port in a process that loaded the sandbox (it does in a bare node)', async () => {
    expect(await opensOnSigusr1([])).toBe(true);
    expect(await opensOnSigusr1([path.join(__dirname, '..', 'build', 'grader', 'sandbox', 'reaper.js')])).toBe(false);
  });
});
