/**
 * What a command's own output streams meet. A reader that went away (EPIPE: `| head -1`) ends
 * nothing: the files the run writes (--out, the grades, the report folders) are complete, and the
 * status stays the run's. Any other failure of stdout (a full disk behind a redirect) loses output
 * the caller asked for: it is said on stderr when stderr still works, and the status becomes 1.
 * stderr's own failures (progress and notes sent to a full disk) change nothing: there is nowhere
 * to say them, and nothing asked for is lost. Without a listener, each was an uncaught 'error'
 * event and a stack trace.
 */

let failed = false;

/** Watches stdout and stderr for `command` (its name starts the one line said); idempotent. */
export function watchOutput(command: string): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.listenerCount('error') > 0) continue;
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED' || stream !== process.stdout) return;
      if (!failed) {
        try { process.stderr.write(`${command}: the output could not be written (${err.code ?? err.message})\n`); } catch { /* nowhere to say it */ }
      }
      failed = true;
      process.exitCode = 1;
    });
  }
}

/** Whether stdout failed (for another reason than a reader that went away). */
export function outputFailed(): boolean {
  return failed;
}
