// Package play is the browser tool's logic that needs no browser: the
// settings a page URL carries and their validation, a search session that
// records what the charts and exports need, and the result card. The js
// entry point (wasm/app) only moves its values across syscall/js, so all of
// it is tested natively.
package play

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/nasplay/nasplay/engine/paper"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/search"
	"github.com/nasplay/nasplay/engine/tables"
)

// Algorithms the page offers, in menu order: every search engine/search has.
var Algorithms = search.Algos()

// Limits of the settings a URL may carry.
const (
	AlphaStep    = 0.01 // the α slider's step (site/index.html)
	MinEpisodes  = 1
	MaxEpisodes  = 5000
	MaxSeed      = search.MaxSeed
	MinSpeed     = 1
	MaxSpeed     = 5
	DefaultSpeed = 3
	DefaultAlpha = 0.9 // the paper's α
	DefaultEps   = 500 // the paper's episode count
)

// State is every setting of the page; its URL query form is Query.
type State struct {
	Dataset   tables.Dataset
	Device    tables.Device
	Objective tables.Objective // what T bounds: latency (the paper's) or energy
	Target    float64          // target T, in the objective's unit (ms or mJ)
	Alpha     float64
	Indicator string
	Algo      string
	Seed      int64
	Episodes  int
	Speed     int  // animation pace, MinSpeed (slowest) to MaxSpeed
	Run       bool // run the search to its end as soon as the page is ready
	Live      bool // score each sampled network live in the page (live.go)
}

// A Notice tells the user that a URL value was replaced, and why.
type Notice struct {
	Param   string `json:"param"`
	Value   string `json:"value"`
	Message string `json:"message"`
}

func (n Notice) String() string { return n.Param + "=" + n.Value + ": " + n.Message }

// Env is what settings and searches depend on: the tables (latency ranges)
// and the indicators whose scores are available.
type Env struct {
	Tables     *tables.Tables
	Indicators []string // in menu order; the default is DefaultIndicator if listed, else the first
	// Scores returns an indicator's raw scores (higher = better) for every
	// benchmark index on a dataset.
	Scores func(d tables.Dataset, indicator string) ([]float32, error)
}

// TargetRange is the T slider for (d, v) and an objective: the device's
// known range of latency (or energy) and a step of about a thousandth of
// its top.
type TargetRange struct {
	Min     float64 `json:"min"`
	Max     float64 `json:"max"`
	Step    float64 `json:"step"`
	Default float64 `json:"default"`
	Unit    string  `json:"unit"` // "ms" or "mJ"
}

// Range returns the T slider for (d, v) under objective o, which the device
// must support. The default is the paper's T where there is one (latency on
// its three devices), else the median known value, so that half the space
// meets it.
func (e Env) Range(d tables.Dataset, v tables.Device, o tables.Objective) TargetRange {
	cost := e.Tables.Costs(d, v, o)
	lo, hi := tables.Span(cost)
	step := tables.Resolution(hi)
	// Both ends are rounded up to the slider's step, so that its lowest T
	// admits the fastest network (Edge TPU on CIFAR-10: 0.347 ms for its
	// 0.3465 ms, where 0.346 would admit none) and its highest every network.
	r := TargetRange{Min: ceilTo(lo, step), Max: ceilTo(hi, step), Step: step, Unit: o.Unit()}
	if t, ok := paper.Target(d, v); ok && o == tables.Latency {
		r.Default = t
		return r
	}
	var known []float64
	for _, x := range cost {
		if !math.IsNaN(float64(x)) {
			known = append(known, float64(x))
		}
	}
	sort.Float64s(known)
	r.Default = roundTo(known[len(known)/2], step)
	return r
}

func ceilTo(x, step float64) float64  { return clean(math.Ceil(x/step)*step, step) }
func roundTo(x, step float64) float64 { return clean(math.Round(x/step)*step, step) }

// clean removes the binary noise of a multiple of step (0.30000000000000004),
// and the sign of a zero: alpha=-0 is α 0, written back as alpha=0.
func clean(x, step float64) float64 {
	digits := max(0, int(-math.Floor(math.Log10(step))))
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', digits, 64), 64)
	if v == 0 {
		return 0
	}
	return v
}

// DefaultIndicator is the page's indicator when the link names none: fi,
// the paper's fusion, which comes with the indicator table. Without the
// table the default is the first of Env.Indicators (#params).
const DefaultIndicator = scores.FI

// Default is the page's opening state.
func (e Env) Default() State {
	s := State{
		Dataset: tables.CIFAR10, Device: tables.EdgeGPU, Alpha: DefaultAlpha, Algo: Algorithms[0],
		Episodes: DefaultEps, Speed: DefaultSpeed,
	}
	switch {
	case slices.Contains(e.Indicators, DefaultIndicator):
		s.Indicator = DefaultIndicator
	case len(e.Indicators) > 0:
		s.Indicator = e.Indicators[0]
	}
	s.Target = e.Range(s.Dataset, s.Device, s.Objective).Default
	return s
}

// Parse reads a state from a URL query. Missing settings take their
// defaults; unknown parameters and invalid or out-of-range values are
// replaced (clamped where a number is merely out of range) and reported.
func (e Env) Parse(query string) (State, []Notice) {
	s := e.Default()
	var notes []Notice
	// Each part is read on its own: one that cannot be read (a bad escape,
	// a semicolon) is dropped with a notice, not the whole link with it.
	q := url.Values{}
	for _, part := range strings.Split(strings.TrimPrefix(query, "?"), "&") {
		v, err := url.ParseQuery(part)
		if err != nil {
			k, val, _ := strings.Cut(part, "=")
			notes = append(notes, Notice{k, val, "could not be read (" + err.Error() + "); ignored"})
			continue
		}
		for k, vs := range v {
			q[k] = append(q[k], vs...)
		}
	}
	note := func(p, msg string) { notes = append(notes, Notice{p, q.Get(p), msg}) }
	for _, p := range sortedKeys(q) {
		switch {
		case !slices.Contains(queryParams, p):
			notes = append(notes, Notice{p, q.Get(p), "unknown setting, ignored"})
		case len(q[p]) > 1:
			notes = append(notes, Notice{p, strings.Join(q[p][1:], ", "), fmt.Sprintf("given %d times; only the first, %s, is used", len(q[p]), q.Get(p))})
		}
	}
	if v, ok := first(q, "ds"); ok {
		if d, err := tables.ParseDataset(v); err == nil {
			s.Dataset = d
		} else {
			note("ds", fmt.Sprintf("unknown dataset; using %s", s.Dataset))
		}
	}
	if v, ok := first(q, "dev"); ok {
		if d, err := tables.ParseDevice(v); err == nil {
			s.Device = d
		} else {
			note("dev", fmt.Sprintf("unknown device; using %s", s.Device))
		}
	}
	// A rejected objective leaves t in the wrong unit: it is not read.
	objOK := true
	if v, ok := first(q, "obj"); ok {
		o, err := tables.ParseObjective(v)
		switch {
		case err != nil:
			note("obj", fmt.Sprintf("unknown objective (known: latency, energy); using %s", s.Objective))
		case s.Device.CheckSupport(o) != nil:
			note("obj", fmt.Sprintf("%v; using %s", s.Device.CheckSupport(o), s.Objective))
		default:
			s.Objective = o
		}
		objOK = s.Objective == o && err == nil
	}
	r := e.Range(s.Dataset, s.Device, s.Objective)
	s.Target = r.Default
	if v, ok := first(q, "t"); ok {
		t, err := strconv.ParseFloat(v, 64)
		switch {
		case err != nil || math.IsNaN(t) || math.IsInf(t, 0):
			note("t", fmt.Sprintf("not a number; using %g %s", s.Target, r.Unit))
		case !objOK:
			note("t", fmt.Sprintf("a target for the objective %q, which is not used; using the %s default %g %s", q.Get("obj"), s.Objective, s.Target, r.Unit))
		case t < r.Min:
			s.Target = r.Min
			note("t", fmt.Sprintf("below the %s %s range; using its minimum %g %s", s.Device, s.Objective, r.Min, r.Unit))
		case t > r.Max:
			s.Target = r.Max
			note("t", fmt.Sprintf("above the %s %s range; using its maximum %g %s", s.Device, s.Objective, r.Max, r.Unit))
		default:
			// The slider can only show its steps: a T between them would
			// run one search and display another.
			s.Target = roundTo(t, r.Step)
			if s.Target != t {
				note("t", fmt.Sprintf("the slider moves in steps of %g %s; using %g %s", r.Step, r.Unit, s.Target, r.Unit))
			}
		}
	}
	if v, ok := first(q, "alpha"); ok {
		a, err := strconv.ParseFloat(v, 64)
		switch {
		case err != nil || math.IsNaN(a):
			note("alpha", fmt.Sprintf("not a number; using %g", s.Alpha))
		case a < 0 || a > 1:
			s.Alpha = math.Min(1, math.Max(0, a))
			note("alpha", fmt.Sprintf("α must lie in [0, 1]; using %g", s.Alpha))
		default:
			s.Alpha = roundTo(a, AlphaStep)
			if s.Alpha != a {
				note("alpha", fmt.Sprintf("the slider moves in steps of %g; using %g", AlphaStep, s.Alpha))
			}
		}
	}
	if v, ok := first(q, "ind"); ok {
		if l := strings.ToLower(v); slices.Contains(e.Indicators, l) { // in any case, as ds, dev and obj
			s.Indicator = l
		} else {
			note("ind", fmt.Sprintf("indicator not available (available: %s); using %s", strings.Join(e.Indicators, ", "), s.Indicator))
		}
	}
	if v, ok := first(q, "algo"); ok {
		if l := strings.ToLower(v); slices.Contains(Algorithms, l) { // in any case, as ds, dev and obj
			s.Algo = l
		} else {
			note("algo", fmt.Sprintf("unknown algorithm (known: %s); using %s", strings.Join(Algorithms, ", "), s.Algo))
		}
	}
	s.Seed = int64(intParam(q, "seed", int(s.Seed), 0, MaxSeed, &notes))
	s.Episodes = intParam(q, "ep", s.Episodes, MinEpisodes, MaxEpisodes, &notes)
	s.Speed = intParam(q, "speed", s.Speed, MinSpeed, MaxSpeed, &notes)
	if v, ok := first(q, "live"); ok {
		switch {
		case v != "1":
			note("live", "only live=1 (compute each network's indicators in the page) is defined; scoring from the table")
		case s.Algo == search.OracleScore:
			note("live", "oracle-score scores by validation accuracy from the tables; scoring from the table")
		case !slices.Contains(scores.Names(), s.Indicator):
			note("live", fmt.Sprintf("%s is read from the benchmark tables, not computed (live: %s); scoring from the table", s.Indicator, strings.Join(scores.Names(), ", ")))
		default:
			s.Live = true
		}
	}
	if v, ok := first(q, "run"); ok {
		if v == "1" {
			s.Run = true
		} else {
			note("run", "only run=1 (run to the end on opening) is defined; ignored")
		}
	}
	return s, notes
}

// queryParams are the URL parameters, in the order Query writes them.
var queryParams = []string{"ds", "dev", "obj", "t", "alpha", "ind", "algo", "seed", "ep", "speed", "live", "run"}

// ScoreName is what the search scores by, as `nasplay search --json`
// names it: the indicator, or valid_acc for oracle-score.
func (s State) ScoreName() string {
	if s.Algo == search.OracleScore {
		return "valid_acc"
	}
	return s.Indicator
}

// Paper is the paper's Table 1 result for the state's indicator on its
// dataset and device, with the target it belongs to, as the CLI's search
// shows it: none for oracle-score, which does not score by the indicator,
// nor under an energy budget, as the paper's numbers bound latency.
func (s State) Paper() (p paper.Published, targetMs float64, ok bool) {
	if s.Algo == search.OracleScore || s.Objective != tables.Latency {
		return paper.Published{}, 0, false
	}
	return paper.Table1At(s.Dataset, s.Device, s.Indicator)
}

// Query is the state's URL query, every setting spelled out so that a
// link keeps meaning the same run if defaults change. The objective is
// written only when it is energy: latency is the paper's, and links made
// before energy existed stay as they were.
func (s State) Query() string {
	var b strings.Builder
	add := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k + "=" + url.QueryEscape(v))
	}
	add("ds", s.Dataset.String())
	add("dev", s.Device.String())
	if s.Objective != tables.Latency {
		add("obj", s.Objective.String())
	}
	add("t", strconv.FormatFloat(s.Target, 'f', -1, 64))
	add("alpha", strconv.FormatFloat(s.Alpha, 'f', -1, 64))
	add("ind", s.Indicator)
	add("algo", s.Algo)
	add("seed", strconv.FormatInt(s.Seed, 10))
	add("ep", strconv.Itoa(s.Episodes))
	add("speed", strconv.Itoa(s.Speed))
	if s.Live {
		add("live", "1")
	}
	if s.Run {
		add("run", "1")
	}
	return b.String()
}

// first returns a parameter's first value, and whether it is present.
func first(q url.Values, p string) (string, bool) {
	v, ok := q[p]
	if !ok || len(v) == 0 {
		return "", false
	}
	return strings.TrimSpace(v[0]), true
}

// intParam reads an integer parameter in [lo, hi], clamping an
// out-of-range value and keeping def for a malformed one.
func intParam(q url.Values, p string, def, lo, hi int, notes *[]Notice) int {
	v, ok := first(q, p)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(v)
	if errors.Is(err, strconv.ErrRange) { // a whole number too large for int: clamp it as such
		n, err = hi+1, nil
		if strings.HasPrefix(v, "-") {
			n = lo - 1
		}
	}
	if err != nil {
		*notes = append(*notes, Notice{p, v, fmt.Sprintf("not a whole number; using %d", def)})
		return def
	}
	if n < lo || n > hi {
		c := min(hi, max(lo, n))
		*notes = append(*notes, Notice{p, v, fmt.Sprintf("must lie in [%d, %d]; using %d", lo, hi, c)})
		return c
	}
	return n
}

func sortedKeys(q url.Values) []string {
	ks := make([]string, 0, len(q))
	for k := range q {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
