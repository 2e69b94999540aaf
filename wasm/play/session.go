package play

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/search"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

// Config is the search configuration a state stands for: the engine's
// defaults (the paper's controller settings) with the page's settings.
func (s State) Config() search.Config {
	c := search.DefaultConfig()
	c.Dataset, c.Device, c.Objective, c.Target, c.Alpha = s.Dataset, s.Device, s.Objective, s.Target, s.Alpha
	c.Algo, c.Seed, c.Episodes = s.Algo, s.Seed, s.Episodes
	return c
}

// Session is one search of the page, with every episode kept for the charts
// and the exports.
type Session struct {
	State State
	env   Env
	run   *search.Run
	cost  []float32 // the objective's column
	// The network the search's score ranks first under T: fixed for the
	// session, so found once rather than on every Card.
	best   tables.OracleResult
	points []search.Point
}

// Start begins the search a state describes.
func (e Env) Start(s State) (*Session, error) {
	var scores []float32
	if s.Algo != search.OracleScore { // oracle-score scores by validation accuracy
		var err error
		if scores, err = e.Scores(s.Dataset, s.Indicator); err != nil {
			return nil, err
		}
	}
	run, err := search.New(s.Config(), e.Tables, scores)
	if err != nil {
		return nil, err
	}
	if scores == nil {
		scores = e.Tables.ValidAccs(s.Dataset)
	}
	cost := e.Tables.Costs(s.Dataset, s.Device, s.Objective)
	return &Session{
		State: s, env: e, run: run, cost: cost, points: make([]search.Point, 0, s.Episodes),
		best: tables.Best(cost, s.Target, scores),
	}, nil
}

// Step runs one episode. It returns the episode, the policy's probabilities
// at its six decisions (nil for algorithms without a policy; valid until
// the next Step) and false once the budget is spent.
func (s *Session) Step() (search.Point, [][space.NumOps]float64, bool) {
	ev, ok := s.run.Step()
	if !ok {
		return search.Point{}, nil, false
	}
	return s.record(ev), ev.Probs, true
}

// record keeps an episode for the charts and the exports.
func (s *Session) record(ev search.Event) search.Point {
	p := s.run.Point(ev)
	s.points = append(s.points, p)
	return p
}

// Done reports whether the budget is spent.
func (s *Session) Done() bool { return s.run.Done() }

// Points are the episodes run so far.
func (s *Session) Points() []search.Point { return s.points }

// Result is the engine's result so far.
func (s *Session) Result() search.Result { return s.run.Result() }

// Card is the result card: every value as the page prints it. Numbers are
// printed as the shortest decimal that reads back as the same float32 (the
// tables' precision), the form "nasplay search --json" writes too, so the
// page and the CLI show the same digits.
type Card struct {
	Done          bool   `json:"done"`
	Episodes      int    `json:"episodes"`
	Found         bool   `json:"found"` // some sampled network has a known cost
	Arch          string `json:"arch"`
	Index         int    `json:"index"`
	TestAcc       string `json:"testAcc"`
	LatencyMs     string `json:"latencyMs"`
	EnergyMJ      string `json:"energyMJ"`  // "" where the device has no energy data
	Objective     string `json:"objective"` // what T bounds: "latency" or "energy"
	Cost          string `json:"cost"`      // the pick's latency or energy, as the objective
	ParamsM       string `json:"paramsM"`
	FlopsM        string `json:"flopsM"`
	Score         string `json:"score"`
	ScoreNorm     string `json:"scoreNorm"`
	MeetsTarget   bool   `json:"meetsTarget"`
	FeasibleFound bool   `json:"feasibleFound"`
	Feasible      int    `json:"feasible"` // networks of the space that meet T
	OracleIndex   int    `json:"oracleIndex"`
	OracleArch    string `json:"oracleArch"`
	OracleTestAcc string `json:"oracleTestAcc"`
	OracleCost    string `json:"oracleCost"` // its latency or energy, as the objective
	Regret        string `json:"regret"`
	// The network the search's score ranks first among all that meet T
	// (tables.Best): what a search that saw every network would pick.
	ScoreBestIndex   int    `json:"scoreBestIndex"` // -1 when none meets T
	ScoreBestTestAcc string `json:"scoreBestTestAcc"`
	ScoreBestCost    string `json:"scoreBestCost"`
	TraceHash        string `json:"traceHash"`
	Paper            string `json:"paper"`     // the paper's Table 1 cell, "" when it has none
	PaperNote        string `json:"paperNote"` // how its setting differs from this one
}

// Exact prints a number as the shortest decimal that reads back as the
// same float32, in the form nasplay's JSON uses (strconv's 'g': an
// exponent below 1e-4 and from 1e6, e.g. an os score of -2.2317467e-05);
// NaN (unknown) prints as "—".
func Exact(x float64) string {
	if math.IsNaN(x) {
		return "—"
	}
	return strconv.FormatFloat(float64(float32(x)), 'g', -1, 32)
}

// Card returns the result card of the search so far.
func (s *Session) Card() Card {
	st, t := s.State, s.env.Tables
	r := s.run.Result()
	o, cost := s.run.Oracle(), s.cost
	c := Card{
		Done: s.run.Done(), Episodes: r.Episodes, Index: r.Index, Found: r.Index >= 0,
		MeetsTarget: r.MeetsTarget, FeasibleFound: r.FeasibleFound, Feasible: o.Feasible,
		OracleIndex: o.Index, OracleTestAcc: Exact(r.OracleTestAcc), Regret: Exact(r.Regret),
		TraceHash: r.TraceHash, TestAcc: "—", LatencyMs: "—", ParamsM: "—", FlopsM: "—", Score: "—", ScoreNorm: "—",
		Objective: st.Objective.String(), Cost: "—", OracleCost: "—",
	}
	if o.Index >= 0 {
		c.OracleArch = t.Arch(o.Index).String()
		c.OracleCost = Exact(float64(cost[o.Index]))
	}
	c.ScoreBestIndex, c.ScoreBestTestAcc, c.ScoreBestCost = -1, "—", "—"
	if b := s.best; b.Index >= 0 {
		c.ScoreBestIndex = b.Index
		c.ScoreBestTestAcc = Exact(float64(t.TestAccs(st.Dataset)[b.Index]))
		c.ScoreBestCost = Exact(float64(cost[b.Index]))
	}
	if r.Index >= 0 {
		i := r.Index
		c.Arch = r.Arch.String()
		c.TestAcc, c.LatencyMs, c.Cost = Exact(r.TestAcc), Exact(r.LatencyMs), Exact(float64(cost[i]))
		c.ParamsM, c.FlopsM = Exact(float64(t.ParamsM(st.Dataset)[i])), Exact(float64(t.FlopsM(st.Dataset)[i]))
		c.Score, c.ScoreNorm = Exact(r.Score), Exact(r.ScoreNorm)
		if r.Score == scores.Worst { // a sentinel, no number to show
			c.Score = "worst (undefined for this network)"
		}
		if st.Device.HasEnergy() {
			c.EnergyMJ = Exact(r.EnergyMJ)
		}
	}
	if p, pt, ok := st.Paper(); ok {
		c.Paper = fmt.Sprintf("%.2f %% / %.2f ms", p.TestAcc, p.LatencyMs)
		if st.Config().IsPaperSetting() {
			c.PaperNote = "this setting, mean of 50 seeds"
		} else {
			c.PaperNote = fmt.Sprintf("at rl, latency T = %g ms, α = 0.9, 500 episodes, mean of 50 seeds — this run differs", pt)
		}
	}
	return c
}

// Export is a whole run as the page's JSON export writes it.
type Export struct {
	Tool   string        `json:"tool"`
	Query  string        `json:"query"` // the page URL's query: opening it restores the run (run=1 once it is done, as the page's URL)
	Config search.Config `json:"config"`
	// Indicator is the score the search maximized (the search's Config
	// takes the scores themselves, not their name).
	Indicator string         `json:"indicator"`
	Tables    string         `json:"tablesChecksum"`
	Card      Card           `json:"result"`
	Episodes  []search.Point `json:"episodes"`
}

// JSON exports the run: settings, result card and every episode.
// The query's "&" stays readable: the file is data, never HTML.
func (s *Session) JSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	// The page's URL says run=1 exactly when the run is done, however the
	// page was opened: so does the export's query.
	st := s.State
	st.Run = s.Done()
	err := enc.Encode(Export{
		Tool: "nasplay", Query: st.Query(), Config: s.State.Config(), Indicator: s.State.ScoreName(), Tables: s.env.Tables.Checksum(),
		Card: s.Card(), Episodes: s.points,
	})
	return b.Bytes(), err
}

// CSV exports the episodes, one row each (search.WriteCSV).
func (s *Session) CSV() []byte {
	var b bytes.Buffer
	search.WriteCSV(&b, s.State.Objective, s.points) // a bytes.Buffer does not fail
	return b.Bytes()
}

// Feasible is what the T slider shows: how many networks meet T on (d, v)
// under objective o, and the best of them.
type Feasible struct {
	Count       int    `json:"count"`
	OracleIndex int    `json:"oracleIndex"` // -1 when none meets T
	OracleArch  string `json:"oracleArch"`
	OracleAcc   string `json:"oracleAcc"`
	OracleCost  string `json:"oracleCost"` // its latency or energy
}

// Feasible counts the networks meeting T and finds the oracle among them.
func (e Env) Feasible(d tables.Dataset, v tables.Device, o tables.Objective, target float64) Feasible {
	cost := e.Tables.Costs(d, v, o)
	r := tables.Best(cost, target, e.Tables.TestAccs(d))
	f := Feasible{Count: r.Feasible, OracleIndex: r.Index}
	if r.Index >= 0 {
		f.OracleArch = e.Tables.Arch(r.Index).String()
		f.OracleAcc = Exact(float64(e.Tables.TestAccs(d)[r.Index]))
		f.OracleCost = Exact(float64(cost[r.Index]))
	}
	return f
}
