package controller

// The controller's elementwise kernels in SSE2 assembly, two float64 lanes
// per instruction. SSE2 is part of every amd64 CPU. Each lane performs the
// same IEEE operations in the same order as the Go definition (no FMA), so
// the results are bit-identical to it (TestKernelsAssembly) and to the
// js/wasm build, which runs the Go definitions. Measured: the Adam step alone
// was a third of an episode's time in Go.

func adam(th, m, v, g []float64, step, inv float64) {
	n := len(th)
	if len(m) < n || len(v) < n || len(g) < n {
		panic("controller: adam: short slice")
	}
	adamSSE2(th, m, v, g, step, inv, Beta1, 1-Beta1, Beta2, 1-Beta2, Eps)
}

func addProducts4(dst, x0, x1, x2, x3 []float64, a0, a1, a2, a3 float64) {
	n := len(dst)
	if len(x0) < n || len(x1) < n || len(x2) < n || len(x3) < n {
		panic("controller: addProducts4: short slice")
	}
	addProducts4SSE2(dst, x0, x1, x2, x3, a0, a1, a2, a3)
}

func addProducts6(dst, x0, x1, x2, x3, x4, x5 []float64, a0, a1, a2, a3, a4, a5 float64) {
	n := len(dst)
	if len(x0) < n || len(x1) < n || len(x2) < n || len(x3) < n || len(x4) < n || len(x5) < n {
		panic("controller: addProducts6: short slice")
	}
	addProducts6SSE2(dst, x0, x1, x2, x3, x4, x5, a0, a1, a2, a3, a4, a5)
}

//go:noescape
func adamSSE2(th, m, v, g []float64, step, inv, b1, ob1, b2, ob2, eps float64)

//go:noescape
func addProducts4SSE2(dst, x0, x1, x2, x3 []float64, a0, a1, a2, a3 float64)

//go:noescape
func addProducts6SSE2(dst, x0, x1, x2, x3, x4, x5 []float64, a0, a1, a2, a3, a4, a5 float64)
