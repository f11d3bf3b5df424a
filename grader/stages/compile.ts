/**
 * Stage 2, compile: the grader (never the student's process) turns the TypeScript into CommonJS.
 * A syntax error stops grading with the compiler's message, line and column. Type errors do not:
 * TypeScript still emits code, so the code runs and the type errors are shown as warnings, together
 * with any function whose signature differs from the exercise's.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import ts from 'typescript';
import { KIT_ROOT, kitPaths } from '../lib/paths';
import { DiskCache } from '../lib/disk-cache';
import { formatDiagnostic } from './compile-messages';

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
  /** The compiler's messages, `vanishing-gradients.ts:LINE:COL - error TSnnnn: text`. */
  errors: string[];
}

const FILE = kitPaths.submissionFileName;

const EMIT_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  inlineSourceMap: true,
  esModuleInterop: true,
};

const CHECK_OPTIONS: ts.CompilerOptions = {
  ...EMIT_OPTIONS,
  strict: true,
  noEmit: true,
  lib: ['lib.es2022.d.ts'],
  types: [],
  skipLibCheck: true,
};

/** The exercise's signatures, checked against the submission's exports (as warnings). */
const CONTRACT = `import * as s from './vanishing-gradients';
interface Tangent { x: number[]; y: number[]; slope: number; point: { x: number; y: number } }
const linspace: (start: number, stop: number, num?: number) => number[] = s.linspace;
const sigmoid: (x: number) => number = s.sigmoid;
const sigmoidGradient: (activation: number) => number = s.sigmoidGradient;
const tangent: (xTan: number, span?: number) => Tangent = s.tangent;
const simulateDecay: (steps: number, x: number) => number[] = s.simulateDecay;
export { linspace, sigmoid, sigmoidGradient, tangent, simulateDecay };
`;
const CONTRACT_FILE = '__exercise_contract__.ts';

/** What the child provides beyond ES2022 that a student may fairly use: console, to debug. */
const GLOBALS = `declare var console: {
  log(...data: unknown[]): void; error(...data: unknown[]): void; warn(...data: unknown[]): void;
  info(...data: unknown[]): void; debug(...data: unknown[]): void; table(data: unknown): void;
};
`;
const GLOBALS_FILE = '__globals__.d.ts';

function describe(d: ts.Diagnostic): string {
  return formatDiagnostic(d, FILE);
}

/** The version of the messages' format (compile-messages.ts): cached messages of another are not reused. */
const MESSAGES_FORMAT = 2;

/** What transpiling gives: the JavaScript, or the syntax errors. */
type Transpiled = { js: string; errors?: undefined } | { js?: undefined; errors: string[] };

/** Transpiled submissions by source (a student who grades again unchanged pays nothing). */
const transpiled = new DiskCache('vg-compile', JSON.stringify([ts.version, EMIT_OPTIONS, FILE, MESSAGES_FORMAT]));

const isTranspiled = (v: unknown): v is Transpiled => {
  const t = v as Partial<Transpiled> | null;
  return !!t && (typeof t.js === 'string' || Array.isArray(t.errors));
};

/**
 * Transpiles in this thread (the compile worker's side of {@link compile}). A source nested so
 * deeply that the compiler's recursion overflows its stack is the student's compile error.
 */
export function transpile(source: string): Transpiled {
  try {
    const out = ts.transpileModule(source, { compilerOptions: EMIT_OPTIONS, fileName: FILE, reportDiagnostics: true });
    const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error).map((d) => describe(d));
    return errors.length > 0 ? { errors } : { js: out.outputText };
  } catch (err) {
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      return { errors: [`${FILE} is nested too deeply for the compiler (brackets or expressions thousands of levels deep): simplify it`] };
    }
    throw err;
  }
}

/** Longest transpiling one submission may take (a correct one takes milliseconds). */
export const TRANSPILE_TIMEOUT_MS = 15_000;

/**
 * Transpiles the source into `outDir`; syntax errors fail the compile. The source is untrusted: it
 * is transpiled in a worker thread with time and memory limits (a pathological source must not
 * hold the grader's main thread, where signals and timers are served), or read from the cache.
 */
export async function compile(source: string, outDir: string): Promise<Compiled | CompileFailure> {
  let out = transpiled.getJson(source, isTranspiled);
  if (!out) {
    const done = await transpiler().run(source, TRANSPILE_TIMEOUT_MS);
    if (!done.ok) return { ok: false, errors: [`${FILE} could not be compiled: ${done.why === 'timeout' ? `compiling it took longer than ${TRANSPILE_TIMEOUT_MS / 1000} s` : done.why === 'memory' ? `compiling it needed more than ${WORKER_MEMORY_MB.transpile} MB of memory` : done.message}`] };
    out = done.value as Transpiled;
    transpiled.set(source, JSON.stringify(out));
  }
  if (out.errors) return { ok: false, errors: out.errors };
  const modulePath = path.join(outDir, FILE.replace(/\.ts$/, '.js'));
  fs.writeFileSync(modulePath, out.js, { mode: 0o644 });
  // A package.json of our own beside it: Node stops its search for one here, inside the scratch folder.
  fs.writeFileSync(path.join(outDir, 'package.json'), '{"type":"commonjs"}\n', { mode: 0o644 });
  return { ok: true, modulePath };
}

/** Lib files parsed once per process (and bound once, through the previous program). */
const libFiles = new Map<string, ts.SourceFile>();
let previousProgram: ts.Program | undefined;

/**
 * Type-checks the source (strict, as the exercise's editor setup) and its exports against the
 * exercise's signatures. Returns warnings; never fails grading. The compiler's lib files are parsed
 * once per process and the previous program is handed to the next, so that a worker checking many
 * submissions (a batch) pays for lib.es2022 once.
 */
export function typeCheck(source: string): string[] {
  const libDir = path.dirname(require.resolve('typescript/lib/lib.d.ts'));
  const files = new Map<string, string>([[FILE, source], [CONTRACT_FILE, CONTRACT], [GLOBALS_FILE, GLOBALS]]);
  const read = (name: string): string | undefined => {
    if (files.has(name)) return files.get(name);
    const file = path.isAbsolute(name) ? name : path.join(libDir, name);
    // Only the compiler's own lib files are read from disk; the submission imports nothing else.
    return file.startsWith(libDir) && fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  };
  const host: ts.CompilerHost = {
    getSourceFile: (name, languageVersion) => {
      if (!files.has(name)) {
        const cached = libFiles.get(name);
        if (cached) return cached;
      }
      const text = read(name);
      if (text === undefined) return undefined;
      const file = ts.createSourceFile(name, text, languageVersion);
      if (!files.has(name)) libFiles.set(name, file);
      return file;
    },
    getDefaultLibFileName: () => path.join(libDir, 'lib.es2022.d.ts'),
    getDefaultLibLocation: () => libDir,
    writeFile: () => undefined,
    getCurrentDirectory: () => '',
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (f) => read(f) !== undefined,
    readFile: read,
    getDirectories: () => [],
  };
  const program = ts.createProgram([FILE, CONTRACT_FILE, GLOBALS_FILE], CHECK_OPTIONS, host, previousProgram);
  previousProgram = program;
  const warnings: string[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    if (d.category !== ts.DiagnosticCategory.Error) continue;
    if (d.file?.fileName === CONTRACT_FILE) {
      const line = d.file.getLineAndCharacterOfPosition(d.start ?? 0).line;
      const name = /const (\w+)/.exec(d.file.text.split('\n')[line])?.[1];
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n');
      if (d.code === 2305 || d.code === 2339) continue; // missing export: the tests say so, part by part
      warnings.push(`${name ?? 'an export'} does not match the exercise's signature: ${text[text.length - 1].trim()}`);
      continue;
    }
    warnings.push(describe(d));
  }
  return warnings;
}

/** Longest the type check may take: it reads untrusted source, whose types could be made to explode. */
export const TYPECHECK_TIMEOUT_MS = 30_000;

/** Type-check warnings by source; what they depend on besides it: the compiler, its options, the contract. */
const checked = new DiskCache('vg-typecheck', JSON.stringify([ts.version, CHECK_OPTIONS, CONTRACT, GLOBALS, MESSAGES_FORMAT]));

const isWarnings = (v: unknown): v is string[] => Array.isArray(v) && v.every((w) => typeof w === 'string');

/** The jobs a compiler worker does. */
export type CompilerJob = 'transpile' | 'check';

/** Heap limits of the workers: far above a correct submission's needs, far below the machine's. */
const WORKER_MEMORY_MB: Record<CompilerJob, number> = { transpile: 256, check: 768 };

/** How a job in a worker ended. */
type JobOutcome = { ok: true; value: unknown } | { ok: false; why: 'timeout' | 'memory' | 'failed'; message: string };

type Job = { source: string; timeoutMs: number; resolve: (o: JobOutcome) => void };

/**
 * A worker thread for one kind of job on untrusted source, that lives as long as it is useful:
 * off the main thread, one job at a time, each bounded in time and the thread in memory. A job
 * that runs over its limit or its memory ends that worker; the next job starts a fresh one. A
 * grader grading many submissions keeps one warm worker per kind (for type checks, the lib files
 * parsed once).
 */
export class CompilerWorker {
  private worker: Worker | undefined;
  private readonly queue: Job[] = [];
  private busy = false;

  constructor(private readonly kind: CompilerJob) {}

  /** Runs the job on `source`; never rejects. */
  run(source: string, timeoutMs: number): Promise<JobOutcome> {
    return new Promise((resolve) => {
      this.queue.push({ source, timeoutMs, resolve });
      this.next();
    });
  }

  /** Ends the worker (pending jobs still finish first). */
  close(): void {
    if (!this.busy && this.worker) {
      void this.worker.terminate();
      this.worker = undefined;
    }
  }

  private next(): void {
    if (this.busy) return;
    const job = this.queue.shift();
    if (!job) {
      this.worker?.unref();
      return;
    }
    this.busy = true;
    // The built worker, whether this module runs from build/ or from the sources (under jest).
    const worker = this.worker ??= new Worker(path.join(KIT_ROOT, 'build', 'grader', 'stages', 'compile-worker.js'), {
      workerData: { kind: this.kind },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_MEMORY_MB[this.kind], maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
    });
    worker.ref();
    let done = false;
    const finish = (outcome: JobOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      if (!outcome.ok) {
        void worker.terminate();
        if (this.worker === worker) this.worker = undefined;
      }
      this.busy = false;
      job.resolve(outcome);
      this.next();
    };
    const onMessage = (value: unknown): void => finish({ ok: true, value });
    const onError = (err: Error & { code?: string }): void => finish(err.code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? { ok: false, why: 'memory', message: err.message }
      : { ok: false, why: 'failed', message: err.message });
    const onExit = (): void => finish({ ok: false, why: 'failed', message: 'the worker stopped' });
    const timer = setTimeout(() => finish({ ok: false, why: 'timeout', message: 'time limit' }), job.timeoutMs);
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.postMessage(job.source);
  }
}

/**
 * The type check in a worker (see {@link CompilerWorker}): warnings for `source`, cached on disk by
 * its hash; never rejects. A check stopped by its limits says so in a warning.
 */
export class TypeChecker {
  private readonly worker = new CompilerWorker('check');

  /** Warnings for `source`. */
  async check(source: string, timeoutMs: number = TYPECHECK_TIMEOUT_MS): Promise<string[]> {
    const cached = checked.getJson(source, isWarnings);
    if (cached) return cached;
    const done = await this.worker.run(source, timeoutMs);
    if (done.ok && isWarnings(done.value)) {
      checked.set(source, JSON.stringify(done.value));
      return done.value;
    }
    if (done.ok) return ['the type check gave no answer; your code was graded without it'];
    if (done.why === 'timeout') return [`the type check was stopped after ${timeoutMs / 1000} s; your code was graded without it`];
    if (done.why === 'memory') return [`the type check was stopped: your types needed more than ${WORKER_MEMORY_MB.check} MB; your code was graded without it`];
    return [`the type check failed (${done.message}); your code was graded without it`];
  }

  /** Ends the worker. */
  close(): void {
    this.worker.close();
  }
}

let sharedChecker: TypeChecker | undefined;
let sharedTranspiler: CompilerWorker | undefined;

/** The process's transpiling worker. */
function transpiler(): CompilerWorker {
  return sharedTranspiler ??= new CompilerWorker('transpile');
}

/** The type check of one source, on the process's shared checker (see {@link TypeChecker}). */
export function typeCheckInWorker(source: string, timeoutMs: number = TYPECHECK_TIMEOUT_MS): Promise<string[]> {
  sharedChecker ??= new TypeChecker();
  return sharedChecker.check(source, timeoutMs);
}
