package search

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/nasplay/nasplay/engine/reward"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

var (
	tabOnce sync.Once
	tab     *tables.Tables
	tabErr  error
)

// load decodes the committed tables asset (engine/ does not import assets/).
func load(t testing.TB) *tables.Tables {
	t.Helper()
	tabOnce.Do(func() {
		var b []byte
		if b, tabErr = os.ReadFile("../../assets/tables.msgpack"); tabErr == nil {
			tab, tabErr = tables.Decode(b)
		}
	})
	if tabErr != nil {
		t.Fatal(tabErr)
	}
	return tab
}

// runAll runs a search to the end and returns its events (Probs dropped).
func runAll(t testing.TB, c Config, scores []float32) ([]Event, Result) {
	t.Helper()
	r, err := New(c, load(t), scores)
	if err != nil {
		t.Fatal(err)
	}
	var evs []Event
	for {
		e, ok := r.Step()
		if !ok {
			break
		}
		e.Probs = nil
		evs = append(evs, e)
	}
	return evs, r.Result()
}

func TestValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("default config invalid: %v", err)
	}
	for _, c := range []struct {
		field string
		edit  func(*Config)
	}{
		{"Algo", func(c *Config) { c.Algo = "bayes" }},
		{"Target", func(c *Config) { c.Target = 0 }},
		{"Target", func(c *Config) { c.Target = -3 }},
		{"Target", func(c *Config) { c.Target = math.Inf(1) }},
		{"Target", func(c *Config) { c.Target = math.NaN() }},
		{"Alpha", func(c *Config) { c.Alpha = 1.5 }},
		{"Alpha", func(c *Config) { c.Alpha = -0.1 }},
		{"Alpha", func(c *Config) { c.Alpha = math.NaN() }},
		{"Episodes", func(c *Config) { c.Episodes = 0 }},
		{"Seed", func(c *Config) { c.Seed = -1 }},
		{"Seed", func(c *Config) { c.Seed = MaxSeed + 1 }},
		{"LR", func(c *Config) { c.LR = 0 }},
		{"SamplesPerStep", func(c *Config) { c.SamplesPerStep = 0 }},
		{"SamplesPerStep", func(c *Config) { c.SamplesPerStep = c.Episodes + 1 }},
		{"BaselineDecay", func(c *Config) { c.BaselineDecay = 1 }},
		{"Dataset", func(c *Config) { c.Dataset = 7 }},
		{"Device", func(c *Config) { c.Device = -1 }},
		{"Objective", func(c *Config) { c.Objective = 2 }},
		{"Objective", func(c *Config) { c.Objective, c.Device = tables.Energy, tables.Raspi4 }},
		{"Tournament", func(c *Config) { c.Algo, c.Tournament = Evolution, 51 }},
		{"Population", func(c *Config) { c.Algo, c.Population = Evolution, 0 }},
	} {
		cfg := DefaultConfig()
		c.edit(&cfg)
		var ce *ConfigError
		if err := cfg.Validate(); !errors.As(err, &ce) || ce.Field != c.field {
			t.Errorf("config with bad %s: error %v", c.field, err)
		}
		if _, err := New(cfg, load(t), load(t).ParamsM(tables.CIFAR10)); err == nil {
			t.Errorf("New accepted a bad %s", c.field)
		}
	}
	// Random search needs no learning rate.
	cfg := DefaultConfig()
	cfg.Algo, cfg.LR = Random, 0
	if err := cfg.Validate(); err != nil {
		t.Errorf("random search rejected for its unused LR: %v", err)
	}
	if _, err := New(DefaultConfig(), load(t), make([]float32, 10)); err == nil {
		t.Error("New accepted 10 scores")
	}
}

// Every event's reward follows the formula from its own fields, and the
// pick is the selection rule applied to the sampled set.
// Under the energy objective the same holds with energy in place of latency.
func TestEventsAndSelection(t *testing.T) {
	tb := load(t)
	lat := DefaultConfig()
	lat.Dataset, lat.Device, lat.Target = tables.CIFAR100, tables.Pixel3, 20
	// Energy on the Edge GPU, at a target a fifth of CIFAR-10's networks meet.
	en := DefaultConfig()
	en.Objective = tables.Energy
	energies := slices.Clone(tb.Energies(en.Dataset, en.Device))
	slices.Sort(energies)
	en.Target = float64(energies[len(energies)/5])
	for _, base := range []Config{lat, en} {
		for _, algo := range Algos() {
			c := base
			c.Algo, c.Episodes, c.Seed = algo, 300, 3
			t.Run(c.Objective.String()+"/"+algo, func(t *testing.T) { checkEvents(t, tb, c) })
		}
	}
}

func checkEvents(t *testing.T, tb *tables.Tables, c Config) {
	algo := c.Algo
	scores := tb.FlopsM(c.Dataset)
	evs, res := runAll(t, c, scores)
	best := -1
	for k, e := range evs {
		if e.Episode != k || e.Index != tb.Index(e.Arch) {
			t.Fatalf("%s: event %d has episode %d, index %d for %v", algo, k, e.Episode, e.Index, e.Arch)
		}
		want := reward.Reward(e.ScoreNorm, e.Cost, e.CostKnown, c.Target, c.Alpha)
		if algo == ScoreOnly {
			want = e.ScoreNorm
		}
		if e.Reward != want {
			t.Fatalf("%s: episode %d reward %v, want %v", algo, k, e.Reward, want)
		}
		cost := float64(tb.Costs(c.Dataset, c.Device, c.Objective)[e.Index])
		if e.Cost != cost {
			t.Fatalf("%s: episode %d %s %v, table %v", algo, k, c.Objective, e.Cost, cost)
		}
		if e.Cost <= c.Target {
			s := float64(scores[e.Index])
			if algo == OracleScore {
				s = float64(tb.ValidAccs(c.Dataset)[e.Index])
			}
			if e.Score != s {
				t.Fatalf("%s: episode %d raw score %v, want %v", algo, k, e.Score, s)
			}
			if best < 0 || e.Score > evs[best].Score || (e.Score == evs[best].Score &&
				(e.Cost < evs[best].Cost || (e.Cost == evs[best].Cost && e.Index < evs[best].Index))) {
				best = k
			}
		}
		if (best < 0 && e.Best != -1) || (best >= 0 && e.Best != evs[best].Index) {
			t.Fatalf("%s: episode %d reports pick %d", algo, k, e.Best)
		}
	}
	if best < 0 {
		t.Fatalf("%s: nothing feasible in 300 episodes at T=%g %s", algo, c.Target, c.Objective.Unit())
	}
	i := evs[best].Index
	if res.Index != i || !res.MeetsTarget || !res.FeasibleFound || res.Episodes != 300 {
		t.Fatalf("%s: result %+v, want index %d", algo, res, i)
	}
	acc := float64(tb.TestAccs(c.Dataset)[i])
	o := tables.Best(tb.Costs(c.Dataset, c.Device, c.Objective), c.Target, tb.TestAccs(c.Dataset))
	oacc := float64(tb.TestAccs(c.Dataset)[o.Index])
	if res.TestAcc != acc || res.OracleTestAcc != oacc || res.Regret != oacc-acc || res.Arch != tb.Arch(i) {
		t.Errorf("%s: result %+v: want test acc %v, oracle %v", algo, res, acc, oacc)
	}
	run, err := New(c, tb, scores)
	if err != nil {
		t.Fatal(err)
	}
	if run.Oracle() != o {
		t.Errorf("%s: run's oracle %+v, tables %+v", algo, run.Oracle(), o)
	}
	if l := float64(tb.Latencies(c.Dataset, c.Device)[i]); res.LatencyMs != l {
		t.Errorf("%s: pick's latency %v, table %v", algo, res.LatencyMs, l)
	}
	if e, ok := tables.Value(tb.Energies(c.Dataset, c.Device), i); ok != !math.IsNaN(res.EnergyMJ) || (ok && e != res.EnergyMJ) {
		t.Errorf("%s: pick's energy %v, table %v (known %v)", algo, res.EnergyMJ, e, ok)
	}
}

// Networks with unknown latency (Edge TPU) get R = 0 and are never picked,
// under every reward: the hardware-aware one and the score alone.
func TestUnknownLatency(t *testing.T) {
	for _, algo := range []string{Random, ScoreOnly} {
		c := DefaultConfig()
		c.Device, c.Target, c.Algo, c.Episodes = tables.EdgeTPU, 1e6, algo, 400
		evs, res := runAll(t, c, load(t).ParamsM(c.Dataset))
		unknown := 0
		for _, e := range evs {
			if !e.CostKnown {
				unknown++
				if e.Reward != 0 || e.RLat != 0 {
					t.Fatalf("%s episode %d: unknown latency but reward %v, R_LAT %v", algo, e.Episode, e.Reward, e.RLat)
				}
			} else if algo == ScoreOnly && e.Reward != e.ScoreNorm {
				t.Fatalf("score-only episode %d: reward %v, score %v", e.Episode, e.Reward, e.ScoreNorm)
			}
		}
		if unknown == 0 {
			t.Fatalf("%s: 400 Edge TPU samples, none with unknown latency (4,699 of 15,625 are)", algo)
		}
		if _, ok := tables.Value(load(t).Latencies(c.Dataset, c.Device), res.Index); !ok {
			t.Errorf("%s: picked index %d whose latency is unknown", algo, res.Index)
		}
	}
}

// When no sampled network has a known latency there is no pick, and the
// result's numbers are NaN (unknown), never 0.
func TestNothingKnown(t *testing.T) {
	c := DefaultConfig()
	c.Device, c.Target, c.Algo, c.Episodes = tables.EdgeTPU, 1, Random, 1
	for c.Seed = 0; c.Seed < 100; c.Seed++ {
		evs, res := runAll(t, c, load(t).ParamsM(c.Dataset))
		if evs[0].CostKnown {
			continue
		}
		if res.Index != -1 || res.FeasibleFound || res.MeetsTarget {
			t.Fatalf("seed %d: the only sample has no latency, result %+v", c.Seed, res)
		}
		for name, v := range map[string]float64{"test acc": res.TestAcc, "latency": res.LatencyMs, "score": res.Score, "score norm": res.ScoreNorm, "regret": res.Regret} {
			if !math.IsNaN(v) {
				t.Errorf("seed %d: %s %v with nothing picked, want NaN", c.Seed, name, v)
			}
		}
		return
	}
	t.Fatal("100 seeds, each first Edge TPU sample with a known latency")
}

// With a target no network meets, the result says so and falls back to the
// fastest sampled network.
func TestNothingFeasible(t *testing.T) {
	c := DefaultConfig()
	c.Target, c.Algo, c.Episodes = 1e-6, Random, 50
	evs, res := runAll(t, c, load(t).ParamsM(c.Dataset))
	if res.FeasibleFound || res.MeetsTarget || !math.IsNaN(res.OracleTestAcc) {
		t.Fatalf("result %+v claims a network meets 1e-6 ms", res)
	}
	for _, e := range evs {
		if e.Best != -1 || e.Cost < res.LatencyMs {
			t.Fatalf("episode %d: pick %d, latency %v below the fallback's %v", e.Episode, e.Best, e.Cost, res.LatencyMs)
		}
	}
}

func TestDeterminism(t *testing.T) {
	for _, algo := range Algos() {
		c := DefaultConfig()
		c.Algo, c.Episodes, c.Seed = algo, 60, 11
		_, a := runAll(t, c, load(t).ParamsM(c.Dataset))
		_, b := runAll(t, c, load(t).ParamsM(c.Dataset))
		c.Seed = 12
		_, d := runAll(t, c, load(t).ParamsM(c.Dataset))
		if a.TraceHash != b.TraceHash {
			t.Errorf("%s: same seed, hashes %s and %s", algo, a.TraceHash, b.TraceHash)
		}
		if a.TraceHash == d.TraceHash {
			t.Errorf("%s: seeds 11 and 12 give the same hash %s", algo, a.TraceHash)
		}
	}
}

func TestRandomUniform(t *testing.T) {
	c := DefaultConfig()
	c.Algo, c.Episodes = Random, 5000
	evs, _ := runAll(t, c, load(t).ParamsM(c.Dataset))
	var count [space.NumEdges][space.NumOps]int
	for _, e := range evs {
		for k, op := range e.Arch {
			count[k][op]++
		}
	}
	// Each count is Binomial(5000, 0.2): sd ≈ 28.3.
	for k := range count {
		for op, n := range count[k] {
			if math.Abs(float64(n)-1000) > 5*28.3 {
				t.Errorf("edge %d op %d drawn %d times of 5000", k, op, n)
			}
		}
	}
}

// Regularized evolution: the first Population networks are random; every
// later one is a one-edge mutation of a tournament winner, so it is one edge
// away from a member of the living population (the last Population networks).
func TestEvolution(t *testing.T) {
	c := DefaultConfig()
	c.Algo, c.Episodes, c.Population, c.Tournament = Evolution, 400, 50, 10
	evs, _ := runAll(t, c, load(t).ParamsM(c.Dataset))
	for k := c.Population; k < len(evs); k++ {
		child := evs[k].Arch
		found := false
		for _, m := range evs[k-c.Population : k] { // the living population
			diff := 0
			for e := range child {
				if child[e] != m.Arch[e] {
					diff++
				}
			}
			found = found || diff == 1
		}
		if !found {
			t.Fatalf("episode %d: %v is not one edge from any living member", k, child)
		}
	}
	// Selection pressure: the mean reward of the last 100 exceeds the
	// random first 50.
	mean := func(evs []Event) float64 {
		s := 0.0
		for _, e := range evs {
			s += e.Reward
		}
		return s / float64(len(evs))
	}
	if first, last := mean(evs[:50]), mean(evs[300:]); !(last > first+0.1) {
		t.Errorf("evolution reward: first 50 %.3f, last 100 %.3f", first, last)
	}
}

// The controller learns: at the tuned settings (lr 5e-3, 4 networks per
// update) on the real #params score, the last 100 episodes score higher
// than the first 100 and the policy's entropy falls, on every seed.
func TestControllerLearns(t *testing.T) {
	for seed := int64(0); seed < 3; seed++ {
		c := DefaultConfig()
		c.LR, c.SamplesPerStep, c.Seed = 5e-3, 4, seed
		c.Dataset, c.Device, c.Target = tables.CIFAR100, tables.Raspi4, 40
		evs, _ := runAll(t, c, load(t).ParamsM(c.Dataset))
		var s0, s1, h0, h1 float64
		for k := 0; k < 100; k++ {
			s0 += evs[k].ScoreNorm / 100
			s1 += evs[len(evs)-100+k].ScoreNorm / 100
			h0 += evs[k].Entropy / 100
			h1 += evs[len(evs)-100+k].Entropy / 100
		}
		t.Logf("seed %d: score_norm %.3f -> %.3f, entropy %.2f -> %.2f", seed, s0, s1, h0, h1)
		if !(s1 > s0+0.05) || !(h1 < h0-2) {
			t.Errorf("seed %d does not learn: score_norm %.3f -> %.3f, entropy %.2f -> %.2f", seed, s0, s1, h0, h1)
		}
	}
}

// BenchmarkEpisode is one rl episode at the paper's settings (sample, score,
// reward, REINFORCE update) averaged over a 500-episode search.
func BenchmarkEpisode(b *testing.B) {
	tb := load(b)
	c := DefaultConfig()
	scores := tb.ParamsM(c.Dataset)
	var r *Run
	for b.Loop() {
		if r == nil || r.Done() {
			var err error
			if r, err = New(c, tb, scores); err != nil {
				b.Fatal(err)
			}
		}
		r.Step()
	}
}

// The paper's setting is DefaultConfig at the paper's target; any change
// of algorithm, objective, target, α, budget or controller leaves it, and a
// device the paper did not use has none.
func TestIsPaperSetting(t *testing.T) {
	if !DefaultConfig().IsPaperSetting() {
		t.Fatal("DefaultConfig (cifar10, edgegpu, 6 ms) is not the paper's setting")
	}
	for name, edit := range map[string]func(*Config){
		"algo":      func(c *Config) { c.Algo = Evolution },
		"objective": func(c *Config) { c.Objective, c.Target = tables.Energy, 6 },
		"target":    func(c *Config) { c.Target = 7 },
		"alpha":     func(c *Config) { c.Alpha = 0.5 },
		"episodes":  func(c *Config) { c.Episodes = 100 },
		"lr":        func(c *Config) { c.LR = 5e-3 },
		"K":         func(c *Config) { c.SamplesPerStep = 4 },
		"device":    func(c *Config) { c.Device = tables.Eyeriss },
	} {
		c := DefaultConfig()
		edit(&c)
		if c.IsPaperSetting() {
			t.Errorf("changed %s, still the paper's setting", name)
		}
	}
	c := DefaultConfig()
	c.Dataset, c.Device, c.Target = tables.ImageNet16, tables.Raspi4, 9
	if !c.IsPaperSetting() {
		t.Error("ImageNet16-120 on Raspi 4 at 9 ms is the paper's setting")
	}
}

// WriteCSV leaves a worst score (undefined for the network) and an unknown
// cost empty, and writes every other number in its shortest form; the JSON
// of a Point has null for both.
func TestWriteCSVWorst(t *testing.T) {
	cost := float32(5.25)
	var b strings.Builder
	points := []Point{
		{Episode: 0, Index: 7, Arch: "a", Score: scores.Worst, ScoreNorm: 0.5, TestAcc: 10, Best: -1},
		{Episode: 1, Index: 8, Arch: "b", Score: 0.25, ScoreNorm: 0.75, Cost: &cost, TestAcc: 93.5, Best: 8},
	}
	err := WriteCSV(&b, tables.Latency, points)
	want := "episode,index,arch,score,score_norm,latency_ms,test_acc,r_lat,reward,baseline,entropy,best\n" +
		"0,7,a,,0.5,,10,0,0,0,0,-1\n1,8,b,0.25,0.75,5.25,93.5,0,0,0,0,8\n"
	if err != nil || b.String() != want {
		t.Errorf("WriteCSV = %q (%v), want %q", b.String(), err, want)
	}
	j, err := json.Marshal(points)
	wantJSON := `[{"episode":0,"index":7,"arch":"a","scoreNorm":0.5,"cost":null,"testAcc":10,"rLat":0,"reward":0,"baseline":0,"entropy":0,"best":-1,"score":null},` +
		`{"episode":1,"index":8,"arch":"b","scoreNorm":0.75,"cost":5.25,"testAcc":93.5,"rLat":0,"reward":0,"baseline":0,"entropy":0,"best":8,"score":0.25}]`
	if err != nil || string(j) != wantJSON {
		t.Errorf("points' JSON = %s (%v), want %s", j, err, wantJSON)
	}
}

// TestTargetAtPrintedCost: a sampled network meets a target written as its
// own cost as the tables print it (the shortest decimal of the float32,
// which may lie below the float32: index 0's Edge GPU latency prints as
// 5.8074183 ms and is stored as 5.80741834640502929...), as tables.Best
// counts it.
func TestTargetAtPrintedCost(t *testing.T) {
	tried := 0
	for seed := int64(0); seed < 40 && tried < 5; seed++ {
		c := DefaultConfig()
		c.Algo, c.Episodes, c.Seed, c.Target = Random, 1, seed, 1e6
		evs, _ := runAll(t, c, load(t).ParamsM(c.Dataset))
		cost := float32(evs[0].Cost)
		T, err := strconv.ParseFloat(strconv.FormatFloat(float64(cost), 'g', -1, 32), 64)
		if err != nil {
			t.Fatal(err)
		}
		if T >= float64(cost) {
			continue // the decimal is not below the float32: no rounding to test
		}
		tried++
		c.Target = T
		_, res := runAll(t, c, load(t).ParamsM(c.Dataset))
		if !res.MeetsTarget || res.Index != evs[0].Index {
			t.Errorf("seed %d: network %d of latency %v (printed %v) under T = %v: pick %d, meets T %v",
				seed, evs[0].Index, evs[0].Cost, T, T, res.Index, res.MeetsTarget)
		}
	}
	if tried == 0 {
		t.Fatal("no sampled latency prints below its float32")
	}
}

// TestFallbackPick: when nothing sampled meets T, the result is the
// cheapest network sampled, the lowest index among equally cheap ones. On
// Eyeriss (27 distinct latencies) equal costs are common, and here the
// first of the cheapest networks sampled is not the lowest-indexed one.
func TestFallbackPick(t *testing.T) {
	c := DefaultConfig()
	c.Device, c.Target, c.Algo, c.Episodes = tables.Eyeriss, 1e-6, Random, 300
	exercised := false
	for c.Seed = 0; c.Seed < 10; c.Seed++ {
		evs, res := runAll(t, c, load(t).ParamsM(c.Dataset))
		want, firstSeen, lastSeen := -1, -1, -1
		for _, e := range evs {
			if !e.CostKnown {
				continue
			}
			if want < 0 || e.Cost < evs[want].Cost {
				want, firstSeen, lastSeen = e.Episode, e.Episode, e.Episode
				continue
			}
			if e.Cost == evs[want].Cost {
				lastSeen = e.Episode
				if e.Index < evs[want].Index {
					want = e.Episode
				}
			}
		}
		if want < 0 {
			t.Fatalf("seed %d: nothing of known cost sampled", c.Seed)
		}
		exercised = exercised || (want != firstSeen && evs[want].Index != evs[lastSeen].Index)
		if res.MeetsTarget || res.Index != evs[want].Index || res.LatencyMs != evs[want].Cost || res.TestAcc != float64(load(t).TestAccs(c.Dataset)[res.Index]) {
			t.Errorf("seed %d: fallback %+v, want index %d at %v ms", c.Seed, res, evs[want].Index, evs[want].Cost)
		}
	}
	if !exercised {
		t.Error("no seed has the lowest-indexed cheapest network sampled after others of its cost: the tie-break is not exercised")
	}
}

// TestBaselineEvents: each controller event reports the moving average its
// advantage was taken against: the first reward, then
// decay·previous baseline + (1−decay)·previous reward.
func TestBaselineEvents(t *testing.T) {
	c := DefaultConfig()
	c.Episodes = 40
	evs, _ := runAll(t, c, load(t).ParamsM(c.Dataset))
	for k, e := range evs {
		want := e.Reward
		if k > 0 {
			p := evs[k-1]
			want = c.BaselineDecay*p.Baseline + (1-c.BaselineDecay)*p.Reward
		}
		if e.Baseline != want {
			t.Fatalf("episode %d: baseline %v, want %v", k, e.Baseline, want)
		}
	}
}

// TestShorterRunIsPrefix: with several episodes per update, a run of 30
// episodes samples what the first 30 of a longer run do: the gradient of
// each update is the mean over its batch, however many episodes remain.
func TestShorterRunIsPrefix(t *testing.T) {
	for _, algo := range []string{RL, ScoreOnly} {
		c := DefaultConfig()
		c.Algo, c.LR, c.SamplesPerStep, c.Seed = algo, 0.05, 20, 3
		c.Episodes = 30
		short, _ := runAll(t, c, load(t).ParamsM(c.Dataset))
		c.Episodes = 60
		long, _ := runAll(t, c, load(t).ParamsM(c.Dataset))
		for k := range short {
			if short[k].Index != long[k].Index || short[k].Reward != long[k].Reward || short[k].Entropy != long[k].Entropy {
				t.Fatalf("%s episode %d: %d episodes sample %d (entropy %v), %d episodes sample %d (entropy %v)",
					algo, k, c.Episodes, long[k].Index, long[k].Entropy, len(short), short[k].Index, short[k].Entropy)
			}
		}
	}
}

// TestTournamentTies: a tournament among members of equal fitness picks the
// first drawn, and the child differs from it in exactly the edge drawn.
func TestTournamentTies(t *testing.T) {
	c := DefaultConfig()
	c.Algo, c.Population, c.Tournament = Evolution, 20, 10
	r, err := New(c, load(t), load(t).ParamsM(c.Dataset))
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < c.Population; k++ {
		r.pop = append(r.pop, member{space.FromCode(k * 701), 0.5})
	}
	const seed = 77
	for n := 0; n < 50; n++ {
		r.rng = rand.New(rand.NewPCG(seed, uint64(n)))
		twin := rand.New(rand.NewPCG(seed, uint64(n)))
		parent := r.pop[twin.IntN(len(r.pop))]
		for k := 1; k < c.Tournament; k++ {
			twin.IntN(len(r.pop))
		}
		want := parent.arch
		edge := twin.IntN(space.NumEdges)
		want[edge] = space.Op((int(want[edge]) + 1 + twin.IntN(int(space.NumOps)-1)) % int(space.NumOps))
		if got := r.evolve(); got != want {
			t.Fatalf("draw %d: child %v, want %v (from the first drawn, %v)", n, got, want, parent.arch)
		}
	}
}
