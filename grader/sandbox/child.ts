/**
 * The child process that runs one student's compiled code and answers calls to its functions.
 *
 * Runs as `node child.js <compiled-submission.js>`, started by client.ts. Order matters:
 * 1. capture the built-ins this file relies on (wire.ts captures its own on import), before any
 *    student code can patch them;
 * 2. route stdout and stderr through synchronous writes, and wrap process.exit so that an exit is
 *    reported as such rather than as a crash;
 * 3. take away what a lab never needs and an attacker would (modules that run code from strings,
 *    reach the network or other processes; signals; network globals);
 * 4. load the submission: a throw at load becomes a 'load-error' message, not a crash;
 * 5. serve 'call' requests in a blocking loop of synchronous reads and writes.
 * All I/O is synchronous on raw file descriptors: Node's stream machinery is not robust to a
 * student who patches Array.prototype or Function.prototype, and a blocking loop also means that
 * timers and promises the student leaves behind never run between calls.
 * Nothing here decides a verdict: that happens in the grader, out of this process's reach. And
 * nothing here is the security boundary: that is the operating system's (isolation.ts). These
 * guards only make the first steps of an attack harder, in every mode.
 */
import * as fs from 'node:fs';
import Module = require('node:module');
import { encodeValue, decodeValue, sameWire, writeMessage, readMessage, WireLimitError, DEFAULT_WIRE_LIMITS } from './wire';
import { MAX_EXPORT_CHARS, MAX_EXPORT_NAME, MAX_EXPORTS_LISTED, OUTPUT_MARK, SHORT_EXPORT_NAME, SUBMISSION_FILE_ENV, type CallRequest, type ChildMessage, type Request, type ThrownError } from './protocol';


const REQUEST_FD = 3;
const REPLY_FD = 4;
const writeSync = fs.writeSync;
const StringCtor = String;
const ErrorCtor = Error;
const objectKeys = Object.keys;
const reflectApply = Reflect.apply;
const bufferFrom = Buffer.from.bind(Buffer) as (s: string, enc: BufferEncoding) => Buffer;
const { bind, call } = Function.prototype;
const uncurry = bind.bind(call) as <A extends unknown[], R>(f: (...args: A) => R) => (self: unknown, ...args: A) => R;
const indexOf = uncurry(String.prototype.indexOf) as (s: string, search: string) => number;
const slice = uncurry(String.prototype.slice) as (s: string, start: number, end?: number) => string;
const regexExec = uncurry(RegExp.prototype.exec) as (re: RegExp, s: string) => RegExpExecArray | null;
const setHas = uncurry(Set.prototype.has) as (set: Set<string>, value: string) => boolean;
const realExit = process.exit.bind(process);
const reallyExit = (process as unknown as { reallyExit?: (code: number) => never }).reallyExit;
/** Ends the process now: no 'exit' listeners, no pending timers. */
const hardExit = (code: number): never => (typeof reallyExit === 'function' ? reflectApply(reallyExit, process, [code]) : realExit(code)) as never;
const modulePath = process.argv[2];
/**
 * Most items one reply may hold (the grader's limit, which it checks again): a value past it is
 * refused here, before it is encoded and sent, so that neither process spends work on it.
 */
const replyLimits = { ...DEFAULT_WIRE_LIMITS, maxItems: Number(process.env.VG_MAX_REPLY_ITEMS) || DEFAULT_WIRE_LIMITS.maxItems };
const guarded = process.argv[3] !== '--test-unguarded';
/**
 * A stack frame in the submission: its file name (the lab's, from the grader; else this module's
 * own), as `.js` (the compiled module) or `.ts`, then `:line:col`. Built before student code loads.
 */
const submissionStem = (process.env[SUBMISSION_FILE_ENV] || modulePath.slice(modulePath.lastIndexOf('/') + 1)).replace(/\.[cm]?[jt]s$/, '');
const escapedStem = submissionStem.replace(/[.*+?^$|()[\]{}\\]/g, '\\$&');
// At most 9 digits each, as the grader accepts (messages.ts): a longer one is no real position,
// only a stack the submission wrote itself, and it must not make this child's reply malformed.
const SUBMISSION_FRAME = new RegExp(escapedStem + String.raw`\.[jt]s:(\d{1,9}):(\d{1,9})\)?\s*$`);

const readSync = fs.readSync;
const bufferAlloc = Buffer.alloc.bind(Buffer);
const bufferCopy = uncurry(Buffer.prototype.copy) as (src: Buffer, target: Buffer, targetStart: number, sourceStart?: number, sourceEnd?: number) => number;
const isView = ArrayBuffer.isView;
const bufferToString = uncurry(Buffer.prototype.toString) as (b: Buffer, enc: string, start?: number, end?: number) => string;
const bufferIndexOf = uncurry(Buffer.prototype.indexOf) as (b: Buffer, value: number) => number;
const bufferSubarray = uncurry(Buffer.prototype.subarray) as (b: Buffer, start: number, end?: number) => Buffer;
const isUint8Array = (v: unknown): v is Uint8Array => isView(v);

/** Writes all of `data` to `fd`, waiting out a full pipe (the grader is reading it). */
function writeAll(fd: number, data: string | Uint8Array): void {
  const buf = typeof data === 'string' ? bufferFrom(data, 'utf8') : data;
  let offset = 0;
  while (offset < buf.length) {
    try {
      offset += writeSync(fd, buf, offset, buf.length - offset);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    }
  }
}

/**
 * Output kept per call (or for loading) and per stream; the rest is only counted. The grader shows
 * less than this anyway, and a flood (100 MB to stdout) then costs no pipe traffic at all.
 */
const OUTPUT_KEPT = 16 * 1024;
/** Characters sent, per stream, for the call `writtenFor` (the cap is per call and stream). */
const written = [0, 0, 0];
const writtenFor = [0, 0, 0];
/** Characters not sent, per stream, since its last mark. */
const dropped = [0, 0, 0];
/** The id of each stream's last mark (-1: none yet, output so far is the loading's). */
const markedTo = [-1, -1, -1];
/** The call being served (0 while loading), and the last one served. */
let currentId = 0;
let lastServed = 0;

/** Writes a mark for call `id` on one stream: see OUTPUT_MARK. */
function mark(fd: number, id: number): void {
  try { writeAll(fd, `${OUTPUT_MARK}${id}:${dropped[fd]}\n`); } catch { /* the pipe is gone: nothing to attribute */ }
  dropped[fd] = 0;
  markedTo[fd] = id;
}

/** Marks both streams (after loading, and when the grader flushes). */
function markBoth(id: number): void {
  // Two plain calls, not a loop over an array: Array.prototype[Symbol.iterator] may be patched.
  mark(1, id);
  mark(2, id);
}

function send(message: ChildMessage): void {
  if (message.type === 'ready' || message.type === 'load-error') markBoth(0);
  writeAll(REPLY_FD, writeMessage(message) + '\n');
}

function clip(text: string, max = 500): string {
  return text.length > max ? slice(text, 0, max) + '…' : text;
}

/** Finds `line:col` of the first stack frame inside the compiled submission (the grader maps it back to the .ts). */
function locate(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  let rest = stack;
  for (let i = 0; i < 30; i++) {
    const nl = indexOf(rest, '\n');
    const line = nl < 0 ? rest : slice(rest, 0, nl);
    const m = i > 0 ? regexExec(SUBMISSION_FRAME, line) : null;
    if (m) return `${m[1]}:${m[2]}`;
    if (nl < 0) break;
    rest = slice(rest, nl + 1);
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

// 2. Output goes straight to the pipes, in order with the output marks; exits are reported.
const directWrite = (fd: number) => (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
  try {
    const data = isUint8Array(chunk) ? chunk : StringCtor(chunk);
    // The first output of a call on this stream: a mark first, unless the last one is recent.
    if (currentId > 0 && markedTo[fd] < currentId - 1) mark(fd, currentId - 1);
    if (writtenFor[fd] !== currentId) {
      writtenFor[fd] = currentId;
      written[fd] = 0;
    }
    const room = OUTPUT_KEPT - written[fd];
    if (data.length <= room) {
      writeAll(fd, data);
      written[fd] += data.length;
    } else {
      if (room > 0) writeAll(fd, typeof data === 'string' ? slice(data, 0, room) : bufferSubarray(data as Buffer, 0, room));
      written[fd] = OUTPUT_KEPT;
      dropped[fd] += data.length - Math.max(room, 0);
    }
  } catch { /* the grader stopped reading: drop it */ }
  const cb = typeof encoding === 'function' ? encoding : callback;
  if (typeof cb === 'function') cb();
  return true;
};
/**
 * process.stdout and process.stderr stay lazy, as Node made them: the stream is made (and its
 * write replaced) when something first uses it, such as a console.log. Made here, at every start,
 * they cost each child about 5 ms of CPU for a code that never prints (Node loads its stream
 * modules for them, and this child's V8 flags make it compile those without their code cache).
 * The write is defined on the stream itself, so no setter a submission may have put on a prototype
 * by then is called.
 */
const defineProperty = Object.defineProperty;
const ownDescriptor = Object.getOwnPropertyDescriptor;
function routeLazily(name: 'stdout' | 'stderr', fd: number): void {
  const made = ownDescriptor(process, name);
  if (!made?.get) {
    // Not a getter on this Node: the stream exists already.
    (process[name] as { write: unknown }).write = directWrite(fd);
    return;
  }
  const make = made.get;
  let stream: NodeJS.WriteStream | undefined;
  defineProperty(process, name, {
    configurable: true,
    enumerable: made.enumerable,
    get: () => {
      if (stream === undefined) {
        stream = reflectApply(make, process, []) as NodeJS.WriteStream;
        defineProperty(stream, 'write', { value: directWrite(fd), writable: true, configurable: true, enumerable: false });
      }
      return stream;
    },
  });
}
routeLazily('stdout', 1);
routeLazily('stderr', 2);
const reportExit = (code?: unknown): never => {
  try { send({ type: 'exit', code: typeof code === 'number' ? code : 0 }); } catch { /* parent gone */ }
  return realExit(typeof code === 'number' ? code : 0);
};
process.exit = reportExit as typeof process.exit;

// 3. Guards. Built-in modules a lab never needs, and that would run code from strings (vm, v8's
//    flags), open a debugger (inspector), or reach the network or other processes, are refused to
//    every require in this process, whichever way it is reached (require, module.createRequire,
//    process.getBuiltinModule); so are signals and the network globals.
const builtinNames = new Set<string>(Module.builtinModules);
const DENIED_MODULES = new Set([
  'vm', 'v8', 'inspector', 'inspector/promises', 'trace_events', 'worker_threads', 'cluster', 'child_process',
  'net', 'dgram', 'dns', 'dns/promises', 'http', 'https', 'http2', 'tls', 'repl', 'wasi', 'diagnostics_channel', 'async_hooks',
  // sqlite opens and creates files outside Node's permission model (a review wrote a file where
  // the grader keeps its font configuration, and later grades failed); os reaches other processes
  // (os.setPriority, where the sandbox shares the grader's user); crypto and zlib hand work to
  // threads of their own (counted against the submission all the same: clock.ts); test runs
  // files, sea reads the running binary.
  'sqlite', 'os', 'crypto', 'zlib', 'test', 'test/reporters', 'sea',
]);
function deniedName(request: unknown): string | undefined {
  if (typeof request !== 'string') return undefined;
  const bare = slice(request, 0, 5) === 'node:' ? slice(request, 5) : request;
  // And every built-in whose name begins with an underscore: Node's old internal names, such as
  // _http_agent and _tls_wrap, reach the network the denied modules guard (a review connected
  // out of a uid sandbox that way). No package or file of the submission's is named so.
  // (Set.prototype.has as it was before student code: a submission may replace it.)
  return setHas(DENIED_MODULES, bare) || (slice(bare, 0, 1) === '_' && setHas(builtinNames, bare)) ? bare : undefined;
}
function refuse(what: string): never {
  throw new ErrorCtor(`${what} is not available while your code is graded (the lab needs none of it)`);
}
if (guarded) {
  const host = Module as unknown as { _load: (request: unknown, ...rest: unknown[]) => unknown };
  const load = host._load;
  const guardedLoad = function (this: unknown, request: unknown): unknown {
    const denied = deniedName(request);
    if (denied !== undefined) refuse(`the module '${denied}'`);
    // `arguments` as they came: no spread, which would use an iterator the student may replace.
    // eslint-disable-next-line prefer-rest-params
    return reflectApply(load, this, arguments);
  };
  const fixed = (target: object, key: string, value: unknown): void => {
    try { Object.defineProperty(target, key, { value, writable: false, configurable: false, enumerable: false }); } catch { /* absent on this Node */ }
  };
  fixed(host, '_load', guardedLoad);
  const getBuiltin = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (typeof getBuiltin === 'function') {
    fixed(process, 'getBuiltinModule', (id: unknown) => {
      const denied = deniedName(id);
      if (denied !== undefined) refuse(`the module '${denied}'`);
      return reflectApply(getBuiltin, process, [id]);
    });
  }
  fixed(process, 'kill', () => refuse('process.kill'));
  fixed(process, '_kill', () => refuse('process.kill'));
  fixed(process, 'binding', () => refuse('process.binding'));
  fixed(process, '_linkedBinding', () => refuse('process._linkedBinding'));
  fixed(process, 'dlopen', () => refuse('process.dlopen'));
  fixed(process, '_debugProcess', () => refuse('process._debugProcess'));
  fixed(process, 'openStdin', () => refuse('process.openStdin'));
  // And WebAssembly: a lab needs none, and compiling it runs on V8's helper threads, whose CPU time
  // the sandbox's clock does not count (a review burned 1.4 cores that way, uncounted).
  for (const name of ['fetch', 'WebSocket', 'EventSource', 'Request', 'Response', 'Headers', 'FormData', 'XMLHttpRequest', 'WebAssembly']) {
    try { delete (globalThis as Record<string, unknown>)[name]; } catch { /* not deletable: leave it */ }
  }
}

// libuv's thread pool is made now, before the submission runs, with the size the grader gave
// (UV_THREADPOOL_SIZE, 1): its threads are made at its first use with the size the environment
// says then, and a submission could ask for dozens first. Its work counts as the submission's CPU
// time all the same (clock.ts).
fs.stat(modulePath, () => undefined);

// 4. Load the submission.
let exportsObj: Record<string, unknown> = {};
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = require(modulePath) as unknown;
  exportsObj = (loaded && typeof loaded === 'object') ? (loaded as Record<string, unknown>) : {};
  // The exports' names and kinds, within what the grader accepts (messages.ts): short names first
  // (the lab's functions have short names), then longer ones while the count and the characters
  // allow; the rest is only counted. A module may export what it likes: none of it is an error.
  const kinds: Record<string, string> = {};
  const keys = objectKeys(exportsObj);
  let listed = 0;
  let chars = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if ((pass === 0) !== (k.length <= SHORT_EXPORT_NAME)) continue;
      if (k.length > MAX_EXPORT_NAME || listed >= MAX_EXPORTS_LISTED || chars + k.length > MAX_EXPORT_CHARS) continue;
      kinds[k] = typeof exportsObj[k];
      listed++;
      chars += k.length;
    }
  }
  // A variable, not a literal: `omitted` is a field of the ready message that only messages.ts reads.
  const ready = { type: 'ready' as const, exports: kinds, omitted: keys.length - listed };
  send(ready);
} catch (err) {
  send({ type: 'load-error', error: describeThrown(err) });
}

// 5. Serve calls.
function handle(request: CallRequest): void {
  currentId = request.id;
  lastServed = request.id;
  let fn: unknown;
  try {
    // A getter on the exports runs student code: it may throw, and that is the call's error.
    fn = exportsObj[request.fn];
  } catch (err) {
    send({ type: 'reply', id: request.id, ok: false, error: describeThrown(err) });
    return;
  }
  if (typeof fn !== 'function') {
    send({ type: 'reply', id: request.id, ok: false, error: { name: 'MissingExport', message: `${request.fn} is not an exported function` } });
    return;
  }
  let value: unknown;
  // Empty slots stay empty: the student's function meets the array as the caller made it.
  const args = decodeValue(request.args, undefined, { holes: 'empty' }) as unknown[];
  try {
    // Reflect.apply, not a spread: a spread would use Array.prototype[Symbol.iterator], which the
    // student's code may have replaced.
    value = reflectApply(fn as (...a: unknown[]) => unknown, undefined, args);
  } catch (err) {
    send({ type: 'reply', id: request.id, ok: false, error: describeThrown(err) });
    return;
  }
  let encoded: unknown;
  try {
    encoded = encodeValue(value, replyLimits);
  } catch (err) {
    const message = err instanceof WireLimitError
      ? `returned a value too large to grade (${err.message} in one answer; the lab's answers hold a few hundred)`
      : `returned a value that could not be read: ${describeThrown(err).message}`;
    send({ type: 'reply', id: request.id, ok: false, error: { name: 'UnreadableResult', message } });
    return;
  }
  send({ type: 'reply', id: request.id, ok: true, value: encoded, ...argumentsAfter(request.args as unknown[], args, value) });
}

/**
 * What the call did to its arguments: which arrays and objects it changed in place (encoded again
 * and compared with what was sent: the work is bounded by the reply's limits), and whether it
 * returned one of them itself. Numbers and strings cannot be changed by a call.
 */
function argumentsAfter(sent: unknown[], args: unknown[], value: unknown): { changed?: number[]; returnedArgument?: number } {
  const out: { changed?: number[]; returnedArgument?: number } = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a !== 'object' || a === null) continue;
    if (value === a && out.returnedArgument === undefined) out.returnedArgument = i;
    let same: boolean;
    try {
      // The limits the grader encoded the request with (a reply's are smaller): an argument as
      // large as the request allowed is read again whole; one grown past them has changed.
      same = sameWire(encodeValue(a, DEFAULT_WIRE_LIMITS), sent[i]);
    } catch {
      same = false;
    }
    if (!same) (out.changed ??= [])[out.changed.length] = i;
  }
  return out;
}

/** Reads one request line from the grader; undefined when the grader closed the channel. */
const chunk = bufferAlloc(64 * 1024);
let pending: Buffer = bufferAlloc(0);
function readRequest(): string | undefined {
  for (;;) {
    const nl = bufferIndexOf(pending, 10);
    if (nl >= 0) {
      const line = bufferToString(pending, 'utf8', 0, nl);
      pending = bufferSubarray(pending, nl + 1);
      return line;
    }
    let n: number;
    try {
      n = readSync(REQUEST_FD, chunk, 0, chunk.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      return undefined;
    }
    if (n === 0) return undefined;
    const grown = bufferAlloc(pending.length + n);
    bufferCopy(pending, grown, 0);
    bufferCopy(chunk, grown, pending.length, 0, n);
    pending = grown;
  }
}

// The grader closing the channel means grading is over: leave, whatever the student left behind.
// Nothing may leave this loop but that: an exception escaping it would hand the event loop (and
// the channel's descriptors) to the student's timers and 'uncaughtException' listeners. So any
// throw ends the process at once, without the 'exit' listeners a student may have added.
try {
  for (let line = readRequest(); line !== undefined; line = readRequest()) {
    const request = readMessage(line) as Request;
    if (request.type === 'flush') markBoth(lastServed);
    else handle(request);
  }
  hardExit(0);
} catch {
  hardExit(70);
}
