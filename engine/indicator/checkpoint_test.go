package indicator

import (
	"math"
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
