package nn

import (
	"fmt"
	"math/rand/v2"

	"github.com/nasplay/nasplay/engine/space"
)

// Shape sets the size of a NAS-Bench-201 network: C channels in the first
// stage, N cells per stage, square inputs of Input pixels, Classes outputs.
// The benchmark's networks are C=16, N=5.
type Shape struct {
	C, N, Input, Classes int
}

// Validate reports a shape the macro network cannot be built with: the two
// stride-2 reductions need an input size divisible by 4.
func (s Shape) Validate() error {
	switch {
	case s.C < 1:
		return fmt.Errorf("nn: shape C = %d, want ≥ 1", s.C)
	case s.N < 1:
		return fmt.Errorf("nn: shape N = %d, want ≥ 1", s.N)
	case s.Input < 4 || s.Input%4 != 0:
		return fmt.Errorf("nn: shape Input = %d, want a positive multiple of 4", s.Input)
	case s.Classes < 1:
		return fmt.Errorf("nn: shape Classes = %d, want ≥ 1", s.Classes)
	}
	return nil
}

// cell is one NAS-Bench-201 cell: node j is the sum of op(node i) over the
// edges i→j that the architecture has.
type cell struct {
	ops [space.NumEdges]module // nil where the edge is absent
}

func newCell(a space.Arch, c int) *cell {
	var cl cell
	for e, op := range a {
		switch op {
		case space.Skip:
			cl.ops[e] = identity{}
		case space.Conv1x1:
			cl.ops[e] = reluConvBN(c, c, 1, 1, 0)
		case space.Conv3x3:
			cl.ops[e] = reluConvBN(c, c, 3, 1, 1)
		case space.AvgPool:
			cl.ops[e] = avgPool3{}
		}
	}
	return &cl
}

func (cl *cell) params() []*param {
	var ps []*param
	for _, m := range cl.ops {
		if m != nil {
			ps = append(ps, m.params()...)
		}
	}
	return ps
}

func (cl *cell) forward(x *Tensor, ps *pass) *Tensor {
	var nodes [space.NumNodes]*Tensor
	nodes[0] = x
	for j := 1; j < space.NumNodes; j++ {
		// A node without inputs is zero: a cell with no path to its output
		// computes the zero map.
		nodes[j] = ps.like(x)
		for i := 0; i < j; i++ {
			if m := cl.ops[space.EdgeIndex(i, j)]; m != nil {
				addInto(nodes[j], m.forward(nodes[i], ps))
			}
		}
	}
	return nodes[space.NumNodes-1]
}

func (cl *cell) backward(dy *Tensor, ps *pass) *Tensor {
	var grads [space.NumNodes]*Tensor
	for j := range grads {
		grads[j] = ps.like(dy)
	}
	addInto(grads[space.NumNodes-1], dy)
	// Node j's gradient is complete once every later node has been visited.
	for j := space.NumNodes - 1; j >= 1; j-- {
		for i := 0; i < j; i++ {
			if m := cl.ops[space.EdgeIndex(i, j)]; m != nil {
				addInto(grads[i], m.backward(grads[j], ps))
			}
		}
	}
	return grads[0]
}

// resBlock is the reduction block between stages: a stride-2 residual block
// whose shortcut is 2×2 average pooling followed by a 1×1 convolution.
type resBlock struct {
	main, shortcut sequence
}

func newResBlock(cin, cout int) *resBlock {
	return &resBlock{
		main:     append(reluConvBN(cin, cout, 3, 2, 1), reluConvBN(cout, cout, 3, 1, 1)...),
		shortcut: sequence{avgPool2{}, newConv(cin, cout, 1, 1, 0)},
	}
}

func (r *resBlock) params() []*param { return append(r.main.params(), r.shortcut.params()...) }

func (r *resBlock) forward(x *Tensor, ps *pass) *Tensor {
	y := r.main.forward(x, ps)
	addInto(y, r.shortcut.forward(x, ps))
	return y
}

func (r *resBlock) backward(dy *Tensor, ps *pass) *Tensor {
	dx := r.main.backward(dy, ps)
	addInto(dx, r.shortcut.backward(dy, ps))
	return dx
}

// Net is a NAS-Bench-201 macro network: a 3×3 convolution stem with
// BatchNorm, three stages of N cells at C, 2C and 4C channels joined by
// reduction blocks, then BatchNorm, ReLU, global average pooling and a
// linear classifier.
type Net struct {
	shape     Shape
	body      sequence
	params    []*param
	numParams int
	mem       arena // the intermediate tensors of the last Forward and Backward
	batch     int   // the batch size of the last Forward; 0 before any
}

// Build returns the network for cell a with shape s, without weights (see
// Init). It builds exactly the edges a has: pass a.Pruned() for the network
// whose dead edges are absent, or a itself for the benchmark's network.
func Build(a space.Arch, s Shape) (*Net, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	c := s.C
	body := sequence{newConv(3, c, 3, 1, 1), newBatchNorm(c)}
	for stage := 0; stage < 3; stage++ {
		if stage > 0 {
			body = append(body, newResBlock(c, 2*c))
			c *= 2
		}
		for i := 0; i < s.N; i++ {
			body = append(body, newCell(a, c))
		}
	}
	body = append(body, newBatchNorm(c), &relu{}, &globalPool{}, newLinear(c, s.Classes))
	n := &Net{shape: s, body: body, params: body.params()}
	for _, p := range n.params {
		p.off = n.numParams
		n.numParams += p.n
	}
	return n, nil
}

// NumParams returns the number of weights, BatchNorm affine parameters and
// classifier biases, as NAS-Bench-201 counts parameters.
func (n *Net) NumParams() int { return n.numParams }

// Init draws the weights from r in a fixed order: convolutions
// N(0, 2/fan_in) (He), classifier weights N(0, 1/fan_in), classifier biases
// 0, BatchNorm γ = 1 and β = 0.
func (n *Net) Init(r *rand.Rand) {
	for _, p := range n.params {
		if p.w == nil {
			p.w = make([]float32, p.n)
		}
		p.init(p.w, r)
	}
}

// ForwardOpts modifies a forward pass.
type ForwardOpts struct {
	// FrozenStats makes every BatchNorm normalize with the statistics of the
	// last forward pass that was not frozen, instead of those of this batch
	// (after Init they still belong to the old weights: run one unfrozen
	// pass first).
	FrozenStats bool
	// Patterns, when non-nil, records the sign pattern of every ReLU input.
	Patterns *Patterns
}

// Forward returns the logits (N×Classes×1×1) for inputs x
// (N×3×Input×Input).
func (n *Net) Forward(x *Tensor, opt ForwardOpts) (*Tensor, error) {
	if n.params[0].w == nil {
		return nil, fmt.Errorf("nn: Forward before Init")
	}
	if x.C != 3 || x.H != n.shape.Input || x.W != n.shape.Input || len(x.Data) != x.N*3*x.H*x.W {
		return nil, fmt.Errorf("nn: input %s, want N×3×%d×%d", x.shape(), n.shape.Input, n.shape.Input)
	}
	if opt.Patterns != nil {
		opt.Patterns.reset(x.N)
	}
	// The last cycle's tensors are no longer needed: the layers keep only
	// what the next Backward uses, and callers get copies.
	n.mem.release()
	n.batch = x.N
	return n.body.forward(x, &pass{frozen: opt.FrozenStats, patterns: opt.Patterns, mem: &n.mem}).clone(), nil
}

// GradMode selects which weight gradients Backward computes.
type GradMode int

const (
	// InputOnly computes input gradients only.
	InputOnly GradMode = iota
	// Summed adds the weight gradients of the batch into a vector of
	// NumParams values.
	Summed
	// PerSample writes each sample's weight gradient into its own row of a
	// batch×NumParams matrix.
	PerSample
)

// Backward back-propagates dy, the gradient with respect to the logits of
// the last Forward, with every BatchNorm's statistics held constant. It
// returns the gradient with respect to the input and, unless mode is
// InputOnly, adds the weight gradients into grads (in the order of the
// network's parameters).
func (n *Net) Backward(dy *Tensor, mode GradMode, grads []float32) (*Tensor, error) {
	ps := &pass{mem: &n.mem}
	switch mode {
	case Summed:
		ps.grads = grads
	case PerSample:
		ps.grads, ps.stride = grads, n.numParams
	}
	if mode != InputOnly && len(grads) < n.numParams+ps.stride*(dy.N-1) {
		return nil, fmt.Errorf("nn: gradient buffer of %d values, want %d", len(grads), n.numParams+ps.stride*(dy.N-1))
	}
	if dy.C != n.shape.Classes || dy.H != 1 || dy.W != 1 || dy.N != n.batch {
		if n.batch == 0 {
			return nil, fmt.Errorf("nn: Backward before Forward")
		}
		return nil, fmt.Errorf("nn: output gradient %s, want %d×%d×1×1 as the last Forward's output", dy.shape(), n.batch, n.shape.Classes)
	}
	return n.body.backward(dy, ps).clone(), nil
}
