/**
 * The watchdog's second line, a process of its own (see watchdog.ts): it ends a grader whose own
 * timer cannot fire (its event loop blocked) and writes the result the grader could not.
 *
 * The grader starts it with a pipe on its stdin and writes one line: its pid, the time to wait,
 * and its command's arguments and seed. The pipe's end (the grader exited, however: done, Ctrl-C,
 * killed) ends this process quietly. Past the time, it writes the catastrophic result as the
 * grader would have, through cli.ts (to the grader's own stdout too), then kills the grader
 * (SIGKILL: a blocked loop serves no gentler signal; its sandbox and compiler children carry a
 * parent-death signal). Nothing of the kit is
 * loaded before that moment, so that it costs a grading only a Node start.
 */
interface Orders {
  /** The grader's pid. */
  pid: number;
  /** How long to wait, in ms, from when the orders arrive. */
  ms: number;
  /** The grade command's arguments. */
  argv: string[];
  /** The seed the grader drew. */
  seed: number;
}

let input = '';
let timer: NodeJS.Timeout | undefined;
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  if (timer) return;
  input += chunk;
  const nl = input.indexOf('\n');
  if (nl < 0) return;
  const orders = JSON.parse(input.slice(0, nl)) as Orders;
  timer = setTimeout(() => expire(orders), orders.ms);
});
// The grader is gone (it finished, or was stopped): nothing to watch.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));

function expire(orders: Orders): void {
  // From here on the grader's end is this process's doing, not a sign to leave.
  process.stdin.removeAllListeners('end');
  process.stdin.removeAllListeners('error');
  process.stdin.on('error', () => undefined);
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
