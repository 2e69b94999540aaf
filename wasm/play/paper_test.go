package play

import (
	"testing"

	"github.com/nasplay/nasplay/engine/experiment"
)

// The page's copy of the paper's numbers must equal engine/experiment's.
func TestPaperMatchesExperiment(t *testing.T) {
	cells := 0
	for _, c := range experiment.Cells() {
		if got, ok := PaperTarget(c.Dataset, c.Device); !ok || got != c.TargetMs {
			t.Errorf("%s/%s: target %g, experiment has %g", c.Dataset, c.Device, got, c.TargetMs)
		}
		for _, ind := range experiment.Table1Indicators {
			want, _ := experiment.PaperTable1(c, ind)
			got, ok := Paper(c.Dataset, ind, c.Device)
			if !ok || got.TestAcc != want.TestAcc || got.LatencyMs != want.LatencyMs {
				t.Errorf("%s/%s/%s: %+v, experiment has %+v", c.Dataset, c.Device, ind, got, want)
			}
			cells++
		}
	}
	if cells != 45 {
		t.Errorf("compared %d cells, the paper's Table 1 has 45", cells)
	}
	n := 0
	for _, byInd := range paperTable1 {
		for _, byDev := range byInd {
			n += len(byDev)
		}
	}
	if n != 45 {
		t.Errorf("the page's copy has %d cells, want 45", n)
	}
}
