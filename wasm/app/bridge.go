//go:build js

package main

import (
	"fmt"
	"math"
	"strconv"
	"syscall/js"

	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/search"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
	"github.com/nasplay/nasplay/wasm/jsbridge"
	"github.com/nasplay/nasplay/wasm/play"
)

// bridge is window.nasplay: the functions the page calls. Every function
// returns a JSON string, an object with an "error" member when it failed,
// so the page shows what went wrong instead of a stalled canvas.
type bridge struct {
	v    *view
	env  play.Env
	sess *play.Session
}

func newBridge(v *view) *bridge { return &bridge{v: v} }

func (b *bridge) exports() map[string]any {
	fns := map[string]jsbridge.Func{
		"load":       b.load,
		"indicators": b.indicators,
		"parse":      b.parse,
		"feasible":   b.feasible,
		"start":      b.start,
		"step":       b.step,
		"propose":    b.propose,
		"score":      b.score,
		"exportJSON": func([]js.Value) (any, error) { return b.export(true) },
		"exportCSV":  func([]js.Value) (any, error) { return b.export(false) },
		"scene":      func([]js.Value) (any, error) { return b.v.title(), nil },
	}
	return jsbridge.Export(fns, false) // the messages say where themselves
}

type named struct {
	Name  string `json:"name"`
	Title string `json:"title"`
}

// baseIndicators are the scores every build has: the benchmark's own
// #params and FLOPs, the baselines the indicators are measured against.
var baseIndicators = []string{scores.Params, scores.Flops}

// menus lists what the page's menus offer.
type menus struct {
	Datasets   []named  `json:"datasets"`
	Devices    []named  `json:"devices"`
	Indicators []string `json:"indicators"`
	// Pending are the indicators that come with the indicator table,
	// while it is not loaded.
	Pending    []string `json:"pending"`
	Algorithms []string `json:"algorithms"`
	Checksum   string   `json:"checksum"`
	MaxEp      int      `json:"maxEpisodes"`
	// EnergyDevices are the devices with energy data: the only ones the
	// energy objective can run on.
	EnergyDevices []string `json:"energyDevices"`
	// DefaultIndicator is the indicator of a link that names none, once
	// it is in Indicators (play.Env.Default).
	DefaultIndicator string `json:"defaultIndicator"`
}

func (b *bridge) menus() menus {
	m := menus{
		Indicators: b.env.Indicators, Pending: []string{}, // [], not null, once none is pending
		Algorithms: play.Algorithms, Checksum: b.env.Tables.Checksum(), MaxEp: play.MaxEpisodes,
		DefaultIndicator: play.DefaultIndicator,
	}
	if len(b.env.Indicators) == len(baseIndicators) {
		m.Pending = scores.Names()
	}
	for _, d := range tables.Datasets() {
		m.Datasets = append(m.Datasets, named{d.String(), d.Title()})
	}
	for _, v := range tables.Devices() {
		m.Devices = append(m.Devices, named{v.String(), v.Title()})
		if v.HasEnergy() {
			m.EnergyDevices = append(m.EnergyDevices, v.String())
		}
	}
	return m
}

// load decodes the tables asset (a Uint8Array) and lists the menus.
func (b *bridge) load(args []js.Value) (any, error) {
	raw, err := jsbridge.Bytes(args, 0, "the tables asset")
	if err != nil {
		return nil, err
	}
	t, err := tables.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("tables.msgpack is not a valid tables asset: %v", err)
	}
	b.env = play.Env{Tables: t, Indicators: baseIndicators, Scores: func(d tables.Dataset, name string) ([]float32, error) {
		return scores.Column(nil, t, d, name)
	}}
	return b.menus(), nil
}

// indicators decodes the indicator table asset and adds its indicators to
// the menu, after the baselines.
func (b *bridge) indicators(args []js.Value) (any, error) {
	if err := b.loaded(); err != nil {
		return nil, err
	}
	raw, err := jsbridge.Bytes(args, 0, "the indicator table")
	if err != nil {
		return nil, err
	}
	it, err := scores.DecodeTable(raw)
	if err != nil {
		return nil, fmt.Errorf("indicators.msgpack is not a valid indicator table: %v", err)
	}
	t := b.env.Tables
	b.env.Indicators = append(append([]string(nil), baseIndicators...), scores.Names()...)
	b.env.Scores = func(d tables.Dataset, name string) ([]float32, error) { return scores.Column(it, t, d, name) }
	return b.menus(), nil
}

// stateJSON is a state as the page's controls hold it.
type stateJSON struct {
	Dataset   string           `json:"ds"`
	Device    string           `json:"dev"`
	Objective string           `json:"obj"`
	Target    float64          `json:"t"`
	Alpha     float64          `json:"alpha"`
	Indicator string           `json:"ind"`
	ScoreName string           `json:"scoreName"` // what the search scores by (play.State.ScoreName)
	Algo      string           `json:"algo"`
	Seed      int64            `json:"seed"`
	Episodes  int              `json:"ep"`
	Speed     int              `json:"speed"`
	Run       bool             `json:"run"`
	Live      bool             `json:"live"`
	Range     play.TargetRange `json:"range"`
	Query     string           `json:"query"`
	Notices   []play.Notice    `json:"notices"`
	Feasible  play.Feasible    `json:"feasible"`
	Paper     *paperJSON       `json:"paper,omitempty"`
}

// paperJSON is a cell of the paper's Table 1, with the latency target it
// belongs to.
type paperJSON struct {
	TestAcc   float64 `json:"testAcc"`
	LatencyMs float64 `json:"latencyMs"`
	TargetMs  float64 `json:"targetMs"`
}

func (b *bridge) loaded() error {
	if b.env.Tables == nil {
		return fmt.Errorf("the tables are not loaded yet")
	}
	return nil
}

// parse validates a URL query and returns the corrected state with its
// notices, the T slider for its dataset, device and objective, and the
// count meeting T.
func (b *bridge) parse(args []js.Value) (any, error) {
	if err := b.loaded(); err != nil {
		return nil, err
	}
	s, notes := b.env.Parse(arg(args, 0))
	out := stateJSON{
		Dataset: s.Dataset.String(), Device: s.Device.String(), Objective: s.Objective.String(), Target: s.Target, Alpha: s.Alpha,
		Indicator: s.Indicator, ScoreName: s.ScoreName(), Algo: s.Algo, Seed: s.Seed, Episodes: s.Episodes, Speed: s.Speed, Run: s.Run, Live: s.Live,
		Range: b.env.Range(s.Dataset, s.Device, s.Objective), Query: s.Query(), Notices: notes,
		Feasible: b.env.Feasible(s.Dataset, s.Device, s.Objective, s.Target),
	}
	if p, pt, ok := s.Paper(); ok {
		out.Paper = &paperJSON{p.TestAcc, p.LatencyMs, pt}
	}
	return out, nil
}

// feasible answers the T slider while it moves: (dataset, device,
// objective, T).
func (b *bridge) feasible(args []js.Value) (any, error) {
	if err := b.loaded(); err != nil {
		return nil, err
	}
	d, err := tables.ParseDataset(arg(args, 0))
	if err != nil {
		return nil, err
	}
	v, err := tables.ParseDevice(arg(args, 1))
	if err != nil {
		return nil, err
	}
	o, err := tables.ParseObjective(arg(args, 2))
	if err != nil {
		return nil, err
	}
	if err := v.CheckSupport(o); err != nil {
		return nil, err
	}
	t, err := strconv.ParseFloat(arg(args, 3), 64)
	if err != nil || !(t > 0) || math.IsInf(t, 1) {
		return nil, fmt.Errorf("%s target %q is not a positive number", o, arg(args, 3))
	}
	return b.env.Feasible(d, v, o, t), nil
}

// start begins the search of a (validated) query and clears the canvas.
func (b *bridge) start(args []js.Value) (any, error) {
	if err := b.loaded(); err != nil {
		return nil, err
	}
	s, notes := b.env.Parse(arg(args, 0))
	if len(notes) > 0 {
		return nil, fmt.Errorf("start: invalid settings: %v", notes[0])
	}
	sess, err := b.env.Start(s)
	if err != nil {
		return nil, err
	}
	b.sess = sess
	b.v.show(scene{title: fmt.Sprintf("Ready: %d episodes of %s; press play or step", s.Episodes, s.Algo), idle: true})
	return sess.Card(), nil
}

// stepResult is what the page draws after a step: the new episodes, and
// the result card.
type stepResult struct {
	Points []search.Point `json:"points"`
	Done   bool           `json:"done"`
	Card   play.Card      `json:"card"`
}

// step runs episodes: step(n, ticks) runs n of them (n ≤ 0: to the end) and
// shows the last on the canvas, its decisions revealed ticks/60 s apart (0:
// at once). When the budget is spent the canvas shows the chosen network.
func (b *bridge) step(args []js.Value) (any, error) {
	if b.sess == nil {
		return nil, fmt.Errorf("step: no search started")
	}
	if b.sess.State.Live {
		return nil, fmt.Errorf("step: this search is scored live (propose, then score)")
	}
	// A count that is no number must not read as 0, "to the end".
	if len(args) < 1 || args[0].Type() != js.TypeNumber || math.IsNaN(args[0].Float()) {
		return nil, fmt.Errorf("step: want the number of episodes (0: to the end)")
	}
	n, ticks := intArg(args, 0), intArg(args, 1)
	out := stepResult{Points: []search.Point{}} // [], not null, when the budget was spent already
	var probs [][space.NumOps]float64
	var last search.Point
	for k := 0; n <= 0 || k < n; k++ {
		p, pr, ok := b.sess.Step()
		if !ok {
			break
		}
		out.Points = append(out.Points, p)
		last, probs = p, pr
	}
	return b.present(out, last, probs, ticks), nil
}

// present completes a step's result with the card and draws it: the last
// episode on the canvas, its decisions revealed ticks/60 s apart (0: at
// once), or the chosen network once the budget is spent.
func (b *bridge) present(out stepResult, last search.Point, probs [][space.NumOps]float64, ticks int) stepResult {
	out.Done, out.Card = b.sess.Done(), b.sess.Card()
	st := b.sess.State
	switch {
	case out.Done:
		r := b.sess.Result()
		title := "No sampled network has a known " + st.Objective.String()
		if r.Index >= 0 {
			verdict := "meets T"
			if !r.MeetsTarget {
				verdict = "misses T: none sampled met it"
			}
			title = fmt.Sprintf("Chosen: #%d, %s %% test acc, %s %s (%s)", r.Index, out.Card.TestAcc, out.Card.Cost, st.Objective.Unit(), verdict)
		}
		b.v.show(scene{title: title, arch: r.Arch, final: true})
	case len(out.Points) > 0:
		title := fmt.Sprintf("Episode %d/%d: reward %.3f", last.Episode+1, st.Episodes, last.Reward)
		if !search.UsesController(st.Algo) {
			title += " (" + st.Algo + ": no policy)"
		}
		var pr [][space.NumOps]float64
		if probs != nil {
			pr = append(pr, probs...) // the engine reuses its buffer
		}
		a, _ := space.Parse(last.Arch)
		b.v.show(scene{title: title, arch: a, probs: pr, step: ticks})
	}
	return out
}

func (b *bridge) export(asJSON bool) (any, error) {
	if b.sess == nil {
		return nil, fmt.Errorf("export: no search to export")
	}
	if asJSON {
		j, err := b.sess.JSON()
		return string(j), err
	}
	return string(b.sess.CSV()), nil
}

func arg(args []js.Value, i int) string {
	if i >= len(args) || args[i].IsNull() || args[i].IsUndefined() {
		return ""
	}
	if args[i].Type() == js.TypeString {
		return args[i].String()
	}
	return args[i].Call("toString").String()
}

func intArg(args []js.Value, i int) int {
	if i >= len(args) || args[i].Type() != js.TypeNumber {
		return 0
	}
	return args[i].Int()
}
