package indicator

import (
	"math"

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
