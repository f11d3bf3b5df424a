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
 */
import * as fs from 'node:fs';

const JOBS_FD = 0;
const REPLIES_FD = 3;
const kind = process.argv[2];
if (kind !== 'transpile' && kind !== 'check') {
  process.stderr.write(`compile-child: the job kind must be transpile or check; got ${String(kind)}\n`);
  process.exit(64);
}
/**
 * Each kind loads its own compiler, and only that: esbuild for the transpile (a child that starts
 * in milliseconds), TypeScript for the type check. (No code cache here: a process that reads
 * untrusted source writes nothing the grader would load.)
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const job: (source: string) => unknown = kind === 'transpile' ? (require('./transpile-job') as typeof import('./transpile-job')).transpile : (require('./compile-jobs') as typeof import('./compile-jobs')).typeCheck;

/** Waits a little without spinning (a descriptor that would block). */
function pause(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
}

/** Writes one reply line (JSON text). */
function send(line: string): void {
  const bytes = Buffer.from(`${line}\n`, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(REPLIES_FD, bytes, offset, bytes.length - offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') process.exit(0); // the grader is gone
      pause();
    }
  }
}

function run(source: string): void {
  let reply: string;
  try {
    const value = job(source);
    reply = JSON.stringify({ ok: true, value });
  } catch (err) {
    // The compiler threw on this source (RangeError: Invalid string length, say): the job's failure.
    reply = JSON.stringify({ ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }
  send(reply);
}

/** The grader's pid: a child whose grader died before the parent-death signal was set ends itself. */
const grader = Number(process.env.VG_COMPILER_PARENT);
const orphaned = (): boolean => Number.isInteger(grader) && grader > 0 && process.ppid !== grader;
if (orphaned()) process.exit(0);

send('{"ready":true}');
const chunk = Buffer.alloc(1 << 16);
let parts: Buffer[] = [];
for (;;) {
  let n: number;
  try {
    n = fs.readSync(JOBS_FD, chunk, 0, chunk.length, null);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EAGAIN') {
      pause();
      continue;
    }
    process.exit(0);
  }
  if (n === 0) process.exit(0); // end of the jobs: the grader closed the pipe, or died
  let start = 0;
  for (let nl = chunk.indexOf(10, start); nl >= 0 && nl < n; nl = chunk.indexOf(10, start)) {
    parts.push(Buffer.from(chunk.subarray(start, nl)));
    const line = Buffer.concat(parts).toString('utf8');
    parts = [];
    start = nl + 1;
    if (orphaned()) process.exit(0);
    run((JSON.parse(line) as { source: string }).source);
  }
  if (start < n) parts.push(Buffer.from(chunk.subarray(start, n)));
}
