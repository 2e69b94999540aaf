// Package reward is the hardware-aware reward of the search: the latency
// factor R_LAT and the indicator score normalized by its mid-rank over the
// whole space, so that the product Score·R_LAT is on a fixed (0, 1] scale.
package reward

import (
	"fmt"
	"math"

	"github.com/nasplay/nasplay/engine/rank"
	"github.com/nasplay/nasplay/engine/tables"
)

// Latency is R_LAT for a network of latency lat (ms) under the target T (ms)
// with the paper's α: T/lat above the target, and α + (1−α)·lat/T at or
// below it, rising to 1 as lat approaches T. The two branches meet at
// lat = T, so faster-than-needed networks are mildly discounted and slower
// ones are penalized in proportion to the overshoot. "At or below" is
// tables.Meets, the selection's test: a latency the float32 tables round
// just above T still meets it, and gets 1.
func Latency(lat, target, alpha float64) float64 {
	if !tables.Meets(float32(lat), target) {
		return target / lat
	}
	return alpha + (1-alpha)*min(lat, target)/target
}

// Reward is R = scoreNorm · R_LAT. A network whose latency is unknown gets 0:
// nothing can be said about whether it meets the target.
func Reward(scoreNorm, lat float64, latKnown bool, target, alpha float64) float64 {
	if !latKnown {
		return 0
	}
	return scoreNorm * Latency(lat, target, alpha)
}

// Ranked is an indicator's raw scores for every benchmark index together with
// their normalized form.
type Ranked struct {
	Raw  []float32 // raw scores, higher = better
	Norm []float64 // mid-rank / len(Raw), in (0, 1]
}

// Rank normalizes scores by mid-rank: a score's rank is 1 + the number of
// strictly smaller scores + (the number of other equal scores)/2, so ties
// share the average of the ranks they span; Norm is rank/len(scores). The
// lowest distinct score gets a positive value and the highest gets 1 when
// unique. NaN scores are an error: every indicator is defined everywhere.
func Rank(scores []float32) (*Ranked, error) {
	n := len(scores)
	if n == 0 {
		return nil, fmt.Errorf("reward: no scores to rank")
	}
	for i, s := range scores {
		if math.IsNaN(float64(s)) {
			return nil, fmt.Errorf("reward: score of index %d is NaN", i)
		}
	}
	norm := rank.Mid(scores)
	for i := range norm {
		norm[i] /= float64(n)
	}
	return &Ranked{Raw: scores, Norm: norm}, nil
}
