/**
 * The type check of a submission's source (strict; the exercise's signatures), run where it is
 * called. The grader never calls it in its own process on untrusted source: it runs it in a child
 * process of its own (compile-child.ts, started by compiler-process.ts) whose memory and time the
 * operating system bounds. Tests call it directly. This is the one module that loads TypeScript's
 * compiler; the transpile is esbuild's (transpile-job.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { layoutMessage, type Place } from './compile-messages';
import { CHECK_SETTINGS, contractSource, firstOf, GLOBALS, submissionFile, type Transpiled } from './compile-shared';

export const CHECK_OPTIONS: ts.CompilerOptions = {
  ...CHECK_SETTINGS,
  module: ts.ModuleKind[CHECK_SETTINGS.module],
  target: ts.ScriptTarget[CHECK_SETTINGS.target],
  lib: [...CHECK_SETTINGS.lib],
  types: [...CHECK_SETTINGS.types],
};

const CONTRACT_FILE = '__exercise_contract__.ts';
const GLOBALS_FILE = '__globals__.d.ts';

/** `line:column` (both from 1) of a position. */
function where(file: ts.SourceFile, pos: number): { line: number; column: number } {
  const { line, character } = file.getLineAndCharacterOfPosition(pos);
  return { line: line + 1, column: character + 1 };
}

/** The place of `start` in `file` (`length` characters from it), for the layout. */
function placeOf(file: ts.SourceFile, start: number, length: number): Place {
  const { line, column } = where(file, start);
  const lineStart = file.getPositionOfLineAndCharacter(line - 1, 0);
  return { line, column, length, lineText: file.text.slice(lineStart).split(/\r\n|[\n\r\u2028\u2029]/)[0] };
}

/** One diagnostic, tsc-style, with `fileName` in its location. */
export function formatDiagnostic(d: ts.Diagnostic, fileName: string): string {
  const category = d.category === ts.DiagnosticCategory.Warning ? 'warning' : 'error';
  const head = `${category} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  const related = (d.relatedInformation ?? []).map((r) => ({
    text: ts.flattenDiagnosticMessageText(r.messageText, '\n'),
    ...(r.file && r.start !== undefined && r.file.fileName === d.file?.fileName ? { at: where(r.file, r.start) } : {}),
  }));
  return layoutMessage(fileName, head, d.file && d.start !== undefined ? placeOf(d.file, d.start, d.length ?? 1) : undefined, related);
}

function describe(d: ts.Diagnostic): string {
  return formatDiagnostic(d, submissionFile());
}

/** TypeScript's CommonJS output, as the kit had it before esbuild (see transpile-job.ts, EXPORT_ASSIGNMENT). */
const TYPESCRIPT_EMIT: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  inlineSourceMap: true,
  esModuleInterop: true,
};

/**
 * Transpiles with TypeScript's transpileModule: syntax errors fail it. A source nested so deeply
 * that the compiler's recursion overflows its stack is the student's compile error.
 */
export function transpileWithTypeScript(source: string): Transpiled {
  try {
    const out = ts.transpileModule(source, { compilerOptions: TYPESCRIPT_EMIT, fileName: submissionFile(), reportDiagnostics: true });
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
let libDirectory: string | undefined;

/** TypeScript's lib folder: where its own package is, unless the snapshot's build named it (see warmUp). */
function libDir(): string {
  return libDirectory ??= path.dirname(require.resolve('typescript/lib/lib.d.ts'));
}

/** A host over `files` (the program's own, by name) and TypeScript's lib files, parsed once per process. */
function compilerHost(files: Map<string, string>): ts.CompilerHost {
  const dir = libDir();
  const read = (name: string): string | undefined => {
    if (files.has(name)) return files.get(name);
    const file = path.isAbsolute(name) ? name : path.join(dir, name);
    // Only the compiler's own lib files are read from disk; the submission imports nothing else.
    return file.startsWith(dir) && fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  };
  return {
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
    getDefaultLibFileName: () => path.join(dir, 'lib.es2022.d.ts'),
    getDefaultLibLocation: () => dir,
    writeFile: () => undefined,
    getCurrentDirectory: () => '',
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (f) => read(f) !== undefined,
    readFile: read,
    getDirectories: () => [],
  };
}

/**
 * Parses and binds the lib files now, with a program over one trivial file, as the first check
 * would: a startup snapshot (lib/snapshots.ts) is taken after this, so that a checker started
 * from it begins with them ready. `dir` is TypeScript's lib folder (a snapshot's bundle cannot
 * resolve packages). Reads nothing of the lab: the snapshot must not hold the lab's state.
 */
export function warmUp(dir: string): void {
  libDirectory = dir;
  const warm = 'warm-up.ts';
  previousProgram = ts.createProgram([warm], CHECK_OPTIONS, compilerHost(new Map([[warm, 'export const n: number = 1;\n']])));
  ts.getPreEmitDiagnostics(previousProgram);
}

/**
 * Type-checks the source (strict, as the exercise's editor setup) and its exports against the
 * exercise's signatures. Returns warnings; never fails grading. The compiler's lib files are parsed
 * once per process and the previous program is handed to the next, so that a child checking many
 * submissions (a batch) pays for lib.es2022 once.
 */
export function typeCheck(source: string): string[] {
  const files = new Map<string, string>([[submissionFile(), source], [CONTRACT_FILE, contractSource()], [GLOBALS_FILE, GLOBALS]]);
  const program = ts.createProgram([submissionFile(), CONTRACT_FILE, GLOBALS_FILE], CHECK_OPTIONS, compilerHost(files), previousProgram);
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
