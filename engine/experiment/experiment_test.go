package experiment

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nasplay/nasplay/engine/paper"
	"github.com/nasplay/nasplay/engine/search"
	"github.com/nasplay/nasplay/engine/tables"
)

func load(t testing.TB) *tables.Tables {
	t.Helper()
	b, err := os.ReadFile("../../assets/tables.msgpack") // engine/ does not import assets/
	if err != nil {
		t.Fatal(err)
	}
	tb, err := tables.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func benchScores(tb *tables.Tables) Scorer {
	return func(d tables.Dataset, name string) ([]float32, error) {
		switch name {
		case "params":
			return tb.ParamsM(d), nil
		case "flops":
			return tb.FlopsM(d), nil
		}
		return nil, fmt.Errorf("no indicator %q", name)
	}
}

func TestPairedCI(t *testing.T) {
	// d = 1, 2, 3, 4: mean 2.5, sd √(5/3), t(3; 0.975) = 3.182446305.
	m, lo, hi := pairedCI([]float64{2, 3, 4, 5}, []float64{1, 1, 1, 1})
	half := 3.182446305284263 * math.Sqrt(5.0/3) / 2
	if m != 2.5 || math.Abs(lo-(2.5-half)) > 1e-9 || math.Abs(hi-(2.5+half)) > 1e-9 {
		t.Errorf("PairedCI = %v [%v, %v], want 2.5 [%v, %v]", m, lo, hi, 2.5-half, 2.5+half)
	}
	if _, lo, _ := pairedCI([]float64{1}, []float64{0}); !math.IsNaN(lo) {
		t.Errorf("one pair gave a finite interval")
	}
}

// The tables are the per-seed searches summarized: recompute one cell of
// each from package search directly.
func TestTables(t *testing.T) {
	tb := load(t)
	st := Settings{Name: "small", Episodes: 40, LR: 5e-3, SamplesPerStep: 2}
	spec := Spec{Tables: tb, Scores: benchScores(tb), Seeds: 3, Settings: st, Alpha: 0.9}
	calls := 0
	spec.Progress = func(done, total int) { calls++ }
	rows, err := Table1(spec, []string{"params", "flops"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 18 || calls != 9*3*3 {
		t.Fatalf("%d rows, %d progress calls; want 18 and 81", len(rows), calls)
	}
	c := paper.Cells()[4]
	row := rows[9] // cifar100, raspi4, flops
	if row.Dataset != "cifar100" || row.Device != "raspi4" || row.Indicator != "flops" || row.PaperTestAcc != nil {
		t.Fatalf("row 9 is %+v", row)
	}
	var accs, oaccs, ranks []float64
	for seed := 0; seed < 3; seed++ {
		for _, algo := range []string{search.RL, search.OracleScore} {
			cfg := search.DefaultConfig()
			cfg.Dataset, cfg.Device, cfg.Target, cfg.Algo, cfg.Seed = c.Dataset, c.Device, c.TargetMs, algo, int64(seed)
			cfg.Episodes, cfg.LR, cfg.SamplesPerStep = st.Episodes, st.LR, st.SamplesPerStep
			r, err := search.New(cfg, tb, tb.FlopsM(c.Dataset))
			if err != nil {
				t.Fatal(err)
			}
			for _, ok := r.Step(); ok; _, ok = r.Step() {
			}
			if res := r.Result(); algo == search.RL {
				accs = append(accs, res.TestAcc)
				// The pick's place among the feasible networks by FLOPs.
				rank, lat, flops := 1, tb.Latencies(c.Dataset, c.Device), tb.FlopsM(c.Dataset)
				for j := range flops {
					if lat[j] <= float32(c.TargetMs) && (flops[j] > flops[res.Index] || flops[j] == flops[res.Index] && (lat[j] < lat[res.Index] || lat[j] == lat[res.Index] && j < res.Index)) {
						rank++
					}
				}
				ranks = append(ranks, float64(rank))
			} else {
				oaccs = append(oaccs, r.Result().TestAcc)
			}
		}
	}
	mean := func(x []float64) float64 { return (x[0] + x[1] + x[2]) / 3 }
	if row.MeanScoreRank == nil || math.Abs(*row.MeanScoreRank-mean(ranks)) > 1e-9 {
		t.Errorf("row's mean score rank %v, direct %v (%v)", row.MeanScoreRank, mean(ranks), ranks)
	}
	if math.Abs(row.MeanTestAcc-mean(accs)) > 1e-9 || math.Abs(row.OracleScoreTestAcc-mean(oaccs)) > 1e-9 {
		t.Errorf("row mean %v, oracle-score %v; direct %v, %v", row.MeanTestAcc, row.OracleScoreTestAcc, mean(accs), mean(oaccs))
	}
	o := tables.Best(tb.Latencies(c.Dataset, c.Device), c.TargetMs, tb.TestAccs(c.Dataset))
	if row.OracleTestAcc != float64(tb.TestAccs(c.Dataset)[o.Index]) {
		t.Errorf("oracle %v", row.OracleTestAcc)
	}
	if b := tables.Best(tb.Latencies(c.Dataset, c.Device), c.TargetMs, tb.FlopsM(c.Dataset)); row.ScoreBestTestAcc != float64(tb.TestAccs(c.Dataset)[b.Index]) {
		t.Errorf("flops's best under T: row %v, tables.Best index %d", row.ScoreBestTestAcc, b.Index)
	}

	rows2, err := Table2(spec, "params", []Settings{{Name: "paper", Episodes: 30, LR: 5e-4, SamplesPerStep: 1}, st})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows2) != 18 || rows2[0].Settings != "paper" || rows2[9].Settings != "small" || rows2[9].Episodes != 40 {
		t.Fatalf("table 2 rows: %d, settings %q, %q", len(rows2), rows2[0].Settings, rows2[9].Settings)
	}
	for _, r := range rows2 {
		if r.DiffMean == nil || math.Abs(*r.DiffMean-(r.MeanTestAcc-*r.ScoreOnlyMeanTestAcc)) > 1e-9 || !(*r.CILow <= *r.DiffMean && *r.DiffMean <= *r.CIHigh) {
			t.Fatalf("table 2 row %+v: inconsistent paired difference", r)
		}
		d, _ := tables.ParseDataset(r.Dataset)
		v, _ := tables.ParseDevice(r.Device)
		if b := tables.Best(tb.Latencies(d, v), r.TargetMs, tb.ParamsM(d)); r.ScoreBestTestAcc != float64(tb.TestAccs(d)[b.Index]) {
			t.Fatalf("table 2 row %s/%s: params's best under T %v, tables.Best index %d", r.Dataset, r.Device, r.ScoreBestTestAcc, b.Index)
		}
	}
	if _, err := Table1(spec, []string{"nope"}); err == nil {
		t.Error("Table1 accepted an unknown indicator")
	}
	// A bad settings group is refused before any search runs, even when an
	// earlier group is good.
	ran := 0
	bad := spec
	bad.Progress = func(int, int) { ran++ }
	if _, err := Table2(bad, "params", []Settings{PaperSettings(), {Name: "tuned", Episodes: 500, LR: 0, SamplesPerStep: 4}}); err == nil || !strings.Contains(err.Error(), "tuned settings") || ran != 0 {
		t.Errorf("lr 0 in the second group: %v after %d searches", err, ran)
	}
	// A score table of the wrong length is named by indicator and dataset.
	short := spec
	short.Scores = func(tables.Dataset, string) ([]float32, error) { return make([]float32, 100), nil }
	if _, err := Table1(short, []string{"cj"}); err == nil || err.Error() != "experiment: cj on cifar10: 100 scores for 15625 networks" {
		t.Errorf("100 scores: %v", err)
	}

	// Other algorithms for the rows; oracle-score stays the rl controller.
	spec.Algo = search.Evolution
	evo, err := Table1(spec, []string{"params"})
	if err != nil {
		t.Fatal(err)
	}
	if len(evo) != 9 || evo[4].Algo != search.Evolution || evo[4].OracleScoreTestAcc != rows[9].OracleScoreTestAcc || evo[4].MeanScoreRank == nil || *evo[4].MeanScoreRank < 1 {
		t.Errorf("evolution row %+v; oracle-score of the rl table %v", evo[4], rows[9].OracleScoreTestAcc)
	}
	for _, bad := range []string{search.OracleScore, "annealing"} {
		spec.Algo = bad
		if _, err := Table1(spec, []string{"params"}); err == nil {
			t.Errorf("Table1 accepted rows of algo %q", bad)
		}
	}
}

// BenchmarkTable1 times the searches of the paper's Table 1: 5 indicators ×
// 9 cells × 50 seeds = 2,250 rl searches of 500 episodes at the paper's
// settings, on all CPUs. The indicator's values do not change the work of an
// episode, so #params and FLOPs stand in for the five indicators' tables.
// One iteration takes minutes: run with -benchtime 1x.
func BenchmarkTable1(b *testing.B) {
	tb := load(b)
	for b.Loop() {
		r, err := newRunner(Spec{Tables: tb, Scores: benchScores(tb), Seeds: 50, Settings: PaperSettings(), Alpha: 0.9})
		if err != nil {
			b.Fatal(err)
		}
		for _, c := range (Spec{}).cells() {
			for _, ind := range []string{"params", "flops", "params", "flops", "params"} {
				if _, err := r.add(c, search.RL, ind, PaperSettings()); err != nil {
					b.Fatal(err)
				}
			}
		}
		if len(r.jobs) != 2250 {
			b.Fatalf("%d searches", len(r.jobs))
		}
		if _, err := r.run(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBindingTargets: with Feasible set, each cell's target is the smallest
// step (targetStep: 0.01 ms, finer for Eyeriss's energy) that the share of
// networks meets, the rows carry it,
// and the paper's numbers (for its own targets) are left out. Under the
// energy objective the grid is the energy devices', and it needs Feasible.
func TestBindingTargets(t *testing.T) {
	tb := load(t)
	for _, o := range tables.Objectives() {
		spec := Spec{Tables: tb, Scores: benchScores(tb), Seeds: 2, Alpha: 0.9, Feasible: 0.12, Objective: o}
		cells := spec.cells()
		if len(cells) != 9 {
			t.Fatalf("%s: %d cells", o, len(cells))
		}
		for i, c := range cells {
			if o == tables.Latency && (c.Device != paper.Cells()[i].Device || c.Target == paper.Cells()[i].TargetMs) {
				t.Errorf("%v %v: target %v is the paper's", c.Dataset, c.Device, c.Target)
			}
			if !c.Device.Supports(o) {
				t.Errorf("%s cell on %s", o, c.Device)
			}
			share := func(target float64) float64 {
				n := 0
				for _, x := range tb.Costs(c.Dataset, c.Device, o) {
					if tables.Meets(x, target) {
						n++
					}
				}
				return float64(n) / float64(tb.Len())
			}
			_, hi := tables.Span(tb.Costs(c.Dataset, c.Device, o))
			step := targetStep(o, hi)
			if s, below := share(c.Target), share(c.Target-step); s < 0.12 || below >= 0.12 {
				t.Errorf("%s %v %v: T %v is met by %.4f of the networks and T − %g by %.4f; want the first ≥ 0.12", o, c.Dataset, c.Device, c.Target, s, step, below)
			}
			if c.Device == tables.Eyeriss && step > 0.001 {
				t.Errorf("Eyeriss %v: energy step %g mJ is coarse for energies up to %g mJ", c.Dataset, step, hi)
			}
		}
		rows, err := Table2(spec, "params", []Settings{{Name: "small", Episodes: 20, LR: 5e-3, SamplesPerStep: 2}})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range rows {
			if r.Target() != cells[i].Target || r.Objective != o.String() || r.PaperTestAcc != nil || r.PaperScoreOnlyTestAcc != nil {
				t.Errorf("%s row %d: %s target %v, paper %v / %v; want %v and none", o, i, r.Objective, r.Target(), r.PaperTestAcc, r.PaperScoreOnlyTestAcc, cells[i].Target)
			}
			if (o == tables.Energy) != (r.MeanEnergyMJ != nil && r.ScoreOnlyMeanEnergyMJ != nil && r.TargetMs == 0) {
				t.Errorf("%s row %d: mean energy %v, target_ms %v", o, i, r.MeanEnergyMJ, r.TargetMs)
			}
			c := cells[i]
			acc, cost := tb.TestAccs(c.Dataset), tb.Costs(c.Dataset, c.Device, o)
			orc, best := tables.Best(cost, c.Target, acc), tables.Best(cost, c.Target, tb.ParamsM(c.Dataset))
			if r.OracleTestAcc != float64(acc[orc.Index]) || r.ScoreBestTestAcc != float64(acc[best.Index]) {
				t.Errorf("%s row %d: oracle %v, params' best %v; tables give %v, %v", o, i, r.OracleTestAcc, r.ScoreBestTestAcc, acc[orc.Index], acc[best.Index])
			}
			if r.FeasibleRate == 1 && r.MeanCost() > c.Target {
				t.Errorf("%s row %d: every pick meets T = %v, yet their mean cost is %v", o, i, c.Target, r.MeanCost())
			}
		}
		spec.Feasible = 1
		if _, err := Table2(spec, "params", []Settings{PaperSettings()}); err == nil || !strings.Contains(err.Error(), "feasible") {
			t.Errorf("%s: feasible share 1: %v", o, err)
		}
	}
	spec := Spec{Tables: tb, Scores: benchScores(tb), Seeds: 2, Alpha: 0.9, Objective: tables.Energy}
	if _, err := Table1(spec, []string{"params"}); err == nil || !strings.Contains(err.Error(), "no energy targets") {
		t.Errorf("energy at the paper's targets: %v", err)
	}
}

// TestScoreOnlySummary: Table 2's score-only side is summarized like rl's
// (mean, sample std, the share of picks that meet T), recomputed here from
// package search directly, at targets tight enough that some score-only
// picks miss T, so that the share is not trivially 1.
func TestScoreOnlySummary(t *testing.T) {
	tb := load(t)
	st := Settings{Name: "small", Episodes: 30, LR: 5e-3, SamplesPerStep: 1}
	spec := Spec{Tables: tb, Scores: benchScores(tb), Seeds: 4, Alpha: 0.9, Feasible: 0.01}
	rows, err := Table2(spec, "params", []Settings{st})
	if err != nil {
		t.Fatal(err)
	}
	cells, missed := spec.cells(), false
	for i, row := range rows {
		c := cells[i]
		var accs []float64
		met := 0
		for seed := range spec.Seeds {
			r, err := search.New(spec.config(c, search.ScoreOnly, st, seed), tb, tb.ParamsM(c.Dataset))
			if err != nil {
				t.Fatal(err)
			}
			for _, ok := r.Step(); ok; _, ok = r.Step() {
			}
			res := r.Result()
			accs = append(accs, res.TestAcc)
			if res.MeetsTarget {
				met++
			}
		}
		m := (accs[0] + accs[1] + accs[2] + accs[3]) / 4
		ss := 0.0
		for _, a := range accs {
			ss += (a - m) * (a - m)
		}
		sd, rate := math.Sqrt(ss/3), float64(met)/4 // n − 1 = 3
		if row.ScoreOnlyStdTestAcc == nil || row.ScoreOnlyFeasibleRate == nil {
			t.Fatalf("row %d: score-only std %v, feasible rate %v", i, row.ScoreOnlyStdTestAcc, row.ScoreOnlyFeasibleRate)
		}
		if math.Abs(*row.ScoreOnlyMeanTestAcc-m) > 1e-9 || math.Abs(*row.ScoreOnlyStdTestAcc-sd) > 1e-9 || *row.ScoreOnlyFeasibleRate != rate {
			t.Errorf("%v %v: score-only %v ± %v, meets T %v; direct %v ± %v, %v (%v)", c.Dataset, c.Device,
				*row.ScoreOnlyMeanTestAcc, *row.ScoreOnlyStdTestAcc, *row.ScoreOnlyFeasibleRate, m, sd, rate, accs)
		}
		missed = missed || rate < 1
	}
	if !missed {
		t.Error("every score-only pick met T: the check of the share is vacuous; tighten Feasible")
	}
}

// TestPaperSetting: rows are marked as the paper's setting only at its α,
// budget and controller, and one seed has no standard deviation.
func TestPaperSetting(t *testing.T) {
	tb := load(t)
	spec := Spec{Tables: tb, Scores: benchScores(tb), Seeds: 1, Settings: PaperSettings(), Alpha: 0.9}
	rows, err := Table1(spec, []string{"params"})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if !r.PaperSetting || r.Alpha != 0.9 || r.StdTestAcc != nil {
			t.Errorf("%s %s at the paper's setting: paper_setting %v, α %v, std %v", r.Dataset, r.Device, r.PaperSetting, r.Alpha, r.StdTestAcc)
		}
	}
	spec.Alpha = 0.5
	spec.Settings.Episodes = 50
	if rows, err = Table1(spec, []string{"params"}); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.PaperSetting || r.Alpha != 0.5 {
			t.Errorf("%s %s at α 0.5: paper_setting %v, α %v", r.Dataset, r.Device, r.PaperSetting, r.Alpha)
		}
	}
}

// --feasible's target is the smallest on its grid that the share meets,
// also where the network that decides it has a latency exactly on the grid
// that the float32 tables round up (Pixel 3's latencies have two decimals):
// that network meets its own latency (tables.Meets), so T is its latency,
// not one step more.
func TestBindingTargetOnGrid(t *testing.T) {
	tb := load(t)
	lat := slices.Clone(tb.Latencies(tables.CIFAR10, tables.Pixel3))
	slices.Sort(lat)
	k, d := -1, 0.0
	for j := len(lat) / 10; j < len(lat); j++ {
		p, _ := strconv.ParseFloat(strconv.FormatFloat(float64(lat[j]), 'g', -1, 32), 64)
		if float64(lat[j]) > p && math.Round(p*100) == p*100 && lat[j-1] < lat[j] {
			k, d = j, p
			break
		}
	}
	if k < 0 {
		t.Fatal("no Pixel 3 latency on the 0.01 ms grid that float32 rounds up")
	}
	spec := Spec{Tables: tb, Feasible: (float64(k) + 0.5) / float64(len(lat))}
	for _, c := range spec.cells() {
		if c.Dataset == tables.CIFAR10 && c.Device == tables.Pixel3 && c.Target != d {
			t.Errorf("share %v: T = %v ms, want %v ms (the latency of the network at that share)", spec.Feasible, c.Target, d)
		}
	}
}

// A spec that newRunner refuses is refused by Table2 too, before its
// targets are read: a feasible share above 1 or NaN indexed past the
// sorted costs and panicked, and energy without a share failed on the
// first search's zero target instead of saying what is missing.
func TestTable2RefusesBadSpec(t *testing.T) {
	tb := load(t)
	st := []Settings{{Name: "small", Episodes: 20, LR: 5e-3, SamplesPerStep: 2}}
	for _, tc := range []struct {
		spec Spec
		want string
	}{
		{Spec{Tables: tb, Scores: benchScores(tb), Seeds: 2, Alpha: 0.9, Feasible: 1.5}, "feasible share"},
		{Spec{Tables: tb, Scores: benchScores(tb), Seeds: 2, Alpha: 0.9, Feasible: math.NaN()}, "feasible share"},
		{Spec{Tables: tb, Scores: benchScores(tb), Seeds: 2, Alpha: 0.9, Objective: tables.Energy}, "no energy targets"},
		{Spec{Tables: tb, Scores: benchScores(tb), Seeds: 0, Alpha: 0.9}, "seeds"},
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("feasible %v, %s, %d seeds: panic: %v", tc.spec.Feasible, tc.spec.Objective, tc.spec.Seeds, r)
				}
			}()
			if _, err := Table2(tc.spec, "params", st); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("feasible %v, %s, %d seeds: error %v, want one that mentions %q", tc.spec.Feasible, tc.spec.Objective, tc.spec.Seeds, err, tc.want)
			}
		}()
	}
}

// Workers beyond the number of searches are not started: a huge Workers
// (a typo of --workers) started and stopped goroutines for minutes.
func TestHugeWorkers(t *testing.T) {
	tb := load(t)
	spec := Spec{Tables: tb, Scores: benchScores(tb), Seeds: 1, Alpha: 0.9, Workers: 1 << 40,
		Settings: Settings{Name: "small", Episodes: 5, LR: 5e-3, SamplesPerStep: 1}}
	done := make(chan error, 1)
	go func() {
		_, err := Table1(spec, []string{"params"})
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Table1 with 2^40 workers still running after 30 s")
	}
}

// TestSummarizeUnknownPick: a seed whose search sampled nothing of known
// cost (a NaN pick) counts in the feasible rate's denominator but not in
// the means; one known pick has no standard deviation.
func TestSummarizeUnknownPick(t *testing.T) {
	nan := math.NaN()
	rs := []search.Result{
		{TestAcc: 90, LatencyMs: 4, EnergyMJ: 8, MeetsTarget: true},
		{TestAcc: 80, LatencyMs: 6, EnergyMJ: 10, MeetsTarget: false},
		{TestAcc: nan, LatencyMs: nan, EnergyMJ: nan, Index: -1},
	}
	s := summarize(rs)
	if s.MeanTestAcc != 85 || s.MeanLatencyMs != 5 || s.MeanEnergyMJ != 9 || s.FeasibleRate != 1.0/3 {
		t.Errorf("summary %+v, want means 85, 5 ms, 9 mJ and feasible rate 1/3", s)
	}
	if sd := math.Sqrt(50); math.Abs(s.StdTestAcc-sd) > 1e-12 {
		t.Errorf("std %v, want %v (n − 1)", s.StdTestAcc, sd)
	}
	if s := summarize(rs[1:]); s.MeanTestAcc != 80 || !math.IsNaN(s.StdTestAcc) || s.FeasibleRate != 0 {
		t.Errorf("one known pick: %+v, want mean 80, no std, rate 0", s)
	}
}

// TestMeanScoreRankSkipsMisses: picks that miss T have no rank among the
// networks that meet it; with none meeting T the mean rank is NaN.
func TestMeanScoreRankSkipsMisses(t *testing.T) {
	tb := load(t)
	spec := Spec{Tables: tb, Scores: benchScores(tb), Seeds: 1, Alpha: 0.9, Settings: PaperSettings()}
	r, err := newRunner(spec)
	if err != nil {
		t.Fatal(err)
	}
	c := Cell{tables.CIFAR10, tables.EdgeGPU, 6}
	if _, err := r.add(c, search.RL, "params", spec.Settings); err != nil {
		t.Fatal(err)
	}
	best := tables.Best(spec.costs(c), c.Target, tb.ParamsM(c.Dataset)).Index
	miss := slices.IndexFunc(tb.Latencies(c.Dataset, c.Device), func(l float32) bool { return !tables.Meets(l, c.Target) })
	hit := search.Result{Index: best, MeetsTarget: true}
	out := search.Result{Index: miss, MeetsTarget: false}
	if got := r.meanScoreRank(c, "params", []search.Result{hit, out}); got != 1 {
		t.Errorf("mean rank of the best feasible pick and a miss = %v, want 1", got)
	}
	if got := r.meanScoreRank(c, "params", []search.Result{out}); !math.IsNaN(got) {
		t.Errorf("mean rank of a miss alone = %v, want NaN", got)
	}
}

// A seed where either search picked nothing of known cost (accuracy NaN) is
// left out of the paired difference on both sides, which NaN would poison.
func TestPairsSkipUnknown(t *testing.T) {
	nan := math.NaN()
	res := func(accs ...float64) []search.Result {
		var r []search.Result
		for _, a := range accs {
			r = append(r, search.Result{TestAcc: a})
		}
		return r
	}
	x, y := pairs(res(90, nan, 91, 92), res(89, 88, nan, 93))
	if !slices.Equal(x, []float64{90, 92}) || !slices.Equal(y, []float64{89, 93}) {
		t.Errorf("pairs = %v, %v; want [90 92], [89 93]", x, y)
	}
}

// TestTable2Rows recomputes every cell of Table 2 from package search: the
// oracle-score column is oracle-score's own searches, the mean score rank
// is rl's picks', the interval pairs rl and score-only seed by seed, and
// the paper's numbers (for fi) are left out of another indicator's rows.
func TestTable2Rows(t *testing.T) {
	tb := load(t)
	st := Settings{Name: "small", Episodes: 30, LR: 5e-3, SamplesPerStep: 1}
	spec := Spec{Tables: tb, Scores: benchScores(tb), Seeds: 4, Alpha: 0.9}
	rows, err := Table2(spec, "params", []Settings{st})
	if err != nil {
		t.Fatal(err)
	}
	val := func(p *float64) any { // a pointer field, printable
		if p == nil {
			return nil
		}
		return *p
	}
	for i, c := range spec.cells() {
		row := rows[i]
		if row.PaperTestAcc != nil || row.PaperScoreOnlyTestAcc != nil {
			t.Errorf("%v %v: params row shows the paper's fi numbers %v / %v", c.Dataset, c.Device, val(row.PaperTestAcc), val(row.PaperScoreOnlyTestAcc))
		}
		params, cost := tb.ParamsM(c.Dataset), spec.costs(c)
		acc := map[string][]float64{}
		var ranks []float64
		for seed := range spec.Seeds {
			for _, algo := range []string{search.RL, search.ScoreOnly, search.OracleScore} {
				sc := params
				if algo == search.OracleScore {
					sc = nil
				}
				r, err := search.New(spec.config(c, algo, st, seed), tb, sc)
				if err != nil {
					t.Fatal(err)
				}
				for _, ok := r.Step(); ok; _, ok = r.Step() {
				}
				res := r.Result()
				acc[algo] = append(acc[algo], res.TestAcc)
				if algo == search.RL && res.MeetsTarget {
					rank := 1
					for j := range params {
						if tables.Meets(cost[j], c.Target) && tables.Better(params, cost, j, res.Index) {
							rank++
						}
					}
					ranks = append(ranks, float64(rank))
				}
			}
		}
		mean := func(x []float64) float64 {
			s := 0.0
			for _, v := range x {
				s += v
			}
			return s / float64(len(x))
		}
		if math.Abs(row.OracleScoreTestAcc-mean(acc[search.OracleScore])) > 1e-9 {
			t.Errorf("%v %v: oracle-score %v, its searches' mean %v", c.Dataset, c.Device, row.OracleScoreTestAcc, mean(acc[search.OracleScore]))
		}
		if len(ranks) > 0 && (row.MeanScoreRank == nil || math.Abs(*row.MeanScoreRank-mean(ranks)) > 1e-9) {
			t.Errorf("%v %v: mean score rank %v, rl's picks' %v (%v)", c.Dataset, c.Device, val(row.MeanScoreRank), mean(ranks), ranks)
		}
		m, lo, hi := pairedCI(acc[search.RL], acc[search.ScoreOnly])
		if row.DiffMean == nil || row.CILow == nil || math.Abs(*row.DiffMean-m) > 1e-9 || math.Abs(*row.CILow-lo) > 1e-9 || math.Abs(*row.CIHigh-hi) > 1e-9 {
			t.Errorf("%v %v: paired difference %v [%v, %v], seed by seed %v [%v, %v]", c.Dataset, c.Device, val(row.DiffMean), val(row.CILow), val(row.CIHigh), m, lo, hi)
		}
	}
	// fi's rows at the paper's targets carry its Table 2 numbers.
	fi := spec
	fi.Seeds = 1
	fi.Scores = func(d tables.Dataset, name string) ([]float32, error) { return tb.ValidAccs(d), nil }
	rows, err = Table2(fi, "fi", []Settings{{Name: "tiny", Episodes: 4, LR: 5e-3, SamplesPerStep: 1}})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.PaperTestAcc == nil || r.PaperScoreOnlyTestAcc == nil {
			t.Errorf("fi row %s/%s: no paper numbers", r.Dataset, r.Device)
		}
	}
}
