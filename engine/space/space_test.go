package space

import (
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	for c := 0; c < Size; c++ {
		a := FromCode(c)
		if a.Code() != c {
			t.Fatalf("code %d round-trips to %d", c, a.Code())
		}
		b, err := Parse(a.String())
		if err != nil || b != a {
			t.Fatalf("parse(%q) = %v, %v", a.String(), b, err)
		}
	}
}

func TestParseKnown(t *testing.T) {
	s := "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|"
	a, err := Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	want := Arch{AvgPool, Conv1x1, Skip, Conv1x1, Skip, Skip}
	if a != want {
		t.Fatalf("got %v want %v", a, want)
	}
}

func TestParseErrors(t *testing.T) {
	cases := map[string]string{
		"":                         "3 node groups",
		"|none~0|+|none~0|none~1|": "3 node groups",
		"|none~0|+|none~0|+|none~0|none~1|none~2|":        "needs 2 inputs",
		"|none~1|+|none~0|none~1|+|none~0|none~1|none~2|": "source \"1\", want 0",
		"|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|": "unknown op \"conv\"",
		"none~0|+|none~0|none~1|+|none~0|none~1|none~2|":  "must start and end",
		"|none0|+|none~0|none~1|+|none~0|none~1|none~2|":  "lacks '~source'",
		"++":                         "must start and end",
		"|none~0|+|none~0|none~1|+|": "must start and end",
	}
	for in, want := range cases {
		_, err := Parse(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) error %v, want it to mention %q", in, err, want)
		}
	}
}

// The space has 341 cells whose output is unreachable from the input
// (data/README.md), and the pruned-isomorphism classes are counted here.
func TestConnectivityAndClasses(t *testing.T) {
	disconnected := 0
	classes := map[Arch]int{}
	for c := 0; c < Size; c++ {
		a := FromCode(c)
		if !a.Connected() {
			disconnected++
		}
		classes[a.Canonical()]++
		if a.Canonical() != a.Canonical().Canonical() {
			t.Fatalf("canonical of %v not idempotent", a)
		}
	}
	if disconnected != 341 {
		t.Errorf("disconnected = %d, want 341", disconnected)
	}
	t.Logf("%d isomorphism classes (NAS-Bench-201 reports 6466)", len(classes))
	if len(classes) != NumClasses {
		t.Errorf("classes = %d, want %d", len(classes), NumClasses)
	}
}

func FuzzParse(f *testing.F) {
	f.Add("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|")
	f.Add("|none~0|+||+|")
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Parse(s)
		if err != nil {
			return
		}
		if a.String() != s {
			t.Fatalf("accepted %q but formats as %q", s, a.String())
		}
	})
}

// Canonical picks, of a cell without edge 1→2 and its 1↔2 relabelling, the
// one with the smaller Code, as documented.
func TestCanonicalSmallerCode(t *testing.T) {
	swapped := 0
	for c := 0; c < Size; c++ {
		a := FromCode(c)
		p := a.Pruned()
		k := a.Canonical()
		if p[2] != None {
			if k != p {
				t.Fatalf("%v: Canonical %v, want the pruned cell %v", a, k, p)
			}
			continue
		}
		q := p.swap12()
		if want := min(p.Code(), q.Code()); k.Code() != want {
			t.Fatalf("%v: Canonical code %d, want %d (pruned %d, relabelled %d)", a, k.Code(), want, p.Code(), q.Code())
		}
		if k != p {
			swapped++
		}
	}
	if swapped == 0 {
		t.Error("no cell's representative is its relabelling")
	}
}
