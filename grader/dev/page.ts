/**
 * The live page of `npm run dev`: a shell that its script (assets/live.js) fills from the server's
 * LiveView (the report as the static page shows it) and redraws on each grade, plus the notebook's
 * knobs as inputs and its figures as interactive Vega-Lite charts. A pure function: no data
 * of the student's is in it (that comes as JSON, and the report's HTML is escaped by html.ts).
 */
import { esc, STYLE } from '../report/html';
import { currentLab, currentLabCode } from '../lib/paths';

const LIVE_STYLE = `
.live-status { position: sticky; top: 0; background: #f4f7fb; border-bottom: 1px solid #d8e0ea; padding: .4rem .8rem; margin: -1rem -1rem 1rem; font-size: .9rem; z-index: 5; }
.live-status.lost { background: #fdecea; color: #8a1c1c; }
form.knobs { display: flex; flex-wrap: wrap; gap: .8rem; }
form.knobs fieldset { border: 1px solid #ddd; border-radius: 4px; padding: .4rem .7rem .6rem; margin: 0; flex: 1 1 14rem; }
form.knobs legend { font-weight: bold; font-size: .9rem; }
.knob { display: grid; grid-template-columns: minmax(4.5rem, max-content) 1fr; gap: .1rem .5rem; align-items: center; margin: .3rem 0; }
.knob input { width: 100%; box-sizing: border-box; font: inherit; padding: .2rem .3rem; border: 1px solid #999; border-radius: 3px; }
.knob input[aria-invalid="true"] { border-color: #b03030; background: #fff4f4; }
.knob small { grid-column: 2; color: #666; }
.knob .problem { grid-column: 2; color: #b03030; font-size: .85rem; }
.knob .problem:empty { display: none; }
.actions { flex-basis: 100%; display: flex; gap: .8rem; align-items: center; }
.actions button { font: inherit; padding: .3rem .8rem; }
.charts figure { margin: 1.2rem 0; } .charts figcaption { font-size: 1rem; color: #222; font-weight: bold; }
/* Charts shrink to the screen (a phone): the SVG scales, its text with it. */
.chart, .chart .vega-embed { max-width: 100%; } .chart svg { max-width: 100%; height: auto; }
#figures-problem:empty { display: none; }
.charts .meaning, .charts .notes { margin: .2rem 0 .4rem 1rem; padding: 0; }
@media (max-width: 640px) { .live-status { margin: -1rem -.6rem 1rem; } }
`;

function knobInputs(): string {
  return (currentLabCode()?.knobs.groups ?? []).map((g) => `<fieldset><legend>${esc(g.legend)}</legend>${g.knobs.map((k) => `
<div class="knob"><label for="knob-${esc(k.name)}">${esc(k.label)}</label><input id="knob-${esc(k.name)}" name="${esc(k.name)}" inputmode="decimal" autocomplete="off" spellcheck="false" aria-describedby="help-${esc(k.name)} problem-${esc(k.name)}">
<small id="help-${esc(k.name)}">${esc(k.help)}</small><span class="problem" id="problem-${esc(k.name)}" role="alert"></span></div>`).join('')}</fieldset>`).join('\n');
}

/** The live page (the same bytes every time: what changes comes as JSON). */
export function livePage(): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(currentLab().title)}: live</title><style>${STYLE}${LIVE_STYLE}</style></head>
<body data-lab-title="${esc(currentLab().title)}">
<div class="live-status" id="status" role="status" aria-live="polite">Waiting for the first grade…</div>
<main>
<div id="report"><p class="muted">Grading your file…</p></div>
<section aria-labelledby="lab-heading">
<h2 id="lab-heading">Figures, with the notebook's knobs</h2>
<p class="muted">Change a knob: the lab's figures are drawn again from your functions (run in the sandbox), <span class="yours">yours</span> over the <span class="reference">reference</span>. Hover a curve for its values; drag to pan, scroll to zoom. Grading always uses the lab's values.</p>
<form class="knobs" id="knobs" novalidate>
${knobInputs()}
<div class="actions"><button type="button" id="reset">The lab's values</button><span id="knob-status" class="muted" role="status" aria-live="polite"></span></div>
</form>
<p class="fail" id="figures-problem" role="status"></p>
<div class="charts" id="figures"></div>
<h2>The lab's printed output, computed by your functions</h2>
<pre id="printout"></pre>
</section>
</main>
<script src="/vendor/vega.min.js"></script>
<script src="/vendor/vega-lite.min.js"></script>
<script src="/vendor/vega-embed.min.js"></script>
<script src="/live.js"></script>
</body></html>
`;
}
