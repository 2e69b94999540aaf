package indicator

import (
	"reflect"
	"testing"

	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

// TestProgress checks that Evaluate reports its steps in the order it
// computes them, every raw indicator once per weight draw, and nothing for a
// disconnected cell, which it does not compute.
func TestProgress(t *testing.T) {
	cfg := scores.Default()
	cfg.NLRSamples = 50 // keep it quick; the steps are the same
	e, err := NewEvaluator(cfg, mustCalib(t), tables.CIFAR10)
	if err != nil {
		t.Fatal(err)
	}
	var steps [][]string
	e.Progress = func(names ...string) { steps = append(steps, names) }
	a, err := space.Parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Evaluate(a); err != nil {
		t.Fatal(err)
	}
	var want [][]string
	for range cfg.WeightDraws {
		want = append(want, []string{"cj_eig", "cnntk"}, []string{"os"}, []string{"cj"}, []string{"nlr"})
	}
	if !reflect.DeepEqual(steps, want) {
		t.Errorf("progress %v, want %v", steps, want)
	}
	steps = nil
	if _, err := e.Evaluate(space.Arch{}); err != nil { // all none: disconnected
		t.Fatal(err)
	}
	if steps != nil {
		t.Errorf("a disconnected cell reported progress %v", steps)
	}
}
