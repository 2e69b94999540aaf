package indicator

import (
	"testing"

	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/tables"
)

// The estimate bounds the peaks measured on the build machine (maximum
// resident set by /usr/bin/time, two weight draws of the all-3×3 cell, the
// README's table), and by no more than twice.
func TestFootprintBoundsMeasured(t *testing.T) {
	for _, m := range []struct {
		d                   tables.Dataset
		c, n, batch         int
		nlrC, patch, sample int // 0: the default
		kb                  int64
	}{
		{tables.CIFAR10, 4, 1, 16, 0, 0, 0, 47724},
		{tables.CIFAR10, 16, 1, 16, 0, 0, 0, 190432},
		{tables.CIFAR10, 32, 1, 16, 0, 0, 0, 464224},
		{tables.CIFAR10, 4, 5, 16, 0, 0, 0, 164076},
		{tables.CIFAR10, 16, 5, 16, 0, 0, 0, 770528},
		{tables.CIFAR10, 16, 1, 64, 0, 0, 0, 709344},
		{tables.CIFAR10, 4, 1, 128, 0, 0, 0, 300640},
		{tables.CIFAR10, 32, 2, 32, 0, 0, 0, 1615712},
		{tables.CIFAR10, 16, 5, 32, 0, 0, 0, 1493216},
		{tables.CIFAR10, 32, 1, 64, 0, 0, 0, 1772640},
		{tables.CIFAR10, 8, 3, 128, 0, 0, 0, 1573216},
		{tables.CIFAR10, 4, 1, 16, 8, 16, 2000, 992096},
		{tables.ImageNet16, 16, 5, 32, 0, 0, 0, 679520},
		{tables.ImageNet16, 32, 2, 32, 0, 0, 0, 921824},
	} {
		cfg := scores.Default()
		cfg.C, cfg.N, cfg.Batch = m.c, m.n, m.batch
		if m.nlrC > 0 {
			cfg.NLRC, cfg.NLRPatch, cfg.NLRSamples = m.nlrC, m.patch, m.sample
		}
		est, meas := Footprint(cfg, m.d, 1), m.kb<<10
		if est < meas || est > 2*meas {
			t.Errorf("%v c=%d n=%d batch=%d nlr %d/%d/%d: estimate %d MB, measured %d MB", m.d, m.c, m.n, m.batch, cfg.NLRC, cfg.NLRPatch, cfg.NLRSamples, est>>20, meas>>20)
		}
	}
}

// Parallel draws or networks each hold their own networks and buffers.
func TestFootprintParallel(t *testing.T) {
	cfg := scores.Default()
	one, two := Footprint(cfg, tables.CIFAR100, 1), Footprint(cfg, tables.CIFAR100, 2)
	if base := 2*one - two; base <= 0 || base >= one/2 {
		t.Errorf("one at a time %d, two %d: shared part %d", one, two, base)
	}
	if Footprint(cfg, tables.CIFAR100, 0) != one {
		t.Error("parallel 0 is not one at a time")
	}
}

// cj's Cutout variants are a batch of their own: when cj_images ×
// cj_variants is the larger, it sizes the activations, not batch.
func TestFootprintCJBatch(t *testing.T) {
	cfg := scores.Default()
	small := Footprint(cfg, tables.CIFAR10, 1)
	cfg.CJImages, cfg.CJVariants = 16, 16 // 256 images, batch 16
	big := Footprint(cfg, tables.CIFAR10, 1)
	cfg.CJImages, cfg.CJVariants, cfg.Batch = 1, 2, 256
	asBatch := Footprint(cfg, tables.CIFAR10, 1)
	if big <= 2*small || big >= asBatch {
		t.Errorf("256 Cutout variants: %d MB; default %d MB, batch 256 %d MB (which adds cnntk's per-sample gradients)", big>>20, small>>20, asBatch>>20)
	}
}
