package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/nasplay/nasplay/assets"
	"github.com/nasplay/nasplay/engine/paper"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/search"
	"github.com/nasplay/nasplay/engine/tables"
)

func init() {
	register("search", "run one hardware-aware search (rl, score-only, random, evolution, oracle-score)", searchCmd)
}

// indicatorTable is the embedded precomputed indicator table, decoded once.
var indicatorTable = sync.OnceValues(func() (*scores.Table, error) {
	tab, err := scores.DecodeTable(assets.Indicators)
	if err != nil {
		return nil, fmt.Errorf("embedded %s: %w", assets.IndicatorsFile, err)
	}
	return tab, nil
})

// indicatorScores resolves an indicator name to its raw scores on a dataset:
// the precomputed table for the indicators, the benchmark's columns for
// params and flops.
func indicatorScores(t *tables.Tables, d tables.Dataset, name string) ([]float32, error) {
	if name == scores.Params || name == scores.Flops {
		return scores.Column(nil, t, d, name)
	}
	tab, err := indicatorTable()
	if err != nil {
		return nil, err
	}
	return scores.Column(tab, t, d, name)
}

// network is one network as the CLI's JSON gives a pick: its benchmark
// numbers and its score.
type network struct {
	Index     netIndex `json:"index"` // null when nothing was picked
	Arch      arch     `json:"arch"`  // null when nothing was picked
	TestAcc   num      `json:"test_acc"`
	LatencyMs num      `json:"latency_ms"`
	EnergyMJ  num      `json:"energy_mj"` // null where the device has no energy data
	Score     scoreNum `json:"score"`     // null for the worst score
}

// netIndex is a benchmark index; −1, no network, is null in JSON.
type netIndex int

func (i netIndex) MarshalJSON() ([]byte, error) {
	if i < 0 {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, int64(i), 10), nil
}

// arch is an architecture string; "", no network, is null in JSON.
type arch string

func (a arch) MarshalJSON() ([]byte, error) {
	if a == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(a))
}

// searchOutput is the flat JSON object of one search.
type searchOutput struct {
	network
	ScoreNorm     num    `json:"score_norm"`
	MeetsTarget   bool   `json:"meets_target"`
	FeasibleFound bool   `json:"feasible_found"`
	OracleTestAcc num    `json:"oracle_test_acc"`
	Regret        num    `json:"regret"`
	Episodes      int    `json:"episodes"`
	TraceHash     string `json:"trace_hash"`

	Dataset string `json:"dataset"`
	Device  string `json:"device"`
	target
	Indicator string  `json:"indicator"`
	Algo      string  `json:"algo"`
	Seed      int64   `json:"seed"`
	Alpha     float64 `json:"alpha"`
	// The controller's settings, for the algorithms that train it.
	LR             *float64 `json:"lr,omitempty"`
	SamplesPerStep *int     `json:"samples_per_step,omitempty"`
	EntropyStart   *num     `json:"entropy_start,omitempty"` // mean policy entropy over the first 50 episodes
	EntropyEnd     *num     `json:"entropy_end,omitempty"`   // and over the last 50
}

func searchCmd(args []string, stdout io.Writer) error {
	fs := newFlags("search", "[--dataset D] [--device V] [--objective O] [--target T] [--indicator I] [--algo A] [--seed S] [--episodes E] [--alpha α] [--lr X] [--samples-per-step K] [--csv FILE] [--json]", stdout)
	c := search.DefaultConfig()
	datasetVar(fs, &c.Dataset)
	deviceVar(fs, &c.Device)
	objectiveVar(fs, &c.Objective)
	c.Target = 0
	targetVar(fs, &c.Target)
	if f := fs.Lookup("target"); f != nil {
		f.Usage += "; default: the paper's latency T for the dataset and device (Edge GPU, Raspberry Pi 4, Pixel 3)"
		f.DefValue = ""
	}
	var indicator string
	nameVar(fs, &indicator, "indicator", "fi", "indicator whose score the search maximizes: cj, cj_eig, nlr, cnntk, os, fi, params, flops (ignored by oracle-score)")
	nameVar(fs, &c.Algo, "algo", c.Algo, "algorithm: "+strings.Join(search.Algos(), ", "))
	fs.Int64Var(&c.Seed, "seed", 0, "seed of the search's random generator")
	fs.IntVar(&c.Episodes, "episodes", c.Episodes, "networks sampled (the budget)")
	fs.Float64Var(&c.Alpha, "alpha", c.Alpha, "R_LAT's floor below the target, in [0, 1]")
	fs.Float64Var(&c.LR, "lr", c.LR, "controller learning rate (Adam)")
	fs.IntVar(&c.SamplesPerStep, "samples-per-step", c.SamplesPerStep, "networks per controller update")
	asJSON := fs.Bool("json", false, "print one JSON object")
	csvPath := fs.String("csv", "", "also write every episode to this CSV file (the page's CSV export: network, score, cost, R_LAT, reward, baseline, entropy, pick so far)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := c.Device.CheckSupport(c.Objective); err != nil {
		return err
	}
	if c.Target == 0 {
		t, ok := paper.Target(c.Dataset, c.Device)
		switch {
		case c.Objective == tables.Energy:
			return fmt.Errorf("--target is required with --objective energy (the paper has no energy target)")
		case !ok:
			return fmt.Errorf("--target is required for %s (the paper has no target for it)", c.Device)
		}
		c.Target = t
	}
	if err := c.Validate(); err != nil {
		return flagError(err, nil)
	}
	controller := search.UsesController(c.Algo)
	if err := controllerFlags(flagsSet(fs), c.Algo); err != nil {
		return err
	}
	if *csvPath != "" {
		if err := checkOutput(*csvPath); err != nil {
			return fmt.Errorf("--csv: %v", err)
		}
	}
	t, err := loadTables()
	if err != nil {
		return err
	}
	// oracle-score scores by validation accuracy, but its --indicator is
	// still checked: a typo is an error, not silently ignored.
	var column []float32
	if c.Algo == search.OracleScore {
		if err := scores.CheckName(indicator); err != nil {
			return fmt.Errorf("--indicator: %v", err)
		}
		indicator = "valid_acc"
	} else if column, err = indicatorScores(t, c.Dataset, indicator); err != nil {
		return fmt.Errorf("--indicator: %v", err)
	}
	run, err := search.New(c, t, column)
	if err != nil {
		return err
	}
	var entropy []float64
	var points []search.Point
	for e, ok := run.Step(); ok; e, ok = run.Step() {
		entropy = append(entropy, e.Entropy)
		if *csvPath != "" {
			points = append(points, run.Point(e))
		}
	}
	if *csvPath != "" {
		var b bytes.Buffer
		search.WriteCSV(&b, c.Objective, points) // a bytes.Buffer does not fail
		if err := writeFileAtomic(*csvPath, b.Bytes()); err != nil {
			return fmt.Errorf("--csv: %v", err)
		}
	}
	r := run.Result()
	out := searchOutput{
		network: network{Index: netIndex(r.Index), TestAcc: num(r.TestAcc), LatencyMs: num(r.LatencyMs), EnergyMJ: num(r.EnergyMJ),
			Score: scoreNum(r.Score)},
		ScoreNorm: num(r.ScoreNorm), MeetsTarget: r.MeetsTarget,
		FeasibleFound: r.FeasibleFound, OracleTestAcc: num(r.OracleTestAcc), Regret: num(r.Regret),
		Episodes: r.Episodes, TraceHash: r.TraceHash,
		Dataset: c.Dataset.String(), Device: c.Device.String(), target: newTarget(c.Objective, c.Target),
		Indicator: indicator, Algo: c.Algo, Seed: c.Seed, Alpha: c.Alpha,
	}
	if controller {
		out.LR, out.SamplesPerStep = &c.LR, &c.SamplesPerStep
	}
	if r.Index >= 0 {
		out.Arch = arch(r.Arch.String())
	}
	if controller {
		k := min(50, len(entropy))
		start, end := num(mean(entropy[:k])), num(mean(entropy[len(entropy)-k:]))
		out.EntropyStart, out.EntropyEnd = &start, &end
	}
	if *asJSON {
		return writeJSON(stdout, out)
	}
	settings := ""
	if controller {
		settings = fmt.Sprintf(", lr %g, K %d", c.LR, c.SamplesPerStep)
	}
	fmt.Fprintf(stdout, "%s search, %s score, %s on %s, %s T = %g %s, α %g, seed %d, %d episodes%s\n",
		c.Algo, indicator, c.Dataset, c.Device, c.Objective, c.Target, c.Objective.Unit(), c.Alpha, c.Seed, r.Episodes, settings)
	switch {
	case r.Index < 0:
		fmt.Fprintf(stdout, "no sampled network has a known %s: nothing to pick\n", c.Objective)
	case !r.FeasibleFound:
		fmt.Fprintf(stdout, "no sampled network meets T; the cheapest sampled one is shown\n")
	}
	if r.Index >= 0 {
		fmt.Fprintf(stdout, "pick     #%d %s\n", r.Index, out.Arch)
		energy := ""
		if c.Device.HasEnergy() {
			energy = fmt.Sprintf("   energy %s mJ", out.EnergyMJ)
		}
		fmt.Fprintf(stdout, "test acc %s %%   latency %s ms%s   score %s (normalized %.4f)\n", out.TestAcc, out.LatencyMs, energy, out.Score, r.ScoreNorm)
	}
	if math.IsNaN(r.OracleTestAcc) {
		fmt.Fprintf(stdout, "oracle   none: no network of the benchmark meets T\n")
	} else {
		regret := "" // none without a pick
		if r.Index >= 0 {
			regret = fmt.Sprintf("   regret %s points", out.Regret)
		}
		fmt.Fprintf(stdout, "oracle   %s %%%s\n", out.OracleTestAcc, regret)
	}
	// The paper's numbers bound latency; an energy search has none to show.
	if p, pt, ok := paper.Table1At(c.Dataset, c.Device, indicator); ok && c.Objective == tables.Latency {
		differs := ""
		if !c.IsPaperSetting() {
			differs = "; this run's setting differs"
		}
		fmt.Fprintf(stdout, "paper    %.2f %% / %.2f ms (Table 1: rl, T = %g ms, mean of 50 seeds%s)\n", p.TestAcc, p.LatencyMs, pt, differs)
	}
	if out.EntropyStart != nil {
		k := min(50, len(entropy))
		fmt.Fprintf(stdout, "policy entropy (nats, 6 decisions): %s over the first %d episodes, %s over the last %d\n", *out.EntropyStart, k, *out.EntropyEnd, k)
	}
	fmt.Fprintf(stdout, "trace    %s\n", r.TraceHash)
	return nil
}

// controllerFlags refuses --lr and --samples-per-step where algo has no
// controller for them to set: they would be ignored without a word.
func controllerFlags(set map[string]bool, algo string) error {
	for _, name := range []string{"lr", "samples-per-step"} {
		if set[name] && !search.UsesController(algo) {
			return fmt.Errorf("--%s is a setting of the controller (rl, score-only, oracle-score); %s has none", name, algo)
		}
	}
	return nil
}

// flagError restates a search.ConfigError in the flag the user typed: any
// flag when set is nil, else only one in set (a value the command chose
// itself, such as the tuned settings' K, keeps the engine's words).
func flagError(err error, set map[string]bool) error {
	flags := map[string]string{"Dataset": "dataset", "Device": "device", "Objective": "objective", "Target": "target",
		"Alpha": "alpha", "Episodes": "episodes", "Algo": "algo", "Seed": "seed", "LR": "lr", "SamplesPerStep": "samples-per-step"}
	var ce *search.ConfigError
	if errors.As(err, &ce) && flags[ce.Field] != "" && (set == nil || set[flags[ce.Field]]) {
		return fmt.Errorf("--%s %s", flags[ce.Field], ce.Problem)
	}
	return err
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}
