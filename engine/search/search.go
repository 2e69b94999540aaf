// Package search runs one hardware-aware architecture search over
// NAS-Bench-201: an algorithm samples networks, each is scored by a
// training-free indicator (a precomputed score vector) and weighed by its
// measured latency (or energy), and after the budget the best sampled network
// under the target is picked.
//
// A Run advances one episode per Step and reports an Event, so the browser
// can draw the search as it goes; it needs no goroutines and no files, and
// one seeded PCG generator drives everything, so a seed gives the same trace
// natively and under js/wasm.
package search

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/nasplay/nasplay/engine/controller"
	"github.com/nasplay/nasplay/engine/paper"
	"github.com/nasplay/nasplay/engine/reward"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

// The algorithms. All share the budget (Episodes sampled networks) and the
// selection rule; they differ in how they propose networks.
const (
	// RL is the paper's method: the LSTM controller trained with REINFORCE
	// on R = Score_norm · R_LAT.
	RL = "rl"
	// ScoreOnly is the paper's ablation: the same controller on R = Score_norm
	// (0, as for every algorithm, where the network's cost is unknown).
	ScoreOnly = "score-only"
	// Random samples networks uniformly.
	Random = "random"
	// Evolution is regularized (aging) evolution on the reward R.
	Evolution = "evolution"
	// OracleScore is RL with the validation accuracy as the score: what the
	// search reaches with a perfect-as-possible indicator.
	OracleScore = "oracle-score"
)

// Algos lists the algorithms.
func Algos() []string { return []string{RL, ScoreOnly, Random, Evolution, OracleScore} }

// Config is one search's settings.
type Config struct {
	Dataset tables.Dataset
	Device  tables.Device
	// Objective is what Target bounds: latency (the paper's, and the zero
	// value) or energy, where the device has energy data. The reward's
	// R_LAT and the selection use it in place of latency.
	Objective tables.Objective
	Target    float64 // target T, in the objective's unit (ms or mJ)
	Alpha     float64 // R_LAT's floor below the target, in [0, 1]
	Algo      string  // one of Algos
	Seed      int64   // in [0, MaxSeed]

	Episodes int // networks sampled (the budget)

	// Controller settings (rl, score-only, oracle-score).
	LR             float64 // Adam learning rate
	SamplesPerStep int     // episodes averaged into each policy update
	BaselineDecay  float64 // decay of the reward's moving average

	// Evolution settings.
	Population int // networks kept alive
	Tournament int // population members drawn to pick each parent
}

// DefaultConfig is the paper's setting (MISSION.md section 5) on CIFAR-10
// and the Edge GPU at its 6 ms target.
func DefaultConfig() Config {
	return Config{
		Dataset: tables.CIFAR10, Device: tables.EdgeGPU, Target: 6, Alpha: 0.9,
		Algo: RL, Episodes: 500,
		LR: 5e-4, SamplesPerStep: 1, BaselineDecay: 0.95,
		Population: 50, Tournament: 10,
	}
}

// UsesController reports whether the algorithm trains the LSTM controller,
// so that LR, SamplesPerStep and BaselineDecay apply to it.
func UsesController(algo string) bool { return algo == RL || algo == ScoreOnly || algo == OracleScore }

func (c Config) usesController() bool { return UsesController(c.Algo) }

// IsPaperSetting reports whether c is the setting of the paper's Table 1:
// rl bounding latency at the paper's target for the dataset and device,
// with DefaultConfig's α, budget and controller (the paper's). Its
// published numbers are for that setting only.
func (c Config) IsPaperSetting() bool {
	d := DefaultConfig()
	t, ok := paper.Target(c.Dataset, c.Device)
	return ok && c.Algo == RL && c.Objective == tables.Latency && c.Target == t && c.Alpha == d.Alpha &&
		c.Episodes == d.Episodes && c.LR == d.LR && c.SamplesPerStep == d.SamplesPerStep && c.BaselineDecay == d.BaselineDecay
}

// MaxEpisodes bounds the budget: a million episodes are minutes of one
// core, far past where any of the algorithms stops improving, and a larger
// budget is more likely a typo than a plan.
const MaxEpisodes = 1_000_000

// MaxSeed is the largest seed: 31 bits, so that every seed a search takes
// fits the page's seed box and URL, and a run can be replayed there.
const MaxSeed = 1<<31 - 1

// A ConfigError names the Config field that is out of range, so that a
// caller can speak of its own name for the setting (a flag, a slider).
type ConfigError struct {
	Field   string // the Config field, e.g. "SamplesPerStep"
	Problem string // the value and what is wanted, e.g. "0: want at least 1"
}

func (e *ConfigError) Error() string { return "search: " + e.Field + " " + e.Problem }

// Validate reports the first setting that is out of range as a *ConfigError.
func (c Config) Validate() error {
	finite := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	bad := func(field, format string, args ...any) error {
		return &ConfigError{field, fmt.Sprintf(format, args...)}
	}
	switch {
	case c.Dataset < 0 || c.Dataset >= tables.NumDatasets:
		return bad("Dataset", "%d out of range", int(c.Dataset))
	case c.Device < 0 || c.Device >= tables.NumDevices:
		return bad("Device", "%d out of range", int(c.Device))
	case c.Objective < 0 || c.Objective >= tables.NumObjectives:
		return bad("Objective", "%d out of range", int(c.Objective))
	case !c.Device.Supports(c.Objective):
		return bad("Objective", "%s: %v", c.Objective, c.Device.CheckSupport(c.Objective))
	case !finite(c.Target) || c.Target <= 0:
		return bad("Target", "%v %s: want a finite %s > 0", c.Target, c.Objective.Unit(), c.Objective)
	case !(c.Alpha >= 0 && c.Alpha <= 1):
		return bad("Alpha", "%v outside [0, 1]", c.Alpha)
	case c.Episodes < 1 || c.Episodes > MaxEpisodes:
		return bad("Episodes", "%d: want 1 to %d", c.Episodes, MaxEpisodes)
	case c.Seed < 0 || c.Seed > MaxSeed:
		return bad("Seed", "%d outside [0, %d]", c.Seed, MaxSeed)
	case !slices.Contains(Algos(), c.Algo):
		return bad("Algo", "%q unknown (valid: %s)", c.Algo, strings.Join(Algos(), ", "))
	}
	if c.usesController() {
		switch {
		case !finite(c.LR) || c.LR <= 0:
			return bad("LR", "%v: want a finite learning rate > 0", c.LR)
		case c.SamplesPerStep < 1:
			return bad("SamplesPerStep", "%d: want at least 1", c.SamplesPerStep)
		case c.SamplesPerStep > c.Episodes:
			return bad("SamplesPerStep", "%d: more than the %d episodes, so the policy would never learn", c.SamplesPerStep, c.Episodes)
		case !(c.BaselineDecay >= 0 && c.BaselineDecay < 1):
			return bad("BaselineDecay", "%v outside [0, 1)", c.BaselineDecay)
		}
	}
	if c.Algo == Evolution {
		switch {
		case c.Population < 1:
			return bad("Population", "%d: want at least 1", c.Population)
		case c.Tournament < 1 || c.Tournament > c.Population:
			return bad("Tournament", "%d: want 1..Population (%d)", c.Tournament, c.Population)
		}
	}
	return nil
}

// Event is what one episode did.
type Event struct {
	Episode int // 0-based
	Arch    space.Arch
	Index   int // benchmark index of Arch
	// Probs is the policy's softmax at each of the six decisions, given the
	// earlier ones (rl, score-only, oracle-score; nil otherwise). It is only
	// valid until the next Step.
	Probs     [][space.NumOps]float64
	Score     float64 // raw indicator score (validation accuracy for oracle-score)
	ScoreNorm float64 // mid-rank normalized score, in (0, 1]
	Cost      float64 // the objective's value (latency ms or energy mJ); 0 when unknown
	CostKnown bool
	RLat      float64 // R_LAT of Cost against the target; 0 when the cost is unknown
	Reward    float64 // what the algorithm maximizes
	Baseline  float64 // moving-average baseline the advantage was taken against (controller algorithms)
	Entropy   float64 // entropy (nats) of the policy along the sampled path (controller algorithms)
	Best      int     // benchmark index of the current pick, -1 while none meets the target
}

// Result is the search's pick under the selection rule: among the sampled
// networks with known cost ≤ T, the highest raw score, ties to lower cost,
// then lower index. When none meets the target the pick is the sampled
// network with the lowest known cost, with MeetsTarget and FeasibleFound
// false (Index -1 if no sampled cost is known at all). The cost is the
// latency, or the energy under the Energy objective.
type Result struct {
	// Index is the pick; -1 when no sampled network has a known cost,
	// and then TestAcc, LatencyMs, EnergyMJ, Score and ScoreNorm are NaN.
	Index         int
	Arch          space.Arch
	TestAcc       float64 // %, from the tables
	LatencyMs     float64 // NaN when unknown
	EnergyMJ      float64 // NaN where the device has no energy data
	Score         float64 // raw
	ScoreNorm     float64
	MeetsTarget   bool
	FeasibleFound bool    // some sampled network met the target
	OracleTestAcc float64 // best test accuracy of any network meeting the target (NaN if none does)
	Regret        float64 // OracleTestAcc − TestAcc
	Episodes      int     // episodes run so far
	TraceHash     string  // hash of the sampled indices and rewards so far
}

// Run is one search in progress.
type Run struct {
	c      Config
	t      *tables.Tables
	ranked *reward.Ranked
	// The device's columns, nil where unknown to the benchmark; cost is the
	// objective's, one of the two.
	lat, energy, cost []float32
	rng               *rand.Rand
	trace             hash.Hash
	oracle            tables.OracleResult

	episode  int
	best     int // pick among feasible samples, -1 if none
	cheapest int // lowest known cost sampled, -1 if none

	// Controller state.
	policy      *controller.Policy
	ep          controller.Episode
	baseline    float64
	hasBaseline bool

	// Evolution state: a ring of the Population most recent members.
	pop     []member
	popNext int

	// The proposed episode waiting for its score (see Propose).
	next     Event
	proposed bool
	// Live scoring (see Score): the original scores, unsorted and sorted,
	// kept once a live score has replaced an entry of the run's own copy.
	table  []float32
	sorted []float32
}

type member struct {
	arch    space.Arch
	fitness float64
}

// New starts a search with the raw scores of its indicator for every
// benchmark index (higher = better). For OracleScore the scores are ignored
// (may be nil): the dataset's validation accuracy is used.
func New(c Config, t *tables.Tables, scores []float32) (*Run, error) {
	if c.Algo == OracleScore {
		scores = t.ValidAccs(c.Dataset)
	}
	if len(scores) != t.Len() {
		return nil, fmt.Errorf("search: %d scores for %d networks", len(scores), t.Len())
	}
	r, err := reward.Rank(scores)
	if err != nil {
		return nil, fmt.Errorf("search: %v", err)
	}
	return NewRanked(c, t, r)
}

// NewRanked is New with the scores already ranked, for callers that run
// many searches on one indicator. For OracleScore r must rank the dataset's
// validation accuracy.
func NewRanked(c Config, t *tables.Tables, r *reward.Ranked) (*Run, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if len(r.Raw) != t.Len() {
		return nil, fmt.Errorf("search: %d ranked scores for %d networks", len(r.Raw), t.Len())
	}
	cost := t.Costs(c.Dataset, c.Device, c.Objective)
	run := &Run{
		c: c, t: t, ranked: r,
		lat: t.Latencies(c.Dataset, c.Device), energy: t.Energies(c.Dataset, c.Device), cost: cost,
		rng:    rand.New(rand.NewPCG(uint64(c.Seed), 0x6e6173706c6179)), // "nasplay"
		trace:  sha256.New(),
		oracle: tables.Best(cost, c.Target, t.TestAccs(c.Dataset)),
		best:   -1, cheapest: -1,
	}
	if c.usesController() {
		run.policy = controller.New(run.rng)
	}
	return run, nil
}

// Oracle is the most accurate network of the whole space that meets the
// run's target, and how many do.
func (r *Run) Oracle() tables.OracleResult { return r.oracle }

// Done reports whether the budget is spent.
func (r *Run) Done() bool { return r.episode >= r.c.Episodes }

// Step runs one episode: propose a network, score it from the run's
// scores, reward it, and update the algorithm. It returns false, and does
// nothing, once the budget is spent.
func (r *Run) Step() (Event, bool) {
	if !r.propose() {
		return Event{}, false
	}
	return r.complete(), true
}

// propose has the algorithm sample the next episode's network into r.next,
// unless one is already waiting for its score. It returns false once the
// budget is spent.
func (r *Run) propose() bool {
	if r.Done() {
		return false
	}
	if r.proposed {
		return true
	}
	c := r.c
	e := Event{Episode: r.episode, Best: -1}
	switch {
	case c.usesController():
		r.policy.Sample(r.rng, &r.ep)
		e.Arch = r.ep.Arch
		e.Probs = r.ep.Probs[:]
		e.Entropy = r.ep.Entropy()
	case c.Algo == Random:
		e.Arch = r.randomArch()
	case c.Algo == Evolution:
		e.Arch = r.evolve()
	}
	e.Index = r.t.Index(e.Arch)
	r.next, r.proposed = e, true
	return true
}

// complete scores the proposed network with its entry in r.ranked, rewards
// it, updates the algorithm and the pick, and ends the episode.
func (r *Run) complete() Event {
	c := r.c
	e, i := r.next, r.next.Index
	r.proposed = false
	e.Score, e.ScoreNorm = float64(r.ranked.Raw[i]), r.ranked.Norm[i]
	e.Cost, e.CostKnown = tables.Value(r.cost, i)
	if e.CostKnown {
		e.RLat = reward.Latency(e.Cost, c.Target, c.Alpha)
	}
	if c.Algo == ScoreOnly {
		// The score alone, except that a network of unknown cost earns
		// nothing (MISSION §4): it could never be the pick.
		if e.CostKnown {
			e.Reward = e.ScoreNorm
		}
	} else {
		e.Reward = reward.Reward(e.ScoreNorm, e.Cost, e.CostKnown, c.Target, c.Alpha)
	}

	switch {
	case c.usesController():
		r.learn(&e)
	case c.Algo == Evolution:
		r.admit(member{e.Arch, e.Reward})
	}
	r.consider(i)
	e.Best = r.best

	var buf [12]byte
	binary.LittleEndian.PutUint32(buf[:4], uint32(i))
	binary.LittleEndian.PutUint64(buf[4:], math.Float64bits(e.Reward))
	r.trace.Write(buf[:])
	r.episode++
	return e
}

// learn is REINFORCE with a moving-average baseline: the advantage of the
// episode's reward over the baseline weighs ∇ log π, averaged over the
// SamplesPerStep episodes of each Adam step (fewer in a short last batch). The baseline starts at the first
// reward, so the first advantage is 0 rather than the whole reward.
func (r *Run) learn(e *Event) {
	c := r.c
	if !r.hasBaseline {
		r.baseline, r.hasBaseline = e.Reward, true
	}
	e.Baseline = r.baseline
	// The last batch is short when SamplesPerStep does not divide Episodes.
	batch := min(c.SamplesPerStep, c.Episodes-r.episode/c.SamplesPerStep*c.SamplesPerStep)
	r.policy.Accumulate(&r.ep, (e.Reward-r.baseline)/float64(batch))
	r.baseline = c.BaselineDecay*r.baseline + (1-c.BaselineDecay)*e.Reward
	if (r.episode+1)%c.SamplesPerStep == 0 || r.episode+1 == c.Episodes {
		r.policy.Update(c.LR)
	}
}

func (r *Run) randomArch() space.Arch {
	var a space.Arch
	for k := range a {
		a[k] = space.Op(r.rng.IntN(int(space.NumOps)))
	}
	return a
}

// evolve proposes the next network of regularized evolution: random until
// the population is full, then a one-edge mutation of the fittest of
// Tournament members drawn with replacement (ties to the first drawn).
func (r *Run) evolve() space.Arch {
	if len(r.pop) < r.c.Population {
		return r.randomArch()
	}
	parent := r.pop[r.rng.IntN(len(r.pop))]
	for k := 1; k < r.c.Tournament; k++ {
		if m := r.pop[r.rng.IntN(len(r.pop))]; m.fitness > parent.fitness {
			parent = m
		}
	}
	child := parent.arch
	edge := r.rng.IntN(space.NumEdges)
	child[edge] = space.Op((int(child[edge]) + 1 + r.rng.IntN(int(space.NumOps)-1)) % int(space.NumOps))
	return child
}

// admit adds a member, retiring the oldest once the population is full.
func (r *Run) admit(m member) {
	if len(r.pop) < r.c.Population {
		r.pop = append(r.pop, m)
		return
	}
	r.pop[r.popNext] = m
	r.popNext = (r.popNext + 1) % len(r.pop)
}

// consider updates the pick and the fallback with sampled network i.
func (r *Run) consider(i int) {
	cost, known := tables.Value(r.cost, i)
	if !known {
		return
	}
	if r.cheapest < 0 || cost < float64(r.cost[r.cheapest]) || (cost == float64(r.cost[r.cheapest]) && i < r.cheapest) {
		r.cheapest = i
	}
	if tables.Meets(r.cost[i], r.c.Target) && (r.best < 0 || r.better(i, r.best)) {
		r.best = i
	}
}

// better is the selection order among feasible networks (tables.Better).
func (r *Run) better(i, j int) bool { return tables.Better(r.ranked.Raw, r.cost, i, j) }

// Result is the pick so far; after the last Step, the search's result.
func (r *Run) Result() Result {
	res := Result{
		Index: r.best, FeasibleFound: r.best >= 0, MeetsTarget: r.best >= 0,
		OracleTestAcc: math.NaN(), Regret: math.NaN(),
		Episodes: r.episode, TraceHash: hex.EncodeToString(r.trace.Sum(nil)[:8]),
	}
	if r.oracle.Index >= 0 {
		res.OracleTestAcc = float64(r.t.TestAccs(r.c.Dataset)[r.oracle.Index])
	}
	if res.Index < 0 {
		res.Index = r.cheapest
	}
	if res.Index < 0 {
		// Nothing sampled has a known cost: nothing to report, never 0.
		res.TestAcc, res.LatencyMs, res.EnergyMJ, res.Score, res.ScoreNorm = math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN()
		return res
	}
	i := res.Index
	res.Arch = r.t.Arch(i)
	res.TestAcc = float64(r.t.TestAccs(r.c.Dataset)[i])
	res.LatencyMs, res.EnergyMJ = known(r.lat, i), known(r.energy, i)
	res.Score, res.ScoreNorm = float64(r.ranked.Raw[i]), r.ranked.Norm[i]
	res.Regret = res.OracleTestAcc - res.TestAcc
	return res
}

// known is column c at i, NaN where unknown.
func known(c []float32, i int) float64 {
	if v, ok := tables.Value(c, i); ok {
		return v
	}
	return math.NaN()
}
