/**
 * Runs type checks (compile.ts) in a worker thread, one per message, so that the grader can bound
 * their time and keep the compiler's lib files parsed between submissions.
 */
import { parentPort } from 'node:worker_threads';
import { typeCheck } from './compile';

parentPort?.on('message', (source: string) => {
  parentPort?.postMessage(typeCheck(source));
});
