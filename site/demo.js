// nasplay demo mode: with #demo in the URL the page loops searches across
// datasets, devices and latency targets on its own, for a conference
// screen: large type, a banner saying what is being searched and what was
// found, no controls needed. It drives the page through the same functions
// its buttons call, so what it shows is exactly a normal run.
'use strict';

(() => {
  if (location.hash !== '#demo') return;

  // The paper's nine settings (its targets T), then the other three
  // devices at their default T, and one energy budget (the median energy).
  const SETTINGS = [
    { ds: 'cifar10', dev: 'edgegpu', t: 6 }, { ds: 'cifar10', dev: 'raspi4', t: 40 }, { ds: 'cifar10', dev: 'pixel3', t: 20 },
    { ds: 'cifar100', dev: 'edgegpu', t: 6 }, { ds: 'cifar100', dev: 'raspi4', t: 40 }, { ds: 'cifar100', dev: 'pixel3', t: 20 },
    { ds: 'imagenet16', dev: 'edgegpu', t: 6 }, { ds: 'imagenet16', dev: 'raspi4', t: 9 }, { ds: 'imagenet16', dev: 'pixel3', t: 6 },
    { ds: 'cifar10', dev: 'edgetpu' }, { ds: 'cifar100', dev: 'eyeriss' }, { ds: 'imagenet16', dev: 'fpga' },
    { ds: 'cifar100', dev: 'edgegpu', obj: 'energy' },
  ];
  // The pace of the searches: the link's speed if it names one (read before
  // the page rewrites the URL), else 60 episodes a second.
  const SPEED = new URLSearchParams(location.search).get('speed') || '4';
  const HOLD_MS = 6000;      // the result stays on screen this long
  // A run that takes longer is reported and skipped. A search takes
  // seconds with a GPU; headless Chromium drawing the cell view in software
  // on a loaded machine was measured at about 0.35 s per animated episode.
  const RUN_LIMIT_MS = 600000;
  // The width, in CSS pixels, the demo is laid out at before fit scales it
  // to the screen: the cell view's 666 px column and the result beside it.
  const WIDTH = 1500;

  const demo = { runs: 0, errors: [], setting: null, startedAt: performance.now(), zooms: [] };
  window.nasplayDemo = demo; // for the browser tests

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const $ = (id) => document.getElementById(id);

  function style() {
    const s = document.createElement('style');
    s.textContent = `
      body.demo { font-size: 125%; width: ${WIDTH}px; max-width: none; }
      body.demo header p, body.demo #controls, body.demo footer, body.demo #notices,
      body.demo #copy-arch, body.demo #export-json, body.demo #export-csv { display: none !important; }
      body.demo main { grid-template-columns: 666px minmax(0, 1fr) !important; grid-template-areas: "cell result" "scatter reward" !important; }
      body.demo h2 { font-size: 1.3rem; }
      body.demo #card { font-size: 1.15rem; }
      #demo-banner { font-size: 1.9rem; font-weight: 700; margin: 4px 0 12px; color: #22262e; }
      #demo-banner, #demo-banner small { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
      #demo-banner small { display: block; font-size: 1.2rem; font-weight: 500; color: #5b6472; }`;
    document.head.append(s);
  }

  function banner(main, sub) {
    let b = $('demo-banner');
    if (!b) {
      b = Object.assign(document.createElement('div'), { id: 'demo-banner' });
      b.setAttribute('aria-live', 'polite');
      document.querySelector('header').after(b);
    }
    b.replaceChildren(document.createTextNode(main), Object.assign(document.createElement('small'), { textContent: sub }));
    fit();
  }

  // fit scales the page down until it fits the screen, both ways: an
  // unattended screen is never scrolled, and the charts are the bottom row
  // (a 1280×800 projector needs about 70 %). The page is laid out at a fixed
  // width and the banner keeps its two lines, so its height at zoom 1 is its
  // height at any zoom, and the zoom stays put from phase to phase.
  function fit() {
    document.body.style.zoom = '';
    const doc = document.documentElement;
    const z = Math.min(1, window.innerWidth / doc.scrollWidth, window.innerHeight / doc.scrollHeight);
    if (z < 1) document.body.style.zoom = String(z);
    demo.zoom = z;
    demo.zooms.push(z);
  }

  const card = (k) => (document.querySelector(`#card [data-k="${k}"]`) || {}).textContent || '—';
  const title = (sel, v) => [...$(sel).options].find((o) => o.value === v)?.text || v;

  async function until(test, limit) {
    const t0 = performance.now();
    while (!test()) {
      if (performance.now() - t0 > limit) return false;
      await sleep(250);
    }
    return true;
  }

  async function loop() {
    if (!(await until(() => document.body.dataset.ready === '1' || document.body.dataset.failed === '1', 60000)) || document.body.dataset.failed === '1') {
      demo.errors.push('the page did not load');
      return;
    }
    document.body.classList.add('demo');
    window.addEventListener('resize', fit);
    const indicators = [...$('indicator').options].map((o) => o.value);
    const ind = indicators.includes('fi') ? 'fi' : indicators[0];
    for (let k = 0; ; k = (k + 1) % SETTINGS.length) {
      const s = SETTINGS[k];
      demo.setting = s;
      const q = new URLSearchParams({ ds: s.ds, dev: s.dev, alpha: '0.9', ind, algo: 'rl', seed: String(demo.runs % 50), ep: '500', speed: SPEED });
      if (s.t) q.set('t', String(s.t));
      if (s.obj) q.set('obj', s.obj);
      const energy = s.obj === 'energy';
      try {
        window.applyQuery(q.toString(), false);
        const T = $('target-out').textContent; // with its unit: ms, or mJ for an energy budget
        banner(`Searching ${title('dataset', s.ds)} for ${title('device', s.dev)}, ${energy ? 'energy' : 'latency'} T = ${T}`,
          // Two decimals for a room, as below.
          `An RL controller samples 500 networks scored by ${ind} × ${energy ? 'energy' : 'latency'} reward. ${$('feasible').textContent.replace(/\d+\.\d{3,}/g, (x) => Number(x).toFixed(2))}`);
        const t0 = performance.now();
        window.play();
        if (!(await until(() => document.body.dataset.done === '1', RUN_LIMIT_MS))) throw new Error(`run ${demo.runs + 1} did not finish in ${RUN_LIMIT_MS / 1000} s`);
        demo.runs++;
        demo.lastRunMs = performance.now() - t0;
        // Two decimals for a room: the card beside it keeps every digit.
        const r2 = (k) => Number(card(k)).toFixed(2);
        const cost = energy ? `${r2('energyMJ')} mJ` : `${r2('latencyMs')} ms`;
        banner(`Found: ${r2('testAcc')} % test accuracy at ${cost} on ${title('device', s.dev)} (T = ${T})`,
          // The paper's number belongs to its latency target: not shown beside an energy budget.
          `${Number(card('oracleIndex')) < 0 ? 'No network meets T.' : `Best possible under T (the oracle): ${r2('oracleTestAcc')} %; regret ${r2('regret')} points.`}${energy ? '' : ` Paper: ${card('paper')}.`}`);
      } catch (e) {
        demo.errors.push(e.message);
        banner('Demo error', e.message);
      }
      await sleep(HOLD_MS);
    }
  }

  style();
  loop();
})();
