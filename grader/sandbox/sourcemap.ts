/**
 * Maps a position in the compiled submission back to the student's TypeScript, from the inline
 * source map the compile stage writes. The grader does this itself, for the few errors that carry
 * a position: Node's --enable-source-maps in the child made every thrown error cost a source-map
 * lookup inside the student's process, and was a third of a batch's time. Same answers as Node's
 * own lookup: the last mapping at or before the position.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** One mapping: generated line and column to original line and column (all 0-based). */
type Mapping = [genLine: number, genCol: number, srcLine: number, srcCol: number];

/** Decodes a source map's `mappings` (base64 VLQ) into mappings with a source, in order. */
export function decodeMappings(mappings: string): Mapping[] {
  const out: Mapping[] = [];
  let srcLine = 0;
  let srcCol = 0;
  let line = 0;
  for (const lineText of mappings.split(';')) {
    let genCol = 0;
    for (const segment of lineText.split(',')) {
      if (!segment) continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = B64.indexOf(ch);
        if (digit < 0) throw new Error(`not a base64 VLQ digit: ${ch}`);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          fields.push(value & 1 ? -(value >> 1) : value >> 1);
          value = 0;
          shift = 0;
        }
      }
      genCol += fields[0];
      if (fields.length >= 4) {
        srcLine += fields[2];
        srcCol += fields[3];
        out.push([line, genCol, srcLine, srcCol]);
      }
    }
    line++;
  }
  return out;
}

/** A lookup from 1-based `line:col` in the compiled file to 1-based `line:col` in the source. */
export type PositionMap = (line: number, col: number) => { line: number; col: number } | undefined;

/** The position map of a compiled file with an inline source map; undefined when it has none. */
export function positionMapOf(js: string): PositionMap | undefined {
  const m = /\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,([A-Za-z0-9+/=]+)\s*$/.exec(js);
  if (!m) return undefined;
  let mappings: Mapping[];
  try {
    const map = JSON.parse(Buffer.from(m[1], 'base64').toString('utf8')) as { mappings?: unknown };
    if (typeof map.mappings !== 'string') return undefined;
    mappings = decodeMappings(map.mappings);
  } catch {
    return undefined;
  }
  return (line, col) => {
    const gl = line - 1;
    const gc = col - 1;
    // The last mapping at or before (gl, gc).
    let lo = 0;
    let hi = mappings.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [ml, mc] = mappings[mid];
      if (ml < gl || (ml === gl && mc <= gc)) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) return undefined;
    return { line: mappings[found][2] + 1, col: mappings[found][3] + 1 };
  };
}
