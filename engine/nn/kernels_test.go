package nn

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestIm2col compares the patch matrix with its definition,
// col[(ci·k+ky)·k+kx][oy·wo+ox] = x[ci][oy·s−p+ky][ox·s−p+kx] (0 outside),
// for the shapes of NB201 (3×3 at strides 1 and 2) and a few others.
func TestIm2col(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ cin, k, stride, pad, h, w int }{
		{4, 3, 1, 1, 8, 8}, {2, 3, 2, 1, 8, 8}, {3, 3, 1, 1, 1, 1}, {2, 3, 1, 1, 2, 5},
		{2, 5, 1, 2, 6, 6}, {1, 3, 1, 0, 5, 5}, {2, 2, 2, 0, 6, 6}, {1, 5, 1, 1, 4, 4},
		{1, 5, 1, 2, 1, 1}, {2, 5, 1, 2, 2, 3}, {1, 7, 1, 3, 2, 2},
	} {
		c := newConv(tc.cin, 1, tc.k, tc.stride, tc.pad)
		ho, wo := c.outSize(tc.h), c.outSize(tc.w)
		x := randSlice(r, tc.cin*tc.h*tc.w)
		col := make([]float32, tc.cin*tc.k*tc.k*ho*wo)
		for i := range col {
			col[i] = 7 // stale values must be overwritten
		}
		c.im2col(x, tc.h, tc.w, ho, wo, col)
		for ci := 0; ci < tc.cin; ci++ {
			for ky := 0; ky < tc.k; ky++ {
				for kx := 0; kx < tc.k; kx++ {
					row := (ci*tc.k+ky)*tc.k + kx
					for oy := 0; oy < ho; oy++ {
						for ox := 0; ox < wo; ox++ {
							iy, ix := oy*tc.stride-tc.pad+ky, ox*tc.stride-tc.pad+kx
							var want float32
							if iy >= 0 && iy < tc.h && ix >= 0 && ix < tc.w {
								want = x[(ci*tc.h+iy)*tc.w+ix]
							}
							if got := col[row*ho*wo+oy*wo+ox]; got != want {
								t.Fatalf("%+v: col[%d][%d,%d] = %v, want %v", tc, row, oy, ox, got, want)
							}
						}
					}
				}
			}
		}
	}
}

// TestPool3 compares 3×3 average pooling and its adjoint bit for bit with
// their definitions: the window mean summed in row-major order, and each
// value divided by its window's size scattered onto a zero map in
// row-major order.
func TestPool3(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, s := range [][2]int{{1, 1}, {1, 5}, {2, 2}, {3, 7}, {8, 8}, {32, 32}} {
		h, w := s[0], s[1]
		src := randSlice(r, h*w)
		for i := range src {
			src[i] *= float32(math.Exp2(float64(r.IntN(30) - 15)))
		}
		fwd, adj := make([]float32, h*w), make([]float32, h*w)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				var sum float32
				n := 0
				for yy := max(y-1, 0); yy <= min(y+1, h-1); yy++ {
					for xx := max(x-1, 0); xx <= min(x+1, w-1); xx++ {
						sum += src[yy*w+xx]
						n++
					}
				}
				inv := 1 / float32(n)
				fwd[y*w+x] = sum * inv
				g := src[y*w+x] * inv
				for yy := max(y-1, 0); yy <= min(y+1, h-1); yy++ {
					for xx := max(x-1, 0); xx <= min(x+1, w-1); xx++ {
						adj[yy*w+xx] += g
					}
				}
			}
		}
		got, tmp := make([]float32, h*w), make([]float32, h*w)
		pool3(src, got, nil, h, w, false)
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(fwd[i]) {
				t.Fatalf("%d×%d forward: element %d = %g, want %g", h, w, i, got[i], fwd[i])
			}
		}
		pool3(src, got, tmp, h, w, true)
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(adj[i]) {
				t.Fatalf("%d×%d adjoint: element %d = %g, want %g", h, w, i, got[i], adj[i])
			}
		}
	}
}
