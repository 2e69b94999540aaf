package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGEMMAVXIdentical: gemmNN and gemmNT with the AVX loops give bit-for-bit the
// result of the Go loop (the one WebAssembly runs), on shapes with column
// remainders and k remainders, with values spanning many magnitudes so that
// any change in the order of operations would show.
func TestGEMMAVXIdentical(t *testing.T) {
	if !useAVX {
		t.Skip("no AVX on this CPU")
	}
	r := rand.New(rand.NewPCG(11, 12))
	wide := func(n int) []float32 {
		s := randSlice(r, n)
		for i := range s {
			s[i] *= float32(math.Exp2(float64(r.IntN(40) - 20)))
		}
		return s
	}
	for _, s := range [][3]int{{2, 8, 4}, {3, 13, 7}, {8, 1024, 72}, {9, 530, 131}, {4, 7, 9}, {16, 1031, 260}, {4, 27, 1024}, {16, 144, 64}, {5, 17, 1}, {3, 9, 2}} {
		m, n, k := s[0], s[1], s[2]
		a, b, c0 := wide(m*k), wide(k*n), wide(m*n)
		for name, f := range map[string]func([]float32){
			"NN": func(c []float32) { gemmNN(m, n, k, a, b, c) },
			"NT": func(c []float32) { gemmNT(m, n, k, a, b, c) },
		} {
			got := append([]float32(nil), c0...)
			f(got)
			useAVX = false
			want := append([]float32(nil), c0...)
			f(want)
			useAVX = true
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s %d×%d×%d: element %d: AVX %g, Go %g", name, m, n, k, i, got[i], want[i])
				}
			}
		}
	}
}
