/**
 * What the student's code prints, collected from the child's stdout and stderr and attributed to
 * the calls that printed it by the child's output marks (protocol.ts). Everything read here comes
 * from student code and is hostile: what is kept is capped, and a mark that is not well-formed
 * (no end, a number out of order) is taken as the student's text, never as a mark.
 */
import type { Readable } from 'node:stream';
import { OUTPUT_MARK } from './protocol';

/** A mark's text after OUTPUT_MARK: `id:dropped`, two whole numbers; longer is not a mark. */
const MARK_TAIL_MAX = 32;

/** One call's (or the loading's) output. */
interface Kept {
  stdout: string;
  stderr: string;
  /** Characters not kept (past the cap). */
  dropped: number;
}

/** A call sent to the child, in order: output is attributed to these. */
export interface SentCall {
  /** The call's id. */
  id: number;
  /** The function called. */
  fn: string;
}

/** The output of one sandbox, across its children. */
export class OutputLog {
  private readonly kept = new Map<string, Kept>();
  /** The last output mark seen on each stream of the current child. */
  readonly marks = { stdout: -1, stderr: -1 };
  /** The last 4,000 characters of stderr (the child's fatal errors are read from it). */
  stderrTail = '';
  /** Nothing is kept any more (see Sandbox.stopKeeping). */
  muted = false;
  /** The sandbox is closed: nothing is kept, and marks are not followed. */
  closed = false;

  constructor(private readonly maxChars: number) {}

  /** What was printed, per function ('(loading)' for the module's top level). */
  captured(): Record<string, string> {
    const out: Record<string, string> = {};
    // stdout, then stderr: two pipes have no common order, and results must not depend on one.
    for (const [key, { stdout, stderr, dropped }] of this.kept) {
      const text = stdout + stderr;
      if (text.trim() === '' && dropped === 0) continue;
      out[key] = dropped > 0 ? `${text}\n… (${dropped} more characters not shown)` : text;
    }
    return out;
  }

  /**
   * Follows one of a child's output streams. Text before the load mark is '(loading)'; text after
   * the mark of call k belongs to the next call sent after k, or, when none was sent yet (a timer
   * the student left running), to the last call made. `current` says whether this child is still
   * the sandbox's (only the current child's marks move the sandbox's own).
   */
  follow(stream: Readable, sent: SentCall[], isStderr: boolean, current: () => boolean): void {
    let afterId = -1;
    const which = isStderr ? 'stderr' : 'stdout';
    this.marks[which] = -1;
    let carry = '';
    const owner = (): string => {
      if (afterId < 0) return '(loading)';
      const next = sent.find((c) => c.id > afterId);
      return (next ?? sent[sent.length - 1])?.fn ?? '(loading)';
    };
    let fatal = false;
    const entry = (key: string): Kept => {
      let e = this.kept.get(key);
      if (!e) this.kept.set(key, e = { stdout: '', stderr: '', dropped: 0 });
      return e;
    };
    const keep = (text: string): void => {
      if (!text || this.closed) return;
      if (isStderr) {
        this.stderrTail = (this.stderrTail + text).slice(-4000);
        // V8's report of a fatal out-of-memory is not the student's output (the verdict says it),
        // and its timings would make results differ from run to run.
        if (fatal) return;
        const at = text.search(/<--- Last few GCs --->|FATAL ERROR:/);
        if (at >= 0) {
          fatal = true;
          text = text.slice(0, at).replace(/\s+$/, '');
          if (!text) return;
        }
      }
      if (this.muted) return;
      const e = entry(owner());
      const room = this.maxChars - e.stdout.length - e.stderr.length;
      if (room > 0) e[which] += text.slice(0, room);
      e.dropped += Math.max(0, text.length - Math.max(room, 0));
    };
    /** The mark's numbers, when `tail` (what follows OUTPUT_MARK up to the newline) is a real mark. */
    const readMark = (tail: string): { id: number; dropped: number } | undefined => {
      const m = /^(\d{1,15}):(\d{1,15})$/.exec(tail);
      if (!m) return undefined;
      const id = Number(m[1]);
      // Marks only move forward, and never past the last call sent.
      const last = sent.length ? sent[sent.length - 1].id : 0;
      if (id < afterId || id > last) return undefined;
      return { id, dropped: Number(m[2]) };
    };
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      let text = carry + chunk;
      carry = '';
      let from = 0;
      for (;;) {
        const at = text.indexOf(OUTPUT_MARK, from);
        if (at < 0) break;
        const end = text.indexOf('\n', at);
        const tailEnd = end < 0 ? text.length : end;
        if (tailEnd - at - OUTPUT_MARK.length > MARK_TAIL_MAX) {
          // Too long to be a mark: the student's own text.
          from = at + 1;
          continue;
        }
        if (end < 0) break; // a mark cut in two: wait for the rest
        const mark = readMark(text.slice(at + OUTPUT_MARK.length, end));
        if (!mark) {
          from = at + 1;
          continue;
        }
        keep(text.slice(0, at));
        if (mark.dropped > 0 && !this.closed) entry(owner()).dropped += mark.dropped;
        afterId = mark.id;
        if (current()) this.marks[which] = afterId;
        text = text.slice(end + 1);
        from = 0;
      }
      // Hold back what may be the start of a mark (bounded: a mark is short); the rest is kept.
      const start = text.lastIndexOf(OUTPUT_MARK[0]);
      if (start >= 0 && start >= from) {
        const tail = text.slice(start);
        const markBegins = OUTPUT_MARK.startsWith(tail)
          || (tail.startsWith(OUTPUT_MARK) && tail.length <= OUTPUT_MARK.length + MARK_TAIL_MAX && /^[\d:]*$/.test(tail.slice(OUTPUT_MARK.length)));
        if (markBegins) {
          carry = tail;
          text = text.slice(0, start);
        }
      }
      keep(text);
    });
  }
}
