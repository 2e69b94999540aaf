package controller

import (
	"math"
	"math/rand/v2"
	"testing"
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

// The assembly gives the same bits as the Go definitions, over many steps,
// lengths that exercise the vector loop and the scalar tail, and values of
// every magnitude.
func TestAdamAssembly(t *testing.T) {
	if !useAVX {
		t.Skip("no AVX: the Go definitions run")
	}
	rng := rand.New(rand.NewPCG(9, 9))
	for _, n := range []int{0, 1, 2, 3, 5, 7, 200, 1505} {
		th1 := vec(rng, n, 1)
		th2 := append([]float64(nil), th1...)
		m1, v1, m2, v2 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		for step := 1; step <= 20; step++ {
			g := vec(rng, n, 10)
			inv := 1 / math.Sqrt(1-math.Pow(Beta2, float64(step)))
			lr := 1e-3 / (1 - math.Pow(Beta1, float64(step)))
			adamAVX(th1, m1, v1, g, lr, inv, Beta1, 1-Beta1, Beta2, 1-Beta2, Eps)
			adamGo(th2, m2, v2, g, lr, inv)
		}
		if !same(th1, th2) || !same(m1, m2) || !same(v1, v2) {
			t.Fatalf("n=%d: parameters or moments differ from adamGo", n)
		}
	}
}

func TestAddProductsAssembly(t *testing.T) {
	if !useAVX {
		t.Skip("no AVX: the Go definitions run")
	}
	rng := rand.New(rand.NewPCG(10, 10))
	for _, n := range []int{0, 1, 2, 3, 5, 100, 201} {
		var x [6][]float64
		for i := range x {
			x[i] = vec(rng, n, 6)
		}
		a := vec(rng, 6, 6)
		d1 := vec(rng, n, 6)
		d2 := append([]float64(nil), d1...)
		addProducts4AVX(d1, x[0], x[1], x[2], x[3], a[0], a[1], a[2], a[3])
		addProducts4Go(d2, x[0], x[1], x[2], x[3], a[0], a[1], a[2], a[3])
		addProducts6AVX(d1, x[0], x[1], x[2], x[3], x[4], x[5], a[0], a[1], a[2], a[3], a[4], a[5])
		addProducts6Go(d2, x[0], x[1], x[2], x[3], x[4], x[5], a[0], a[1], a[2], a[3], a[4], a[5])
		if !same(d1, d2) {
			t.Fatalf("n=%d: differs from the Go definitions", n)
		}
	}
}

func TestMatVecAssembly(t *testing.T) {
	if !useAVX {
		t.Skip("no AVX: the Go definitions run")
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
