// The live page's script (npm run dev). Plain browser JavaScript, served as is by grader/dev/server.ts.
// It shows each grade the server sends (server-sent events), and asks the server for the figures
// when a knob changes: the student's functions only ever run in the sandbox, never in the page.
// The body's data-version and data-knobs-drawn attributes say what is on screen (the kit's
// browser tests and bench/dev.ts wait on them).
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  // The lab's knobs: the inputs the page was written with.
  const NAMES = Array.from(document.querySelectorAll('#knobs input[name]'), (i) => i.name);
  let shown = 0; // the version of the grade on screen
  let session; // the id of the npm run dev it came from
  let labKnobs; // the lab's knobs as text
  let asked = 0; // the last knob request sent; older answers are dropped
  const views = new Map(); // the charts on screen, by figure: { text: the spec drawn, result: vega-embed's }
  const drawTokens = new Map(); // by figure, the number of the last draw asked for
  let timer;

  const input = (name) => $(`knob-${name}`);
  const typed = () => Object.fromEntries(NAMES.map((n) => [n, input(n).value]));
  const isLab = () => labKnobs && NAMES.every((n) => input(n).value.trim() === labKnobs[n]);

  function setStatus(text, lost) {
    $('status').textContent = text;
    $('status').classList.toggle('lost', Boolean(lost));
  }

  function showProblems(problems) {
    for (const n of NAMES) {
      const problem = problems[n] || '';
      $(`problem-${n}`).textContent = problem;
      input(n).setAttribute('aria-invalid', problem ? 'true' : 'false');
    }
  }

  function element(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function list(className, items) {
    const ul = element('ul', className);
    for (const item of items) ul.appendChild(element('li', '', item));
    return ul;
  }

  // Draws the figures; resolves when every chart is on screen. A chart whose spec is the one on
  // screen already (an edit elsewhere in the file) is kept as it is: only the words around it change.
  async function drawFigures(answer) {
    const box = $('figures');
    const problem = $('figures-problem');
    problem.textContent = answer.problem ? `No figures: ${answer.problem}` : '';
    const keep = new Map();
    const embeds = answer.figures.map((f) => {
      const text = JSON.stringify(f.spec);
      let slot = box.querySelector(`figure[data-figure="${f.id}"]`);
      if (!slot) {
        slot = element('figure');
        slot.dataset.figure = f.id;
        slot.append(element('figcaption', '', f.title), element('div', 'words'), element('div', 'chart'));
      }
      box.appendChild(slot);
      keep.set(f.id, slot);
      const words = slot.querySelector('.words');
      words.replaceChildren();
      if (f.meaning.length) words.appendChild(list('meaning', f.meaning));
      if (f.notes.length) words.appendChild(list('notes', f.notes));
      if (!f.meaning.length && !f.notes.length) words.appendChild(element('p', 'pass', 'Yours shows what the reference shows.'));
      const chart = slot.querySelector('.chart');
      chart.setAttribute('role', 'img');
      chart.setAttribute('aria-label', f.alt);
      if (views.get(f.id)?.text === text) return undefined;
      views.get(f.id)?.result.finalize();
      views.delete(f.id);
      // Draws may overlap (a knob answer while a grade's charts are drawn): only the last one
      // asked for a figure is kept; an older one that finishes later is thrown away.
      const token = (drawTokens.get(f.id) ?? 0) + 1;
      drawTokens.set(f.id, token);
      // ast: expressions are interpreted, never eval'd (the page's policy forbids eval). The
      // spec's description is the chart's own label; vega-embed labels its container "Vega
      // visualization", so the words are set again once it is drawn.
      return vegaEmbed(chart, { ...f.spec, description: f.alt }, { ast: true, renderer: 'svg', actions: false })
        .then((result) => {
          if (drawTokens.get(f.id) !== token) {
            result.finalize();
            return;
          }
          views.get(f.id)?.result.finalize();
          views.set(f.id, { text, result });
          chart.setAttribute('role', 'img');
          chart.setAttribute('aria-label', f.alt);
        });
    });
    for (const slot of [...box.children]) {
      if (keep.has(slot.dataset.figure)) continue;
      views.get(slot.dataset.figure)?.result.finalize();
      views.delete(slot.dataset.figure);
      slot.remove();
    }
    $('printout').textContent = answer.printout || '';
    await Promise.all(embeds);
  }

  async function requestFigures() {
    const seq = ++asked;
    $('knob-status').textContent = 'Calling your functions…';
    let answer;
    try {
      // The header tells the server the request comes from this page (another site's page
      // cannot send it without the server's leave, which it never gives).
      const response = await fetch(`/figures?${new URLSearchParams(typed())}`, { headers: { 'X-Live-Page': '1' } });
      if (!response.ok) throw new Error(await response.text());
      answer = await response.json();
    } catch (err) {
      if (seq === asked) $('knob-status').textContent = `The figures could not be fetched: ${err.message}`;
      return;
    }
    if (seq !== asked || answer.stale) return;
    if (!answer.ok) {
      // A bad knob: say so beside it, and leave the charts as they are.
      showProblems(answer.problems);
      $('knob-status').textContent = 'Fix the knobs marked in red: the figures above are for the last good ones.';
      document.body.dataset.knobsProblem = String(seq);
      return;
    }
    showProblems({});
    await drawFigures(answer.figures);
    if (seq !== asked) return;
    $('knob-status').textContent = answer.figures.lab ? "The lab's knobs (the ones grading uses)." : 'Your knobs.';
    document.body.dataset.knobsDrawn = String(seq);
  }

  async function showView(view) {
    if (!view) return;
    // Another run of npm run dev (restarted): its grades count from 1 again.
    if (view.session !== session) {
      session = view.session;
      shown = 0;
    }
    if (view.version < shown) return;
    if (view.version === shown) {
      // The same grade, now with the type check's warnings: the report only.
      if (view.complete) $('report').innerHTML = view.reportHtml;
      return;
    }
    const began = performance.now();
    shown = view.version;
    $('report').innerHTML = view.reportHtml;
    if (!labKnobs) {
      labKnobs = view.labKnobs;
      for (const n of NAMES) input(n).value = labKnobs[n];
    }
    const r = view.result;
    setStatus(`Graded at ${new Date().toLocaleTimeString()}: ${r.score}/${r.maxScore}${r.status === 'graded' ? '' : ` (${r.status})`}. Saving your file grades it again.`);
    document.title = `${document.body.dataset.labTitle}: ${r.score}/${r.maxScore} (live)`;
    // The grade's figures are for the lab's knobs; other knobs are asked for again (the functions changed).
    if (isLab()) {
      showProblems({});
      ++asked;
      await drawFigures(view.figures);
      $('knob-status').textContent = "The lab's knobs (the ones grading uses).";
    } else {
      await requestFigures();
    }
    if (view.version === shown) {
      document.body.dataset.drawnInMs = String(Math.round(performance.now() - began));
      document.body.dataset.version = String(view.version);
    }
  }

  $('knobs').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(requestFigures, 80);
  });
  $('knobs').addEventListener('submit', (e) => e.preventDefault());
  $('reset').addEventListener('click', () => {
    if (!labKnobs) return;
    for (const n of NAMES) input(n).value = labKnobs[n];
    requestFigures();
  });

  const events = new EventSource('/events');
  events.addEventListener('view', (e) => { showView(JSON.parse(e.data)); });
  events.addEventListener('error', () => setStatus('Lost the connection to npm run dev: is it still running? (This page reconnects by itself.)', true));
  events.addEventListener('open', () => {
    // After a lost connection: say so, and show any grade made meanwhile.
    if ($('status').classList.contains('lost')) setStatus('Connected again to npm run dev.');
    fetch('/view.json').then((r) => r.json()).then(showView, () => undefined);
  });
})();
