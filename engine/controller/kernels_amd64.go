package controller

import "golang.org/x/sys/cpu"

// The controller's dense kernels in AVX assembly, four float64 lanes per
// instruction, on CPUs that have AVX; elsewhere the Go definitions. Each
// lane performs the same IEEE operations in the same order as the Go
// definition (no FMA), so the results are bit-identical to it
// (kernels_amd64_test.go) and to the js/wasm build, which runs the Go
// definitions. Measured (CPU time per episode, BenchmarkEpisode): 553 µs
// with the Go definitions, 200 µs with these kernels.

var useAVX = cpu.X86.HasAVX

func adam(th, m, v, g []float64, step, inv float64) {
	n := len(th)
	if !useAVX {
		adamGo(th, m, v, g, step, inv)
		return
	}
	if len(m) < n || len(v) < n || len(g) < n {
		panic("controller: adam: short slice")
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
func addProducts4AVX(dst, x0, x1, x2, x3 []float64, a0, a1, a2, a3 float64)

//go:noescape
func addProducts6AVX(dst, x0, x1, x2, x3, x4, x5 []float64, a0, a1, a2, a3, a4, a5 float64)

//go:noescape
func matVecAVX(dst, w, b, z []float64)
