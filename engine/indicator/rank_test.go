package indicator

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat"
)

func TestRankCorrelations(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	x, y := make([]float64, 300), make([]float64, 300)
	for i := range x {
		x[i] = r.NormFloat64()
		y[i] = x[i] + r.NormFloat64()
	}
	// Without ties τ-b is τ-a, which gonum computes.
	if got, want := Kendall(x, y), stat.Kendall(x, y, nil); math.Abs(got-want) > 1e-12 {
		t.Errorf("Kendall = %v, gonum τ-a %v", got, want)
	}
	// A monotone transform leaves rank correlations unchanged.
	ex := make([]float64, len(x))
	for i, v := range x {
		ex[i] = math.Exp(v)
	}
	if a, b := Spearman(x, y), Spearman(ex, y); a != b || a < 0.5 {
		t.Errorf("Spearman %v, after exp %v", a, b)
	}
	// Ties: x = (1,1,2), y = (1,2,3): one tied pair in x, two concordant:
	// τ-b = 2/√(3·2).
	if got, want := Kendall([]float64{1, 1, 2}, []float64{1, 2, 3}), 2/math.Sqrt(6); math.Abs(got-want) > 1e-15 {
		t.Errorf("Kendall with ties = %v, want %v", got, want)
	}
}
