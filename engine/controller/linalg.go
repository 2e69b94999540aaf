package controller

import "math"

// The dense kernels of the controller. Rows of the LSTM weight matrix have
// stride width; the kernels work on four rows at a time so that each load of
// the shared vector serves four products, which is what makes them fast in
// plain Go (no SIMD on wasm, and the same code natively keeps the bits equal).

// dot is Σ a[i]·b[i] over len(a).
func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1 float64
	i := 0
	for ; i+1 < len(a); i += 2 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
	}
	if i < len(a) {
		s0 += a[i] * b[i]
	}
	return s0 + s1
}

// axpy is y += a·x over len(y).
func axpy(y []float64, a float64, x []float64) {
	x = x[:len(y)]
	for i := range y {
		y[i] += a * x[i]
	}
}

// matVecGo sets dst[r] = b[r] + Σ_j w[r·width+j]·z[j], the sum over
// j < len(z) in order, for every row r < len(dst) (a multiple of 4). It is
// the definition; matVec may run an assembly version with bit-identical
// results.
func matVecGo(dst, w, b, z []float64) {
	n := len(z)
	for r := 0; r < len(dst); r += 4 {
		w0 := w[r*width : r*width+n]
		w1 := w[(r+1)*width : (r+1)*width+n]
		w2 := w[(r+2)*width : (r+2)*width+n]
		w3 := w[(r+3)*width : (r+3)*width+n]
		var s0, s1, s2, s3 float64
		for j, x := range z {
			s0 += w0[j] * x
			s1 += w1[j] * x
			s2 += w2[j] * x
			s3 += w3[j] * x
		}
		dst[r], dst[r+1], dst[r+2], dst[r+3] = b[r]+s0, b[r+1]+s1, b[r+2]+s2, b[r+3]+s3
	}
}

// matTVec sets dst[j] = Σ_r w[r·width+j]·a[r] over the rows r < len(a) (a
// multiple of 4), for the columns j < len(dst).
func matTVec(dst, w, a []float64) {
	n := len(dst)
	clear(dst)
	for r := 0; r < len(a); r += 4 {
		a0, a1, a2, a3 := a[r], a[r+1], a[r+2], a[r+3]
		w0 := w[r*width : r*width+n]
		w1 := w[(r+1)*width : (r+1)*width+n]
		w2 := w[(r+2)*width : (r+2)*width+n]
		w3 := w[(r+3)*width : (r+3)*width+n]
		addProducts4(dst, w0, w1, w2, w3, a0, a1, a2, a3)
	}
}

// addProducts4Go sets dst[j] += a0·x0[j] + a1·x1[j] + a2·x2[j] + a3·x3[j],
// summed left to right, for j < len(dst). It is the definition;
// addProducts4 may run an assembly version with bit-identical results.
func addProducts4Go(dst, x0, x1, x2, x3 []float64, a0, a1, a2, a3 float64) {
	x0, x1, x2, x3 = x0[:len(dst)], x1[:len(dst)], x2[:len(dst)], x3[:len(dst)]
	for j := range dst {
		dst[j] += a0*x0[j] + a1*x1[j] + a2*x2[j] + a3*x3[j]
	}
}

// addProducts6Go is addProducts4Go with six terms.
func addProducts6Go(dst, x0, x1, x2, x3, x4, x5 []float64, a0, a1, a2, a3, a4, a5 float64) {
	x0, x1, x2, x3, x4, x5 = x0[:len(dst)], x1[:len(dst)], x2[:len(dst)], x3[:len(dst)], x4[:len(dst)], x5[:len(dst)]
	for j := range dst {
		dst[j] += a0*x0[j] + a1*x1[j] + a2*x2[j] + a3*x3[j] + a4*x4[j] + a5*x5[j]
	}
}

// exp2sGo sets dst[i] = math.Exp2(x[i]) for i < len(dst). It is the
// definition; exp2s may run an assembly version with bit-identical results.
func exp2sGo(dst, x []float64) {
	x = x[:len(dst)]
	for i, v := range x {
		dst[i] = math.Exp2(v)
	}
}
