package nn

// The three matrix products below are the whole cost of a convolution. They
// are written by hand (rather than calling gonum's blas32) because Go has no
// SIMD and no assembly in WebAssembly, where gonum falls back to plain loops
// that are about 2× slower than this blocked form; see BenchmarkGEMM.
//
// All matrices are dense and row-major, and every product accumulates into c.

// Blocking sizes: a kc×nc panel of b (32 KiB) and four rows of c (8 KiB)
// stay in the L1/L2 caches while they are reused.
const (
	blockK = 128
	blockN = 512
)

// gemmNN computes c += a·b for a (m×k), b (k×n), c (m×n).
func gemmNN(m, n, k int, a, b, c []float32) {
	_, _, _ = a[m*k-1], b[k*n-1], c[m*n-1]
	for j0 := 0; j0 < n; j0 += blockN {
		j1 := min(j0+blockN, n)
		for p0 := 0; p0 < k; p0 += blockK {
			p1 := min(p0+blockK, k)
			i := 0
			// Four rows of c at a time: each loaded element of b feeds four
			// multiply-adds.
			for ; i+4 <= m; i += 4 {
				c0 := c[i*n+j0 : i*n+j1]
				c1 := c[(i+1)*n+j0 : (i+1)*n+j1]
				c2 := c[(i+2)*n+j0 : (i+2)*n+j1]
				c3 := c[(i+3)*n+j0 : (i+3)*n+j1]
				for p := p0; p < p1; p++ {
					a0, a1, a2, a3 := a[i*k+p], a[(i+1)*k+p], a[(i+2)*k+p], a[(i+3)*k+p]
					bp := b[p*n+j0 : p*n+j1]
					c0, c1, c2, c3 := c0[:len(bp)], c1[:len(bp)], c2[:len(bp)], c3[:len(bp)]
					for j, bv := range bp {
						c0[j] += a0 * bv
						c1[j] += a1 * bv
						c2[j] += a2 * bv
						c3[j] += a3 * bv
					}
				}
			}
			for ; i < m; i++ {
				ci := c[i*n+j0 : i*n+j1]
				for p := p0; p < p1; p++ {
					av := a[i*k+p]
					bp := b[p*n+j0 : p*n+j1]
					ci := ci[:len(bp)]
					for j, bv := range bp {
						ci[j] += av * bv
					}
				}
			}
		}
	}
}

// gemmNT computes c += a·bᵀ for a (m×k), b (n×k), c (m×n): every element is
// a dot product of two contiguous rows, taken two by two so that each loaded
// element of a feeds two products.
func gemmNT(m, n, k int, a, b, c []float32) {
	_, _, _ = a[m*k-1], b[n*k-1], c[m*n-1]
	for i := 0; i < m; i++ {
		ai := a[i*k : (i+1)*k]
		ci := c[i*n : (i+1)*n]
		j := 0
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
