/**
 * `npm run dev` as a process: every save is graded exactly as `npm run grade` grades the same file
 * (the fixtures' goldens, same seed), the server answers only this machine's names for it and only
 * its own routes, bad knobs get messages, and Ctrl-C leaves no process behind.
 * (The page itself, in a real browser: test/browser.test.ts.)
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { comparable, FIXTURES, goldenOf, processesUnder, SEED } from './support/fixtures';
import { knobs, request, startDev, viewAtLeast, type DevProcess } from './support/dev';
import type { GradeResult } from '../grader/result';
import type { KnobAnswer, LiveView } from '../grader/dev/session';
import { DEFAULT_PORT } from '../grader/dev/server';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-dev-test-'));
const workDir = fs.mkdtempSync(path.join(tmpRoot, 'student-'));
const file = path.join(workDir, 'vanishing-gradients.ts');
let dev: DevProcess;
let version = 0;

/** Saves a fixture's file as the student's and waits for the grade of it. */
async function save(fixture: string): Promise<LiveView> {
  fs.writeFileSync(file, fs.readFileSync(path.join(FIXTURES, fixture, 'vanishing-gradients.ts')));
  const view = await viewAtLeast<LiveView>(dev.port, ++version);
  version = view.version;
  return view;
}

/** A result as `npm run grade` gave it for the fixture (its golden), named as the dev session names it, without the figures (the page draws its own). */
function expectedOf(fixture: string, displayed: string): Record<string, unknown> {
  const golden = goldenOf(fixture)!.result as Record<string, unknown>;
  const { figures: _f, figuresProblem: _p, ...rest } = JSON.parse(JSON.stringify(golden).split(`test/fixtures/${fixture}/vanishing-gradients.ts`).join(displayed)) as Record<string, unknown>;
  return rest;
}

beforeAll(async () => {
  fs.copyFileSync(path.join(FIXTURES, 'stubs', 'vanishing-gradients.ts'), file);
  dev = await startDev(['--submission', file, '--seed', SEED], tmpRoot);
  version = (await viewAtLeast<LiveView>(dev.port, 1)).version;
});

afterAll(async () => {
  if (dev.child.exitCode === null) {
    dev.child.kill('SIGKILL');
    await dev.exited;
  }
  fs.rmSync(tmpRoot, { recursive: true, force: true });
});

describe('npm run dev', () => {
  test('prints its address, on 127.0.0.1', () => {
    expect(dev.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(dev.output()).toContain(`seed ${SEED}`);
  });

  test('a save during the first grade is graded next (the folder is watched from the start)', async () => {
    const own = path.join(fs.mkdtempSync(path.join(tmpRoot, 'early-')), 'vanishing-gradients.ts');
    fs.copyFileSync(path.join(FIXTURES, 'stubs', 'vanishing-gradients.ts'), own);
    const started = await startDev(['--submission', own, '--seed', SEED], tmpRoot);
    try {
      // Saved at once, while its first grade (of the stubs) runs.
      fs.copyFileSync(path.join(FIXTURES, 'solution', 'vanishing-gradients.ts'), own);
      let view = await viewAtLeast<LiveView>(started.port, 1);
      for (let i = 0; i < 5 && view.result.score !== 100; i++) view = await viewAtLeast<LiveView>(started.port, view.version + 1, 30_000);
      expect(view.result.score).toBe(100);
      expect(view.session).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      started.child.kill('SIGINT');
      expect(await started.exited).toBe(0);
    }
  });

  test.each(['wrong-sigmoid-mirrored', 'solution', 'syntax-error', 'throws-at-load', 'mistake-decay-adds'])('saving %s: the verdicts npm run grade gives it', async (fixture) => {
    const view = await save(fixture);
    const { figures: _f, ...result } = comparable(view.result) as GradeResult & Record<string, unknown>;
    expect(result.submission).toMatch(/vanishing-gradients\.ts$/);
    expect(result).toEqual(expectedOf(fixture, result.submission));
    // The report on the page is the static page's, figures aside.
    expect(view.reportHtml).toContain(`${view.result.score}/${view.result.maxScore}`);
    if (view.result.status === 'graded') {
      expect(view.figures.figures.map((f) => f.id)).toEqual(['1-sigmoid-steepest-point', '2-subplots', '3-visualizing-compression', '4-multiplying-small-numbers']);
    } else {
      expect(view.figures.figures).toEqual([]);
      expect(view.figures.problem).toBe(view.result.message);
    }
  });

  test('a save that changes nothing is not graded again; one that does, is', async () => {
    const before = version;
    fs.writeFileSync(file, fs.readFileSync(file));
    await new Promise((r) => setTimeout(r, 600));
    expect((JSON.parse((await request(dev.port, '/view.json')).body) as LiveView).version).toBe(before);
    await save('wrong-sigmoid-mirrored');
    expect(version).toBe(before + 1);
  });

  test('knobs: the figures from the student\'s functions; bad values named one by one; nothing drawn from them', async () => {
    const lab = await knobs<KnobAnswer>(dev.port, '');
    expect(lab.ok && lab.figures.lab).toBe(true);
    const moved = await knobs<KnobAnswer>(dev.port, 'xTan=2&steps=10&x=1&ylimLo=-0.5&ylimHi=1.5');
    if (!moved.ok) throw new Error(JSON.stringify(moved));
    expect(moved.figures.lab).toBe(false);
    expect(moved.figures.knobs).toEqual({ range: [-5, 5, 100], xTan: 2, span: 1.7, steps: 10, x: 1, ylim: [-0.5, 1.5] });
    // The student's mirrored sigmoid, computed in the sandbox: the printed block says 1 - sigmoid(1).
    expect(moved.figures.printout).toContain('step 10');
    expect(moved.figures.printout).toMatch(/sigmoid : 0\.26894/);
    expect(moved.figures.figures[0].meaning).toContain('your sigmoid differs from the reference for every x');
    const bad = await knobs<KnobAnswer>(dev.port, 'num=1&span=abc&ylimHi=2');
    expect(bad).toEqual({ ok: false, problems: { num: 'a whole number from 2 to 5000, please (got 1)', span: '"abc" is not a number', ylimLo: 'give both limits, or neither' } });
  });

  test('answers only Host 127.0.0.1 or localhost with its own port (DNS rebinding), GET and HEAD only, its own routes only', async () => {
    for (const host of ['evil.example', `evil.example:${dev.port}`, '127.0.0.1', `127.0.0.1:${dev.port + 1}`, `localhost.evil.example:${dev.port}`, '']) {
      expect({ host, status: (await request(dev.port, '/view.json', { host })).status }).toEqual({ host, status: 403 });
    }
    expect((await request(dev.port, '/view.json', { host: `localhost:${dev.port}` })).status).toBe(200);
    expect((await request(dev.port, '/', { method: 'POST' })).status).toBe(405);
    for (const p of ['/../package.json', '/vendor/../package.json', '/grader/labs/vanishing-gradients/lab.json', '/live.js/../../package.json', '/exercises/vanishing-gradients.ts', '/%2e%2e/package.json', '/vendor/vega.min.js/..%2f..%2fpackage.json']) {
      const answer = await request(dev.port, p);
      expect({ p, status: answer.status }).toEqual({ p, status: 404 });
    }
    // A knob request from another site runs nothing.
    expect((await request(dev.port, '/figures?xTan=3', { headers: { 'Sec-Fetch-Site': 'cross-site', 'X-Live-Page': '1' } })).status).toBe(403);
    // Nor one without the page's own header (a browser that sends no Sec-Fetch-Site, an <img> elsewhere).
    expect((await request(dev.port, '/figures?xTan=3')).status).toBe(403);
    const page = await request(dev.port, '/');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self';.*frame-ancestors 'none'/);
    expect(page.headers['content-security-policy']).not.toContain('unsafe-eval');
    for (const lib of ['/vendor/vega.min.js', '/vendor/vega-lite.min.js', '/vendor/vega-embed.min.js', '/live.js']) expect((await request(dev.port, lib)).status).toBe(200);
  });

  test('a taken --port is a clear error; a taken default port gives a free one', async () => {
    const taken = await startDev(['--submission', file, '--seed', SEED], tmpRoot).catch((e: Error) => e);
    if (taken instanceof Error) throw taken;
    try {
      if (dev.port === DEFAULT_PORT) expect(taken.port).not.toBe(DEFAULT_PORT);
      const refused = await startDev(['--submission', file, '--port', String(dev.port)], tmpRoot).catch((e: Error) => e);
      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error).message).toContain(`port ${dev.port} is taken on 127.0.0.1`);
    } finally {
      taken.child.kill('SIGINT');
      expect(await taken.exited).toBe(0);
    }
  });

  test('Ctrl-C: exits 0, the port is free, no process of it is left', async () => {
    dev.child.kill('SIGINT');
    expect(await dev.exited).toBe(0);
    expect(dev.output()).toContain('npm run dev: stopped (SIGINT).');
    const free = await new Promise<boolean>((resolve) => {
      const probe = net.createServer().once('error', () => resolve(false)).listen(dev.port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    expect(free).toBe(true);
    // Sandbox children end with their parent's session; give the kernel a moment to reap them.
    for (let i = 0; i < 40 && processesUnder(tmpRoot).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(processesUnder(tmpRoot)).toEqual([]);
    expect(fs.readdirSync(tmpRoot).filter((d) => d.startsWith('vg-dev-'))).toEqual([]);
  });
});
