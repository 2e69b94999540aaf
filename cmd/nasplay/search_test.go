package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nasplay/nasplay/engine/experiment"
	"github.com/nasplay/nasplay/engine/search"
	"github.com/nasplay/nasplay/engine/tables"
)

// nasplay search --json prints the engine's result as one flat object, and
// the same seed gives the same trace.
func TestSearchJSON(t *testing.T) {
	args := []string{"search", "--dataset", "cifar100", "--device", "pixel3", "--indicator", "flops",
		"--episodes", "60", "--seed", "4", "--lr", "5e-3", "--json"}
	code, out, errs := runCLI(args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"index", "arch", "test_acc", "latency_ms", "score", "score_norm", "meets_target",
		"feasible_found", "oracle_test_acc", "regret", "episodes", "trace_hash", "entropy_start", "entropy_end"} {
		if _, ok := got[k]; !ok {
			t.Errorf("no %q in %s", k, out)
		}
	}
	if got["target_ms"] != 20.0 {
		t.Errorf("default target %v, want the paper's 20 ms for pixel3", got["target_ms"])
	}

	tb, err := loadTables()
	if err != nil {
		t.Fatal(err)
	}
	c := search.DefaultConfig()
	c.Dataset, c.Device, c.Target, c.Episodes, c.Seed, c.LR = tables.CIFAR100, tables.Pixel3, 20, 60, 4, 5e-3
	r, err := search.New(c, tb, tb.FlopsM(c.Dataset))
	if err != nil {
		t.Fatal(err)
	}
	var entropy []float64
	for e, ok := r.Step(); ok; e, ok = r.Step() {
		entropy = append(entropy, e.Entropy)
	}
	res := r.Result()
	if got["trace_hash"] != res.TraceHash || got["index"] != float64(res.Index) || got["arch"] != res.Arch.String() {
		t.Errorf("CLI gave %v, %v, %v; engine %v, %d, %v", got["trace_hash"], got["index"], got["arch"], res.TraceHash, res.Index, res.Arch)
	}
	// The settings that make the trace, and the policy's entropy over the
	// first and the last 50 of the 60 episodes.
	if got["seed"] != 4.0 || got["indicator"] != "flops" || got["algo"] != "rl" || got["dataset"] != "cifar100" || got["device"] != "pixel3" {
		t.Errorf("settings in the JSON: seed %v, indicator %v, algo %v, %v/%v", got["seed"], got["indicator"], got["algo"], got["dataset"], got["device"])
	}
	start, end := got["entropy_start"].(float64), got["entropy_end"].(float64)
	if float32(start) != float32(mean(entropy[:50])) || float32(end) != float32(mean(entropy[10:])) || start == end {
		t.Errorf("entropy %v → %v; the engine's first 50 episodes %v, last 50 %v", start, end, mean(entropy[:50]), mean(entropy[10:]))
	}
	// oracle-score scores by validation accuracy, and says so.
	code, out, errs = runCLI("search", "--algo", "oracle-score", "--indicator", "flops", "--episodes", "5", "--json")
	if code != 0 || !strings.Contains(out, `"indicator": "valid_acc"`) {
		t.Errorf("oracle-score: exit %d, %s%s", code, out, errs)
	}
}

// Under --objective energy the target is in mJ, the pick meets it in
// energy, and the output gives the pick's energy beside its latency.
func TestSearchEnergy(t *testing.T) {
	code, out, errs := runCLI("search", "--device", "eyeriss", "--objective", "energy", "--target", "1",
		"--indicator", "params", "--algo", "evolution", "--episodes", "200", "--seed", "3", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		Index       int      `json:"index"`
		LatencyMs   float64  `json:"latency_ms"`
		EnergyMJ    float64  `json:"energy_mj"`
		MeetsTarget bool     `json:"meets_target"`
		Oracle      float64  `json:"oracle_test_acc"`
		Objective   string   `json:"objective"`
		TargetMJ    float64  `json:"target_mj"`
		TargetMs    *float64 `json:"target_ms"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	tb, err := loadTables()
	if err != nil {
		t.Fatal(err)
	}
	en, lat := tb.Energies(tables.CIFAR10, tables.Eyeriss), tb.Latencies(tables.CIFAR10, tables.Eyeriss)
	i := got.Index
	if got.Objective != "energy" || got.TargetMJ != 1 || got.TargetMs != nil || !got.MeetsTarget || en[i] > 1 ||
		float32(got.EnergyMJ) != en[i] || float32(got.LatencyMs) != lat[i] {
		t.Errorf("search gave %+v; pick #%d has %v mJ, %v ms", got, i, en[i], lat[i])
	}
	o := tables.Best(en, 1, tb.TestAccs(tables.CIFAR10))
	if float32(got.Oracle) != tb.TestAccs(tables.CIFAR10)[o.Index] {
		t.Errorf("oracle %v, want #%d at %v %%", got.Oracle, o.Index, tb.TestAccs(tables.CIFAR10)[o.Index])
	}
}

func TestSearchBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--indicator", "iq"}, "--indicator: unknown indicator"},
		{[]string{"--indicator", "params", "--algo", "bayes"}, "--algo \"bayes\" unknown"},
		{[]string{"--indicator", "params", "--target", "0"}, "target"},
		{[]string{"--indicator", "params", "--target", "-2"}, "target"},
		{[]string{"--indicator", "params", "--alpha", "1.5"}, "--alpha 1.5"},
		{[]string{"--indicator", "params", "--episodes", "0"}, "--episodes 0"},
		{[]string{"--indicator", "params", "--lr", "-1"}, "--lr -1"},
		{[]string{"--indicator", "params", "--dataset", "mnist"}, "unknown dataset"},
		{[]string{"--indicator", "params", "--device", "edgetpu"}, "--target is required"},
		{[]string{"--indicator", "params", "--objective", "energy"}, "--target is required with --objective energy"},
		{[]string{"--indicator", "params", "--objective", "energy", "--device", "pixel3", "--target", "3"}, "no energy for pixel3"},
		{[]string{"--indicator", "params", "--objective", "power"}, "unknown objective"},
		{[]string{"--indicator", "params", "--samples-per-step", "0"}, "--samples-per-step 0"},
		{[]string{"--indicator", "params", "--episodes", "1000001"}, "--episodes 1000001: want 1 to 1000000"},
		{[]string{"--algo", "random", "--lr", "0.1"}, "--lr is a setting of the controller"},
		{[]string{"--algo", "oracle-score", "--indicator", "foo"}, `--indicator: unknown indicator "foo"`},
		{[]string{"--algo", "evolution", "--samples-per-step", "2"}, "--samples-per-step is a setting of the controller"},
		{[]string{"--target", "6", "--episodes", "5", "--target=7"}, "--target given 2 times"},
		{[]string{"--episodes", "5", "--csv", os.TempDir()}, "--csv: " + os.TempDir() + " is a folder"},
		{[]string{"--episodes", "5", "--csv", "/nonexistent/run.csv"}, "--csv: cannot write /nonexistent/run.csv: no folder /nonexistent"},
	} {
		code, _, errs := runCLI(append([]string{"search"}, c.args...)...)
		if code == 0 || !strings.Contains(errs, c.want) {
			t.Errorf("search %v: exit %d, stderr %q; want an error containing %q", c.args, code, errs, c.want)
		}
	}
}

// search --csv writes every episode, each row agreeing with the tables, and
// the last row's running pick is the search's pick.
func TestSearchCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "run.csv")
	code, out, errs := runCLI("search", "--dataset", "cifar10", "--device", "edgetpu", "--target", "1.2", "--indicator", "params",
		"--episodes", "80", "--seed", "2", "--csv", path, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var res struct{ Index int }
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 81 || strings.Join(rows[0], ",") != "episode,index,arch,score,score_norm,latency_ms,test_acc,r_lat,reward,baseline,entropy,best" {
		t.Fatalf("%d rows, header %v", len(rows), rows[0])
	}
	tb, err := loadTables()
	if err != nil {
		t.Fatal(err)
	}
	lat, unknown := tb.Latencies(tables.CIFAR10, tables.EdgeTPU), 0
	for e, row := range rows[1:] {
		i, _ := strconv.Atoi(row[1])
		// Table values are written as the shortest float32 decimal.
		acc, _ := strconv.ParseFloat(row[6], 32)
		if row[0] != strconv.Itoa(e) || row[2] != tb.Arch(i).String() || float32(acc) != tb.TestAccs(tables.CIFAR10)[i] || len(row[6]) > 10 {
			t.Errorf("episode %d: row %v disagrees with the tables", e, row)
		}
		// Edge TPU lacks 4,699 latencies: those rows have an empty cost and R = 0.
		if l := lat[i]; math.IsNaN(float64(l)) {
			unknown++
			if row[5] != "" || row[8] != "0" {
				t.Errorf("episode %d: unknown latency written as %q, reward %s", e, row[5], row[8])
			}
		} else if c, _ := strconv.ParseFloat(row[5], 32); float32(c) != l {
			t.Errorf("episode %d: latency %s, table %v", e, row[5], l)
		}
	}
	if unknown == 0 {
		t.Error("no sampled network lacks an Edge TPU latency; the test checks nothing of unknown costs")
	}
	if last := rows[len(rows)-1][11]; last != strconv.Itoa(res.Index) {
		t.Errorf("last row's pick %s, search's pick %d", last, res.Index)
	}
}

// The text output shows the paper's number for the same cell, and says when
// the run's setting is not the paper's.
func TestSearchPaperLine(t *testing.T) {
	_, out, _ := runCLI("search", "--dataset", "cifar100", "--device", "pixel3", "--episodes", "20")
	if !strings.Contains(out, "paper    72.11 % / 17.73 ms (Table 1: rl, T = 20 ms, mean of 50 seeds; this run's setting differs)") {
		t.Errorf("no paper line for fi on CIFAR-100 / Pixel 3:\n%s", out)
	}
	if _, out, _ := runCLI("search", "--device", "eyeriss", "--target", "5", "--episodes", "20"); strings.Contains(out, "paper") {
		t.Errorf("a paper line for Eyeriss, which the paper has no cell for:\n%s", out)
	}
}

// A target no network meets is said in words, as is an undefined score, and
// names are read in any case, as the datasets and devices are.
func TestSearchNothingMeetsT(t *testing.T) {
	code, out, errs := runCLI("search", "--dataset", "CIFAR10", "--device", "EdgeGPU", "--target", "0.1",
		"--indicator", "FI", "--algo", "RL", "--episodes", "20")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"rl search, fi score", "no sampled network meets T", "oracle   none: no network of the benchmark meets T",
		"score worst, undefined for this network (normalized", "over the first 20 episodes, "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestReproduceBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--table", "3"}, "--table"},
		{[]string{"--table", "1", "--seeds", "0"}, "--seeds"},
		{[]string{"--table", "1", "--alpha", "2"}, "--alpha"},
		{[]string{"--table", "2", "--feasible", "1"}, "--feasible"},
		{[]string{"--table", "2", "--feasible", "-0.1"}, "--feasible"},
		{[]string{"--table", "1", "--seeds", "1", "--indicators", "iq", "--quiet"}, "--indicators: unknown indicator"},
		{[]string{"--table", "1", "--algo", "oracle-score"}, "want rl, score-only, random or evolution"},
		{[]string{"--table", "1", "--algo", "hillclimb"}, "want rl, score-only, random or evolution"},
		{[]string{"--table", "2", "--algo", "evolution"}, "--algo is for table 1"},
		{[]string{"--table", "1", "--objective", "energy"}, "needs --feasible"},
		{[]string{"--table", "1", "--objective", "power"}, "unknown objective"},
		{[]string{"--table", "1", "--feasible", "0"}, "--feasible 0"},
		{[]string{"--table", "1", "--episodes", "0"}, "--episodes 0"},
		{[]string{"--table", "1", "--samples-per-step", "0"}, "--samples-per-step 0"},
		{[]string{"--table", "1", "--lr", "0"}, "--lr 0"},
		{[]string{"--table", "1", "--lr", "NaN"}, "--lr NaN: want a finite learning rate"},
		{[]string{"--table", "1", "--algo", "random", "--lr", "1e-2"}, "--lr is a setting of the controller"},
		{[]string{"--table", "1", "--algo", "evolution", "--samples-per-step", "2"}, "--samples-per-step is a setting of the controller"},
		{[]string{"--table", "2", "--plot", "x.png"}, "--plot is for table 1"},
		{[]string{"--table", "2", "--indicators", "fi"}, "--indicators is for table 1"},
		{[]string{"--table", "1", "--indicator", "fi"}, "--indicator is for table 2"},
		{[]string{"--table", "1", "--indicators", "fi,FI"}, "names fi twice"},
		{[]string{"--table", "1", "--indicators", "params", "--seeds", "1", "--episodes", "3", "--samples-per-step", "5", "--quiet"}, "--samples-per-step 5: more than the 3 episodes"},
		{[]string{"--table", "2", "--seeds", "1", "--episodes", "3", "--quiet"}, "tuned settings: search: SamplesPerStep 4: more than the 3 episodes"},
		{[]string{"--table", "1", "--seeds", "10001"}, "--seeds 10001: want 1 to 10000"},
		{[]string{"--table", "1", "--seeds", "10000", "--algo", "hillclimb"}, "want rl, score-only, random or evolution"}, // 10000 seeds pass
		{[]string{"--table", "1", "--indicators", " , ", "--seeds", "1", "--episodes", "3", "--quiet"}, "--indicators is empty"},
		// Side files are checked before the searches, not after.
		{[]string{"--table", "1", "--plot", "/nonexistent/t1.png"}, "--plot: cannot write /nonexistent/t1.png: no folder /nonexistent"},
		{[]string{"--table", "2", "--json-out", os.TempDir()}, "--json-out: " + os.TempDir() + " is a folder"},
	} {
		code, _, errs := runCLI(append([]string{"reproduce"}, c.args...)...)
		if code == 0 || !strings.Contains(errs, c.want) {
			t.Errorf("reproduce %v: exit %d, stderr %q; want an error containing %q", c.args, code, errs, c.want)
		}
	}
}

// reproduce --objective energy runs the grid of the energy devices at
// binding energy targets; rows and markdown speak of energy.
func TestReproduceEnergy(t *testing.T) {
	args := []string{"reproduce", "--table", "1", "--objective", "energy", "--feasible", "0.3", "--seeds", "2",
		"--episodes", "30", "--indicators", "params", "--quiet"}
	code, out, errs := runCLI(append(args, "--json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 9 {
		t.Fatalf("%d rows, want 3 datasets × 3 energy devices", len(rows))
	}
	for _, r := range rows {
		if r["objective"] != "energy" || r["target_ms"] != nil || r["target_mj"] == nil || r["mean_energy_mj"] == nil ||
			!strings.Contains("edgegpu eyeriss fpga", r["device"].(string)) {
			t.Errorf("row %v", r)
		}
	}
	fig := filepath.Join(t.TempDir(), "energy.png")
	code, out, errs = runCLI(append(args, "--plot", fig)...)
	if code != 0 || !strings.Contains(out, "T (mJ)") || !strings.Contains(out, "ours energy") ||
		!strings.Contains(out, "Mean energy of the picks ≤ T in every row.") {
		t.Errorf("markdown: exit %d, %s%s", code, out, errs)
	}
	// The first row's columns: its target and its picks' mean energy.
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Split(line, "|"); len(f) > 6 && strings.TrimSpace(f[1]) == rows[0]["dataset"] {
			if got, want := strings.TrimSpace(f[6]), fmt.Sprintf("%.2f", rows[0]["mean_energy_mj"]); got != want {
				t.Errorf("markdown's mean energy %q, JSON %s", got, want)
			}
			if got, want := strings.TrimSpace(f[3]), fmt.Sprint(rows[0]["target_mj"]); got != want {
				t.Errorf("markdown's T %q, JSON %s", got, want)
			}
			break
		}
	}
	if img, err := os.ReadFile(fig); err != nil || len(img) < 10000 || !bytes.HasPrefix(img, []byte("\x89PNG")) {
		t.Errorf("--plot wrote %d bytes (%v)", len(img), err)
	}
}

// One seed has a mean but no spread: std and interval null, said so in the
// markdown; and a run away from the paper's setting shows the paper's numbers
// without counting itself against them.
func TestReproduceOneSeed(t *testing.T) {
	code, out, errs := runCLI("reproduce", "--table", "2", "--seeds", "1", "--episodes", "8", "--quiet", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		// The fields are there, null where one seed defines nothing.
		for _, k := range []string{"std_test_acc", "score_only_std_test_acc", "ci_low", "ci_high"} {
			if v, ok := r[k]; !ok || v != nil {
				t.Fatalf("one-seed row %v: want %s null", r, k)
			}
		}
		if r["diff_mean"] == nil || r["score_only_feasible_rate"] == nil {
			t.Fatalf("one-seed row %v: want a diff_mean and score-only's feasible rate", r)
		}
		if want := r["settings"] == "paper"; r["paper_setting"] != want {
			t.Errorf("%s row: paper_setting %v", r["settings"], r["paper_setting"])
		}
	}
	code, out, errs = runCLI("reproduce", "--table", "2", "--seeds", "1", "--episodes", "8", "--quiet")
	if code != 0 || !strings.Contains(out, " ± – ") || !strings.Contains(out, "One seed gives no interval") {
		t.Errorf("one-seed markdown: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCLI("reproduce", "--table", "1", "--seeds", "2", "--episodes", "8", "--indicators", "fi", "--alpha", "0.5", "--quiet")
	if code != 0 || !strings.Contains(out, "α 0.5") || !strings.Contains(out, "a reference, not compared") || strings.Contains(out, "matches or beats the paper") {
		t.Errorf("α 0.5 markdown: exit %d\n%s%s", code, out, errs)
	}
}

// A search's output carries the settings that make its trace, and an energy
// search shows no paper line (the paper's numbers bound latency).
func TestSearchSettings(t *testing.T) {
	// α is written for every algorithm: random's rewards, and so its trace,
	// and every algorithm's R_LAT column depend on it.
	for _, c := range []struct {
		algo  string
		alpha any
	}{{"rl", 0.3}, {"score-only", 0.3}} {
		code, out, errs := runCLI("search", "--algo", c.algo, "--alpha", "0.3", "--lr", "0.01", "--samples-per-step", "2", "--episodes", "20", "--json")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if alpha, ok := got["alpha"]; !ok || alpha != c.alpha || got["lr"] != 0.01 || got["samples_per_step"] != 2.0 {
			t.Errorf("%s: settings in the JSON: alpha %v, lr %v, samples_per_step %v", c.algo, got["alpha"], got["lr"], got["samples_per_step"])
		}
	}
	if _, out, _ := runCLI("search", "--algo", "random", "--episodes", "20", "--json"); strings.Contains(out, `"lr"`) {
		t.Errorf("random search's JSON has a learning rate:\n%s", out)
	}
	_, out, _ := runCLI("search", "--device", "edgegpu", "--objective", "energy", "--target", "27", "--episodes", "20")
	if !strings.Contains(out, "α 0.9, seed 0, 20 episodes, lr 0.0005, K 1") || strings.Contains(out, "paper") {
		t.Errorf("energy search's text:\n%s", out)
	}
	// Nothing picked (the one sample has no Edge TPU latency): null index
	// and arch, and the text goes on to the oracle and the trace.
	_, out, _ = runCLI("search", "--device", "edgetpu", "--target", "1", "--episodes", "1", "--seed", "3", "--json")
	var none map[string]any
	if err := json.Unmarshal([]byte(out), &none); err != nil {
		t.Fatal(err)
	}
	if i, ok := none["index"]; !ok || i != nil || none["arch"] != nil || none["trace_hash"] == "" {
		t.Errorf("nothing picked, JSON: %s", out)
	}
	_, text, _ := runCLI("search", "--device", "edgetpu", "--target", "1", "--episodes", "1", "--seed", "3")
	if !strings.Contains(text, "nothing to pick") || !strings.Contains(text, "trace    "+none["trace_hash"].(string)) || strings.Contains(text, "regret") {
		t.Errorf("nothing picked, text:\n%s", text)
	}
}

// A file that cannot be written leaves nothing behind: no temporary file
// beside it.
func TestSearchCSVNoLeftovers(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "taken")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := runCLI("search", "--episodes", "5", "--csv", target); code == 0 {
		t.Fatal("search wrote its CSV over a folder")
	}
	if err := writeFileAtomic(target, []byte("x")); err == nil {
		t.Fatal("writeFileAtomic replaced a folder")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// searchesIn counts each row's searches, score-only's in Table 2, and each
// cell's oracle-score once; Table 1's rows have no Table 2 part to read.
func TestSearchesIn(t *testing.T) {
	t1 := []experiment.Row{
		{Dataset: "cifar10", Device: "edgegpu", Seeds: 3},
		{Dataset: "cifar10", Device: "edgegpu", Seeds: 3},
		{Dataset: "cifar10", Device: "pixel3", Seeds: 3},
	}
	if n := searchesIn(t1); n != 3*3+2*3 {
		t.Errorf("table 1: %d searches, want 15", n)
	}
	t2 := []experiment.Row{
		{Dataset: "cifar10", Device: "edgegpu", Seeds: 2, Paired: &experiment.Paired{Settings: "paper"}},
		{Dataset: "cifar10", Device: "edgegpu", Seeds: 2, Paired: &experiment.Paired{Settings: "tuned"}},
	}
	if n := searchesIn(t2); n != 2*3*2 {
		t.Errorf("table 2: %d searches, want 12", n)
	}
}

// A difference that prints as ±0.00 is none: it prints as 0.00, never −0.00;
// one that prints otherwise is kept.
func TestNoNegZero(t *testing.T) {
	for x, want := range map[float64]float64{-0.004: 0, 0.0049: 0, -0.006: -0.006, 0.01: 0.01, 0.03: 0.03, -1.5: -1.5} {
		if got := noNegZero(x); got != want || math.Signbit(got) != math.Signbit(want) {
			t.Errorf("noNegZero(%v) = %v, want %v", x, got, want)
		}
	}
}
