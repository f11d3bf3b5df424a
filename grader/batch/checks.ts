/**
 * Batch: the one type checker's queue, in the orchestrator. Checks run one at a time, and a
 * check's time counts from its arrival, not from its start: behind submissions whose types take
 * the checker's whole time (type bombs), the others wait at most that long, and are then graded
 * without their check rather than holding their worker (and its watchdog) back.
 */

/** Why a check that waited its whole time was not run (the batch's doing, not the student's). */
export function notRunText(timeoutMs: number): string {
  return `the type check was not run: the batch's type checker was busy with other students' checks for ${timeoutMs / 1000} s; your code was graded without it`;
}

/** A queue over `check(source, timeoutMs)`: each source gets `timeoutMs` from its arrival. */
export function checkQueue(check: (source: string, timeoutMs: number) => Promise<string[]>, timeoutMs: number): (source: string) => Promise<string[]> {
  let last: Promise<unknown> = Promise.resolve();
  return (source) => {
    const deadline = Date.now() + timeoutMs;
    const done = last.then(() => {
      const left = deadline - Date.now();
      return left <= 0 ? [notRunText(timeoutMs)] : check(source, left);
    });
    last = done.catch(() => undefined);
    return done;
  };
}
