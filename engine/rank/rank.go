// Package rank computes mid-ranks: ranks in which tied values share the mean
// of the ranks they span. Spearman's ρ and the reward's score normalization
// both rank this way.
package rank

import "sort"

// Mid returns the 1-based mid-rank of each value of x: 1 + the number of
// smaller values + half the number of other equal values.
func Mid[T float32 | float64](x []T) []float64 {
	order := make([]int, len(x))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return x[order[a]] < x[order[b]] })
	r := make([]float64, len(x))
	for lo := 0; lo < len(order); {
		hi := lo + 1
		for hi < len(order) && x[order[hi]] == x[order[lo]] {
			hi++
		}
		// Positions lo..hi-1 hold ranks lo+1..hi; their mean is (lo+1+hi)/2.
		mid := float64(lo+1+hi) / 2
		for _, i := range order[lo:hi] {
			r[i] = mid
		}
		lo = hi
	}
	return r
}
