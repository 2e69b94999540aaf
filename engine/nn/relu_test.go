package nn

import (
	"math"
	"math/rand/v2"
	"testing"
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
	}
}
