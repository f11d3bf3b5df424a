/**
 * The kit's one sanitizer (grader/report/sanitize.ts): every class of control and escape sequence
 * shown escaped, line breaks, workflow commands of GitHub and Azure Pipelines defused anywhere they
 * are read, idempotence; and, over many generated hostile strings, the properties every output
 * has. Pure functions: no file, no process.
 */
import { defuseCommands, escapeLine, escapeText, safeLine, safeText, sanitize } from '../../grader/report/sanitize';

/** What no output may hold: controls but tab and LF, format characters, lone surrogates, U+FFFE/U+FFFF. */
const HIDDEN = /(?![\t\n])[\p{Cc}\p{Cf}\p{Cs}\uFFFE\uFFFF]/u;
/** What a CI runner would run: `::` at a line's start after white space, `##[` or `##vso[` anywhere. */
const COMMAND_AT_START = /^[\s\u0085\u180e\u200b\ufeff]*::/m;
const COMMAND_ANYWHERE = /##\[|##vso\[/i;

describe('every class of sequence is shown escaped, never passed through, never dropped', () => {
  test.each([
    ['OSC 52 (writes the clipboard)', 'a\u001b]52;c;cHduZWQ=\u0007b', 'a\\x1b]52;c;cHduZWQ=\\x07b'],
    ['CSI clear screen, cursor home', '\u001b[2J\u001b[Hx', '\\x1b[2J\\x1b[Hx'],
    ['SGR colour', '\u001b[31mred\u001b[0m', '\\x1b[31mred\\x1b[0m'],
    ['the 8-bit CSI and OSC (C1)', '\u009b31m \u009d0;title\u009c', '\\u009b31m \\u009d0;title\\u009c'],
    ['other C0 controls: NUL, BEL, BS, SO, DEL', 'a\u0000b\u0007c\u0008d\u000ee\u007f', 'a\\x00b\\x07c\\x08d\\x0ee\\x7f'],
    ['bidi overrides, embeddings, isolates, marks', '\u202ax\u202by\u202cz\u202dw\u202ev\u2066a\u2067b\u2068c\u2069\u200e\u200f\u061c', '\\u202ax\\u202by\\u202cz\\u202dw\\u202ev\\u2066a\\u2067b\\u2068c\\u2069\\u200e\\u200f\\u061c'],
    ['zero-width space, joiners, word joiner, BOM', 'sig\u200bmo\u200cid\u200d\u2060\ufeff', 'sig\\u200bmo\\u200cid\\u200d\\u2060\\ufeff'],
    ['soft hyphen, invisible operators', 'a\u00adb\u2062c', 'a\\u00adb\\u2062c'],
    ['tag characters (astral)', 'x\u{e0041}\u{e007f}', 'x\\u{e0041}\\u{e007f}'],
    ['lone surrogates, non-characters', 'a\ud800b\udc00c\ufffe\uffff', 'a\\ud800b\\udc00c\\ufffe\\uffff'],
  ])('%s', (_, input, shown) => {
    expect(escapeText(input)).toBe(shown);
    expect(escapeLine(input)).toBe(shown);
    expect(sanitize(input)).toBe(shown);
  });

  test('what is text stays as it is: accents, CJK, emoji, U+FFFD, private use, a backslash', () => {
    const text = 'é σ → 漢字 😀 \ufffd \ue000 C:\\path \\x1b (typed)';
    expect(escapeText(text)).toBe(text);
    expect(safeLine(text)).toBe(text);
  });

  test('line breaks: one LF in multi-line text; shown escaped in a one-line field; tab kept in text only', () => {
    expect(escapeText('a\r\nb\rc\u0085d\u2028e\u2029f\u000bg\u000ch\ti')).toBe('a\nb\nc\nd\ne\nf\ng\nh\ti');
    expect(escapeLine('a\r\nb\rc\u0085d\u2028e\u2029f\u000bg\u000ch\ti\nj')).toBe('a\\r\\nb\\rc\\u0085d\\u2028e\\u2029f\\x0bg\\x0ch\\ti\\nj');
  });
});

describe('workflow commands', () => {
  test('`::` at a line start (after white space, whatever the line break) is defused; in the middle of a line it is text', () => {
    expect(defuseCommands('::error::x\n  ::warning::y\r::notice::z\u2029\t::debug::w')).toBe(': :error::x\n  : :warning::y\n: :notice::z\n\t: :debug::w');
    expect(defuseCommands('a::b std::vector')).toBe('a::b std::vector');
  });

  test('`##[` and `##vso[` are defused anywhere in a line, in any case (the runners find them with IndexOf)', () => {
    expect(defuseCommands('ok ##[error]x and ##vso[task.complete result=Succeeded;]y ##VSO[task.setvariable]z')).toBe('ok # #[error]x and # #vso[task.complete result=Succeeded;]y # #VSO[task.setvariable]z');
    expect(defuseCommands('###[x] ####vso[y]')).toBe('## #[x] ### #vso[y]');
    expect(COMMAND_ANYWHERE.test(defuseCommands('##[##[##vso[##[')) ).toBe(false);
  });

  test('a zero-width character between the marks cannot hide one from the runner (it is shown escaped)', () => {
    expect(safeText('#\u200b#[error]x')).toBe('#\\u200b#[error]x');
    expect(safeText('\u200b::error::x')).toBe('\\u200b::error::x');
  });
});

describe('properties over generated hostile text', () => {
  // A small deterministic generator: the same strings on every run.
  let state = 12345;
  const next = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const PIECES = [
    'a', 'Score: 100/100', '✓ sigmoid 20/20', '::', ':', '#', '##', '[', '##[', '##vso[', 'vso', ' ', '\t', '\n', '\r', '\r\n',
    '\u0085', '\u2028', '\u2029', '\u000b', '\u000c', '\u001b', '\u001b[2J', '\u001b]52;c;x\u0007', '\u009b', '\u009d', '\u007f',
    '\u0000', '\u202e', '\u2066', '\u200b', '\ufeff', '\u00a0', '\u180e', '\ud800', '\udc00', '😀', '\ufffd', '\\x1b', '\u{e0041}',
  ];
  const hostile = (): string => Array.from({ length: 1 + Math.floor(next() * 24) }, () => PIECES[Math.floor(next() * PIECES.length)]).join('');
  const samples = Array.from({ length: 3000 }, hostile);

  test('multi-line text: nothing hidden, no command, idempotent', () => {
    for (const s of samples) {
      const out = safeText(s);
      expect({ s, hidden: HIDDEN.test(out) }).toEqual({ s, hidden: false });
      expect({ s, command: COMMAND_AT_START.test(out) || COMMAND_ANYWHERE.test(out) }).toEqual({ s, command: false });
      expect(safeText(out)).toBe(out);
      // The message sanitizer (capped at a few characters too) has the same properties.
      for (const max of [1000, 7]) {
        const m = sanitize(s, undefined, max);
        expect(HIDDEN.test(m) || COMMAND_AT_START.test(m) || COMMAND_ANYWHERE.test(m)).toBe(false);
      }
    }
  });

  test('one-line fields: one line, nothing hidden, no command, idempotent', () => {
    for (const s of samples) {
      const out = safeLine(s);
      expect(out).not.toMatch(/[\n\r\t\u0085\u2028\u2029]/);
      expect(HIDDEN.test(out) || COMMAND_AT_START.test(out) || COMMAND_ANYWHERE.test(out)).toBe(false);
      expect(safeLine(out)).toBe(out);
    }
  });

  test('a cut never splits a surrogate pair', () => {
    expect(sanitize('ab😀cd', undefined, 3)).toBe('ab… (cut at 3 characters)');
  });
});
