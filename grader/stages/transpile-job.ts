/**
 * The transpile of a submission's source: TypeScript to CommonJS by esbuild, a native transpiler
 * (TypeScript's compiler is loaded for the type check alone). Syntax errors fail it, worded as
 * tsc words its messages (compile-messages.ts). Run in the transpile's child process
 * (compile-child.ts): esbuild's own process, which it starts there, inherits that child's limits
 * from the operating system, and a source that makes it crash ends that child's job, never the
 * grader.
 */
import { transformSync, type TransformFailure } from 'esbuild';
import { formatNative } from './compile-messages';
import { firstOf, submissionFile, TRANSPILE_SETTINGS, type Transpiled } from './compile-shared';

/** Transpiles in this process: the JavaScript with an inline source map, or the syntax errors. */
export function transpile(source: string): Transpiled {
  try {
    const out = transformSync(source, { ...TRANSPILE_SETTINGS, tsconfigRaw: { ...TRANSPILE_SETTINGS.tsconfigRaw }, sourcefile: submissionFile(), logLevel: 'silent' });
    return { js: out.code };
  } catch (err) {
    const errors = (err as Partial<TransformFailure>).errors;
    // esbuild's own failure (its process gone, say) is not a syntax error: the job's failure.
    if (!Array.isArray(errors) || errors.length === 0) throw err;
    return { errors: firstOf(errors, (m) => formatNative(m, submissionFile()), 'error') };
  }
}
