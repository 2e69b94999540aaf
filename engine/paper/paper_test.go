package paper

import (
	"testing"

	"github.com/nasplay/nasplay/engine/tables"
)

func TestPaperNumbers(t *testing.T) {
	cells := Cells()
	if len(cells) != 9 {
		t.Fatalf("%d cells, want 9", len(cells))
	}
	want := []float64{6, 40, 20, 6, 40, 20, 6, 9, 6}
	for i, c := range cells {
		if c.TargetMs != want[i] {
			t.Errorf("cell %d (%s, %s): T = %v, want %v", i, c.Dataset, c.Device, c.TargetMs, want[i])
		}
		for _, ind := range Table1Indicators {
			if _, ok := Table1(c, ind); !ok {
				t.Errorf("no paper number for %s in %v", ind, c)
			}
		}
	}
	// Corners of the published tables.
	if p, _ := Table1(cells[0], "cj"); p != (Published{93.56, 4.83}) {
		t.Errorf("cj, cifar10, edgegpu = %v", p)
	}
	if p, _ := Table1(cells[8], "fi"); p != (Published{44.57, 4.44}) {
		t.Errorf("fi, imagenet16, pixel3 = %v", p)
	}
	if w, wi, _ := Table2(cells[4]); w != 69.87 || wi != 70.91 {
		t.Errorf("table 2, cifar100, raspi4 = %v → %v", w, wi)
	}
	if _, ok := Table1(Cell{tables.CIFAR10, tables.EdgeTPU, 5}, "fi"); ok {
		t.Error("paper number for the Edge TPU, which the paper does not use")
	}
	// The numbers belong to the paper's targets only.
	other := cells[0]
	other.TargetMs = 7
	if _, ok := Table1(other, "fi"); ok {
		t.Error("Table 1 number for cifar10, edgegpu at 7 ms; the paper ran 6 ms")
	}
	if _, _, ok := Table2(other); ok {
		t.Error("Table 2 numbers for cifar10, edgegpu at 7 ms; the paper ran 6 ms")
	}
	if p, tm, ok := Table1At(tables.CIFAR100, tables.Pixel3, "nlr"); !ok || tm != 20 || p != (Published{66.94, 8.72}) {
		t.Errorf("Table1At(cifar100, pixel3, nlr) = %v at %v ms, %v", p, tm, ok)
	}
}
