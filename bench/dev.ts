/// <reference lib="dom" />
/**
 * `npm run dev`, as a student sees it in a browser (headless chromium, driven by puppeteer-core):
 *   save → page   from writing the file to the page showing the new grade with its four figures
 *                 drawn (body[data-version] is set once every chart is on screen); each save is
 *                 another submission with other figures, so nothing on the page can be reused
 *   knob → page   from a knob's input event (as typed) to the figures redrawn from the student's
 *                 functions, run in the sandbox (body[data-knobs-drawn])
 * and, for scale, the same save graded by a warm `node grader/bin/grade.js` (no figures drawn).
 * Prints medians. Needs chromium (CHROME_PATH or /usr/bin/chromium).
 * Run: npm run bench:dev [-- --runs N]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startDev } from '../test/support/dev';

const ROOT = path.resolve(__dirname, '..');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--runs');
  const runs = at >= 0 ? Number(argv[at + 1]) : 9;
  const chromium = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((c) => c && fs.existsSync(c));
  if (!chromium) throw new Error('bench:dev needs chromium: apt-get install chromium, or set CHROME_PATH');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-bench-dev-'));
  const file = path.join(tmp, 'vanishing-gradients.ts');
  const variants = ['wrong-sigmoid-mirrored', 'mistake-decay-adds', 'wrong-gradient-applies-sigmoid-again', 'solution']
    .map((f) => fs.readFileSync(path.join(ROOT, 'test', 'fixtures', f, 'vanishing-gradients.ts'), 'utf8'));
  fs.writeFileSync(file, variants[variants.length - 1]);
  const dev = await startDev(['--submission', file, '--seed', '1'], tmp);
  const puppeteer = await import('puppeteer-core');
  const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(dev.url, { waitUntil: 'load' });
    await page.waitForFunction(() => Number(document.body.dataset.version ?? 0) >= 1, { timeout: 60_000 });
    const saves: number[] = [];
    const knobs: number[] = [];
    const grades: number[] = [];
    // One round untimed: the first grade of each variant fills jest's and the compiler's caches.
    for (let i = 0; i < runs + variants.length; i++) {
      const before = await page.evaluate(() => Number(document.body.dataset.version ?? 0));
      const started = performance.now();
      // Every save is the next variant: its figures are not the ones on the page.
      fs.writeFileSync(file, `${variants[i % variants.length]}\n// save ${i}\n`);
      await page.waitForFunction((v) => Number(document.body.dataset.version ?? 0) > v, { timeout: 60_000, polling: 'mutation' }, before);
      if (i >= variants.length) saves.push(performance.now() - started);

      const seq = await page.evaluate(() => Number(document.body.dataset.knobsDrawn ?? 0));
      const knobStarted = performance.now();
      await page.evaluate((n) => {
        const input = document.getElementById('knob-steps') as HTMLInputElement;
        input.value = String(n);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }, 7 + (i % 5));
      await page.waitForFunction((s) => Number(document.body.dataset.knobsDrawn ?? 0) > s, { timeout: 60_000, polling: 'mutation' }, seq);
      if (i >= variants.length) knobs.push(performance.now() - knobStarted);
      // Back to the lab's knobs, so that the next save's figures come with its grade.
      await page.evaluate(() => { (document.getElementById('reset') as HTMLButtonElement).click(); });
      await page.waitForFunction(() => /lab's knobs/.test(document.getElementById('knob-status')!.textContent ?? ''), { timeout: 60_000 });
    }
    // For scale: a warm `npm run grade` of the same file, no figures (node process, no npm wrapper).
    for (let i = 0; i < Math.min(runs, 5); i++) {
      const started = performance.now();
      spawnSync(process.execPath, ['grader/bin/grade.js', '--submission', file, '--no-figures', '--quiet', '--report-dir', path.join(tmp, 'report')], { cwd: ROOT });
      grades.push(performance.now() - started);
    }
    const s = (ms: number): string => (ms / 1000).toFixed(3);
    console.log(`${runs} saves and ${runs} knob changes; ${os.cpus().length} cores, node ${process.version}, ${chromium}`);
    console.log('| what | median (s) | min | max |');
    console.log('| --- | --- | --- | --- |');
    console.log(`| save → page with the new grade and its four figures drawn | ${s(median(saves))} | ${s(Math.min(...saves))} | ${s(Math.max(...saves))} |`);
    console.log(`| knob typed → figures redrawn from the student's functions | ${s(median(knobs))} | ${s(Math.min(...knobs))} | ${s(Math.max(...knobs))} |`);
    console.log(`| for scale: npm run grade of the same file, warm, no figures | ${s(median(grades))} | ${s(Math.min(...grades))} | ${s(Math.max(...grades))} |`);
  } finally {
    await browser.close();
    dev.child.kill('SIGINT');
    await dev.exited;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
