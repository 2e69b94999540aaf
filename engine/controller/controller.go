// Package controller is the search's policy: an LSTM that emits a
// NAS-Bench-201 cell one edge at a time, trained with REINFORCE and Adam.
//
// The network: a learned start embedding is the first input; at each of the
// six decisions one LSTM step (1 layer, Hidden units) is followed by a linear
// layer to the five op logits and a softmax; the chosen op's embedding is the
// next input. The output layer is shared by the six decisions, as the op set
// is. Every parameter starts uniform in [−0.1, 0.1].
//
// The math is written out on flat float64 slices with no allocation per
// episode: the search runs it a million times for one table of the paper,
// so this is the measured bottleneck of the project.
//
// The same seed gives the same bits natively on amd64 and under js/wasm:
// neither target fuses x*y+z into an FMA (amd64 does only when built with
// GOAMD64=v3 or higher, so keep the default v1 for reproducible traces), and
// exponentials go through math.Exp2, which is pure Go on both targets, while
// math.Exp is assembly on amd64 and may round differently. On amd64 with AVX
// (and AVX-512, where present) the dense kernels and the exponentials run in
// assembly that performs the same IEEE operations in the same order as
// their Go definitions (kernels_amd64.go).
package controller

import (
	"math"
	"math/rand/v2"

	"github.com/nasplay/nasplay/engine/space"
)

// Sizes of the network.
const (
	Hidden    = 100               // LSTM hidden units
	Embed     = 100               // op embedding size
	Decisions = space.NumEdges    // one decision per edge
	NumOps    = int(space.NumOps) // choices per decision
	start     = NumOps            // embedding row of the start token
	width     = Embed + Hidden    // LSTM input [x; h]
	nGates    = 4 * Hidden        // gates i, f, g, o
	InitRange = 0.1               // parameters start uniform in ±InitRange
)

// Layout of the flat parameter vector.
const (
	offW      = 0                         // LSTM weights, nGates rows × width
	offB      = offW + nGates*width       // LSTM bias
	offEmb    = offB + nGates             // (NumOps+1) × Embed; last row = start
	offOut    = offEmb + (NumOps+1)*Embed // output weights, NumOps rows × Hidden
	offOutB   = offOut + NumOps*Hidden    // output bias
	NumParams = offOutB + NumOps          // parameters in all
)

// Adam's constants (the usual defaults, as MISSION.md section 5 fixes them).
const (
	Beta1 = 0.9
	Beta2 = 0.999
	Eps   = 1e-8
)

// Policy is the controller's parameters, Adam state and pending gradient.
type Policy struct {
	theta    []float64 // parameters, laid out as the off* constants say
	m, v     []float64 // Adam moments
	grad     []float64 // scratch for Update: gradient of the parameters after the LSTM weights
	steps    int       // Adam steps taken
	pending  []record  // episodes accumulated since the last Update
	npending int
}

// record is what the gradient needs from one accumulated episode.
type record struct {
	in [Decisions]int             // input token of each step
	z  [Decisions][width]float64  // LSTM input [x; h_prev] of each step
	h  [Decisions][Hidden]float64 // hidden state after each step
	da [Decisions][nGates]float64 // d objective / d gate pre-activations
	dl [Decisions][NumOps]float64 // d objective / d logits
	dx [Decisions][Embed]float64  // d objective / d input embedding
}

// Episode is one pass of the policy: the cell it chose, the probabilities of
// every decision, and the activations the gradient needs.
type Episode struct {
	Arch  space.Arch
	Probs [Decisions][NumOps]float64 // softmax at each decision, given the earlier choices
	in    [Decisions]int
	z     [Decisions][width]float64
	gate  [Decisions][nGates]float64 // activated gates i, f, g, o
	c     [Decisions][Hidden]float64 // cell state
	tc    [Decisions][Hidden]float64 // tanh of the cell state
	h     [Decisions][Hidden]float64 // hidden state
}

// New returns a policy with parameters drawn uniform in [−InitRange, InitRange]
// from rng.
func New(rng *rand.Rand) *Policy {
	p := &Policy{
		theta: make([]float64, NumParams),
		m:     make([]float64, NumParams),
		v:     make([]float64, NumParams),
		grad:  make([]float64, NumParams-offB),
	}
	for i := range p.theta {
		p.theta[i] = (2*rng.Float64() - 1) * InitRange
	}
	return p
}

// Params is the flat parameter vector, laid out as the off* constants say.
// It is the policy's own slice, not a copy: writing to it changes the policy.
func (p *Policy) Params() []float64 { return p.theta }

// exp is e^x through math.Exp2, pure Go on amd64 and wasm alike.
func exp(x float64) float64 { return math.Exp2(x * math.Log2E) }

// The activations, split so that their exponentials can be taken in bulk:
// sigmoid(x) = sigmoidOf(2^sigmoidArg(x)) = 1/(1+e^−x), and
// tanh(x) = tanhOf(x, 2^tanhArg(x)) = (e^2x − 1)/(e^2x + 1), ±1 once
// saturated (which also keeps the exponential finite).
func sigmoidArg(x float64) float64 { return (-x) * math.Log2E }
func sigmoidOf(e float64) float64  { return 1 / (1 + e) }
func tanhArg(x float64) float64    { return (2 * x) * math.Log2E }
func tanhOf(x, e float64) float64 {
	if x > 20 || x < -20 {
		return math.Copysign(1, x)
	}
	return (e - 1) / (e + 1)
}

// Sample runs the policy, drawing each op from its softmax with one
// rng.Float64 per decision, and fills ep.
func (p *Policy) Sample(rng *rand.Rand, ep *Episode) { p.forward(ep, rng, nil) }

func (p *Policy) forward(ep *Episode, rng *rand.Rand, forced *space.Arch) {
	th := p.theta
	w, b := th[offW:offB], th[offB:offEmb]
	emb, wout, bout := th[offEmb:offOut], th[offOut:offOutB], th[offOutB:NumParams]
	tok := start
	var cprev [Hidden]float64
	for t := 0; t < Decisions; t++ {
		ep.in[t] = tok
		z := &ep.z[t]
		copy(z[:Embed], emb[tok*Embed:(tok+1)*Embed])
		n := width
		if t == 0 {
			n = Embed // h_prev = 0: skip its half of the product
			clear(z[Embed:])
		} else {
			copy(z[Embed:], ep.h[t-1][:])
		}
		gate := &ep.gate[t]
		matVec(gate[:], w, b, z[:n])
		// The exponentials of the activations, all of a step's at once
		// (exp2s runs them eight lanes wide where it can): sigmoid(x) =
		// 1/(1+e^−x) for gates i, f, o; tanh(x) from e^2x for gate g, then
		// for the cell state.
		var arg, e [nGates]float64
		for j, x := range gate {
			if j >= 2*Hidden && j < 3*Hidden {
				arg[j] = tanhArg(x)
			} else {
				arg[j] = sigmoidArg(x)
			}
		}
		exp2s(e[:], arg[:])
		for j := 0; j < Hidden; j++ {
			i, f := sigmoidOf(e[j]), sigmoidOf(e[Hidden+j])
			g, o := tanhOf(gate[2*Hidden+j], e[2*Hidden+j]), sigmoidOf(e[3*Hidden+j])
			gate[j], gate[Hidden+j], gate[2*Hidden+j], gate[3*Hidden+j] = i, f, g, o
			c := f*cprev[j] + i*g
			ep.c[t][j] = c
			arg[j] = tanhArg(c)
			cprev[j] = c
		}
		exp2s(e[:Hidden], arg[:Hidden])
		for j, c := range ep.c[t] {
			tc := tanhOf(c, e[j])
			ep.tc[t][j], ep.h[t][j] = tc, gate[3*Hidden+j]*tc
		}
		probs := &ep.Probs[t]
		var logits [NumOps]float64
		hi := math.Inf(-1)
		for k := range logits {
			logits[k] = bout[k] + dot(wout[k*Hidden:(k+1)*Hidden], ep.h[t][:])
			hi = math.Max(hi, logits[k])
		}
		sum := 0.0
		for k, l := range logits {
			probs[k] = exp(l - hi)
			sum += probs[k]
		}
		for k := range probs {
			probs[k] /= sum
		}
		var op int
		if forced != nil {
			op = int(forced[t])
		} else {
			op = draw(probs, rng.Float64())
		}
		ep.Arch[t] = space.Op(op)
		tok = op
	}
}

// draw picks the first k whose cumulative probability exceeds u; rounding
// that leaves u above the total picks the last op with non-zero probability.
func draw(probs *[NumOps]float64, u float64) int {
	acc, last := 0.0, 0
	for k, q := range probs {
		if q > 0 {
			last = k
		}
		acc += q
		if u < acc {
			return k
		}
	}
	return last
}

// Entropy is the sum over the six decisions of the entropy (nats) of each
// softmax along the sampled path: log 5 · 6 ≈ 9.66 for a uniform policy, 0
// for a deterministic one.
func (ep *Episode) Entropy() float64 {
	s := 0.0
	for t := range ep.Probs {
		for _, q := range ep.Probs[t] {
			if q > 0 {
				s -= q * math.Log(q)
			}
		}
	}
	return s
}

// Accumulate adds weight·∇ log π(ep.Arch) to the pending gradient: with
// weight = advantage (over the number of episodes in the batch) this is the
// REINFORCE estimate of the gradient of the expected reward. ep must come
// from this policy's current parameters.
func (p *Policy) Accumulate(ep *Episode, weight float64) {
	if p.npending == len(p.pending) {
		p.pending = append(p.pending, record{})
	}
	r := &p.pending[p.npending]
	p.npending++
	r.in, r.z, r.h = ep.in, ep.z, ep.h

	th := p.theta
	w, wout := th[offW:offB], th[offOut:offOutB]
	var dh, dc [Hidden]float64 // flowing back from step t+1
	var dz [width]float64
	for t := Decisions - 1; t >= 0; t-- {
		dl := &r.dl[t]
		for k, q := range ep.Probs[t] {
			dl[k] = -weight * q
		}
		dl[ep.Arch[t]] += weight
		for k, d := range dl {
			axpy(dh[:], d, wout[k*Hidden:(k+1)*Hidden])
		}
		gate, da := &ep.gate[t], &r.da[t]
		for j := 0; j < Hidden; j++ {
			i, f, g, o := gate[j], gate[Hidden+j], gate[2*Hidden+j], gate[3*Hidden+j]
			tc := ep.tc[t][j]
			cprev := 0.0
			if t > 0 {
				cprev = ep.c[t-1][j]
			}
			d := dc[j] + dh[j]*o*(1-tc*tc)
			da[j] = d * g * i * (1 - i)
			da[Hidden+j] = d * cprev * f * (1 - f)
			da[2*Hidden+j] = d * i * (1 - g*g)
			da[3*Hidden+j] = dh[j] * tc * o * (1 - o)
			dc[j] = d * f
		}
		if t == 0 {
			// Only the start embedding's gradient is left; h_prev was 0.
			matTVec(dz[:Embed], w, da[:])
		} else {
			matTVec(dz[:], w, da[:])
		}
		copy(r.dx[t][:], dz[:Embed])
		copy(dh[:], dz[Embed:])
	}
}

// gradRow writes the gradient of row r of the LSTM weights into dst: the sum
// over accumulated episodes and steps of da[t][r]·z[t].
func (p *Policy) gradRow(r int, dst []float64) {
	clear(dst)
	for ri := range p.pending[:p.npending] {
		rec := &p.pending[ri]
		// Six decisions, unrolled: space.NumEdges is fixed by the benchmark.
		a0, a1, a2, a3, a4, a5 := rec.da[0][r], rec.da[1][r], rec.da[2][r], rec.da[3][r], rec.da[4][r], rec.da[5][r]
		addProducts6(dst, rec.z[0][:], rec.z[1][:], rec.z[2][:], rec.z[3][:], rec.z[4][:], rec.z[5][:], a0, a1, a2, a3, a4, a5)
	}
}

// gradRest writes the gradient of the parameters after the LSTM weights
// (offB onwards) into dst.
func (p *Policy) gradRest(dst []float64) {
	clear(dst)
	gb, gemb := dst[:offEmb-offB], dst[offEmb-offB:offOut-offB]
	gout, goutb := dst[offOut-offB:offOutB-offB], dst[offOutB-offB:]
	for ri := range p.pending[:p.npending] {
		r := &p.pending[ri]
		for t := 0; t < Decisions; t++ {
			for k, d := range r.dl[t] {
				goutb[k] += d
				axpy(gout[k*Hidden:(k+1)*Hidden], d, r.h[t][:])
			}
			axpy(gb, 1, r.da[t][:])
			axpy(gemb[r.in[t]*Embed:(r.in[t]+1)*Embed], 1, r.dx[t][:])
		}
	}
}

// Update takes one Adam step up the accumulated gradient with learning rate
// lr and clears it.
//
// The LSTM weights' gradient is formed one row at a time and applied at
// once, never stored whole: the step is bound by memory traffic (the
// parameters and both moments are 1.9 MB, more than a core's L2 cache), and
// a stored gradient would add another 0.6 MB each way.
func (p *Policy) Update(lr float64) {
	p.steps++
	// Bias corrections folded into the step and ε, as in the usual
	// implementations: one square root and one division per parameter.
	c1 := 1 - math.Pow(Beta1, float64(p.steps))
	sc2 := math.Sqrt(1 - math.Pow(Beta2, float64(p.steps)))
	step, inv := lr/c1, 1/sc2
	var row [width]float64
	for r := 0; r < nGates; r++ {
		p.gradRow(r, row[:])
		lo := offW + r*width
		adam(p.theta[lo:lo+width], p.m[lo:lo+width], p.v[lo:lo+width], row[:], step, inv)
	}
	rest := p.grad[:NumParams-offB]
	p.gradRest(rest)
	adam(p.theta[offB:], p.m[offB:], p.v[offB:], rest, step, inv)
	p.npending = 0
}
