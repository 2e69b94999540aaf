package play

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/nasplay/nasplay/engine/paper"
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

// Point is one episode as the charts and the exports see it.
type Point struct {
	Episode   int      `json:"episode"`
	Index     int      `json:"index"`
	Arch      string   `json:"arch"`
	Score     float64  `json:"score"`
	ScoreNorm float64  `json:"scoreNorm"`
	Cost      *float64 `json:"cost"` // latency (ms) or energy (mJ), as the objective; null when unknown, never 0
	TestAcc   float64  `json:"testAcc"`
	RLat      float64  `json:"rLat"`
	Reward    float64  `json:"reward"`
	Baseline  float64  `json:"baseline"`
	Entropy   float64  `json:"entropy"`
	Best      int      `json:"best"` // the pick so far, -1 while none meets T
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
	points []Point
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
		State: s, env: e, run: run, cost: cost, points: make([]Point, 0, s.Episodes),
		best: tables.Best(cost, s.Target, scores),
	}, nil
}

// Step runs one episode. It returns the episode, the policy's probabilities
// at its six decisions (nil for algorithms without a policy; valid until
// the next Step) and false once the budget is spent.
func (s *Session) Step() (Point, [][space.NumOps]float64, bool) {
	ev, ok := s.run.Step()
	if !ok {
		return Point{}, nil, false
	}
	return s.record(ev), ev.Probs, true
}

// record keeps an episode for the charts and the exports.
func (s *Session) record(ev search.Event) Point {
	p := Point{
		Episode: ev.Episode, Index: ev.Index, Arch: ev.Arch.String(),
		Score: ev.Score, ScoreNorm: ev.ScoreNorm,
		TestAcc: float64(s.env.Tables.TestAccs(s.State.Dataset)[ev.Index]),
		RLat:    ev.RLat, Reward: ev.Reward, Baseline: ev.Baseline, Entropy: ev.Entropy, Best: ev.Best,
	}
	if ev.CostKnown {
		cost := ev.Cost
		p.Cost = &cost
	}
	s.points = append(s.points, p)
	return p
}

// Done reports whether the budget is spent.
func (s *Session) Done() bool { return s.run.Done() }

// Points are the episodes run so far.
func (s *Session) Points() []Point { return s.points }

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
		if st.Device.HasEnergy() {
			c.EnergyMJ = Exact(r.EnergyMJ)
		}
	}
	if p, ok := Paper(st.Dataset, st.Indicator, st.Device); ok {
		c.Paper = fmt.Sprintf("%.2f %% / %.2f ms", p.TestAcc, p.LatencyMs)
		pt, _ := paper.Target(st.Dataset, st.Device)
		switch {
		case st.Algo != search.RL || st.Objective != tables.Latency || st.Target != pt || st.Alpha != DefaultAlpha || st.Episodes != DefaultEps:
			c.PaperNote = fmt.Sprintf("paper: rl, latency T = %g ms, α = 0.9, 500 episodes, mean of 50 seeds — this run differs", pt)
		default:
			c.PaperNote = "paper: same setting, mean of 50 seeds"
		}
	}
	return c
}

// Export is a whole run as the page's JSON export writes it.
type Export struct {
	Tool     string        `json:"tool"`
	Query    string        `json:"query"` // the page URL's query: opening it restores the run
	Config   search.Config `json:"config"`
	Tables   string        `json:"tablesChecksum"`
	Card     Card          `json:"result"`
	Episodes []Point       `json:"episodes"`
}

// JSON exports the run: settings, result card and every episode.
// The query's "&" stays readable: the file is data, never HTML.
func (s *Session) JSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(Export{
		Tool: "nasplay", Query: s.State.Query(), Config: s.State.Config(), Tables: s.env.Tables.Checksum(),
		Card: s.Card(), Episodes: s.points,
	})
	return b.Bytes(), err
}

// csvHeader names the CSV export's columns, one row per episode; the cost
// column is named for the objective (latency_ms or energy_mj).
func csvHeader(o tables.Objective) []string {
	return []string{"episode", "index", "arch", "score", "score_norm", o.String() + "_" + strings.ToLower(o.Unit()), "test_acc", "r_lat", "reward", "baseline", "entropy", "best"}
}

// CSV exports the episodes, one row each; an unknown cost is empty.
func (s *Session) CSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(csvHeader(s.State.Objective))
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	for _, p := range s.points {
		cost := ""
		if p.Cost != nil {
			cost = g(*p.Cost)
		}
		w.Write([]string{
			strconv.Itoa(p.Episode), strconv.Itoa(p.Index), p.Arch, g(p.Score), g(p.ScoreNorm), cost,
			g(p.TestAcc), g(p.RLat), g(p.Reward), g(p.Baseline), g(p.Entropy), strconv.Itoa(p.Best),
		})
	}
	w.Flush()
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
