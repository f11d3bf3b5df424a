/**
 * The sandbox against small compiled modules: values and errors come back as data, and hangs,
 * exits, load failures and oversized replies become failures without taking the grader down.
 * Needs the built child runtime (npm test builds it first).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { streamEnded, type CallOutcome } from '../../grader/sandbox/client';
import { PassThrough } from 'node:stream';
import { testSandboxes } from '../support/sandbox';
import { Opaque } from '../../grader/sandbox/wire';
import { OUTPUT_MARK } from '../../grader/sandbox/protocol';
import { CallClock, cpuMillis, poolVerdict } from '../../grader/sandbox/clock';
import { spawn } from 'node:child_process';

const sandboxes = testSandboxes();
const sandboxFor = sandboxes.sandboxFor;

afterAll(() => sandboxes.dispose());

describe('Sandbox', () => {
  test('calls aside from the tests (the probe) have a wall-clock allowance of their own, and leave the tests\' budgets and functions as they were', async () => {
    const sb = sandboxFor('exports.slow = () => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300); return 1; };');
    expect(await sb.call('slow', [])).toEqual({ kind: 'returned', value: 1 });
    const aside = await sb.aside(() => sb.callEach('slow', Array.from({ length: 8 }, () => [])), 1000);
    // Some calls fit in the second; then the allowance stops the one running and refuses the rest.
    const failed = aside.filter((o) => o.kind === 'failed') as Extract<CallOutcome, { kind: 'failed' }>[];
    expect(aside.length - failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const f of failed) {
      expect(f.reason).toBe('budget');
      expect(f.message).toMatch(/the 1 s that the lab's printout and figures may take/);
    }
    // Afterwards the tests go on as if nothing had run aside: the function is not broken.
    expect(await sb.call('slow', [])).toEqual({ kind: 'returned', value: 1 });
  });

  test('returns values, including the ones JSON cannot hold', async () => {
    const sb = sandboxFor('exports.f = (a) => [a * 2, NaN, -Infinity]; exports.big = () => 12n;');
    const o = await sb.call('f', [21]);
    expect(o.kind).toBe('returned');
    const v = (o as { value: number[] }).value;
    expect(v[0]).toBe(42);
    expect(v[1]).toBeNaN();
    expect(v[2]).toBe(-Infinity);
    expect(await sb.call('big', [])).toEqual({ kind: 'returned', value: new Opaque('bigint', '12n') });
    expect(await sb.exports()).toEqual({ f: 'function', big: 'function' });
  });

  test('says which arguments a call changed in place, and whether it returned one of them itself', async () => {
    const sb = sandboxFor(`
      exports.keeps = (v) => v.map((x) => x * 2);
      exports.scales = (v) => { for (let i = 0; i < v.length; i++) v[i] *= 2; return v; };
      exports.same = (v) => v;
      exports.second = (a, b) => { b.k = [9]; return 0; };
      exports.grows = (v) => { for (let i = 0; i < 1e6; i++) v.push(i); return [1]; };
      exports.reorders = (o) => { const b = o.b; delete o.b; o.b = b; return 1; };
      exports.num = (x) => x;`);
    expect(await sb.call('keeps', [[3, 4]])).toEqual({ kind: 'returned', value: [6, 8] });
    expect(await sb.call('scales', [[3, 4]])).toEqual({ kind: 'returned', value: [6, 8], changed: [0], returnedArgument: 0 });
    expect(await sb.call('same', [[3, NaN]])).toEqual({ kind: 'returned', value: [3, NaN], returnedArgument: 0 });
    expect(await sb.call('second', [[1], { k: [1] }])).toEqual({ kind: 'returned', value: 0, changed: [1] });
    // Grown past what a reply may hold: changed, and the work stays bounded.
    expect(await sb.call('grows', [[1, 2]])).toEqual({ kind: 'returned', value: [1], changed: [0] });
    // The same keys in another order are the same value.
    expect(await sb.call('reorders', [{ a: 1, b: 2 }])).toEqual({ kind: 'returned', value: 1 });
    expect(await sb.call('num', [5])).toEqual({ kind: 'returned', value: 5 });
  });

  test('an argument as large as a request may be is read again whole (a correct function is not flagged), and empty slots reach the function empty', async () => {
    const sb = sandboxFor(`
      exports.sum = (v) => v.reduce((a, b) => a + b, 0);
      exports.kind = (v) => typeof v[1] + ':' + (1 in v) + ':' + v.length;`);
    const big = Array.from({ length: 5000 }, (_, i) => i);
    expect(await sb.call('sum', [big])).toEqual({ kind: 'returned', value: 12497500 });
    // eslint-disable-next-line no-sparse-arrays
    expect(await sb.call('kind', [[1, , 3]])).toEqual({ kind: 'returned', value: 'undefined:false:3' });
  });

  test('reports what was thrown, Errors or not', async () => {
    const sb = sandboxFor(`
      exports.range = () => { throw new RangeError('bad num'); };
      exports.str = () => { throw 'just a string'; };
      exports.evil = () => { const e = new Error('x'); Object.defineProperty(e, 'message', { get() { throw new Error('no'); } }); throw e; };`);
    expect(await sb.call('range', [])).toMatchObject({ kind: 'threw', error: { name: 'RangeError', message: 'bad num' } });
    expect(await sb.call('str', [])).toMatchObject({ kind: 'threw', error: { name: 'string', message: '"just a string"', notAnError: true } });
    expect(await sb.call('evil', [])).toMatchObject({ kind: 'threw', error: { name: 'Error', message: '(its message could not be read)' } });
  });

  test('where an error was thrown is found by the submission\'s file name, which the grader passes (the lab\'s)', async () => {
    const js = 'exports.f = () => {\n  throw new RangeError("no");\n};';
    // The name the grader passes is the lab's (sandboxOptionsFor); the module here is named after it.
    const named = await sandboxFor(js).call('f', []);
    expect(named).toMatchObject({ kind: 'threw', error: { name: 'RangeError', location: expect.stringMatching(/^2:\d+$/) } });
    // Another lab's name: no frame of the module is the submission's, so no line is claimed.
    const other = await sandboxFor(js, { submissionFile: 'another-lab.ts' }).call('f', []);
    expect(other).toMatchObject({ kind: 'threw', error: { name: 'RangeError' } });
    expect((other as { error: { location?: string } }).error.location).toBeUndefined();
  });

  test('a hanging function times out once; later calls to it are skipped; others still work', async () => {
    const sb = sandboxFor('exports.hang = () => { for (;;) {} }; exports.ok = () => 1;', { callTimeoutMs: 300 });
    const first = await sb.call('hang', []);
    expect(first).toMatchObject({ kind: 'failed', reason: 'timeout' });
    const started = Date.now();
    expect(await sb.call('hang', [])).toMatchObject({ kind: 'failed', reason: 'broken-earlier' });
    expect(Date.now() - started).toBeLessThan(200);
    expect(await sb.call('ok', [])).toEqual({ kind: 'returned', value: 1 });
  });

  test('a function whose process ended without a word is skipped after, with a message that reads', async () => {
    const sb = sandboxFor('exports.quits = () => process.reallyExit(0); exports.ok = () => 1;');
    expect(await sb.call('quits', [])).toEqual({ kind: 'failed', reason: 'crash', message: 'the process running your code ended unexpectedly (exit code 0)' });
    expect(await sb.call('quits', [])).toEqual({ kind: 'failed', reason: 'broken-earlier', message: 'not run: an earlier call to quits failed: the process running your code ended unexpectedly (exit code 0)', notRun: true });
    expect(await sb.call('ok', [])).toEqual({ kind: 'returned', value: 1 });
  });

  test('once a call has looped forever, the other functions get the shorter limit', async () => {
    const sb = sandboxFor('const spin = () => { for (;;) {} }; exports.a = spin; exports.b = () => spin(); exports.ok = () => 1;', { callTimeoutMs: 1200, callTimeoutAfterHangMs: 200 });
    expect(await sb.call('a', [])).toMatchObject({ kind: 'failed', reason: 'timeout', message: 'timed out after 1.2 s (an endless loop?)' });
    const started = Date.now();
    expect(await sb.call('b', [])).toMatchObject({ kind: 'failed', reason: 'timeout', message: 'timed out after 0.2 s (an endless loop?)' });
    expect(Date.now() - started).toBeLessThan(1100);
    expect(await sb.call('ok', [])).toEqual({ kind: 'returned', value: 1 });
  });

  test("a reply that waits while the grader's own event loop is busy is not a timeout", async () => {
    // f takes 100 ms; the limit is 300 ms; the grader is busy for 800 ms (jest compiling, say)
    // at the end of a loop turn, so on the next turn the overdue timer fires before the reply,
    // which has been waiting in the pipe since 100 ms, is read.
    const sb = sandboxFor('exports.f = (x) => { const u = Date.now() + 100; while (Date.now() < u) {} return x + 1; };', { callTimeoutMs: 300 });
    expect(await sb.call('f', [0])).toEqual({ kind: 'returned', value: 1 }); // loaded and warm
    const pending = sb.call('f', [1]);
    await new Promise<void>((r) => setImmediate(() => {
      const until = Date.now() + 800;
      while (Date.now() < until) { /* busy */ }
      r();
    }));
    expect(await pending).toEqual({ kind: 'returned', value: 2 });
  });

  test('a call starved of CPU (the machine is busy) is not a timeout; a call that sleeps is, within 5x the limit', async () => {
    const sb = sandboxFor(`
      exports.f = (x) => { const u = Date.now() + 50; while (Date.now() < u) {} return x + 1; };
      exports.sleep = () => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000); return 0; };`, { callTimeoutMs: 300 });
    expect(await sb.call('f', [0])).toEqual({ kind: 'returned', value: 1 });
    // The process that runs node (inside bwrap, not the one the grader spawned).
    const pid = (sb as unknown as { nodePid: number }).nodePid;
    process.kill(pid, 'SIGSTOP'); // as if other processes had every core for 500 ms
    const pending = sb.call('f', [1]);
    await new Promise((r) => setTimeout(r, 500));
    process.kill(pid, 'SIGCONT');
    expect(await pending).toEqual({ kind: 'returned', value: 2 });
    const started = Date.now();
    expect(await sb.call('sleep', [])).toMatchObject({ kind: 'failed', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  test('work handed to libuv\'s thread pool counts as the child\'s CPU time, while its main thread sleeps', async () => {
    // A derivation on the pool, the main thread asleep: the CPU is the process's all the same.
    const burner = spawn(process.execPath, ['-e', `
      require('crypto').pbkdf2('x', 'y', 2e9, 64, 'sha512', () => {});
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30000);`], { env: { ...process.env, UV_THREADPOOL_SIZE: '1' }, stdio: 'ignore' });
    try {
      const pid = burner.pid!;
      const mainOnly = (): number => {
        const stat = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return (Number(f[11]) + Number(f[12])) * 10;
      };
      const until = Date.now() + 20_000;
      while ((cpuMillis(pid) ?? 0) < 300 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(cpuMillis(pid)).toBeGreaterThanOrEqual(300);
      expect(mainOnly()).toBeLessThan(150);
    } finally {
      burner.kill('SIGKILL');
    }
  }, 30_000);

  test('a thread seen before it names itself (it has its process\'s name) is looked at again, not taken for good as not the pool\'s', () => {
    expect(poolVerdict('libuv-worker', 'node')).toBe(true);
    expect(poolVerdict('node', 'node')).toBeUndefined();
    expect(poolVerdict(undefined, 'node')).toBeUndefined();
    expect(poolVerdict('V8 DefaultWorke', 'node')).toBe(false);
  });

  test('a clock that learns its process late (bwrap said which it is after the first look) still counts CPU time, not the wall clock', async () => {
    const sleeper = spawn(process.execPath, ['-e', 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30000)'], { stdio: 'ignore' });
    try {
      const t0 = Date.now();
      const clock = new CallClock(() => (Date.now() - t0 > 100 ? sleeper.pid : undefined));
      await new Promise((r) => setTimeout(r, 1500));
      // Counted from when it was learnt (all of the time before it as CPU, to be safe); a
      // sleeping process adds next to nothing after.
      expect(clock.used()).toBeLessThan(clock.wall() - 500);
      clock.stop();
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  test('the child\'s thread pool has one thread, whatever size the submission asks for before its first use', async () => {
    const sb = sandboxFor(`
      process.env.UV_THREADPOOL_SIZE = '16';
      for (let i = 0; i < 8; i++) crypto.subtle.digest('SHA-256', new Uint8Array(1 << 20));
      exports.f = () => 1;`);
    expect(await sb.call('f', [])).toEqual({ kind: 'returned', value: 1 });
    const pid = (sb as unknown as { nodePid: number }).nodePid;
    const names = fs.readdirSync(`/proc/${pid}/task`).map((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim());
    expect(names.filter((n) => n === 'libuv-worker')).toEqual(['libuv-worker']);
  });

  test('a loop that holds much memory (near the heap limit, not at it) is timed out; a call that fills the heap is out of memory', async () => {
    // 160 MB of doubles kept alive (over HEAP_NEAR_SHARE of a 256 MB heap), then a loop: the grace
    // for a heap collecting near its limit passes, and it is a timeout, not an out-of-memory.
    const sb = sandboxFor(`
      const kept = [];
      exports.hold = () => { kept.push(new Float64Array(20_000_000).fill(1)); for (;;) {} };
      exports.fill = () => { const hoard = []; for (;;) hoard.push(new Array(1_000_000).fill(Math.random())); };`, { callTimeoutMs: 500, memoryMb: 256 });
    const held = await sb.call('hold', []);
    expect(held).toMatchObject({ kind: 'failed', reason: 'timeout' });
    // One that holds as much and answers within that second is still over its time.
    const late = sandboxFor(`exports.slow = () => { const kept = new Float64Array(20_000_000).fill(1); const end = Date.now() + 900; while (Date.now() < end) {} return kept.length; };`, { callTimeoutMs: 300, memoryMb: 256 });
    expect(await late.call('slow', [])).toMatchObject({ kind: 'failed', reason: 'timeout' });
    const sb2 = sandboxFor(`exports.fill = () => { const hoard = []; for (;;) hoard.push(new Array(1_000_000).fill(Math.random())); };`, { callTimeoutMs: 2000, memoryMb: 256 });
    expect(await sb2.call('fill', [])).toMatchObject({ kind: 'failed', reason: 'out-of-memory' });
  });

  test('process.exit inside a call is a failure that says so', async () => {
    const sb = sandboxFor('exports.quit = () => process.exit(0); exports.ok = () => 2;');
    expect(await sb.call('quit', [])).toMatchObject({ kind: 'failed', reason: 'exit', message: 'your code called process.exit(0)' });
    expect(await sb.call('ok', [])).toEqual({ kind: 'returned', value: 2 });
  });

  test('throwing, exiting or looping at load fails every call with the reason', async () => {
    const threw = sandboxFor('throw new TypeError("broken at load");');
    expect(await threw.call('f', [])).toMatchObject({ kind: 'failed', reason: 'load-error', message: expect.stringContaining('TypeError: broken at load') });
    const exited = sandboxFor('process.exit(1);');
    expect(await exited.call('f', [])).toMatchObject({ kind: 'failed', reason: 'load-exit', message: expect.stringContaining('process.exit(1)') });
    const looped = sandboxFor('for (;;) {}', { loadTimeoutMs: 400 });
    expect(await looped.call('f', [])).toMatchObject({ kind: 'failed', reason: 'load-timeout', message: expect.stringContaining('did not finish loading within 0.4 s') });
    expect(await looped.call('g', [])).toMatchObject({ kind: 'failed', reason: 'load-timeout' });
    expect((await looped.call('f', []) as { message: string }).message).toBe('your code did not finish loading within 0.4 s (an endless loop at the top level of your file?)');
    // Sleeping at the top level uses no CPU: stopped after 5x the load's limit of waiting, and told so.
    const slept = sandboxFor('Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);', { loadTimeoutMs: 200 });
    expect(await slept.call('f', [])).toEqual({ kind: 'failed', reason: 'load-timeout', message: 'your code did not finish loading within 1 s of waiting (sleeping or waiting at the top level of your file?)' });
  });

  test('settling the output of a child that is gone leaves no timer behind (a pending one held the grader\'s exit for a second)', async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const exited = sandboxFor('process.exit(1);');
    expect(await exited.call('f', [])).toMatchObject({ kind: 'failed', reason: 'load-exit' });
    const before = timers();
    await exited.settleOutput();
    expect(timers()).toBeLessThanOrEqual(before);
  });

  test('a stream that closed before anyone waited for it counts as ended (a child started ahead may close its output before its Sandbox follows it)', async () => {
    const stream = new PassThrough();
    stream.destroy();
    await new Promise((r) => stream.once('close', r));
    const first = await Promise.race([streamEnded(stream).then(() => 'ended'), new Promise((r) => setTimeout(() => r('still waiting'), 200))]);
    expect(first).toBe('ended');
    const open = new PassThrough();
    const ending = streamEnded(open);
    open.destroy();
    await expect(ending).resolves.toBeUndefined();
  });

  test('a missing export or a non-function export is named', async () => {
    const sb = sandboxFor('exports.notFn = 3;');
    expect(await sb.call('sigmoid', [])).toMatchObject({ kind: 'failed', reason: 'missing-export', message: 'your file does not export a function named sigmoid' });
    expect(await sb.call('notFn', [])).toMatchObject({ kind: 'failed', reason: 'missing-export', message: expect.stringContaining('it is a number') });
  });

  test('replies over the size cap are refused', async () => {
    const sb = sandboxFor('exports.huge = () => "x".repeat(9000).split("");', { maxReplyBytes: 10_000 });
    expect(await sb.call('huge', [])).toMatchObject({ kind: 'failed', reason: 'too-large' });
  });

  test("patching the child's globals does not change what reaches the grader", async () => {
    const sb = sandboxFor(`
      JSON.stringify = () => '{"type":"reply","id":99,"ok":true,"value":1}';
      Array.isArray = () => false;
      exports.f = () => [0.5, NaN];`);
    const o = await sb.call('f', []);
    expect(o.kind).toBe('returned');
    expect((o as { value: number[] }).value[0]).toBe(0.5);
    expect((o as { value: number[] }).value[1]).toBeNaN();
  });

  test("output is attributed to the call that printed it, whichever pipe is read first", async () => {
    const sb = sandboxFor('exports.a = () => { console.log("A"); return 1; }; exports.b = () => { console.error("B"); process.stdout.write("b"); return 2; };');
    for (let i = 0; i < 20; i++) {
      await sb.call('a', []);
      await sb.call('b', []);
    }
    await new Promise((r) => setTimeout(r, 100));
    const out = sb.capturedOutput();
    expect(out.a).toBe('A\n'.repeat(20));
    expect(out.b).toBe('b'.repeat(20) + 'B\n'.repeat(20)); // stdout first, then stderr
    expect(out['(loading)']).toBeUndefined();
  });

  test('stdout and stderr are made when first used (a code that never prints pays for no stream), and routed then, past a setter a submission put on their prototypes', async () => {
    const sb = sandboxFor(`
      exports.streamsLoaded = () => process.moduleLoadList.filter((m) => /internal\\/streams\\/writable/.test(m)).length;
      exports.trap = () => {
        const { Duplex, Writable } = require('stream');
        for (const proto of [Duplex.prototype, Writable.prototype]) {
          Object.defineProperty(proto, 'write', { configurable: true, get: () => () => true, set: () => { throw new Error('trapped'); } });
        }
        console.log('seen'); process.stderr.write('too');
        return 1;
      };`);
    expect(await sb.call('streamsLoaded', [])).toEqual({ kind: 'returned', value: 0 });
    expect(await sb.call('trap', [])).toEqual({ kind: 'returned', value: 1 });
    await new Promise((r) => setTimeout(r, 100));
    expect(sb.capturedOutput().trap).toBe('seen\ntoo');
  });

  test("the student's output is captured per function and capped", async () => {
    const sb = sandboxFor('console.log("loading"); exports.chatty = () => { console.log("y".repeat(5000)); return 1; };', { maxOutputChars: 100 });
    expect(await sb.call('chatty', [])).toEqual({ kind: 'returned', value: 1 });
    await new Promise((r) => setTimeout(r, 100));
    const out = sb.capturedOutput();
    expect(out['(loading)']).toBe('loading\n');
    expect(out.chatty).toMatch(/^y{100}\n… \(\d+ more characters not shown\)$/);
  });
});

describe('Sandbox: what student code cannot reach from inside JavaScript', () => {
  test('modules that run code from strings, open a debugger or reach the network are refused, however asked for', async () => {
    const sb = sandboxFor(`
      const tryIt = (f) => { try { f(); return 'allowed'; } catch (e) { return String(e && e.message); } };
      exports.probe = () => [
        tryIt(() => require('vm').runInThisContext('1')),
        tryIt(() => require('node:v8').setFlagsFromString('--allow-natives-syntax')),
        tryIt(() => require('net')),
        tryIt(() => require('node:child_process')),
        tryIt(() => require('worker_threads')),
        tryIt(() => require('inspector')),
        tryIt(() => require('module').createRequire(__filename)('dgram')),
        tryIt(() => process.getBuiltinModule('node:vm')),
        tryIt(() => process.kill(process.ppid, 'SIGUSR1')),
        tryIt(() => process.binding('fs')),
        typeof fetch, typeof WebSocket,
        tryIt(() => require('fs').readFileSync('/etc/hostname')),
        tryIt(() => require('path').join('a', 'b')),
        tryIt(() => new (require('node:sqlite').DatabaseSync)('/tmp/x.db')),
        tryIt(() => require('os').setPriority(process.ppid, 19)),
        tryIt(() => process.getBuiltinModule('crypto')),
        tryIt(() => require('zlib')),
        typeof WebAssembly,
      ];`);
    const o = await sb.call('probe', []);
    expect(o.kind).toBe('returned');
    const [vm, v8, netModule, cp, workers, inspector, dgram, builtin, kill, binding, fetchType, wsType, readEtc, pathJoin, sqlite, osModule, cryptoModule, zlib, wasm] = (o as { value: string[] }).value;
    // No WebAssembly: its compilation runs on V8's helper threads, which the clock does not count.
    expect(wasm).toBe('undefined');
    for (const [said, name] of [[vm, 'vm'], [v8, 'v8'], [netModule, 'net'], [cp, 'child_process'], [workers, 'worker_threads'], [inspector, 'inspector'], [dgram, 'dgram'], [builtin, 'vm'], [sqlite, 'sqlite'], [osModule, 'os'], [cryptoModule, 'crypto'], [zlib, 'zlib']]) {
      expect(said).toBe(`the module '${name}' is not available while your code is graded (the lab needs none of it)`);
    }
    expect(kill).toBe('process.kill is not available while your code is graded (the lab needs none of it)');
    expect(binding).toMatch(/not available|Access to this API has been restricted|ERR_ACCESS_DENIED/);
    expect([fetchType, wsType]).toEqual(['undefined', 'undefined']);
    expect(readEtc).toMatch(/Access to this API has been restricted|ERR_ACCESS_DENIED/);
    expect(pathJoin).toBe('allowed');
  });

  test('Node\'s internal names of those modules (_http_agent, _tls_wrap, …) are refused too, and replacing Set.prototype.has opens nothing', async () => {
    const sb = sandboxFor(`
      const tryIt = (f) => { try { f(); return 'allowed'; } catch (e) { return String(e && e.message); } };
      exports.probe = () => {
        const internal = [tryIt(() => require('_http_agent')), tryIt(() => require('node:_tls_wrap')), tryIt(() => process.getBuiltinModule('_http_client'))];
        Set.prototype.has = () => false;
        return [...internal, tryIt(() => require('net')), tryIt(() => require('child_process'))];
      };`);
    const o = await sb.call('probe', []);
    expect(o.kind).toBe('returned');
    expect((o as { value: string[] }).value).toEqual(['_http_agent', '_tls_wrap', '_http_client', 'net', 'child_process'].map((name) => `the module '${name}' is not available while your code is graded (the lab needs none of it)`));
  });

  test('a module of more exports than a listing holds (integer keys come first) still has its functions called; an absent one is still missing', async () => {
    const sb = sandboxFor('exports.linspace = () => 7; for (let i = 0; i < 20000; i++) exports[i] = i;');
    expect(await sb.call('linspace', [])).toEqual({ kind: 'returned', value: 7 });
    expect(await sb.call('sigmoid', [])).toEqual({ kind: 'failed', reason: 'missing-export', message: 'your file does not export a function named sigmoid' });
    expect(await sb.call('linspace', [])).toEqual({ kind: 'returned', value: 7 });
  });

  test('a stack that names a line past any real one (written by the submission) is still the submission\'s throw, told as such', async () => {
    const sb = sandboxFor(`
      exports.far = () => { const e = new RangeError('boom'); e.stack = 'RangeError: boom\\n    at far (/x/vanishing-gradients.js:12345678901:1)'; throw e; };
      exports.ok = () => 1;`);
    const o = await sb.call('far', []);
    expect(o).toMatchObject({ kind: 'threw', error: { name: 'RangeError', message: 'boom' } });
    expect(await sb.call('ok', [])).toEqual({ kind: 'returned', value: 1 });
  });

  test('an export getter that throws on the call is that call\'s error, not a way out of the serve loop', async () => {
    const sb = sandboxFor(`
      process.on('uncaughtException', () => { setInterval(() => require('fs').writeSync(4, '{"type":"reply","id":2,"ok":true,"value":42}\\n'), 1); });
      let n = 0;
      Object.defineProperty(exports, 'g', { enumerable: true, get() { if (++n > 1) throw new Error('gotcha'); return () => 1; } });
      exports.ok = () => 7;`);
    expect(await sb.call('g', [])).toMatchObject({ kind: 'threw', error: { name: 'Error', message: 'gotcha' } });
    expect(await sb.call('ok', [])).toEqual({ kind: 'returned', value: 7 });
  });
});

describe('Sandbox: the reply channel carries hostile data', () => {
  const interfered = /^your code wrote to the grader's private channel/;

  test('a forged reply to another call fails that call as the student\'s, and nothing more is run', async () => {
    const sb = sandboxFor(`
      const fs = require('fs');
      exports.forge = () => { fs.writeSync(4, '{"type":"reply","id":999,"ok":true,"value":1}\\n'); return 2; };
      exports.ok = () => 3;`);
    expect(await sb.call('ok', [])).toEqual({ kind: 'returned', value: 3 });
    expect(await sb.call('forge', [])).toMatchObject({ kind: 'failed', reason: 'protocol', message: expect.stringMatching(interfered) });
    expect(await sb.call('ok', [])).toMatchObject({ kind: 'failed', reason: 'protocol', message: expect.stringMatching(interfered) });
  });

  test('a forged ready at load, and a line that is not a message, fail the loading as the student\'s', async () => {
    const forgedReady = sandboxFor(`require('fs').writeSync(4, '{"type":"ready","exports":{"f":"function"}}\\n'); exports.f = () => 1;`);
    const first = await forgedReady.call('f', []);
    // The forged line may be read before or after the real one: either way the student's failure.
    expect(first).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/^(protocol|load-error)$/), message: expect.stringMatching(/wrote to the grader's private channel/) });
    const garbage = sandboxFor(`require('fs').writeSync(4, '{"type":"ready","exports":[1,2,3]}\\n'); exports.f = () => 1;`);
    expect(await garbage.call('f', [])).toMatchObject({ kind: 'failed', reason: 'load-error', message: expect.stringMatching(/^your code wrote to the grader's private channel .* while loading$/) });
  });

  test('a reply nested 400,000 deep is refused without harm to the grader', async () => {
    const sb = sandboxFor(`
      exports.deep = () => { require('fs').writeSync(4, '{"type":"reply","id":1,"ok":true,"value":' + '['.repeat(400000) + ']'.repeat(400000) + '}\\n'); for (;;) {} };`, { maxReplyBytes: 2_000_000 });
    expect(await sb.call('deep', [])).toMatchObject({ kind: 'failed', reason: 'too-large' });
  });

  test('a line over the limits while loading answers nothing: the loading fails as the student\'s, once', async () => {
    const sb = sandboxFor(`require('fs').writeSync(4, '{"type":"reply","id":1,"ok":true,"value":' + '['.repeat(100000) + ']'.repeat(100000) + '}\\n'); exports.f = () => 1;`);
    for (let i = 0; i < 3; i++) {
      expect(await sb.call('f', [])).toMatchObject({ kind: 'failed', reason: 'load-error', message: expect.stringMatching(/wrote to the grader's private channel .* while loading$/) });
    }
  });

  test('an output mark that never ends is the student\'s text, kept within the cap', async () => {
    const sb = sandboxFor(`
      exports.flood = () => { process.stdout.write(${JSON.stringify(OUTPUT_MARK)} + '1'.repeat(5000000)); return 1; };
      exports.ok = () => 2;`, { maxOutputChars: 200 });
    expect(await sb.call('flood', [])).toEqual({ kind: 'returned', value: 1 });
    expect(await sb.call('ok', [])).toEqual({ kind: 'returned', value: 2 });
    await sb.settleOutput();
    const out = sb.capturedOutput().flood;
    expect(out.length).toBeLessThan(300);
    expect(out).toMatch(/… \(\d+ more characters not shown\)$/);
  });
});

describe('Sandbox: wall-clock budgets (code that sleeps uses no CPU)', () => {
  const nap = (ms: number): string => `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms})`;

  // How many calls fit in a budget depends on the machine's load (loading and each call's own
  // overhead count too); what must hold on any machine is the order of outcomes and the bound.
  /** The outcomes, as 'returned' up to the stop, then what came after. */
  const shape = (outcomes: CallOutcome[]): string[] => outcomes.map((o) => o.kind === 'failed' ? `failed:${o.reason}` : o.kind);

  test('calls that each sleep under the limit stop when their function has waited its budget', async () => {
    const sb = sandboxFor(`exports.nap = () => { ${nap(150)}; return 1; }; exports.ok = () => 2;`, { callTimeoutMs: 300, fnWallBudgetMs: 500 });
    const outcomes: CallOutcome[] = [];
    const started = Date.now();
    for (let i = 0; i < 8; i++) outcomes.push(await sb.call('nap', []));
    // Never much past the budget, whatever the load: 500 ms of naps, plus loading and overheads.
    expect(Date.now() - started).toBeLessThan(2500);
    const seen = shape(outcomes);
    const stop = seen.indexOf('failed:budget');
    expect(stop).toBeGreaterThanOrEqual(1);
    expect(stop).toBeLessThanOrEqual(4);
    expect(seen).toEqual([...Array(stop).fill('returned'), 'failed:budget', ...Array(7 - stop).fill('failed:broken-earlier')]);
    expect(outcomes[stop]).toMatchObject({ message: 'was stopped: the calls to nap took 0.5 s in all, the most they may (waiting and sleeping count)' });
    // Another function is not touched by nap's budget.
    expect(await sb.call('ok', [])).toEqual({ kind: 'returned', value: 2 });
  });

  test('the whole submission stops at its budget, across functions', async () => {
    // 2 s for 12 naps of 0.2 s: room for both functions to answer first, even when the load (which
    // counts too) is slow on a busy machine.
    const sb = sandboxFor(`exports.a = () => { ${nap(200)}; return 1; }; exports.b = () => { ${nap(200)}; return 2; };`, { callTimeoutMs: 1000, submissionBudgetMs: 2000 });
    const got: CallOutcome[] = [];
    const started = Date.now();
    for (let i = 0; i < 6; i++) got.push(await sb.call('a', []), await sb.call('b', []));
    expect(Date.now() - started).toBeLessThan(5000);
    const seen = shape(got);
    const stop = seen.findIndex((s) => s !== 'returned');
    expect(stop).toBeGreaterThanOrEqual(2);
    expect(seen[stop]).toBe('failed:budget');
    // Stopped in the middle of a call, or (the budget spent just before it) refused at its start.
    expect(got[stop]).toMatchObject({ message: expect.stringMatching(/^(was stopped: your code used up|not run: your code has used up) the 2 s that grading one submission may take/) });
    // Every call after it, to either function, is refused with the submission's budget.
    for (const o of got.slice(stop + 1)) {
      expect(o).toMatchObject({ kind: 'failed', message: expect.stringMatching(/^not run: (your code has used up the 2 s|.* in an earlier test$)/) });
    }
    expect(got[got.length - 1]).toMatchObject({ kind: 'failed', reason: 'budget', message: expect.stringMatching(/^not run: your code has used up the 2 s that grading one submission may take/) });
  });
});

describe('where an error was thrown, in the student\'s lines', () => {
  test('a line the source map covers is the TypeScript\'s; code the transpiler added (its helpers) names no line rather than a wrong one', async () => {
    const { compile } = await import('../../grader/stages/compile');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-mapped-'));
    // `using` on a value with no dispose method throws inside esbuild's helper, not on a line of the file.
    const source = `// ${process.pid} ${Math.random()}\n\nexport function own(): number {\n  throw new RangeError('here');\n}\n\nexport function helper(x: unknown): number {\n  using r = x as Disposable;\n  return 1;\n}\n`;
    const out = await compile(source, dir);
    if (!out.ok) throw new Error(out.errors.join('\n'));
    const sb = sandboxFor(fs.readFileSync(out.modulePath, 'utf8'));
    const own = await sb.call('own', []);
    expect(own).toMatchObject({ kind: 'threw', error: { name: 'RangeError', location: expect.stringMatching(/^4:\d+$/) } });
    const helper = await sb.call('helper', [5]);
    expect(helper.kind).toBe('threw');
    expect((helper as Extract<CallOutcome, { kind: 'threw' }>).error.location).toBeUndefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
