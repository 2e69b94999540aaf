// nasplay live scoring for the search page: with live=1 the search asks
// the engine for each episode's network (propose), computes its indicators
// in the Web Worker pool (live.js) and hands the score back (score), so the
// table is never read for a sampled network. The page loads this file, with
// live.js, only when live scoring is first used.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const app = window.nasplayApp;
  let pool = null;
  let chain = Promise.resolve(); // live episodes run one after another
  const running = new Map();     // worker → {arch, since}
  const indexOf = new Map();     // arch → benchmark index, for the status line
  let ticker = 0;

  // One worker: the search scores each episode before it proposes the next
  // (search.Run's Propose and Score), so a second worker would never get a
  // network, only cost its memory (the engine, the calibration images and
  // the table: 30–45 MB each, measured in Chromium) and its start.
  function ensurePool() {
    if (pool) return pool;
    pool = new window.NasplayLive.LivePool({ workers: 1 });
    pool.addEventListener('progress', (e) => progress(e.detail));
    app.livePool = pool;
    return pool;
  }

  // progress shows what the workers are doing: which network, on which
  // worker, for how long, and the totals so far.
  function progress(d) {
    if (d.phase === 'running') running.set(d.worker, { arch: d.arch, since: performance.now(), indicator: 'cj, cj_eig, nlr, cnntk, os' });
    if (d.phase === 'indicator' && running.has(d.worker)) running.get(d.worker).indicator = d.indicator;
    if (d.phase === 'done' || d.phase === 'error') running.delete(d.worker);
    if (running.size && !ticker) ticker = setInterval(show, 200);
    if (!running.size && ticker) { clearInterval(ticker); ticker = 0; }
    show(d);
  }

  function show(d) {
    const el = $('live-status');
    if (!app.state.live) { el.hidden = true; return; } // back in table mode: the pool's news is not this run's
    el.hidden = false;
    // Progress is no announcement: it ticks every 200 ms while a network
    // computes; the run status says each episode's outcome when it is
    // heard, and a failure is (liveFailed).
    el.setAttribute('aria-live', 'off');
    el.classList.remove('bad'); // a failure shown earlier is over
    const s = pool.stats;
    const mean = s.computed ? (s.computeMs / s.computed).toFixed(0) : '—';
    let text;
    if (!pool.workers.length) {
      text = `Live: starting ${pool.size === 1 ? 'a Web Worker' : `${pool.size} Web Workers`} (the indicator engine and 1,000 calibration images)…`;
    } else if (running.size) {
      const now = performance.now();
      text = 'Live: ' + [...running.entries()].map(([w, r]) =>
        `worker ${w + 1}/${pool.size} computes ${r.indicator} of #${indexOf.get(r.arch)} (${((now - r.since) / 1000).toFixed(1)} s)`).join('; ');
    } else if (d && d.phase === 'error') {
      text = `Live: ${d.error}`;
    } else {
      text = `Live: idle, ${plural(pool.size, 'worker')} ready.`;
    }
    el.textContent = `${text} — ${plural(s.computed, 'network')} computed (mean ${mean} ms each), ${s.cached} answered from the per-class cache.`;
  }

  // run computes and scores up to n episodes (n ≤ 0: to the end), drawing
  // each with the canvas revealing its decisions ticks/60 s apart. It
  // resolves to the number of episodes run; a reset meanwhile stops it, and
  // so does going(), when given, returning false before an episode (Pause
  // during a played batch, Play or Step during a run to the end).
  function run(n, ticks, going = () => true) {
    // The run this job belongs to is the one current now, when it is asked
    // for, not when the chain reaches it: a Step queued before a reset
    // must not step the new run.
    const gen = app.gen;
    const job = chain.then(() => episodes(n, ticks, gen, going));
    chain = job.catch(() => {});
    return job;
  }

  async function episodes(n, ticks, gen, going) {
    const p = ensurePool();
    let done = 0;
    for (; n <= 0 || done < n; done++) {
      if (gen !== app.gen || !going()) break;
      const prop = call('propose');
      if (prop.done) break;
      indexOf.set(prop.arch, prop.index);
      let r;
      try {
        r = await p.compute(prop.arch, app.state.ds);
      } catch (e) {
        if (gen !== app.gen) break; // a failure of a run that was reset meanwhile
        throw e;
      }
      if (gen !== app.gen) break; // the search was reset while computing
      const v = r.scores[app.state.ind];
      if (v === undefined) throw new Error(`live ${app.state.ind} of ${prop.arch} is not available: ${r.note || 'not computed'}`);
      app.liveLog.push({ episode: app.points.length, arch: prop.arch, index: prop.index, class: r.class, scores: r.scores, ms: r.cached ? 0 : r.ms, cached: !!r.cached });
      apply(call('score', v, ticks));
      status(`live: ${r.cached ? 'from the cache' : `computed in ${r.ms.toFixed(0)} ms`}`);
    }
    return done;
  }

  window.nasplayLiveMode = { run };
})();
