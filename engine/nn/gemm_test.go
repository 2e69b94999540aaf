package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64())
	}
	return s
}

// TestGEMM compares the hand-written products with gonum's Sgemm on shapes
// that exercise the blocking edges and remainders.
func TestGEMM(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, s := range [][3]int{{1, 1, 1}, {3, 5, 7}, {8, 1024, 72}, {9, 530, 131}, {72, 1024, 8}, {5, 3, 600}} {
		m, n, k := s[0], s[1], s[2]
		a, b, bt := randSlice(r, m*k), randSlice(r, k*n), make([]float32, n*k)
		transpose(k, n, b, bt)
		c0 := randSlice(r, m*n)
		want := blas32.General{Rows: m, Cols: n, Stride: n, Data: append([]float32(nil), c0...)}
		blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, blas32.General{Rows: m, Cols: k, Stride: k, Data: a},
			blas32.General{Rows: k, Cols: n, Stride: n, Data: b}, 1, want)
		for name, f := range map[string]func([]float32){
			"NN": func(c []float32) { gemmNN(m, n, k, a, b, c) },
			"NT": func(c []float32) { gemmNT(m, n, k, a, bt, c) },
		} {
			c := append([]float32(nil), c0...)
			f(c)
			for i := range c {
				if d := math.Abs(float64(c[i] - want.Data[i])); d > 1e-4*math.Sqrt(float64(k))*(1+math.Abs(float64(want.Data[i]))) {
					t.Fatalf("gemm%s %d×%d×%d: element %d = %g, gonum %g", name, m, n, k, i, c[i], want.Data[i])
				}
			}
		}
	}
}

// BenchmarkGEMM measures the convolution-shaped products (the forward
// product of a 3×3 convolution at 8, 16 and 32 channels) against gonum's
// Sgemm; b.ReportMetric gives GFLOP/s.
func BenchmarkGEMM(b *testing.B) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, s := range [][3]int{{8, 1024, 72}, {16, 256, 144}, {32, 64, 288}, {64, 1024, 576}} {
		m, n, k := s[0], s[1], s[2]
		a, bb, c := randSlice(r, m*k), randSlice(r, k*n), make([]float32, m*n)
		dy := randSlice(r, m*n)
		flops := 2 * float64(m*n*k)
		run := func(name string, product func()) {
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					product()
				}
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
		run(fmt.Sprintf("nasplay/%dx%dx%d", m, n, k), func() { gemmNN(m, n, k, a, bb, c) })
		ga := blas32.General{Rows: m, Cols: k, Stride: k, Data: a}
		gb := blas32.General{Rows: k, Cols: n, Stride: n, Data: bb}
		gc := blas32.General{Rows: m, Cols: n, Stride: n, Data: c}
		run(fmt.Sprintf("gonum/%dx%dx%d", m, n, k), func() { blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, ga, gb, 1, gc) })
		// The weight gradient's shape: dy (cout × HW) times the patch
		// matrix (cin·9 × HW) transposed.
		dw := make([]float32, m*k)
		run(fmt.Sprintf("nasplay-NT/%dx%dx%d", m, k, n), func() { gemmNT(m, k, n, dy, bb, dw) })
		gdy := blas32.General{Rows: m, Cols: n, Stride: n, Data: dy}
		gdw := blas32.General{Rows: m, Cols: k, Stride: k, Data: dw}
		run(fmt.Sprintf("gonum-NT/%dx%dx%d", m, k, n), func() { blas32.Gemm(blas.NoTrans, blas.Trans, 1, gdy, gb, 1, gdw) })
	}
}
