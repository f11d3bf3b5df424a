/**
 * Maps a position in the compiled submission back to the student's TypeScript, from the inline
 * source map the compile stage writes, with @jridgewell/trace-mapping (the decoder jest and Babel
 * use). The grader does this itself, for the few errors that carry a position: Node's
 * --enable-source-maps in the child made every thrown error cost a source-map lookup inside the
 * student's process, and was a third of a batch's time. Same answers as Node's own lookup: the
 * last mapping at or before the position.
 */
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';

/** A lookup from 1-based `line:col` in the compiled file to 1-based `line:col` in the source. */
export type PositionMap = (line: number, col: number) => { line: number; col: number } | undefined;

/** The position map of a compiled file with an inline source map; undefined when it has none. */
export function positionMapOf(js: string): PositionMap | undefined {
  const m = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(js);
  if (!m) return undefined;
  let map: TraceMap;
  try {
    map = new TraceMap(Buffer.from(m[1], 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  // The compiled file's lines: a position past them is none of the file's. It comes from a stack
  // the submission may write itself, and walking back from line 999,999,999 one line at a time
  // held the grader's event loop for minutes.
  let lines = 1;
  for (let at = js.indexOf('\n'); at !== -1; at = js.indexOf('\n', at + 1)) lines++;
  return (line, col) => {
    if (!Number.isSafeInteger(line) || line < 1 || line > lines) return undefined;
    // trace-mapping counts lines from 1 and columns from 0, and looks within the line: before the
    // line's first mapping, Node (and this lookup) take the last mapping of an earlier line.
    for (let l = line, c = col - 1; l >= 1; l--, c = Number.MAX_SAFE_INTEGER) {
      const p = originalPositionFor(map, { line: l, column: c });
      if (p.line !== null && p.column !== null) return { line: p.line, col: p.column + 1 };
    }
    return undefined;
  };
}
