/**
 * Stage 2, compile: the grader (never the student's process) turns the TypeScript into CommonJS,
 * with esbuild, a native transpiler. A syntax error stops grading with the transpiler's message,
 * line and column. Type errors do not: the code runs, and TypeScript's type check (which the
 * transpile never waits for) gives them as warnings, together with any function whose signature
 * differs from the exercise's.
 *
 * The source is untrusted, and a compiler can be made to exhaust its memory or time by a few
 * lines of types: both jobs run in child processes with the operating system's limits
 * (compiler-process.ts), and this process loads neither compiler. A job stopped by its limits is
 * the student's compile error (transpile) or a warning (type check), never a fault of the grader.
 */
import * as path from 'node:path';
import { DiskCache } from '../lib/disk-cache';
import { packageVersion } from '../lib/package-version';
import { writeReadable } from '../lib/sandbox-files';
import { CHECK_SETTINGS, contractSource, GLOBALS, MESSAGES_FORMAT, submissionFile, TRANSPILE_SETTINGS, type Transpiled } from './compile-shared';
import { CompilerProcess, type CompilerLimits, type JobOutcome } from './compiler-process';

export { CompilerProcess, COMPILER_LIMITS, type CompilerJob, type CompilerLimits } from './compiler-process';

/** The compiled submission, ready for the sandbox. */
export interface Compiled {
  /** Compilation succeeded. */
  ok: true;
  /** The emitted JavaScript file, with an inline source map back to the .ts lines. */
  modulePath: string;
}

/** The submission does not compile. */
export interface CompileFailure {
  /** Compilation failed. */
  ok: false;
  /** The compiler's messages, `<lab>.ts:LINE:COL - error TSnnnn: text`. */
  errors: string[];
}

let transpiledCache: DiskCache | undefined;
/** Transpiled submissions by source (a student who grades again unchanged pays nothing); what they depend on besides it: the transpiler, its options, the file's name. */
const transpiled = (): DiskCache => (transpiledCache ??= new DiskCache('vg-compile', JSON.stringify(['esbuild', packageVersion('esbuild'), TRANSPILE_SETTINGS, 'typescript for export =', packageVersion('typescript'), submissionFile(), MESSAGES_FORMAT])));

const isTranspiled = (v: unknown): v is Transpiled => {
  const t = v as Partial<Transpiled> | null;
  return !!t && (typeof t.js === 'string' || Array.isArray(t.errors));
};

/** Longest transpiling one submission may take (a correct one takes milliseconds). */
export const TRANSPILE_TIMEOUT_MS = 15_000;

/** Why a transpile that its child did not finish is the student's compile error, in words. */
function transpileStopped(done: Exclude<JobOutcome, { ok: true }>, limits: CompilerLimits): string {
  switch (done.why) {
    case 'timeout': return `compiling it took longer than ${TRANSPILE_TIMEOUT_MS / 1000} s`;
    case 'memory': return `compiling it needed more memory than the compiler may have (${limits.addressSpaceMb} MB)`;
    case 'cpu': return `compiling it used more than ${limits.cpuSeconds} s of CPU time`;
    // esbuild's own process ending while it reads a source (brackets nested tens of thousands of
    // levels deep make it need more memory than it may have) reaches here as an error of the job.
    case 'error': return `the compiler stopped on it (${done.message}): simplify it (brackets or expressions nested thousands of levels deep do this)`;
    default: return `the compiler crashed on it (${done.message})`;
  }
}

/**
 * Transpiles the source into `outDir`; syntax errors fail the compile. The source is untrusted: it
 * is transpiled in a child process with time and memory limits (see compiler-process.ts), or read
 * from the cache. A compiler stopped by its limits, or crashed, on this source is the student's
 * compile error; a compiler process that cannot start is a fault of the kit: this throws.
 */
export async function compile(source: string, outDir: string, via: CompilerProcess = transpiler()): Promise<Compiled | CompileFailure> {
  let out = transpiled().getJson(source, isTranspiled);
  if (!out) {
    const done = await via.run(source, TRANSPILE_TIMEOUT_MS);
    if (!done.ok && done.why === 'kit') throw new Error(`the compiler could not be run (${done.message})`);
    if (!done.ok) return { ok: false, errors: [`${submissionFile()} could not be compiled: ${transpileStopped(done, via.limits)}`] };
    if (!isTranspiled(done.value)) throw new Error('the compiler gave no answer');
    out = done.value;
    transpiled().set(source, JSON.stringify(out));
  }
  if (out.errors) return { ok: false, errors: out.errors };
  const modulePath = path.join(outDir, submissionFile().replace(/\.ts$/, '.js'));
  // Readable by the sandbox's own uid whatever the umask (lib/sandbox-files.ts).
  writeReadable(modulePath, out.js);
  // A package.json of our own beside it: Node stops its search for one here, inside the scratch folder.
  writeReadable(path.join(outDir, 'package.json'), '{"type":"commonjs"}\n');
  return { ok: true, modulePath };
}

/** Whether the source's transpile is in the cache (its compile then starts no compiler). */
export function transpileCached(source: string): boolean {
  return transpiled().getJson(source, isTranspiled) !== undefined;
}

/**
 * Starts the process's transpiling child now, for a compile that will come: its start (a Node
 * process that loads esbuild, about 50 ms) then overlaps what the grader does before the compile.
 */
export function warmTranspiler(): void {
  transpiler().warm();
}

/** Longest the type check may take: it reads untrusted source, whose types could be made to explode. */
export const TYPECHECK_TIMEOUT_MS = 30_000;

/** Type-check warnings by source; what they depend on besides it: the compiler, its options, the contract. */
let checkedCache: DiskCache | undefined;
const checked = (): DiskCache => (checkedCache ??= new DiskCache('vg-typecheck', JSON.stringify([packageVersion('typescript'), CHECK_SETTINGS, contractSource(), GLOBALS, MESSAGES_FORMAT])));

const isWarnings = (v: unknown): v is string[] => Array.isArray(v) && v.every((w) => typeof w === 'string');

/**
 * The type check in a child process (see compiler-process.ts): warnings for `source`, cached on
 * disk by its hash; never rejects. A check stopped by its limits, or crashed, says so in a
 * warning; so does a checker the kit could not start (its fault, not the student's).
 */
export class TypeChecker {
  private readonly child: CompilerProcess;

  /** `limits` and `script` are the tests' (smaller limits; a missing script). */
  constructor(options: { limits?: Partial<CompilerLimits>; script?: string } = {}) {
    this.child = new CompilerProcess('check', options.limits, options.script);
  }

  /** The live child's pid (tests). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Warnings for `source`. */
  async check(source: string, timeoutMs: number = TYPECHECK_TIMEOUT_MS): Promise<string[]> {
    const cached = checked().getJson(source, isWarnings);
    if (cached) return cached;
    const done = await this.child.run(source, timeoutMs);
    if (done.ok && isWarnings(done.value)) {
      checked().set(source, JSON.stringify(done.value));
      return done.value;
    }
    const limits = this.child.limits;
    if (done.ok) return ['the type check gave no answer; your code was graded without it'];
    switch (done.why) {
      case 'timeout': return [`the type check was stopped after ${timeoutMs / 1000} s; your code was graded without it`];
      case 'memory': return [`the type check was stopped: your types needed more than ${limits.heapMb} MB; your code was graded without it`];
      case 'cpu': return [`the type check was stopped: it used more than ${limits.cpuSeconds} s of CPU time; your code was graded without it`];
      case 'error': return [`the type check failed (${done.message}); your code was graded without it`];
      case 'crash': return [`the type check crashed (${done.message}); your code was graded without it`];
      default: return [`the type check could not be run, a fault of the grader, not of your code (${done.message}); your code was graded without it`];
    }
  }

  /** Ends the child. */
  close(): void {
    this.child.close();
  }
}

let sharedChecker: TypeChecker | undefined;
/** Where this process's type checks go instead of a checker of its own (a batch worker: its orchestrator's). */
let checkElsewhere: ((source: string, timeoutMs: number) => Promise<string[]>) | undefined;

/** Sends this process's type checks to `check` (a batch worker sends them to its orchestrator's one checker). */
export function useTypeChecker(check: (source: string, timeoutMs: number) => Promise<string[]>): void {
  checkElsewhere = check;
}
let sharedTranspiler: CompilerProcess | undefined;
let manyTranspiles = false;

/**
 * Says that this process transpiles many sources (a batch worker, npm run dev), not one. esbuild's
 * synchronous API serves a process's calls from a worker thread of its own, whose start (a second
 * Node instance in the transpile's child) costs about 55 ms of CPU once, after which a call takes
 * 2 to 3 ms; without it, each call starts esbuild's binary anew, about 10 ms. A grade of one file
 * makes one call: it goes without the thread (its compile then takes a third of the CPU).
 */
export function expectManyTranspiles(): void {
  manyTranspiles = true;
}

/** A transpiling child for a process that transpiles one source, or many (see expectManyTranspiles). */
export function newTranspiler(many: boolean): CompilerProcess {
  return new CompilerProcess('transpile', undefined, undefined, undefined, many ? {} : { ESBUILD_WORKER_THREADS: '0' });
}

/** The process's transpiling child. */
function transpiler(): CompilerProcess {
  return sharedTranspiler ??= newTranspiler(manyTranspiles);
}

/** The type check of one source, on the process's shared checker (see {@link TypeChecker}). */
export function typeCheckInWorker(source: string, timeoutMs: number = TYPECHECK_TIMEOUT_MS): Promise<string[]> {
  if (checkElsewhere) return checkElsewhere(source, timeoutMs);
  sharedChecker ??= new TypeChecker();
  return sharedChecker.check(source, timeoutMs);
}
