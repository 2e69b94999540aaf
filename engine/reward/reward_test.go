package reward

import (
	"math"
	"slices"
	"testing"

	"os"

	"github.com/nasplay/nasplay/engine/tables"
)

func TestLatency(t *testing.T) {
	for _, c := range []struct{ lat, target, alpha, want float64 }{
		{12, 6, 0.9, 0.5},             // twice the target: T/lat
		{6, 6, 0.9, 1},                // at the target both branches give 1
		{3, 6, 0.9, 0.95},             // half the target: α + (1−α)/2
		{0, 6, 0.9, 0.9},              // a network that computes nothing gets α
		{30, 40, 0.5, 0.5 + 0.5*0.75}, // another α
		{8, 4, 1, 0.5},                // α = 1: flat below T
		{2, 4, 0, 0.5},                // α = 0: linear below T
	} {
		if got := Latency(c.lat, c.target, c.alpha); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("Latency(%v, %v, %v) = %v, want %v", c.lat, c.target, c.alpha, got, c.want)
		}
	}
	// Continuous at the target from above.
	if d := Latency(6+1e-9, 6, 0.9) - 1; math.Abs(d) > 1e-9 {
		t.Errorf("R_LAT jumps at T by %v", d)
	}
}

func TestReward(t *testing.T) {
	if got := Reward(0.8, 12, true, 6, 0.9); got != 0.4 {
		t.Errorf("Reward over target = %v, want 0.4", got)
	}
	if got := Reward(0.8, 3, false, 6, 0.9); got != 0 {
		t.Errorf("Reward with unknown latency = %v, want 0", got)
	}
}

// Rank divides the mid-ranks (rank.Mid, tested there) by n, so that the
// best score is 1 and tied scores share one value; NaN and empty columns
// are refused.
func TestRankTies(t *testing.T) {
	r, err := Rank([]float32{3, 1, 3, -5})
	if err != nil {
		t.Fatal(err)
	}
	// Mid-ranks 3.5, 2, 3.5, 1 over n = 4.
	if want := []float64{0.875, 0.5, 0.875, 0.25}; !slices.Equal(r.Norm, want) {
		t.Errorf("Norm = %v, want %v", r.Norm, want)
	}
	if _, err := Rank([]float32{1, float32(math.NaN())}); err == nil {
		t.Error("Rank accepted a NaN score")
	}
	if _, err := Rank(nil); err == nil {
		t.Error("Rank accepted no scores")
	}
}

// On the real #params column, mid-ranks lie in (0, 1], sum to (n+1)/2 as
// ranks always do, and order networks as their parameter counts do.
func TestRankParams(t *testing.T) {
	b, err := os.ReadFile("../../assets/tables.msgpack") // engine/ does not import assets/
	if err != nil {
		t.Fatal(err)
	}
	tab, err := tables.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	p := tab.ParamsM(tables.CIFAR10)
	r, err := Rank(p)
	if err != nil {
		t.Fatal(err)
	}
	n := float64(len(p))
	sum := 0.0
	for i, v := range r.Norm {
		if !(v > 0 && v <= 1) {
			t.Fatalf("Norm[%d] = %v outside (0,1]", i, v)
		}
		sum += v * n
		j := (i * 7919) % len(p)
		if (p[i] < p[j]) != (r.Norm[i] < r.Norm[j]) || (p[i] == p[j]) != (r.Norm[i] == r.Norm[j]) {
			t.Fatalf("order of %d (%v, %v) and %d (%v, %v) disagrees", i, p[i], v, j, p[j], r.Norm[j])
		}
	}
	if want := n * (n + 1) / 2; math.Abs(sum-want) > 1e-6*want {
		t.Errorf("sum of ranks %v, want %v", sum, want)
	}
}

// A network whose benchmark latency is exactly T gets R_LAT = 1, the value
// both branches meet at, also where the tables' float32 rounds that latency
// just above T (Pixel 3's 12.17 ms is 12.170000076… in the tables): T is
// compared at the tables' precision (tables.Meets).
func TestLatencyAtTablePrecision(t *testing.T) {
	for _, T := range []float64{12.17, 2.48, 6.55, 40} {
		lat := float64(float32(T))
		for _, alpha := range []float64{0, 0.5, 0.9, 1} {
			if got := Latency(lat, T, alpha); got != 1 {
				t.Errorf("Latency(float32(%v), %v, %v) = %v, want 1", T, T, alpha, got)
			}
		}
	}
}
