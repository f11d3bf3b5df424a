import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compile, CompilerProcess, typeCheckInWorker, TypeChecker } from '../../grader/stages/compile';
import { typeCheck } from '../../grader/stages/compile-jobs';
import { atPath } from '../../grader/stages/compile-messages';
import { sanitize } from '../../grader/report/sanitize';
import { stoppedWhy } from '../../grader/stages/transpile-job';
import { KIT_ROOT } from '../../grader/lib/paths';
import { which } from '../../grader/sandbox/isolation';
import { MAX_SUBMISSION_BYTES } from '../../grader/stages/intake';

const solution = fs.readFileSync(path.join(__dirname, '..', '..', 'solutions', 'vanishing-gradients.ts'), 'utf8');

/** A tag that keeps the disk caches out of a test: a source never seen before. */
const fresh = (): string => `\n// ${process.pid} ${Date.now()} ${Math.random()}\n`;

/**
 * Types that double a string literal 27 times, four times over: four strings of 256 MB each that
 * the checker flattens in one allocation. In a worker thread with a 768 MB heap limit this made V8
 * abort the whole grader ("FATAL ERROR: Reached heap limit Allocation failed", SIGABRT, exit 134).
 */
const TYPE_BOMB = `type Grow<S extends string, N extends unknown[]> = N['length'] extends 27 ? S : Grow<\`\${S}\${S}\`, [...N, 0]>;
export const a: Grow<'ab', []> = 'ab';
export const b: Grow<'cd', []> = 'cd';
export const c: Grow<'ef', []> = 'ef';
export const d: Grow<'gh', []> = 'gh';
`;

const MEMORY_WARNING = /^the type check was stopped: your types needed more than \d+ MB; your code was graded without it$/;

/** Whether a process is gone (or dead, unreaped), or no longer the one we knew (its pid reused). */
function gone(pid: number, marker: string): boolean {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !cmdline.includes(marker) || /^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return true;
  }
}

/** Waits, polling, until `ok` holds or `maxMs` passes; says which. */
async function waitFor(ok: () => boolean, maxMs: number): Promise<boolean> {
  for (const until = Date.now() + maxMs; Date.now() < until;) {
    if (ok()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return ok();
}

/** Starts `node -e script` in a temp folder; resolves with its exit and output. */
function runScript(dir: string, script: string, onLine?: (line: string, kill: () => void) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }> {
  const file = path.join(dir, 'stand-in.js');
  fs.writeFileSync(file, script);
  const proc = spawn(process.execPath, [file], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (text: string) => {
    out += text;
    if (onLine && text.includes('\n')) for (const line of text.split('\n').filter(Boolean)) onLine(line, () => proc.kill('SIGKILL'));
  });
  return new Promise((resolve) => proc.on('close', (code, signal) => resolve({ code, signal, out })));
}

const BUILT_COMPILE = JSON.stringify(path.join(KIT_ROOT, 'build', 'grader', 'stages', 'compile.js'));

describe('compile', () => {
  test('emits CommonJS beside a package.json, and reports syntax errors with line and column', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-compile-'));
    const ok = await compile(solution, dir);
    expect(ok.ok).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toContain('commonjs');
    const bad = await compile('export function f() {\n  return (1;\n}\n', dir);
    expect(bad).toEqual({ ok: false, errors: ['vanishing-gradients.ts:2:12 - error: Expected ")" but found ";"\n\n2 |   return (1;\n  |            ^'] });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the transpile is esbuild\'s, in strict mode, with a source map; TypeScript is not loaded for it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-compile-'));
    const out = await compile(`${fresh()}export function f(x: number): number {\n  total = x;\n  return x;\n}\n`, dir);
    expect(out.ok).toBe(true);
    const js = fs.readFileSync((out as { modulePath: string }).modulePath, 'utf8');
    // Strict: an undeclared variable throws, as in TypeScript's own output, instead of making a global.
    expect(js.startsWith('"use strict";')).toBe(true);
    expect(js).toMatch(/\/\/# sourceMappingURL=data:application\/json;base64,/);
    // The transpile's job loads esbuild, not TypeScript (the rare file with `export =` aside).
    const job = JSON.stringify(path.join(KIT_ROOT, 'build', 'grader', 'stages', 'transpile-job.js'));
    const probe = (tail: string): { ok: boolean; typescript: boolean; esbuild: boolean } => JSON.parse(execFileSync(process.execPath, ['-e',
      `const out = require(${job}).transpile(${JSON.stringify(solution)} + ${JSON.stringify(tail)});
       const loaded = (re) => Object.keys(require.cache).some((k) => re.test(k));
       console.log(JSON.stringify({ ok: typeof out.js === 'string', typescript: loaded(/node_modules[\\\\/]typescript[\\\\/]/), esbuild: loaded(/node_modules[\\\\/]esbuild[\\\\/]/) }));`,
    ], { cwd: KIT_ROOT, encoding: 'utf8' })) as { ok: boolean; typescript: boolean; esbuild: boolean };
    expect(probe('\n')).toEqual({ ok: true, typescript: false, esbuild: true });
    expect(probe('\nexport = { sigmoid };\n')).toEqual({ ok: true, typescript: true, esbuild: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a column counts characters as editors do, not bytes; a message\'s notes name their lines', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-compile-'));
    const out = await compile(`const s = "ééé😀"; let x = (1;\n${fresh()}`, dir);
    // The ';' is the 30th character of the line (the emoji is two UTF-16 units, as editors count it), 35th byte.
    expect(out).toEqual({ ok: false, errors: ['vanishing-gradients.ts:1:30 - error: Expected ")" but found ";"\n\n1 | const s = "ééé😀"; let x = (1;\n  |                              ^'] });
    const twice = await compile(`let x = 1;\nlet x = 2;\n${fresh()}`, dir);
    expect(twice).toEqual({ ok: false, errors: ['vanishing-gradients.ts:2:5 - error: The symbol "x" has already been declared\n\n2 | let x = 2;\n  |     ^\n  vanishing-gradients.ts:1:5: The symbol "x" was originally declared here'] });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the excerpt shows a NEL, a bidi override and other hidden characters escaped, on one line, with the caret under its column', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-compile-'));
    // U+0085 (NEL) is no line break in TypeScript, but a terminal or a sanitizer may take it for one;
    // U+202E reorders what follows it. The ';' is the 30th character (UTF-16) of the line.
    const out = await compile(`const s = "a\u0085b\u202ec"; let x = (1;\n${fresh()}`, dir);
    expect(out.ok).toBe(false);
    const [message] = (out as { errors: string[] }).errors;
    expect(message.split('\n')).toEqual([
      'vanishing-gradients.ts:1:30 - error: Expected ")" but found ";"',
      '',
      '1 | const s = "a\\u0085b\\u202ec"; let x = (1;',
      '  |                                        ^',
    ]);
    // Through the report's sanitizer, it stays as it is (nothing left to turn into a line break).
    expect(sanitize(message)).toBe(message);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('CommonJS-isms that TypeScript\'s output ran still run (the type check warns): such a file is transpiled by TypeScript', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-compile-'));
    const names = 'linspace, sigmoid, sigmoidGradient, tangent, simulateDecay';
    for (const [i, tail] of [`export = { ${names} };`, 'module.exports.sigmoid = (x: number) => 1 / (1 + Math.exp(-x));', 'exports.extra = 1;'].entries()) {
      const sub = path.join(dir, String(i));
      fs.mkdirSync(sub);
      const out = await compile(`${solution}\n${tail}\n${fresh()}`, sub);
      expect(out.ok).toBe(true);
      const js = fs.readFileSync((out as { modulePath: string }).modulePath, 'utf8');
      // The module loads, and its functions are there (esbuild's getters refused the writes).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const loaded = require((out as { modulePath: string }).modulePath) as Record<string, (x: number) => number>;
      expect(loaded.sigmoid(0)).toBe(0.5);
      expect(js).toMatch(/\/\/# sourceMappingURL=data:application\/json;base64,/);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a source map comment of the file\'s own is not read: error lines stay the file\'s', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-compile-'));
    const fake = Buffer.from(JSON.stringify({ version: 3, sources: ['elsewhere.ts'], names: [], mappings: 'AAAA;AAAA;AAAA' })).toString('base64');
    const out = await compile(`${solution}\n${fresh()}//# sourceMappingURL=data:application/json;base64,${fake}\n`, dir);
    expect(out.ok).toBe(true);
    const js = fs.readFileSync((out as { modulePath: string }).modulePath, 'utf8');
    const map = JSON.parse(Buffer.from(/sourceMappingURL=data:application\/json;base64,(\S+)\s*$/.exec(js)![1], 'base64').toString('utf8')) as { sources: string[] };
    expect(map.sources).toEqual(['vanishing-gradients.ts']);
    // A broken map of the file's own is no compile error either.
    expect((await compile(`${solution}\n${fresh()}//# sourceMappingURL=data:,\n`, dir)).ok).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a message names only the student\'s file: a note about the kit\'s settings is left out', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-compile-'));
    const out = await compile(`export const a = 010;\n${fresh()}`, dir);
    expect(out).toEqual({ ok: false, errors: ['vanishing-gradients.ts:1:18 - error: Legacy octal literals cannot be used in strict mode\n\n1 | export const a = 010;\n  |                  ^~~'] });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('nesting as deep as the intake\'s size allows is transpiled or is the student\'s compile error, never a fault of the kit; the next job gets a fresh child', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-compile-'));
    // Brackets: arrays, which no transpiler folds away. esbuild's parser recurses and its stack
    // grows; its process inherits the child's address space, and at the deepest it may stop there.
    // (Node's own parser may refuse to load what it transpiles: the sandbox's load error.)
    const nested = (depth: number): string => `${fresh()}export const x = ${'['.repeat(depth)}1${']'.repeat(depth)};\n`;
    expect((await compile(nested(30_000), dir)).ok).toBe(true);
    const deepest = nested(Math.floor((MAX_SUBMISSION_BYTES - 100) / 2));
    expect(Buffer.byteLength(deepest)).toBeLessThanOrEqual(MAX_SUBMISSION_BYTES);
    const out = await compile(deepest, dir);
    if (!out.ok) expect(out.errors).toEqual([expect.stringMatching(/^vanishing-gradients\.ts could not be compiled: (the compiler stopped on it \(.+\): simplify it \(brackets or expressions nested thousands of levels deep do this\)|compiling it needed more memory than the compiler may have \(\d+ MB\))$/)]);
    expect((await compile(solution + fresh(), dir)).ok).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('esbuild\'s process dying is said in one line: the Go runtime\'s verdict, never its command line or stack dump', () => {
    const dump = 'Command failed: /kit/node_modules/@esbuild/linux-x64/bin/esbuild --service=0.28.2\nruntime: out of memory: cannot allocate 536870912-byte block (276529152 in use)\nfatal error: out of memory\n\nruntime stack:\nruntime.throw({0xa9c28d?})\n\truntime/panic.go:1229 +0x48\n';
    expect(stoppedWhy(new Error(dump))).toBe('esbuild\'s process stopped: out of memory');
    expect(stoppedWhy(new Error('Command failed: /kit/node_modules/@esbuild/linux-x64/bin/esbuild --service=0.28.2\n'))).toBe('esbuild\'s process stopped');
    expect(stoppedWhy(new Error('The service was stopped\n    at x (y.js:1:2)'))).toBe('The service was stopped');
    expect(stoppedWhy('plain')).toBe('plain');
  });

  test('a transpile over its time is stopped, its child ended, and the next job gets a fresh one', async () => {
    const child = new CompilerProcess('transpile');
    expect(await child.run(solution, 1)).toEqual({ ok: false, why: 'timeout', message: 'longer than 0.001 s' });
    expect(await child.run(solution, 60_000)).toEqual({ ok: true, value: { js: expect.stringContaining('function sigmoid') } });
    child.close();
  });

  test('a compiler process the kit cannot start is a fault of the kit, not a compile error, and a type-check warning that says so', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-compile-'));
    const script = path.join(dir, 'no-such-compile-child.js');
    await expect(compile(solution + fresh(), dir, new CompilerProcess('transpile', {}, script)))
      .rejects.toThrow(/^the compiler could not be run \(the compiler's process exited with code 1 before it was ready: /);
    const checker = new TypeChecker({ script });
    expect(await checker.check(solution + fresh())).toEqual([expect.stringMatching(/^the type check could not be run, a fault of the grader, not of your code \(.*\); your code was graded without it$/)]);
    checker.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the transpile runs off the main thread: timers on the main thread keep firing while it works', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-compile-'));
    const long = `// ${process.pid} ${Math.random()}\nexport const x = ${Array.from({ length: 8_000 }, () => '1').join(' + ')};\n`;
    let ticks = 0;
    const timer = setInterval(() => { ticks++; }, 5);
    const started = Date.now();
    const out = await compile(long, dir);
    clearInterval(timer);
    expect(out.ok).toBe(true);
    // The main thread was free: the interval fired about as often as the compile took 5 ms steps.
    expect(ticks).toBeGreaterThanOrEqual(Math.floor((Date.now() - started) / 5 / 4));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('typeCheck', () => {
  test('the solution has no warnings', () => {
    expect(typeCheck(solution)).toEqual([]);
  });
  test('type errors and signatures that differ from the exercise are warnings', () => {
    const warnings = typeCheck(solution.replace('export function sigmoid(x: number): number {', 'export function sigmoid(x: string): number {\n  const n: number = "one";'));
    expect(warnings).toEqual(expect.arrayContaining([
      expect.stringMatching(/^sigmoid does not match the exercise's signature/),
      expect.stringMatching(/error TS2322: Type 'string' is not assignable to type 'number'/),
    ]));
  });
  test('console is available, as it is in the sandbox', () => {
    expect(typeCheck(solution.replace('return 1 / (1 + Math.exp(-x));', 'console.log(x);\n  return 1 / (1 + Math.exp(-x));'))).toEqual([]);
  });
  test('in the checker\'s child process, the same warnings come back', async () => {
    expect(await typeCheckInWorker(solution)).toEqual([]);
    expect(await typeCheckInWorker(solution.replace('return 1 / (1 + Math.exp(-x));', 'const s: string = 1;\n  return 1 / (1 + Math.exp(-x));')))
      .toEqual([expect.stringMatching(/error TS2322/)]);
  });
  test('in the checker\'s child process, a check that takes too long is stopped and said so; the next check gets a fresh child', async () => {
    // A source never seen before: a cached result would come back at once. And one that takes
    // the checker a second or more: the solution alone, checked by a warm checker in a few ms,
    // could be answered before a loop slowed by a busy machine ran the 1 ms timer.
    const fresh = `${solution}\n// ${process.pid} ${Date.now()} ${Math.random()}\n`;
    const slow = `${fresh}${Array.from({ length: 4000 }, (_, i) => `export function f${i}(x: number): number[] { return [x, ${i}].map((y) => y * 2).filter((y) => y > 0); }`).join('\n')}\n`;
    expect(await typeCheckInWorker(slow, 1)).toEqual(['the type check was stopped after 0.001 s; your code was graded without it']);
    expect(await typeCheckInWorker(`${fresh}const late: string = 2;\n`)).toEqual([expect.stringMatching(/error TS2322/)]);
  });
  test('a type check that needs too much memory is stopped and said so', async () => {
    const checker = new TypeChecker();
    // Ten thousand object types of ten thousand properties each: gigabytes, if it were let.
    const bomb = `// ${process.pid} ${Math.random()}
type U = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h' | 'i' | 'j';
type K = \`\${U}\${U}\${U}\${U}\`;
type Big = { [k in K]: { [j in K]: k } };
type All = Big[K][K];
export const x: All = 'aaaa';
`;
    const warnings = await checker.check(bomb, 60_000);
    checker.close();
    expect(warnings).toEqual([expect.stringMatching(/^the type check was stopped: your types needed more than \d+ MB; your code was graded without it$/)]);
  });

  test('types that made V8 abort the whole grader in a worker thread stop only the checker\'s child: a warning', async () => {
    const checker = new TypeChecker();
    expect(await checker.check(TYPE_BOMB + fresh(), 120_000)).toEqual([expect.stringMatching(MEMORY_WARNING)]);
    expect(await checker.check(`${solution}${fresh()}const late: string = 2;\n`)).toEqual([expect.stringMatching(/error TS2322/)]);
    checker.close();
  });

  test('a crashed checker is replaced: the next check works, in a new process', async () => {
    const checker = new TypeChecker({ limits: { heapMb: 256 } });
    expect(await checker.check(solution + fresh())).toEqual([]);
    const first = checker.pid;
    expect(first).toBeDefined();
    expect(await checker.check(TYPE_BOMB + fresh(), 120_000)).toEqual(['the type check was stopped: your types needed more than 256 MB; your code was graded without it']);
    expect(checker.pid).toBeUndefined();
    expect(await checker.check(`${solution}${fresh()}const late: string = 2;\n`)).toEqual([expect.stringMatching(/error TS2322/)]);
    expect(checker.pid).toBeDefined();
    expect(checker.pid).not.toBe(first);
    checker.close();
  });

  test('a check over the CPU-time limit of its process is stopped by the kernel (SIGXCPU) and said so', async () => {
    // Ten thousand object types of ten thousand properties: seconds of CPU, against one second.
    const checker = new TypeChecker({ limits: { cpuSeconds: 1 } });
    const slow = `${fresh()}type U = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h' | 'i' | 'j';
type K = \`\${U}\${U}\${U}\${U}\`;
type Big = { [k in K]: { [j in K]: k } };
export const x: Big[K][K] = 'aaaa';
`;
    expect(await checker.check(slow, 120_000)).toEqual(['the type check was stopped: it used more than 1 s of CPU time; your code was graded without it']);
    checker.close();
  });

  test('one warm checker, many sources: each gets its own warnings, none leak into the next', async () => {
    const checker = new TypeChecker();
    const tag = `// ${process.pid} ${Date.now()} ${Math.random()}\n`;
    const broken = `${solution}${tag}export const n: number = "one";\n`;
    const results = await Promise.all([checker.check(solution + tag), checker.check(broken), checker.check(`${solution}${tag}// again\n`)]);
    checker.close();
    expect(results[0]).toEqual([]);
    expect(results[1]).toEqual([expect.stringMatching(/error TS2322/)]);
    expect(results[2]).toEqual([]);
  });
});

describe('compiler messages as tsc gives them', () => {
  test('the whole chain of an overload error, the line of code and a caret under the span', () => {
    const source = 'export function f(xs: number[]): number {\n  return xs.reduce((a: string, b: number) => a + b, 0);\n}\n';
    const [w] = typeCheck(source).filter((m) => /TS2769/.test(m));
    const lines = w.split('\n');
    expect(lines[0]).toMatch(/^vanishing-gradients\.ts:2:\d+ - error TS2769: No overload matches this call\.$/);
    // The reasons follow, indented as tsc indents them.
    expect(lines.filter((l) => /^ {2}Overload \d of \d/.test(l)).length).toBeGreaterThanOrEqual(2);
    expect(lines.filter((l) => /^ {4}\S/.test(l)).length).toBeGreaterThanOrEqual(2);
    const code = lines.indexOf('2 |   return xs.reduce((a: string, b: number) => a + b, 0);');
    expect(code).toBeGreaterThan(0);
    const column = Number(/:2:(\d+) /.exec(lines[0])![1]);
    // The caret sits under the column the location names.
    expect(lines[code + 1].indexOf('^') - '2 | '.length).toBe(column - 1);
  });

  test('a long line is cut around the caret; tabs stay tabs under the code', () => {
    const pad = 'x'.repeat(300);
    const source = `export const s = '${pad}';\n\tconst y: string = 1; export { y };\n`;
    const messages = typeCheck(source);
    const tab = messages.find((m) => m.includes(':2:'))!;
    expect(tab.split('\n').slice(-1)[0]).toBe('  | \t      ^');
    const long = typeCheck(`export const s: number = '${pad}';\n`)[0].split('\n');
    expect(long[2].length).toBeLessThanOrEqual(130);
    expect(long[2]).toContain('…');
  });

  test('locations name the file as the student would click it', () => {
    const message = "vanishing-gradients.ts:3:5 - error TS2322: x\n\n3 | a\n  | ^\n  vanishing-gradients.ts:1:1: declared here";
    expect(atPath(message, 'vanishing-gradients.ts', 'exercises/vanishing-gradients.ts'))
      .toBe("exercises/vanishing-gradients.ts:3:5 - error TS2322: x\n\n3 | a\n  | ^\n  exercises/vanishing-gradients.ts:1:1: declared here");
    // Text that merely mentions the name is left alone.
    expect(atPath('see vanishing-gradients.ts', 'vanishing-gradients.ts', 'exercises/vanishing-gradients.ts')).toBe('see vanishing-gradients.ts');
  });
});

describe('compiler processes and the grader\'s life', () => {
  test('idle compiler children do not hold the grader open: a script that compiles and checks once ends by itself', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-compile-idle-'));
    const script = `const c = require(${BUILT_COMPILE});
const source = ${JSON.stringify(solution + fresh())};
c.compile(source, ${JSON.stringify(dir)}).then(async (out) => {
  const warnings = await c.typeCheckInWorker(source + 'const s: string = 1;\\n');
  console.log(JSON.stringify({ ok: out.ok, warnings: warnings.length }));
});
`;
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      runScript(dir, script),
      // Far longer than it needs; a script held open by its children never ends.
      new Promise<'held open'>((r) => { timer = setTimeout(() => r('held open'), 60_000); }),
    ]);
    clearTimeout(timer);
    expect(ended).toEqual({ code: 0, signal: null, out: '{"ok":true,"warnings":1}\n' });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a transpiler started ahead serves the first job in the same process, and idle it holds nothing open: a script that only starts one ends by itself', async () => {
    const child = new CompilerProcess('transpile');
    child.warm();
    const pid = child.pid;
    expect(pid).toBeDefined();
    child.warm(); // a second call starts nothing more
    expect(child.pid).toBe(pid);
    expect(await child.run(solution + fresh(), 60_000)).toEqual({ ok: true, value: { js: expect.stringContaining('function sigmoid') } });
    expect(child.pid).toBe(pid);
    child.close();

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-compile-warm-'));
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      runScript(dir, `require(${BUILT_COMPILE}).warmTranspiler(); console.log('started');\n`),
      new Promise<'held open'>((r) => { timer = setTimeout(() => r('held open'), 60_000); }),
    ]);
    clearTimeout(timer);
    expect(ended).toEqual({ code: 0, signal: null, out: 'started\n' });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const setpriv = which('setpriv');
  test(`no compiler child outlives a grader killed by SIGKILL: the idle one ends with its job pipe${setpriv ? ', the busy (here: stopped) one by its parent-death signal' : ' (setpriv is not installed: the busy one is not tested)'}`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-compile-kill-'));
    // The checker is stopped (SIGSTOP) in the middle of a job: it can neither finish nor read the
    // end of its pipe. Only the kernel's parent-death signal can end it.
    const script = `const c = require(${BUILT_COMPILE});
const transpiler = new c.CompilerProcess('transpile');
c.compile(${JSON.stringify(solution + fresh())}, ${JSON.stringify(dir)}, transpiler).then(() => {
  const checker = new c.TypeChecker();
  void checker.check(${JSON.stringify(TYPE_BOMB + fresh())}, 600000);
  // Stopped once node runs (the shell and setpriv before it have exec'd into it).
  const running = () => { try { return require('fs').readFileSync('/proc/' + checker.pid + '/cmdline', 'utf8').includes('compile-child.js'); } catch { return false; } };
  const stop = setInterval(() => {
    if (!running()) return;
    clearInterval(stop);
    ${setpriv ? 'process.kill(checker.pid, "SIGSTOP");' : ''}
    console.log(JSON.stringify({ transpiler: transpiler.pid, checker: ${setpriv ? 'checker.pid' : 'undefined'} }));
  }, 10);
  setInterval(() => undefined, 1000);
});
`;
    let pids: { transpiler: number; checker?: number } | undefined;
    const ended = await runScript(dir, script, (line, kill) => {
      pids = JSON.parse(line) as typeof pids;
      kill();
    });
    expect(ended.signal).toBe('SIGKILL');
    expect(pids?.transpiler).toEqual(expect.any(Number));
    const children = [pids!.transpiler, ...(pids!.checker ? [pids!.checker] : [])];
    // Generous: a busy machine is slow to deliver; a child that survives never goes.
    expect(await waitFor(() => children.every((pid) => gone(pid, 'compile-child.js')), 30_000)).toBe(true);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
