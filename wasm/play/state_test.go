package play

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/nasplay/nasplay/assets"
	"github.com/nasplay/nasplay/engine/paper"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/tables"
)

func testEnv(t testing.TB) Env {
	t.Helper()
	tab, err := tables.Decode(assets.Tables)
	if err != nil {
		t.Fatal(err)
	}
	return Env{Tables: tab, Indicators: []string{"params", "flops"}, Scores: baselineScores(tab)}
}

func TestRange(t *testing.T) {
	e := testEnv(t)
	for _, d := range tables.Datasets() {
		for _, v := range tables.Devices() {
			for _, o := range tables.Objectives() {
				if !v.Supports(o) {
					continue
				}
				r := e.Range(d, v, o)
				lo, hi := tables.Span(e.Tables.Costs(d, v, o))
				// The slider runs from the fastest network (its lowest T
				// admits it) to every network, each end within a step.
				if r.Min < lo || r.Min > lo+r.Step || r.Max < hi || r.Max > hi+r.Step || r.Unit != o.Unit() {
					t.Errorf("%s/%s/%s: slider [%g, %g] step %g %s for values [%g, %g]", d, v, o, r.Min, r.Max, r.Step, r.Unit, lo, hi)
				}
				if r.Default < r.Min || r.Default > r.Max {
					t.Errorf("%s/%s/%s: default %g outside [%g, %g]", d, v, o, r.Default, r.Min, r.Max)
				}
				if pt, ok := paper.Target(d, v); ok && o == tables.Latency && r.Default != pt {
					t.Errorf("%s/%s: default %g, paper's T %g", d, v, r.Default, pt)
				}
				// Where the paper has no target, the median known value (to
				// the step): half the networks with a known value meet it.
				if _, ok := paper.Target(d, v); !ok || o == tables.Energy {
					var known []float64
					for _, x := range e.Tables.Costs(d, v, o) {
						if !math.IsNaN(float64(x)) {
							known = append(known, float64(x))
						}
					}
					slices.Sort(known)
					if m := known[len(known)/2]; math.Abs(r.Default-m) > r.Step/2 {
						t.Errorf("%s/%s/%s: default T %g %s, median %g", d, v, o, r.Default, r.Unit, m)
					}
				}
			}
		}
	}
	if got := e.Range(tables.ImageNet16, tables.Raspi4, tables.Latency).Default; got != 9 {
		t.Errorf("ImageNet16-120 Raspi 4 default T %g, the paper's is 9", got)
	}
}

func TestParseRoundTrip(t *testing.T) {
	e := testEnv(t)
	q := "ds=cifar100&dev=pixel3&t=17.25&alpha=0.75&ind=flops&algo=evolution&seed=7&ep=120&speed=5&run=1"
	s, notes := e.Parse("?" + q)
	if len(notes) > 0 {
		t.Fatalf("valid query gave notices %v", notes)
	}
	want := State{tables.CIFAR100, tables.Pixel3, tables.Latency, 17.25, 0.75, "flops", "evolution", 7, 120, 5, true, false}
	if s != want {
		t.Fatalf("parsed %+v, want %+v", s, want)
	}
	if s.Query() != q {
		t.Errorf("Query() = %q, want %q", s.Query(), q)
	}
	q = "ds=cifar10&dev=eyeriss&obj=energy&t=1.234&alpha=0.9&ind=params&algo=rl&seed=0&ep=500&speed=3"
	if s, notes := e.Parse(q); len(notes) > 0 || s.Objective != tables.Energy || s.Target != 1.234 || s.Query() != q {
		t.Errorf("energy query: %+v, notices %v, query %q", s, notes, s.Query())
	}
	if d := e.Default(); d.Query() != "ds=cifar10&dev=edgegpu&t=6&alpha=0.9&ind=params&algo=rl&seed=0&ep=500&speed=3" {
		t.Errorf("default query %q", d.Query())
	}
	if s, notes := e.Parse(""); s != e.Default() || len(notes) > 0 {
		t.Errorf("empty query: %+v %v", s, notes)
	}
	// With the indicator table's indicators in the menu the default is fi.
	full := e
	full.Indicators = append([]string{"params", "flops"}, scores.Names()...)
	if d := full.Default(); d.Query() != "ds=cifar10&dev=edgegpu&t=6&alpha=0.9&ind=fi&algo=rl&seed=0&ep=500&speed=3" {
		t.Errorf("default query with the indicator table %q", d.Query())
	}
	if s, _ := full.Parse("ind=magic"); s.Indicator != "fi" {
		t.Errorf("ind=magic with the indicator table: corrected to %q, want fi", s.Indicator)
	}
}

func TestParseCorrects(t *testing.T) {
	e := testEnv(t)
	_, hi := tables.Span(e.Tables.Latencies(tables.CIFAR10, tables.Raspi4))
	maxT := e.Range(tables.CIFAR10, tables.Raspi4, tables.Latency).Max
	for _, c := range []struct {
		query, param, says string
		check              func(State) bool
	}{
		{"ds=mnist", "ds", "unknown dataset", func(s State) bool { return s.Dataset == tables.CIFAR10 }},
		{"dev=tpu9", "dev", "unknown device", func(s State) bool { return s.Device == tables.EdgeGPU }},
		{"dev=raspi4&t=1e6", "t", "above", func(s State) bool { return s.Target == maxT && maxT >= hi }},
		{"t=-3", "t", "below", func(s State) bool { return s.Target == e.Range(tables.CIFAR10, tables.EdgeGPU, tables.Latency).Min }},
		{"t=NaN", "t", "not a number", func(s State) bool { return s.Target == 6 }},
		{"dev=pixel3&t=0", "t", "below", func(s State) bool {
			return s.Target > 0 && s.Target == e.Range(tables.CIFAR10, tables.Pixel3, tables.Latency).Min
		}},
		{"alpha=1.5", "alpha", "[0, 1]", func(s State) bool { return s.Alpha == 1 }},
		{"alpha=0.905", "alpha", "steps of 0.01", func(s State) bool { return s.Alpha == 0.91 }},
		{"alpha=NaN", "alpha", "not a number", func(s State) bool { return s.Alpha == DefaultAlpha }},
		{"t=Inf", "t", "not a number", func(s State) bool { return s.Target == 6 }},
		{"dev=pixel3&t=-Infinity", "t", "not a number", func(s State) bool { return s.Target == 20 }},
		{"ds=cifar100&dev=pixel3&t=20.125", "t", "steps of 0.01", func(s State) bool { return s.Target == 20.13 }},
		{"ind=magic", "ind", "not available", func(s State) bool { return s.Indicator == "params" }},
		{"algo=sgd", "algo", "unknown algorithm", func(s State) bool { return s.Algo == "rl" }},
		{"seed=-1", "seed", "[0, 2147483647]", func(s State) bool { return s.Seed == 0 }},
		{"ep=100000", "ep", "[1, 5000]", func(s State) bool { return s.Episodes == MaxEpisodes }},
		{"ep=ten", "ep", "not a whole number", func(s State) bool { return s.Episodes == DefaultEps }},
		{"ep=99999999999999999999", "ep", "[1, 5000]", func(s State) bool { return s.Episodes == MaxEpisodes }},
		{"seed=-99999999999999999999", "seed", "[0, 2147483647]", func(s State) bool { return s.Seed == 0 }},
		{"speed=0", "speed", "[1, 5]", func(s State) bool { return s.Speed == MinSpeed }},
		{"foo=bar", "foo", "unknown setting", func(s State) bool { return s == e.Default() }},
		{"ds=cifar100&ds=imagenet16", "ds", "given 2 times; only the first, cifar100, is used", func(s State) bool { return s.Dataset == tables.CIFAR100 }},
		{"run=yes", "run", "run=1", func(s State) bool { return !s.Run }},
		{"obj=power", "obj", "unknown objective", func(s State) bool { return s.Objective == tables.Latency }},
		{"dev=raspi4&obj=energy", "obj", "no energy for raspi4", func(s State) bool { return s.Objective == tables.Latency && s.Target == 40 }},
		{"obj=energy&t=1e9", "t", "above the edgegpu energy range", func(s State) bool {
			return s.Objective == tables.Energy && s.Target == e.Range(tables.CIFAR10, tables.EdgeGPU, tables.Energy).Max
		}},
	} {
		s, notes := e.Parse(c.query)
		if len(notes) != 1 || notes[0].Param != c.param || !strings.Contains(notes[0].Message, c.says) {
			t.Errorf("%q: notices %v, want one for %s saying %q", c.query, notes, c.param, c.says)
		}
		if !c.check(s) {
			t.Errorf("%q: corrected to %+v", c.query, s)
		}
	}
	// A target that is not a number is said to be one, whatever the objective.
	if _, notes := e.Parse("t=abc&obj=energy&dev=pixel3"); len(notes) != 2 || notes[1].Param != "t" || !strings.Contains(notes[1].Message, "not a number") {
		t.Errorf("t=abc&obj=energy&dev=pixel3: notices %v, want obj's and t's, not a number", notes)
	}
	// obj=latency is the default spelled out: no notice, and not written back.
	if s, notes := e.Parse("obj=latency&dev=pixel3"); s.Objective != tables.Latency || s.Target != 20 || len(notes) > 0 || strings.Contains(s.Query(), "obj") {
		t.Errorf("obj=latency: %+v, notices %v, query %q", s, notes, s.Query())
	}
	// A target given for an objective the device lacks is not taken as ms.
	if s, notes := e.Parse("dev=raspi4&obj=energy&t=20"); s.Objective != tables.Latency || s.Target != 40 || len(notes) != 2 ||
		notes[1].Param != "t" || !strings.Contains(notes[1].Message, "not used; using the latency default 40 ms") {
		t.Errorf("dev=raspi4&obj=energy&t=20: %+v, notices %v", s, notes)
	}
	// A dataset change moves T to the new setting's default.
	if s, _ := e.Parse("ds=imagenet16&dev=raspi4"); s.Target != 9 {
		t.Errorf("imagenet16/raspi4 T = %g, want the paper's 9", s.Target)
	}
}

// baselineScores gives the #params and FLOPs scores, which need no
// indicator table.
func baselineScores(t *tables.Tables) func(tables.Dataset, string) ([]float32, error) {
	return func(d tables.Dataset, name string) ([]float32, error) { return scores.Column(nil, t, d, name) }
}

// FuzzQuery feeds arbitrary URL queries to Parse: whatever comes in, the
// corrected state must be valid, so that its own query parses back to it
// with no notice.
func FuzzQuery(f *testing.F) {
	e := testEnv(f)
	for _, q := range []string{
		"", "ds=cifar100&dev=pixel3&t=17.25&alpha=0.75&ind=flops&algo=evolution&seed=7&ep=120&speed=5&run=1",
		"ds=mnist&t=1e9&ep=0&algo=sgd&colour=red", "t=NaN&alpha=-Inf", "%zz&;;=&t=0x10", "dev=edgetpu&t=0.0001",
		"dev=pixel3&t=0", "dev=pixel3&t=-3", "ds=cifar100&dev=pixel3&t=20.125&alpha=0.905", "ep=99999999999999999999&seed=-99999999999999999999",
		"dev=fpga&obj=energy&t=0.01", "dev=pixel3&obj=energy", "obj=Energy&t=33.3333",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		s, _ := e.Parse(q)
		back, notes := e.Parse(s.Query())
		if len(notes) > 0 || back != s {
			t.Fatalf("%q corrected to %+v, whose query %q parses to %+v with notices %v", q, s, s.Query(), back, notes)
		}
		// A corrected state is a search the engine accepts.
		if err := s.Config().Validate(); err != nil {
			t.Fatalf("%q corrected to %+v, which the engine refuses: %v", q, s, err)
		}
	})
}

// A part of the link that cannot be read (a bad escape, a semicolon) is
// dropped with a notice naming it; the rest of the link still applies.
func TestParseKeepsReadableParts(t *testing.T) {
	e := testEnv(t)
	for _, c := range []struct{ query, param, bad string }{
		{"ds=cifar100&dev=raspi4&t=30&x=%zz&ind=flops", "x", "invalid URL escape"},
		{"ds=cifar100&dev=raspi4&t=30&ind=flops&utm=50%off", "utm", "invalid URL escape"},
		{"ds=cifar100&dev=raspi4&t=30&ind=flops&a=1;b=2", "a", "semicolon"},
	} {
		s, notes := e.Parse(c.query)
		if s.Dataset != tables.CIFAR100 || s.Device != tables.Raspi4 || s.Target != 30 || s.Indicator != "flops" {
			t.Errorf("%q: the readable settings were lost: %+v", c.query, s)
		}
		if len(notes) != 1 || notes[0].Param != c.param || !strings.Contains(notes[0].Message, c.bad) {
			t.Errorf("%q: notices %v, want one for %s saying %q", c.query, notes, c.param, c.bad)
		}
	}
}

// A negative zero is zero: its link says alpha=0, not alpha=-0.
func TestParseNegativeZero(t *testing.T) {
	e := testEnv(t)
	for _, q := range []string{"alpha=-0", "alpha=-0.00", "alpha=-0.004"} {
		s, _ := e.Parse(q)
		if s.Alpha != 0 || math.Signbit(s.Alpha) || !strings.Contains(s.Query(), "&alpha=0&") {
			t.Errorf("%q: α %g, query %q", q, s.Alpha, s.Query())
		}
	}
}

// Names are read in any case, the indicator and the algorithm as the
// dataset, device and objective (and as the lab reads its ind=).
func TestParseNamesInAnyCase(t *testing.T) {
	e := testEnv(t)
	s, notes := e.Parse("ds=CIFAR100&dev=Pixel3&obj=Latency&ind=FLOPS&algo=Evolution")
	if len(notes) > 0 || s.Dataset != tables.CIFAR100 || s.Device != tables.Pixel3 || s.Indicator != "flops" || s.Algo != "evolution" {
		t.Errorf("%+v, notices %v", s, notes)
	}
}

// Spaces around a value (a "+" in a query is one) are not part of it.
func TestParseTrimsSpaces(t *testing.T) {
	e := testEnv(t)
	s, notes := e.Parse("ds=+cifar100+&dev=%20pixel3&t=+17.25&alpha=0.75%20&ind=+flops&algo=evolution+&seed=+7&ep=%20120&speed=5+&run=1+")
	want := State{tables.CIFAR100, tables.Pixel3, tables.Latency, 17.25, 0.75, "flops", "evolution", 7, 120, 5, true, false}
	if len(notes) > 0 || s != want {
		t.Errorf("parsed %+v, notices %v; want %+v", s, notes, want)
	}
}
