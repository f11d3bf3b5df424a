/**
 * The compiler's two jobs on a submission's source, run where they are called: `transpile`
 * (TypeScript to CommonJS; syntax errors) and `typeCheck` (strict; the exercise's signatures).
 * The grader never calls them in its own process on untrusted source: it runs them in a child
 * process of their own (compile-child.ts, started by compiler-process.ts) whose memory and time
 * the operating system bounds. Tests call them directly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { currentLab, kitPaths } from '../lib/paths';
import { formatDiagnostic } from './compile-messages';

/** The submission's file name, as the compiler's messages name it (the lab's, read when first asked). */
export function submissionFile(): string {
  return kitPaths.submissionFileName;
}

export const EMIT_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  inlineSourceMap: true,
  esModuleInterop: true,
};

export const CHECK_OPTIONS: ts.CompilerOptions = {
  ...EMIT_OPTIONS,
  strict: true,
  noEmit: true,
  lib: ['lib.es2022.d.ts'],
  types: [],
  skipLibCheck: true,
};

/**
 * The exercise's signatures (the lab's contract), as a module the type check compiles beside the
 * submission: each export assigned to its contract type, so that a signature that differs is a
 * type error there (reported as a warning that names the function).
 */
export function contractSource(): string {
  const lab = currentLab();
  const names = lab.parts.map((p) => p.name);
  return [
    `import * as s from './${lab.submission.replace(/\.ts$/, '')}';`,
    lab.contract.types,
    ...names.map((n) => `const ${n}: ${lab.contract.signatures[n]} = s.${n};`),
    `export { ${names.join(', ')} };`,
    '',
  ].join('\n');
}
const CONTRACT_FILE = '__exercise_contract__.ts';

/** What the child provides beyond ES2022 that a student may fairly use: console, to debug. */
export const GLOBALS = `declare var console: {
  log(...data: unknown[]): void; error(...data: unknown[]): void; warn(...data: unknown[]): void;
  info(...data: unknown[]): void; debug(...data: unknown[]): void; table(data: unknown): void;
};
`;
const GLOBALS_FILE = '__globals__.d.ts';

function describe(d: ts.Diagnostic): string {
  return formatDiagnostic(d, submissionFile());
}

/** The version of the messages' format (compile-messages.ts): cached messages of another are not reused. */
export const MESSAGES_FORMAT = 4;

/**
 * Most diagnostics worded for one submission (compile errors, and type-check warnings): a file can
 * hold tens of thousands, and later ones mostly follow from the first. The rest are counted in one
 * line, so that the messages, the result and every report stay the size of a lesson.
 */
export const MAX_DIAGNOSTICS = 20;

/** The first MAX_DIAGNOSTICS of `all`, worded, and one line for the rest. */
function firstOf<T>(all: readonly T[], word: (d: T) => string, kind: string): string[] {
  const shown = all.slice(0, MAX_DIAGNOSTICS).map(word);
  const more = all.length - shown.length;
  if (more > 0) shown.push(`… and ${more.toLocaleString('en-US')} more ${kind}${more === 1 ? '' : 's'} (fix the first ones: later ones often follow from them)`);
  return shown;
}

/** What transpiling gives: the JavaScript, or the syntax errors. */
export type Transpiled = { js: string; errors?: undefined } | { js?: undefined; errors: string[] };

/**
 * Transpiles in this process (the compiler child's side of compile.ts's `compile`). A source nested so
 * deeply that the compiler's recursion overflows its stack is the student's compile error.
 */
export function transpile(source: string): Transpiled {
  try {
    const out = ts.transpileModule(source, { compilerOptions: EMIT_OPTIONS, fileName: submissionFile(), reportDiagnostics: true });
    const errors = firstOf((out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error), describe, 'error');
    return errors.length > 0 ? { errors } : { js: out.outputText };
  } catch (err) {
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      return { errors: [`${submissionFile()} is nested too deeply for the compiler (brackets or expressions thousands of levels deep): simplify it`] };
    }
    throw err;
  }
}

/** Lib files parsed once per process (and bound once, through the previous program). */
const libFiles = new Map<string, ts.SourceFile>();
let previousProgram: ts.Program | undefined;

/**
 * Type-checks the source (strict, as the exercise's editor setup) and its exports against the
 * exercise's signatures. Returns warnings; never fails grading. The compiler's lib files are parsed
 * once per process and the previous program is handed to the next, so that a child checking many
 * submissions (a batch) pays for lib.es2022 once.
 */
export function typeCheck(source: string): string[] {
  const libDir = path.dirname(require.resolve('typescript/lib/lib.d.ts'));
  const files = new Map<string, string>([[submissionFile(), source], [CONTRACT_FILE, contractSource()], [GLOBALS_FILE, GLOBALS]]);
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
  const program = ts.createProgram([submissionFile(), CONTRACT_FILE, GLOBALS_FILE], CHECK_OPTIONS, host, previousProgram);
  previousProgram = program;
  // Missing exports are not warned about: the tests say so, part by part.
  const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.category === ts.DiagnosticCategory.Error
    && !(d.file?.fileName === CONTRACT_FILE && (d.code === 2305 || d.code === 2339)));
  // The signatures (one per exported function at most), then the file's own errors, as the
  // compiler lists them.
  const contract = errors.filter((d) => d.file?.fileName === CONTRACT_FILE).map((d) => {
    const line = d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line;
    const name = /const (\w+)/.exec(d.file!.text.split('\n')[line])?.[1];
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n');
    return `${name ?? 'an export'} does not match the exercise's signature: ${text[text.length - 1].trim()}`;
  });
  return [...contract, ...firstOf(errors.filter((d) => d.file?.fileName !== CONTRACT_FILE), describe, 'type error')];
}
