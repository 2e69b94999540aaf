package indicator

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat"

	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/tables"
)

// FusionForm is a form of the fusion that CompareFusions tries.
type FusionForm struct {
	Degree    int  // of the additive polynomial in each input's rank: 1 linear, 2 quadratic (fi), 3 cubic
	Connected bool // fit splits drawn among connected cells only (fi)
}

func (f FusionForm) String() string {
	name := [...]string{1: "linear", 2: "quadratic", 3: "cubic"}[f.Degree]
	if f.Connected {
		name += ", connected split"
	}
	return name
}

// FusionForms are the forms CompareFusions tries by default; fi is
// {2, true}.
func FusionForms() []FusionForm {
	return []FusionForm{{1, false}, {1, true}, {2, false}, {2, true}, {3, true}}
}

// FusionScore is how well one form of the fusion ranks a dataset's
// networks by validation accuracy, over many random fit splits.
type FusionScore struct {
	Form    string `json:"form"`
	Dataset string `json:"dataset"`
	Splits  int    `json:"splits"`
	// Spearman is the mean over the splits of ρ between the fusion and
	// validation accuracy on the networks outside the split; SD its
	// standard deviation across splits.
	Spearman float64 `json:"spearman"`
	SD       float64 `json:"sd"`
	// Top1 is the mean over the splits of the mean validation accuracy of
	// the 1 % of networks outside the split that the fusion ranks highest.
	Top1 float64 `json:"top1_valid_acc"`
}

// CompareFusions measures, on validation accuracy only, how each form of
// the fusion of the table's raw indicators ranks dataset d: each form is
// fit (as the table's fi: CJ form chosen on the split, least squares to
// the split's validation rank) on the same random fit splits, splits of
// them of FitSize networks each, drawn from seed, and scored on all other
// networks.
// This is how fi's form was chosen (README, "Correlation with test
// accuracy").
func CompareFusions(tab *scores.Table, bt *tables.Tables, d tables.Dataset, forms []FusionForm, splits int, seed uint64) ([]FusionScore, error) {
	if splits < 2 {
		return nil, fmt.Errorf("compare fusions: %d splits, want at least 2", splits)
	}
	for _, f := range forms {
		if f.Degree < 1 || f.Degree > 3 {
			return nil, fmt.Errorf("compare fusions: degree %d, want 1 to 3", f.Degree)
		}
	}
	n := bt.Len()
	var ranks [scores.NumRaw][]float64
	worst := make([]bool, n) // some input has the defined worst score
	for k := range ranks {
		col, err := scores.Column(tab, bt, d, scores.Names()[k])
		if err != nil {
			return nil, err
		}
		x := make([]float64, n)
		for i, v := range col {
			x[i] = float64(v)
			worst[i] = worst[i] || v == scores.Worst
		}
		ranks[k] = normRanks(x)
	}
	valid := make([]float64, n)
	for i, v := range bt.ValidAccs(d) {
		valid[i] = float64(v)
	}
	connected := make([]bool, n)
	for i := range connected {
		connected[i] = bt.Arch(i).Connected()
	}

	rhos := make([][]float64, len(forms))
	tops := make([]float64, len(forms))
	for s := 0; s < splits; s++ {
		perm := rand.New(rand.NewPCG(seed, uint64(s))).Perm(n)
		for fi, form := range forms {
			var fit []int
			for _, i := range perm {
				if len(fit) == FitSize {
					break
				}
				if connected[i] || !form.Connected {
					fit = append(fit, i)
				}
			}
			y := make([]float64, len(fit))
			for r, i := range fit {
				y[r] = valid[i]
			}
			col := func(k int) []float64 {
				x := make([]float64, len(fit))
				for r, i := range fit {
					x[r] = ranks[k][i]
				}
				return x
			}
			inputs, w, err := fitPoly(col, normRanks(y), form.Degree)
			if err != nil {
				return nil, fmt.Errorf("compare fusions: %v, %v: %v", d, form, err)
			}
			inFit := make([]bool, n)
			for _, i := range fit {
				inFit[i] = true
			}
			var pred, acc []float64
			r := make([]float64, len(inputs))
			for i := 0; i < n; i++ {
				if inFit[i] {
					continue
				}
				v := scores.Worst
				if !worst[i] {
					for c, k := range inputs {
						r[c] = ranks[k][i]
					}
					v = polyValue(w, r)
				}
				pred, acc = append(pred, v), append(acc, valid[i])
			}
			rhos[fi] = append(rhos[fi], Spearman(pred, acc))
			tops[fi] += topMean(pred, acc, len(pred)/100) / float64(splits)
		}
	}
	out := make([]FusionScore, len(forms))
	for fi, form := range forms {
		m, sd := stat.MeanStdDev(rhos[fi], nil)
		out[fi] = FusionScore{Form: form.String(), Dataset: d.String(), Splits: splits, Spearman: m, SD: sd, Top1: tops[fi]}
	}
	return out, nil
}

// topMean returns the mean of acc over the k entries with the highest pred
// (ties by position).
func topMean(pred, acc []float64, k int) float64 {
	idx := make([]int, len(pred))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(pred[b], pred[a]) })
	s := 0.0
	for _, i := range idx[:k] {
		s += acc[i]
	}
	return s / float64(k)
}
