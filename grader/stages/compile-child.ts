/**
 * The compiler's child process (compiler-process.ts): transpiles (esbuild) or type-checks
 * (TypeScript) untrusted source,
 * one job at a time, in a process of its own whose address space, CPU time and V8 heap are
 * bounded, so that a source that makes the compiler exhaust its memory or crash ends this process,
 * never the grader. Started as `node compile-child.js <transpile|check>`.
 *
 * Its channel, JSON lines with synchronous reads and writes: jobs `{"source": "…"}` on stdin;
 * replies on fd 3: `{"ready":true}` once loaded, then one `{"ok":true,"value":…}` or
 * `{"ok":false,"error":"…"}` (the compiler threw) per job. End of stdin (the grader closed it, or
 * died) ends the process; it has no event loop to keep alive. So does finding itself orphaned
 * (its parent no longer the grader that started it), at start and before each job: a grader that
 * died before setpriv set the parent-death signal leaves no child behind. One process keeps the compiler's lib
 * files parsed between type checks (compile-jobs.ts).
 *
 * The type check's child usually starts from a V8 startup snapshot instead of this script
 * (lib/snapshots.ts): TypeScript already loaded and its lib files parsed. The snapshot's main
 * function is the same `serve` (compile-serve.ts), with the same argv, channel and protocol.
 */
import { serve } from './compile-serve';

/**
 * Each kind loads its own compiler, and only that: esbuild for the transpile (a child that starts
 * in milliseconds), TypeScript for the type check. (No code cache here: a process that reads
 * untrusted source writes nothing the grader would load.)
 */
/* eslint-disable @typescript-eslint/no-require-imports */
serve((kind) => kind === 'transpile'
  ? (require('./transpile-job') as typeof import('./transpile-job')).transpile
  : (require('./compile-jobs') as typeof import('./compile-jobs')).typeCheck);
