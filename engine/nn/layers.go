package nn

import (
	"math"
	"math/rand/v2"
)

// param is one weight tensor. Its gradient lives in the caller's flat
// gradient vector at offset off.
type param struct {
	w    []float32
	n    int // number of elements
	off  int
	init func(w []float32, r *rand.Rand)
}

// kaiming fills a weight with N(0, gain/fanIn): He initialization (fan-in)
// for convolutions (gain 2, for the ReLU before them) and LeCun for the
// classifier (gain 1).
func kaiming(fanIn int, gain float64) func([]float32, *rand.Rand) {
	std := math.Sqrt(gain / float64(fanIn))
	return func(w []float32, r *rand.Rand) {
		for i := range w {
			w[i] = float32(r.NormFloat64() * std)
		}
	}
}

func constant(v float32) func([]float32, *rand.Rand) {
	return func(w []float32, _ *rand.Rand) {
		for i := range w {
			w[i] = v
		}
	}
}

// pass carries the settings of one forward or backward pass.
type pass struct {
	// frozen makes BatchNorm reuse the statistics of the previous forward
	// pass instead of measuring the current batch.
	frozen bool
	// patterns, when non-nil, records the sign of every ReLU input.
	patterns *Patterns
	// grads receives weight gradients; nil computes input gradients only.
	// Sample i's gradient of parameter p starts at grads[i*stride+p.off]:
	// stride 0 sums over the batch, stride NumParams keeps samples apart.
	grads  []float32
	stride int
	// mem, when non-nil, provides the pass's intermediate buffers.
	mem *arena
}

// floats returns a zeroed slice of n values for the pass.
func (ps *pass) floats(n int) []float32 {
	if ps.mem == nil {
		return make([]float32, n)
	}
	return ps.mem.floats(n)
}

// tensor returns a zero tensor of the given shape for the pass.
func (ps *pass) tensor(n, c, h, w int) *Tensor {
	return &Tensor{n, c, h, w, ps.floats(n * c * h * w)}
}

// like returns a zero tensor shaped like t for the pass.
func (ps *pass) like(t *Tensor) *Tensor { return ps.tensor(t.N, t.C, t.H, t.W) }

// overwrite returns a tensor shaped like t whose every element the caller
// writes: recycled without zeroing.
func (ps *pass) overwrite(t *Tensor) *Tensor {
	return &Tensor{t.N, t.C, t.H, t.W, ps.scratch(len(t.Data))}
}

// scratch returns n values whose every element the caller writes.
func (ps *pass) scratch(n int) []float32 {
	if ps.mem == nil {
		return make([]float32, n)
	}
	return ps.mem.dirty(n)
}

// gradOf returns the gradient slice of p for sample i, or nil when weight
// gradients are not wanted.
func (ps *pass) gradOf(p *param, i int) []float32 {
	if ps.grads == nil {
		return nil
	}
	o := i*ps.stride + p.off
	return ps.grads[o : o+p.n]
}

// A module is one differentiable piece of a network. backward must follow
// the module's own forward, and returns the gradient with respect to the
// forward's input.
type module interface {
	forward(x *Tensor, ps *pass) *Tensor
	backward(dy *Tensor, ps *pass) *Tensor
	params() []*param
}

// conv is a 2-D convolution without bias.
type conv struct {
	cin, cout, k, stride, pad int
	w                         param
	x                         *Tensor
}

func newConv(cin, cout, k, stride, pad int) *conv {
	c := &conv{cin: cin, cout: cout, k: k, stride: stride, pad: pad}
	c.w = param{n: cout * cin * k * k, init: kaiming(cin*k*k, 2)}
	return c
}

func (c *conv) params() []*param { return []*param{&c.w} }

func (c *conv) outSize(h int) int { return (h+2*c.pad-c.k)/c.stride + 1 }

// direct reports whether the input itself is the im2col matrix.
func (c *conv) direct() bool { return c.k == 1 && c.stride == 1 && c.pad == 0 }

// span returns the output columns [lo, hi) whose input column
// ox·stride − pad + kx lies inside a row of width w.
func (c *conv) span(kx, w, wo int) (lo, hi int) {
	off := kx - c.pad
	if off < 0 {
		lo = (-off + c.stride - 1) / c.stride
	}
	if last := w - 1 - off; last >= 0 {
		hi = min(wo, last/c.stride+1)
	}
	return lo, max(hi, lo)
}

// im2col writes the (cin·k·k)×(ho·wo) patch matrix of one sample.
func (c *conv) im2col(x []float32, h, w, ho, wo int, col []float32) {
	row := 0
	for ci := 0; ci < c.cin; ci++ {
		xc := x[ci*h*w : (ci+1)*h*w]
		for ky := 0; ky < c.k; ky++ {
			for kx := 0; kx < c.k; kx++ {
				dst := col[row*ho*wo : (row+1)*ho*wo]
				row++
				lo, hi := c.span(kx, w, wo)
				if c.stride == 1 && wo == w {
					shifted(xc, dst, h, w, ky-c.pad, kx-c.pad, lo, hi)
					continue
				}
				off := kx - c.pad
				for oy := 0; oy < ho; oy++ {
					iy := oy*c.stride - c.pad + ky
					d := dst[oy*wo : (oy+1)*wo]
					if iy < 0 || iy >= h {
						clear(d)
						continue
					}
					xr := xc[iy*w : (iy+1)*w]
					clear(d[:lo])
					clear(d[hi:])
					for ox := lo; ox < hi; ox++ {
						d[ox] = xr[ox*c.stride+off]
					}
				}
			}
		}
	}
}

// shifted writes the h×w plane x shifted by (dy, dx) into d, zero where
// the source falls outside x: d[y][x] = x[y+dy][x+dx]. Columns lo..hi-1 are
// those whose source column is inside. Because the rows of d and x have the
// same length, the inside rows are one contiguous copy (one call instead of
// three per row, which dominated im2col on the small planes of a proxy
// network); the columns that wrapped into a neighbouring row are then
// zeroed.
func shifted(x, d []float32, h, w, dy, dx, lo, hi int) {
	y0, y1 := max(-dy, 0), min(h-dy, h) // rows of d whose source row is inside
	if y1 <= y0 {
		clear(d)
		return
	}
	a, b := y0*w, y1*w // d[a:b] ← x[a+s : b+s]
	s := dy*w + dx
	// Clipped to the source; empty when the shift exceeds a tiny plane.
	a0 := min(max(a, -s), b)
	b0 := max(min(b, len(x)-s), a0)
	clear(d[:a0])
	if a0 < b0 {
		copy(d[a0:b0], x[a0+s:b0+s])
	}
	clear(d[b0:])
	lo, hi = min(lo, w), min(hi, w)
	for y := y0; y < y1; y++ {
		r := d[y*w : (y+1)*w]
		for j := 0; j < lo; j++ {
			r[j] = 0
		}
		for j := hi; j < w; j++ {
			r[j] = 0
		}
	}
}

// col2im adds the patch-matrix gradient col back onto the input gradient dx.
func (c *conv) col2im(col []float32, h, w, ho, wo int, dx []float32) {
	row := 0
	for ci := 0; ci < c.cin; ci++ {
		dc := dx[ci*h*w : (ci+1)*h*w]
		for ky := 0; ky < c.k; ky++ {
			for kx := 0; kx < c.k; kx++ {
				src := col[row*ho*wo : (row+1)*ho*wo]
				row++
				lo, hi := c.span(kx, w, wo)
				off := kx - c.pad
				for oy := 0; oy < ho; oy++ {
					iy := oy*c.stride - c.pad + ky
					if iy < 0 || iy >= h {
						continue
					}
					dr := dc[iy*w : (iy+1)*w]
					sr := src[oy*wo : (oy+1)*wo]
					if c.stride == 1 {
						s := sr[lo:hi]
						d := dr[lo+off:][:len(s)] // same length: no bounds checks below
						for j, v := range s {
							d[j] += v
						}
						continue
					}
					for ox := lo; ox < hi; ox++ {
						dr[ox*c.stride+off] += sr[ox]
					}
				}
			}
		}
	}
}

func (c *conv) forward(x *Tensor, ps *pass) *Tensor {
	c.x = x
	ho, wo := c.outSize(x.H), c.outSize(x.W)
	y := ps.tensor(x.N, c.cout, ho, wo)
	kk := c.cin * c.k * c.k
	var col []float32
	if !c.direct() {
		col = ps.scratch(kk * ho * wo)
	}
	for i := 0; i < x.N; i++ {
		xi := x.Sample(i)
		if c.direct() {
			col = xi
		} else {
			c.im2col(xi, x.H, x.W, ho, wo, col)
		}
		gemmNN(c.cout, ho*wo, kk, c.w.w, col, y.Sample(i))
	}
	return y
}

func (c *conv) backward(dy *Tensor, ps *pass) *Tensor {
	x := c.x
	dx := ps.like(x)
	ho, wo := dy.H, dy.W
	kk := c.cin * c.k * c.k
	wt := ps.scratch(kk * c.cout)
	transpose(c.cout, kk, c.w.w, wt)
	var col, dcol []float32
	if !c.direct() {
		col = ps.scratch(kk * ho * wo)
		dcol = ps.scratch(kk * ho * wo)
	}
	for i := 0; i < x.N; i++ {
		dyi := dy.Sample(i)
		if c.direct() {
			gemmNN(kk, ho*wo, c.cout, wt, dyi, dx.Sample(i))
			col = x.Sample(i)
		} else {
			clear(dcol)
			gemmNN(kk, ho*wo, c.cout, wt, dyi, dcol)
			c.col2im(dcol, x.H, x.W, ho, wo, dx.Sample(i))
		}
		if g := ps.gradOf(&c.w, i); g != nil {
			if !c.direct() {
				c.im2col(x.Sample(i), x.H, x.W, ho, wo, col)
			}
			gemmNT(c.cout, kk, ho*wo, dyi, col, g)
		}
	}
	return dx
}

// bnEps is BatchNorm's variance offset, PyTorch's default.
const bnEps = 1e-5

// batchNorm is an affine BatchNorm that normalizes with the statistics of
// the current batch (biased variance, as in training mode), or in a frozen
// pass with those it kept from the last pass that was not.
type batchNorm struct {
	c           int
	gamma, beta param
	mean, inv   []float32 // per channel: batch mean and 1/sqrt(var+eps)
	xhat        *Tensor
}

func newBatchNorm(c int) *batchNorm {
	return &batchNorm{c: c,
		gamma: param{n: c, init: constant(1)},
		beta:  param{n: c, init: constant(0)},
		mean:  make([]float32, c), inv: make([]float32, c)}
}

func (b *batchNorm) params() []*param { return []*param{&b.gamma, &b.beta} }

func (b *batchNorm) forward(x *Tensor, ps *pass) *Tensor {
	hw := x.H * x.W
	if !ps.frozen {
		cnt := float64(x.N * hw)
		for c := 0; c < b.c; c++ {
			var s, ss float64
			for i := 0; i < x.N; i++ {
				for _, v := range x.Data[(i*b.c+c)*hw : (i*b.c+c+1)*hw] {
					s += float64(v)
					ss += float64(v) * float64(v)
				}
			}
			m := s / cnt
			v := max(ss/cnt-m*m, 0)
			b.mean[c] = float32(m)
			b.inv[c] = float32(1 / math.Sqrt(v+bnEps))
		}
	}
	b.xhat = ps.overwrite(x)
	y := ps.overwrite(x)
	for i := 0; i < x.N; i++ {
		for c := 0; c < b.c; c++ {
			o := (i*b.c + c) * hw
			m, inv, g, be := b.mean[c], b.inv[c], b.gamma.w[c], b.beta.w[c]
			xs := x.Data[o : o+hw]
			xh, yy := b.xhat.Data[o:][:len(xs)], y.Data[o:][:len(xs)]
			for j, v := range xs {
				h := (v - m) * inv
				xh[j] = h
				yy[j] = g*h + be
			}
		}
	}
	return y
}

func (b *batchNorm) backward(dy *Tensor, ps *pass) *Tensor {
	hw := dy.H * dy.W
	dx := ps.overwrite(dy)
	for i := 0; i < dy.N; i++ {
		gg, gb := ps.gradOf(&b.gamma, i), ps.gradOf(&b.beta, i)
		for c := 0; c < b.c; c++ {
			o := (i*b.c + c) * hw
			s := b.gamma.w[c] * b.inv[c]
			dys := dy.Data[o : o+hw]
			xh, d := b.xhat.Data[o:][:len(dys)], dx.Data[o:][:len(dys)]
			var sg, sb float32
			for j, v := range dys {
				d[j] = v * s
				sg += v * xh[j]
				sb += v
			}
			if gg != nil {
				gg[c] += sg
				gb[c] += sb
			}
		}
	}
	return dx
}

// relu is max(x, 0), NaN kept as NaN (so that the indicators see it and
// give the worst score, instead of a NaN turned into a plausible 0); its
// derivative at 0 is taken as 0.
type relu struct{ y *Tensor }

func (*relu) params() []*param { return nil }

func (r *relu) forward(x *Tensor, ps *pass) *Tensor {
	y := ps.overwrite(x)
	yd := y.Data[:len(x.Data)]
	for i, v := range x.Data {
		b := math.Float32bits(v)
		yd[i] = math.Float32frombits(b & kept(b))
	}
	r.y = y
	if ps.patterns != nil {
		ps.patterns.record(x)
	}
	return y
}

func (r *relu) backward(dy *Tensor, ps *pass) *Tensor {
	dx := ps.overwrite(dy)
	dxd, dyd := dx.Data[:len(r.y.Data)], dy.Data[:len(r.y.Data)]
	for i, v := range r.y.Data {
		dxd[i] = math.Float32frombits(math.Float32bits(dyd[i]) & kept(math.Float32bits(v)))
	}
	return dx
}

// positive returns all ones if the float32 with bits b is > 0 (a finite
// positive number or +Inf) and zero otherwise (±0, negative, NaN). It is
// the test "v > 0" without a branch: on the random signs of activations a
// branch mispredicts half the time, and ReLU was a fifth of the indicators'
// time (BenchmarkCompute). Bits 1..0x7f800000 are exactly the values > 0.
func positive(b uint32) uint32 {
	return -uint32((uint64(b-1) - 0x7f800000) >> 63)
}

// kept is ReLU's mask of the float32 with bits b: all ones if it is > 0 or
// NaN, zero otherwise. Magnitude bits above 0x7f800000 are exactly the NaNs.
func kept(b uint32) uint32 {
	return positive(b) | -uint32((0x7f800000-uint64(b&0x7fffffff))>>63)
}

// avgPool3 is 3×3 average pooling with stride 1 and padding 1 that divides
// by the number of in-bounds pixels (padding not counted).
type avgPool3 struct{}

func (avgPool3) params() []*param { return nil }

// pool3 writes the 3×3 window means of the h×w map src into dst (padding
// not counted); with adjoint it instead writes the transpose, used by the
// backward pass: each src value divided by its window's size, summed over
// the windows containing each dst pixel. tmp is scratch of h·w values.
//
// The adjoint gathers what a scatter onto a zero dst (each src value added
// onto its window, in row-major order) would add, in the same order, so
// both forms give the same bits; gathering lets it share box3's fast
// interior.
func pool3(src, dst, tmp []float32, h, w int, adjoint bool) {
	if adjoint {
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				tmp[y*w+x] = src[y*w+x] * windowInv(y, x, h, w)
			}
		}
		box3(tmp, dst, h, w)
		return
	}
	box3(src, dst, h, w)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dst[y*w+x] *= windowInv(y, x, h, w)
		}
	}
}

// windowInv is 1 / the number of pixels in the 3×3 window at (y, x).
func windowInv(y, x, h, w int) float32 {
	return 1 / float32((min(y+1, h-1)-max(y-1, 0)+1)*(min(x+1, w-1)-max(x-1, 0)+1))
}

// box3 writes into dst each pixel's sum of src over its 3×3 window
// (clipped at the border), added from zero in row-major order. The interior
// is unrolled: the loop over a 3×3 window cost more than its nine adds.
func box3(src, dst []float32, h, w int) {
	for y := 0; y < h; y++ {
		y0, y1 := max(y-1, 0), min(y+1, h-1)
		inner := y > 0 && y < h-1
		for x := 0; x < w; x++ {
			if inner && x > 0 && x < w-1 {
				r0 := src[(y-1)*w+x-1 : (y-1)*w+x+2]
				r1 := src[y*w+x-1 : y*w+x+2]
				r2 := src[(y+1)*w+x-1 : (y+1)*w+x+2]
				var s float32
				s += r0[0]
				s += r0[1]
				s += r0[2]
				s += r1[0]
				s += r1[1]
				s += r1[2]
				s += r2[0]
				s += r2[1]
				s += r2[2]
				dst[y*w+x] = s
				continue
			}
			x0, x1 := max(x-1, 0), min(x+1, w-1)
			var s float32
			for yy := y0; yy <= y1; yy++ {
				for xx := x0; xx <= x1; xx++ {
					s += src[yy*w+xx]
				}
			}
			dst[y*w+x] = s
		}
	}
}

func (avgPool3) forward(x *Tensor, ps *pass) *Tensor {
	y := ps.overwrite(x)
	hw := x.H * x.W
	for m := 0; m < x.N*x.C; m++ {
		pool3(x.Data[m*hw:(m+1)*hw], y.Data[m*hw:(m+1)*hw], nil, x.H, x.W, false)
	}
	return y
}

func (avgPool3) backward(dy *Tensor, ps *pass) *Tensor {
	dx := ps.overwrite(dy)
	hw := dy.H * dy.W
	tmp := ps.scratch(hw)
	for m := 0; m < dy.N*dy.C; m++ {
		pool3(dy.Data[m*hw:(m+1)*hw], dx.Data[m*hw:(m+1)*hw], tmp, dy.H, dy.W, true)
	}
	return dx
}

// avgPool2 is 2×2 average pooling with stride 2 (even sizes), the shortcut
// of the reduction block.
type avgPool2 struct{}

func (avgPool2) params() []*param { return nil }

func (avgPool2) forward(x *Tensor, ps *pass) *Tensor {
	y := ps.tensor(x.N, x.C, x.H/2, x.W/2)
	for m := 0; m < x.N*x.C; m++ {
		src := x.Data[m*x.H*x.W:]
		dst := y.Data[m*y.H*y.W:]
		for oy := 0; oy < y.H; oy++ {
			for ox := 0; ox < y.W; ox++ {
				i := 2*oy*x.W + 2*ox
				dst[oy*y.W+ox] = (src[i] + src[i+1] + src[i+x.W] + src[i+x.W+1]) / 4
			}
		}
	}
	return y
}

func (avgPool2) backward(dy *Tensor, ps *pass) *Tensor {
	dx := ps.tensor(dy.N, dy.C, dy.H*2, dy.W*2)
	for m := 0; m < dy.N*dy.C; m++ {
		src := dy.Data[m*dy.H*dy.W:]
		dst := dx.Data[m*dx.H*dx.W:]
		for oy := 0; oy < dy.H; oy++ {
			for ox := 0; ox < dy.W; ox++ {
				g := src[oy*dy.W+ox] / 4
				i := 2*oy*dx.W + 2*ox
				dst[i] += g
				dst[i+1] += g
				dst[i+dx.W] += g
				dst[i+dx.W+1] += g
			}
		}
	}
	return dx
}

// identity is skip_connect.
type identity struct{}

func (identity) params() []*param                     { return nil }
func (identity) forward(x *Tensor, ps *pass) *Tensor  { return x }
func (identity) backward(d *Tensor, ps *pass) *Tensor { return d }

// sequence chains modules.
type sequence []module

func (s sequence) params() []*param {
	var ps []*param
	for _, m := range s {
		ps = append(ps, m.params()...)
	}
	return ps
}

func (s sequence) forward(x *Tensor, ps *pass) *Tensor {
	for _, m := range s {
		x = m.forward(x, ps)
	}
	return x
}

func (s sequence) backward(d *Tensor, ps *pass) *Tensor {
	for i := len(s) - 1; i >= 0; i-- {
		d = s[i].backward(d, ps)
	}
	return d
}

// reluConvBN is NAS-Bench-201's ReLU → Conv → BatchNorm.
func reluConvBN(cin, cout, k, stride, pad int) sequence {
	return sequence{&relu{}, newConv(cin, cout, k, stride, pad), newBatchNorm(cout)}
}

// globalPool averages each map: N×C×H×W → N×C×1×1.
type globalPool struct{ h, w int }

func (*globalPool) params() []*param { return nil }

func (g *globalPool) forward(x *Tensor, ps *pass) *Tensor {
	g.h, g.w = x.H, x.W
	y := ps.tensor(x.N, x.C, 1, 1)
	hw := x.H * x.W
	for m := range y.Data {
		var s float32
		for _, v := range x.Data[m*hw : (m+1)*hw] {
			s += v
		}
		y.Data[m] = s / float32(hw)
	}
	return y
}

func (g *globalPool) backward(dy *Tensor, ps *pass) *Tensor {
	dx := ps.tensor(dy.N, dy.C, g.h, g.w)
	hw := g.h * g.w
	for m, v := range dy.Data {
		d := dx.Data[m*hw : (m+1)*hw]
		v /= float32(hw)
		for j := range d {
			d[j] = v
		}
	}
	return dx
}

// linear is the classifier y = W·x + b on N×C×1×1 inputs.
type linear struct {
	in, out int
	w, b    param
	x       *Tensor
}

func newLinear(in, out int) *linear {
	return &linear{in: in, out: out,
		w: param{n: in * out, init: kaiming(in, 1)},
		b: param{n: out, init: constant(0)}}
}

func (l *linear) params() []*param { return []*param{&l.w, &l.b} }

func (l *linear) forward(x *Tensor, ps *pass) *Tensor {
	l.x = x
	y := ps.tensor(x.N, l.out, 1, 1)
	gemmNT(x.N, l.out, l.in, x.Data, l.w.w, y.Data)
	for i := 0; i < x.N; i++ {
		for o, v := range l.b.w {
			y.Data[i*l.out+o] += v
		}
	}
	return y
}

func (l *linear) backward(dy *Tensor, ps *pass) *Tensor {
	dx := ps.like(l.x)
	gemmNN(dy.N, l.in, l.out, dy.Data, l.w.w, dx.Data)
	for i := 0; i < dy.N; i++ {
		gw, gb := ps.gradOf(&l.w, i), ps.gradOf(&l.b, i)
		if gw == nil {
			continue
		}
		dyi := dy.Data[i*l.out : (i+1)*l.out]
		xi := l.x.Data[i*l.in : (i+1)*l.in]
		for o, d := range dyi {
			gb[o] += d
			row := gw[o*l.in : (o+1)*l.in]
			for j, v := range xi {
				row[j] += d * v
			}
		}
	}
	return dx
}
