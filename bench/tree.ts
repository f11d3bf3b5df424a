/**
 * What the benches share: the resident memory of a process tree, read from Linux /proc (the
 * grader, its workers, renderers, compiler children and sandbox children: every descendant by
 * parent pid, detached ones included).
 */
import * as fs from 'node:fs';

/** Resident memory of a process and all its descendants, in MB (Linux /proc). */
export function treeRssMb(root: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(name);
      const ppid = Number(fields[1]);
      rss.set(pid, (Number(fields[21]) * 4096) / 1048576);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid)!.push(pid);
    } catch { /* exited meanwhile */ }
  }
  let total = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Runs until `exited` settles, sampling the tree under `pid` every `everyMs`; resolves with the peak in MB. */
export async function peakTreeMb(pid: number, exited: Promise<unknown>, everyMs = 100): Promise<number> {
  let peak = 0;
  const sample = (): void => { peak = Math.max(peak, treeRssMb(pid)); };
  const timer = setInterval(sample, everyMs);
  sample();
  try {
    await exited;
  } finally {
    clearInterval(timer);
  }
  return peak;
}
