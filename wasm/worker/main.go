//go:build js

// Command worker is nasplay's engine-only WebAssembly (no ebiten, no
// search): it computes the training-free indicators of one network at a
// time with engine/indicator, for live scoring and the indicator lab, and
// answers the lab's questions about the precomputed table. site/worker.js
// runs one instance per Web Worker, so several networks are computed at once
// on several cores while the page stays smooth; the lab also asks one
// instance for the table's columns and correlations.
//
// The functions are on globalThis.nasplayWorker. Each returns a JSON string,
// an object with an "error" member when it failed.
package main

import (
	"fmt"
	"strings"
	"syscall/js"
	"time"

	"github.com/nasplay/nasplay/engine/indicator"
	"github.com/nasplay/nasplay/engine/reward"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
	"github.com/nasplay/nasplay/wasm/jsbridge"
)

// worker holds the assets handed over so far and the evaluators made.
type worker struct {
	calib *indicator.Calib
	tab   *scores.Table  // nil until the indicator table is loaded
	bt    *tables.Tables // nil until the benchmark tables are loaded
	// evals keeps one Evaluator per configuration and dataset: its inputs
	// (images, Cutout variants, noise, patches) depend on those alone, so
	// making them once saves their cost on every later network.
	evals map[evalKey]*indicator.Evaluator
}

type evalKey struct {
	version string
	d       tables.Dataset
}

// maxEvaluators bounds the evaluators kept: the lab's knobs make a new
// configuration at every change.
const maxEvaluators = 8

func main() {
	w := &worker{evals: map[evalKey]*indicator.Evaluator{}}
	js.Global().Set("nasplayWorker", w.exports())
	select {} // serve calls until the worker is terminated
}

func (w *worker) exports() map[string]any {
	fns := map[string]jsbridge.Func{
		"load":        w.load,
		"classes":     w.classes,
		"compute":     w.compute,
		"column":      w.column,
		"correlation": w.correlation,
		"network":     w.network,
		"names":       w.names,
	}
	return jsbridge.Export(fns, true)
}

// load decodes an asset: load(kind, bytes) with kind "calib", "tables" or
// "indicators" and the file's bytes as a Uint8Array.
func (w *worker) load(args []js.Value) (any, error) {
	if len(args) < 2 {
		return nil, fmt.Errorf("want (kind, Uint8Array)")
	}
	kind := args[0].String()
	b, err := jsbridge.Bytes(args, 1, kind)
	if err != nil {
		return nil, err
	}
	switch kind {
	case "calib":
		c, err := indicator.DecodeCalib(b)
		if err != nil {
			return nil, err
		}
		w.calib = c
		return map[string]int{"images": c.Len()}, nil
	case "tables":
		t, err := tables.Decode(b)
		if err != nil {
			return nil, fmt.Errorf("tables.msgpack is not a valid tables asset: %v", err)
		}
		w.bt = t
		return map[string]string{"checksum": t.Checksum()}, nil
	case "indicators":
		t, err := scores.DecodeTable(b)
		if err != nil {
			return nil, err
		}
		w.tab = t
		return map[string]any{"config_version": t.Config().Version(), "config": t.Config()}, nil
	}
	return nil, fmt.Errorf("unknown asset kind %q (want calib, tables or indicators)", kind)
}

// names lists the indicators the loaded assets can show, the default
// configuration (the table's when it is loaded) and its version.
func (w *worker) names([]js.Value) (any, error) {
	out := struct {
		Names         []string      `json:"names"`
		Config        scores.Config `json:"config"`
		ConfigVersion string        `json:"config_version"`
		Table         bool          `json:"table"`
	}{Names: []string{scores.Params, scores.Flops}, Config: scores.Default(), Table: w.tab != nil}
	if w.tab != nil {
		out.Names, out.Config = scores.AllNames(), w.tab.Config()
	}
	out.ConfigVersion = out.Config.Version()
	return out, nil
}

// classes maps every architecture string to its isomorphism class (the
// Code of its Canonical cell), in Code order, so that the page caches
// results per class without knowing the pruning rules.
func (w *worker) classes([]js.Value) (any, error) {
	out := struct {
		Archs []string `json:"archs"`
		Class []int    `json:"class"`
	}{make([]string, space.Size), make([]int, space.Size)}
	for c := 0; c < space.Size; c++ {
		a := space.FromCode(c)
		out.Archs[c], out.Class[c] = a.String(), a.Canonical().Code()
	}
	return out, nil
}

// Result is one network's live indicators, with the fields of
// "nasplay indicators compute --json" that depend on the network's class
// only (the page takes index, params and FLOPs from its own tables), plus
// the class itself, so the page caches the values per class.
type Result struct {
	Arch          string  `json:"arch"`
	Class         string  `json:"class"` // the canonical cell
	Dataset       string  `json:"dataset"`
	ConfigVersion string  `json:"config_version"`
	Seconds       float64 `json:"seconds"`
	scores.Report
}

// compute(arch, dataset, configJSON[, maxBytes]) computes every raw
// indicator of one network now, and fi when the configuration is the
// indicator table's. An empty configJSON is the table's configuration, or
// the default one before the table is loaded. A configuration estimated to
// need more than maxBytes (default maxFootprint) is refused at once.
func (w *worker) compute(args []js.Value) (any, error) {
	if len(args) < 3 {
		return nil, fmt.Errorf("want (arch, dataset, configJSON)")
	}
	if w.calib == nil {
		return nil, fmt.Errorf("the calibration images are not loaded")
	}
	a, err := space.Parse(args[0].String())
	if err != nil {
		return nil, err
	}
	d, err := tables.ParseDataset(args[1].String())
	if err != nil {
		return nil, err
	}
	cfg := scores.Default()
	if w.tab != nil {
		cfg = w.tab.Config() // the live search's scores are normalized by the table
	}
	if s := args[2].String(); s != "" {
		if cfg, err = scores.ParseConfig([]byte(s)); err != nil {
			return nil, err
		}
	}
	limit := int64(maxFootprint)
	if len(args) > 3 && !args[3].IsUndefined() {
		// A cap that is no number of bytes would be the default unsaid (a
		// string) or refuse everything (NaN, 0).
		if t := args[3].Type(); t != js.TypeNumber {
			return nil, fmt.Errorf("want maxBytes as a positive number of bytes, not a %s", t)
		} else if v := args[3].Float(); !(v >= 1) {
			return nil, fmt.Errorf("want maxBytes as a positive number of bytes, not %v", v)
		}
		limit = int64(args[3].Float()) // +Inf saturates to the largest int64
	}
	// A disconnected cell builds no network (its indicators are the worst
	// score): it needs no memory, whatever the configuration.
	if need := indicator.Footprint(cfg, d, 1); need > limit && a.Canonical().Connected() {
		return nil, fmt.Errorf("this configuration needs about %.1f GB of memory (estimated for the heaviest cell), more than this page's engine can count on (%.1f GB): lower the batch, C or N", float64(need)/1e9, float64(limit)/1e9)
	}
	start := time.Now()
	key := evalKey{cfg.Version(), d}
	ev := w.evals[key]
	if ev == nil {
		if ev, err = indicator.NewEvaluator(cfg, w.calib, d); err != nil {
			return nil, err
		}
		ev.Progress = progress
		if len(w.evals) >= maxEvaluators {
			clear(w.evals)
		}
		w.evals[key] = ev
	}
	raw, err := ev.Evaluate(a)
	if err != nil {
		return nil, err
	}
	res := Result{Arch: a.String(), Class: a.Canonical().String(), Dataset: d.String(), ConfigVersion: cfg.Version(),
		Seconds: time.Since(start).Seconds(), Report: scores.NewReport(raw, cfg, w.tab, d)}
	return res, nil
}

// maxFootprint is the most memory a computation may be estimated to need
// (indicator.Footprint). A page's WebAssembly memory ends at 4 GiB (Go's
// heap in headless Chromium grew to 3.9 GiB before it failed), and the
// collector and the estimate's error need room within it; beyond this,
// the engine would run for minutes and then die. A fourth argument to
// compute replaces it (tests raise it to make a worker run out of memory).
const maxFootprint = 3 << 30

// progress tells site/worker.js which indicators the engine works on.
func progress(names ...string) {
	if f := js.Global().Get("nasplayProgress"); f.Type() == js.TypeFunction {
		f.Invoke(strings.Join(names, ", "))
	}
}

// scores returns an indicator's column for a dataset argument.
func (w *worker) scores(ds, name string) (tables.Dataset, []float32, error) {
	if w.bt == nil {
		return 0, nil, fmt.Errorf("the benchmark tables are not loaded")
	}
	d, err := tables.ParseDataset(ds)
	if err != nil {
		return 0, nil, err
	}
	s, err := scores.Column(w.tab, w.bt, d, name)
	return d, s, err
}

// column(dataset, name) returns, by benchmark index, an indicator's raw
// scores, their normalized mid-rank (what the search's reward uses, so
// the lab's scatter is the one Spearman's ρ measures) and the test accuracy.
func (w *worker) column(args []js.Value) (any, error) {
	if len(args) < 2 {
		return nil, fmt.Errorf("want (dataset, indicator)")
	}
	d, s, err := w.scores(args[0].String(), args[1].String())
	if err != nil {
		return nil, err
	}
	r, err := reward.Rank(s)
	if err != nil {
		return nil, err
	}
	return struct {
		Raw     []float32 `json:"raw"`
		Norm    []float64 `json:"norm"`
		TestAcc []float32 `json:"testAcc"`
	}{s, r.Norm, w.bt.TestAccs(d)}, nil
}

// correlation(dataset, name) is Spearman's ρ and Kendall's τ-b of an
// indicator with test accuracy over all 15,625 networks, as
// "nasplay correlate" reports them for the subset "all".
func (w *worker) correlation(args []js.Value) (any, error) {
	if len(args) < 2 {
		return nil, fmt.Errorf("want (dataset, indicator)")
	}
	d, s, err := w.scores(args[0].String(), args[1].String())
	if err != nil {
		return nil, err
	}
	x := make([]float64, len(s))
	y := make([]float64, len(s))
	acc := w.bt.TestAccs(d)
	for i, v := range s {
		x[i], y[i] = float64(v), float64(acc[i])
	}
	return indicator.Correlation{Indicator: args[1].String(), Dataset: d.String(), Subset: indicator.SubsetAll,
		Spearman: indicator.Spearman(x, y), Kendall: indicator.Kendall(x, y), N: len(x),
		Worst: countWorst(s)}, nil
}

func countWorst(s []float32) int {
	n := 0
	for _, v := range s {
		if v == scores.Worst {
			n++
		}
	}
	return n
}

// network(dataset, index) is one network's benchmark numbers and its
// precomputed indicators (when the table is loaded).
func (w *worker) network(args []js.Value) (any, error) {
	if w.bt == nil {
		return nil, fmt.Errorf("the benchmark tables are not loaded")
	}
	if len(args) < 2 || args[1].Type() != js.TypeNumber {
		return nil, fmt.Errorf("want (dataset, index)")
	}
	d, err := tables.ParseDataset(args[0].String())
	if err != nil {
		return nil, err
	}
	i := args[1].Int()
	if i < 0 || i >= w.bt.Len() {
		return nil, fmt.Errorf("index %d outside [0, %d)", i, w.bt.Len())
	}
	num := func(c []float32) *float64 {
		if v, ok := tables.Value(c, i); ok {
			return &v
		}
		return nil // unknown, shown as such
	}
	type device struct {
		Name      string   `json:"name"`
		Title     string   `json:"title"`
		LatencyMs *float64 `json:"latencyMs"`
		EnergyMJ  *float64 `json:"energyMJ,omitempty"`
	}
	a := w.bt.Arch(i)
	out := struct {
		Index     int                  `json:"index"`
		Arch      string               `json:"arch"`
		Class     string               `json:"class"`
		Connected bool                 `json:"connected"`
		Live      [space.NumEdges]bool `json:"live"` // edges on a path from input to output
		TestAcc   *float64             `json:"testAcc"`
		ValidAcc  *float64             `json:"validAcc"`
		ValidCol  string               `json:"validColumn"`
		ParamsM   *float64             `json:"paramsM"`
		FlopsM    *float64             `json:"flopsM"`
		Devices   []device             `json:"devices"`
		Table     map[string]float64   `json:"table"`
	}{Index: i, Arch: a.String(), Class: a.Canonical().String(), Connected: a.Connected(), Live: a.Live(),
		TestAcc: num(w.bt.TestAccs(d)), ValidAcc: num(w.bt.ValidAccs(d)), ValidCol: tables.ValidColumn(d),
		ParamsM: num(w.bt.ParamsM(d)), FlopsM: num(w.bt.FlopsM(d)), Table: map[string]float64{}}
	for _, v := range tables.Devices() {
		dv := device{Name: v.String(), Title: v.Title(), LatencyMs: num(w.bt.Latencies(d, v))}
		if e := w.bt.Energies(d, v); e != nil {
			dv.EnergyMJ = num(e)
		}
		out.Devices = append(out.Devices, dv)
	}
	if w.tab != nil {
		for _, name := range scores.Names() {
			s, err := scores.Column(w.tab, w.bt, d, name)
			if err != nil {
				return nil, err
			}
			out.Table[name] = float64(s[i])
		}
	}
	return out, nil
}
