package scores

import (
	"slices"
	"sort"
)

// Ranker maps values to their normalized mid-rank within a reference
// column, also for values not in the column: the rank a value would have
// among the reference values, divided by their number (in (0, 1] for the
// column's own values).
type Ranker struct{ sorted []float64 }

// NewRanker returns the Ranker of the reference column col.
func NewRanker(col []float32) Ranker {
	s := make([]float64, len(col))
	for i, v := range col {
		s[i] = float64(v)
	}
	slices.Sort(s)
	return Ranker{s}
}

// Rank returns the normalized mid-rank of v among the reference values.
func (r Ranker) Rank(v float64) float64 {
	lo := sort.SearchFloat64s(r.sorted, v)
	hi := lo
	for hi < len(r.sorted) && r.sorted[hi] == v {
		hi++
	}
	// Equal values occupy ranks lo+1..hi; a new value sits between lo and lo+1.
	return (float64(lo+hi) + 1) / 2 / float64(len(r.sorted))
}
