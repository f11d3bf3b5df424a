/**
 * The live page of `npm run dev`: a shell that its script (assets/live.js) fills from the server's
 * LiveView (the report as the static page shows it) and redraws on each grade, plus the notebook's
 * knobs as inputs and the four figures as interactive Vega-Lite charts. A pure function: no data
 * of the student's is in it (that comes as JSON, and the report's HTML is escaped by html.ts).
 */
import { esc, STYLE } from '../report/html';
import { MAX_POINTS, MAX_STEPS, type KnobName } from '../lib/knobs';
import { currentLab } from '../lib/paths';

/** One knob's input: its label, what the notebook calls it, and a hint of what it takes. */
interface KnobInput {
  name: KnobName;
  label: string;
  help: string;
}

const GROUPS: { legend: string; knobs: KnobInput[] }[] = [
  {
    legend: 'Data: linspace(start, stop, num)',
    knobs: [
      { name: 'start', label: 'start', help: 'a number (lab: -5; try -100)' },
      { name: 'stop', label: 'stop', help: 'a number (lab: 5; try 100)' },
      { name: 'num', label: 'num', help: `a whole number, 2 to ${MAX_POINTS} (lab: 100; try 1000)` },
    ],
  },
  {
    legend: 'Tangent',
    knobs: [
      { name: 'xTan', label: 'x_tan', help: 'where it touches (lab: 0; try 2)' },
      { name: 'span', label: 'span', help: 'half its length, above 0 (lab: 1.7)' },
    ],
  },
  {
    legend: 'Decay loop',
    knobs: [
      { name: 'steps', label: 'steps', help: `a whole number, 1 to ${MAX_STEPS} (lab: 6; try 10)` },
      { name: 'x', label: 'x', help: 'the input (lab: 0; try 1)' },
    ],
  },
  {
    legend: 'Compression y-limit (plt.ylim)',
    knobs: [
      { name: 'ylimLo', label: 'low', help: 'empty: none (try -0.5)' },
      { name: 'ylimHi', label: 'high', help: 'empty: none (try 1.5)' },
    ],
  },
];

const LIVE_STYLE = `
.live-status { position: sticky; top: 0; background: #f4f7fb; border-bottom: 1px solid #d8e0ea; padding: .4rem .8rem; margin: -1rem -1rem 1rem; font-size: .9rem; z-index: 5; }
.live-status.lost { background: #fdecea; color: #8a1c1c; }
form.knobs { display: flex; flex-wrap: wrap; gap: .8rem; }
form.knobs fieldset { border: 1px solid #ddd; border-radius: 4px; padding: .4rem .7rem .6rem; margin: 0; flex: 1 1 14rem; }
form.knobs legend { font-weight: bold; font-size: .9rem; }
.knob { display: grid; grid-template-columns: 4.5rem 1fr; gap: .1rem .5rem; align-items: center; margin: .3rem 0; }
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
  return GROUPS.map((g) => `<fieldset><legend>${esc(g.legend)}</legend>${g.knobs.map((k) => `
<div class="knob"><label for="knob-${k.name}">${esc(k.label)}</label><input id="knob-${k.name}" name="${k.name}" inputmode="decimal" autocomplete="off" spellcheck="false" aria-describedby="help-${k.name} problem-${k.name}">
<small id="help-${k.name}">${esc(k.help)}</small><span class="problem" id="problem-${k.name}" role="alert"></span></div>`).join('')}</fieldset>`).join('\n');
}

/** The live page (the same bytes every time: what changes comes as JSON). */
export function livePage(): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(currentLab().title)}: live</title><style>${STYLE}${LIVE_STYLE}</style></head>
<body>
<div class="live-status" id="status" role="status" aria-live="polite">Waiting for the first grade…</div>
<main>
<div id="report"><p class="muted">Grading your file…</p></div>
<section aria-labelledby="lab-heading">
<h2 id="lab-heading">Figures, with the notebook's knobs</h2>
<p class="muted">Change a knob: the four figures are drawn again from your functions (run in the sandbox), <span class="yours">yours</span> over the <span class="reference">reference</span>. Hover a curve for its values; drag to pan, scroll to zoom. Grading always uses the lab's values.</p>
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
