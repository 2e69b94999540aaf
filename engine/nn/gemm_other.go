//go:build !amd64

package nn

// rows2x4 has no vector form here (WebAssembly has no SIMD in Go); gemmNN's
// Go loop does every column.
func rows2x4(c0, c1, b0, b1, b2, b3 []float32, a00, a01, a02, a03, a10, a11, a12, a13 float32) int {
	return 0
}

// ntPanels has no vector form here; gemmNT's Go loop does every column.
func ntPanels(m, n, k int, a, b, c []float32) int { return 0 }
