// Package scores reads and writes the precomputed indicator table: the
// indicators' names, the configuration they are computed at, one network's
// raw values, the table's columns, fusion and worst-score counts, and its
// msgpack codec. It links no gonum: the page decodes and reads the table
// without the code that computes the indicators and fits the fusion
// (engine/indicator).
package scores

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// The raw indicators, computed per network, in the order of Raw's arrays.
const (
	CJ = iota
	CJEig
	NLR
	CNNTK
	OS
	NumRaw
)

// FI is the fusion indicator's name; params and flops are the baselines
// read from the benchmark tables.
const (
	FI     = "fi"
	Params = "params"
	Flops  = "flops"
)

var rawNames = [NumRaw]string{"cj", "cj_eig", "nlr", "cnntk", "os"}

// Names returns the indicator names of a table: the raw indicators, then fi.
func Names() []string { return append(rawNames[:], FI) }

// AllNames returns Names followed by the baselines params and flops.
func AllNames() []string { return append(Names(), Params, Flops) }

// rawIndex returns the position of a raw indicator name, or -1.
func rawIndex(name string) int { return slices.Index(rawNames[:], name) }

// CheckName reports whether name is an indicator (AllNames), with an
// error that lists them when it is not.
func CheckName(name string) error {
	if slices.Contains(AllNames(), name) {
		return nil
	}
	return unknownName(name)
}

func unknownName(name string) error {
	return fmt.Errorf("unknown indicator %q (valid: %s)", name, strings.Join(AllNames(), ", "))
}

// Worst is the defined score of a network whose indicator cannot be
// computed (disconnected cell, NaN, singular kernel): float32's lowest
// finite value, below every valid score.
const Worst = -math.MaxFloat32

// Raw holds the raw indicators of one network, oriented higher = better.
type Raw struct {
	Values [NumRaw]float64
	// Invalid marks values replaced by Worst because the network is
	// disconnected or the computation gave NaN or a singular matrix.
	Invalid [NumRaw]bool
}
