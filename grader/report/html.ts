/**
 * The report page: one self-contained index.html (styles inline, images embedded as data URIs, no
 * network) with the score table, the hints set apart from the failures, the figures side by side
 * (yours, the reference, and where they differ yours drawn over the reference) with alt texts that say what they
 * show, and the lab's printed block; one column on a phone. A pure function of the result and the
 * images.
 */
import type { FigureResult, GradeResult } from '../result';
import { isolationNote, unofficialNote } from './text';
import { escapeLine } from './sanitize';

/** Escapes text for HTML content and attribute values. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function points(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

const STATUS_LABEL: Record<string, string> = {
  pass: 'passed', partial: 'partly passed', fail: 'failed', 'not-implemented': 'not implemented yet', error: 'grader error',
};

/** The report's styles (the live page of npm run dev uses them too). */
export const STYLE = `
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2rem auto; max-width: 1200px; color: #222; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: .3rem; }
.muted { color: #666; } .advisory { background: #fff8e1; border: 1px solid #f0d98c; padding: .5rem .8rem; border-radius: 4px; }
.score { font-size: 2rem; font-weight: bold; margin: .5rem 0; }
table.parts { border-collapse: collapse; width: 100%; } table.parts td, table.parts th { border-bottom: 1px solid #eee; padding: .45rem .6rem; text-align: left; vertical-align: top; }
.pass { color: #1b7f3b; } .fail, .error, .not-implemented { color: #b03030; } .partial { color: #9a6700; }
ul.feedback { margin: .2rem 0 0 1rem; padding: 0; } ul.feedback li { margin: .15rem 0; }
details { margin-top: .3rem; } pre { background: #f6f8fa; padding: .8rem; overflow-x: auto; font-size: .85rem; }
.figure { margin: 1.5rem 0; } .row { display: flex; gap: 1rem; flex-wrap: wrap; align-items: flex-start; }
.row figure { margin: 0; flex: 1 1 30%; min-width: 280px; } .row.wide { flex-direction: column; } .row img { width: 100%; border: 1px solid #ddd; }
figcaption { font-size: .85rem; color: #555; margin-bottom: .3rem; }
.meaning li { color: #7a3b00; } .notes li { color: #666; }
.hint { background: #eef5ff; border-left: 4px solid #3b6fb6; padding: .4rem .6rem; margin: .2rem 0 .4rem; border-radius: 3px; }
.hint strong { color: #244a7a; }
.yours { color: #c2185b; font-weight: bold; } .reference { color: #6b6b6b; font-weight: bold; }
td, li, pre, .muted { overflow-wrap: anywhere; }
table.parts td[data-label="points"] { white-space: nowrap; } /* 8.58/20 on one line, never 8.58/2 and 0 */
.row img { cursor: zoom-in; }
/* A figure opened large (a click on it; a click or Escape closes it). */
img.large { position: fixed; inset: 0; margin: auto; width: auto; max-width: 96vw; max-height: 96vh; z-index: 10; background: #fff; outline: 100vmax solid rgba(0, 0, 0, .6); cursor: zoom-out; }
/* A phone (390 px): each part is a block of its own, nothing cut off or scrolled sideways. */
@media (max-width: 640px) {
  body { margin: 1rem auto; padding: 0 .6rem; }
  table.parts thead { position: absolute; left: -9999px; }
  table.parts, table.parts tbody, table.parts tr, table.parts td { display: block; width: auto; }
  table.parts tr { border-bottom: 1px solid #ddd; padding: .4rem 0; }
  table.parts td { border: 0; padding: .15rem 0; }
  table.parts td[data-label]::before { content: attr(data-label) ": "; color: #666; }
  .row figure { min-width: 0; flex-basis: 100%; }
  pre { font-size: .75rem; }
}
`;

/** Opens a figure large on a click, and closes it on a click or Escape: the page's only script. */
const ZOOM_SCRIPT = `<script>
document.addEventListener('click', (e) => {
  const img = e.target.closest('.row img');
  document.querySelectorAll('img.large').forEach((open) => { if (open !== img) open.classList.remove('large'); });
  if (img) img.classList.toggle('large');
});
document.addEventListener('keydown', (e) => { if (e.key === 'Escape') document.querySelectorAll('img.large').forEach((open) => open.classList.remove('large')); });
</script>`;

/** How a page shows its images: embedded (one self-contained file) or linked (the folder is the report). */
export interface PageOptions {
  /** Link the figures (`figures/…png`, beside the page) instead of embedding them; a batch's pages do. */
  linkImages?: boolean;
  /** Leave out the figures and the lab's printed block (the live page draws its own). */
  noLab?: boolean;
}

function imageTag(images: ReadonlyMap<string, Buffer>, file: string | undefined, alt: string, options: PageOptions): string {
  const bytes = file ? images.get(file) : undefined;
  if (!bytes || !file) return `<p class="muted">(no image)</p>`;
  return options.linkImages
    ? `<img alt="${esc(alt)}" src="${esc(file)}">`
    : `<img alt="${esc(alt)}" src="data:image/png;base64,${bytes.toString('base64')}">`;
}

/** What a student's figure shows, in words (its alt text): what differs from the reference, or that nothing does. */
function said(f: FigureResult): string {
  const words = [...f.meaning, ...f.notes];
  return words.length ? words.join('; ') : f.placeholder ? 'no figure could be drawn' : 'it shows what the reference shows';
}

/** The width in pixels of a PNG (its header's), or 0 when it is not there or not a PNG. */
function pngWidth(bytes: Buffer | undefined): number {
  return bytes && bytes.length >= 24 && bytes.readUInt32BE(12) === 0x49484452 ? bytes.readUInt32BE(16) : 0;
}

/** Figures wider than this (panels side by side; images are drawn at twice their CSS size) get a row of their own. */
const WIDE_PX = 1400;

/** The figures, each with what differs in words, then yours, the reference and (where they differ) yours over it. */
export function figuresSection(figures: readonly FigureResult[], images: ReadonlyMap<string, Buffer>, options: PageOptions = {}): string {
  return figures.map((f) => `
<div class="figure"><h3>${esc(f.title)}</h3>
${f.meaning.length ? `<ul class="meaning">${f.meaning.map((m) => `<li>${esc(m)}</li>`).join('')}</ul>` : (f.placeholder || f.notes.length ? '' : '<p class="pass">Your figure shows what the reference shows.</p>')}
${f.notes.length ? `<ul class="notes">${f.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
<div class="row${pngWidth(images.get(f.reference)) > WIDE_PX ? ' wide' : ''}">
<figure><figcaption>Yours</figcaption>${imageTag(images, f.student, `${f.title}, from your functions: ${said(f)}`, options)}</figure>
<figure><figcaption>Reference</figcaption>${imageTag(images, f.reference, `${f.title}, from the solution`, options)}</figure>
${f.overlay ? `<figure><figcaption>Yours over the reference: <span class="yours">yours</span> dark and narrow, <span class="reference">reference</span> pale and wide</figcaption>${imageTag(images, f.overlay, `${f.title}, your curves drawn over the reference's: ${said(f)}`, options)}</figure>` : ''}
</div></div>`).join('\n');
}

/** A page of figures alone (npm run plots): the knobs, the figures, the printed block. */
export function renderFiguresPage(labTitle: string, heading: string, figures: readonly FigureResult[], images: ReadonlyMap<string, Buffer>, printout?: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(labTitle)}: figures</title><style>${STYLE}</style></head>
<body><main><h1>${esc(labTitle)}: figures</h1><div class="muted">${esc(heading)}</div>
${figuresSection(figures, images)}
${printout ? `<h2>The lab's printed output, computed by your functions</h2><pre>${esc(printout)}</pre>` : ''}
</main>${ZOOM_SCRIPT}</body></html>
`;
}

/** The report's content, inside `<main>`: what the static page and the live page both show. */
export function reportBody(result: GradeResult, images: ReadonlyMap<string, Buffer>, options: PageOptions = {}): string {
  const rows = result.parts.map((p) => {
    const failing = result.tests.filter((t) => t.part === p.name && t.status !== 'pass');
    const details = failing.length > 0 && p.status !== 'not-implemented'
      ? `<details><summary>${failing.length} test${failing.length === 1 ? '' : 's'} not passed</summary><ul class="feedback">${failing.map((t) => `<li>${esc(t.name)}${t.message ? `: ${esc(t.message)}` : ''}</li>`).join('')}</ul></details>`
      : '';
    const output = p.output ? `<details><summary>what your code printed</summary><pre>${esc(p.output)}</pre></details>` : '';
    // Hints stand apart from the raw failures: they say what the mistake is, the others what happened.
    const hintLines = p.feedback.filter((f) => f.startsWith('Hint: '));
    const others = p.feedback.filter((f) => !f.startsWith('Hint: '));
    const hints = hintLines.map((h) => `<p class="hint"><strong>Hint:</strong> ${esc(h.slice('Hint: '.length))}</p>`).join('');
    return `<tr><td><code>${esc(p.name)}</code><div class="muted">${esc(p.title)}</div></td>`
      + `<td class="${p.status}" data-label="status">${STATUS_LABEL[p.status] ?? p.status}<div class="muted">${p.passed}/${p.total} tests</div></td>`
      + `<td data-label="points">${points(p.points)}/${points(p.maxPoints)}</td>`
      + `<td>${hints}${others.length ? `<ul class="feedback">${others.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>` : ''}${details}${output}</td></tr>`;
  }).join('\n');
  const lab = !options.noLab;
  const figures = lab ? figuresSection(result.figures ?? [], images, options) : '';
  return `<h1>${esc(result.title)}</h1>
<div class="muted">${result.student ? `student <strong>${esc(escapeLine(result.student))}</strong> · ` : ''}${esc(escapeLine(result.submission))} · seed ${result.seed}</div>
<div class="score">${points(result.score)}/${points(result.maxScore)}</div>
${result.hiddenTests !== undefined ? `<p class="advisory">${esc(unofficialNote(result.hiddenTests))}</p>` : result.advisory ? '<p class="advisory">This score is advisory: your course grades your submitted file with its own copy of the tests.</p>' : ''}
${isolationNote(result) ? `<p class="muted">${esc(isolationNote(result)!)}</p>` : ''}
${result.status !== 'graded' ? `<h2>Not graded</h2><pre>${esc(result.message ?? result.status)}</pre>` : ''}
<h2>Parts</h2>
<table class="parts"><thead><tr><th>function</th><th>status</th><th>points</th><th>what to fix</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${result.warnings.length ? `<h2>Warnings</h2><p class="muted">They cost no points, but fix them.</p><pre>${esc(result.warnings.join('\n\n'))}</pre>` : ''}
${lab && result.figures ? `<h2>Figures</h2><p class="muted">The lab's figures drawn from your functions, beside the same figures from the reference solution.</p>${figures}` : ''}
${lab && result.figuresProblem ? `<h2>Figures</h2><p class="fail">${esc(result.figuresProblem)}</p>` : ''}
${lab && result.lab ? `<h2>The lab's printed output, computed by your functions</h2><pre>${esc(result.lab.text)}</pre>` : ''}
${result.loadOutput ? `<h2>What your code printed while loading</h2><pre>${esc(result.loadOutput)}</pre>` : ''}`;
}

/** Renders the page; `images` maps the result's figure file names to PNG bytes. */
export function renderHtml(result: GradeResult, images: ReadonlyMap<string, Buffer>, options: PageOptions = {}): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${result.student ? `${esc(escapeLine(result.student))}: ` : ''}${esc(result.title)}: ${points(result.score)}/${points(result.maxScore)}</title><style>${STYLE}</style></head>
<body><main>
${reportBody(result, images, options)}
</main>${result.figures ? ZOOM_SCRIPT : ''}</body></html>
`;
}
