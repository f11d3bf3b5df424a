/**
 * What a stream's reader can show: colours and a line redrawn in place need a terminal that
 * understands escape sequences. TERM=dumb says it does not (an editor's shell, some CI logs), as
 * NO_COLOR says colours are not wanted.
 */

/** Whether lines may be redrawn in place (carriage returns, erase-line sequences) on `stream`. */
export function canRedraw(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** Whether text on `stream` may be coloured. */
export function canColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return canRedraw(stream, env) && !env.NO_COLOR;
}
