//go:build !amd64

package controller

func adam(th, m, v, g []float64, step, inv float64) { adamGo(th, m, v, g, step, inv) }

func addProducts4(dst, x0, x1, x2, x3 []float64, a0, a1, a2, a3 float64) {
	addProducts4Go(dst, x0, x1, x2, x3, a0, a1, a2, a3)
}

func addProducts6(dst, x0, x1, x2, x3, x4, x5 []float64, a0, a1, a2, a3, a4, a5 float64) {
	addProducts6Go(dst, x0, x1, x2, x3, x4, x5, a0, a1, a2, a3, a4, a5)
}

func matVec(dst, w, b, z []float64) { matVecGo(dst, w, b, z) }

func exp2s(dst, x []float64) { exp2sGo(dst, x) }
