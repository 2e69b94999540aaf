package nn

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nasplay/nasplay/engine/space"
)

func randTensor(r *rand.Rand, n, c, h, w int) *Tensor {
	t := NewTensor(n, c, h, w)
	for i := range t.Data {
		t.Data[i] = float32(r.NormFloat64())
	}
	return t
}

// checkGrads compares the backward pass of m with central finite differences
// of the loss L = Σ r·m(x), with BatchNorm statistics frozen at those of x as
// the backward pass assumes. It checks input gradients, summed weight
// gradients, and that the per-sample weight gradients add up to the summed
// ones.
func checkGrads(t *testing.T, name string, m module, x *Tensor, r *rand.Rand) {
	t.Helper()
	ps := m.params()
	np := 0
	for _, p := range ps {
		p.off = np
		np += p.n
		p.w = make([]float32, p.n)
		for i := range p.w {
			p.w[i] = float32(0.5 + 0.5*r.Float64()) // a magnitude ≥ 0.5 keeps BN γ away from 0
			if r.IntN(2) == 0 {
				p.w[i] = -p.w[i]
			}
		}
	}
	y := m.forward(x, &pass{})
	proj := randTensor(r, y.N, y.C, y.H, y.W)
	loss := func() float64 {
		out := m.forward(x, &pass{frozen: true})
		var s float64
		for i, v := range out.Data {
			s += float64(v) * float64(proj.Data[i])
		}
		return s
	}
	m.forward(x, &pass{})
	sum := make([]float32, np)
	dx := m.backward(proj, &pass{grads: sum})
	m.forward(x, &pass{})
	per := make([]float32, np*x.N)
	dx2 := m.backward(proj, &pass{grads: per, stride: np})
	for i := range dx.Data {
		if dx.Data[i] != dx2.Data[i] {
			t.Fatalf("%s: input gradient depends on the gradient mode", name)
		}
	}
	for k := 0; k < np; k++ {
		var s float64
		for i := 0; i < x.N; i++ {
			s += float64(per[i*np+k])
		}
		if math.Abs(s-float64(sum[k])) > 1e-4*(1+math.Abs(s)) {
			t.Fatalf("%s: per-sample gradients of weight %d add to %g, summed %g", name, k, s, sum[k])
		}
	}
	// A ReLU kink inside [v-h, v+h] breaks the finite difference; it shows
	// as one-sided differences that disagree, and such points are skipped.
	const h = 1e-3
	skipped, checked := 0, 0
	near := func(what string, i int, got float32, v *float32) {
		old := *v
		l0 := loss()
		*v = old + h
		lp := loss()
		*v = old - h
		lm := loss()
		*v = old
		right, left := (lp-l0)/h, (l0-lm)/h
		checked++
		if math.Abs(right-left) > 1e-2*(1+math.Abs(right)) {
			skipped++
			return
		}
		if want := (lp - lm) / (2 * h); math.Abs(float64(got)-want) > 1e-2*(1+math.Abs(want)) {
			t.Errorf("%s: %s %d: backward %g, finite difference %g", name, what, i, got, want)
		}
	}
	defer func() {
		if skipped > checked/4 {
			t.Errorf("%s: %d of %d points sit on a ReLU kink; the check is too weak", name, skipped, checked)
		}
	}()
	for _, i := range sampleIdx(r, len(x.Data), 40) {
		near("input", i, dx.Data[i], &x.Data[i])
	}
	for _, p := range ps {
		for _, i := range sampleIdx(r, p.n, 20) {
			near("weight", p.off+i, sum[p.off+i], &p.w[i])
		}
	}
}

func sampleIdx(r *rand.Rand, n, k int) []int {
	if n <= k {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	idx := make([]int, k)
	for i := range idx {
		idx[i] = r.IntN(n)
	}
	return idx
}

func TestLayerGradients(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	mods := []struct {
		name string
		m    module
		c, s int // input channels and size
	}{
		{"conv3x3", newConv(3, 4, 3, 1, 1), 3, 6},
		{"conv3x3 stride 2", newConv(3, 4, 3, 2, 1), 3, 6},
		{"conv1x1", newConv(3, 5, 1, 1, 0), 3, 5},
		{"batchnorm", newBatchNorm(3), 3, 4},
		{"relu", &relu{}, 2, 4},
		{"avgpool3", avgPool3{}, 2, 5},
		{"avgpool2", avgPool2{}, 2, 4},
		{"global pool", &globalPool{}, 3, 3},
		{"linear", newLinear(6, 4), 6, 1},
		{"relu-conv-bn", reluConvBN(3, 3, 3, 1, 1), 3, 4},
		{"reduction block", newResBlock(2, 4), 2, 4},
		{"cell", newCell(mustParse(t, "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|"), 2), 2, 4},
	}
	for _, tc := range mods {
		x := randTensor(r, 3, tc.c, tc.s, tc.s)
		checkGrads(t, tc.name, tc.m, x, r)
	}
}

func mustParse(t *testing.T, s string) space.Arch {
	t.Helper()
	a, err := space.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestNetGradients checks a whole small NAS-Bench-201 network, and that its
// input gradient of sample i does not depend on the other samples (the
// batch statistics being constants).
func TestNetGradients(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	a := mustParse(t, "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|")
	n, err := Build(a, Shape{C: 2, N: 1, Input: 8, Classes: 3})
	if err != nil {
		t.Fatal(err)
	}
	x := randTensor(r, 3, 3, 8, 8)
	checkGrads(t, "network", n.body, x, r)

	// Each per-sample row is its own sample's: row i equals the summed
	// gradient of an output gradient that is zero except at sample i (a row
	// written to another sample's place would pass the sum check above).
	n.Init(r)
	y, err := n.Forward(x, ForwardOpts{})
	if err != nil {
		t.Fatal(err)
	}
	dy := randTensor(r, y.N, y.C, 1, 1)
	per := make([]float32, n.numParams*x.N)
	if _, err := n.Backward(dy, PerSample, per); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < x.N; i++ {
		only := NewTensor(dy.N, dy.C, 1, 1)
		copy(only.Sample(i), dy.Sample(i))
		sum := make([]float32, n.numParams)
		if _, err := n.Backward(only, Summed, sum); err != nil {
			t.Fatal(err)
		}
		row := per[i*n.numParams : (i+1)*n.numParams]
		for k, v := range sum {
			if d := math.Abs(float64(v - row[k])); d > 1e-5*(1+math.Abs(float64(v))) {
				t.Fatalf("sample %d, parameter %d: per-sample gradient %v, summed with only this sample %v", i, k, row[k], v)
			}
		}
	}
	if _, err := (&Net{}).Backward(dy, InputOnly, nil); err == nil {
		t.Error("Backward before any Forward: no error")
	}
}
