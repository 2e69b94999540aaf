package indicator

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"

	"github.com/nasplay/nasplay/engine/nn"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

// Evaluator computes the indicators of networks for one configuration and
// dataset. Its inputs (images, Cutout variants, noise, patches) depend on
// the configuration's seed only, so all networks are measured on the same
// data. An Evaluator is not safe for concurrent use; make one per goroutine.
type Evaluator struct {
	cfg     scores.Config
	dataset tables.Dataset
	size    int
	batch   *nn.Tensor   // Batch different images
	noisy   []*nn.Tensor // batch plus noise, one per draw
	cutout  *nn.Tensor   // CJImages × CJVariants Cutout variants
	patches *nn.Tensor   // NLRSamples patches

	// Progress, when not nil, is called as each step of Evaluate starts (in
	// every weight draw), with the names of the indicators the step
	// computes, so that a caller
	// (the browser's workers) can show where an evaluation is. With
	// Workers > 1 it is called from several goroutines at once.
	Progress func(names ...string)

	// Workers is how many weight draws of one network Evaluate computes at
	// once, each on its own goroutine and copy of the networks; 0 or 1
	// computes them in turn. The values do not depend on it. Set it where
	// one network's latency matters (a live compute on a multi-core
	// machine); a caller that already evaluates networks in parallel
	// (precompute) gains nothing from it.
	Workers int
}

// Random streams derived from the seed; weights use the class code instead.
const (
	streamImages = 1<<40 + iota
	streamCutout
	streamNoise
	streamPatches
	streamFit
)

// NewEvaluator prepares the inputs for cfg on dataset d from the
// calibration images.
func NewEvaluator(cfg scores.Config, calib *Calib, d tables.Dataset) (*Evaluator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if d < 0 || d >= tables.NumDatasets {
		return nil, fmt.Errorf("indicator: unknown dataset %d", d)
	}
	if calib.Len() < cfg.Batch+cfg.CJImages {
		return nil, fmt.Errorf("indicator: %d calibration images, config needs batch + cj_images = %d", calib.Len(), cfg.Batch+cfg.CJImages)
	}
	e := &Evaluator{cfg: cfg, dataset: d, size: d.InputSize()}
	full := make([]float32, calibPixels)
	// put stores a normalized 32×32 image as sample i of t, downsampled to
	// the dataset's input size.
	put := func(t *nn.Tensor, i int, img []float32) {
		if e.size == calibSide {
			copy(t.Sample(i), img)
		} else {
			downsample2(img, t.Sample(i))
		}
	}

	r := rand.New(rand.NewPCG(cfg.Seed, streamImages))
	perm := r.Perm(calib.Len())
	e.batch = nn.NewTensor(cfg.Batch, 3, e.size, e.size)
	for i := 0; i < cfg.Batch; i++ {
		calib.image(perm[i], full)
		put(e.batch, i, full)
	}

	r = rand.New(rand.NewPCG(cfg.Seed, streamNoise))
	for k := 0; k < cfg.OSDraws; k++ {
		t := nn.NewTensor(cfg.Batch, 3, e.size, e.size)
		for i, v := range e.batch.Data {
			t.Data[i] = v + float32(r.NormFloat64()*cfg.OSNoise)
		}
		e.noisy = append(e.noisy, t)
	}

	// Cutout (DeVries & Taylor): a square of side CutoutSize centred at a
	// uniform pixel, clipped at the border, set to 0 (the channel mean).
	r = rand.New(rand.NewPCG(cfg.Seed, streamCutout))
	e.cutout = nn.NewTensor(cfg.CJImages*cfg.CJVariants, 3, e.size, e.size)
	variant := make([]float32, calibPixels)
	for im := 0; im < cfg.CJImages; im++ {
		calib.image(perm[cfg.Batch+im], full)
		for v := 0; v < cfg.CJVariants; v++ {
			copy(variant, full)
			cy, cx := r.IntN(calibSide), r.IntN(calibSide)
			y0, y1 := max(cy-cfg.CutoutSize/2, 0), min(cy-cfg.CutoutSize/2+cfg.CutoutSize, calibSide)
			x0, x1 := max(cx-cfg.CutoutSize/2, 0), min(cx-cfg.CutoutSize/2+cfg.CutoutSize, calibSide)
			for ch := 0; ch < 3; ch++ {
				for y := y0; y < y1; y++ {
					clear(variant[ch*calibSide*calibSide+y*calibSide+x0 : ch*calibSide*calibSide+y*calibSide+x1])
				}
			}
			put(e.cutout, im*cfg.CJVariants+v, variant)
		}
	}

	r = rand.New(rand.NewPCG(cfg.Seed, streamPatches))
	p := cfg.NLRPatch
	e.patches = nn.NewTensor(cfg.NLRSamples, 3, p, p)
	img := make([]float32, 3*e.size*e.size)
	for i := 0; i < cfg.NLRSamples; i++ {
		calib.image(r.IntN(calib.Len()), full)
		put(&nn.Tensor{N: 1, C: 3, H: e.size, W: e.size, Data: img}, 0, full)
		y, x := r.IntN(e.size-p+1), r.IntN(e.size-p+1)
		dst := e.patches.Sample(i)
		for ch := 0; ch < 3; ch++ {
			for yy := 0; yy < p; yy++ {
				copy(dst[(ch*p+yy)*p:(ch*p+yy+1)*p], img[(ch*e.size+y+yy)*e.size+x:])
			}
		}
	}
	return e, nil
}

// Compute returns every raw indicator of network a on dataset d at
// configuration cfg: a one-off NewEvaluator and Evaluate, with the weight
// draws spread over GOMAXPROCS goroutines.
func Compute(cfg scores.Config, calib *Calib, a space.Arch, d tables.Dataset) (scores.Raw, error) {
	e, err := NewEvaluator(cfg, calib, d)
	if err != nil {
		return scores.Raw{}, err
	}
	e.Workers = runtime.GOMAXPROCS(0)
	return e.Evaluate(a)
}

// Evaluate computes the raw indicators of a. They are defined on its
// isomorphism class: the network built is a.Canonical() (dead edges absent),
// and its weights are drawn from generators seeded by the configuration's
// seed, the class and the draw number, so all members of a class get
// identical values. Each indicator is the mean over the configuration's
// weight draws; cnntk, a ratio spanning decades, is their geometric mean.
func (e *Evaluator) Evaluate(a space.Arch) (scores.Raw, error) {
	var raw scores.Raw
	c := a.Canonical()
	if !c.Connected() {
		// The output does not depend on the input: no indicator is defined.
		for k := range raw.Values {
			raw.Values[k], raw.Invalid[k] = scores.Worst, true
		}
		return raw, nil
	}
	draws, err := e.draws(c)
	if err != nil {
		return raw, err
	}
	// Summed in draw order, so that the result does not depend on Workers.
	for _, v := range draws {
		v[scores.CNNTK] = math.Log(v[scores.CNNTK])
		for i := range v {
			raw.Values[i] += v[i] / float64(e.cfg.WeightDraws)
		}
	}
	raw.Values[scores.CNNTK] = math.Exp(raw.Values[scores.CNNTK])
	for k, v := range raw.Values {
		// NaN in any draw makes the mean NaN; a singular kernel (NaN ratio)
		// likewise.
		if math.IsNaN(v) || math.IsInf(v, 0) {
			raw.Values[k], raw.Invalid[k] = scores.Worst, true
		}
	}
	return raw, nil
}

// draws returns the raw indicators of every weight draw of the connected
// canonical network c, in draw order, computing up to e.Workers draws at
// once. Draw k's weights come from a generator seeded by (seed, class code
// + k·2³²), so a draw does not depend on which goroutine computes it.
func (e *Evaluator) draws(c space.Arch) ([][scores.NumRaw]float64, error) {
	vals := make([][scores.NumRaw]float64, e.cfg.WeightDraws)
	workers := max(1, min(e.Workers, len(vals)))
	errs := make([]error, workers)
	var next atomic.Int64
	work := func(w int) {
		net, err := nn.Build(c, nn.Shape{C: e.cfg.C, N: e.cfg.N, Input: e.size, Classes: e.dataset.Classes()})
		if err != nil {
			errs[w] = err
			return
		}
		thin, err := nn.Build(c, nn.Shape{C: e.cfg.NLRC, N: 1, Input: e.cfg.NLRPatch, Classes: e.dataset.Classes()})
		if err != nil {
			errs[w] = err
			return
		}
		for k := int(next.Add(1) - 1); k < len(vals); k = int(next.Add(1) - 1) {
			r := rand.New(rand.NewPCG(e.cfg.Seed, uint64(c.Code())+uint64(k)<<32))
			net.Init(r)
			thin.Init(r)
			if vals[k], err = e.draw(net, thin); err != nil {
				errs[w] = err
				return
			}
		}
	}
	if workers == 1 {
		// In the caller's goroutine: the browser's workers call Evaluate
		// from a JavaScript callback.
		work(0)
		return vals, errs[0]
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(w)
		}()
	}
	wg.Wait()
	return vals, errors.Join(errs...)
}

// draw computes the raw indicators for one initialization of net (the
// proxy) and thin (nlr's network).
func (e *Evaluator) draw(net, thin *nn.Net) (v [scores.NumRaw]float64, err error) {
	// One forward and one backward pass over the batch give each image's
	// input gradient (cj_eig) and weight gradient (cnntk).
	e.progress(scores.Names()[scores.CJEig], scores.Names()[scores.CNNTK])
	out, err := net.Forward(e.batch, nn.ForwardOpts{})
	if err != nil {
		return v, err
	}
	grads := make([]float32, e.cfg.Batch*net.NumParams())
	dx, err := net.Backward(ones(out), nn.PerSample, grads)
	if err != nil {
		return v, err
	}
	v[scores.CJEig] = jacobEig(dx)
	v[scores.CNNTK] = ntkCondition(grads, e.cfg.Batch, net.NumParams())

	// The noisy batches reuse the clean batch's BatchNorm statistics, so
	// that err measures the same function at shifted inputs.
	e.progress(scores.Names()[scores.OS])
	noisy := make([]*nn.Tensor, len(e.noisy))
	for k, x := range e.noisy {
		if noisy[k], err = net.Forward(x, nn.ForwardOpts{FrozenStats: true}); err != nil {
			return v, err
		}
	}
	v[scores.OS] = -outputVariance(out, noisy)

	e.progress(scores.Names()[scores.CJ])
	out, err = net.Forward(e.cutout, nn.ForwardOpts{})
	if err != nil {
		return v, err
	}
	if dx, err = net.Backward(ones(out), nn.InputOnly, nil); err != nil {
		return v, err
	}
	v[scores.CJ] = jacobCount(dx, e.cfg.CJImages, e.cfg.CJVariants, e.cfg.CJBeta)

	e.progress(scores.Names()[scores.NLR])
	var pat nn.Patterns
	if _, err := thin.Forward(e.patches, nn.ForwardOpts{Patterns: &pat}); err != nil {
		return v, err
	}
	v[scores.NLR] = float64(pat.Distinct())
	return v, nil
}

func (e *Evaluator) progress(names ...string) {
	if e.Progress != nil {
		e.Progress(names...)
	}
}

// ones returns a gradient of 1 for every logit: back-propagating it gives
// the gradient of each sample's summed output.
func ones(out *nn.Tensor) *nn.Tensor {
	t := nn.NewTensor(out.N, out.C, out.H, out.W)
	for i := range t.Data {
		t.Data[i] = 1
	}
	return t
}

// correlation returns the Pearson correlation matrix of the samples of t
// (each flattened), computed in float64. A constant sample gives NaN rows.
func correlation(t *nn.Tensor, first, n int) *mat.SymDense {
	rows := make([][]float64, n)
	for i := range rows {
		s := t.Sample(first + i)
		var mean float64
		for _, v := range s {
			mean += float64(v)
		}
		mean /= float64(len(s))
		row := make([]float64, len(s))
		var norm float64
		for j, v := range s {
			row[j] = float64(v) - mean
			norm += row[j] * row[j]
		}
		norm = math.Sqrt(norm)
		for j := range row {
			row[j] /= norm
		}
		rows[i] = row
	}
	return gram(n, func(i int) []float64 { return rows[i] })
}

// gram returns the n×n matrix of the dot products of row(i) and row(j),
// each summed in float64 in index order. It is written out rather than
// gonum's SymOuterK: that sums in blocks, in another order, and would not
// reproduce the committed indicator table bit for bit; and the rows here
// are float32 gradients, which it would first need copied to float64.
func gram[T float32 | float64](n int, row func(i int) []T) *mat.SymDense {
	g := mat.NewSymDense(n, nil)
	for i := 0; i < n; i++ {
		ri := row(i)
		for j := i; j < n; j++ {
			rj := row(j)[:len(ri)]
			var s float64
			for k, v := range ri {
				s += float64(v) * float64(rj[k])
			}
			g.SetSym(i, j, s)
		}
	}
	return g
}

// jacobCount is cj, the correlation-of-Jacobians score of Mellor et al. in
// the form of Tran & Bae: for each image, the input gradients J of its
// Cutout variants, and their correlation matrix Σ; the score counts the
// pairs i < j with 0 < Σ_ij < β, summed over the images. More weakly
// correlated pairs mean the network tells similar inputs apart: higher is
// better. A constant gradient makes the score NaN.
func jacobCount(dx *nn.Tensor, images, variants int, beta float64) float64 {
	count := 0.0
	for im := 0; im < images; im++ {
		sig := correlation(dx, im*variants, variants)
		for i := 0; i < variants; i++ {
			for j := i + 1; j < variants; j++ {
				s := sig.At(i, j)
				if math.IsNaN(s) {
					return math.NaN()
				}
				if s > 0 && s < beta {
					count++
				}
			}
		}
	}
	return count
}

// jacobEig is cj_eig, NASWOT v1's score over a batch of different images:
// with λ the eigenvalues of the correlation matrix of their input gradients,
// S = −Σ_k [log(λ_k + 1e-5) + 1/(λ_k + 1e-5)]. Eigenvalues near 1 (weakly
// correlated gradients) maximize each term: higher is better.
func jacobEig(dx *nn.Tensor) float64 {
	sig := correlation(dx, 0, dx.N)
	var eig mat.EigenSym
	if !eig.Factorize(sig, false) {
		return math.NaN()
	}
	const k = 1e-5
	s := 0.0
	for _, l := range eig.Values(nil) {
		s -= math.Log(l+k) + 1/(l+k)
	}
	return s
}

// ntkCondition is cnntk: with g_i the gradient of sample i's summed output
// with respect to all weights, Θ = G Gᵀ is the empirical neural tangent
// kernel and the score is 1/κ = λ_min/λ_max, in (0, 1]. A well-conditioned
// kernel trains fast: higher is better. A singular kernel (λ_min ≤ 0) or a
// failed factorization gives NaN.
func ntkCondition(grads []float32, b, p int) float64 {
	theta := gram(b, func(i int) []float32 { return grads[i*p : (i+1)*p] })
	var eig mat.EigenSym
	if !eig.Factorize(theta, false) {
		return math.NaN()
	}
	l := eig.Values(nil) // ascending
	lo, hi := l[0], l[len(l)-1]
	if !(lo > 0) || !(hi > 0) {
		return math.NaN()
	}
	return lo / hi
}

// outputVariance is the output sensitivity of Forouzesh et al.: with
// err = f(x+ε) − f(x) per image, noise draw and logit, the variance of err
// over images and draws, averaged over the logits. os is its negative
// (lower sensitivity generalizes better).
func outputVariance(clean *nn.Tensor, noisy []*nn.Tensor) float64 {
	n, k := clean.N, clean.C
	cnt := float64(n * len(noisy))
	total := 0.0
	for o := 0; o < k; o++ {
		var s, ss float64
		for _, t := range noisy {
			for i := 0; i < n; i++ {
				e := float64(t.Data[i*k+o]) - float64(clean.Data[i*k+o])
				s += e
				ss += e * e
			}
		}
		m := s / cnt
		total += ss/cnt - m*m
	}
	return total / float64(k)
}
