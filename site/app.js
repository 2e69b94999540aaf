// nasplay page: loads the wasm engine into the cell iframe, keeps the
// settings in the URL, paces the search and draws the charts' moving parts.
// Everything computed (validation, searches, result card) comes from Go
// through the iframe's window.nasplay; this file only moves values around.
'use strict';

const $ = (id) => document.getElementById(id);
const { sharp, size } = window.NasplayCanvas;

// Animation pace per speed level: episodes per tick, milliseconds between
// ticks, and the ticks (1/60 s) between two revealed decisions on the canvas.
const SPEEDS = {
  1: { label: 'slow: one decision at a time', batch: 1, every: 1800, reveal: 14 },
  2: { label: 'steady', batch: 1, every: 600, reveal: 4 },
  3: { label: '10 episodes/s', batch: 1, every: 100, reveal: 0 },
  4: { label: '60 episodes/s', batch: 1, every: 16, reveal: 0 },
  5: { label: '300 episodes/s', batch: 5, every: 16, reveal: 0 },
};

const app = {
  np: null,        // the iframe's window.nasplay
  cellWin: null,   // the iframe's window
  state: null,     // the current validated settings (from nasplay.parse)
  frames: null,    // chart frames by "dataset-device-objective" (plots/frames.json)
  points: [],      // episodes of the current run
  card: null,
  done: false,
  timer: 0,
  playing: false,
  gen: 0,          // counts resets; a live episode of an older run is dropped
  loop: 0,         // counts play loops; only the newest one reschedules itself
  liveLog: [],     // live mode: each episode's computed indicators
};
window.nasplayApp = app; // for the browser tests

function call(name, ...args) {
  const out = JSON.parse(app.np[name](...args));
  if (out && typeof out === 'object' && out.error) throw new Error(out.error);
  return out;
}

// ---- loading ---------------------------------------------------------------

// showError is the page's showFailure (index.html): what failed, with a
// Reload button; the first failure stays.
const showError = showFailure;
window.nasplayFailed = (msg) => showError('The cell view failed: ' + msg);

// fetchCounted fetches a file and returns a response whose body reports
// its decoded bytes as they pass, for the loading bar.
async function fetchCounted(url, onBytes, type) {
  let resp;
  try {
    resp = await fetch(url);
  } catch (e) {
    throw new Error(`could not fetch ${url}: ${e.message}`);
  }
  if (!resp.ok) throw new Error(`could not fetch ${url}: HTTP ${resp.status} ${resp.statusText}`);
  const count = new TransformStream({ transform(chunk, ctl) { onBytes(chunk.length); ctl.enqueue(chunk); } });
  return new Response(resp.body.pipeThrough(count), { headers: { 'Content-Type': type } });
}

async function fetchBytes(url, onBytes) {
  const resp = await fetchCounted(url, onBytes, 'application/octet-stream');
  try {
    return new Uint8Array(await resp.arrayBuffer());
  } catch (e) { // the connection dropped during the download
    throw new Error(`could not fetch ${url}: the download broke off (${e.message})`);
  }
}

// watchStall says so beside the loading bar while stalled() holds (bytes
// are due, and none came for STALL_MS): on a network that stops without
// failing, the bar would just stand still. It ends once the page is ready
// or has failed.
const STALL_MS = 10000;
function watchStall(stalled) {
  const note = $('loading-stall');
  note.textContent = `No data for ${STALL_MS / 1000} s or more: the network may have stalled. Reloading the page tries again and keeps your settings, which are in its link.`;
  const timer = setInterval(() => {
    if (document.body.dataset.ready || document.body.dataset.failed) { clearInterval(timer); return; }
    note.hidden = !stalled();
  }, 1000);
}

// fetchJSON fetches and parses a JSON file with errors that name it.
async function fetchJSON(url) {
  const resp = await fetchCounted(url, () => {}, 'application/json');
  try {
    return await resp.json();
  } catch (e) {
    throw new Error(`could not read ${url}: ${e.message}`);
  }
}

// iframeLoaded resolves to the cell view's window once cell.html has
// loaded, and rejects when it could not be: a 404 page, or the browser's
// network error page (another origin: no contentDocument), loads too, and
// may have done so before this script ran.
function iframeLoaded() {
  const f = $('cell');
  return new Promise((resolve, reject) => {
    const check = () => {
      if (f.contentDocument && f.contentWindow.bootWasm) resolve(f.contentWindow);
      else reject(new Error('could not load cell.html (the cell view)'));
    };
    const doc = f.contentDocument;
    if (!doc || (doc.URL !== 'about:blank' && doc.readyState === 'complete')) check();
    else f.addEventListener('load', check, { once: true });
  });
}

async function load() {
  const t0 = performance.now();
  // The manifest says which files the build has and their sizes; without
  // it the page would take the indicator table for missing and open on
  // #params, so a manifest that cannot be fetched is an error, as for
  // frames.json.
  const manifest = await fetchJSON('build.json');
  const sizes = manifest.sizes || {};
  // Go decides below whether the indicator table loads before the page is
  // ready; it does unless the link asks for a baseline, so then it is
  // fetched now, beside the engine and the tables, and the loading bar
  // counts it. Fetched after them, it kept a full bar for seconds on a slow
  // network (5 s of 30 at 1.6 Mbit/s).
  const ind = (new URLSearchParams(location.search).get('ind') || '').trim().toLowerCase(); // as Go reads it
  const early = INDICATORS in sizes && !BASELINES.includes(ind);
  const files = ['app.wasm', 'assets/tables.msgpack', ...(early ? [INDICATORS] : [])];
  const total = files.reduce((s, f) => s + (sizes[f] || 0), 0);
  let got = 0, last = performance.now();
  const bar = $('progress');
  const progress = (n) => {
    got += n;
    last = performance.now();
    if (!total) return;
    const pct = Math.min(100, (100 * got) / total);
    bar.style.width = pct.toFixed(1) + '%';
    $('loading-bar').setAttribute('aria-valuenow', pct.toFixed(0));
  };
  app.phases = {};
  watchStall(() => got < total && performance.now() - last > STALL_MS);
  const indicatorBytes = early ? fetchBytes(INDICATORS, progress) : undefined;
  if (indicatorBytes) indicatorBytes.catch(() => {}); // loadIndicators shows its failure
  // The wasm compiles while it downloads (in the iframe, which runs it).
  const wasm = fetchCounted('app.wasm', progress, 'application/wasm');
  const booted = Promise.all([wasm, iframeLoaded()]).then(async ([resp, win]) => {
    await win.bootWasm(resp);
    app.phases.booted = performance.now() - t0;
    return win;
  });
  const [tablesBytes, frames, cellWin] = await Promise.all([
    fetchBytes('assets/tables.msgpack', progress).then((b) => { app.phases.fetched = performance.now() - t0; return b; }),
    fetchJSON('plots/frames.json'),
    booted,
  ]);
  app.cellWin = cellWin;
  app.np = cellWin.nasplay;
  app.frames = Object.fromEntries(frames.map((f) => [f.dataset + '-' + f.device + '-' + f.objective, f]));
  // The engine copies bytes only from its own realm's Uint8Array.
  const menus = call('load', new cellWin.Uint8Array(tablesBytes.buffer));
  app.phases.tables = performance.now() - t0;
  app.hasIndicatorTable = INDICATORS in sizes;
  fillMenus(menus);
  $('tables-checksum').textContent = 'Tables ' + menus.checksum + '.';
  // The indicator table loads before the page is ready when the link's
  // indicator comes with it: one of its indicators, or the default (fi)
  // when the link names none it knows. Otherwise it loads after.
  const wanted = [...menus.indicators, ...menus.pending].includes(ind) ? ind : menus.defaultIndicator;
  const tableFirst = app.hasIndicatorTable && menus.pending.includes(wanted);
  if (tableFirst) {
    $('loading-text').textContent = 'Loading the indicator table…';
    await loadIndicators(indicatorBytes);
  }
  applyQuery(location.search, true);
  // The page is ready when its chart is; a chart that cannot be fetched is
  // said under the chart (loadScatter), and the rest of the page works.
  await chartImage(chartFile(frame())).catch(() => {});
  // The settings stay disabled while the page loads (index.html), so that
  // nothing typed into them is silently dropped.
  for (const el of $('controls').querySelectorAll('select, input')) el.disabled = false;
  for (const id of ['play', 'step', 'finish', 'reset']) $(id).disabled = false;
  $('loading').hidden = true;
  app.readyMs = performance.now() - t0;
  app.readySinceNavMs = performance.now(); // performance.now() counts from navigation start
  app.wireBytesAtReady = wireBytes();
  document.body.dataset.ready = '1';
  if (app.state.run) finish();
  preloadCharts().catch(() => {}); // a failure shows when that chart is opened
  if (app.hasIndicatorTable && !tableFirst) loadIndicators(indicatorBytes);
}

// wireBytes sums what came over the network so far (headers and encoded
// bodies, from resource timing) for this page and the cell iframe.
function wireBytes() {
  const sum = (perf) => perf.getEntries().reduce((s, e) => s + (e.transferSize || 0), 0);
  return sum(performance) + (app.cellWin ? sum(app.cellWin.performance) : 0);
}

const INDICATORS = 'assets/indicators.msgpack';
const BASELINES = ['params', 'flops']; // the indicators that score without the indicator table

// loadIndicators fetches the indicator table and adds its indicators to
// the menu, keeping the current choice. A failure is shown beside the
// menu; the baselines keep scoring.
async function loadIndicators(fetched = fetchBytes(INDICATORS, () => {})) {
  try {
    const bytes = await fetched;
    fillIndicators(call('indicators', new app.cellWin.Uint8Array(bytes.buffer)));
  } catch (e) {
    $('indicator-hint').textContent = e.message;
    $('indicator-hint').classList.add('bad');
    // The table's indicators will not come: say so in the menu too.
    for (const o of $('indicator').options) {
      if (o.disabled) o.textContent = indicatorLabel(o.value) + ' (unavailable)';
    }
  }
}

function fillMenu(sel, items) {
  sel.replaceChildren(...items.map(([v, t]) => new Option(t, v)));
}

function fillMenus(m) {
  fillMenu($('dataset'), m.datasets.map((d) => [d.name, d.title]));
  fillMenu($('device'), m.devices.map((d) => [d.name, d.title]));
  fillMenu($('algo'), m.algorithms.map((a) => [a, a]));
  app.energyDevices = m.energyDevices;
  $('episodes').max = m.maxEpisodes;
  fillIndicators(m);
}

// indicatorLabel names an indicator in the menu with what it measures.
function indicatorLabel(name) {
  return window.NasplayExplain ? NasplayExplain.menuLabel(name) : name;
}

// fillIndicators lists the indicators, with the indicator table's shown
// but disabled while it is not loaded, and keeps the current choice.
function fillIndicators(m) {
  const sel = $('indicator');
  const keep = sel.value;
  fillMenu(sel, m.indicators.map((i) => [i, indicatorLabel(i)]));
  for (const name of m.pending) {
    const o = new Option(indicatorLabel(name) + (app.hasIndicatorTable ? ' (loading…)' : ' (not in this build)'), name);
    o.disabled = true;
    sel.append(o);
  }
  if (keep) sel.value = keep;
  $('indicator-hint').textContent = m.pending.length && !app.hasIndicatorTable
    ? 'This build has no indicator table (assets/indicators.msgpack): only the #params and FLOPs baselines can score.'
    : '';
}

// ---- settings <-> URL --------------------------------------------------------

// applyQuery validates a query in Go, shows what was corrected, puts the
// result in the controls and the URL, and resets the run.
function applyQuery(query, fromURL) {
  const s = call('parse', query);
  app.state = s;
  const notes = $('notices');
  if (s.notices && s.notices.length) {
    notes.replaceChildren(
      Object.assign(document.createElement('strong'), { textContent: fromURL ? 'The link had settings that were corrected: ' : 'Corrected: ' }),
      ...s.notices.map((n) => Object.assign(document.createElement('span'), { className: 'notice', textContent: `${n.param}=${n.value}: ${n.message}` })),
    );
    notes.hidden = false;
  } else if (!fromURL) {
    notes.hidden = true;
  }
  $('dataset').value = s.ds;
  $('device').value = s.dev;
  $('objective').value = s.obj;
  // Energy is measured on three devices only: offer it where it exists.
  $('objective').querySelector('option[value="energy"]').disabled = !app.energyDevices.includes(s.dev);
  const kind = s.obj === 'energy' ? 'Energy' : 'Latency';
  $('target-kind').textContent = kind;
  $('chart-kind').textContent = s.obj;
  $('scatter-panel').setAttribute('aria-label', `${kind}–accuracy scatter`);
  $('scatter-bg').setAttribute('aria-label', `${kind}–accuracy ${$('scatter-bg').dataset.label}`);
  for (const el of document.querySelectorAll('.unit')) el.textContent = s.range.unit;
  const t = $('target');
  t.min = s.range.min; t.max = s.range.max; t.step = s.range.step;
  t.value = s.t;
  $('alpha').value = s.alpha;
  $('indicator').value = s.ind;
  $('algo').value = s.algo;
  $('seed').value = s.seed;
  $('episodes').value = s.ep;
  $('speed').value = s.speed;
  $('scoring').value = s.live ? '1' : '';
  if (window.nasplayExplain) window.nasplayExplain.refresh();
  if (!s.live) $('live-status').hidden = true; // its pool and its failures belong to live scoring
  showOutputs();
  showFeasible(s.feasible);
  setQuery(s.query);
  // The lab opens on this search's dataset and indicator.
  $('lab-link').href = 'lab.html?' + new URLSearchParams({ ind: s.ind, ds: s.ds });
  const discarded = app.points.length;
  resetRun();
  if (discarded && !fromURL) status(`settings changed: the run of ${plural(discarded, 'episode')} was reset; press Play or Step`);
  loadScatter();
}

// plural is "1 episode", "2 episodes".
function plural(n, noun) { return `${n} ${noun}${n === 1 ? '' : 's'}`; }

function controlsQuery(dropTarget) {
  const q = new URLSearchParams();
  for (const id of ['dataset', 'device', 'objective', 'target', 'alpha', 'indicator', 'algo', 'seed', 'episodes', 'speed']) {
    const el = $(id);
    if (id === 'target' && dropTarget) continue;
    // A device without energy data runs on latency (the menu disables energy there).
    if (id === 'objective' && !app.energyDevices.includes($('device').value)) continue;
    q.set(el.name, el.value);
  }
  if ($('scoring').value === '1') q.set('live', '1');
  return q.toString();
}

function showOutputs() {
  // Each slider's value as shown beside it, and as a screen reader says it.
  const shown = {
    target: Number($('target').value) + ' ' + unit(),
    alpha: Number($('alpha').value).toFixed(2),
    speed: SPEEDS[$('speed').value].label,
  };
  for (const [id, text] of Object.entries(shown)) {
    $(id + '-out').textContent = text;
    $(id).setAttribute('aria-valuetext', text);
  }
}

// unit is the target's unit: ms, or mJ under the energy objective.
function unit() { return app.state ? app.state.range.unit : 'ms'; }

function showFeasible(f) {
  const s = app.state;
  let text = `${f.count.toLocaleString('en')} of 15,625 networks meet T on this device.`;
  if (f.oracleIndex >= 0) text += ` Best of them (the oracle): ${f.oracleAcc} % test accuracy, ${f.oracleCost} ${unit()} (#${f.oracleIndex}).`;
  if (s.paper) text += ` Paper (${s.ind}, at its T = ${s.paper.targetMs} ms): ${s.paper.testAcc.toFixed(2)} % / ${s.paper.latencyMs.toFixed(2)} ms.`;
  $('feasible').textContent = text;
  app.feasible = f;
}

function onControl(e) {
  if (!app.state) return; // the engine is still loading; the controls apply once it is ready
  const id = e.target.id;
  if (id === 'speed') { // pace only: the run goes on
    showOutputs();
    const q = new URLSearchParams(location.search);
    q.set('speed', $('speed').value);
    app.state = call('parse', q.toString());
    setQuery(app.state.query);
    return;
  }
  if (id === 'target' && e.type === 'input') { // live count while dragging
    // The run belongs to the old T and is reset when the drag ends; pausing
    // it (played, or running to the end in slices) keeps its frames from
    // drawing the old T over the dragged one.
    if (app.playing || app.finishing) { stop(); status(); }
    showOutputs();
    const f = call('feasible', app.state.ds, app.state.dev, app.state.obj, $('target').value);
    showFeasible(f);
    drawMarks(Number($('target').value), f);
    return;
  }
  if (id === 'alpha' && e.type === 'input') { showOutputs(); return; }
  // A new dataset, device or objective has its own range: take its default T.
  applyQuery(controlsQuery(id === 'dataset' || id === 'device' || id === 'objective'), false);
}

// ---- running -----------------------------------------------------------------

function resetRun() {
  stop();
  app.gen++;
  app.liveLog = [];
  app.points = [];
  app.done = false;
  app.card = null;
  clearCard();
  status();
  drawRewardAxes();
  const c = $('scatter-samples');
  sharp(c, true).clearRect(0, 0, ...size(c));
  drawMarks();
  setURLRun(false);
  // A fresh session: the cell view says "Ready" for these settings instead
  // of showing the old run's network.
  call('start', app.state.query);
  showScene();
}

function ensureStarted() {
  if (app.done) resetRun();
}

// showScene names the cell frame after what its canvas shows.
function showScene() { $('cell').title = 'Cell view: ' + call('scene'); }

function apply(res) {
  showScene();
  for (const p of res.points) addPoint(p);
  app.card = res.card;
  showCard(res.card);
  drawMarks();
  if (res.done) {
    app.done = true;
    stop();
    setURLRun(true);
  }
}

// current wraps a live-mode callback so that it is dropped once the run it
// belongs to has been reset: a result or a failure of an old run must not
// act on the new one.
function current(f) {
  const gen = app.gen;
  return (x) => { if (gen === app.gen) f(x); };
}

function stepOnce() {
  ensureStarted();
  app.finishing = null; // a step ends a run to the end
  quiet(false); // and is heard
  if (app.state.live) {
    liveMode().then((m) => m.run(1, Math.max(8, SPEEDS[app.state.speed].reveal))).then(current(() => status()), current(liveFailed));
    return;
  }
  apply(call('step', 1, Math.max(8, SPEEDS[app.state.speed].reveal)));
  status();
}

// tick runs one paced step of play loop number loop; a loop ends when play
// stops or a newer loop starts (Pause then Play while a live episode is
// still computing must not leave two loops running).
function tick(loop) {
  if (!app.playing || loop !== app.loop) return;
  const sp = SPEEDS[$('speed').value];
  const next = () => { if (app.playing && loop === app.loop) app.timer = setTimeout(tick, sp.every, loop); };
  if (app.state.live) {
    // Pause (or a newer loop) ends the batch before its next episode.
    const going = () => app.playing && loop === app.loop;
    liveMode().then((m) => m.run(sp.batch, sp.reveal, going)).then(current(() => { status(); next(); }), current(liveFailed));
    return;
  }
  apply(call('step', sp.batch, sp.reveal));
  if (app.done) { // the pace reached, which a slow machine or browser may hold under the speed's
    const n = app.points.length - app.playFrom.n, s = (performance.now() - app.playFrom.t) / 1000;
    status(`played ${plural(n, 'episode')} in ${s.toFixed(1)} s (${Math.round(n / s)} episodes/s)`);
  } else status();
  next();
}

function play() {
  if (app.playing) { stop(); return; }
  ensureStarted();
  app.finishing = null; // play takes over from a run to the end
  app.playing = true;
  app.playFrom = { n: app.points.length, t: performance.now() };
  $('play').textContent = 'Pause';
  quiet(true);
  tick(++app.loop);
}

function stop() {
  app.playing = false;
  app.finishing = null;
  clearTimeout(app.timer);
  $('play').textContent = 'Play';
  quiet(false);
}

// quiet keeps the run status from announcing while the run goes on by
// itself (Play, Run to end): up to 60 updates a second, a slice every
// quarter second or a live episode every second are no announcements; a
// screen reader hears the status again when the run stops.
function quiet(on) { $('run-status').setAttribute('aria-live', on ? 'off' : 'polite'); }

// finish runs every remaining episode, and times it from the click to the
// result drawn. A first slice of episodes measures the pace: if the rest
// takes under FINISH_FREEZE_MS it runs at once (a yield to the browser
// costs a frame, a tenth of a second where the page is drawn in software);
// otherwise it runs in slices of about FINISH_SLICE_MS, each drawn, so a
// slow machine shows the run advancing and still answers clicks. A reset
// or a new setting (app.gen), or Play or Step (app.finishing), ends it.
const FINISH_FREEZE_MS = 1000, FINISH_SLICE_MS = 250;
function finish() {
  const t0 = performance.now();
  stop();
  ensureStarted();
  quiet(true); // until it ends (apply stops it) or Play, Step or Reset takes over
  if (app.state.live) {
    // Play or Step (app.finishing) ends it before its next episode, as in
    // table mode: a live run to the end can take minutes.
    const run = app.finishing = {};
    liveMode().then((m) => m.run(0, 0, () => app.finishing === run)).then(current((n) => {
      if (!app.done) { status(); return; } // interrupted
      app.lastRunMs = performance.now() - t0;
      status(`ran ${plural(n, 'episode')} live in ${(app.lastRunMs / 1000).toFixed(1)} s`);
    }), current(liveFailed));
    return;
  }
  const run = app.finishing = {}, gen = app.gen, from = app.points.length;
  let n = 20, engineMs = 0;
  const slice = () => {
    if (gen !== app.gen || app.finishing !== run) return;
    const a = performance.now();
    const res = call('step', n, 0);
    const ms = performance.now() - a;
    engineMs += ms;
    apply(res);
    if (!res.done) {
      const perEpisode = ms / Math.max(res.points.length, 1);
      if ((app.state.ep - app.points.length) * perEpisode <= FINISH_FREEZE_MS) {
        n = 0; // the rest, at once
        slice();
        return;
      }
      n = Math.max(1, Math.round(FINISH_SLICE_MS / Math.max(perEpisode, 0.01)));
      status('running to the end…');
      setTimeout(slice, 0);
      return;
    }
    app.finishing = null;
    app.lastRunMs = performance.now() - t0;
    app.lastRunEngineMs = engineMs; // the search and its JSON, in the wasm
    status(`ran ${plural(app.points.length - from, 'episode')} in ${(app.lastRunMs / 1000).toFixed(2)} s`);
  };
  slice();
}

// liveMode loads the live scoring code (live.js: the worker pool;
// livemode.js: the episodes) the first time it is used, so the page
// fetches neither them nor the worker wasm and calibration images before.
function liveMode() {
  const load = (src) => new Promise((resolve, reject) => {
    const s = Object.assign(document.createElement('script'), { src });
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
  // A failed load is forgotten, so that the next use tries again (e.g.
  // after a brief network failure) instead of failing for good.
  app.liveLoaded ??= Promise.all([load('live.js'), load('livemode.js')]).catch((e) => {
    app.liveLoaded = null;
    throw e;
  });
  return app.liveLoaded.then(() => window.nasplayLiveMode);
}

function liveFailed(e) {
  stop();
  const el = $('live-status');
  el.hidden = false;
  el.setAttribute('aria-live', 'polite'); // a failure is heard; the progress it replaces was not (livemode.js)
  el.textContent = 'Live scoring failed: ' + e.message;
  el.classList.add('bad');
}

function status(extra) {
  const n = app.points.length;
  let s = `${n} / ${app.state.ep} episodes`;
  if (app.done) s += ' — done';
  if (extra) s += '; ' + extra;
  $('run-status').textContent = s;
}

function setURLRun(on) {
  const q = new URLSearchParams(location.search);
  if (on) q.set('run', '1'); else q.delete('run');
  setQuery(q.toString());
}

// ---- result card ---------------------------------------------------------------

function clearCard() {
  document.body.dataset.done = '';
  for (const el of document.querySelectorAll('#card [data-k]')) el.textContent = '—';
  for (const el of document.querySelectorAll('#card [data-detail]')) el.hidden = false;
  $('card-arch').textContent = '—';
  $('result-state').textContent = '';
  for (const id of ['copy-arch', 'export-json', 'export-csv']) $(id).disabled = true;
}

function showCard(c) {
  const yes = (b) => (b ? 'yes' : 'no');
  const v = {
    ...c,
    index: c.found ? c.index : '—',
    energyMJ: c.energyMJ || 'not measured on this device',
    meetsTarget: c.found ? yes(c.meetsTarget) + (c.feasibleFound ? '' : ' (no sampled network met T)') : '—',
    oracleTestAcc: c.oracleIndex >= 0 ? c.oracleTestAcc : 'none: no network meets T',
    scoreBestTestAcc: c.scoreBestIndex >= 0 ? c.scoreBestTestAcc : 'none: no network meets T',
    paper: c.paper || 'no Table 1 entry for this setting',
  };
  for (const el of document.querySelectorAll('#card [data-k]')) {
    const k = el.dataset.k;
    if (k in v) el.textContent = String(v[k]);
  }
  // "(#index, cost)" only for a network that exists.
  for (const k of ['oracle', 'scoreBest']) document.querySelector(`#card [data-detail="${k}"]`).hidden = c[k + 'Index'] < 0;
  $('card-arch').textContent = c.found ? c.arch : '—';
  const episodes = plural(c.episodes, 'episode');
  $('result-state').textContent = c.done ? `final, after ${episodes}` : `pick so far, after ${episodes}`;
  for (const id of ['copy-arch', 'export-json', 'export-csv']) $(id).disabled = !c.found && !c.done;
  document.body.dataset.done = c.done ? '1' : '';
}

function download(name, text, type) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function runName() {
  const s = app.state;
  // Every setting that changes the run: two runs that differ only in α, or
  // in live scoring, must not save under one name.
  return `nasplay-${s.ds}-${s.dev}-${s.obj === 'energy' ? 'energy' : 't'}${s.t}${s.range.unit}-a${s.alpha}-${s.algo}-${s.scoreName}${s.live ? '-live' : ''}-seed${s.seed}-ep${s.ep}`;
}

// ---- charts ------------------------------------------------------------------

function frame() { return app.frames[app.state.ds + '-' + app.state.dev + '-' + app.state.obj]; }

// toPx maps data to the chart image's pixels with its frame (wasm/plots).
function toPx(f, x, y) {
  return [
    f.left + ((x - f.xMin) / (f.xMax - f.xMin)) * (f.right - f.left),
    f.bottom - ((y - f.yMin) / (f.yMax - f.yMin)) * (f.bottom - f.top),
  ];
}

// chartImages holds every chart background once fetched and decoded, so
// that switching dataset or device needs no network: after the page is
// ready it fetches the ones not seen yet, and works offline from then on.
const chartImages = new Map(); // file name → Promise<HTMLImageElement>

// chartFile is frame f's background for this screen: drawn at two device
// pixels per CSS pixel where the screen has about that many or more.
function chartFile(f) { return (window.devicePixelRatio || 1) >= 1.5 ? f.file2x : f.file; }

function chartImage(file) {
  if (!chartImages.has(file)) {
    const img = new Image();
    img.src = 'plots/' + file;
    chartImages.set(file, img.decode().then(() => img, () => {
      chartImages.delete(file); // let a later attempt retry
      throw new Error(`could not load the chart background plots/${file}`);
    }));
  }
  return chartImages.get(file);
}

function preloadCharts() {
  return Promise.all(Object.values(app.frames).map((f) => chartImage(chartFile(f)))).then(() => { app.chartsLoaded = true; });
}

// loadScatter draws the background of the current dataset × device: once
// per change of either, never per episode.
function loadScatter() {
  const f = frame(), file = chartFile(f);
  app.bgFile = file;
  const c = $('scatter-bg');
  chartImage(file).then((img) => {
    if (app.bgFile !== file) return; // the user moved on
    const ctx = sharp(c, true);
    ctx.clearRect(0, 0, ...size(c));
    ctx.drawImage(img, 0, 0, ...size(c));
  }).catch((e) => {
    if (app.bgFile !== file) return;
    // Not the page's fatal error: the rest works, and the chart is fetched
    // again on the next change. The previous chart must not stay under
    // this setting's marks.
    const ctx = sharp(c, true);
    ctx.clearRect(0, 0, ...size(c));
    const el = $('scatter-caption');
    el.textContent = `${e.message}; it is fetched again when the dataset, device or objective changes.`;
    el.classList.add('bad');
  });
  $('scatter-caption').classList.remove('bad');
  let cap = `${f.plotted.toLocaleString('en')} networks drawn by gonum/plot`;
  if (f.unknownCost) cap += `; ${f.unknownCost.toLocaleString('en')} have no ${f.objective} on this device (unknown, not 0)`;
  if (f.belowAxis) cap += `; ${f.belowAxis} below ${f.yMin} % are off the chart`;
  $('scatter-caption').textContent = cap + '.';
}

function addPoint(p) {
  app.points.push(p);
  const f = frame();
  const ctx = sharp($('scatter-samples'));
  if (p.cost !== null && p.testAcc >= f.yMin && p.cost <= f.xMax) {
    const [x, y] = toPx(f, p.cost, p.testAcc);
    ctx.fillStyle = 'rgba(106, 61, 154, 0.55)';
    ctx.beginPath();
    ctx.arc(x, y, 2.6, 0, 2 * Math.PI);
    ctx.fill();
  }
  drawRewardPoint(p);
}

// drawMarks redraws the few marks that move: the T line, the oracle, the
// score's own best (when on the chart) and the pick. The 15,625-point
// background is an image drawn once per dataset × device; the samples
// accumulate on their own layer.
function drawMarks(target, feasible) {
  const c = $('scatter-marks');
  const ctx = sharp(c, true);
  ctx.clearRect(0, 0, ...size(c));
  const f = frame();
  if (!f) return;
  const T = target ?? app.state.t;
  const fe = feasible ?? app.feasible;
  const [tx] = toPx(f, T, f.yMin);
  ctx.fillStyle = 'rgba(200, 40, 40, 0.06)';
  ctx.fillRect(tx, f.top, f.right - tx, f.bottom - f.top);
  ctx.strokeStyle = '#c82828';
  ctx.setLineDash([5, 4]);
  ctx.lineWidth = 1.5;
  ctx.beginPath(); ctx.moveTo(tx, f.top); ctx.lineTo(tx, f.bottom); ctx.stroke();
  ctx.setLineDash([]);
  ctx.font = '12px sans-serif';
  // A mark whose accuracy is below the chart is pinned to its bottom edge,
  // with its accuracy, so a pick of a broken network still shows.
  // Their labels stack upwards, one line each.
  let pinned = 0;
  const pin = (cost, acc, name) => {
    const [x, y] = toPx(f, Number(cost), Number(acc));
    if (y <= f.bottom) return [x, y];
    const text = `${name} ${Number(acc).toFixed(2)} % ↓`;
    const w = ctx.measureText(text).width, lx = Math.min(x + 12, f.right - w - 2), ly = f.bottom - 12 - 15 * pinned++;
    ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
    ctx.fillRect(lx - 2, ly - 11, w + 4, 14);
    ctx.fillStyle = '#333';
    ctx.fillText(text, lx, ly);
    return [x, f.bottom - 6];
  };
  // The T label first, so that no mark hides under its white box: at the
  // top beside the line, or under the oracle's ring where the ring would
  // cover it.
  const label = `T = ${Number(T)} ${unit()}`;
  const w = ctx.measureText(label).width;
  const lx = Math.min(tx + 4, f.right - w - 4);
  let ly = f.top + 2;
  if (fe && fe.oracleIndex >= 0) {
    const [ox, oy] = toPx(f, Number(fe.oracleCost), Number(fe.oracleAcc));
    if (ox + 9 > lx - 2 && ox - 9 < lx + w + 2 && oy + 9 > ly && oy - 9 < ly + 16) ly = oy + 10;
  }
  ctx.fillStyle = 'rgba(255, 255, 255, 0.85)'; // legible over the front and the dots
  ctx.fillRect(lx - 2, ly, w + 4, 16);
  ctx.fillStyle = '#c82828';
  ctx.fillText(label, lx, ly + 12);
  if (fe && fe.oracleIndex >= 0) {
    const [ox, oy] = pin(fe.oracleCost, fe.oracleAcc, 'oracle');
    ctx.strokeStyle = '#1a7f37'; ctx.lineWidth = 2;
    ctx.beginPath(); ctx.arc(ox, oy, 7, 0, 2 * Math.PI); ctx.stroke();
  }
  const c2 = app.card;
  if (c2 && c2.scoreBestIndex >= 0 && target === undefined) { // it belongs to the run's T, not a dragged one
    const [bx, by] = pin(c2.scoreBestCost, c2.scoreBestTestAcc, "score's best");
    if (by >= f.top) {
      ctx.strokeStyle = BEST_COLOR; ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(bx, by - 10); ctx.lineTo(bx + 10, by); ctx.lineTo(bx, by + 10); ctx.lineTo(bx - 10, by);
      ctx.closePath(); ctx.stroke();
    }
  }
  if (c2 && c2.found) {
    const [px, py] = pin(c2.cost, c2.testAcc, 'pick');
    ctx.fillStyle = '#ffd400'; ctx.strokeStyle = '#222'; ctx.lineWidth = 1.5;
    star(ctx, px, py, 9);
  }
}

// BEST_COLOR outlines the score's own best; the browser tests look for it.
const BEST_COLOR = '#1f5fbf';

function star(ctx, x, y, r) {
  ctx.beginPath();
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const rr = i % 2 ? r * 0.45 : r;
    ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
  }
  ctx.closePath(); ctx.fill(); ctx.stroke();
}

// The reward chart: axes once per run, then one dot and one segment per
// episode. Rewards lie in [0, 1] (a normalized score times R_LAT ≤ 1).
// Its left and bottom margins hold the axis labels, whose size is set with
// the axes (drawRewardAxes).
const RW = { left: 44, right: 548, top: 12, bottom: 226 };

function rewardPx(ep, r) {
  const n = Math.max(1, app.state.ep - 1);
  return [RW.left + (ep / n) * (RW.right - RW.left), RW.bottom - r * (RW.bottom - RW.top)];
}

function drawRewardAxes() {
  $('key-baseline').hidden = !hasBaseline();
  $('reward').setAttribute('aria-label', 'Reward R = score × R_LAT of each episode' + (hasBaseline() ? ", with the controller's moving-average baseline" : ''));
  const c = $('reward');
  const ctx = sharp(c, true);
  const [W, H] = size(c);
  ctx.clearRect(0, 0, W, H);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  // The canvas is shown scaled to its column (to 314 px of its 560
  // on a laptop's third column, 348 on a phone): its labels are drawn
  // larger by that factor, to read at 11 px, and the margins make room.
  const fs = rewardFontSize();
  app.rewardFs = fs;
  ctx.strokeStyle = '#dde1e7'; ctx.fillStyle = '#333'; ctx.font = `${fs}px sans-serif`; ctx.lineWidth = 1;
  RW.left = Math.max(44, Math.ceil(8 + ctx.measureText('0.00').width + 8));
  RW.bottom = Math.min(226, Math.floor(H - 2.25 * fs - 8));
  for (const r of [0, 0.25, 0.5, 0.75, 1]) {
    const [, y] = rewardPx(0, r);
    ctx.beginPath(); ctx.moveTo(RW.left, y); ctx.lineTo(RW.right, y); ctx.stroke();
    ctx.fillText(r.toFixed(2), 8, y + fs * 0.36);
  }
  // Episodes 1 and every round step up to n: 1, 2, 2.5 or 5 × 10^k, about
  // four steps; each label centred on its tick and kept inside the canvas.
  const n = app.state ? app.state.ep : 500;
  const mag = 10 ** Math.floor(Math.log10(Math.max(n / 4, 1)));
  const step = Math.max(1, [5, 2.5, 2, 1].map((m) => m * mag).find((v) => v <= n / 4 && Number.isInteger(v)) ?? mag);
  const ticks = [1];
  for (let e = step; e <= n; e += step) if (e > 1) ticks.push(e);
  for (const e of ticks) {
    const [x] = rewardPx(e - 1, 0);
    const w = ctx.measureText(String(e)).width;
    ctx.fillText(String(e), Math.min(Math.max(x - w / 2, 0), W - w - 2), RW.bottom + fs + 5);
  }
  ctx.fillText('episode', Math.min(RW.right - 44, W - ctx.measureText('episode').width - 2), RW.bottom + 2 * fs + 8);
  app.lastBaseline = null;
}

// rewardFontSize is the reward chart's label size in canvas pixels: 11 px
// on screen, however much the canvas is scaled down to its column (at most
// twice the canvas's own 11 px).
function rewardFontSize() {
  const c = $('reward'), [W] = size(c), shown = c.getBoundingClientRect().width;
  return Math.round(11 * (shown > 0 ? Math.min(Math.max(W / shown, 1), 2) : 1));
}

// redrawRewardIfScaled redraws the reward chart, axes and the episodes so
// far, when a resize has changed the size its labels need.
function redrawRewardIfScaled() {
  if (!app.state || rewardFontSize() === app.rewardFs) return;
  drawRewardAxes();
  for (const p of app.points) drawRewardPoint(p);
}

// hasBaseline: the algorithms with a controller, whose REINFORCE baseline
// the reward chart draws.
function hasBaseline() { return app.state.algo !== 'random' && app.state.algo !== 'evolution'; }

function drawRewardPoint(p) {
  const ctx = sharp($('reward'));
  const [x, y] = rewardPx(p.episode, p.reward);
  ctx.fillStyle = 'rgba(0, 114, 178, 0.5)';
  ctx.fillRect(x - 1.2, y - 1.2, 2.4, 2.4);
  if (hasBaseline()) {
    const b = rewardPx(p.episode, p.baseline);
    if (app.lastBaseline) {
      ctx.strokeStyle = '#d55e00'; ctx.lineWidth = 1.8;
      ctx.beginPath(); ctx.moveTo(...app.lastBaseline); ctx.lineTo(...b); ctx.stroke();
    }
    app.lastBaseline = b;
  }
}

// ---- wiring --------------------------------------------------------------------

function wire() {
  for (const id of ['dataset', 'device', 'objective', 'target', 'alpha', 'indicator', 'scoring', 'algo', 'seed', 'episodes', 'speed']) {
    $(id).addEventListener('change', onControl);
    if ($(id).type === 'range') $(id).addEventListener('input', onControl);
  }
  $('play').addEventListener('click', play);
  $('step').addEventListener('click', stepOnce);
  $('finish').addEventListener('click', finish);
  $('reset').addEventListener('click', resetRun);
  let resizeTimer;
  window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(redrawRewardIfScaled, 150); });
  $('copy-arch').addEventListener('click', () => copyText($('copy-arch'), $('card-arch').textContent, () => getSelection().selectAllChildren($('card-arch'))));
  // The page's URL holds every setting (and run=1 once the run is done):
  // in an embedding page the visitor has no address bar to copy it from.
  $('copy-link').addEventListener('click', () => {
    copyText($('copy-link'), pageLink(), () => {
      const f = $('link-text');
      f.value = pageLink();
      f.hidden = false;
      f.select();
    });
  });
  $('export-json').addEventListener('click', () => download(runName() + '.json', call('exportJSON'), 'application/json'));
  $('export-csv').addEventListener('click', () => download(runName() + '.csv', call('exportCSV'), 'text/csv'));
}

// pageLink is the page's address with every setting (Copy link).
function pageLink() { return location.origin + location.pathname + location.search; }

// setQuery puts the settings (and run=1 once the run is done) in the
// page's URL, and in Copy link's field once that is shown.
function setQuery(q) {
  history.replaceState(null, '', '?' + q + location.hash);
  const f = $('link-text');
  if (!f.hidden) f.value = pageLink();
}

// copyText writes text to the clipboard and says so on the button; where
// the page may not write it (no permission, an insecure origin), select
// puts the text in view, selected, for Ctrl+C.
async function copyText(button, text, select) {
  const label = button.dataset.label || (button.dataset.label = button.textContent);
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch {
    select();
    button.textContent = 'Selected: press Ctrl+C';
  }
  setTimeout(() => { button.textContent = label; }, 1500);
}

// Anything unexpected is shown, not left in the console.
window.addEventListener('error', (e) => showError('Unexpected error: ' + e.message));
window.addEventListener('unhandledrejection', (e) => showError('Unexpected error: ' + (e.reason && e.reason.message || e.reason)));

wire();
load().catch((e) => showError(e.message));
