/**
 * V8's flags of a compiler process. A type checker that starts from its startup snapshot
 * (lib/snapshots.ts) must run with the flags the snapshot was made with (Node 20 and 22 refuse
 * one made with others: "Expected tag …"), so both take them from here.
 */

/** The type check's V8 heap, in MB (see COMPILER_LIMITS in compiler-process.ts). */
export const CHECK_HEAP_MB = 512;

/**
 * The young generation's semi-space of a compiler process, in MB: a checker keeps one program at a
 * time, and Node 24's default (growing to 64 MB per semi-space) made each checker 100 MB larger for
 * nothing (bench:batch: the same time).
 */
const COMPILER_SEMI_SPACE_MB = 4;

/** The V8 flags of a compiler process whose heap is `heapMb`. */
export function compilerV8Flags(heapMb: number): string[] {
  return [`--max-old-space-size=${heapMb}`, '--stack-size=3984', `--max-semi-space-size=${COMPILER_SEMI_SPACE_MB}`];
}
