package nn

import (
	"sync"

	"golang.org/x/sys/cpu"
)

// On CPUs with AVX, gemmNN's inner loop and gemmNT's columns run eight
// columns per instruction.
// Each lane performs exactly the Go loop's IEEE operations in its order
// (multiply, then add, no FMA), so results are bit-identical to the plain
// Go build, which is what WebAssembly runs (TestGEMMAVXIdentical): the
// precomputed table does not depend on which build computed it.

var useAVX = cpu.X86.HasAVX

// rows2x4 updates the first len(b0)&^7 columns of c0 and c1:
// c0[j] += a00*b0[j] + a01*b1[j] + a02*b2[j] + a03*b3[j], and c1 likewise
// with a10..a13. It returns the number of columns done (0 without AVX).
func rows2x4(c0, c1, b0, b1, b2, b3 []float32, a00, a01, a02, a03, a10, a11, a12, a13 float32) int {
	n := len(b0) &^ 7
	if !useAVX || n == 0 {
		return 0
	}
	if len(c0) < n || len(c1) < n || len(b1) < n || len(b2) < n || len(b3) < n {
		panic("nn: rows2x4: short slice")
	}
	rows2x4AVX(&c0[0], &c1[0], &b0[0], &b1[0], &b2[0], &b3[0], n, a00, a01, a02, a03, a10, a11, a12, a13)
	return n
}

//go:noescape
func rows2x4AVX(c0, c1, b0, b1, b2, b3 *float32, n int, a00, a01, a02, a03, a10, a11, a12, a13 float32)

// ntPanels computes gemmNT's columns below n&^1 rounded down to a multiple
// of 8 (the Go loop pairs columns and sums the last odd one differently),
// eight at a time: it copies b's rows j..j+7 into a panel of k groups of
// eight, so that the eight columns' values at p are adjacent, and reuses
// the panel for every row of a. It returns the number of columns done (0
// without AVX).
func ntPanels(m, n, k int, a, b, c []float32) int {
	nv := n &^ 7
	if !useAVX || nv == 0 || k == 0 {
		return 0
	}
	pp := panels.Get().(*[]float32)
	if cap(*pp) < 8*k {
		*pp = make([]float32, 8*k)
	}
	panel := (*pp)[:8*k]
	for j := 0; j < nv; j += 8 {
		// Read the eight rows side by side and write the panel in order.
		r0, r1, r2, r3 := b[j*k:(j+1)*k], b[(j+1)*k:(j+2)*k], b[(j+2)*k:(j+3)*k], b[(j+3)*k:(j+4)*k]
		r4, r5, r6, r7 := b[(j+4)*k:(j+5)*k], b[(j+5)*k:(j+6)*k], b[(j+6)*k:(j+7)*k], b[(j+7)*k:(j+8)*k]
		for p := range r0 {
			q := panel[p*8 : p*8+8 : p*8+8]
			q[0], q[1], q[2], q[3] = r0[p], r1[p], r2[p], r3[p]
			q[4], q[5], q[6], q[7] = r4[p], r5[p], r6[p], r7[p]
		}
		for i := 0; i < m; i++ {
			ntRowAVX(&c[i*n+j], &a[i*k], &panel[0], k)
		}
	}
	panels.Put(pp)
	return nv
}

// panels holds ntPanels' scratch, which would otherwise be allocated per
// call (once per sample and convolution).
var panels = sync.Pool{New: func() any { return new([]float32) }}

//go:noescape
func ntRowAVX(c, a, panel *float32, k int)
