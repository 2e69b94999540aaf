package indicator

import (
	"fmt"

	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/tables"
)

// Subsets of the benchmark a correlation is reported on.
const (
	SubsetAll       = "all"       // all 15,625 networks
	SubsetConnected = "connected" // networks whose output depends on the input
	SubsetHoldout   = "holdout"   // networks outside the fusion's fit split
)

// Correlation is the rank correlation of one indicator with test accuracy.
type Correlation struct {
	Indicator string  `json:"indicator"`
	Dataset   string  `json:"dataset"`
	Subset    string  `json:"subset"`
	Spearman  float64 `json:"spearman"`
	Kendall   float64 `json:"kendall"`
	N         int     `json:"n"`
	// Worst counts the networks of the subset that got the defined worst
	// score (disconnected cells, NaN or singular computations).
	Worst int `json:"worst"`
}

// Correlate returns Spearman's ρ and Kendall's τ-b of every indicator
// (scores.AllNames) with the test accuracy of dataset d, on each subset.
func Correlate(tab *scores.Table, bt *tables.Tables, d tables.Dataset) ([]Correlation, error) {
	fit := map[int]bool{}
	for _, i := range tab.Fusion(d).Fit {
		fit[i] = true
	}
	subsets := []struct {
		name string
		in   func(i int) bool
	}{
		{SubsetAll, func(int) bool { return true }},
		{SubsetConnected, func(i int) bool { return bt.Arch(i).Connected() }},
		{SubsetHoldout, func(i int) bool { return !fit[i] }},
	}
	acc := bt.TestAccs(d)
	var out []Correlation
	for _, name := range scores.AllNames() {
		s, err := scores.Column(tab, bt, d, name)
		if err != nil {
			return nil, err
		}
		for _, sub := range subsets {
			var x, y []float64
			worst := 0
			for i, v := range s {
				if sub.in(i) {
					x = append(x, float64(v))
					y = append(y, float64(acc[i]))
					if v == scores.Worst {
						worst++
					}
				}
			}
			if len(x) < 2 {
				return nil, fmt.Errorf("correlate %v %s: %d networks in subset %s", d, name, len(x), sub.name)
			}
			out = append(out, Correlation{name, d.String(), sub.name, Spearman(x, y), Kendall(x, y), len(x), worst})
		}
	}
	return out, nil
}
