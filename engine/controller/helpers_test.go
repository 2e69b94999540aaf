package controller

import (
	"math"

	"github.com/nasplay/nasplay/engine/space"
)

// The tests' views of the policy: the search only samples (Sample) and
// steps (Update), and never needs these.

// evaluate runs the policy forced to choose the ops of a, filling ep with the
// probabilities it gives them.
func (p *Policy) evaluate(a space.Arch, ep *Episode) { p.forward(ep, nil, &a) }

// logProb is the log-probability the policy gave the episode's cell.
func (ep *Episode) logProb() float64 {
	s := 0.0
	for t, op := range ep.Arch {
		s += math.Log(ep.Probs[t][op])
	}
	return s
}

// gradient writes the gradient accumulated since the last Update into dst
// (len NumParams): Σ weight·∇ log π over the accumulated episodes, formed
// by the gradRow and gradRest that Update applies.
func (p *Policy) gradient(dst []float64) {
	for r := 0; r < nGates; r++ {
		p.gradRow(r, dst[offW+r*width:offW+(r+1)*width])
	}
	p.gradRest(dst[offB:])
}
