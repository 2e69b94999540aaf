// nasplay live indicators: a pool of Web Workers, each running its own
// instance of worker.wasm (the Go indicator engine), so that as many
// networks are computed at once as the machine has cores while the page
// stays smooth. Results are cached per isomorphism class: every member of a
// class has the same indicators (engine/indicator computes them on the
// pruned, canonical cell with weights seeded by the class).
//
// Nothing here loads until a page creates a pool: the worker wasm and the
// calibration images are fetched only when live mode or the lab is used.
'use strict';

(() => {
  // fetchAsset fetches a file as bytes with a message that names it.
  async function fetchAsset(url) {
    let resp;
    try {
      resp = await fetch(url);
    } catch (e) {
      throw new Error(`could not fetch ${url}: ${e.message}`);
    }
    if (!resp.ok) throw new Error(`could not fetch ${url}: HTTP ${resp.status} ${resp.statusText}`);
    try {
      return new Uint8Array(await resp.arrayBuffer());
    } catch (e) { // the connection dropped during the download
      throw new Error(`could not fetch ${url}: the download broke off (${e.message})`);
    }
  }

  // WasmWorker is one Web Worker running worker.wasm; call() returns a
  // promise of the function's value.
  class WasmWorker {
    constructor(index) {
      this.index = index;
      this.worker = new Worker('worker.js');
      this.pending = new Map();
      this.nextId = 1;
      this.worker.onmessage = (e) => this.receive(e.data);
      this.worker.onerror = (e) => {
        const err = new Error(`live worker ${index} failed: ${e.message || 'could not start worker.js'}`);
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
        this.failed = err;
      };
    }

    // call runs fn(...args) in the worker; onStart is called when the
    // worker begins it (earlier calls to the same worker run first) and
    // onProgress with the indicators each step of a computation works on.
    call(fn, args = [], onStart, onProgress) {
      if (this.failed) return Promise.reject(this.failed);
      const id = this.nextId++;
      return new Promise((resolve, reject) => {
        this.pending.set(id, { resolve, reject, onStart, onProgress });
        this.worker.postMessage({ id, fn, args });
      });
    }

    receive(m) {
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.started) {
        if (p.onStart) p.onStart();
        return;
      }
      if (m.progress) {
        if (p.onProgress) p.onProgress(m.progress);
        return;
      }
      this.pending.delete(m.id);
      if (m.ok) {
        p.resolve({ value: m.value, ms: m.ms });
        return;
      }
      const err = new Error(m.error);
      err.dead = m.dead;
      if (m.dead) this.failed = err; // its engine has stopped: the pool replaces it
      p.reject(err);
    }

    // terminate stops the worker; its pending calls reject with reason.
    terminate(reason = 'live worker stopped') {
      this.worker.terminate();
      const err = new Error(reason);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.failed = err;
    }
  }

  // configKey is a configuration's cache key: its JSON with sorted keys,
  // "" for the default configuration.
  function configKey(cfg) {
    if (!cfg) return '';
    return JSON.stringify(Object.fromEntries(Object.keys(cfg).sort().map((k) => [k, cfg[k]])));
  }

  // LivePool computes networks' indicators on a pool of workers. It emits
  // 'progress' events whose detail says which network is queued, running
  // (and which indicators, as the engine reports them), done (with its
  // compute time), answered from the cache, or failed.
  class LivePool extends EventTarget {
    constructor({ workers } = {}) {
      super();
      const cores = navigator.hardwareConcurrency || 2;
      this.size = Math.max(1, Math.min(workers || cores, 16));
      this.workers = [];
      this.idle = [];
      this.busy = new Map();  // worker → the job it runs
      this.queue = [];        // jobs waiting for a worker
      this.cache = new Map(); // "dataset|config|class" → result
      this.inflight = new Map();
      this.classOf = null;    // arch string → canonical class code
      this.stats = { computed: 0, cached: 0, computeMs: 0, steps: 0 }; // steps: progress reports
      this.ready = null;
    }

    // start creates the workers and hands each the calibration images and
    // the indicator table (for fi; live mode works without it). It resolves
    // once every worker can compute.
    start() {
      if (this.ready) return this.ready;
      this.ready = (async () => {
        const t0 = performance.now();
        const [calib, table] = await Promise.all([
          fetchAsset('assets/calib.msgpack'),
          fetchAsset('assets/indicators.msgpack').catch(() => null), // then results say fi is missing
        ]);
        this.assets = { calib, table };
        for (let i = 0; i < this.size; i++) this.workers.push(new WasmWorker(i));
        await Promise.all(this.workers.map((w) => this.load(w)));
        const { value: cls } = await this.workers[0].call('classes');
        this.classOf = new Map(cls.archs.map((a, i) => [a, cls.class[i]]));
        this.idle = [...this.workers];
        this.startMs = performance.now() - t0;
        this.emit({ phase: 'ready', ms: this.startMs, workers: this.size });
      })().catch((e) => {
        // Forget the failed start (and its workers): the next call retries.
        for (const w of this.workers) w.terminate();
        this.workers = [];
        this.ready = null;
        throw e;
      });
      return this.ready;
    }

    // load hands a worker the calibration images and the indicator table.
    async load(w) {
      await w.call('load', ['calib', this.assets.calib]);
      if (this.assets.table) await w.call('load', ['indicators', this.assets.table]);
    }

    // release returns a worker to the pool after a job, or, if its engine
    // has stopped, a fresh worker in its place (loaded before it takes work).
    // A fresh worker that cannot load joins the pool failed: the next job
    // is rejected with the reason, and replaces it again (a retry), rather
    // than waiting for a worker that never comes.
    release(w) {
      if (!w.failed) {
        this.idle.push(w);
        return;
      }
      w.terminate();
      const fresh = new WasmWorker(w.index);
      this.workers[this.workers.indexOf(w)] = fresh;
      this.load(fresh).catch((err) => {
        fresh.failed = err;
        this.emit({ phase: 'error', worker: fresh.index, error: err.message });
      }).then(() => {
        this.idle.push(fresh);
        this.dispatch();
      });
    }

    emit(detail) {
      detail.queued = this.queue.length;
      detail.running = this.size - this.idle.length;
      this.dispatchEvent(new CustomEvent('progress', { detail }));
    }

    // compute resolves to the indicators of arch on dataset at cfg (null:
    // the default configuration). The result's arch is the one asked for;
    // its values belong to its whole class. A request whose signal is
    // aborted while the pool starts is dropped before it is queued (cancel
    // reaches only the queued and running ones).
    async compute(arch, dataset, cfg = null, signal = null) {
      await this.start();
      if (signal && signal.aborted) throw new Error('cancelled');
      const cls = this.classOf.get(arch);
      if (cls === undefined) throw new Error(`live: ${arch} is not a NAS-Bench-201 architecture string`);
      const key = `${dataset}|${configKey(cfg)}|${cls}`;
      const hit = this.cache.get(key);
      if (hit) {
        this.stats.cached++;
        this.emit({ phase: 'cached', arch, dataset, class: hit.class });
        return { ...hit, arch, cached: true };
      }
      // A request joins the one in flight for its key, unless that one was
      // cancelled: its promise rejects a few microtasks after the cancel, so
      // a request made right after cancelQueued (the lab asks again for the
      // network whose request it just dropped) must not join it.
      let entry = this.inflight.get(key);
      if (!entry || entry.job.cancelled) {
        const job = { arch, dataset, cfg };
        const p = new Promise((resolve, reject) => {
          Object.assign(job, { resolve, reject });
          this.queue.push(job);
          this.emit({ phase: 'queued', arch, dataset });
          this.dispatch();
        });
        const mine = entry = { job, p };
        this.inflight.set(key, mine);
        p.then((r) => this.cache.set(key, r), () => {}).finally(() => {
          if (this.inflight.get(key) === mine) this.inflight.delete(key);
        });
      }
      const r = await entry.p;
      return { ...r, arch };
    }

    dispatch() {
      while (this.idle.length && this.queue.length) {
        const w = this.idle.shift();
        const job = this.queue.shift();
        this.busy.set(w, job);
        const started = { at: 0 };
        const cfgJSON = job.cfg ? JSON.stringify(job.cfg) : '';
        // maxBytes, unset but in tests, replaces the engine's memory cap.
        const args = [job.arch, job.dataset, cfgJSON, ...(this.maxBytes ? [this.maxBytes] : [])];
        w.call('compute', args, () => {
          started.at = performance.now();
          this.emit({ phase: 'running', arch: job.arch, dataset: job.dataset, worker: w.index });
        }, (names) => {
          this.stats.steps++;
          this.emit({ phase: 'indicator', arch: job.arch, dataset: job.dataset, worker: w.index, indicator: names });
        }).then(({ value, ms }) => {
          this.busy.delete(w);
          this.stats.computed++;
          this.stats.computeMs += ms;
          value.ms = ms;
          value.worker = w.index;
          this.release(w);
          this.emit({ phase: 'done', arch: job.arch, dataset: job.dataset, worker: w.index, ms, class: value.class });
          job.resolve(value);
          this.dispatch();
        }, (err) => {
          this.busy.delete(w);
          this.release(w);
          const phase = err.message === 'cancelled' ? 'cancelled' : 'error';
          this.emit({ phase, arch: job.arch, dataset: job.dataset, worker: w.index, error: err.message });
          job.reject(err);
          this.dispatch();
        });
      }
    }

    // cancelQueued drops the jobs no worker has started (their promises
    // reject): the lab calls it when a newer knob setting replaces them.
    cancelQueued() {
      const dropped = this.queue.splice(0);
      for (const job of dropped) {
        job.cancelled = true;
        job.reject(new Error('cancelled'));
      }
      return dropped.length;
    }

    // cancel drops every job, queued or running, and returns how many. A
    // running computation cannot be interrupted inside the engine, so its
    // worker is stopped and a fresh one loaded in its place (release).
    cancel() {
      const n = this.cancelQueued() + this.busy.size;
      for (const [w, job] of this.busy) {
        job.cancelled = true;
        w.terminate('cancelled');
      }
      return n;
    }

    terminate() {
      this.cancelQueued();
      for (const w of this.workers) w.terminate();
      this.workers = [];
      this.idle = [];
    }
  }

  window.NasplayLive = { LivePool, WasmWorker, fetchAsset, configKey };
})();
