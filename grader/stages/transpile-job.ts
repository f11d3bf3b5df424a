/**
 * The transpile of a submission's source: TypeScript to CommonJS by esbuild, a native transpiler
 * (TypeScript's compiler is loaded for the type check, and here only for the rare file whose
 * CommonJS-isms esbuild translates otherwise: see EXPORT_ASSIGNMENT). Syntax errors fail it, worded as
 * tsc words its messages (compile-messages.ts). Run in the transpile's child process
 * (compile-child.ts): esbuild's own process, which it starts there, inherits that child's limits
 * from the operating system, and a source that makes it crash ends that child's job, never the
 * grader.
 */
import { transformSync, type TransformFailure } from 'esbuild';
import { formatNative } from './compile-messages';
import { firstOf, submissionFile, TRANSPILE_SETTINGS, type Transpiled } from './compile-shared';

/**
 * A source map comment of the file's own is never read (esbuild would merge a `data:` map it
 * finds into its own, and the student's error messages would name lines a comment chose): a last
 * comment of ours, on a line after the file's, takes its place (the last one counts), and points
 * nowhere. The file's lines keep their numbers.
 */
const NO_INPUT_MAP = '\n//# sourceMappingURL=none\n';

/**
 * `export =` beside other exports, and `module.exports` or `exports` written to in a file with
 * ES exports: TypeScript's CommonJS output runs them (the type check warns), esbuild's does not
 * (its exports are getters on an object of its own). Such a file is transpiled by TypeScript's
 * transpileModule instead, as the kit always did, so that a type error still costs no points.
 */
const EXPORT_ASSIGNMENT = /(^|[;{}\s])export\s*=(?![=>])/m;

/** Transpiles in this process: the JavaScript with an inline source map, or the syntax errors. */
export function transpile(source: string): Transpiled {
  try {
    const out = transformSync(source + NO_INPUT_MAP, { ...TRANSPILE_SETTINGS, sourcefile: submissionFile(), logLevel: 'silent' });
    if (EXPORT_ASSIGNMENT.test(source) || out.warnings.some((w) => w.id === 'commonjs-variable-in-esm')) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return (require('./compile-jobs') as typeof import('./compile-jobs')).transpileWithTypeScript(source);
    }
    return { js: out.code };
  } catch (err) {
    const errors = (err as Partial<TransformFailure>).errors;
    // esbuild's own failure (its process gone, say) is not a syntax error: the job's failure.
    if (!Array.isArray(errors) || errors.length === 0) throw new Error(stoppedWhy(err));
    return { errors: firstOf(errors, (m) => formatNative(m, submissionFile()), 'error') };
  }
}

/**
 * Why esbuild failed without a syntax error, on one line. Where its process died (a source nested
 * so deep that its parser ran out of memory or stack under the child's limits), the error carries
 * its command line and the Go runtime's whole stack dump: the runtime's own verdict is kept, the
 * rest (the kit's paths, thousands of frames) is not the student's to read.
 */
export function stoppedWhy(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const fatal = /^fatal error: (.+)$/m.exec(text);
  if (fatal) return `esbuild's process stopped: ${fatal[1].trim()}`;
  const first = text.split('\n')[0].trim();
  return /^Command failed:/.test(first) ? 'esbuild\'s process stopped' : first;
}
