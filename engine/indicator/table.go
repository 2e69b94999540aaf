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
		f, err := fit(cfg, bt, d, cols[d])
		if err != nil {
			return nil, err
		}
		fusion[d] = f
	}
	return scores.NewTable(cfg, cols, fusion, counts)
}

// FitSplit returns the fusion's fit split for a configuration: FitSize
// benchmark indices of connected cells, drawn without replacement from its
// seed, ascending. Disconnected cells are left out because they have no
// indicator values to fit (their fi is the worst score).
func FitSplit(cfg scores.Config, bt *tables.Tables) []int {
	r := rand.New(rand.NewPCG(cfg.Seed, streamFit))
	var fit []int
	for _, i := range r.Perm(space.Size) {
		if bt.Arch(i).Connected() {
			fit = append(fit, i)
		}
		if len(fit) == FitSize {
			break
		}
	}
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
func fit(cfg scores.Config, bt *tables.Tables, d tables.Dataset, cols [scores.NumRaw][]float32) (scores.Fusion, error) {
	f := scores.Fusion{Fit: FitSplit(cfg, bt)}
	valid := bt.ValidAccs(d)
	y := make([]float64, len(f.Fit))
	for r, i := range f.Fit {
		y[r] = float64(valid[i])
	}
	y = normRanks(y)
	column := func(k int) []float64 {
		x := make([]float64, len(f.Fit))
		rk := scores.NewRanker(cols[k])
		for r, i := range f.Fit {
			x[r] = rk.Rank(float64(cols[k][i]))
		}
		return x
	}
	if _, err := fitInputs(column, y, &f); err != nil {
		return f, fmt.Errorf("indicator table: %v: fusion: %v", d, err)
	}
	return f, nil
}

// fitInputs is the fusion's fit, shared by the table and FusionEstimate:
// fitPoly at degree 2, its weights set into f (Inputs, Weights, Squares,
// Intercept). It returns the inputs' indices in Names order.
func fitInputs(col func(k int) []float64, y []float64, f *scores.Fusion) ([]int, error) {
	inputs, w, err := fitPoly(col, y, 2)
	if err != nil {
		return nil, err
	}
	n := len(inputs)
	f.Inputs = nil
	for _, k := range inputs {
		f.Inputs = append(f.Inputs, scores.Names()[k])
	}
	f.Weights, f.Squares, f.Intercept = w[:n], w[n:2*n], w[2*n]
	return inputs, nil
}

// fitPoly chooses the CJ form whose column ranks the target y better, then
// fits y by least squares as an additive polynomial of the given degree in
// that form, nlr, cnntk and os: the weights of every input's first powers,
// then of its squares, and so on, the intercept last. col(k) returns raw
// indicator k on the common scale for the samples of y.
func fitPoly(col func(k int) []float64, y []float64, degree int) ([]int, []float64, error) {
	form, formCol := scores.CJ, col(scores.CJ)
	if eig := col(scores.CJEig); Spearman(eig, y) > Spearman(formCol, y) {
		form, formCol = scores.CJEig, eig
	}
	inputs := []int{form, scores.NLR, scores.CNNTK, scores.OS}
	base := [][]float64{formCol, col(scores.NLR), col(scores.CNNTK), col(scores.OS)}
	// An input with one value everywhere (nlr with very few samples, say)
	// makes the system singular; name it rather than leave gonum's words.
	for c, v := range base {
		if slices.Min(v) == slices.Max(v) {
			return nil, nil, fmt.Errorf("input %s has the same value for all %d networks it is fit on, so it cannot be weighed: change the configuration", scores.Names()[inputs[c]], len(v))
		}
	}
	x := slices.Clone(base)
	for p := 2; p <= degree; p++ {
		for c, v := range base {
			prev, xp := x[(p-2)*len(base)+c], make([]float64, len(v))
			for j := range xp {
				xp[j] = prev[j] * v[j]
			}
			x = append(x, xp)
		}
	}
	w, err := leastSquares(x, y)
	return inputs, w, err
}

// polyValue evaluates fitPoly's fit at one network's input ranks.
func polyValue(w, ranks []float64) float64 {
	n := len(ranks)
	v := w[len(w)-1]
	for c, r := range ranks {
		rp := 1.0
		for p := 0; p < (len(w)-1)/n; p++ {
			rp *= r
			v += w[p*n+c] * rp
		}
	}
	return v
}

// leastSquares fits y ≈ Σ_c w_c·x[c] + w_K by least squares (gonum QR) and
// returns w, the intercept last. Each x[c] is one feature over the samples.
func leastSquares(x [][]float64, y []float64) ([]float64, error) {
	a := mat.NewDense(len(y), len(x)+1, nil)
	for c, col := range x {
		if len(col) != len(y) {
			return nil, fmt.Errorf("least squares: feature %d has %d samples, want %d", c, len(col), len(y))
		}
		a.SetCol(c, col)
	}
	for r := range y {
		a.Set(r, len(x), 1)
	}
	var w mat.VecDense
	if err := w.SolveVec(a, mat.NewVecDense(len(y), y)); err != nil {
		return nil, fmt.Errorf("least squares: %v", err)
	}
	return slices.Clone(w.RawVector().Data), nil
}

// minFitRows is the fewest connected networks FusionEstimate fits fi's nine
// weights to: with fewer than about three per weight, least squares fits
// the noise and the estimate means nothing (a handful of rows still yields
// a minimum-norm solution, silently).
const minFitRows = 30

// FusionEstimate estimates, from a sample of networks alone, how well fi
// ranks them: twofold, it fits the fusion (as the table does: CJ form chosen
// on the fitting half, least squares of normalized mid-ranks) on one half of
// raws against the target acc and returns the mean Spearman ρ on the other
// half, with the CJ form each fold chose. Inputs are ranked within the whole
// sample, which uses no accuracy. Pass validation accuracy, so that a
// configuration is chosen without the test column.
func FusionEstimate(raws []scores.Raw, acc []float64) (rho float64, forms [2]string, err error) {
	n := len(raws)
	if n < 10 || len(acc) != n {
		return 0, forms, fmt.Errorf("fusion estimate: %d networks and %d accuracies, want ≥ 10 of each", n, len(acc))
	}
	var feat [scores.NumRaw][]float64
	for k := range feat {
		col := make([]float64, n)
		for j, r := range raws {
			col[j] = r.Values[k]
		}
		feat[k] = normRanks(col)
	}
	halves := [2][2]int{{0, n / 2}, {n / 2, n}}
	for fold, tr := range halves {
		te := halves[1-fold]
		// As in the table: fit on the connected networks (some value
		// defined), and a network with the worst score in an input gets
		// the worst fi.
		var rows []int
		for j := tr[0]; j < tr[1]; j++ {
			if slices.Contains(raws[j].Invalid[:], false) {
				rows = append(rows, j)
			}
		}
		if len(rows) < minFitRows {
			return 0, forms, fmt.Errorf("fusion estimate: %d connected networks in a half of the sample, want ≥ %d to fit fi's 9 weights; sample more networks", len(rows), minFitRows)
		}
		pick := func(x []float64) []float64 {
			o := make([]float64, len(rows))
			for r, j := range rows {
				o[r] = x[j]
			}
			return o
		}
		var f scores.Fusion
		inputs, err := fitInputs(func(k int) []float64 { return pick(feat[k]) }, normRanks(pick(acc)), &f)
		if err != nil {
			return 0, forms, fmt.Errorf("fusion estimate: %v", err)
		}
		forms[fold] = scores.Names()[inputs[0]]
		pred := make([]float64, te[1]-te[0])
		ranks := make([]float64, len(inputs))
		for j := range pred {
			raw := raws[te[0]+j]
			if slices.ContainsFunc(inputs, func(k int) bool { return raw.Invalid[k] }) {
				pred[j] = scores.Worst
				continue
			}
			for c, k := range inputs {
				ranks[c] = feat[k][te[0]+j]
			}
			pred[j] = f.Combine(ranks)
		}
		rho += Spearman(pred, acc[te[0]:te[1]]) / 2
	}
	return rho, forms, nil
}

// normRanks returns the mid-ranks of x divided by len(x), in (0, 1].
func normRanks(x []float64) []float64 {
	r := rank.Mid(x)
	for i := range r {
		r[i] /= float64(len(r))
	}
	return r
}
