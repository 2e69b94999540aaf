package indicator

import (
	"math"
	"runtime"
	"testing"

	"github.com/nasplay/nasplay/assets"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/tables"
)

// wasmTolerance is the relative difference allowed between the committed
// table (computed natively on amd64) and a recomputation in WebAssembly,
// where gonum's eigensolver runs without its assembly kernels and so sums
// in another order. Counts (cj, nlr) must match exactly everywhere.
const wasmTolerance = 1e-4

// TestTableReproducible recomputes a few networks at the default
// configuration and requires the values stored in the committed table: the
// table provably comes from this code.
func TestTableReproducible(t *testing.T) {
	tab, err := scores.DecodeTable(assets.Indicators)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Config() != scores.Default() {
		t.Fatalf("table config %s is not the default %s", tab.Config().Version(), scores.Default().Version())
	}
	bt := mustTables(t)
	calib := mustCalib(t)
	exact := runtime.GOARCH == "amd64"
	for _, d := range tables.Datasets() {
		e, err := NewEvaluator(scores.Default(), calib, d)
		if err != nil {
			t.Fatal(err)
		}
		idx := []int{6111, 857, tab.Fusion(d).Fit[0]}
		if testing.Short() {
			idx = idx[:1]
		}
		for _, i := range idx {
			raw, err := e.Evaluate(bt.Arch(i))
			if err != nil {
				t.Fatal(err)
			}
			for k, name := range scores.Names() {
				col, _ := scores.Column(tab, bt, d, name)
				got := float32(0)
				if k < scores.NumRaw {
					got = float32(raw.Values[k])
				} else {
					got = float32(tab.Fuse(d, raw))
				}
				want := col[i]
				ok := got == want
				if !exact && k != scores.CJ && k != scores.NLR {
					ok = math.Abs(float64(got-want)) <= wasmTolerance*math.Abs(float64(want))
				}
				if !ok {
					t.Errorf("%v index %d %s: recomputed %v, table %v", d, i, name, got, want)
				}
			}
		}
	}
}
