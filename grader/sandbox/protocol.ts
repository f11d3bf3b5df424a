/**
 * Messages exchanged with the sandbox child, one JSON line each (see wire.ts for values).
 * Requests travel on the child's fd 3, replies on its fd 4; the child's stdout and stderr are
 * left to the student's own output, which the grader captures but never parses.
 */

/** What went wrong when student code threw, described without trusting the thrown value. */
export interface ThrownError {
  /** The error's class name (`RangeError`), or the kind of value thrown (`a string`). */
  name: string;
  /** The error's message, or a rendering of the thrown value, capped in length. */
  message: string;
  /** `line:column` in the student's file where it was thrown, when the stack says so. */
  location?: string;
  /** Set when the thrown value was not an Error (a string, an object, undefined …). */
  notAnError?: boolean;
}

/** The grader asks the child to call one exported function. */
export interface CallRequest {
  /** Always 'call'. */
  type: 'call';
  /** Correlates the reply with this request. */
  id: number;
  /** The exported function's name. */
  fn: string;
  /** Encoded arguments. */
  args: unknown[];
}

/**
 * The grader asks the child to mark the end of the output so far on stdout and stderr (with the
 * id of the last call served): marks are otherwise written only where output follows.
 */
export interface FlushRequest {
  /** Always 'flush'. */
  type: 'flush';
  /** The last call's id. */
  id: number;
}

/** Grader → child messages. */
export type Request = CallRequest | FlushRequest;

/** Child → grader messages. */
export type ChildMessage =
  /** `omitted`: how many exports the listing left out (MAX_EXPORTS_LISTED and the limits beside it). */
  | { type: 'ready'; exports: Record<string, string>; omitted?: number }
  | { type: 'load-error'; error: ThrownError }
  /**
   * `changed`: the indices of the arguments (arrays and objects) the call changed in place;
   * `returnedArgument`: the index of an argument the call returned itself (not a copy).
   */
  | { type: 'reply'; id: number; ok: true; value: unknown; changed?: number[]; returnedArgument?: number }
  | { type: 'reply'; id: number; ok: false; error: ThrownError }
  | { type: 'exit'; code: number };

/**
 * Written by the child to its stdout or stderr as `MARK + id + ":" + dropped + "\n"`: right after
 * loading (id 0) on both; before the first output of call k on that stream, a mark for k - 1 when
 * the stream's last mark is older (so text after mark j belongs to the first call after j); and
 * on both when the grader asks (a flush). `dropped` counts the characters the child did not send
 * (past its own cap) since the stream's previous mark. The student's output travels on other
 * pipes than the replies, so only these marks say, deterministically, which call printed what;
 * written lazily, a call that prints nothing costs no output traffic at all.
 */
export const OUTPUT_MARK = '\u001eVG-OUTPUT-MARK:';

/**
 * The exports a `ready` message lists (the lab has five functions; a module may have any number,
 * with names of any length): at most this many names, each at most MAX_EXPORT_NAME characters,
 * MAX_EXPORT_CHARS characters in all (so that the line stays far below the 1 MB a line may have,
 * even with every character escaped in JSON). The child lists short names first and counts what
 * it leaves out in `omitted`: a student's module over these limits is graded as usual; only a
 * `ready` over them (which the child never writes) is forged. Both sides read them from here.
 */
export const MAX_EXPORTS_LISTED = 20_000;
/** Longest export name listed (longer ones are counted, not listed). */
export const MAX_EXPORT_NAME = 1024;
/** Characters of listed names in all. */
export const MAX_EXPORT_CHARS = 96 * 1024;
/** Names of at most this many characters are listed first, before longer ones. */
export const SHORT_EXPORT_NAME = 64;

/**
 * The environment variable that tells the child the submission's file name (the lab's, `<id>.ts`):
 * it finds the student's frames in a stack trace by it (the compiled module is `<id>.js`).
 */
export const SUBMISSION_FILE_ENV = 'VG_SUBMISSION_FILE';
