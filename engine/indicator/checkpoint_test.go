package indicator

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

func TestClasses(t *testing.T) {
	cs := Classes()
	if len(cs) != space.NumClasses {
		t.Fatalf("%d classes, want %d", len(cs), space.NumClasses)
	}
	for _, c := range cs {
		if c.Canonical() != c {
			t.Fatalf("class %v is not canonical", c)
		}
	}
}

func TestCheckpointRoundTrip(t *testing.T) {
	cfg := scores.Default()
	cs := Classes()
	raws := []scores.Raw{
		{Values: [scores.NumRaw]float64{12, -3.25e6, 417, 1.2345678901234567e-5, -0.1}},
		{Values: [scores.NumRaw]float64{scores.Worst, scores.Worst, 1, scores.Worst, scores.Worst}, Invalid: [scores.NumRaw]bool{true, true, false, true, true}},
	}
	text := CheckpointHeader(cfg, tables.CIFAR100) + CheckpointLine(cs[1], raws[0]) + CheckpointLine(cs[2], raws[1])
	torn := text + CheckpointLine(cs[3], raws[0])[:7]
	got, err := ParseCheckpoint([]byte(torn), cfg, tables.CIFAR100)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[cs[1].Code()] != raws[0] || got[cs[2].Code()] != raws[1] {
		t.Fatalf("round trip: %v", got)
	}
	if _, err := ParseCheckpoint([]byte(text), cfg, tables.CIFAR10); err == nil || !strings.Contains(err.Error(), "header") {
		t.Errorf("wrong dataset: err %v", err)
	}
	other := cfg
	other.Seed++
	if _, err := ParseCheckpoint([]byte(text), other, tables.CIFAR100); err == nil {
		t.Error("other configuration accepted")
	}
	bad := CheckpointHeader(cfg, tables.CIFAR100) + "1 2 3\n"
	if _, err := ParseCheckpoint([]byte(bad), cfg, tables.CIFAR100); err == nil {
		t.Error("short line accepted")
	}
	if math.IsNaN(got[cs[1].Code()].Values[0]) {
		t.Error("NaN")
	}
}

// Lines a precompute cannot have written are errors, not values mixed into
// the table: NaN or infinite values (Evaluate gives them the worst score),
// a flag that disagrees with its value, and a class given twice with
// different values. The same line twice is harmless.
func TestCheckpointRejectsEdits(t *testing.T) {
	cfg := scores.Default()
	cs := Classes()
	head := CheckpointHeader(cfg, tables.CIFAR10)
	good := CheckpointLine(cs[5], scores.Raw{Values: [scores.NumRaw]float64{12, -3, 417, 1e-5, -0.1}})
	worst := CheckpointLine(cs[0], scores.Raw{Values: [scores.NumRaw]float64{scores.Worst, scores.Worst, scores.Worst, scores.Worst, scores.Worst}, Invalid: [scores.NumRaw]bool{true, true, true, true, true}})
	if got, err := ParseCheckpoint([]byte(head+worst+good+good), cfg, tables.CIFAR10); err != nil || len(got) != 2 {
		t.Fatalf("valid checkpoint with a repeated line: %v, %v", got, err)
	}
	code := strconv.Itoa(cs[5].Code())
	for _, bad := range []string{
		code + " NaN -3 417 1e-05 -0.1 00000\n",
		code + " 12 +Inf 417 1e-05 -0.1 00000\n",
		code + " 12 -3 -Inf 1e-05 -0.1 00000\n",
		code + " 12 -3 417 1e-05 -0.1 10000\n",
		code + " 12 -3 417 1e-05 -3.4028234663852886e+38 00000\n",
		good + code + " 13 -3 417 1e-05 -0.1 00000\n",
	} {
		if _, err := ParseCheckpoint([]byte(head+worst+bad), cfg, tables.CIFAR10); err == nil || !strings.Contains(err.Error(), "line") {
			t.Errorf("%q: err %v, want an error naming the line", bad, err)
		}
	}
}
