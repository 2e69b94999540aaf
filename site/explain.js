// nasplay explanations: a short note for a student on every control and
// every indicator — what it measures, its formula, which way is better and
// what the paper found. Every element with a data-explain attribute (a
// note's name, or "@value" for a menu whose selection names the note) gets
// a "?" button beside its label for the mouse, and the "?" key opens the
// note from the control itself (announced through aria-describedby and
// aria-keyshortcuts); Escape closes it and returns the focus. The buttons
// stay out of the Tab order, which goes from control to control.
'use strict';

(() => {
  // The paper is Tran & Bae, JBE 26(7), 2021; its numbers below are Table 1
  // (mean test accuracy / latency of the picked network over 50 seeds).
  const NOTES = {
    // ---- search settings ----
    dataset: {
      title: 'Dataset',
      what: 'The task the networks were trained on in NAS-Bench-201: CIFAR-10 (10 classes, 32×32 images), CIFAR-100 (100 classes) or ImageNet16-120 (120 classes, 16×16 images). It selects the accuracy, latency and indicator tables the search reads.',
      formula: 'Every one of the 15,625 cells has a test accuracy per dataset, measured after 200 epochs of training.',
      better: 'Nothing to optimise here: pick the task you want a network for.',
      paper: 'The paper searches on all three datasets.',
    },
    device: {
      title: 'Target device',
      what: 'Where the network will run. Latencies come from HW-NAS-Bench: measured on an NVIDIA Jetson TX2 (Edge GPU), a Raspberry Pi 4, a Coral Edge TPU and a Pixel 3 phone; simulated for the Eyeriss accelerator and an FPGA.',
      formula: 'LAT(m) = per-image latency of network m on this device, in ms. Edge TPU has no value for 4,699 networks: they count as unknown (reward 0), never as 0 ms.',
      better: 'Lower latency is better, but only as far as the target T asks.',
      paper: 'The paper uses Edge GPU, Raspberry Pi 4 and Pixel 3.',
    },
    objective: {
      title: 'Objective: latency or energy',
      what: 'What the target T bounds. Latency is the paper\'s. Energy per image is measured by HW-NAS-Bench on three devices only (Edge GPU, and simulated for Eyeriss and the FPGA); there the search can budget energy instead, with the same reward shape and selection.',
      formula: 'Under energy, LAT(m) in R_LAT is replaced by E(m), the per-image energy in mJ: R_LAT = T / E when E > T, otherwise α + (1 − α)·E / T. The pick is the best-scored sampled network with E ≤ T; the oracle is the most accurate network with E ≤ T.',
      better: 'In HW-NAS-Bench energy is nearly latency × a constant power (exactly 7 W on the FPGA, where both budgets are the same search). On the Edge GPU and Eyeriss the ratio varies a little from network to network, so near the budget the two can admit different best networks: compare the oracle under each.',
      paper: 'The paper budgets latency only; energy is a nasplay extension.',
    },
    target: {
      title: 'Target T (latency or energy)',
      what: 'The budget: latency in ms, or energy in mJ under the energy objective. Networks over T are penalised while searching and can never be the final pick.',
      formula: 'R_LAT = T / LAT when LAT > T, otherwise α + (1 − α)·LAT / T. Reward R = normalized score × R_LAT.',
      better: 'A tighter T leaves fewer networks (the count under the slider) and a lower best reachable accuracy (the oracle).',
      paper: 'Paper targets: 6 ms on Edge GPU, 40 ms (CIFAR) or 9 ms (ImageNet16-120) on Raspberry Pi 4, 20 ms (CIFAR) or 6 ms on Pixel 3.',
    },
    alpha: {
      title: 'α, the reward floor under T',
      what: 'How much a network that is much faster than needed is still rewarded. With α = 1 every network under T gets the full score; with α = 0 the reward grows linearly with latency up to T.',
      formula: 'Under T: R_LAT = α + (1 − α)·LAT / T, from α (a very fast network) to 1 (exactly at T).',
      better: 'A high α values accuracy over spending the budget; a low α pushes the search towards networks that use all of T.',
      paper: 'The paper uses α = 0.9.',
    },
    indicator: {
      title: 'Indicator (the score)',
      what: 'A training-free indicator guesses how good a network will be after training from the untrained network alone, in a fraction of a second. Choose one to see its own note.',
      formula: 'The raw score is turned into a rank over all 15,625 networks: normalized score = mid-rank / 15,625, in (0, 1].',
      better: 'Every score here is oriented so that higher = better.',
      paper: 'The paper compares CJ, NLR, CNNTK, OS and their fusion FI.',
    },
    algo: {
      title: 'Search algorithm',
      what: 'rl: an LSTM controller picks the 6 edge ops one by one and learns from the reward (REINFORCE). score-only: the same, with latency left out of the reward. random: uniform sampling. evolution: regularized evolution (population 50, tournament 10, one-edge mutations). oracle-score: rl scored by validation accuracy, a reference for the indicators, not a ceiling (an indicator\'s own best can beat its mean; the oracle is the ceiling).',
      formula: 'REINFORCE: g = (R − b)·∇ log π(m); θ takes one Adam step along g with learning rate lr; b is a moving average of R (decay 0.95) that starts at the first reward.',
      better: 'All share the budget and the selection rule: among sampled networks under T, the highest indicator score wins.',
      paper: 'The paper uses rl; Table 2 compares it with score-only.',
    },
    seed: {
      title: 'Seed',
      what: 'Starts the one random number generator that drives the search. The same seed gives the same run, here and in the command-line tool.',
      formula: 'PCG generator seeded with (seed, a fixed stream).',
      better: 'No seed is better; compare several to see how much a run varies.',
      paper: 'The paper averages 50 random seeds per setting; nasplay uses 0..49.',
    },
    episodes: {
      title: 'Episodes',
      what: 'How many networks the search may sample: its budget.',
      formula: 'One sampled network per episode; the controller updates after each one.',
      better: 'More episodes find better networks, with diminishing returns.',
      paper: 'The paper uses 500 episodes.',
    },
    speed: {
      title: 'Speed',
      what: 'Only the animation pace: how fast episodes are shown. The result does not depend on it.',
      formula: '—',
      better: 'Slow to watch each decision; fast to get to the result.',
      paper: '—',
    },
    run: {
      title: 'Play, Step, Run to end, Reset',
      what: 'Play animates the search at the chosen speed (press again to pause); Step runs one episode and shows its six decisions; Run to end runs every remaining episode: at once when that takes under a second, otherwise (many episodes, live scoring, a slow machine) drawn as it goes, so that Play, Step or Reset can stop it; Reset starts the same search again from episode 1.',
      formula: 'One episode: the controller samples a cell, the cell is scored, R = score × R_LAT, and the policy is updated.',
      better: 'With the same settings and seed every way of running gives the same result.',
      paper: 'The paper runs 500 episodes per search.',
    },
    scoring: {
      title: 'Scoring: table or live',
      what: 'Table: each network\'s indicator is read from a table precomputed for all 15,625 networks (instant). Live: the indicator is computed now, in this page, by the same Go engine running in a Web Worker; each network\'s class is computed once.',
      formula: 'Live values are normalized against the table\'s distribution (same configuration), so live and table searches are comparable.',
      better: 'The same values either way (cj and nlr exactly, the others to a relative 10⁻⁴); live shows the cost of the computation and works for networks you change in the lab.',
      paper: 'The paper computes indicators on the fly for every sampled network.',
    },
    // ---- indicators ----
    cj: {
      menu: 'Jacobian correlation',
      title: 'CJ — correlation of Jacobians (paper form)',
      what: 'Takes Cutout variants of the same image and compares the network\'s input gradients for them. A network that treats slightly different inputs differently can tell inputs apart.',
      formula: 'J_i = ∂(sum of logits)/∂x_i for the Cutout variants x_i of one image; Σ = correlation matrix of the J_i; score = #{pairs i<j : 0 < Σ_ij < β}, summed over a few images, averaged over 8 weight initializations (weight_draws).',
      better: 'Higher = more weakly correlated pairs = better.',
      paper: 'Table 1: 93.07–93.67 % on CIFAR-10 and 70.27–71.07 % on CIFAR-100, but the weakest indicator on ImageNet16-120 (39.77–40.57 %).',
    },
    cj_eig: {
      menu: 'Jacobian spectrum',
      title: 'CJ (eigenvalue form, NASWOT v1)',
      what: 'The same Jacobian correlations over a batch of different images, summarised by the eigenvalues of their correlation matrix.',
      formula: 'score = −Σ_k [log(λ_k + 10⁻⁵) + 1/(λ_k + 10⁻⁵)], λ_k the eigenvalues of Σ.',
      better: 'Higher = correlations closer to the identity = better.',
      paper: 'Not in the paper\'s tables. Abdelfattah et al. (ICLR 2021) report Spearman ρ 0.73 / 0.70 / 0.70 with test accuracy for this form.',
    },
    nlr: {
      menu: 'linear regions',
      title: 'NLR — number of linear regions',
      what: 'A ReLU network cuts its input space into regions where it is linear. More regions means a more expressive function. Counted on a very thin copy of the network with small image patches.',
      formula: 'pattern(x) = signs of every ReLU input; score = number of distinct patterns over the samples, averaged over 8 weight initializations (weight_draws).',
      better: 'Higher = more regions = better.',
      paper: 'Table 1: the lowest accuracy on CIFAR (90.27–91.75 % on CIFAR-10) because it favours small, fast networks (7.35 ms on Pixel 3 where the others pick 14–18 ms); 40.77–43.50 % on ImageNet16-120.',
    },
    cnntk: {
      menu: 'NTK conditioning',
      title: 'CNNTK — conditioning of the neural tangent kernel',
      what: 'The NTK describes how gradient descent moves the outputs of a batch. A well-conditioned kernel trains every direction at a similar speed.',
      formula: 'g_i = ∂(sum of logits of image i)/∂weights; Θ = G Gᵀ; score = λ_min / λ_max = 1/κ, the geometric mean over 8 weight initializations (weight_draws).',
      better: 'Higher = better conditioned = easier to train. A singular kernel gets the worst score.',
      paper: 'Table 1: close to the best on CIFAR-10 (93.41–93.49 %) and 42.10–42.99 % on ImageNet16-120.',
    },
    os: {
      menu: 'output sensitivity',
      title: 'OS — output sensitivity',
      what: 'How much the output moves when the input gets a little Gaussian noise. Networks that are less sensitive tend to generalise better.',
      formula: 'err = f(x + ε) − f(x), ε ~ N(0, σ²); score = −Var(err) over images and noise draws, averaged over the outputs and over 8 weight initializations (weight_draws).',
      better: 'Higher (less sensitive) = better, as the paper orients it. Measured here at initialization it is the other way round: its Spearman ρ with test accuracy is −0.49 / −0.49 / −0.44 (CIFAR-10 / CIFAR-100 / ImageNet16-120), the least sensitive cells are those without convolutions (pooling, skips, zeros), which are also the least accurate, so a search on OS alone picks them. FI uses OS with whatever weight validates.',
      paper: 'Table 1: 92.65–93.35 % on CIFAR-10; the best single indicator on ImageNet16-120 with Pixel 3 (44.71 %), but it tends to pick slower networks (34.00 ms of a 40 ms budget).',
    },
    fi: {
      menu: "fusion, the paper's",
      title: 'FI — fusion indicator',
      what: 'Combines the four indicators: each is first put on the same scale (its rank r, 0–1), then a sum of one curve per indicator (a·r + b·r²) is fitted to the rank of the validation accuracy of 200 connected networks. The curve lets an indicator count most in the middle of its range, as OS does.',
      formula: 'fi = w₀ + Σ over CJ, NLR, CNNTK, OS of (a·r + b·r²), r = the indicator\'s rank; weights by least squares.',
      better: 'Higher = better.',
      paper: 'Table 1: the best indicator in 8 of 9 settings (e.g. 72.00 % on CIFAR-100 with Edge GPU). Table 2: adding R_LAT improved it in all 9.',
    },
    params: {
      menu: 'a baseline',
      title: '#params (baseline)',
      what: 'The number of weights of the full-size network. Not a training-free indicator: a simple baseline every indicator should beat.',
      formula: 'score = parameters in millions (C = 16, N = 5).',
      better: 'Higher = bigger network = usually more accurate on NAS-Bench-201.',
      paper: 'Not in the paper. On NAS-Bench-201 it already reaches Spearman ρ ≈ 0.7.',
    },
    flops: {
      menu: 'a baseline',
      title: 'FLOPs (baseline)',
      what: 'The computation of the full-size network for one image. Like #params, a baseline.',
      formula: 'score = millions of floating-point operations, as NAS-Bench-201 counts them.',
      better: 'Higher = more computation = usually more accurate, and slower.',
      paper: 'Not in the paper; a baseline as strong as #params.',
    },
    // ---- the lab's configuration knobs ----
    batch: {
      title: 'Batch size',
      what: 'How many different images cj_eig, cnntk and os look at.',
      formula: 'Σ and Θ are batch × batch matrices.',
      better: 'Larger batches give steadier scores and cost more time (the NTK grows with batch²).',
      paper: 'Not varied in the paper; TE-NAS also uses small batches.',
    },
    c: {
      title: 'Proxy width C',
      what: 'Channels in the first stage of the network the indicators are computed on. The full-size network has C = 16.',
      formula: 'Stages have C, 2C and 4C channels.',
      better: 'A narrow proxy is much faster. Here C = 8 ranks networks better than C = 4 for cj at one weight draw, at about twice the cost; the default spends that time on 8 draws instead. nlr has its own thin network (nlr_c, N = 1): changing C only redraws its weights.',
      paper: 'TE-NAS computes its indicators on reduced proxies too.',
    },
    n: {
      title: 'Cells per stage N',
      what: 'How many copies of the cell each of the three stages stacks. The full-size network has N = 5.',
      formula: 'The network has 3N cells and two reduction blocks.',
      better: 'N = 1 is fastest; deeper proxies cost proportionally more. nlr has its own thin network (N = 1): changing N only redraws its weights.',
      paper: '—',
    },
    cfgseed: {
      title: 'Indicator seed',
      what: 'Chooses the images, Cutout squares, noise and patches, and, with the network\'s class, the initial weights.',
      formula: 'Weights ~ a generator seeded by (seed, class), so every member of a class gets the same values.',
      better: 'No seed is better: change it to see how much a score depends on luck.',
      paper: '—',
    },
  };

  let pop = null;
  let opener = null; // the "?" button of the open note
  let back = null;   // where Escape returns the focus

  // hint is the shared, visually hidden sentence that tells a keyboard or
  // screen reader user how to open a control's note.
  function hint() {
    let h = document.getElementById('explain-hint');
    if (!h) {
      h = Object.assign(document.createElement('span'), { id: 'explain-hint', textContent: 'Press the question mark key for an explanation.' });
      h.style.cssText = 'position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap';
      document.body.append(h);
    }
    return h;
  }

  function popover() {
    if (pop) return pop;
    pop = document.createElement('div');
    pop.id = 'explain-pop';
    pop.className = 'explain-pop';
    pop.setAttribute('role', 'dialog');
    pop.setAttribute('aria-modal', 'false');
    pop.tabIndex = -1;
    pop.hidden = true;
    pop.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { e.preventDefault(); close(); }
      // Tab past the close button, or Shift+Tab before the note, leaves it:
      // it closes and the focus returns to where it was opened, instead of
      // going past the end of the page (the note is the body's last child)
      // with the note left open and Escape no longer reaching it.
      if (e.key === 'Tab' && (e.shiftKey ? e.target === pop : e.target.classList.contains('close'))) { e.preventDefault(); close(); }
      // Shift+Tab from the close button goes back to the note (tabindex
      // -1, so the browser would skip it for the page's last control).
      else if (e.key === 'Tab' && e.shiftKey && e.target.classList.contains('close')) { e.preventDefault(); pop.focus(); }
    });
    document.body.append(pop);
    document.addEventListener('mousedown', (e) => {
      if (!pop.hidden && !pop.contains(e.target) && !(opener && opener.contains(e.target))) close(false);
    });
    return pop;
  }

  // open shows the note of key next to the element at; closing it returns
  // the focus to returnTo (default: at).
  function open(key, at, returnTo) {
    const n = NOTES[key];
    if (!n) return;
    const p = popover();
    p.replaceChildren();
    const h = Object.assign(document.createElement('h3'), { textContent: n.title, id: 'explain-title' });
    const x = Object.assign(document.createElement('button'), { type: 'button', className: 'close', textContent: '×' });
    x.setAttribute('aria-label', 'Close explanation');
    x.addEventListener('click', () => close());
    const dl = document.createElement('dl');
    for (const [label, k] of [['What it measures', 'what'], ['Formula', 'formula'], ['Which way is better', 'better'], ['What the paper found', 'paper']]) {
      dl.append(Object.assign(document.createElement('dt'), { textContent: label }), Object.assign(document.createElement('dd'), { textContent: n[k] }));
    }
    p.append(h, x, dl);
    p.setAttribute('aria-labelledby', 'explain-title');
    p.dataset.key = key;
    p.hidden = false;
    const r = at.getBoundingClientRect();
    const left = Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - p.offsetWidth - 8);
    p.style.left = Math.max(8, left) + 'px';
    p.style.top = window.scrollY + r.bottom + 6 + 'px';
    if (opener && opener !== at) opener.setAttribute('aria-expanded', 'false');
    opener = at;
    back = returnTo || at;
    if (at.classList.contains('explain')) at.setAttribute('aria-expanded', 'true');
    p.focus();
  }

  function close(refocus = true) {
    if (!pop || pop.hidden) return;
    pop.hidden = true;
    if (opener) {
      if (opener.classList.contains('explain')) opener.setAttribute('aria-expanded', 'false');
    }
    if (back && refocus) back.focus();
    opener = back = null;
  }

  // attach adds the "?" button to control's label. key is a note's name or
  // a function returning one (the indicator menu explains its selection).
  function attach(control, key) {
    const keyOf = typeof key === 'function' ? key : () => key;
    const label = document.querySelector(`label[for="${control.id}"]`) || control;
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'explain';
    b.textContent = '?';
    b.dataset.explains = control.id;
    b.setAttribute('aria-haspopup', 'dialog');
    b.setAttribute('aria-expanded', 'false');
    const title = () => (NOTES[keyOf()] || {}).title || control.id;
    b.setAttribute('aria-label', 'Explain: ' + title());
    b.title = 'What is this? (or press ? in the control)';
    b.tabIndex = -1;
    b.addEventListener('click', (e) => {
      e.preventDefault();
      if (pop && !pop.hidden && opener === b) close();
      else open(keyOf(), b);
    });
    if (label === control) {
      control.after(b);
    } else {
      // The control is named by its label's own words, not by the button
      // inside the label as well ("Dataset", not "Dataset Explain: …").
      const name = document.createElement('span');
      name.id = control.id + '-name';
      name.append(...label.childNodes);
      label.append(name, b);
      control.setAttribute('aria-labelledby', name.id);
    }
    control.setAttribute('aria-keyshortcuts', 'Shift+?');
    const described = control.getAttribute('aria-describedby');
    control.setAttribute('aria-describedby', (described ? described + ' ' : '') + hint().id);
    control.addEventListener('keydown', (e) => {
      if (e.key === '?') { e.preventDefault(); open(keyOf(), b, control); }
    });
    // The label follows the selection: on change, and through
    // nasplayExplain.refresh() when a page sets the control from a link.
    const relabel = () => b.setAttribute('aria-label', 'Explain: ' + title());
    control.addEventListener('change', relabel);
    relabels.push(relabel);
    return b;
  }

  const relabels = [];
  // refresh updates every "?" button's name to its control's current
  // selection; the pages call it after setting controls from a link.
  window.nasplayExplain = { refresh: () => relabels.forEach((f) => f()) };

  function attachAll() {
    for (const el of document.querySelectorAll('[data-explain]')) {
      const key = el.dataset.explain;
      attach(el, key === '@value' ? () => el.value : key);
    }
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', attachAll);
  else attachAll();

  // menuLabel is an indicator's name in a menu: the name the CLI and the
  // links use, and what it measures (an indicator without a note keeps its
  // bare name).
  const menuLabel = (name) => (NOTES[name] && NOTES[name].menu ? `${name} — ${NOTES[name].menu}` : name);
  window.NasplayExplain = { NOTES, attach, open, close, menuLabel };
})();
