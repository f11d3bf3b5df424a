/** Colours and redrawn lines need a terminal that understands them: not with TERM=dumb, nor (colours) NO_COLOR. */
import { canColor, canRedraw } from '../../grader/lib/terminal';

test('a terminal redraws and colours; TERM=dumb does neither; NO_COLOR keeps the redraw; a pipe neither', () => {
  const tty = { isTTY: true };
  expect([canRedraw(tty, { TERM: 'xterm-256color' }), canColor(tty, { TERM: 'xterm-256color' })]).toEqual([true, true]);
  expect([canRedraw(tty, {}), canColor(tty, {})]).toEqual([true, true]);
  expect([canRedraw(tty, { TERM: 'dumb' }), canColor(tty, { TERM: 'dumb' })]).toEqual([false, false]);
  expect([canRedraw(tty, { NO_COLOR: '1' }), canColor(tty, { NO_COLOR: '1' })]).toEqual([true, false]);
  expect([canRedraw({ isTTY: false }, {}), canColor({}, {})]).toEqual([false, false]);
});
