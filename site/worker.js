// nasplay Web Worker: runs one instance of worker.wasm (engine/indicator,
// no ebiten) and answers calls from the page (live.js). A message
// {id, fn, args} calls globalThis.nasplayWorker[fn](...args); the reply is
// {id, ok, value} or {id, ok: false, error}. Before a computation starts the
// worker posts {id, started: true}, so the page can show what is running and
// time it from the moment a core took it, and while it runs the engine
// reports each step's indicators as {id, progress: "cj_eig, cnntk"}.
'use strict';

importScripts('wasm_exec.js');

// exited is set once the Go program has stopped (e.g. out of memory in a
// huge configuration): every later call would fail, so the page replaces
// this worker.
let exited = false;

const booted = (async () => {
  const go = new Go();
  let inst;
  try {
    const resp = await fetch('worker.wasm');
    if (!resp.ok) throw new Error(`could not fetch worker.wasm: HTTP ${resp.status} ${resp.statusText}`);
    let bytes;
    try {
      bytes = await resp.arrayBuffer();
    } catch (e) { // the connection dropped during the download
      throw new Error(`could not fetch worker.wasm: the download broke off (${e.message})`);
    }
    inst = (await WebAssembly.instantiate(bytes, go.importObject)).instance;
  } catch (e) {
    throw new Error('worker.wasm could not start: ' + e.message);
  }
  go.run(inst).finally(() => { exited = true; });
  if (!self.nasplayWorker) throw new Error('worker.wasm started but exported no functions');
})();

// The calls are handled one at a time, in order: the engine is
// single-threaded, and a queue in the worker keeps started messages honest.
let chain = Promise.resolve();
let current = 0; // the id of the call running in the engine

// Called by worker.wasm as each step of an evaluation starts.
self.nasplayProgress = (names) => self.postMessage({ id: current, progress: names });

self.onmessage = (e) => {
  // handle never rejects, so one bad message cannot stop the queue.
  chain = chain.then(() => handle(e.data));
};

async function handle(msg) {
  const id = msg && msg.id;
  try {
    if (!msg || typeof msg.fn !== 'string' || !Array.isArray(msg.args)) throw new Error('want a message {id, fn, args}');
    const { fn, args } = msg;
    await booted;
    const f = self.nasplayWorker[fn];
    if (typeof f !== 'function') throw new Error(`worker has no function ${fn}`);
    current = id;
    self.postMessage({ id, started: true });
    const t0 = performance.now();
    if (exited) throw new Error('the engine in this worker has stopped');
    const raw = f(...args);
    if (raw === undefined) exited = true; // an exported function returns nothing only once Go has exited
    if (exited) throw new Error('the engine in this worker stopped during the computation (out of memory?)');
    const out = JSON.parse(raw);
    const ms = performance.now() - t0;
    if (out && typeof out === 'object' && out.error) throw new Error(out.error);
    self.postMessage({ id, ok: true, value: out, ms });
  } catch (err) {
    self.postMessage({ id, ok: false, error: err.message, dead: exited });
  }
}
