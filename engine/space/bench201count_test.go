package space

import (
	"sort"
	"strings"
	"testing"
)

// benchmarkKey is NAS-Bench-201's expression rule for spotting duplicate
// cells: skip_connect passes its input's expression through, a none edge or
// an input whose expression is a bare zero contributes the zero term "#",
// and a node is the sorted sum of its terms, an op applied as "(input)@op".
// The format matters: it is what the benchmark's count was made with.
func benchmarkKey(a Arch) string {
	var s [NumNodes]string
	s[0] = "0"
	for j := 1; j < NumNodes; j++ {
		var terms []string
		for i := 0; i < j; i++ {
			switch op := a[edgeIndex[i][j]]; {
			case op == None || s[i] == "#":
				terms = append(terms, "#")
			case op == Skip:
				terms = append(terms, s[i])
			default:
				terms = append(terms, "("+s[i]+")@"+op.String())
			}
		}
		sort.Strings(terms)
		s[j] = strings.Join(terms, "+")
	}
	return s[3]
}

// TestBenchmarkUniqueCount explains why NumClasses differs from the 6,466
// that NAS-Bench-201 reports: its expression rule gives exactly that number.
func TestBenchmarkUniqueCount(t *testing.T) {
	keys := map[string]bool{}
	for c := 0; c < Size; c++ {
		keys[benchmarkKey(FromCode(c))] = true
	}
	if len(keys) != 6466 {
		t.Fatalf("benchmark rule gives %d unique cells, want 6466", len(keys))
	}
}
