// Package space is the NAS-Bench-201 cell search space: five operations on
// the six edges of a four-node DAG, the benchmark's string form, and the
// pruned canonical form under which equivalent cells share one class.
package space

import (
	"fmt"
	"strings"
)

// Op is the operation carried by one edge of a cell.
type Op uint8

// The five NAS-Bench-201 operations, in the benchmark's order.
const (
	None Op = iota
	Skip
	Conv1x1
	Conv3x3
	AvgPool
	NumOps
)

var opNames = [NumOps]string{"none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"}

// String returns the benchmark's name for the op.
func (o Op) String() string {
	if o < NumOps {
		return opNames[o]
	}
	return fmt.Sprintf("Op(%d)", uint8(o))
}

// ParseOp returns the op with the benchmark name s.
func ParseOp(s string) (Op, error) {
	for i, n := range opNames {
		if n == s {
			return Op(i), nil
		}
	}
	return 0, fmt.Errorf("unknown op %q (valid: %s)", s, strings.Join(opNames[:], ", "))
}

// NumEdges is the number of edges in a cell; NumNodes the number of nodes.
const (
	NumEdges = 6
	NumNodes = 4
	// Size is the number of architectures in the space, 5^6.
	Size = 15625
)

// Edge gives the source and target node of edge e, in the benchmark's order
// 0→1, 0→2, 1→2, 0→3, 1→3, 2→3.
var Edge = [NumEdges][2]int{{0, 1}, {0, 2}, {1, 2}, {0, 3}, {1, 3}, {2, 3}}

// edgeIndex[i][j] is the edge from node i to node j.
var edgeIndex = [NumNodes][NumNodes]int{
	{-1, 0, 1, 3},
	{-1, -1, 2, 4},
	{-1, -1, -1, 5},
	{-1, -1, -1, -1},
}

// EdgeIndex returns the edge from node i to node j (i<j).
func EdgeIndex(i, j int) int { return edgeIndex[i][j] }

// Arch is one cell: the op of each edge in Edge order.
type Arch [NumEdges]Op

// String formats the cell as |op~0|+|op~0|op~1|+|op~0|op~1|op~2|.
func (a Arch) String() string {
	var b strings.Builder
	for j := 1; j < NumNodes; j++ {
		if j > 1 {
			b.WriteByte('+')
		}
		b.WriteByte('|')
		for i := 0; i < j; i++ {
			fmt.Fprintf(&b, "%s~%d|", a[edgeIndex[i][j]], i)
		}
	}
	return b.String()
}

// Parse reads the benchmark string form strictly: exactly three '+'-joined
// groups, group k holding k+1 "op~i" tokens with i = 0..k in order.
func Parse(s string) (Arch, error) {
	var a Arch
	groups := strings.Split(s, "+")
	if len(groups) != NumNodes-1 {
		return a, fmt.Errorf("arch %q: want 3 node groups joined by '+', got %d", s, len(groups))
	}
	pos := 0
	for g, grp := range groups {
		node := g + 1
		if len(grp) < 2 || grp[0] != '|' || grp[len(grp)-1] != '|' {
			return a, fmt.Errorf("arch %q: group %d (node %d) at byte %d must start and end with '|'", s, g+1, node, pos)
		}
		toks := strings.Split(grp[1:len(grp)-1], "|")
		if len(toks) != node {
			return a, fmt.Errorf("arch %q: node %d at byte %d needs %d inputs, got %d", s, node, pos, node, len(toks))
		}
		tpos := pos + 1
		for i, t := range toks {
			name, src, ok := strings.Cut(t, "~")
			if !ok {
				return a, fmt.Errorf("arch %q: token %q at byte %d lacks '~source'", s, t, tpos)
			}
			if want := fmt.Sprint(i); src != want {
				return a, fmt.Errorf("arch %q: token %q at byte %d has source %q, want %s", s, t, tpos, src, want)
			}
			op, err := ParseOp(name)
			if err != nil {
				return a, fmt.Errorf("arch %q at byte %d: %v", s, tpos, err)
			}
			a[edgeIndex[i][node]] = op
			tpos += len(t) + 1
		}
		pos += len(grp) + 1
	}
	return a, nil
}

// Code packs the cell into a base-5 number in Edge order (edge 0 most
// significant). It is a compact key, not the benchmark index.
func (a Arch) Code() int {
	c := 0
	for _, o := range a {
		c = c*int(NumOps) + int(o)
	}
	return c
}

// FromCode inverts Code.
func FromCode(c int) Arch {
	var a Arch
	for e := NumEdges - 1; e >= 0; e-- {
		a[e] = Op(c % int(NumOps))
		c /= int(NumOps)
	}
	return a
}

// Live reports, for each edge, whether it carries a non-zero op on some path
// from node 0 to node 3. Only live edges influence the cell's output.
func (a Arch) Live() [NumEdges]bool {
	var fromIn, toOut [NumNodes]bool
	fromIn[0] = true
	for j := 1; j < NumNodes; j++ {
		for i := 0; i < j; i++ {
			if fromIn[i] && a[edgeIndex[i][j]] != None {
				fromIn[j] = true
			}
		}
	}
	toOut[3] = true
	for i := NumNodes - 2; i >= 0; i-- {
		for j := i + 1; j < NumNodes; j++ {
			if toOut[j] && a[edgeIndex[i][j]] != None {
				toOut[i] = true
			}
		}
	}
	var live [NumEdges]bool
	for e, ij := range Edge {
		live[e] = a[e] != None && fromIn[ij[0]] && toOut[ij[1]]
	}
	return live
}

// Connected reports whether the output node is reachable from the input.
func (a Arch) Connected() bool {
	for _, l := range a.Live() {
		if l {
			return true
		}
	}
	return false
}

// Pruned returns the cell with every edge that is not live set to None: the
// same function, with dead branches removed.
func (a Arch) Pruned() Arch {
	live := a.Live()
	for e := range a {
		if !live[e] {
			a[e] = None
		}
	}
	return a
}

// swap12 relabels nodes 1 and 2. Edge 1→2 becomes 2→1, which is only a valid
// cell when that edge is None; callers check.
func (a Arch) swap12() Arch {
	var b Arch
	b[0], b[1] = a[1], a[0] // 0→1 ↔ 0→2
	b[2] = a[2]
	b[3] = a[3]
	b[4], b[5] = a[5], a[4] // 1→3 ↔ 2→3
	return b
}

// Canonical returns the representative of the cell's equivalence class: the
// pruned cell, and when the edge 1→2 is absent also its 1↔2 relabelling,
// whichever has the smaller Code. Cells with equal Canonical compute the same
// function, so indicators are computed once per class.
func (a Arch) Canonical() Arch {
	p := a.Pruned()
	if p[2] != None {
		return p
	}
	if q := p.swap12(); q.Code() < p.Code() {
		return q
	}
	return p
}
