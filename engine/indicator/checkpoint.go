package indicator

import (
	"bytes"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

// Classes returns the canonical cell of every isomorphism class of the
// space (space.NumClasses of them), by ascending Code: the networks a
// precompute evaluates.
func Classes() []space.Arch {
	seen := map[int]bool{}
	var cs []space.Arch
	for code := 0; code < space.Size; code++ {
		c := space.FromCode(code).Canonical()
		if !seen[c.Code()] {
			seen[c.Code()] = true
			cs = append(cs, c)
		}
	}
	slices.SortFunc(cs, func(a, b space.Arch) int { return a.Code() - b.Code() })
	return cs
}

// A checkpoint is an append-only text file of per-class results, one line
// per class, so that an interrupted precompute resumes where it stopped:
//
//	# nasplay indicators <config version> <dataset>
//	<class code> <cj> <cj_eig> <nlr> <cnntk> <os> <invalid flags, 5 × 0/1>
//
// Values are written in the shortest form that parses back to the same
// float64. A torn last line (no newline) is ignored.

// CheckpointHeader returns the first line of dataset d's checkpoint.
func CheckpointHeader(cfg scores.Config, d tables.Dataset) string {
	return fmt.Sprintf("# nasplay indicators %s %s\n", cfg.Version(), d)
}

// CheckpointLine formats the result of one class.
func CheckpointLine(class space.Arch, raw scores.Raw) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(class.Code()))
	for _, v := range raw.Values {
		b.WriteByte(' ')
		b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	}
	b.WriteByte(' ')
	for _, bad := range raw.Invalid {
		b.WriteByte("01"[btoi(bad)])
	}
	b.WriteByte('\n')
	return b.String()
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ParseCheckpoint reads dataset d's checkpoint for cfg and returns its
// results by class code. An empty input is an empty checkpoint.
func ParseCheckpoint(b []byte, cfg scores.Config, d tables.Dataset) (map[int]scores.Raw, error) {
	out := map[int]scores.Raw{}
	if len(b) == 0 {
		return out, nil
	}
	head := CheckpointHeader(cfg, d)
	if !bytes.HasPrefix(b, []byte(head)) {
		line, _, _ := bytes.Cut(b, []byte("\n"))
		return nil, fmt.Errorf("checkpoint: header %q, want %q (another configuration or dataset)", line, strings.TrimSpace(head))
	}
	body := b[len(head):]
	if i := bytes.LastIndexByte(body, '\n'); i+1 < len(body) {
		body = body[:i+1] // drop a torn last line
	}
	for n, line := range strings.Split(strings.TrimSuffix(string(body), "\n"), "\n") {
		if line == "" {
			continue
		}
		lineNo := n + 2
		f := strings.Fields(line)
		if len(f) != scores.NumRaw+2 {
			return nil, fmt.Errorf("checkpoint %v line %d: %d fields, want %d", d, lineNo, len(f), scores.NumRaw+2)
		}
		if len(f[scores.NumRaw+1]) != scores.NumRaw {
			return nil, fmt.Errorf("checkpoint %v line %d: invalid-flags field %q, want %d flags", d, lineNo, f[scores.NumRaw+1], scores.NumRaw)
		}
		code, err := strconv.Atoi(f[0])
		if err != nil || code < 0 || code >= space.Size || space.FromCode(code).Canonical().Code() != code {
			return nil, fmt.Errorf("checkpoint %v line %d: %q is not a class code", d, lineNo, f[0])
		}
		var raw scores.Raw
		for k := range raw.Values {
			if raw.Values[k], err = strconv.ParseFloat(f[k+1], 64); err != nil {
				return nil, fmt.Errorf("checkpoint %v line %d: %v", d, lineNo, err)
			}
			switch f[scores.NumRaw+1][k] {
			case '0':
			case '1':
				raw.Invalid[k] = true
			default:
				return nil, fmt.Errorf("checkpoint %v line %d: invalid flags %q", d, lineNo, f[scores.NumRaw+1])
			}
			// Evaluate gives every undefined value the worst score and
			// flags it, and only those: anything else was not written by
			// a precompute.
			v := raw.Values[k]
			if math.IsNaN(v) || math.IsInf(v, 0) || raw.Invalid[k] != (v == scores.Worst) {
				return nil, fmt.Errorf("checkpoint %v line %d: %s = %s with flag %c (damaged or edited)", d, lineNo, scores.Names()[k], f[k+1], f[scores.NumRaw+1][k])
			}
		}
		if prev, ok := out[code]; ok && prev != raw {
			return nil, fmt.Errorf("checkpoint %v line %d: class %d again, with other values (damaged or mixed checkpoints)", d, lineNo, code)
		}
		out[code] = raw
	}
	return out, nil
}
