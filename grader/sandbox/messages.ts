/**
 * The grader's reading of the child's reply channel. Student code can write to that channel (an
 * escape from the child's serve loop, or a plain write to its file descriptor), so every line is
 * hostile data: it is parsed, checked against the protocol's shapes and limits, and its value
 * decoded within depth and size limits. Anything else is a protocol violation, which the sandbox
 * charges to the student's own call, never to the grader or to another test.
 */
import { decodeValue, WireLimitError, type WireLimits } from './wire';
import { MAX_EXPORT_CHARS, MAX_EXPORT_NAME, MAX_EXPORTS_LISTED, type ChildMessage, type ThrownError } from './protocol';

/** Decoding limits for a reply's value: above what the child's encoder ever sends (depth 16). */
export const REPLY_LIMITS: WireLimits = { maxItems: 200_000, maxDepth: 40 };

// The limits on the exports a `ready` message lists live in protocol.ts, which the child's runtime holds too.
export { MAX_EXPORT_CHARS, MAX_EXPORT_NAME, MAX_EXPORTS_LISTED } from './protocol';

/** A line that breaks the protocol, with what was wrong (for logs; students get one sentence). */
export class ProtocolViolation extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
/** An argument's index (a call takes few arguments). */
const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 64;
const isShortString = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;

function thrownError(v: unknown): ThrownError {
  if (!isObject(v) || !isShortString(v.name, 200) || !isShortString(v.message, 2000)) throw new ProtocolViolation('malformed error');
  if (v.location !== undefined && !(typeof v.location === 'string' && /^\d{1,9}:\d{1,9}$/.test(v.location))) throw new ProtocolViolation('malformed location');
  if (v.notAnError !== undefined && typeof v.notAnError !== 'boolean') throw new ProtocolViolation('malformed notAnError');
  return { name: v.name, message: v.message, ...(v.location ? { location: v.location } : {}), ...(v.notAnError ? { notAnError: true } : {}) };
}

/**
 * One line from the child as a message, with any value already decoded; throws a
 * {@link ProtocolViolation} for anything that is not one (or a {@link WireLimitError} for a value
 * over the limits).
 */
export function parseChildMessage(line: string, replyLimits: WireLimits = REPLY_LIMITS): ChildMessage {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    throw new ProtocolViolation('not JSON');
  }
  if (!isObject(data)) throw new ProtocolViolation('not an object');
  switch (data.type) {
    case 'ready': {
      if (!isObject(data.exports)) throw new ProtocolViolation('malformed exports');
      const keys = Object.keys(data.exports);
      if (keys.length > MAX_EXPORTS_LISTED) throw new ProtocolViolation('too many exports');
      if (data.omitted !== undefined && !(typeof data.omitted === 'number' && Number.isSafeInteger(data.omitted) && data.omitted >= 0)) throw new ProtocolViolation('malformed omitted');
      // (Not named `exports`: the module's own constants compile to `exports.NAME` in CommonJS.)
      const listed: Record<string, string> = {};
      let chars = 0;
      for (const k of keys) {
        const kind = data.exports[k];
        chars += k.length;
        if (!isShortString(kind, 20) || k.length > MAX_EXPORT_NAME || chars > MAX_EXPORT_CHARS) throw new ProtocolViolation('malformed export');
        Object.defineProperty(listed, k, { value: kind, enumerable: true, writable: true, configurable: true });
      }
      return { type: 'ready', exports: listed, omitted: typeof data.omitted === 'number' ? data.omitted : 0 };
    }
    case 'load-error':
      return { type: 'load-error', error: thrownError(data.error) };
    case 'exit':
      if (typeof data.code !== 'number' || !Number.isInteger(data.code)) throw new ProtocolViolation('malformed exit');
      return { type: 'exit', code: data.code };
    case 'reply':
      if (!isId(data.id)) throw new ProtocolViolation('malformed id');
      if (data.ok === true) {
        try {
          const value = decodeValue(data.value, replyLimits);
          const extra: { changed?: number[]; returnedArgument?: number } = {};
          if (data.changed !== undefined) {
            if (!Array.isArray(data.changed) || data.changed.length > 64 || !data.changed.every(isIndex)) throw new ProtocolViolation('malformed changed');
            extra.changed = [...data.changed];
          }
          if (data.returnedArgument !== undefined) {
            if (!isIndex(data.returnedArgument)) throw new ProtocolViolation('malformed returnedArgument');
            extra.returnedArgument = data.returnedArgument;
          }
          return { type: 'reply', id: data.id, ok: true, value, ...extra };
        } catch (err) {
          if (err instanceof WireLimitError || err instanceof ProtocolViolation) throw err;
          throw new ProtocolViolation('malformed value');
        }
      }
      if (data.ok === false) return { type: 'reply', id: data.id, ok: false, error: thrownError(data.error) };
      throw new ProtocolViolation('malformed reply');
    default:
      throw new ProtocolViolation('unknown message type');
  }
}
