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

function describe(d: ts.Diagnostic, fileName = FILE): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0];
  if (d.file && d.start !== undefined) {
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${fileName}:${line + 1}:${character + 1} - error TS${d.code}: ${text}`;
  }
  return `error TS${d.code}: ${text}`;
}

/** Transpiles the source into `outDir`; syntax errors fail the compile. */
export function compile(source: string, outDir: string): Compiled | CompileFailure {
  const out = ts.transpileModule(source, { compilerOptions: EMIT_OPTIONS, fileName: FILE, reportDiagnostics: true });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error).map((d) => describe(d));
  if (errors.length > 0) return { ok: false, errors };
  const modulePath = path.join(outDir, FILE.replace(/\.ts$/, '.js'));
  fs.writeFileSync(modulePath, out.outputText, { mode: 0o644 });
  // A package.json of our own beside it: Node stops its search for one here, inside the scratch folder.
  fs.writeFileSync(path.join(outDir, 'package.json'), '{"type":"commonjs"}\n', { mode: 0o644 });
  return { ok: true, modulePath };
}

/**
 * Type-checks the source (strict, as the exercise's editor setup) and its exports against the
 * exercise's signatures. Returns warnings; never fails grading.
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
      const text = read(name);
      return text === undefined ? undefined : ts.createSourceFile(name, text, languageVersion);
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
  const program = ts.createProgram([FILE, CONTRACT_FILE, GLOBALS_FILE], CHECK_OPTIONS, host);
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

/**
 * The type check in a worker thread: off the main thread (it overlaps the tests) and bounded in
 * time. A check that takes too long or fails is reported as one warning; it never fails grading.
 */
export function typeCheckInWorker(source: string, timeoutMs: number = TYPECHECK_TIMEOUT_MS): Promise<string[]> {
  return new Promise((resolve) => {
    // The built worker, whether this module runs from build/ or from the sources (under jest).
    const worker = new Worker(path.join(KIT_ROOT, 'build', 'grader', 'stages', 'typecheck-worker.js'), { workerData: { source } });
    let done = false;
    const finish = (warnings: string[]): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(warnings);
    };
    const timer = setTimeout(() => finish([`the type check was stopped after ${timeoutMs / 1000} s; your code was graded without it`]), timeoutMs);
    worker.once('message', (warnings: string[]) => finish(warnings));
    worker.once('error', (err) => finish([`the type check failed (${err.message}); your code was graded without it`]));
    worker.once('exit', () => finish([]));
  });
}
