/// <reference lib="dom" />
/**
 * The pages in a real browser (Debian's chromium, headless, driven by puppeteer-core): the live
 * page of `npm run dev` through an edit-save-update cycle, a knob change and a bad knob; the live
 * page and the static report at a phone's width (390 px) and on a desktop, checked by axe-core.
 * Where no Chromium can be found (set CHROME_PATH, or `apt-get install chromium`), these tests are
 * skipped, and their names say why.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { FIXTURES, goldenOf, SEED } from './support/fixtures';
import { startDev, type DevProcess } from './support/dev';
import { renderHtml } from '../grader/report/html';
import { overviewCharts, renderOverviewHtml, summarizeClass } from '../grader/report/overview';
import type { GradeResult } from '../grader/result';
import { REFERENCE_COLOUR, YOURS_COLOUR } from '../grader/render/overlay';

/** The browser to drive: CHROME_PATH, or the first installed one. */
function findChromium(): string | undefined {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  return candidates.find((c): c is string => Boolean(c) && fs.existsSync(c!));
}

const chromium = findChromium();
const SKIPPED = '(skipped: no Chromium here; apt-get install chromium, or set CHROME_PATH)';
const run = chromium ? test : test.skip;
const named = (title: string): string => (chromium ? title : `${title} ${SKIPPED}`);
if (!chromium) console.warn(`test/browser.test.ts: every test ${SKIPPED}`);

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'vg-browser-test-'));
const workDir = fs.mkdtempSync(path.join(tmpRoot, 'student-'));
const file = path.join(workDir, 'vanishing-gradients.ts');
let browser: Browser | undefined;
let dev: DevProcess | undefined;
let page: Page;
/** What the page said on its console, and errors it threw: none is expected. */
const complaints: string[] = [];

const fixture = (name: string): Buffer => fs.readFileSync(path.join(FIXTURES, name, 'vanishing-gradients.ts'));
const shown = (): Promise<number> => page.evaluate(() => Number(document.body.dataset.version ?? 0));

async function axeViolations(p: Page): Promise<string[]> {
  // Evaluated through the devtools protocol: the live page's policy (no inline scripts) stays on.
  await p.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const found = await p.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  });
  return found;
}

beforeAll(async () => {
  if (!chromium) return;
  const puppeteer = await import('puppeteer-core');
  browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'] });
  fs.writeFileSync(file, fixture('stubs'));
  dev = await startDev(['--submission', file, '--seed', SEED], tmpRoot);
  page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') complaints.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => complaints.push(`page error: ${String(e)}`));
  await page.setViewport({ width: 1200, height: 900 });
  await page.goto(dev.url, { waitUntil: 'load' });
  await page.waitForFunction(() => Number(document.body.dataset.version ?? 0) >= 1, { timeout: 60_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (dev && dev.child.exitCode === null) {
    dev.child.kill('SIGINT');
    await dev.exited;
  }
  fs.rmSync(tmpRoot, { recursive: true, force: true });
});

describe('the live page, in a browser', () => {
  run(named('shows the first grade and draws the four figures as charts'), async () => {
    expect(await page.$eval('.score', (e) => e.textContent)).toBe('0/100');
    // The stubs draw nothing: the figures say why instead of breaking.
    expect(await page.$$eval('#figures figure', (fs) => fs.length)).toBe(4);
    expect(complaints).toEqual([]);
  });

  run(named('edit, save, and the page follows without a reload: score, hints, figures'), async () => {
    const before = await shown();
    fs.writeFileSync(file, fixture('wrong-sigmoid-mirrored'));
    await page.waitForFunction((v) => Number(document.body.dataset.version ?? 0) > v, { timeout: 60_000 }, before);
    const score = await page.$eval('.score', (e) => e.textContent);
    expect(score).toBe(`${(goldenOf('wrong-sigmoid-mirrored')!.result as unknown as GradeResult).score}/100`);
    expect(await page.$eval('.hint', (e) => e.textContent)).toMatch(/mirror image of the sigmoid/);
    // Four charts drawn by vega-embed (figure 2 has three panels in one SVG), each with its words for a screen reader.
    expect(await page.$$eval('#figures .chart svg.marks', (s) => s.length)).toBe(4);
    const labels = await page.$$eval('#figures .chart', (cs) => cs.map((c) => c.getAttribute('aria-label')));
    expect(labels[0]).toBe('Sigmoid Steepest Point, your curves over the reference: your sigmoid differs from the reference for every x');
    // Both curves on the first chart, each in its colour, and the legend that names them.
    const first = await page.$eval('#figures .chart svg.marks', (svg) => ({
      strokes: [...new Set(Array.from(svg.querySelectorAll('path'), (p) => p.getAttribute('stroke')))],
      text: svg.textContent,
    }));
    expect(first.strokes).toEqual(expect.arrayContaining([YOURS_COLOUR, REFERENCE_COLOUR]));
    expect(first.text).toMatch(/yours[^]*reference/);
    expect(complaints).toEqual([]);
  });

  run(named('a knob change redraws the figures from the student\'s functions; a bad knob gets a message and breaks nothing'), async () => {
    const steps = await page.$('#knob-steps');
    await steps!.click({ clickCount: 3 });
    await steps!.type('9');
    await page.waitForFunction(() => /step 9 :/.test(document.getElementById('printout')!.textContent ?? ''), { timeout: 30_000 });
    expect(await page.$eval('#printout', (e) => e.textContent)).not.toContain('step 10 :');
    expect(await page.$eval('#knob-status', (e) => e.textContent)).toBe('Your knobs.');
    const charts = await page.$$eval('#figures .chart svg.marks', (s) => s.length);

    const num = await page.$('#knob-num');
    await num!.click({ clickCount: 3 });
    await num!.type('1');
    await page.waitForFunction(() => (document.getElementById('problem-num')!.textContent ?? '') !== '', { timeout: 30_000 });
    expect(await page.$eval('#problem-num', (e) => e.textContent)).toBe('a whole number from 2 to 5000, please (got 1)');
    expect(await page.$eval('#knob-num', (e) => e.getAttribute('aria-invalid'))).toBe('true');
    // The last good figures stay on screen.
    expect(await page.$$eval('#figures .chart svg.marks', (s) => s.length)).toBe(charts);
    await page.click('#reset');
    await page.waitForFunction(() => (document.getElementById('problem-num')!.textContent ?? '') === '' && /lab's knobs/.test(document.getElementById('knob-status')!.textContent ?? ''), { timeout: 30_000 });
    expect(complaints).toEqual([]);
  });

  run(named('at a phone\'s width (390 px) nothing is cut off or scrolls sideways, and axe-core finds no violation'), async () => {
    await page.setViewport({ width: 390, height: 844 });
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    expect(widths[0]).toBeLessThanOrEqual(widths[1]);
    // Every chart fits the screen.
    const overflowing = await page.$$eval('#figures .chart svg.marks', (s) => s.filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).length);
    expect(overflowing).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewport({ width: 1200, height: 900 });
    expect(await axeViolations(page)).toEqual([]);
  });
});

describe('the static report page, in a browser', () => {
  const pageOf = async (fixtureName: string, width: number): Promise<Page> => {
    const result = goldenOf(fixtureName)!.result as unknown as GradeResult;
    // The images as the report links them: 1-pixel PNGs stand in (their layout is the page's, not theirs).
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
    const images = new Map((result.figures ?? []).flatMap((f) => [f.student, f.reference, ...(f.overlay ? [f.overlay] : [])]).map((f) => [f, png] as const));
    const htmlFile = path.join(tmpRoot, `${fixtureName}-${width}.html`);
    fs.writeFileSync(htmlFile, renderHtml(result, images));
    const p = await browser!.newPage();
    await p.setViewport({ width, height: 844 });
    await p.goto(`file://${htmlFile}`, { waitUntil: 'load' });
    return p;
  };

  run(named('a wrong submission\'s page: on a phone nothing scrolls sideways; axe-core finds no violation, on a phone or a desktop'), async () => {
    for (const width of [390, 1200]) {
      const p = await pageOf('wrong-sigmoid-mirrored', width);
      const [scroll, client] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      expect({ width, scroll: scroll <= client }).toEqual({ width, scroll: true });
      expect(await p.$$eval('.hint', (hs) => hs.every((h) => h.getBoundingClientRect().right <= window.innerWidth))).toBe(true);
      expect(await axeViolations(p)).toEqual([]);
      await p.close();
    }
  });

  run(named('the class overview of a batch: nothing scrolls sideways on a phone; axe-core finds no violation'), async () => {
    const ids = ['ada', 'bo', 'cy', 'a student with a long name', '<odd> & id'];
    const fixtures = ['solution', 'wrong-sigmoid-mirrored', 'stubs', 'wrong-sigmoid-mirrored', 'mistake-decay-adds'];
    const overview = summarizeClass(ids.map((id, i) => {
      const result = goldenOf(fixtures[i])!.result as unknown as GradeResult;
      return { id, result, status: 'graded', total: result.score, max: result.maxScore, detail: result.parts.find((p) => p.hints?.length)?.hints![0].text ?? '' };
    }));
    // The charts as the batch draws them would be PNGs; 2x-wide stand-ins keep the layout.
    const png = Buffer.alloc(24);
    png.writeUInt32BE(1040, 16);
    const htmlFile = path.join(tmpRoot, 'overview.html');
    fs.writeFileSync(htmlFile, renderOverviewHtml(overview, new Map(overviewCharts(overview).map((c) => [c.file, png])), 'seed 1'));
    for (const width of [390, 1200]) {
      const p = await browser!.newPage();
      await p.setViewport({ width, height: 844 });
      await p.goto(`file://${htmlFile}`, { waitUntil: 'load' });
      const [scroll, client] = await p.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      expect({ width, fits: scroll <= client }).toEqual({ width, fits: true });
      expect(await axeViolations(p)).toEqual([]);
      await p.close();
    }
  });

  run(named('a figure opens large on a click and closes on Escape'), async () => {
    const p = await pageOf('wrong-sigmoid-mirrored', 1200);
    await p.click('.row img');
    expect(await p.$$eval('img.large', (is) => is.length)).toBe(1);
    await p.keyboard.press('Escape');
    expect(await p.$$eval('img.large', (is) => is.length)).toBe(0);
    await p.close();
  });
});
