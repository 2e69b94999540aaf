package controller

import (
	"math"
	"math/rand/v2"
	"testing"
)

// adam (assembly on amd64) gives the same bits as its definition adamGo,
// over many steps, odd lengths and gradients of every magnitude.
func TestKernelsAssembly(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	for _, n := range []int{0, 1, 2, 7, 200, 1505} {
		th1, m1, v1 := make([]float64, n), make([]float64, n), make([]float64, n)
		g := make([]float64, n)
		for i := range th1 {
			th1[i] = rng.NormFloat64()
		}
		th2, m2, v2 := append([]float64(nil), th1...), make([]float64, n), make([]float64, n)
		for step := 1; step <= 20; step++ {
			for i := range g {
				g[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(20)-12))
			}
			inv := 1 / math.Sqrt(1-math.Pow(Beta2, float64(step)))
			lr := 1e-3 / (1 - math.Pow(Beta1, float64(step)))
			adam(th1, m1, v1, g, lr, inv)
			adamGo(th2, m2, v2, g, lr, inv)
		}
		for i := range th1 {
			if math.Float64bits(th1[i]) != math.Float64bits(th2[i]) || m1[i] != m2[i] || v1[i] != v2[i] {
				t.Fatalf("n=%d, i=%d: adam %v %v %v, adamGo %v %v %v", n, i, th1[i], m1[i], v1[i], th2[i], m2[i], v2[i])
			}
		}
	}
}

// addProducts4 and addProducts6 give the same bits as their definitions.
func TestAddProductsAssembly(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 10))
	vec := func(n int) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.NormFloat64() * math.Pow(10, float64(rng.IntN(12)-6))
		}
		return x
	}
	for _, n := range []int{0, 1, 2, 5, 100, 201} {
		x := [6][]float64{vec(n), vec(n), vec(n), vec(n), vec(n), vec(n)}
		a := vec(6)
		d1 := vec(n)
		d2 := append([]float64(nil), d1...)
		addProducts4(d1, x[0], x[1], x[2], x[3], a[0], a[1], a[2], a[3])
		addProducts4Go(d2, x[0], x[1], x[2], x[3], a[0], a[1], a[2], a[3])
		addProducts6(d1, x[0], x[1], x[2], x[3], x[4], x[5], a[0], a[1], a[2], a[3], a[4], a[5])
		addProducts6Go(d2, x[0], x[1], x[2], x[3], x[4], x[5], a[0], a[1], a[2], a[3], a[4], a[5])
		for j := range d1 {
			if math.Float64bits(d1[j]) != math.Float64bits(d2[j]) {
				t.Fatalf("n=%d, j=%d: assembly %v, Go %v", n, j, d1[j], d2[j])
			}
		}
	}
}
