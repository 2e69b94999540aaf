package nn

// The three matrix products below are the whole cost of a convolution. They
// are written by hand (rather than calling gonum's blas32) because Go has no
// SIMD and no assembly in WebAssembly, where gonum falls back to plain loops
// that are several times slower than this blocked form; see BenchmarkGEMM.
// Natively on amd64, gemmNN's inner loop and most of gemmNT's columns also
// have AVX forms that are bit-identical to them (gemm_amd64.go).
//
// All matrices are dense and row-major, and every product accumulates into c.

// Blocking sizes: a blockK×blockN panel of b (256 KiB) stays in the L2
// cache, and rows of c (2 KiB each) in L1, while they are reused.
const (
	blockK = 128
	blockN = 512
)

// gemmNN computes c += a·b for a (m×k), b (k×n), c (m×n).
//
// The inner loop updates two rows of c from four rows of b: eight values
// of a stay in registers and each loaded element of c receives four
// multiply-adds. This shape measured fastest among 4×1, 4×2 and 2×4 row×k
// blockings (about 12 GFLOP/s natively on the development machine, 2×
// the 4×1 form), because it fits the sixteen floating-point registers of
// amd64 without spills.
func gemmNN(m, n, k int, a, b, c []float32) {
	_, _, _ = a[m*k-1], b[k*n-1], c[m*n-1]
	for j0 := 0; j0 < n; j0 += blockN {
		j1 := min(j0+blockN, n)
		for p0 := 0; p0 < k; p0 += blockK {
			p1 := min(p0+blockK, k)
			i := 0
			for ; i+2 <= m; i += 2 {
				c0 := c[i*n+j0 : i*n+j1]
				c1 := c[(i+1)*n+j0 : (i+1)*n+j1]
				a0, a1 := a[i*k:(i+1)*k], a[(i+1)*k:(i+2)*k]
				p := p0
				for ; p+4 <= p1; p += 4 {
					a00, a01, a02, a03 := a0[p], a0[p+1], a0[p+2], a0[p+3]
					a10, a11, a12, a13 := a1[p], a1[p+1], a1[p+2], a1[p+3]
					b0 := b[p*n+j0 : p*n+j1]
					b1 := b[(p+1)*n+j0 : (p+1)*n+j1][:len(b0)]
					b2 := b[(p+2)*n+j0 : (p+2)*n+j1][:len(b0)]
					b3 := b[(p+3)*n+j0 : (p+3)*n+j1][:len(b0)]
					c0, c1 := c0[:len(b0)], c1[:len(b0)]
					for j := rows2x4(c0, c1, b0, b1, b2, b3, a00, a01, a02, a03, a10, a11, a12, a13); j < len(b0); j++ {
						x0, x1, x2, x3 := b0[j], b1[j], b2[j], b3[j]
						c0[j] += a00*x0 + a01*x1 + a02*x2 + a03*x3
						c1[j] += a10*x0 + a11*x1 + a12*x2 + a13*x3
					}
				}
				for ; p < p1; p++ {
					u, v := a0[p], a1[p]
					bp := b[p*n+j0 : p*n+j1]
					c0, c1 := c0[:len(bp)], c1[:len(bp)]
					for j, x := range bp {
						c0[j] += u * x
						c1[j] += v * x
					}
				}
			}
			if i < m {
				ci := c[i*n+j0 : i*n+j1]
				for p := p0; p < p1; p++ {
					u := a[i*k+p]
					bp := b[p*n+j0 : p*n+j1]
					ci := ci[:len(bp)]
					for j, x := range bp {
						ci[j] += u * x
					}
				}
			}
		}
	}
}

// gemmNT computes c += a·bᵀ for a (m×k), b (n×k), c (m×n): every element is
// a dot product of two contiguous rows, four of b's rows at a time so that
// each loaded element of a feeds four products.
func gemmNT(m, n, k int, a, b, c []float32) {
	_, _, _ = a[m*k-1], b[n*k-1], c[m*n-1]
	j0 := ntPanels(m, n, k, a, b, c)
	for i := 0; i < m; i++ {
		ai := a[i*k : (i+1)*k]
		ci := c[i*n : (i+1)*n]
		j := j0
		// Four columns at a time share each loaded pair of a's values
		// (twice the reuse of two columns: 2.4-2.6 -> 4.0-4.4 GFLOP/s in
		// WebAssembly, where this loop does all the work);
		// each column keeps its own two accumulators, as below.
		for ; j+4 <= n; j += 4 {
			b0 := b[j*k : (j+1)*k]
			b1 := b[(j+1)*k : (j+2)*k]
			b2 := b[(j+2)*k : (j+3)*k]
			b3 := b[(j+3)*k : (j+4)*k]
			b0, b1, b2, b3 = b0[:len(ai)], b1[:len(ai)], b2[:len(ai)], b3[:len(ai)]
			var s0, s1, s2, s3, t0, t1, t2, t3 float32
			p := 0
			for ; p+2 <= len(ai); p += 2 {
				x0, x1 := ai[p], ai[p+1]
				s0 += x0 * b0[p]
				t0 += x1 * b0[p+1]
				s1 += x0 * b1[p]
				t1 += x1 * b1[p+1]
				s2 += x0 * b2[p]
				t2 += x1 * b2[p+1]
				s3 += x0 * b3[p]
				t3 += x1 * b3[p+1]
			}
			for ; p < len(ai); p++ {
				s0 += ai[p] * b0[p]
				s1 += ai[p] * b1[p]
				s2 += ai[p] * b2[p]
				s3 += ai[p] * b3[p]
			}
			ci[j] += s0 + t0
			ci[j+1] += s1 + t1
			ci[j+2] += s2 + t2
			ci[j+3] += s3 + t3
		}
		for ; j+2 <= n; j += 2 {
			b0 := b[j*k : (j+1)*k]
			b1 := b[(j+1)*k : (j+2)*k]
			b0, b1 = b0[:len(ai)], b1[:len(ai)]
			var s0, s1, t0, t1 float32
			p := 0
			for ; p+2 <= len(ai); p += 2 {
				x0, x1 := ai[p], ai[p+1]
				s0 += x0 * b0[p]
				t0 += x1 * b0[p+1]
				s1 += x0 * b1[p]
				t1 += x1 * b1[p+1]
			}
			for ; p < len(ai); p++ {
				s0 += ai[p] * b0[p]
				s1 += ai[p] * b1[p]
			}
			ci[j] += s0 + t0
			ci[j+1] += s1 + t1
		}
		for ; j < n; j++ {
			bj := b[j*k : (j+1)*k]
			bj = bj[:len(ai)]
			var s float32
			for p, x := range ai {
				s += x * bj[p]
			}
			ci[j] += s
		}
	}
}

// transpose writes the transpose of a (m×n) into t (n×m).
func transpose(m, n int, a, t []float32) {
	for i := 0; i < m; i++ {
		for j, v := range a[i*n : (i+1)*n] {
			t[j*m+i] = v
		}
	}
}
