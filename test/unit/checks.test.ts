import { checkQueue, notRunText } from '../../grader/batch/checks';

describe('the batch\'s type-check queue', () => {
  test('one check at a time, each with its time counted from its arrival; one that waited it all is not run', async () => {
    const started: { source: string; timeoutMs: number }[] = [];
    let running = 0;
    let most = 0;
    // A check that takes 120 ms of its time ("bomb") or 5 ms.
    const check = async (source: string, timeoutMs: number): Promise<string[]> => {
      started.push({ source, timeoutMs });
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, source === 'bomb' ? Math.min(120, timeoutMs) : 5));
      running--;
      return [`checked ${source}`];
    };
    const queue = checkQueue(check, 200);
    const results = await Promise.all([queue('bomb'), queue('bomb'), queue('a'), queue('b')]);
    expect(most).toBe(1);
    expect(results[0]).toEqual(['checked bomb']);
    // The second bomb started with what was left of its 200 ms after the first's 120.
    expect(started[1].source).toBe('bomb');
    expect(started[1].timeoutMs).toBeLessThan(200);
    // a and b arrived with the bombs: by their turn (240 ms later) their 200 ms had run out.
    expect(results[2]).toEqual([notRunText(200)]);
    expect(results[3]).toEqual([notRunText(200)]);
    expect(started.map((s) => s.source)).toEqual(['bomb', 'bomb']);
    expect(notRunText(30_000)).toMatch(/^the type check was not run: the batch's type checker was busy with other students' checks for 30 s; your code was graded without it$/);
    // A check that fails does not stop the queue.
    const failing = checkQueue(async (s) => { if (s === 'x') throw new Error('broken'); return [s]; }, 1000);
    await expect(failing('x')).rejects.toThrow('broken');
    expect(await failing('y')).toEqual(['y']);
  });
});
