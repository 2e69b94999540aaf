package indicator

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/nasplay/nasplay/engine/rank"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

// FitSize is the number of networks in the fusion's fit split.
const FitSize = 200

// BuildTable assembles the table from per-class raw indicators (keyed by the
// Code of each class's Canonical cell) for every dataset, copies them to
// all members of each class, and fits each dataset's fusion on validation
// accuracy.
func BuildTable(cfg scores.Config, bt *tables.Tables, classes [tables.NumDatasets]map[int]scores.Raw) (*scores.Table, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if bt.Len() != space.Size {
		return nil, fmt.Errorf("indicator table: benchmark tables have %d rows, want %d", bt.Len(), space.Size)
	}
	var (
		cols   [tables.NumDatasets][scores.NumRaw][]float32
		fusion [tables.NumDatasets]scores.Fusion
		counts [tables.NumDatasets]scores.Counts
	)
	for _, d := range tables.Datasets() {
		for k := range cols[d] {
			cols[d][k] = make([]float32, space.Size)
		}
		for i := 0; i < space.Size; i++ {
			a := bt.Arch(i)
			raw, ok := classes[d][a.Canonical().Code()]
			if !ok {
				return nil, fmt.Errorf("indicator table: %v: no values for class of index %d (%v)", d, i, a)
			}
			if !a.Connected() {
				counts[d].Disconnected++
			}
			for k, v := range raw.Values {
				cols[d][k][i] = float32(v)
				if raw.Invalid[k] {
					cols[d][k][i] = scores.Worst
					if a.Connected() {
						counts[d].Failed[k]++
					}
				}
			}
		}
		f, err := fit(cfg, d, cols[d], bt.ValidAccs(d))
		if err != nil {
			return nil, err
		}
		fusion[d] = f
	}
	return scores.NewTable(cfg, cols, fusion, counts)
}

// FitSplit returns the fusion's fit split for a configuration: FitSize
// benchmark indices drawn without replacement from its seed, ascending.
func FitSplit(cfg scores.Config) []int {
	r := rand.New(rand.NewPCG(cfg.Seed, streamFit))
	fit := r.Perm(space.Size)[:FitSize]
	slices.Sort(fit)
	return fit
}

// fit chooses the CJ form that ranks the fit split's validation accuracy
// better, then fits fi's weights by least squares (gonum QR) on the fit
// split, on the raw columns cols of dataset d. The target is the validation
// accuracy's normalized mid-rank within the split, not the accuracy itself:
// the few broken networks near 10% accuracy dominate a squared error in
// accuracy, and a fit on accuracy ranked the benchmark worse than cj alone
// (README, "Training-free indicators").
func fit(cfg scores.Config, d tables.Dataset, cols [scores.NumRaw][]float32, valid []float32) (scores.Fusion, error) {
	f := scores.Fusion{Fit: FitSplit(cfg)}
	y := make([]float64, len(f.Fit))
	for r, i := range f.Fit {
		y[r] = float64(valid[i])
	}
	y = rank.Mid(y)
	for r := range y {
		y[r] /= float64(len(y))
	}
	column := func(k int) []float64 {
		x := make([]float64, len(f.Fit))
		rk := scores.NewRanker(cols[k])
		for r, i := range f.Fit {
			x[r] = rk.Rank(float64(cols[k][i]))
		}
		return x
	}
	form := scores.CJ
	if Spearman(column(scores.CJEig), y) > Spearman(column(scores.CJ), y) {
		form = scores.CJEig
	}
	inputs := []int{form, scores.NLR, scores.CNNTK, scores.OS}
	x := mat.NewDense(len(f.Fit), len(inputs)+1, nil)
	for c, k := range inputs {
		x.SetCol(c, column(k))
		f.Inputs = append(f.Inputs, scores.Names()[k])
	}
	for r := range f.Fit {
		x.Set(r, len(inputs), 1)
	}
	var w mat.VecDense
	if err := w.SolveVec(x, mat.NewVecDense(len(y), y)); err != nil {
		return f, fmt.Errorf("indicator table: %v: fusion least squares: %v", d, err)
	}
	for c := range inputs {
		f.Weights = append(f.Weights, w.AtVec(c))
	}
	f.Intercept = w.AtVec(len(inputs))
	return f, nil
}
