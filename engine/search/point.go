package search

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/tables"
)

// A Point is one episode as the page's charts and every export keep it:
// the Event without the policy's probabilities, with the network's test
// accuracy from the tables. The benchmark's values and the scores are
// float32, as the tables hold them (a live score is rounded to float32 as
// the result card shows it), so that an export prints 93.34333 and not
// the widened 93.34333038330078.
type Point struct {
	Episode   int      `json:"episode"`
	Index     int      `json:"index"`
	Arch      string   `json:"arch"`
	Score     float32  `json:"score"`
	ScoreNorm float64  `json:"scoreNorm"`
	Cost      *float32 `json:"cost"` // latency (ms) or energy (mJ), as the objective; null when unknown, never 0
	TestAcc   float32  `json:"testAcc"`
	RLat      float64  `json:"rLat"`
	Reward    float64  `json:"reward"`
	Baseline  float64  `json:"baseline"`
	Entropy   float64  `json:"entropy"`
	Best      int      `json:"best"` // the pick so far, -1 while none meets T
}

// MarshalJSON writes a worst score (scores.Worst: undefined for the
// network) as null, as the CSV leaves it empty.
func (p Point) MarshalJSON() ([]byte, error) {
	type plain Point // without this method
	var score *float32
	if p.Score != scores.Worst {
		score = &p.Score
	}
	return json.Marshal(struct {
		plain
		Score *float32 `json:"score"` // shadows plain's
	}{plain(p), score})
}

// Point returns the run's event ev as a Point.
func (r *Run) Point(ev Event) Point {
	p := Point{
		Episode: ev.Episode, Index: ev.Index, Arch: ev.Arch.String(),
		Score: float32(ev.Score), ScoreNorm: ev.ScoreNorm,
		TestAcc: r.t.TestAccs(r.c.Dataset)[ev.Index],
		RLat:    ev.RLat, Reward: ev.Reward, Baseline: ev.Baseline, Entropy: ev.Entropy, Best: ev.Best,
	}
	if ev.CostKnown {
		cost := float32(ev.Cost) // exact: the cost came from a float32 column
		p.Cost = &cost
	}
	return p
}

// WriteCSV writes the points one row per episode, after a header whose cost
// column is named for the objective (latency_ms or energy_mj); an unknown
// cost is an empty field, and so is a worst score (scores.Worst: undefined
// for the network, no number to print). Numbers are the shortest decimals that read back
// as the same value, float32 or float64 as the Point holds it.
func WriteCSV(w io.Writer, o tables.Objective, points []Point) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"episode", "index", "arch", "score", "score_norm", o.String() + "_" + strings.ToLower(o.Unit()),
		"test_acc", "r_lat", "reward", "baseline", "entropy", "best"})
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	g32 := func(x float32) string { return strconv.FormatFloat(float64(x), 'g', -1, 32) }
	for _, p := range points {
		cost, score := "", "" // empty: unknown cost; a worst score (undefined for the network)
		if p.Score != scores.Worst {
			score = g32(p.Score)
		}
		if p.Cost != nil {
			cost = g32(*p.Cost)
		}
		cw.Write([]string{
			strconv.Itoa(p.Episode), strconv.Itoa(p.Index), p.Arch, score, g(p.ScoreNorm), cost,
			g32(p.TestAcc), g(p.RLat), g(p.Reward), g(p.Baseline), g(p.Entropy), strconv.Itoa(p.Best),
		})
	}
	cw.Flush()
	return cw.Error()
}
