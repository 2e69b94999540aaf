package play

import (
	"github.com/nasplay/nasplay/engine/search"
	"github.com/nasplay/nasplay/engine/space"
)

// Live scoring (State.Live): the page computes each sampled network's
// indicators in Web Workers (wasm/worker) at the table's configuration, and
// the search normalizes the live value against the table's distribution;
// the table's value for a sampled network is never used.

// Propose begins the next episode of a live-scored session: the search
// samples a network, and the page computes its score. It returns false once
// the budget is spent.
func (s *Session) Propose() (space.Arch, bool) { return s.run.Propose() }

// Score ends the proposed episode with the network's live raw score, and
// returns it as Step does.
func (s *Session) Score(raw float64) (search.Point, [][space.NumOps]float64, error) {
	ev, err := s.run.Score(raw)
	if err != nil {
		return search.Point{}, nil, err
	}
	return s.record(ev), ev.Probs, nil
}
