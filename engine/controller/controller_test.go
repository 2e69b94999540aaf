package controller

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/nasplay/nasplay/engine/space"
)

// objective is Σ weight·log π(arch) at the policy's current parameters.
func objective(p *Policy, archs []space.Arch, weights []float64) float64 {
	var ep Episode
	s := 0.0
	for i, a := range archs {
		p.evaluate(a, &ep)
		s += weights[i] * ep.logProb()
	}
	return s
}

// The written-out backward pass agrees with central finite differences of
// the objective, for parameters of every block.
func TestGradientFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	p := New(rng)
	// Larger weights than the init make the gates and softmax non-trivial.
	for i := range p.theta {
		p.theta[i] *= 5
	}
	archs := []space.Arch{{3, 1, 0, 4, 2, 3}, {0, 0, 1, 1, 2, 4}, {3, 1, 0, 4, 2, 3}}
	weights := []float64{0.7, -1.3, 0.4}
	var ep Episode
	for i, a := range archs {
		p.evaluate(a, &ep)
		p.Accumulate(&ep, weights[i])
	}
	grad := make([]float64, NumParams)
	p.gradient(grad)

	blocks := []struct {
		name   string
		lo, hi int
	}{
		{"W (input half)", offW, offW + Embed},
		{"W (hidden half)", offW + Embed, offW + width},
		{"W (last gate rows)", offW + (nGates-4)*width, offB},
		{"LSTM bias", offB, offEmb},
		{"op embeddings", offEmb, offEmb + NumOps*Embed},
		{"start embedding", offEmb + NumOps*Embed, offOut},
		{"output weights", offOut, offOutB},
		{"output bias", offOutB, NumParams},
	}
	const h = 1e-5
	checked := 0
	for _, b := range blocks {
		for k := 0; k < 12; k++ {
			i := b.lo + rng.IntN(b.hi-b.lo)
			old := p.theta[i]
			p.theta[i] = old + h
			up := objective(p, archs, weights)
			p.theta[i] = old - h
			down := objective(p, archs, weights)
			p.theta[i] = old
			fd := (up - down) / (2 * h)
			if err := math.Abs(fd - grad[i]); err > 1e-7+1e-5*math.Abs(fd) {
				t.Errorf("%s: param %d: backward %.10g, finite difference %.10g", b.name, i, grad[i], fd)
			}
			checked++
		}
	}
	t.Logf("%d parameters checked", checked)
}

// Sampling draws from the softmax the policy reports, and a positive
// weight on a cell raises its probability after an Adam step.
func TestSampleAndUpdate(t *testing.T) {
	p := New(rand.New(rand.NewPCG(7, 7)))
	rng := rand.New(rand.NewPCG(8, 8))
	var ep Episode
	p.Sample(rng, &ep)
	for d, probs := range ep.Probs {
		s := 0.0
		for _, q := range probs {
			if !(q > 0 && q < 1) {
				t.Fatalf("decision %d: probability %v outside (0,1)", d, q)
			}
			s += q
		}
		if math.Abs(s-1) > 1e-12 {
			t.Fatalf("decision %d: probabilities sum to %v", d, s)
		}
	}
	if e := ep.Entropy(); math.Abs(e-6*math.Log(5)) > 0.05 {
		t.Errorf("entropy at init %v, want about 6·log 5 = %v (weights are small)", e, 6*math.Log(5))
	}
	var again Episode
	p.evaluate(ep.Arch, &again)
	if again.Probs != ep.Probs {
		t.Fatal("evaluate of the sampled cell gives other probabilities than Sample")
	}
	target := ep.Arch
	before := ep.logProb()
	for k := 0; k < 20; k++ {
		p.evaluate(target, &ep)
		p.Accumulate(&ep, 1)
		p.Update(0.01)
	}
	p.evaluate(target, &ep)
	if after := ep.logProb(); !(after > before+1) {
		t.Errorf("log π(target) went from %v to %v after 20 steps of lr 0.01", before, after)
	}
}

// The empirical frequency of each first op matches its probability.
func TestSampleFrequencies(t *testing.T) {
	p := New(rand.New(rand.NewPCG(3, 3)))
	for i := offOutB; i < NumParams; i++ { // skew the first decision
		p.theta[i] = float64(i-offOutB) * 0.5
	}
	rng := rand.New(rand.NewPCG(4, 4))
	var ep Episode
	var count [NumOps]int
	const n = 8000
	for k := 0; k < n; k++ {
		p.Sample(rng, &ep)
		count[ep.Arch[0]]++
	}
	for k, c := range count {
		q := ep.Probs[0][k]
		if sd := math.Sqrt(q * (1 - q) / n); math.Abs(float64(c)/n-q) > 5*sd {
			t.Errorf("op %d drawn %d/%d times, probability %v", k, c, n, q)
		}
	}
}

func BenchmarkEpisode(b *testing.B) {
	p := New(rand.New(rand.NewPCG(1, 1)))
	rng := rand.New(rand.NewPCG(2, 2))
	var ep Episode
	for b.Loop() {
		p.Sample(rng, &ep)
		p.Accumulate(&ep, rng.Float64()-0.5)
		p.Update(5e-4)
	}
}

// TestAdamFirstStep: Adam's bias corrections make the first step move each
// parameter by lr in the direction of its gradient, g/(|g| + ε) · lr
// exactly as Update computes it, whatever the gradient's scale.
func TestAdamFirstStep(t *testing.T) {
	p := New(rand.New(rand.NewPCG(5, 5)))
	var ep Episode
	p.Sample(rand.New(rand.NewPCG(6, 6)), &ep)
	p.Accumulate(&ep, 0.3)
	g := make([]float64, NumParams)
	p.gradient(g)
	before := append([]float64(nil), p.theta...)
	const lr = 1e-3
	p.Update(lr)
	checked := 0
	for i, gi := range g {
		if math.Abs(gi) < 1e-5 {
			continue
		}
		checked++
		want := lr * gi / (math.Abs(gi) + Eps)
		if d := p.theta[i] - before[i]; math.Abs(d-want) > 1e-6*lr {
			t.Fatalf("parameter %d (gradient %v): first step %v, want %v", i, gi, d, want)
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d parameters with a gradient to check", checked)
	}
}

// TestSoftmaxLargeLogits: the softmax subtracts the largest logit, so a
// policy with a huge output bias still gives finite probabilities.
func TestSoftmaxLargeLogits(t *testing.T) {
	p := New(rand.New(rand.NewPCG(1, 1)))
	p.theta[offOutB+2] = 1000
	var ep Episode
	p.Sample(rand.New(rand.NewPCG(2, 2)), &ep)
	for d, probs := range ep.Probs {
		if !(math.Abs(probs[2]-1) < 1e-12) || ep.Arch[d] != 2 {
			t.Fatalf("decision %d: probabilities %v, op %v; want op 2 with probability 1", d, probs, ep.Arch[d])
		}
	}
}

// TestDraw: draw picks the first op whose cumulative probability exceeds u
// (never an op of probability 0), and the last op of non-zero probability
// when rounding leaves u above the total.
func TestDraw(t *testing.T) {
	for _, c := range []struct {
		probs [NumOps]float64
		u     float64
		want  int
	}{
		{[NumOps]float64{0, 1, 0, 0, 0}, 0, 1},
		{[NumOps]float64{0.25, 0.25, 0.25, 0.25, 0}, 0.5, 2},
		{[NumOps]float64{0.3, 0.3, 0.3, 0, 0}, 0.95, 2},
		{[NumOps]float64{0.2, 0.2, 0.2, 0.2, 0.2}, 0.999, 4},
	} {
		if got := draw(&c.probs, c.u); got != c.want {
			t.Errorf("draw(%v, %v) = %d, want %d", c.probs, c.u, got, c.want)
		}
	}
}
