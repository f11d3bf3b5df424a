/**
 * A compiler worker thread (compile.ts, CompilerWorker): transpiles or type-checks one untrusted
 * source per message, so that the grader can bound the time and memory they take and keep the
 * compiler's lib files parsed between submissions.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { transpile, typeCheck } from './compile';

const kind = (workerData as { kind: 'transpile' | 'check' }).kind;

parentPort?.on('message', (source: string) => {
  parentPort?.postMessage(kind === 'transpile' ? transpile(source) : typeCheck(source));
});
