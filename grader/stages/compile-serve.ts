/**
 * The loop a compiler child runs (compile-child.ts states the channel and the protocol): reads
 * jobs from stdin, runs each, writes its reply. A module of its own, so that the type checker's
 * startup snapshot (check-snapshot-entry.ts) serves with it and bundles neither the script's
 * `require.main` test nor the transpile's esbuild.
 */
import * as fs from 'node:fs';

const JOBS_FD = 0;
const REPLIES_FD = 3;

/** A job: source in, a JSON-able value out (it may throw: that job's failure). */
export type JobFunction = (source: string) => unknown;

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

function run(job: JobFunction, source: string): void {
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

/**
 * Serves jobs of the kind argv names (`node compile-child.js <kind>`: argv[2]) until the grader
 * closes the pipe; `jobFor` gives that kind's function (undefined: a kind this process cannot do).
 * Never returns.
 */
export function serve(jobFor: (kind: string) => JobFunction | undefined): never {
  const kind = process.argv[2];
  const job = kind === 'transpile' || kind === 'check' ? jobFor(kind) : undefined;
  if (!job) {
    process.stderr.write(`compile-child: the job kind must be transpile or check; got ${String(kind)}\n`);
    process.exit(64);
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
      run(job, (JSON.parse(line) as { source: string }).source);
    }
    if (start < n) parts.push(Buffer.from(chunk.subarray(start, n)));
  }
}
