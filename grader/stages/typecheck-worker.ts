/** Runs the type check (compile.ts) in a worker thread, so that grade.ts can bound its time. */
import { parentPort, workerData } from 'node:worker_threads';
import { typeCheck } from './compile';

parentPort?.postMessage(typeCheck((workerData as { source: string }).source));
