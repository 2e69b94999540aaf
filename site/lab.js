// nasplay indicator lab: an indicator's rank against test accuracy for all
// 15,625 networks with Spearman's ρ and Kendall's τ (params and FLOPs as
// reference), and one network's cell, benchmark numbers and indicators —
// from the table and computed live in Web Workers at a configuration the
// student changes. The numbers come from Go (worker.wasm): one instance
// answers table questions, a pool computes live values (live.js).
'use strict';

const $ = (id) => document.getElementById(id);
const { LivePool, WasmWorker, fetchAsset } = window.NasplayLive;
const { sharp, size } = window.NasplayCanvas;

// Op colours and short names, as in the cell view (wasm/app/view.go).
const OPS = [
  { name: 'none', short: 'none', colour: '#9e9e9e' },
  { name: 'skip_connect', short: 'skip', colour: '#0072b2' },
  { name: 'nor_conv_1x1', short: 'conv 1×1', colour: '#e69f00' },
  { name: 'nor_conv_3x3', short: 'conv 3×3', colour: '#d55e00' },
  { name: 'avg_pool_3x3', short: 'pool 3×3', colour: '#009e73' },
];
// Edges in the benchmark's order 0→1, 0→2, 1→2, 0→3, 1→3, 2→3.
const EDGES = [[0, 1], [0, 2], [1, 2], [0, 3], [1, 3], [2, 3]];
// Counts are exact in every build; the other values agree between the
// native table and WebAssembly within engine/indicator's tolerance.
const EXACT = new Set(['cj', 'nlr']);
const TOLERANCE = 1e-4;

const lab = {
  table: null,     // WasmWorker holding the tables
  pool: null,      // LivePool, made on first use
  names: null,     // {names, config, config_version, table}
  column: null,    // {raw, norm, testAcc} of the shown indicator
  byRank: null,    // indices sorted by the shown indicator's rank
  corr: new Map(), // "ds|ind" → correlation
  allSeq: 0,       // the latest fill of the "every indicator" table
  usable: false,   // the tables are in: the controls work
  selected: -1,
  network: null,   // the selected network's numbers
  live: null,      // its latest live result
  previous: null,  // the live result before the last knob change
  liveSeq: 0,
  abort: null,     // AbortController of the latest live request
};
window.nasplayLab = lab; // for the browser tests

// showError is the page's showFailure (lab.html): what failed, with a
// Reload button; the first failure stays.
const showError = showFailure;

function notice(msg) {
  const n = $('notices');
  n.prepend(Object.assign(document.createElement('p'), { textContent: msg }));
  n.hidden = false;
}

async function call(fn, ...args) {
  return (await lab.table.call(fn, args)).value;
}

// ---- loading -----------------------------------------------------------------

async function load() {
  const t0 = performance.now();
  lab.table = new WasmWorker('table');
  const [tablesBytes, indBytes] = await Promise.all([
    fetchAsset('assets/tables.msgpack'),
    fetchAsset('assets/indicators.msgpack').catch((e) => {
      notice(`The precomputed indicator table is not available (${e.message}): only the #params and FLOPs baselines are shown; live values can still be computed.`);
      return null;
    }),
  ]);
  await call('load', 'tables', tablesBytes);
  if (indBytes) await call('load', 'indicators', indBytes);
  lab.names = await call('names');
  $('lab-indicator').replaceChildren(...lab.names.names.map((n) => new Option(window.NasplayExplain ? NasplayExplain.menuLabel(n) : n, n)));
  const q = new URLSearchParams(location.search);
  const fixes = []; // the link's settings that could not be used, as the search page lists them
  for (const k of new Set(q.keys())) {
    const all = q.getAll(k);
    if (!['ind', 'ds', 'i'].includes(k)) {
      fixes.push(`${k}=${all[0]}: unknown setting (the lab's are ind, ds and i), ignored`);
      q.delete(k);
    } else if (all.length > 1) {
      fixes.push(`${k}: given ${all.length} times; only the first, ${all[0]}, is used`);
      q.set(k, all[0]);
    }
  }
  history.replaceState(null, '', '?' + q.toString() + location.hash);
  // Names in any case, as the search page reads them.
  const ind = (q.get('ind') || '').toLowerCase(), ds = (q.get('ds') || '').toLowerCase();
  if (lab.names.names.includes(ind)) $('lab-indicator').value = ind;
  else {
    $('lab-indicator').value = lab.names.names.includes('fi') ? 'fi' : lab.names.names[0];
    if (q.has('ind')) {
      const why = indBytes ? `unknown indicator (one of ${lab.names.names.join(', ')})` : 'not available without the indicator table';
      fixes.push(`ind=${q.get('ind')}: ${why}; using ${$('lab-indicator').value}`);
    }
  }
  if ([...$('lab-dataset').options].some((o) => o.value === ds)) $('lab-dataset').value = ds;
  else if (q.has('ds')) fixes.push(`ds=${q.get('ds')}: unknown dataset (cifar10, cifar100 or imagenet16); using ${$('lab-dataset').value}`);
  if (window.nasplayExplain) window.nasplayExplain.refresh();
  setKnobs(lab.names.config);
  const i = /^\d+$/.test(q.get('i') || '') ? Number(q.get('i')) : NaN; // digits only: not "", 1e3 or 0x10
  const useIndex = q.has('i') && validIndex(i);
  if (q.has('i') && !useIndex) {
    fixes.push(`i=${q.get('i')}: not a benchmark index (0–15,624); no network selected`);
    q.delete('i');
    history.replaceState(null, '', '?' + q.toString() + location.hash);
  }
  if (fixes.length) {
    const n = $('notices');
    n.append(Object.assign(document.createElement('strong'), { textContent: 'The link had settings that were corrected: ' }),
      ...fixes.map((f) => Object.assign(document.createElement('span'), { className: 'notice', textContent: f })));
    n.hidden = false;
  }
  await showIndicator();
  // The controls stay disabled until the tables are in: used earlier they
  // would ask the engine before it has them (and a link's settings would
  // then overwrite them).
  for (const id of ['lab-indicator', 'lab-dataset', 'lab-index', 'knobs']) $(id).disabled = false;
  lab.usable = true;
  if (useIndex) await select(i);
  $('loading').hidden = true;
  lab.readyMs = performance.now() - t0;
  document.body.dataset.ready = '1';
}

// ---- the scatter and the correlations ------------------------------------------

const SC = { left: 54, right: 628, top: 14, bottom: 396 };

// toCanvas maps a pointer event to the canvas's drawing coordinates and
// says how many of them one CSS pixel on screen spans.
function toCanvas(e) {
  const c = e.currentTarget, r = c.getBoundingClientRect();
  const k = size(c)[0] / r.width;
  return [(e.clientX - r.left) * k, (e.clientY - r.top) * k, k];
}

function yRange() {
  let lo = Infinity, hi = -Infinity;
  for (const v of lab.column.testAcc) { if (v < lo) lo = v; if (v > hi) hi = v; }
  lo = Math.floor(lo / 5) * 5;
  hi = Math.ceil(hi / 5) * 5;
  return [lo, hi];
}

function px(i) {
  const [lo, hi] = lab.yr;
  return [
    SC.left + lab.column.norm[i] * (SC.right - SC.left),
    SC.bottom - ((lab.column.testAcc[i] - lo) / (hi - lo)) * (SC.bottom - SC.top),
  ];
}

async function showIndicator() {
  const ds = $('lab-dataset').value, ind = $('lab-indicator').value;
  const q = new URLSearchParams(location.search);
  q.set('ind', ind); q.set('ds', ds);
  history.replaceState(null, '', '?' + q.toString() + location.hash);
  lab.column = await call('column', ds, ind);
  lab.yr = yRange();
  lab.byRank = [...lab.column.norm.keys()].sort((a, b) => lab.column.norm[a] - lab.column.norm[b] || a - b);
  $('scatter-title').textContent = `${ind} rank against ${$('lab-dataset').selectedOptions[0].text} test accuracy`;
  const worst = lab.column.raw.filter((v) => v <= -3.4e38).length;
  $('scatter-cap').textContent = `15,625 networks. x: the network's mid-rank by ${ind} divided by 15,625 (what the search's reward uses), so the cloud's tilt is Spearman's ρ.` +
    (worst ? ` ${worst.toLocaleString('en')} networks got the defined worst score (disconnected or failed) and share the lowest rank.` : '');
  drawScatter();
  await showCorrelations(ds, ind);
  // Not awaited (the scatter and the network need not wait for it), so its
  // failure is caught here.
  if ($('all-corr').querySelector('tbody').dataset.ds !== ds) showAllCorrelations().catch((e) => showError(e.message));
  else for (const tr of $('all-corr').querySelectorAll('tbody tr')) tr.classList.toggle('chosen', tr.dataset.indicator === ind);
  if (lab.selected >= 0) await select(lab.selected);
}

function drawScatter() {
  const c = $('lab-scatter');
  const ctx = sharp(c, true);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, ...size(c));
  ctx.strokeStyle = '#dde1e7'; ctx.fillStyle = '#333'; ctx.font = '11px sans-serif'; ctx.lineWidth = 1;
  const [lo, hi] = lab.yr;
  for (let y = lo; y <= hi; y += (hi - lo) > 40 ? 10 : 5) {
    const yy = SC.bottom - ((y - lo) / (hi - lo)) * (SC.bottom - SC.top);
    ctx.beginPath(); ctx.moveTo(SC.left, yy); ctx.lineTo(SC.right, yy); ctx.stroke();
    ctx.fillText(String(y), SC.left - 24, yy + 4);
  }
  for (let x = 0; x <= 1.0001; x += 0.25) {
    const xx = SC.left + x * (SC.right - SC.left);
    ctx.beginPath(); ctx.moveTo(xx, SC.top); ctx.lineTo(xx, SC.bottom); ctx.stroke();
    ctx.fillText(x.toFixed(2), xx - 10, SC.bottom + 15);
  }
  ctx.fillText('indicator rank / 15,625 (higher = the indicator thinks better)', SC.left + 140, SC.bottom + 32);
  ctx.save(); ctx.translate(14, SC.bottom - 120); ctx.rotate(-Math.PI / 2); ctx.fillText('test accuracy (%)', 0, 0); ctx.restore();
  ctx.fillStyle = 'rgba(0, 114, 178, 0.35)';
  for (let i = 0; i < lab.column.norm.length; i++) {
    const [x, y] = px(i);
    ctx.fillRect(x - 1, y - 1, 2, 2);
  }
  drawSelection();
}

function drawSelection() {
  if (lab.selected < 0) return;
  const ctx = sharp($('lab-scatter'));
  const [x, y] = px(lab.selected);
  ctx.strokeStyle = '#222'; ctx.lineWidth = 2; ctx.fillStyle = '#ffd400';
  ctx.beginPath(); ctx.arc(x, y, 6, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
}

async function correlation(ds, ind) {
  const key = ds + '|' + ind;
  if (!lab.corr.has(key)) lab.corr.set(key, call('correlation', ds, ind));
  return lab.corr.get(key);
}

async function showCorrelations(ds, ind) {
  const body = $('corr').querySelector('tbody');
  body.replaceChildren(Object.assign(document.createElement('tr'), { innerHTML: '<td colspan="3">computing over 15,625 networks…</td>' }));
  const rows = [ind, ...BASELINES.filter((n) => n !== ind)];
  const cs = await Promise.all(rows.map((n) => correlation(ds, n)));
  if ($('lab-dataset').value !== ds || $('lab-indicator').value !== ind) return; // superseded
  body.replaceChildren(...cs.map((c, k) => corrRow(c, k === 0)));
  lab.shownCorr = cs;
  drawBars(cs);
}

const BASELINES = ['params', 'flops'];

// corrRow is a row of a correlation table: the indicator (a baseline said
// so), its ρ and τ, in bold when it is the chosen one.
function corrRow(c, chosen) {
  const tr = document.createElement('tr');
  tr.classList.toggle('chosen', chosen);
  tr.dataset.indicator = c.indicator;
  for (const v of [c.indicator + (BASELINES.includes(c.indicator) ? ' (baseline)' : ''), c.spearman.toFixed(3), c.kendall.toFixed(3)]) {
    tr.append(Object.assign(document.createElement('td'), { textContent: v }));
  }
  return tr;
}

// showAllCorrelations fills the "every indicator" table, when it is open,
// for the dataset shown: rows appear as their correlations come, then go in
// order of ρ, the chosen indicator in bold. A later fill (another dataset,
// the table closed and opened again) supersedes it.
async function showAllCorrelations() {
  if (!$('all-corr').open || !lab.names) return;
  const seq = ++lab.allSeq, ds = $('lab-dataset').value;
  const body = $('all-corr').querySelector('tbody');
  const row = (c) => corrRow(c, c.indicator === $('lab-indicator').value);
  body.replaceChildren();
  // Not this dataset's table until it is full: a dataset chosen again
  // meanwhile (showIndicator) fills it anew instead of keeping this fill.
  delete body.dataset.ds;
  const cs = [];
  for (const n of lab.names.names) {
    const c = await correlation(ds, n);
    if (seq !== lab.allSeq || !$('all-corr').open) return; // superseded
    cs.push(c);
    body.append(row(c));
  }
  cs.sort((a, b) => b.spearman - a.spearman);
  body.replaceChildren(...cs.map(row));
  body.dataset.ds = ds;
}

// drawBars: ρ and τ of the chosen indicator as bars on [−1, 1], the same of
// params and FLOPs as dashed reference lines across each bar's row.
function drawBars(cs) {
  const c = $('corr-bars');
  const ctx = sharp(c, true);
  const [W, H] = size(c);
  ctx.clearRect(0, 0, W, H);
  const L = 70, R = W - 10;
  const x = (v) => L + ((v + 1) / 2) * (R - L);
  ctx.font = '11px sans-serif'; ctx.fillStyle = '#333';
  ctx.strokeStyle = '#8a94a3'; ctx.lineWidth = 1;
  ctx.beginPath(); ctx.moveTo(x(0), 8); ctx.lineTo(x(0), 78); ctx.stroke();
  for (const v of [-1, -0.5, 0, 0.5, 1]) ctx.fillText(String(v), x(v) - 6, 92);
  const [me] = cs;
  const refs = cs.slice(1);
  const colours = ['#d55e00', '#009e73'];
  // Each bar with the baselines' values of the same statistic across its row.
  for (const [label, k, y, colour] of [['Spearman ρ', 'spearman', 14, '#6a3d9a'], ['Kendall τ', 'kendall', 44, '#b294cf']]) {
    ctx.fillStyle = colour;
    ctx.fillRect(Math.min(x(0), x(me[k])), y, Math.abs(x(me[k]) - x(0)), 18);
    ctx.fillStyle = '#333';
    ctx.fillText(label, 4, y + 13);
    refs.forEach((r, j) => {
      ctx.strokeStyle = colours[j]; ctx.setLineDash([4, 3]); ctx.lineWidth = 2;
      ctx.beginPath(); ctx.moveTo(x(r[k]), y - 4); ctx.lineTo(x(r[k]), y + 22); ctx.stroke();
    });
  }
  ctx.setLineDash([]);
  // A legend of its own line, clear of the axis labels.
  let lx = L;
  refs.forEach((r, j) => {
    ctx.strokeStyle = ctx.fillStyle = colours[j]; ctx.setLineDash([4, 3]); ctx.lineWidth = 2;
    ctx.beginPath(); ctx.moveTo(lx, 110); ctx.lineTo(lx + 16, 110); ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillText(r.indicator, lx + 20, 114);
    lx += 30 + ctx.measureText(r.indicator).width;
  });
}

// nearest is the network whose dot is closest to (mx, my) and within reach
// of it (all in drawing coordinates), or −1.
function nearest(mx, my, reach) {
  let best = -1, bd = reach * reach;
  for (let i = 0; i < lab.column.norm.length; i++) {
    const [x, y] = px(i);
    const d = (x - mx) ** 2 + (y - my) ** 2;
    if (d < bd) { bd = d; best = i; }
  }
  return best;
}

// ---- the selected network --------------------------------------------------------

function fmt(v, digits = 4) {
  if (v === null || v === undefined) return 'unknown';
  if (v <= -3.4e38) return 'worst (undefined)';
  if (Number.isInteger(v)) return v.toLocaleString('en');
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(digits) : v.toPrecision(digits + 2);
}

// f32 is a benchmark value as the search page and the CLI print it: the
// shortest decimal that reads back as the same float32 (92.79, not 92.7900).
function f32(v) {
  if (v === null || v === undefined) return 'unknown';
  const x = Math.fround(v);
  for (let k = 1; k < 9; k++) {
    const s = x.toPrecision(k);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(x);
}

function validIndex(i) { return Number.isInteger(i) && i >= 0 && i < 15625; }

async function select(i) {
  lab.selected = i;
  $('lab-index').value = i;
  $('index-msg').textContent = ''; // a network is selected: an earlier refusal no longer applies
  const q = new URLSearchParams(location.search);
  q.set('i', i);
  history.replaceState(null, '', '?' + q.toString() + location.hash);
  drawScatter();
  const ds = $('lab-dataset').value;
  const n = await call('network', ds, i);
  if (lab.selected !== i) return;
  lab.network = n;
  $('net-title').textContent = `#${n.index}`;
  // Heard by a screen reader, whichever way the network was chosen (the
  // arrow keys on the scatter change nothing else it would read).
  $('net-announce').textContent = `Network #${n.index}, ${f32(n.testAcc)} % test accuracy`;
  $('net-arch').textContent = n.arch;
  drawCell(n);
  const rows = [
    ['Test accuracy (%)', n.testAcc],
    [`Validation accuracy (%, ${n.validColumn})`, n.validAcc],
    ['Params (M)', n.paramsM],
    ['FLOPs (M)', n.flopsM],
    ...n.devices.map((d) => [`Latency on ${d.title} (ms)`, d.latencyMs]),
    ...n.devices.filter((d) => d.energyMJ != null).map((d) => [`Energy on ${d.title} (mJ)`, d.energyMJ]),
  ];
  $('net-bench').querySelector('tbody').replaceChildren(...rows.map(([k, v]) => {
    const tr = document.createElement('tr');
    tr.append(Object.assign(document.createElement('th'), { scope: 'row', textContent: k }), Object.assign(document.createElement('td'), { textContent: f32(v) }));
    return tr;
  }));
  lab.live = null;
  $('net-ind').classList.remove('stale');
  lab.previous = null;
  showIndicators();
  $('live-compute').disabled = false;
  $('knobs-default').disabled = false;
  await computeLive();
}

function drawCell(n) {
  const svg = $('net-cell');
  const ns = 'http://www.w3.org/2000/svg';
  const el = (tag, attrs, text) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text) e.textContent = text;
    return e;
  };
  // Nodes on a line; an edge over one node arcs above, 0→3 arcs below.
  const pos = [[30, 95], [130, 95], [230, 95], [330, 95]];
  const ops = n.arch.split('+').flatMap((g) => g.split('|').filter(Boolean).map((t) => OPS.findIndex((o) => o.name === t.split('~')[0])));
  const kids = [];
  EDGES.forEach(([a, b], e) => {
    const op = OPS[ops[e]];
    const [x1, y1] = pos[a], [x2, y2] = pos[b];
    const lift = { 1: 0, 2: -110, 3: 150 }[b - a];
    const mx = (x1 + x2) / 2, my = y1 + lift;
    const dead = ops[e] !== 0 && !n.live[e];
    kids.push(el('path', {
      d: `M${x1},${y1} Q${mx},${my} ${x2},${y2}`, fill: 'none', stroke: op.colour, 'stroke-width': ops[e] === 0 ? 1.5 : 3.5,
      'stroke-dasharray': ops[e] === 0 || dead ? '5 4' : '', opacity: dead ? 0.35 : 1,
    }));
    // The label sits at the curve's apex (half-way to the control point).
    // It is in ink, as in the cell view: in the op's colour (2.3:1 to
    // 3.9:1 on white but for skip) it was below WCAG's 4.5:1 for text.
    const ly = lift === 0 ? y1 - 6 : y1 + lift / 2 + (lift < 0 ? -4 : 12);
    kids.push(el('text', { x: mx, y: ly, 'text-anchor': 'middle', 'font-size': 11, fill: '#22262e', opacity: dead ? 0.7 : 1 },
      op.short + (dead ? ' (dead)' : '')));
  });
  pos.forEach(([x, y], k) => {
    kids.push(el('circle', { cx: x, cy: y, r: 14, fill: '#fff', stroke: '#22262e', 'stroke-width': 2 }));
    kids.push(el('text', { x, y: y + 4, 'text-anchor': 'middle', 'font-size': 12, 'font-weight': 700 }, String(k)));
  });
  svg.replaceChildren(...kids);
  svg.setAttribute('aria-label', `Cell of network ${n.index}: ${n.arch}${n.connected ? '' : ' (output not connected to the input)'}`);
}

// showIndicators fills the indicator table: table value, live value at the
// knobs' configuration, and the live value before the last change.
function showIndicators() {
  const names = ['cj', 'cj_eig', 'nlr', 'cnntk', 'os', 'fi'];
  const atTable = lab.live && lab.live.config_version === lab.names.config_version;
  $('net-ind').querySelector('tbody').replaceChildren(...names.map((name) => {
    const tr = document.createElement('tr');
    tr.dataset.indicator = name;
    const t = lab.network && name in lab.network.table ? lab.network.table[name] : undefined;
    const lv = lab.live ? lab.live.scores[name] : undefined;
    const pv = lab.previous ? lab.previous.scores[name] : undefined;
    const th = Object.assign(document.createElement('th'), { scope: 'row', textContent: name });
    const tdT = Object.assign(document.createElement('td'), { textContent: t === undefined ? '—' : fmt(t) });
    tdT.dataset.k = 'table';
    if (t !== undefined) tdT.dataset.value = String(t);
    const tdL = Object.assign(document.createElement('td'), { textContent: lv === undefined ? '—' : fmt(lv) });
    tdL.dataset.k = 'live';
    if (lv !== undefined) tdL.dataset.value = String(lv);
    if (atTable && lv !== undefined && t !== undefined) tdL.classList.add(agrees(name, lv, t) ? 'match' : 'differs');
    if (pv !== undefined && lv !== undefined && pv !== lv) tdL.classList.add('moved');
    const tdP = Object.assign(document.createElement('td'), { textContent: pv === undefined ? '' : fmt(pv) });
    tr.append(th, tdT, tdL, tdP);
    return tr;
  }));
}

// agrees: counts exactly, real values within the engine's relative tolerance
// (the table holds float32).
function agrees(name, live, table) {
  const l = Math.fround(live);
  if (EXACT.has(name) || table <= -3.4e38) return l === table;
  return Math.abs(l - table) <= TOLERANCE * Math.abs(table);
}

// ---- live values -------------------------------------------------------------------

function setKnobs(cfg) {
  for (const el of document.querySelectorAll('#knobs input')) el.value = cfg[el.dataset.field];
}

// knobConfig is the table's configuration with the knobs' values, or null
// when they equal it (so the cache is shared with live mode).
function knobConfig() {
  const cfg = { ...lab.names.config };
  let changed = false;
  for (const el of document.querySelectorAll('#knobs input')) {
    const v = Number(el.value);
    // Safe integers only: a larger seed would reach the engine rounded.
    if (!/^\d+$/.test(el.value) || !Number.isSafeInteger(v) || v < Number(el.min) || (el.max && v > Number(el.max))) {
      throw new Error(`${el.labels[0].firstChild.textContent.trim()} = ${el.value}: want a whole number in [${el.min}, ${el.max || '∞'}]`);
    }
    if (v !== cfg[el.dataset.field]) changed = true;
    cfg[el.dataset.field] = v;
  }
  return changed ? cfg : null;
}

function pool() {
  if (!lab.pool) {
    lab.pool = new LivePool();
    lab.pool.addEventListener('progress', (e) => {
      const d = e.detail;
      if ($('live-stop').disabled) return; // no computation is current: keep "Stopped." and the like
      if (d.phase === 'ready') $('live-status').textContent = `${d.workers} worker${d.workers === 1 ? '' : 's'} ready in ${(d.ms / 1000).toFixed(1)} s.`;
      if (d.phase === 'running') $('live-status').textContent = `Computing the indicators of ${d.arch} on worker ${d.worker + 1} of ${lab.pool.size}…`;
      if (d.phase === 'indicator') $('live-status').textContent = `Computing ${d.indicator} of ${d.arch} on worker ${d.worker + 1} of ${lab.pool.size}…`;
    });
  }
  return lab.pool;
}

async function computeLive() {
  if (lab.selected < 0 || !lab.network) return;
  // Any request, even one with invalid knobs, supersedes the one running:
  // its result belongs to the network and knobs of its time, and one still
  // waiting for the pool to start is dropped.
  const seq = ++lab.liveSeq;
  if (lab.abort) lab.abort.abort();
  lab.abort = new AbortController();
  const signal = lab.abort.signal;
  let cfg;
  try {
    cfg = knobConfig();
  } catch (e) {
    // The live column keeps the last valid knobs' values: grey it so that
    // it is not read as this configuration's.
    $('net-ind').classList.add('stale');
    $('live-status').textContent = e.message + ' The live column (greyed) is from the last valid configuration.';
    return;
  }
  $('net-ind').classList.remove('stale');
  const p = pool();
  p.cancelQueued();
  const arch = lab.network.arch, ds = $('lab-dataset').value;
  document.body.dataset.live = '';
  if (!p.workers.length) $('live-status').textContent = `Starting ${p.size} worker${p.size === 1 ? '' : 's'} (loading the engine and 1,000 calibration images)…`;
  let r;
  $('live-stop').disabled = false;
  try {
    r = await p.compute(arch, ds, cfg, signal);
  } catch (e) {
    if (seq === lab.liveSeq && e.message !== 'cancelled') {
      // The engine names its entry point ("compute: …"), which says nothing here.
      let s = 'Live computation failed: ' + e.message.replace(/^compute: /, '') + (e.dead ? ' Try a smaller batch, C or N.' : '');
      if (lab.live) {
        // The live column holds another configuration's values: grey it,
        // as after Stop or invalid knobs.
        $('net-ind').classList.add('stale');
        s += `${/[.!?]$/.test(s) ? '' : '.'} The live column (greyed) is from configuration ${lab.live.config_version}.`;
      }
      $('live-status').textContent = s;
    }
    return;
  } finally {
    if (seq === lab.liveSeq) disableStop();
  }
  if (seq !== lab.liveSeq || arch !== lab.network.arch || ds !== $('lab-dataset').value) return; // a newer request replaced this one
  if (lab.live && lab.live.config_version !== r.config_version) lab.previous = lab.live;
  lab.live = r;
  showIndicators();
  const where = r.cached ? 'from the cache (same class, same configuration)' : `in ${r.ms.toFixed(0)} ms on worker ${r.worker + 1} of ${p.size}`;
  let s = `Live values of class ${r.class}, configuration ${r.config_version}, ${where}.`;
  if (r.note) s += ' ' + r.note + '.';
  if (r.invalid && r.invalid.length) s += ` Worst score (undefined) for: ${r.invalid.join(', ')}.`;
  $('live-status').textContent = s;
  document.body.dataset.live = '1';
}

// stopLive abandons the live computation: a large configuration can take
// minutes in WebAssembly, and its worker cannot be interrupted, only
// replaced (LivePool.cancel).
function stopLive() {
  clearTimeout(knobTimer);
  lab.liveSeq++;
  if (lab.abort) lab.abort.abort(); // a request still waiting for the pool to start
  lab.pool.cancel();
  disableStop();
  document.body.dataset.live = 'stopped';
  let s = 'Stopped.';
  if (lab.live) {
    $('net-ind').classList.add('stale');
    s += ` The live column (greyed) is from configuration ${lab.live.config_version}.`;
  }
  $('live-status').textContent = s + ' Compute live starts again.';
}

// disableStop disables Stop once no computation is current. A keyboard
// user's focus on it moves to Compute live, which starts one again, rather
// than falling back to the top of the page with the disabled button.
function disableStop() {
  const stop = $('live-stop');
  if (document.activeElement === stop) $('live-compute').focus();
  stop.disabled = true;
}

let knobTimer = 0;
function onKnob() {
  clearTimeout(knobTimer);
  knobTimer = setTimeout(computeLive, 250);
}

// ---- wiring ------------------------------------------------------------------------

function wire() {
  const guard = (f) => (...a) => f(...a).catch((e) => showError(e.message));
  $('lab-indicator').addEventListener('change', guard(showIndicator));
  $('lab-dataset').addEventListener('change', guard(showIndicator));
  $('all-corr').addEventListener('toggle', guard(showAllCorrelations));
  $('lab-scatter').addEventListener('click', guard(async (e) => {
    if (!lab.usable) return; // still loading
    const [x, y, k] = toCanvas(e);
    const i = nearest(x, y, 12 * k); // 12 px on screen, whatever the zoom
    if (i >= 0) await select(i);
  }));
  // Keyboard: the arrow keys walk to the network ranked just below or above.
  $('lab-scatter').addEventListener('keydown', guard(async (e) => {
    const step = { ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1 }[e.key];
    if (!step || !lab.usable) return;
    e.preventDefault();
    const k = lab.selected < 0 ? lab.byRank.length - 1 : lab.byRank.indexOf(lab.selected) + step;
    if (k >= 0 && k < lab.byRank.length) await select(lab.byRank[k]);
  }));
  $('lab-index').addEventListener('change', guard(async () => {
    const box = $('lab-index');
    // Digits only, as a link's i= (not 1e3 or 3.5).
    const digits = /^\d+$/.test(box.value), i = Number(box.value);
    if (digits && validIndex(i)) {
      $('index-msg').textContent = '';
      await select(i);
      return;
    }
    $('index-msg').textContent = box.value === '' ? 'Type a benchmark index from 0 to 15,624.'
      : !digits ? `${box.value} is not a benchmark index: type a whole number from 0 to 15,624.`
      : `No network #${box.value}: the index runs from 0 to 15,624.`;
    box.value = lab.selected >= 0 ? lab.selected : '';
  }));
  for (const el of document.querySelectorAll('#knobs input')) el.addEventListener('input', onKnob);
  $('live-compute').addEventListener('click', guard(computeLive));
  $('live-stop').addEventListener('click', stopLive);
  $('knobs-default').addEventListener('click', () => { setKnobs(lab.names.config); computeLive(); });
}

// "Back to the search" returns to the search the user came from, with its
// settings, which live in its URL; opened any other way it is the default.
// The search is the page beside the lab (its folder, or index.html in it):
// another page of the same origin (the host's home page, another project
// on the same GitHub Pages origin) is not, and Back must not lead there.
function backLink() {
  let from;
  try { from = new URL(document.referrer); } catch { return; }
  const search = new URL('index.html', location.href), folder = new URL('.', location.href);
  if (from.origin !== location.origin || (from.pathname !== search.pathname && from.pathname !== folder.pathname)) return;
  $('back').href = from.href;
}

backLink();
wire();
load().catch((e) => showError(e.message));
