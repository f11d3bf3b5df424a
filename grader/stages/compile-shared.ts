/**
 * What the grader and its compiler children agree on, without loading either compiler: the
 * submission's file name, the settings of each job (their cache keys), the exercise's contract as
 * the type check compiles it, and how many messages one submission may get.
 *
 * The grader process loads neither TypeScript nor esbuild: the transpile runs esbuild in a child
 * (transpile-job.ts), the type check runs TypeScript in another (compile-jobs.ts). Both children
 * read their settings from here, so a cached result is keyed on exactly what made it.
 */
// A type only: the grader never loads esbuild (the transpile's child does).
import type { TransformOptions } from 'esbuild';
import { currentLab, kitPaths } from '../lib/paths';

/** The submission's file name, as the compiler's messages name it (the lab's, read when first asked). */
export function submissionFile(): string {
  return kitPaths.submissionFileName;
}

/**
 * The transpile: TypeScript to CommonJS for the sandbox child, with an inline source map back to
 * the .ts lines (esbuild's transform options). Strict mode always: a module is strict in
 * TypeScript's output too, so that an undeclared variable throws instead of making a global, and
 * class fields are defined as ES2022 defines them (TypeScript's default for that target).
 */
export const TRANSPILE_SETTINGS: Readonly<TransformOptions> = {
  loader: 'ts',
  format: 'cjs',
  target: 'es2022',
  sourcemap: 'inline',
  tsconfigRaw: { compilerOptions: { alwaysStrict: true, useDefineForClassFields: true } },
};

/**
 * The type check's compiler options, as data (compile-jobs.ts turns the two named values into
 * TypeScript's enums): strict, as the exercise's editor setup, over ES2022's lib alone.
 */
export const CHECK_SETTINGS = {
  module: 'CommonJS',
  target: 'ES2022',
  esModuleInterop: true,
  strict: true,
  noEmit: true,
  lib: ['lib.es2022.d.ts'],
  types: [] as string[],
  skipLibCheck: true,
} as const;

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

/** What the child provides beyond ES2022 that a student may fairly use: console, to debug. */
export const GLOBALS = `declare var console: {
  log(...data: unknown[]): void; error(...data: unknown[]): void; warn(...data: unknown[]): void;
  info(...data: unknown[]): void; debug(...data: unknown[]): void; table(data: unknown): void;
};
`;

/** The version of the messages' format (compile-messages.ts): cached messages of another are not reused. */
export const MESSAGES_FORMAT = 6;

/**
 * Most diagnostics worded for one submission (compile errors, and type-check warnings): a file can
 * hold tens of thousands, and later ones mostly follow from the first. The rest are counted in one
 * line, so that the messages, the result and every report stay the size of a lesson.
 */
export const MAX_DIAGNOSTICS = 20;

/** The first MAX_DIAGNOSTICS of `all`, worded, and one line for the rest. */
export function firstOf<T>(all: readonly T[], word: (d: T) => string, kind: string): string[] {
  const shown = all.slice(0, MAX_DIAGNOSTICS).map(word);
  const more = all.length - shown.length;
  if (more > 0) shown.push(`… and ${more.toLocaleString('en-US')} more ${kind}${more === 1 ? '' : 's'} (fix the first ones: later ones often follow from them)`);
  return shown;
}

/** What transpiling gives: the JavaScript, or the syntax errors. */
export type Transpiled = { js: string; errors?: undefined } | { js?: undefined; errors: string[] };
