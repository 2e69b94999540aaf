package nn

import (
	"math"
	"testing"

	"github.com/nasplay/nasplay/assets"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

// TestParamsMatchBenchmark builds the full-size network of every
// architecture, dead edges included as the benchmark builds them, and
// compares its parameter count with the benchmark's params column.
func TestParamsMatchBenchmark(t *testing.T) {
	tab, err := tables.Decode(assets.Tables)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range tables.Datasets() {
		want := tab.ParamsM(d)
		bad := 0
		for i := 0; i < tab.Len(); i++ {
			n, err := Build(tab.Arch(i), Shape{C: 16, N: 5, Input: d.InputSize(), Classes: d.Classes()})
			if err != nil {
				t.Fatal(err)
			}
			// The column holds millions with six decimals, stored as float32.
			if got := float64(n.NumParams()) / 1e6; math.Abs(got-float64(want[i])) > 1e-6 {
				if bad++; bad <= 5 {
					t.Errorf("%v index %d %v: %d params, benchmark %.6f M", d, i, tab.Arch(i), n.NumParams(), want[i])
				}
			}
		}
		if bad > 0 {
			t.Errorf("%v: %d of %d architectures differ", d, bad, tab.Len())
		}
	}
	// The benchmark counts parameters of edges that cannot reach the output.
	a, _ := space.Parse("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|")
	full, _ := Build(a, Shape{16, 5, 32, 10})
	pruned, _ := Build(a.Pruned(), Shape{16, 5, 32, 10})
	if full.NumParams() <= pruned.NumParams() {
		t.Errorf("dead conv edge: full %d params, pruned %d", full.NumParams(), pruned.NumParams())
	}
}
