package indicator

import (
	"math"
	"slices"
	"sort"

	"gonum.org/v1/gonum/stat"

	"github.com/nasplay/nasplay/engine/rank"
)

// Spearman returns Spearman's ρ: Pearson's correlation (gonum's stat) of
// the mid-ranks, which handles ties.
func Spearman(x, y []float64) float64 {
	return stat.Correlation(rank.Mid(x), rank.Mid(y), nil)
}

// Kendall returns Kendall's τ-b, which corrects for ties. gonum's
// stat.Kendall computes τ-a and counts tied pairs as concordant, which
// inflates τ for indicators with many ties (counts, worst scores), so this
// one is written out: O(n²) pair counting.
func Kendall(x, y []float64) float64 {
	var conc, disc, tx, ty float64 // tx/ty: pairs tied only in x/only in y
	for i := range x {
		for j := i + 1; j < len(x); j++ {
			dx, dy := x[i]-x[j], y[i]-y[j]
			switch {
			case dx == 0 && dy == 0:
			case dx == 0:
				tx++
			case dy == 0:
				ty++
			case (dx > 0) == (dy > 0):
				conc++
			default:
				disc++
			}
		}
	}
	return (conc - disc) / math.Sqrt((conc+disc+tx)*(conc+disc+ty))
}

// ranker maps values to their normalized mid-rank (in (0, 1]) within a
// reference column, also for values not in the column: the rank a value
// would have among the reference values, divided by their number.
type ranker struct{ sorted []float64 }

func newRanker(col []float32) ranker {
	s := make([]float64, len(col))
	for i, v := range col {
		s[i] = float64(v)
	}
	slices.Sort(s)
	return ranker{s}
}

func (r ranker) rank(v float64) float64 {
	lo := sort.SearchFloat64s(r.sorted, v)
	hi := lo
	for hi < len(r.sorted) && r.sorted[hi] == v {
		hi++
	}
	// Equal values occupy ranks lo+1..hi; a new value sits between lo and lo+1.
	return (float64(lo+hi) + 1) / 2 / float64(len(r.sorted))
}
