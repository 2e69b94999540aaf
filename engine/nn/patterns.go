package nn

// Patterns records, for each sample of a forward pass, a 128-bit hash of the
// signs of every ReLU input in the network (its activation pattern). Two
// samples have equal hashes exactly when they lie in the same linear region,
// up to a negligible chance of collision.
type Patterns struct {
	h [][2]uint64
}

func (p *Patterns) reset(n int) {
	p.h = make([][2]uint64, n)
	for i := range p.h {
		p.h[i] = [2]uint64{0xcbf29ce484222325, 0x84222325cbf29ce4}
	}
}

// record folds the signs of one ReLU input, 64 at a time, into each
// sample's hash.
func (p *Patterns) record(x *Tensor) {
	size := x.C * x.H * x.W
	for i := range p.h {
		h := p.h[i]
		var word uint64
		for j, v := range x.Data[i*size : (i+1)*size] {
			if v > 0 {
				word |= 1 << (j & 63)
			}
			if j&63 == 63 || j == size-1 {
				h[0] = (h[0] ^ word) * 0x100000001b3
				h[1] = (h[1]^word)*0x9e3779b97f4a7c15 + 0x632be59bd9b4e019
				h[1] ^= h[1] >> 29
				word = 0
			}
		}
		p.h[i] = h
	}
}

// Distinct returns the number of distinct activation patterns among the
// samples of the last recorded forward pass.
func (p *Patterns) Distinct() int {
	seen := make(map[[2]uint64]struct{}, len(p.h))
	for _, h := range p.h {
		seen[h] = struct{}{}
	}
	return len(seen)
}
