/**
 * The `ready` message's export listing: whatever a real module exports (names of 250 or 5000
 * characters, thousands of names, names no identifier could have), the child lists what the grader
 * accepts and counts the rest, and the module is graded as usual; a `ready` over the grader's
 * limits (which the child never writes) is still a protocol violation. Needs the built child
 * runtime (npm test builds it first).
 */
import { DEFAULT_SANDBOX_LIMITS, type Sandbox } from '../../grader/sandbox/client';
import { testSandboxes } from '../support/sandbox';
import { MAX_EXPORT_CHARS, MAX_EXPORT_NAME, MAX_EXPORTS_LISTED, parseChildMessage, ProtocolViolation } from '../../grader/sandbox/messages';

const sandboxes = testSandboxes('vg-exports-test-');
const sandboxFor = (js: string): Sandbox => sandboxes.sandboxFor(js);

afterAll(() => sandboxes.dispose());

describe('a module exports what it likes', () => {
  test.each([
    ['a helper with a 250-character name', `exports.${'h'.repeat(250)} = () => 0;`],
    ['a helper with a 5000-character name', `exports.${'h'.repeat(5000)} = () => 0;`],
    ['names past the listed count, before the lab\'s (short names are listed first)', `for (let i = 0; i < ${MAX_EXPORTS_LISTED + 500}; i++) exports['helper_' + 'x'.repeat(60) + i] = i;`],
    ['long names past the listed characters', `for (let i = 0; i < 200; i++) exports[String(i).padStart(${MAX_EXPORT_NAME}, 'z')] = i;`],
    ['names no identifier could have: controls, quotes, a line break, lone surrogates', 'exports["\\u0000\\n\\"\\u001b[2J\\ud800"] = 1; exports["__proto__"] = 2; exports["constructor"] = 3;'],
  ])('%s: loaded, its functions called', async (_, more) => {
    const sb = sandboxFor(`${more}\nexports.sigmoid = (x) => 1 / (1 + Math.exp(-x));\n`);
    expect(await sb.call('sigmoid', [0])).toEqual({ kind: 'returned', value: 0.5 });
    expect((await sb.exports())?.sigmoid).toBe('function');
  });

  test('more names than are listed (a loop, no source file could): loaded, not refused; the names first in order listed while the count and characters allow, the rest counted', async () => {
    const sb = sandboxFor(`exports.sigmoid = (x) => 1 / (1 + Math.exp(-x));\nfor (let i = 0; i < ${MAX_EXPORTS_LISTED + 10}; i++) exports['n' + i] = i;\n`);
    expect(await sb.call('sigmoid', [0])).toEqual({ kind: 'returned', value: 0.5 });
    const listed = await sb.exports();
    const count = Object.keys(listed ?? {}).length;
    expect(count).toBeLessThanOrEqual(MAX_EXPORTS_LISTED);
    expect(count).toBeGreaterThan(10_000);
    expect(listed?.sigmoid).toBe('function');
  });

  // A sanity check of the test itself: the limits are what the child was built with.
  test('the limits keep a ready line far below the 1 MB a line may have, even with every character escaped', () => {
    expect(MAX_EXPORT_CHARS * 6 + MAX_EXPORTS_LISTED * 16).toBeLessThan(DEFAULT_SANDBOX_LIMITS.maxReplyBytes);
  });
});

describe('a forged ready over the limits is a protocol violation', () => {
  const ready = (exports: Record<string, string>, extra: Record<string, unknown> = {}): string => JSON.stringify({ type: 'ready', exports, ...extra });
  test('accepted within them, with what the child counted', () => {
    expect(parseChildMessage(ready({ f: 'function', ['x'.repeat(MAX_EXPORT_NAME)]: 'number' }, { omitted: 3 }))).toEqual({ type: 'ready', exports: { f: 'function', ['x'.repeat(MAX_EXPORT_NAME)]: 'number' }, omitted: 3 });
    expect(parseChildMessage(ready({ f: 'function' }))).toEqual({ type: 'ready', exports: { f: 'function' }, omitted: 0 });
  });
  test.each([
    ['too many names', ready(Object.fromEntries(Array.from({ length: MAX_EXPORTS_LISTED + 1 }, (_, i) => [`n${i}`, 'number'])))],
    ['a name too long', ready({ ['x'.repeat(MAX_EXPORT_NAME + 1)]: 'function' })],
    ['too many characters in all', ready(Object.fromEntries(Array.from({ length: Math.ceil(MAX_EXPORT_CHARS / MAX_EXPORT_NAME) + 1 }, (_, i) => [String(i).padStart(MAX_EXPORT_NAME, 'x'), 'number'])))],
    ['a kind that is no typeof', ready({ f: 'x'.repeat(21) })],
    ['a negative count', ready({ f: 'function' }, { omitted: -1 })],
    ['a count that is no integer', ready({ f: 'function' }, { omitted: 1.5 })],
  ])('%s', (_, line) => {
    expect(() => parseChildMessage(line)).toThrow(ProtocolViolation);
  });
});

describe('a reply\'s account of the arguments is checked like the rest of the reply', () => {
  const reply = (extra: Record<string, unknown>): string => JSON.stringify({ type: 'reply', id: 1, ok: true, value: 1, ...extra });
  test('well formed: kept', () => {
    expect(parseChildMessage(reply({ changed: [0, 2], returnedArgument: 1 }))).toEqual({ type: 'reply', id: 1, ok: true, value: 1, changed: [0, 2], returnedArgument: 1 });
    expect(parseChildMessage(reply({}))).toEqual({ type: 'reply', id: 1, ok: true, value: 1 });
  });
  test.each([
    [{ changed: 'all' }], [{ changed: [-1] }], [{ changed: [0.5] }], [{ changed: Array.from({ length: 65 }, () => 0) }],
    [{ returnedArgument: 'x' }], [{ returnedArgument: 64 }],
  ])('%j is a protocol violation', (extra) => {
    expect(() => parseChildMessage(reply(extra))).toThrow(ProtocolViolation);
  });
});
