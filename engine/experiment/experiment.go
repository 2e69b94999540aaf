// Package experiment runs the paper's experiments: many searches over a grid
// of cells, indicators and seeds, summarized per cell beside the published
// numbers, the oracle and the oracle-score search. Searches run in parallel
// on goroutines, one search per goroutine at a time; each search is the
// single-threaded engine of package search, so results do not depend on the
// scheduling.
package experiment

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/nasplay/nasplay/engine/paper"
	"github.com/nasplay/nasplay/engine/reward"
	"github.com/nasplay/nasplay/engine/search"
	"github.com/nasplay/nasplay/engine/tables"
)

// Settings are the controller settings an experiment runs at.
type Settings struct {
	Name           string // "paper" or "tuned"
	Episodes       int
	LR             float64
	SamplesPerStep int
}

// PaperSettings are the paper's: lr 5e-4, 500 epochs of one network each.
func PaperSettings() Settings {
	return Settings{Name: "paper", Episodes: 500, LR: 5e-4, SamplesPerStep: 1}
}

// TunedSettings are the settings under which the controller learns clearly
// within the same budget of 500 sampled networks (see the README's search engine section for how
// they were found, on validation accuracy and #params only).
func TunedSettings() Settings {
	return Settings{Name: "tuned", Episodes: 500, LR: 5e-3, SamplesPerStep: 4}
}

// Scorer returns an indicator's raw scores for every benchmark index of a
// dataset.
type Scorer func(d tables.Dataset, indicator string) ([]float32, error)

// Spec is what an experiment needs besides its grid.
type Spec struct {
	Tables   *tables.Tables
	Scores   Scorer
	Seeds    int // seeds 0..Seeds-1
	Settings Settings
	Alpha    float64
	Workers  int                   // goroutines, at most one per search; 0 = GOMAXPROCS
	Progress func(done, total int) // called after each search, from any goroutine, serialized; may be nil

	// Algo is the search algorithm of Table 1's rows: search.RL (the
	// paper's, and the default when empty), ScoreOnly, Random or Evolution.
	// The oracle-score rows beside them are always the rl controller
	// scoring by validation accuracy.
	Algo string

	// Feasible, when above 0, replaces each cell's target by one that
	// binds: the smallest latency (or energy), rounded up to a targetStep,
	// that this share of the dataset's networks meet. The paper's numbers,
	// which belong to its targets, are then left out of the rows.
	Feasible float64

	// Objective is what the targets bound. Under tables.Energy the grid is
	// the three datasets × the devices with energy data (Edge GPU, Eyeriss,
	// FPGA), the paper has no numbers, and Feasible must set the targets.
	Objective tables.Objective
}

// Cell is one (dataset, device) of an experiment's grid with its target,
// in the objective's unit.
type Cell struct {
	Dataset tables.Dataset
	Device  tables.Device
	Target  float64 // ms, or mJ under the energy objective
}

// cells returns the grid: the paper's cells, or under the energy objective
// every dataset × energy device, at binding targets when s.Feasible > 0.
func (s Spec) cells() []Cell {
	var cells []Cell
	if s.Objective == tables.Latency {
		for _, c := range paper.Cells() {
			cells = append(cells, Cell{c.Dataset, c.Device, c.TargetMs})
		}
	} else {
		for _, d := range tables.Datasets() {
			for _, v := range tables.Devices() {
				if v.Supports(s.Objective) {
					cells = append(cells, Cell{Dataset: d, Device: v})
				}
			}
		}
	}
	if s.Feasible <= 0 {
		return cells
	}
	for i, c := range cells {
		var known []float64
		for _, v := range s.Tables.Costs(c.Dataset, c.Device, s.Objective) {
			if !math.IsNaN(float64(v)) {
				known = append(known, float64(v))
			}
		}
		slices.Sort(known)
		k := max(int(math.Ceil(s.Feasible*float64(len(known))))-1, 0)
		scale := 1 / targetStep(s.Objective, known[len(known)-1])
		steps := math.Ceil(known[k] * scale)
		// A cost exactly on the grid that float32 rounded up still meets
		// the grid value itself (tables.Meets): one step less.
		if tables.Meets(float32(known[k]), (steps-1)/scale) {
			steps--
		}
		cells[i].Target = steps / scale
	}
	return cells
}

// targetStep is the resolution of the targets Feasible sets: 0.01 ms for
// latency; for energy, whose largest values run from under 1 mJ (Eyeriss)
// to about 60 mJ (FPGA), the column's tables.Resolution (0.01 mJ on the
// Edge GPU and FPGA, 0.001 or 0.0001 mJ on Eyeriss), as the page's slider.
func targetStep(o tables.Objective, hi float64) float64 {
	if o == tables.Latency {
		return 0.01
	}
	return tables.Resolution(hi)
}

// paperCell is c as a cell of the paper's tables, when the experiment runs
// at the paper's own targets; ok is false otherwise.
func (s Spec) paperCell(c Cell) (pc paper.Cell, ok bool) {
	if s.Objective != tables.Latency || s.Feasible > 0 {
		return paper.Cell{}, false
	}
	return paper.Cell{Dataset: c.Dataset, Device: c.Device, TargetMs: c.Target}, true
}

// costs is the objective's column on c.
func (s Spec) costs(c Cell) []float32 { return s.Tables.Costs(c.Dataset, c.Device, s.Objective) }

// job is one search to run.
type job struct {
	cfg    search.Config
	ranked *reward.Ranked
}

// runner runs jobs, ranking each (dataset, indicator) once.
type runner struct {
	spec   Spec
	ranked map[string]*reward.Ranked
	jobs   []job
}

func newRunner(s Spec) (*runner, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return &runner{spec: s, ranked: map[string]*reward.Ranked{}}, nil
}

// check reports what makes s unusable before anything reads its grid:
// cells indexes the sorted costs by the feasible share.
func (s Spec) check() error {
	switch {
	case s.Seeds < 1:
		return fmt.Errorf("experiment: %d seeds: want at least 1", s.Seeds)
	case !(s.Feasible >= 0 && s.Feasible < 1):
		return fmt.Errorf("experiment: feasible share %v outside [0, 1)", s.Feasible)
	case s.Objective != tables.Latency && s.Feasible == 0:
		return fmt.Errorf("experiment: the paper has no %s targets: set a feasible share", s.Objective)
	}
	return nil
}

// add queues one search per seed and returns the index of the first.
func (r *runner) add(c Cell, algo, indicator string, st Settings) (int, error) {
	key := rankKey(c, algo, indicator)
	rk, ok := r.ranked[key]
	if !ok {
		var scores []float32
		var err error
		if algo == search.OracleScore {
			scores = r.spec.Tables.ValidAccs(c.Dataset)
		} else if scores, err = r.spec.Scores(c.Dataset, indicator); err != nil {
			return 0, err
		}
		if n := r.spec.Tables.Len(); len(scores) != n {
			return 0, fmt.Errorf("experiment: %s on %s: %d scores for %d networks", indicator, c.Dataset, len(scores), n)
		}
		if rk, err = reward.Rank(scores); err != nil {
			return 0, fmt.Errorf("experiment: %s on %s: %v", indicator, c.Dataset, err)
		}
		r.ranked[key] = rk
	}
	first := len(r.jobs)
	for seed := 0; seed < r.spec.Seeds; seed++ {
		cfg := r.spec.config(c, algo, st, seed)
		if err := cfg.Validate(); err != nil {
			return 0, fmt.Errorf("experiment: %s settings: %w", st.Name, err)
		}
		r.jobs = append(r.jobs, job{cfg, rk})
	}
	return first, nil
}

// config is the search of algo on c at settings st with the seed.
func (s Spec) config(c Cell, algo string, st Settings, seed int) search.Config {
	cfg := search.DefaultConfig()
	cfg.Dataset, cfg.Device, cfg.Objective, cfg.Target, cfg.Alpha = c.Dataset, c.Device, s.Objective, c.Target, s.Alpha
	cfg.Algo, cfg.Seed = algo, int64(seed)
	cfg.Episodes, cfg.LR, cfg.SamplesPerStep = st.Episodes, st.LR, st.SamplesPerStep
	return cfg
}

// rankKey names the scores a search of algo with indicator ranks by.
func rankKey(c Cell, algo, indicator string) string {
	if algo == search.OracleScore {
		return c.Dataset.String() + "/valid-acc"
	}
	return c.Dataset.String() + "/" + indicator
}

// meanScoreRank is the mean over the searches rs of cell c of their pick's
// position among all networks that meet T, in the selection order of the
// indicator's scores (1 = the score's own best), over the picks that meet
// T; NaN when none does.
func (r *runner) meanScoreRank(c Cell, indicator string, rs []search.Result) float64 {
	score, cost := r.ranked[rankKey(c, search.RL, indicator)].Raw, r.spec.costs(c)
	var feasible []int
	for j := range score {
		if tables.Meets(cost[j], c.Target) {
			feasible = append(feasible, j)
		}
	}
	sum, n := 0, 0
	for _, res := range rs {
		if !res.MeetsTarget {
			continue
		}
		rank := 1
		for _, j := range feasible {
			if tables.Better(score, cost, j, res.Index) {
				rank++
			}
		}
		sum, n = sum+rank, n+1
	}
	if n == 0 {
		return math.NaN() // no pick meets T: no place among those that do
	}
	return float64(sum) / float64(n)
}

// bestTestAcc is the test accuracy of the network that indicator ranks
// first among all that meet c's target (tables.Best): the pick of a search
// that saw every network. NaN when none meets it.
func (r *runner) bestTestAcc(c Cell, indicator string) float64 {
	t := r.spec.Tables
	b := tables.Best(r.spec.costs(c), c.Target, r.ranked[rankKey(c, search.RL, indicator)].Raw)
	if b.Index < 0 {
		return math.NaN()
	}
	return float64(t.TestAccs(c.Dataset)[b.Index])
}

// run runs every queued job and returns their results in queue order.
func (r *runner) run() ([]search.Result, error) {
	workers := r.spec.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// More goroutines than searches would only start and stop: a huge
	// Workers spent minutes doing that.
	workers = min(workers, len(r.jobs))
	results := make([]search.Result, len(r.jobs))
	errs := make([]error, len(r.jobs))
	var next atomic.Int64
	var mu sync.Mutex // serializes Progress and its count, so counts arrive in order
	done := 0
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(r.jobs) {
					return
				}
				run, err := search.NewRanked(r.jobs[i].cfg, r.spec.Tables, r.jobs[i].ranked)
				if err != nil {
					errs[i] = err
					continue
				}
				for _, ok := run.Step(); ok; _, ok = run.Step() {
				}
				results[i] = run.Result()
				if r.spec.Progress != nil {
					mu.Lock()
					done++
					r.spec.Progress(done, len(r.jobs))
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return results, nil
}

// summary is the statistics of one cell's searches over the seeds. Its
// means are over every pick, including a fallback pick of a search that
// found no network meeting T (search.Result), so FeasibleRate qualifies
// them: below 1, some picks miss T.
type summary struct {
	MeanTestAcc   float64
	StdTestAcc    float64 // sample standard deviation (n − 1); NaN for fewer than two picks
	MeanLatencyMs float64
	MeanEnergyMJ  float64 // NaN where the device has no energy data
	FeasibleRate  float64 // share of seeds whose pick meets the target
}

func summarize(rs []search.Result) summary {
	var s summary
	var accs, lats, ens []float64
	met := 0
	for _, r := range rs {
		if r.MeetsTarget {
			met++
		}
		if !math.IsNaN(r.TestAcc) {
			accs = append(accs, r.TestAcc)
			lats, ens = append(lats, r.LatencyMs), append(ens, r.EnergyMJ)
		}
	}
	s.MeanEnergyMJ = stat.Mean(ens, nil)
	s.MeanTestAcc, s.StdTestAcc = stat.MeanStdDev(accs, nil)
	if len(accs) < 2 {
		s.StdTestAcc = math.NaN() // undefined, not 0
	}
	s.MeanLatencyMs = stat.Mean(lats, nil)
	s.FeasibleRate = float64(met) / float64(len(rs))
	return s
}

// pairedCI is the mean of a[i]−b[i] with its two-sided 95% Student-t
// interval (NaN bounds for fewer than two pairs).
func pairedCI(a, b []float64) (mean, lo, hi float64) {
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
	}
	mean = stat.Mean(d, nil)
	if len(d) < 2 {
		return mean, math.NaN(), math.NaN()
	}
	se := stat.StdDev(d, nil) / math.Sqrt(float64(len(d)))
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(len(d) - 1)}.Quantile(0.975)
	return mean, mean - q*se, mean + q*se
}

// Row is one line of a reproduced table. Pointer fields are absent (null)
// where they do not apply.
type Row struct {
	Table     int    `json:"table"`
	Dataset   string `json:"dataset"`
	Device    string `json:"device"`
	Objective string `json:"objective"` // what the target bounds: latency or energy
	// The target: TargetMs under latency, TargetMJ under energy (Target
	// returns whichever).
	TargetMs       float64 `json:"target_ms,omitempty"`
	TargetMJ       float64 `json:"target_mj,omitempty"`
	Indicator      string  `json:"indicator"`
	Algo           string  `json:"algo"`
	Seeds          int     `json:"seeds"`
	Episodes       int     `json:"episodes"`
	LR             float64 `json:"lr"`
	SamplesPerStep int     `json:"samples_per_step"`
	Alpha          float64 `json:"alpha"`
	// PaperSetting is whether the row's search is the setting the paper's
	// numbers belong to (search.Config.IsPaperSetting): rl at the paper's
	// target, α, budget and controller. Elsewhere they are a reference only.
	PaperSetting bool `json:"paper_setting"`
	// The means (and the regrets from them) are over every seed's pick,
	// including the fallback pick of a search that found no network meeting
	// T (search.Result): FeasibleRate below 1 says some picks miss T.
	MeanTestAcc float64 `json:"mean_test_acc"`
	// StdTestAcc is the sample standard deviation (n − 1) over the seeds,
	// null for a single seed.
	StdTestAcc         *float64 `json:"std_test_acc"`
	MeanLatencyMs      float64  `json:"mean_latency_ms"`
	MeanEnergyMJ       *float64 `json:"mean_energy_mj,omitempty"` // under the energy objective
	FeasibleRate       float64  `json:"feasible_rate"`
	PaperTestAcc       *float64 `json:"paper_test_acc"`
	PaperLatencyMs     *float64 `json:"paper_latency_ms"`
	OracleTestAcc      float64  `json:"oracle_test_acc"`
	OracleScoreTestAcc float64  `json:"oracle_score_test_acc"`
	Regret             float64  `json:"regret"`              // oracle − mean test accuracy
	RegretOracleScore  float64  `json:"regret_oracle_score"` // oracle-score mean − mean test accuracy
	// ScoreBestTestAcc is the test accuracy of the indicator's own best
	// network under T, over all networks: what a perfect search for this
	// score would pick, so the indicator's share of the regret.
	ScoreBestTestAcc float64 `json:"score_best_test_acc"`
	// MeanScoreRank is where the picks stand, on average, among all
	// networks that meet T in the indicator's order (1 = its own best):
	// how well the search optimizes its score, with no accuracy involved.
	// Null when no pick meets T.
	MeanScoreRank *float64 `json:"mean_score_rank"`

	// Table 2 only (nil in Table 1, so absent from its JSON).
	*Paired
}

// Paired is what a Table 2 row adds: the same seeds searched with R = Score
// (score-only), and the paired difference rl − score-only with its 95%
// interval. Its fields are always in the JSON, null where undefined.
type Paired struct {
	Settings              string   `json:"settings"`
	ScoreOnlyMeanTestAcc  *float64 `json:"score_only_mean_test_acc"`
	ScoreOnlyStdTestAcc   *float64 `json:"score_only_std_test_acc"`  // null for a single seed
	ScoreOnlyFeasibleRate *float64 `json:"score_only_feasible_rate"` // share of seeds whose score-only pick meets T
	ScoreOnlyMeanLatency  *float64 `json:"score_only_mean_latency_ms"`
	ScoreOnlyMeanEnergyMJ *float64 `json:"score_only_mean_energy_mj,omitempty"` // under the energy objective
	PaperScoreOnlyTestAcc *float64 `json:"paper_score_only_test_acc"`           // null away from the paper's targets
	DiffMean              *float64 `json:"diff_mean"`
	CILow                 *float64 `json:"ci_low"` // null for a single seed
	CIHigh                *float64 `json:"ci_high"`
}

func ptr(x float64) *float64 { return &x }

// ptrFinite is ptr(x), or nil where x is NaN.
func ptrFinite(x float64) *float64 {
	if math.IsNaN(x) {
		return nil
	}
	return &x
}

// Target is the row's target, in its objective's unit.
func (r Row) Target() float64 {
	if r.Objective == tables.Energy.String() {
		return r.TargetMJ
	}
	return r.TargetMs
}

// MeanCost is the picks' mean latency, or mean energy under the energy
// objective: the value the target bounds.
func (r Row) MeanCost() float64 {
	if r.MeanEnergyMJ != nil && r.Objective == tables.Energy.String() {
		return *r.MeanEnergyMJ
	}
	return r.MeanLatencyMs
}

func (s Spec) row(table int, c Cell, indicator, algo string, sum, oracleScore summary) Row {
	oracle := tables.Best(s.costs(c), c.Target, s.Tables.TestAccs(c.Dataset))
	oacc := math.NaN()
	if oracle.Index >= 0 {
		oacc = float64(s.Tables.TestAccs(c.Dataset)[oracle.Index])
	}
	r := Row{
		Table: table, Dataset: c.Dataset.String(), Device: c.Device.String(), Objective: s.Objective.String(),
		Indicator: indicator, Algo: algo, Seeds: s.Seeds,
		Episodes: s.Settings.Episodes, LR: s.Settings.LR, SamplesPerStep: s.Settings.SamplesPerStep,
		Alpha: s.Alpha, PaperSetting: s.config(c, algo, s.Settings, 0).IsPaperSetting(),
		MeanTestAcc: sum.MeanTestAcc, StdTestAcc: ptrFinite(sum.StdTestAcc), MeanLatencyMs: sum.MeanLatencyMs,
		FeasibleRate: sum.FeasibleRate, OracleTestAcc: oacc, OracleScoreTestAcc: oracleScore.MeanTestAcc,
		Regret: oacc - sum.MeanTestAcc, RegretOracleScore: oracleScore.MeanTestAcc - sum.MeanTestAcc,
	}
	if s.Objective == tables.Energy {
		r.TargetMJ, r.MeanEnergyMJ = c.Target, ptr(sum.MeanEnergyMJ)
	} else {
		r.TargetMs = c.Target
	}
	return r
}

// Table1 reproduces Table 1: for every cell and indicator, the search
// (spec.Algo, rl by default) at spec.Settings over the seeds, beside
// oracle-score at the same settings.
func Table1(spec Spec, indicators []string) ([]Row, error) {
	r, err := newRunner(spec)
	if err != nil {
		return nil, err
	}
	algo := spec.Algo
	if algo == "" {
		algo = search.RL
	}
	if algo == search.OracleScore {
		return nil, fmt.Errorf("experiment: table 1 rows with %s: it is the column they are compared with", algo)
	}
	cells := spec.cells()
	oracleAt := make([]int, len(cells))
	rowAt := make([][]int, len(cells))
	for ci, c := range cells {
		if oracleAt[ci], err = r.add(c, search.OracleScore, "", spec.Settings); err != nil {
			return nil, err
		}
		for _, ind := range indicators {
			at, err := r.add(c, algo, ind, spec.Settings)
			if err != nil {
				return nil, err
			}
			rowAt[ci] = append(rowAt[ci], at)
		}
	}
	res, err := r.run()
	if err != nil {
		return nil, err
	}
	n := spec.Seeds
	var rows []Row
	for ci, c := range cells {
		orc := summarize(res[oracleAt[ci] : oracleAt[ci]+n])
		for k, ind := range indicators {
			picks := res[rowAt[ci][k] : rowAt[ci][k]+n]
			row := spec.row(1, c, ind, algo, summarize(picks), orc)
			row.ScoreBestTestAcc, row.MeanScoreRank = r.bestTestAcc(c, ind), ptrFinite(r.meanScoreRank(c, ind, picks))
			if pc, ok := spec.paperCell(c); ok {
				if p, ok := paper.Table1(pc, ind); ok {
					row.PaperTestAcc, row.PaperLatencyMs = ptr(p.TestAcc), ptr(p.LatencyMs)
				}
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// Table2 reproduces Table 2 at each of the settings: rl against score-only
// with one indicator (the paper's fi) on the same seeds, with the paired
// difference of their test accuracies.
func Table2(spec Spec, indicator string, settings []Settings) ([]Row, error) {
	if err := spec.check(); err != nil {
		return nil, err
	}
	var rows []Row
	cells := spec.cells()
	// Every settings group is checked before the first one runs: a bad
	// tuned learning rate must not wait for the paper's searches.
	for _, st := range settings {
		for _, algo := range []string{search.RL, search.ScoreOnly} {
			if err := spec.config(cells[0], algo, st, 0).Validate(); err != nil {
				return nil, fmt.Errorf("experiment: %s settings: %w", st.Name, err)
			}
		}
	}
	total, offset := len(settings)*len(cells)*3*spec.Seeds, 0
	for _, st := range settings {
		s := spec
		s.Settings = st
		if spec.Progress != nil {
			base := offset
			s.Progress = func(done, _ int) { spec.Progress(base+done, total) }
		}
		r, err := newRunner(s)
		if err != nil {
			return nil, err
		}
		type at struct{ rl, so, os int }
		var ats []at
		for _, c := range cells {
			var a at
			if a.rl, err = r.add(c, search.RL, indicator, st); err != nil {
				return nil, err
			}
			if a.so, err = r.add(c, search.ScoreOnly, indicator, st); err != nil {
				return nil, err
			}
			if a.os, err = r.add(c, search.OracleScore, "", st); err != nil {
				return nil, err
			}
			ats = append(ats, a)
		}
		res, err := r.run()
		if err != nil {
			return nil, err
		}
		offset += len(res)
		n := s.Seeds
		for ci, c := range cells {
			a := ats[ci]
			rl, so := summarize(res[a.rl:a.rl+n]), summarize(res[a.so:a.so+n])
			row := s.row(2, c, indicator, search.RL, rl, summarize(res[a.os:a.os+n]))
			row.Paired = &Paired{Settings: st.Name}
			row.ScoreBestTestAcc, row.MeanScoreRank = r.bestTestAcc(c, indicator), ptrFinite(r.meanScoreRank(c, indicator, res[a.rl:a.rl+n]))
			row.ScoreOnlyMeanTestAcc, row.ScoreOnlyMeanLatency = ptr(so.MeanTestAcc), ptr(so.MeanLatencyMs)
			row.ScoreOnlyStdTestAcc, row.ScoreOnlyFeasibleRate = ptrFinite(so.StdTestAcc), ptr(so.FeasibleRate)
			if s.Objective == tables.Energy {
				row.ScoreOnlyMeanEnergyMJ = ptr(so.MeanEnergyMJ)
			}
			if pc, ok := spec.paperCell(c); ok && indicator == "fi" {
				if without, with, ok := paper.Table2(pc); ok {
					row.PaperTestAcc, row.PaperScoreOnlyTestAcc = ptr(with), ptr(without)
				}
			}
			if pa, pb := pairs(res[a.rl:a.rl+n], res[a.so:a.so+n]); len(pa) > 0 {
				m, lo, hi := pairedCI(pa, pb)
				// One pair has no interval: pairedCI's bounds are NaN.
				row.DiffMean, row.CILow, row.CIHigh = ptr(m), ptrFinite(lo), ptrFinite(hi)
			}
			rows = append(rows, row)
		}
	}
	return rows, nil
}

// pairs returns the test accuracies of two searches' picks paired by seed
// (a[i] and b[i] share seed i), over the seeds where both picked a network:
// a pick's accuracy is NaN only when nothing it sampled had a known cost.
func pairs(a, b []search.Result) (x, y []float64) {
	for i := range a {
		if !math.IsNaN(a[i].TestAcc) && !math.IsNaN(b[i].TestAcc) {
			x, y = append(x, a[i].TestAcc), append(y, b[i].TestAcc)
		}
	}
	return x, y
}
