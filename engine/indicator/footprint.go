package indicator

import (
	"github.com/nasplay/nasplay/engine/nn"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

// heaviest is the cell that needs the most memory: every edge a 3×3
// convolution (the most weights, and an im2col buffer on every edge).
var heaviest = space.Arch{space.Conv3x3, space.Conv3x3, space.Conv3x3, space.Conv3x3, space.Conv3x3, space.Conv3x3}

// Footprint estimates the peak memory, in bytes, of evaluating the
// heaviest network at cfg on dataset d with parallel weight draws at once
// (Evaluator.Workers, or one per evaluator for callers that run
// evaluators side by side): enough to refuse, before any work, a
// configuration the machine or the browser cannot hold.
//
// It is a model fitted to the peak resident memory measured for 23
// configurations (README, "Configuration"): per image of a batch, the
// proxy keeps about 53 floats per unit of C·side²·(1 + 1.75·N) (its
// activations, im2col buffers and their gradients; each stage halves the
// spatial area and doubles the channels) and cnntk 1.4 floats per weight
// (the per-sample gradients and their Gram products); nlr's thin network
// keeps about 22 floats per unit of nlr_c·nlr_patch²·2.75 per sample;
// and 15 floats per weight of the proxy hold its weights, their gradients
// and the collector's slack. The measured peaks lie within 0.56–0.95 of the
// estimate.
func Footprint(cfg scores.Config, d tables.Dataset, parallel int) int64 {
	const (
		base    = 35 << 20 // the Go runtime, the calibration images and the inputs
		perAct  = 53.0
		perGrad = 1.4
		perThin = 22.0
		perWt   = 15.0
		margin  = 1.1
	)
	side := float64(d.InputSize())
	act := float64(cfg.C) * side * side * (1 + 1.75*float64(cfg.N))
	thin := float64(cfg.NLRC) * float64(cfg.NLRPatch*cfg.NLRPatch) * 2.75
	images := float64(max(cfg.Batch, cfg.CJImages*cfg.CJVariants))
	p := 0.0
	if net, err := nn.Build(heaviest, nn.Shape{C: cfg.C, N: cfg.N, Input: d.InputSize(), Classes: d.Classes()}); err == nil {
		p = float64(net.NumParams())
	}
	floats := perAct*images*act + perGrad*float64(cfg.Batch)*p + perWt*p + perThin*float64(cfg.NLRSamples)*thin
	return base + int64(margin*4*floats*float64(max(parallel, 1)))
}
