package controller

import (
	"math"
	"math/rand/v2"
	"testing"

	"golang.org/x/sys/cpu"
)

// vec returns n normal numbers spread over many magnitudes.
func vec(rng *rand.Rand, n, decades int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(2*decades)-decades))
	}
	return x
}

func same(a, b []float64) bool {
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// Every assembly variant gives the same bits as the Go definition, over
// many steps, lengths that exercise the vector loop and the scalar tail, and
// gradients of every magnitude.
func TestAdamAssembly(t *testing.T) {
	variants := map[string]func(th, m, v, g []float64, step, inv, b1, ob1, b2, ob2, eps float64){"SSE2": adamSSE2}
	if cpu.X86.HasAVX {
		variants["AVX"] = adamAVX
	} else {
		t.Log("no AVX: only the SSE2 variant is tested")
	}
	for name, f := range variants {
		rng := rand.New(rand.NewPCG(9, 9))
		for _, n := range []int{0, 1, 2, 3, 5, 7, 200, 1505} {
			th1 := vec(rng, n, 1)
			th2 := append([]float64(nil), th1...)
			m1, v1, m2, v2 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
			for step := 1; step <= 20; step++ {
				g := vec(rng, n, 10)
				inv := 1 / math.Sqrt(1-math.Pow(Beta2, float64(step)))
				lr := 1e-3 / (1 - math.Pow(Beta1, float64(step)))
				f(th1, m1, v1, g, lr, inv, Beta1, 1-Beta1, Beta2, 1-Beta2, Eps)
				adamGo(th2, m2, v2, g, lr, inv)
			}
			if !same(th1, th2) || !same(m1, m2) || !same(v1, v2) {
				t.Fatalf("%s, n=%d: parameters or moments differ from adamGo", name, n)
			}
		}
	}
}

func TestAddProductsAssembly(t *testing.T) {
	type kernels struct {
		four func(dst, x0, x1, x2, x3 []float64, a0, a1, a2, a3 float64)
		six  func(dst, x0, x1, x2, x3, x4, x5 []float64, a0, a1, a2, a3, a4, a5 float64)
	}
	variants := map[string]kernels{"SSE2": {addProducts4SSE2, addProducts6SSE2}}
	if cpu.X86.HasAVX {
		variants["AVX"] = kernels{addProducts4AVX, addProducts6AVX}
	}
	for name, k := range variants {
		rng := rand.New(rand.NewPCG(10, 10))
		for _, n := range []int{0, 1, 2, 3, 5, 100, 201} {
			var x [6][]float64
			for i := range x {
				x[i] = vec(rng, n, 6)
			}
			a := vec(rng, 6, 6)
			d1 := vec(rng, n, 6)
			d2 := append([]float64(nil), d1...)
			k.four(d1, x[0], x[1], x[2], x[3], a[0], a[1], a[2], a[3])
			addProducts4Go(d2, x[0], x[1], x[2], x[3], a[0], a[1], a[2], a[3])
			k.six(d1, x[0], x[1], x[2], x[3], x[4], x[5], a[0], a[1], a[2], a[3], a[4], a[5])
			addProducts6Go(d2, x[0], x[1], x[2], x[3], x[4], x[5], a[0], a[1], a[2], a[3], a[4], a[5])
			if !same(d1, d2) {
				t.Fatalf("%s, n=%d: differs from the Go definitions", name, n)
			}
		}
	}
}

func TestMatVecAssembly(t *testing.T) {
	if !cpu.X86.HasAVX {
		t.Skip("no AVX")
	}
	rng := rand.New(rand.NewPCG(11, 11))
	w := vec(rng, nGates*width, 3)
	b := vec(rng, nGates, 3)
	for _, n := range []int{4, Embed, width} {
		for _, rows := range []int{8, nGates} {
			z := vec(rng, n, 3)
			d1, d2 := make([]float64, rows), make([]float64, rows)
			matVecAVX(d1, w, b, z)
			matVecGo(d2, w, b, z)
			if !same(d1, d2) {
				t.Fatalf("rows=%d, n=%d: differs from matVecGo", rows, n)
			}
		}
	}
}
