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

// kernelModes runs f with the four-lane kernels alone and, where the CPU
// has AVX-512, with the eight-lane ones too.
func kernelModes(t *testing.T, f func(t *testing.T)) {
	if !useAVX {
		t.Skip("no AVX: the Go definitions run")
	}
	defer func(saved bool) { useAVX512 = saved }(useAVX512)
	for _, wide := range []bool{false, true} {
		if wide && !cpu.X86.HasAVX512F {
			t.Log("no AVX-512 on this CPU: only the four-lane kernels checked")
			continue
		}
		useAVX512 = wide
		t.Run(map[bool]string{false: "avx", true: "avx512"}[wide], f)
	}
}

// The assembly gives the same bits as the Go definitions, over many steps,
// lengths that exercise the vector loops and the scalar tail, and values of
// every magnitude.
func TestAdamAssembly(t *testing.T) {
	kernelModes(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(9, 9))
		for _, n := range []int{0, 1, 2, 3, 5, 7, 8, 13, 200, 1505} {
			th1 := vec(rng, n, 1)
			th2 := append([]float64(nil), th1...)
			m1, v1, m2, v2 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
			for step := 1; step <= 20; step++ {
				g := vec(rng, n, 10)
				inv := 1 / math.Sqrt(1-math.Pow(Beta2, float64(step)))
				lr := 1e-3 / (1 - math.Pow(Beta1, float64(step)))
				adam(th1, m1, v1, g, lr, inv)
				adamGo(th2, m2, v2, g, lr, inv)
			}
			if !same(th1, th2) || !same(m1, m2) || !same(v1, v2) {
				t.Fatalf("n=%d: parameters or moments differ from adamGo", n)
			}
		}
	})
}

func TestAddProductsAssembly(t *testing.T) {
	kernelModes(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(10, 10))
		for _, n := range []int{0, 1, 2, 3, 5, 8, 13, 100, 200, 201} {
			var x [6][]float64
			for i := range x {
				x[i] = vec(rng, n, 6)
			}
			a := vec(rng, 6, 6)
			d1 := vec(rng, n, 6)
			d2 := append([]float64(nil), d1...)
			addProducts4(d1, x[0], x[1], x[2], x[3], a[0], a[1], a[2], a[3])
			addProducts4Go(d2, x[0], x[1], x[2], x[3], a[0], a[1], a[2], a[3])
			addProducts6(d1, x[0], x[1], x[2], x[3], x[4], x[5], a[0], a[1], a[2], a[3], a[4], a[5])
			addProducts6Go(d2, x[0], x[1], x[2], x[3], x[4], x[5], a[0], a[1], a[2], a[3], a[4], a[5])
			if !same(d1, d2) {
				t.Fatalf("n=%d: differs from the Go definitions", n)
			}
		}
	})
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

// exp2s equals math.Exp2 bit for bit: over random arguments of every
// magnitude the controller meets and beyond the kernel's range, at the
// rounding boundaries of its argument reduction, and at the special values.
func TestExp2Assembly(t *testing.T) {
	kernelModes(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(12, 12))
		x := []float64{0, math.Copysign(0, -1), 0.5, -0.5, 1.5, -1.5, 0.49999999999999994, -0.49999999999999994,
			math.Nextafter(0.5, 1), 5e-324, -5e-324, 1e-300, 999.9, -999.9, 1000, -1000, math.Nextafter(1000, 2000),
			1023.5, 1024, -1074, -1075, -1080, 2000, -2000, math.Inf(1), math.Inf(-1), math.NaN()}
		for k := -30; k <= 30; k++ {
			for _, d := range []float64{-1e-12, 0, 1e-12} {
				x = append(x, float64(k)+0.5+d)
			}
		}
		for range 20000 {
			x = append(x, rng.NormFloat64()*math.Pow(10, float64(rng.IntN(8)-4)))
		}
		for range 2000 {
			x = append(x, (rng.Float64()*2-1)*1100)
		}
		for _, n := range []int{len(x), len(x) - 3, 7, 1} {
			got := make([]float64, n)
			exp2s(got, x)
			for i, v := range x[:n] {
				if want := math.Exp2(v); math.Float64bits(got[i]) != math.Float64bits(want) && !(math.IsNaN(want) && math.IsNaN(got[i])) {
					t.Fatalf("exp2s(%v) = %v (%#x), math.Exp2 %v (%#x)", v, got[i], math.Float64bits(got[i]), want, math.Float64bits(want))
				}
			}
		}
	})
}
