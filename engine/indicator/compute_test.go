package indicator

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/nasplay/nasplay/assets"
	"github.com/nasplay/nasplay/engine/nn"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

func mustCalib(tb testing.TB) *Calib {
	tb.Helper()
	c, err := DecodeCalib(assets.Calib)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func mustArch(tb testing.TB, s string) space.Arch {
	tb.Helper()
	a, err := space.Parse(s)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// small is a cheap configuration for tests of behaviour, not of values.
func small() scores.Config {
	c := scores.Default()
	c.C, c.Batch, c.CJImages, c.CJVariants, c.NLRSamples, c.WeightDraws = 4, 8, 2, 4, 200, 1
	return c
}

// TestClassMembersAgree: two cells of one isomorphism class (nodes 1 and 2
// swapped, plus a dead edge) get identical values.
func TestClassMembersAgree(t *testing.T) {
	a := mustArch(t, "|nor_conv_3x3~0|+|avg_pool_3x3~0|none~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|")
	b := mustArch(t, "|avg_pool_3x3~0|+|nor_conv_3x3~0|none~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|")
	if a.Canonical() != b.Canonical() {
		t.Fatal("test cells are not isomorphic")
	}
	e, err := NewEvaluator(small(), mustCalib(t), tables.CIFAR10)
	if err != nil {
		t.Fatal(err)
	}
	ra, err := e.Evaluate(a)
	if err != nil {
		t.Fatal(err)
	}
	rb, _ := e.Evaluate(b)
	if ra != rb {
		t.Errorf("class members differ:\n%+v\n%+v", ra, rb)
	}
	for k, bad := range ra.Invalid {
		if bad {
			t.Errorf("%s invalid for a connected cell", scores.Names()[k])
		}
	}
	// Orientation and range sanity: counts are bounded by their sample
	// sizes, 1/κ lies in (0, 1], and os is minus a variance.
	cfg := small()
	if v := ra.Values[scores.CJ]; v < 0 || v > float64(cfg.CJImages*cfg.CJVariants*(cfg.CJVariants-1)/2) {
		t.Errorf("cj = %v out of range", v)
	}
	if v := ra.Values[scores.NLR]; v < 1 || v > float64(cfg.NLRSamples) {
		t.Errorf("nlr = %v out of range", v)
	}
	if v := ra.Values[scores.CNNTK]; !(v > 0 && v <= 1) {
		t.Errorf("cnntk = %v out of (0, 1]", v)
	}
	if v := ra.Values[scores.OS]; !(v < 0) {
		t.Errorf("os = %v, want < 0", v)
	}
}

// TestWeightDraws: with several weight draws each indicator is the mean of
// the single-draw values (cnntk their geometric mean), and the draws are
// really different initializations.
func TestWeightDraws(t *testing.T) {
	cfg := small()
	cfg.WeightDraws = 3
	e, err := NewEvaluator(cfg, mustCalib(t), tables.CIFAR10)
	if err != nil {
		t.Fatal(err)
	}
	a := mustArch(t, "|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|avg_pool_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|")
	got, err := e.Evaluate(a)
	if err != nil {
		t.Fatal(err)
	}
	a = a.Canonical()
	net, _ := nn.Build(a, nn.Shape{C: cfg.C, N: cfg.N, Input: 32, Classes: 10})
	thin, _ := nn.Build(a, nn.Shape{C: cfg.NLRC, N: 1, Input: cfg.NLRPatch, Classes: 10})
	var draws [][scores.NumRaw]float64
	for k := 0; k < cfg.WeightDraws; k++ {
		r := rand.New(rand.NewPCG(cfg.Seed, uint64(a.Code())+uint64(k)<<32))
		net.Init(r)
		thin.Init(r)
		v, err := e.draw(net, thin)
		if err != nil {
			t.Fatal(err)
		}
		draws = append(draws, v)
	}
	for i, name := range scores.Names()[:scores.NumRaw] {
		want := 0.0
		for _, v := range draws {
			if i == scores.CNNTK {
				want += math.Log(v[i]) / float64(len(draws))
			} else {
				want += v[i] / float64(len(draws))
			}
		}
		if i == scores.CNNTK {
			want = math.Exp(want)
		}
		if math.Abs(got.Values[i]-want) > 1e-12*math.Abs(want) {
			t.Errorf("%s = %v, want the draws' mean %v (draws %v)", name, got.Values[i], want, draws)
		}
		if draws[0][i] == draws[1][i] && draws[1][i] == draws[2][i] && i != scores.CJ {
			t.Errorf("%s: three draws gave the same value %v", name, draws[0][i])
		}
	}

	// Draws computed on several goroutines give the same bits.
	for _, workers := range []int{2, 3, 5} {
		e.Workers = workers
		par, err := e.Evaluate(a)
		if err != nil {
			t.Fatal(err)
		}
		if par != got {
			t.Errorf("Workers %d: %+v, want %+v as with one", workers, par, got)
		}
	}
}

// TestDisconnectedWorst: a cell without a path from input to output gets
// the defined worst score for every indicator, flagged invalid.
func TestDisconnectedWorst(t *testing.T) {
	a := mustArch(t, "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|none~0|none~1|none~2|")
	raw, err := Compute(small(), mustCalib(t), a, tables.ImageNet16)
	if err != nil {
		t.Fatal(err)
	}
	for k := range raw.Values {
		if raw.Values[k] != scores.Worst || !raw.Invalid[k] {
			t.Errorf("%s = %v (invalid %v), want the worst score", scores.Names()[k], raw.Values[k], raw.Invalid[k])
		}
	}
}

// TestSingularNTK: a batch of identical images makes every gradient equal,
// so the kernel has rank one: cnntk must be flagged, not a tiny number.
func TestSingularNTK(t *testing.T) {
	e, err := NewEvaluator(small(), mustCalib(t), tables.CIFAR10)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < e.batch.N; i++ {
		copy(e.batch.Sample(i), e.batch.Sample(0))
	}
	raw, err := e.Evaluate(mustArch(t, "|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|nor_conv_3x3~2|"))
	if err != nil {
		t.Fatal(err)
	}
	if !raw.Invalid[scores.CNNTK] || raw.Values[scores.CNNTK] != scores.Worst {
		t.Errorf("cnntk = %v (invalid %v) on identical images", raw.Values[scores.CNNTK], raw.Invalid[scores.CNNTK])
	}
	// cj_eig stays defined: the correlation matrix is all ones, with
	// eigenvalues B (once) and 0 (B−1 times), which the 1e-5 offset turns
	// into a large finite penalty.
	b := float64(small().Batch)
	want := -(b-1)*(math.Log(1e-5)+1e5) - (math.Log(b+1e-5) + 1/(b+1e-5))
	if v := raw.Values[scores.CJEig]; raw.Invalid[scores.CJEig] || math.Abs(v-want) > 1e-3*math.Abs(want) {
		t.Errorf("cj_eig = %v on identical images, want %v", v, want)
	}
}

// BenchmarkCompute measures all raw indicators of one network at the
// default configuration (the goal is ≤ 150 ms natively, ≤ 1.5 s in wasm).
func BenchmarkCompute(b *testing.B) {
	calib := mustCalib(b)
	a := mustArch(b, "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|")
	for _, d := range tables.Datasets() {
		e, err := NewEvaluator(scores.Default(), calib, d)
		if err != nil {
			b.Fatal(err)
		}
		// workers=1 is the browser's case (one thread per Web Worker);
		// workers=GOMAXPROCS the CLI's live compute.
		counts := []int{1}
		if n := runtime.GOMAXPROCS(0); n > 1 {
			counts = append(counts, n)
		}
		for _, workers := range counts {
			e.Workers = workers
			b.Run(fmt.Sprintf("%v/workers=%d", d, workers), func(b *testing.B) {
				for b.Loop() {
					if _, err := e.Evaluate(a); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestJacobCountWindow: cj counts the pairs with 0 < Σ_ij < β, both ends
// excluded. Gradients a and b are exactly uncorrelated and c = a + b is
// correlated equally with both.
func TestJacobCountWindow(t *testing.T) {
	dx := nn.NewTensor(3, 1, 1, 4)
	copy(dx.Data, []float32{1, -1, 0, 0, 0, 0, 1, -1, 1, -1, 1, -1})
	sig := correlation(dx, 0, 3)
	s := sig.At(0, 2)
	if sig.At(0, 1) != 0 || sig.At(1, 2) != s || !(s > 0.7 && s < 0.71) {
		t.Fatalf("correlations %v, %v, %v", sig.At(0, 1), sig.At(0, 2), sig.At(1, 2))
	}
	for _, c := range []struct {
		beta float64
		want float64
	}{{s, 0}, {math.Nextafter(s, 1), 2}, {1, 2}, {0.5, 0}} {
		if got := jacobCount(dx, 1, 3, c.beta); got != c.want {
			t.Errorf("β = %v: count %v, want %v", c.beta, got, c.want)
		}
	}
}
