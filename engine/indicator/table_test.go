package indicator

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/nasplay/nasplay/assets"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/tables"
)

func mustTables(tb testing.TB) *tables.Tables {
	tb.Helper()
	bt, err := tables.Decode(assets.Tables)
	if err != nil {
		tb.Fatal(err)
	}
	return bt
}

// builtTable builds a table from made-up per-class values (a function of
// the class code): it exercises the build and the fusion's fit, not the
// indicators.
func builtTable(tb testing.TB) (*scores.Table, *tables.Tables) {
	tb.Helper()
	bt := mustTables(tb)
	var classes [tables.NumDatasets]map[int]scores.Raw
	for _, d := range tables.Datasets() {
		classes[d] = map[int]scores.Raw{}
		for _, c := range Classes() {
			var r scores.Raw
			code := float64(c.Code())
			for k := range r.Values {
				r.Values[k] = math.Sin(code*float64(k+1)+float64(d)) * 100
			}
			if !c.Connected() {
				for k := range r.Values {
					r.Values[k], r.Invalid[k] = scores.Worst, true
				}
			}
			classes[d][c.Code()] = r
		}
	}
	tab, err := BuildTable(scores.Default(), bt, classes)
	if err != nil {
		tb.Fatal(err)
	}
	return tab, bt
}

func TestBuildTable(t *testing.T) {
	tab, bt := builtTable(t)
	if tab.Config() != scores.Default() {
		t.Errorf("config %+v", tab.Config())
	}
	for _, d := range tables.Datasets() {
		c := tab.Counts(d)
		if c.Disconnected != 341 {
			t.Errorf("%v: %d disconnected, want the benchmark's 341", d, c.Disconnected)
		}
		f := tab.Fusion(d)
		if len(f.Fit) != FitSize || len(f.Inputs) != 4 || f.Inputs[1] != "nlr" || len(f.Squares) != 4 {
			t.Errorf("%v fusion %+v", d, f)
		}
		for _, i := range f.Fit {
			if !bt.Arch(i).Connected() {
				t.Errorf("%v: fit split holds disconnected index %d", d, i)
			}
		}
		fi, err := scores.Column(tab, bt, d, scores.FI)
		if err != nil {
			t.Fatal(err)
		}
		// Fuse reproduces the stored fi from a network's raw values.
		for _, i := range []int{0, 1, 777, 15624} {
			var raw scores.Raw
			for k := range raw.Values {
				s, _ := scores.Column(tab, bt, d, scores.Names()[k])
				raw.Values[k] = float64(s[i])
			}
			if v := float32(tab.Fuse(d, raw)); v != fi[i] {
				t.Errorf("%v index %d: Fuse = %v, table fi %v", d, i, v, fi[i])
			}
		}
	}
}

// TestFusionEstimate: when cj_eig is a monotone function of the accuracy
// and the other inputs are noise, the twofold estimate chooses cj_eig in
// both folds and ranks the held-out half almost perfectly; with every input
// pure noise it is near zero.
func TestFusionEstimate(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	n := 400
	acc := make([]float64, n)
	raws := make([]scores.Raw, n)
	noise := make([]scores.Raw, n)
	for j := range raws {
		acc[j] = 50 + 40*r.Float64()
		for k := range raws[j].Values {
			raws[j].Values[k] = r.NormFloat64()
			noise[j].Values[k] = r.NormFloat64()
		}
		raws[j].Values[scores.CJEig] = math.Exp(acc[j] / 10)
	}
	rho, forms, err := FusionEstimate(raws, acc)
	if err != nil {
		t.Fatal(err)
	}
	if rho < 0.98 || forms != [2]string{"cj_eig", "cj_eig"} {
		t.Errorf("informative cj_eig: ρ %.3f, forms %v; want ≥ 0.98 and cj_eig twice", rho, forms)
	}
	if rho, _, _ = FusionEstimate(noise, acc); math.Abs(rho) > 0.2 {
		t.Errorf("pure noise: ρ %.3f, want near 0", rho)
	}
	if _, _, err := FusionEstimate(raws[:5], acc[:5]); err == nil {
		t.Error("5 networks: no error")
	}
	// 20 networks give halves of 10 for nine weights: too few to mean anything.
	if _, _, err := FusionEstimate(raws[:20], acc[:20]); err == nil || !strings.Contains(err.Error(), "want ≥ 30") {
		t.Errorf("20 networks: %v, want too few to fit", err)
	}
	if _, _, err := FusionEstimate(raws[:60], acc[:60]); err != nil {
		t.Errorf("60 networks: %v", err)
	}
}

// TestCompareFusions: on the committed table, over a few random fit
// splits, fi's form (quadratic, connected split) ranks ImageNet16-120's
// validation accuracy better than the linear fusion, as it did when it was
// chosen over 100 splits (0.824 against 0.794), and its top 1 % is better.
func TestCompareFusions(t *testing.T) {
	tab, err := scores.DecodeTable(assets.Indicators)
	if err != nil {
		t.Fatal(err)
	}
	bt := mustTables(t)
	forms := []FusionForm{{1, false}, {2, true}}
	got, err := CompareFusions(tab, bt, tables.ImageNet16, forms, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	lin, fi := got[0], got[1]
	if lin.Form != "linear" || fi.Form != "quadratic, connected split" || fi.Splits != 4 {
		t.Fatalf("forms %q and %q, %d splits", lin.Form, fi.Form, fi.Splits)
	}
	if !(fi.Spearman > lin.Spearman+0.015 && lin.Spearman > 0.75 && fi.Spearman < 0.9) {
		t.Errorf("ρ linear %.4f, fi's form %.4f; want fi's about 0.03 higher, both in (0.75, 0.9)", lin.Spearman, fi.Spearman)
	}
	if fi.Top1 <= lin.Top1 || fi.Top1 < 40 {
		t.Errorf("top 1 %%: linear %.2f, fi's form %.2f", lin.Top1, fi.Top1)
	}
	if _, err := CompareFusions(tab, bt, tables.ImageNet16, []FusionForm{{4, true}}, 4, 1); err == nil {
		t.Error("degree 4 accepted")
	}
}

// An input that takes one value on every fitted network is named: the
// least squares would fail with "matrix singular" and no hint of why.
func TestFitConstantInput(t *testing.T) {
	y := []float64{0.1, 0.5, 0.3, 0.9, 0.7}
	col := func(k int) []float64 {
		if k == scores.NLR {
			return []float64{0.5, 0.5, 0.5, 0.5, 0.5}
		}
		return []float64{0.2, 0.4, 0.1, 0.8, float64(k) / 10}
	}
	if _, _, err := fitPoly(col, y, 2); err == nil || !strings.Contains(err.Error(), "input nlr has the same value for all 5 networks") {
		t.Errorf("constant nlr: %v", err)
	}
}

// TestFitSplitMatchesAsset: the committed table's fusions were fitted on
// FitSplit of its configuration, so that the split can be recomputed.
func TestFitSplitMatchesAsset(t *testing.T) {
	tab, err := scores.DecodeTable(assets.Indicators)
	if err != nil {
		t.Fatal(err)
	}
	want := FitSplit(tab.Config(), mustTables(t))
	for _, d := range tables.Datasets() {
		if got := tab.Fusion(d).Fit; !slices.Equal(got, want) {
			t.Errorf("%v: committed fit split %v…, FitSplit gives %v…", d, got[:5], want[:5])
		}
	}
}
