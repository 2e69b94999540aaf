package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nasplay/nasplay/engine/space"
)

// TestPositive: the branch-free test agrees with v > 0 on every special
// value (±0, ±Inf, NaNs, subnormals, the extremes) and on 10^6 random bit
// patterns.
func TestPositive(t *testing.T) {
	bits := []uint32{0, 1, 0x007fffff, 0x00800000, 0x3f800000, 0x7f7fffff, 0x7f800000, 0x7f800001, 0x7fc00000, 0x7fffffff,
		0x80000000, 0x80000001, 0xbf800000, 0xff800000, 0xff800001, 0xffc00000, 0xffffffff}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1_000_000 {
		bits = append(bits, r.Uint32())
	}
	for _, b := range bits {
		want := uint32(0)
		if math.Float32frombits(b) > 0 {
			want = ^uint32(0)
		}
		if got := positive(b); got != want {
			t.Fatalf("positive(%#08x) = %#08x, want %#08x", b, got, want)
		}
		if v := math.Float32frombits(b); v != v {
			want = ^uint32(0) // ReLU keeps NaN
		}
		if got := kept(b); got != want {
			t.Fatalf("kept(%#08x) = %#08x, want %#08x", b, got, want)
		}
	}
}

// A NaN in the input reaches the logits as NaN, where the indicators turn
// it into the worst score; ReLU zeroing it would have made it a plausible
// value (all logits 0, the best output sensitivity).
func TestNaNReachesLogits(t *testing.T) {
	a, err := space.Parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|")
	if err != nil {
		t.Fatal(err)
	}
	n, err := Build(a, Shape{C: 4, N: 1, Input: 8, Classes: 10})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	n.Init(r)
	x := randTensor(r, 4, 3, 8, 8)
	x.Data[5] = float32(math.NaN())
	y, err := n.Forward(x, ForwardOpts{})
	if err != nil {
		t.Fatal(err)
	}
	nan := 0
	for _, v := range y.Data {
		if v != v {
			nan++
		}
	}
	if nan == 0 {
		t.Errorf("one NaN pixel, logits %v: no NaN left", y.Data[:10])
	}
}
