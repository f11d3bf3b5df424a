/**
 * The live session's knob queue, in process: requests made while one waits replace it (answered
 * `stale` at once, nothing run for them), and only the newest runs. No file is graded here (the
 * session answers "not graded yet" without a sandbox), so the order alone is what is tested.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LiveSession } from '../../grader/dev/session';

test('knob requests in a burst: the older ones are stale, the newest is answered', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-live-session-'));
  const session = new LiveSession({ submission: path.join(dir, 'vanishing-gradients.ts'), seed: 1 });
  try {
    const answers = await Promise.all([session.figuresFor({ xTan: '1' }), session.figuresFor({ xTan: '2' }), session.figuresFor({ steps: '3' })]);
    expect(answers[0]).toEqual({ ok: false, problems: {}, stale: true });
    expect(answers[1]).toEqual({ ok: false, problems: {}, stale: true });
    expect(answers[2]).toMatchObject({ ok: true, figures: { knobs: { steps: 3 }, figures: [], problem: 'not graded yet' } });
    // A bad knob is answered by the rules, never run.
    expect(await session.figuresFor({ num: '1' })).toEqual({ ok: false, problems: { num: 'a whole number from 2 to 5000, please (got 1)' } });
  } finally {
    await session.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
