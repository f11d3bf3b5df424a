/**
 * The child process that runs one student's compiled code and answers calls to its functions.
 *
 * Runs as `node child.js <compiled-submission.js>`, started by client.ts. Order matters:
 * 1. capture the built-ins this file relies on (wire.ts captures its own on import), before any
 *    student code can patch them;
 * 2. wrap process.exit so an exit is reported as such rather than as a crash;
 * 3. load the submission: a throw at load becomes a 'load-error' message, not a crash;
 * 4. answer 'call' requests one line at a time, replying with encoded values or a described error.
 * Nothing here decides a verdict: that happens in the grader, out of this process's reach.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import { encodeValue, decodeValue, writeMessage, readMessage, WireLimitError } from './wire';
import { OUTPUT_MARK, type CallRequest, type ChildMessage, type ThrownError } from './protocol';

const REQUEST_FD = 3;
const REPLY_FD = 4;
const writeSync = fs.writeSync;
const StringCtor = String;
const ErrorCtor = Error;
const realExit = process.exit.bind(process);
const modulePath = process.argv[2];

// The streams' own write functions, taken before student code can replace them.
const stdoutWrite = process.stdout.write.bind(process.stdout);
const stderrWrite = process.stderr.write.bind(process.stderr);

/**
 * Ends the output of one call (or of loading) on stdout and stderr: see OUTPUT_MARK. Written
 * through the streams, not the raw fds, so it queues behind what the student's code wrote to them.
 */
function markOutput(id: number): void {
  for (const write of [stdoutWrite, stderrWrite]) {
    try { write(`${OUTPUT_MARK}${id}\n`); } catch { /* the student closed it: nothing to attribute */ }
  }
}

function send(message: ChildMessage): void {
  if (message.type === 'reply') markOutput(message.id);
  else if (message.type === 'ready' || message.type === 'load-error') markOutput(0);
  const buf = Buffer.from(writeMessage(message) + '\n', 'utf8');
  let offset = 0;
  while (offset < buf.length) {
    try {
      offset += writeSync(REPLY_FD, buf, offset, buf.length - offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    }
  }
}

function clip(text: string, max = 500): string {
  return text.length > max ? text.slice(0, max) + '…' : text;
}

/** Finds `line:col` of the first stack frame inside the submission (source maps give .ts lines). */
function locate(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  for (const line of stack.split('\n').slice(1, 30)) {
    const m = /vanishing-gradients\.ts:(\d+):(\d+)\)?\s*$/.exec(line);
    if (m) return `${m[1]}:${m[2]}`;
  }
  return undefined;
}

/** Describes a thrown value without trusting it: getters and toString may throw. */
function describeThrown(thrown: unknown): ThrownError {
  try {
    if (thrown instanceof ErrorCtor) {
      let name = 'Error';
      let message = '';
      try { name = typeof thrown.name === 'string' ? thrown.name : 'Error'; } catch { /* keep default */ }
      try { message = typeof thrown.message === 'string' ? thrown.message : StringCtor(thrown.message); } catch { message = '(its message could not be read)'; }
      let location: string | undefined;
      try { location = locate(thrown.stack); } catch { /* no location */ }
      return { name: clip(name, 80), message: clip(message), ...(location ? { location } : {}) };
    }
    // Not an Error: say what it was, without calling anything on it (toString may throw or loop).
    const kind = thrown === null ? 'null' : typeof thrown;
    let message: string;
    if (kind === 'string') message = clip(writeMessage(thrown));
    else if (kind === 'number' || kind === 'boolean' || kind === 'bigint') message = clip(StringCtor(thrown));
    else message = kind;
    return { name: kind, message, notAnError: true };
  } catch {
    return { name: 'value', message: 'a value that could not be described', notAnError: true };
  }
}

// 2. Report exits: a student calling process.exit must show up as that, never as a pass.
const reportExit = (code?: unknown): never => {
  try { send({ type: 'exit', code: typeof code === 'number' ? code : 0 }); } catch { /* parent gone */ }
  return realExit(typeof code === 'number' ? code : 0);
};
process.exit = reportExit as typeof process.exit;
process.on('uncaughtException', (err) => {
  // An error thrown later, from a timer the student started: note it, keep serving.
  try { process.stderr.write(`[uncaught] ${describeThrown(err).name}: ${describeThrown(err).message}\n`); } catch { /* ignore */ }
});
process.on('unhandledRejection', () => { /* a promise the student left rejected: not a verdict */ });

// 3. Load the submission.
let exportsObj: Record<string, unknown> = {};
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(modulePath) as unknown;
  exportsObj = (loaded && typeof loaded === 'object') ? (loaded as Record<string, unknown>) : {};
  const kinds: Record<string, string> = {};
  for (const key of Object.keys(exportsObj)) kinds[key] = typeof exportsObj[key];
  send({ type: 'ready', exports: kinds });
} catch (err) {
  send({ type: 'load-error', error: describeThrown(err) });
}

// 4. Serve calls.
function handle(request: CallRequest): void {
  const fn = exportsObj[request.fn];
  if (typeof fn !== 'function') {
    send({ type: 'reply', id: request.id, ok: false, error: { name: 'MissingExport', message: `${request.fn} is not an exported function` } });
    return;
  }
  let value: unknown;
  try {
    value = (fn as (...a: unknown[]) => unknown)(...(decodeValue(request.args) as unknown[]));
  } catch (err) {
    send({ type: 'reply', id: request.id, ok: false, error: describeThrown(err) });
    return;
  }
  let encoded: unknown;
  try {
    encoded = encodeValue(value);
  } catch (err) {
    const message = err instanceof WireLimitError
      ? `returned a value too large for the grader (${err.message})`
      : `returned a value that could not be read: ${describeThrown(err).message}`;
    send({ type: 'reply', id: request.id, ok: false, error: { name: 'UnreadableResult', message } });
    return;
  }
  send({ type: 'reply', id: request.id, ok: true, value: encoded });
}

const requests = new net.Socket({ fd: REQUEST_FD, readable: true, writable: false });
let pending = '';
requests.setEncoding('utf8');
requests.on('data', (chunk: string) => {
  pending += chunk;
  let nl: number;
  while ((nl = pending.indexOf('\n')) >= 0) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    handle(readMessage(line) as CallRequest);
  }
});
// The grader closing the channel means grading is over: leave, whatever timers the student left.
requests.on('end', () => realExit(0));
requests.on('error', () => realExit(0));
