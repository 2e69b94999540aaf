// Package nn is the small float32 network library behind the training-free
// indicators: NCHW tensors, the NAS-Bench-201 layers with forward and
// backward passes, and the NAS-Bench-201 macro network.
//
// BatchNorm normalizes with the statistics of the current batch (or, with
// ForwardOpts.FrozenStats, of the last batch that was not frozen), and every
// backward pass treats those statistics as constants. The gradient of
// sample i then depends on sample i alone, so one backward pass over a batch
// yields every per-sample input gradient, and per-sample weight gradients
// (for the neural tangent kernel) are accumulated from each sample's own rows
// in the same pass.
//
// A Net is not safe for concurrent use: layers keep what the backward pass
// needs from the last forward pass.
package nn

import "fmt"

// Tensor is a dense batch of feature maps in NCHW order.
type Tensor struct {
	N, C, H, W int
	Data       []float32
}

// NewTensor returns a zero tensor of the given shape.
func NewTensor(n, c, h, w int) *Tensor {
	return &Tensor{n, c, h, w, make([]float32, n*c*h*w)}
}

// Sample returns the data of sample i.
func (t *Tensor) Sample(i int) []float32 {
	s := t.C * t.H * t.W
	return t.Data[i*s : (i+1)*s]
}

// clone returns a copy of t with its own data.
func (t *Tensor) clone() *Tensor {
	c := NewTensor(t.N, t.C, t.H, t.W)
	copy(c.Data, t.Data)
	return c
}

func (t *Tensor) shape() string { return fmt.Sprintf("%d×%d×%d×%d", t.N, t.C, t.H, t.W) }

// addInto adds src into dst, which must have the same shape.
func addInto(dst, src *Tensor) {
	d := dst.Data[:len(src.Data)]
	for i, v := range src.Data {
		d[i] += v
	}
}
