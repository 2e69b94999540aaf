package search

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/nasplay/nasplay/engine/reward"
	"github.com/nasplay/nasplay/engine/space"
)

// Propose begins the next episode for a caller that computes each
// network's score when it is sampled (the browser's live scoring): the
// algorithm samples a network and Propose returns it unscored; Score ends
// the episode. A Propose and Score pair is a Step whose score is the one
// given to Score. Propose returns false once the budget is spent; called
// again before Score, it returns the same network.
func (r *Run) Propose() (space.Arch, bool) {
	if !r.propose() {
		return space.Arch{}, false
	}
	return r.next.Arch, true
}

// Score ends the proposed episode with the network's raw score computed
// live (higher = better) in place of the run's own entry for it. The score
// is kept at float32 precision, like a table's, and normalized by its
// mid-rank among the run's original scores with the network's entry
// replaced by it, so a value equal to the table's gets exactly the table's
// normalized score. Later episodes and the selection rule see the live
// value too.
func (r *Run) Score(raw float64) (Event, error) {
	switch {
	case !r.proposed:
		return Event{}, fmt.Errorf("search: Score without a proposed network")
	case r.c.Algo == OracleScore:
		return Event{}, fmt.Errorf("search: %s scores by validation accuracy, not live", OracleScore)
	case math.IsNaN(raw):
		return Event{}, fmt.Errorf("search: NaN score for %v", r.next.Arch)
	case math.IsInf(float64(float32(raw)), 0):
		// Beyond float32 (the tables' precision): it could be neither ranked
		// among them nor exported as a number.
		return Event{}, fmt.Errorf("search: score %g for %v is outside the float32 range", raw, r.next.Arch)
	}
	if r.table == nil {
		// The scores may be shared with other runs (NewRanked): copy them
		// before the first live value replaces an entry.
		r.table = r.ranked.Raw
		r.sorted = slices.Sorted(slices.Values(r.table))
		r.ranked = &reward.Ranked{Raw: slices.Clone(r.ranked.Raw), Norm: slices.Clone(r.ranked.Norm)}
	}
	i, v := r.next.Index, float32(raw)
	// Mid-rank among the other networks' original scores, as reward.Rank
	// counts it: 1 + the smaller ones + half the equal ones.
	less := sort.Search(len(r.sorted), func(k int) bool { return r.sorted[k] >= v })
	equal := sort.Search(len(r.sorted), func(k int) bool { return r.sorted[k] > v }) - less
	switch own := r.table[i]; {
	case own < v:
		less--
	case own == v:
		equal--
	}
	r.ranked.Raw[i] = v
	r.ranked.Norm[i] = (1 + float64(less) + float64(equal)/2) / float64(len(r.sorted))
	return r.complete(), nil
}
