package controller

import (
	"math"

	"golang.org/x/sys/cpu"
)

// The controller's dense kernels in AVX assembly, four float64 lanes per
// instruction, on CPUs that have AVX, and eight lanes with AVX-512 where the
// CPU has it; elsewhere the Go definitions. Each lane performs the same IEEE
// operations in the same order as the Go definition (no FMA), so the
// results are bit-identical to it (kernels_amd64_test.go) and to the
// js/wasm build, which runs the Go definitions. Measured (CPU time per
// episode, BenchmarkEpisode, on the 2-core AMD EPYC build machine): 553 µs
// with the Go definitions, 200–207 µs with the AVX kernels, 145 µs with
// the AVX-512 ones added.

var useAVX = cpu.X86.HasAVX

// useAVX512 adds eight-lane kernels for what the episode was bound by after
// the AVX ones: Adam (its divisions and square roots: 60 → 32 µs per step
// over the LSTM weights), the products' sums of the backward pass, and the
// activations' exponentials (math.Exp2 in pure Go had become a quarter of
// the episode). An AVX-512 kernel takes the longest multiple-of-8 prefix;
// the four-lane kernel or the Go definition the rest. The forward
// matrix-vector product stays four lanes wide: an eight-lane version
// (columns gathered with VPERMI2PD, sixteen rows a pass) was bit-identical
// but no faster (140 µs per episode either way), as reading the weights,
// not the arithmetic, bounds it.
var useAVX512 = useAVX && cpu.X86.HasAVX512F

// avx512 splits n into the prefix the eight-lane kernels take (a multiple
// of 8; 0 without AVX-512) and the rest.
func avx512(n int) int {
	if !useAVX512 {
		return 0
	}
	return n &^ 7
}

func adam(th, m, v, g []float64, step, inv float64) {
	n := len(th)
	if !useAVX {
		adamGo(th, m, v, g, step, inv)
		return
	}
	if len(m) < n || len(v) < n || len(g) < n {
		panic("controller: adam: short slice")
	}
	if k := avx512(n); k > 0 {
		adamAVX512(th[:k], m[:k], v[:k], g[:k], step, inv, Beta1, 1-Beta1, Beta2, 1-Beta2, Eps)
		th, m, v, g = th[k:], m[k:n], v[k:n], g[k:n]
	}
	adamAVX(th, m, v, g, step, inv, Beta1, 1-Beta1, Beta2, 1-Beta2, Eps)
}

func addProducts4(dst, x0, x1, x2, x3 []float64, a0, a1, a2, a3 float64) {
	n := len(dst)
	if !useAVX {
		addProducts4Go(dst, x0, x1, x2, x3, a0, a1, a2, a3)
		return
	}
	if len(x0) < n || len(x1) < n || len(x2) < n || len(x3) < n {
		panic("controller: addProducts4: short slice")
	}
	if k := avx512(n); k > 0 {
		addProducts4AVX512(dst[:k], x0, x1, x2, x3, a0, a1, a2, a3)
		dst, x0, x1, x2, x3 = dst[k:], x0[k:], x1[k:], x2[k:], x3[k:]
	}
	addProducts4AVX(dst, x0, x1, x2, x3, a0, a1, a2, a3)
}

func addProducts6(dst, x0, x1, x2, x3, x4, x5 []float64, a0, a1, a2, a3, a4, a5 float64) {
	n := len(dst)
	if !useAVX {
		addProducts6Go(dst, x0, x1, x2, x3, x4, x5, a0, a1, a2, a3, a4, a5)
		return
	}
	if len(x0) < n || len(x1) < n || len(x2) < n || len(x3) < n || len(x4) < n || len(x5) < n {
		panic("controller: addProducts6: short slice")
	}
	if k := avx512(n); k > 0 {
		addProducts6AVX512(dst[:k], x0, x1, x2, x3, x4, x5, a0, a1, a2, a3, a4, a5)
		dst, x0, x1, x2, x3, x4, x5 = dst[k:], x0[k:], x1[k:], x2[k:], x3[k:], x4[k:], x5[k:]
	}
	addProducts6AVX(dst, x0, x1, x2, x3, x4, x5, a0, a1, a2, a3, a4, a5)
}

// matVec runs the AVX kernel for the shapes the LSTM uses (rows a multiple
// of 8, columns a multiple of 4), else matVecGo.
func matVec(dst, w, b, z []float64) {
	if !useAVX || len(dst)%8 != 0 || len(z)%4 != 0 || len(z) > width {
		matVecGo(dst, w, b, z)
		return
	}
	if len(b) < len(dst) || len(w) < (len(dst)-1)*width+len(z) {
		panic("controller: matVec: short slice")
	}
	matVecAVX(dst, w, b, z)
}

//go:noescape
func adamAVX(th, m, v, g []float64, step, inv, b1, ob1, b2, ob2, eps float64)

//go:noescape
func adamAVX512(th, m, v, g []float64, step, inv, b1, ob1, b2, ob2, eps float64)

//go:noescape
func addProducts4AVX512(dst, x0, x1, x2, x3 []float64, a0, a1, a2, a3 float64)

//go:noescape
func addProducts6AVX512(dst, x0, x1, x2, x3, x4, x5 []float64, a0, a1, a2, a3, a4, a5 float64)

//go:noescape
func addProducts4AVX(dst, x0, x1, x2, x3 []float64, a0, a1, a2, a3 float64)

//go:noescape
func addProducts6AVX(dst, x0, x1, x2, x3, x4, x5 []float64, a0, a1, a2, a3, a4, a5 float64)

//go:noescape
func matVecAVX(dst, w, b, z []float64)

// exp2s sets dst[i] = math.Exp2(x[i]), bit for bit, for i < len(dst).
func exp2s(dst, x []float64) {
	x = x[:len(dst)]
	k := avx512(len(dst))
	if k > 0 {
		exp2AVX512(dst[:k], x[:k])
		for i, v := range x[:k] {
			if !(v >= -1000 && v <= 1000) { // outside the kernel's range
				dst[i] = math.Exp2(v)
			}
		}
	}
	exp2sGo(dst[k:], x[k:])
}

//go:noescape
func exp2AVX512(dst, x []float64)
