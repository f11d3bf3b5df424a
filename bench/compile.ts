/**
 * What running the compiler in child processes costs on the warm path: the median time of a type
 * check and of a transpile of the solution (each source new, so that the disk caches miss), on a
 * checker and a transpiler already started and warmed by one job; and the first job of each (the
 * child's start and the compiler's load). The transpiler is measured both ways the kit starts it:
 * for one file (a grade: esbuild without its worker thread) and for many (a batch worker, npm run
 * dev: with it). `--build DIR` measures another build of the kit (a copy
 * of an older build/, to compare before and after in one sitting).
 * Run: npm run bench:compile [-- --runs N] [--build DIR]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

type CompileModule = {
  compile(source: string, outDir: string, via?: unknown): Promise<{ ok: boolean }>;
  /** (Builds since esbuild's worker thread became a choice: a transpiler for one source or many.) */
  newTranspiler?: (many: boolean) => { close(): void };
  TypeChecker: new () => { check(source: string): Promise<string[]>; close(): void };
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await f();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const option = (name: string): string | undefined => (argv.indexOf(name) >= 0 ? argv[argv.indexOf(name) + 1] : undefined);
  const runs = Number(option('--runs') ?? 15);
  const build = path.resolve(option('--build') ?? path.join(__dirname, '..', 'build'));
  const kit = require(path.join(build, 'grader', 'stages', 'compile.js')) as CompileModule;
  const solution = fs.readFileSync(path.join(__dirname, '..', 'solutions', 'vanishing-gradients.ts'), 'utf8');
  let n = 0;
  const fresh = (): string => `${solution}\n// bench ${process.pid} ${Date.now()} ${n++}\n`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-bench-compile-'));
  try {
    const checker = new kit.TypeChecker();
    const firstCheck = await timed(() => checker.check(fresh()));
    // The transpiler as a grade of one file has it (esbuild without its worker thread) and as a
    // batch worker or npm run dev has it (with it); a build from before that choice has one kind.
    const kinds = kit.newTranspiler ? [{ name: 'one file (a grade)', via: kit.newTranspiler(false) }, { name: 'many (a batch, npm run dev)', via: kit.newTranspiler(true) }] : [{ name: 'this build\'s', via: undefined }];
    const firsts = [];
    for (const k of kinds) firsts.push(await timed(() => kit.compile(fresh(), dir, k.via)));
    const checks: number[] = [];
    const transpiles: number[][] = kinds.map(() => []);
    for (let i = 0; i < runs; i++) {
      checks.push(await timed(() => checker.check(fresh())));
      for (const [j, k] of kinds.entries()) transpiles[j].push(await timed(() => kit.compile(fresh(), dir, k.via)));
    }
    checker.close();
    for (const k of kinds) (k.via as { close(): void } | undefined)?.close();
    const ms = (x: number): string => `${x.toFixed(1)} ms`;
    console.log(`build: ${build}`);
    console.log(`first type check (start + load + lib files): ${ms(firstCheck)}`);
    console.log(`warm type check, median of ${runs}: ${ms(median(checks))} (min ${ms(Math.min(...checks))})`);
    for (const [j, k] of kinds.entries()) {
      console.log(`transpiler for ${k.name}: first job (start + load) ${ms(firsts[j])}; warm (with the file written), median of ${runs}: ${ms(median(transpiles[j]))} (min ${ms(Math.min(...transpiles[j]))})`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
