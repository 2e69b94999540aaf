//go:build js

package main

import (
	"fmt"
	"syscall/js"

	"github.com/nasplay/nasplay/engine/search"
)

// Live scoring: the page asks for each episode's network (propose),
// computes its indicators in its Web Workers (site/live.js) and hands the
// score back (score). See play.State.Live.

// propose begins a live-scored episode: {arch, index} of the network the
// search sampled, or {done: true} once the budget is spent.
func (b *bridge) propose([]js.Value) (any, error) {
	if b.sess == nil {
		return nil, fmt.Errorf("propose: no search started")
	}
	if !b.sess.State.Live {
		return nil, fmt.Errorf("propose: this search is scored from the table (live=1 not set)")
	}
	a, ok := b.sess.Propose()
	out := struct {
		Done  bool   `json:"done"`
		Arch  string `json:"arch,omitempty"`
		Index int    `json:"index"`
	}{Done: !ok, Index: -1}
	if ok {
		out.Arch, out.Index = a.String(), b.env.Tables.Index(a)
	}
	return out, nil
}

// score(raw, ticks) ends the proposed episode with the network's live raw
// score and draws it as step does.
func (b *bridge) score(args []js.Value) (any, error) {
	if b.sess == nil {
		return nil, fmt.Errorf("score: no search started")
	}
	if len(args) < 1 || args[0].Type() != js.TypeNumber {
		return nil, fmt.Errorf("score: want the live score as a number")
	}
	p, probs, err := b.sess.Score(args[0].Float())
	if err != nil {
		return nil, err
	}
	return b.present(stepResult{Points: []search.Point{p}}, p, probs, intArg(args, 1)), nil
}
