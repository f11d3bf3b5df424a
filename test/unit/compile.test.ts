import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compile, typeCheck, typeCheckInWorker, TypeChecker } from '../../grader/stages/compile';
import { atPath } from '../../grader/stages/compile-messages';

const solution = fs.readFileSync(path.join(__dirname, '..', '..', 'solutions', 'vanishing-gradients.ts'), 'utf8');

describe('compile', () => {
  test('emits CommonJS beside a package.json, and reports syntax errors with line and column', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-compile-'));
    const ok = await compile(solution, dir);
    expect(ok.ok).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toContain('commonjs');
    const bad = await compile('export function f() {\n  return (1;\n}\n', dir);
    expect(bad).toEqual({ ok: false, errors: ["vanishing-gradients.ts:2:12 - error TS1005: ')' expected.\n\n2 |   return (1;\n  |            ^"] });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a source nested deeper than the compiler can recurse is a compile error, not a fault of the kit', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-compile-'));
    // A tag keeps the disk cache out of it.
    const deep = `// ${process.pid} ${Math.random()}\nexport const x = ${'('.repeat(60_000)}1${')'.repeat(60_000)};\n`;
    const out = await compile(deep, dir);
    expect(out).toEqual({ ok: false, errors: [expect.stringMatching(/nested too deeply for the compiler/)] });
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
  test('in a worker, the same warnings come back', async () => {
    expect(await typeCheckInWorker(solution)).toEqual([]);
    expect(await typeCheckInWorker(solution.replace('return 1 / (1 + Math.exp(-x));', 'const s: string = 1;\n  return 1 / (1 + Math.exp(-x));')))
      .toEqual([expect.stringMatching(/error TS2322/)]);
  });
  test('in a worker, a check that takes too long is stopped and said so; the next check gets a fresh worker', async () => {
    // A source never seen before: a cached result would come back at once.
    const fresh = `${solution}\n// ${process.pid} ${Date.now()} ${Math.random()}\n`;
    expect(await typeCheckInWorker(fresh, 1)).toEqual(['the type check was stopped after 0.001 s; your code was graded without it']);
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
