/**
 * The watchdog's second line, once its time has run out (see watchdog.ts): it ends a grader whose
 * own timer cannot fire (its event loop blocked) and writes the result the grader could not.
 *
 * A shell started by the grader waits (watchdog.ts); it starts this script only if the grader's
 * allowance runs out before the grader ends, with the orders as its one argument: the grader's
 * pid, the time it was given, and its command's arguments and seed. It writes the catastrophic
 * result as the grader would have, through cli.ts (to the grader's own stdout too), then kills the
 * grader (SIGKILL: a blocked loop serves no gentler signal; its sandbox and compiler children carry
 * a parent-death signal).
 */
interface Orders {
  /** The grader's pid. */
  pid: number;
  /** How long it was given, in ms. */
  ms: number;
  /** The grade command's arguments. */
  argv: string[];
  /** The seed the grader drew. */
  seed: number;
}

function expire(orders: Orders): void {
  // The result first, then the end of the grader: whoever reads the results once the grade
  // command has ended (a platform's script, a CI step) finds them there. The grader is blocked
  // (else its own watchdog would have acted): it writes nothing meanwhile.
  try {
    process.kill(orders.pid, 0);
  } catch {
    // Already gone: its own watchdog or its end got there first.
    process.exit(0);
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cli = require('./cli') as typeof import('./cli');
    cli.emitStopped(orders.argv, orders.seed, orders.ms);
  } finally {
    try { process.kill(orders.pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
  }
  process.exitCode = 1;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('./watchdog') as typeof import('./watchdog')).exitWhenFlushed();
}

expire(JSON.parse(process.argv[2]) as Orders);
