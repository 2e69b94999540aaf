package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/nasplay/nasplay/engine/tables"
)

// runCLI runs the CLI in-process and returns exit code, stdout and stderr.
func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// fullWriter is a disk with no room left.
type fullWriter struct{}

func (fullWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// Text output that cannot be written fails the command, as JSON output
// does; "help CMD" is CMD's own help.
func TestLostOutput(t *testing.T) {
	for _, args := range [][]string{
		{"oracle", "--dataset", "cifar10", "--device", "edgegpu", "--target", "6"},
		{"search", "--episodes", "5"},
		{"correlate", "--dataset", "cifar10"},
	} {
		var errb bytes.Buffer
		if code := run(args, fullWriter{}, &errb); code != 1 || !strings.Contains(errb.String(), "no space left on device") {
			t.Errorf("%v to a full disk: exit %d, stderr %q", args, code, errb.String())
		}
	}
	var errb bytes.Buffer
	if code := run([]string{"help", "search"}, fullWriter{}, &errb); code != 1 {
		t.Errorf("help search to a full disk: exit %d, stderr %q", code, errb.String())
	}
	if code, out, _ := runCLI("help", "search"); code != 0 || !strings.HasPrefix(out, "usage: nasplay search ") {
		t.Errorf("help search: exit %d, %q", code, out)
	}
}

func TestQueryJSON(t *testing.T) {
	code, out, errs := runCLI("query", "--index", "0", "--dataset", "cifar10", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var q struct {
		Index     int                 `json:"index"`
		Arch      string              `json:"arch"`
		LatencyMs map[string]*float64 `json:"latency_ms"`
		EnergyMJ  map[string]*float64 `json:"energy_mj"`
	}
	if err := json.Unmarshal([]byte(out), &q); err != nil {
		t.Fatal(err)
	}
	if got := q.LatencyMs["edgegpu"]; got == nil || float32(*got) != float32(5.807418537139893) {
		t.Errorf("edgegpu latency %v", got)
	}
	if got := q.LatencyMs["raspi4"]; got == nil || float32(*got) != float32(10.481976820010459) {
		t.Errorf("raspi4 latency %v", got)
	}
	if len(q.LatencyMs) != 6 || len(q.EnergyMJ) != 6 {
		t.Errorf("want all six devices, got %v / %v", q.LatencyMs, q.EnergyMJ)
	}
	if q.EnergyMJ["pixel3"] != nil {
		t.Error("pixel3 energy should be null")
	}
}

// An edgetpu latency the benchmark lacks is null, found by scanning for one.
func TestQueryUnknownIsNull(t *testing.T) {
	tb, err := loadTables()
	if err != nil {
		t.Fatal(err)
	}
	i := -1
	for k, x := range tb.Latencies(tables.CIFAR10, tables.EdgeTPU) {
		if x != x {
			i = k
			break
		}
	}
	if i < 0 {
		t.Fatal("no unknown edgetpu latency in the tables")
	}
	_, out, _ := runCLI("query", "--arch", tb.Arch(i).String(), "--dataset", "ImageNet16-120", "--json")
	if !strings.Contains(out, `"edgetpu": null`) {
		t.Errorf("index %d: edgetpu not null:\n%s", i, out)
	}
}

func TestOracleJSON(t *testing.T) {
	_, out, _ := runCLI("oracle", "--dataset", "cifar10", "--device", "edgegpu", "--target", "6", "--json")
	var o struct {
		Index    *int     `json:"index"`
		TestAcc  *float64 `json:"test_acc"`
		Feasible int      `json:"feasible"`
	}
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatal(err)
	}
	if o.Index == nil || *o.Index != 2053 || *o.TestAcc < 94.205 || *o.TestAcc > 94.215 {
		t.Errorf("oracle = %s", out)
	}
	code, out, _ := runCLI("oracle", "--dataset", "cifar10", "--device", "edgegpu", "--target", "0.001", "--json")
	if code != 0 || !strings.Contains(out, `"index": null`) || !strings.Contains(out, `"feasible": 0`) {
		t.Errorf("infeasible target: exit %d, %s", code, out)
	}
}

// oracle --indicator adds the network the indicator ranks first under T,
// with its regret to the oracle.
func TestOracleIndicator(t *testing.T) {
	tb, err := loadTables()
	if err != nil {
		t.Fatal(err)
	}
	_, out, _ := runCLI("oracle", "--dataset", "cifar100", "--device", "raspi4", "--target", "40", "--indicator", "params", "--json")
	var o struct {
		TestAcc float64 `json:"test_acc"`
		Best    struct {
			Index   int     `json:"index"`
			TestAcc float64 `json:"test_acc"`
			Score   float64 `json:"score"`
			Regret  float64 `json:"regret"`
		} `json:"indicator_best"`
	}
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatal(err)
	}
	params, lat := tb.ParamsM(tables.CIFAR100), tb.Latencies(tables.CIFAR100, tables.Raspi4)
	want := tables.Best(tb.Latencies(tables.CIFAR100, tables.Raspi4), 40, params).Index
	for i := range params { // nothing under T has more parameters
		if lat[i] <= 40 && params[i] > params[want] {
			t.Fatalf("index %d has %v M params under T, more than the best's %v", i, params[i], params[want])
		}
	}
	acc := float64(tb.TestAccs(tables.CIFAR100)[want])
	if o.Best.Index != want || math.Abs(o.Best.TestAcc-acc) > 1e-4 || math.Abs(o.Best.Regret-(o.TestAcc-acc)) > 1e-4 ||
		math.Abs(o.Best.Score-float64(params[want])) > 1e-5 {
		t.Errorf("indicator_best = %+v, want index %d, test acc %v, regret %v", o.Best, want, acc, o.TestAcc-acc)
	}
}

// oracle --objective energy is the most accurate network within an energy
// budget, found here by brute force; the energy front is sorted by energy
// and nothing off it is both cheaper and more accurate.
func TestOracleEnergy(t *testing.T) {
	tb, err := loadTables()
	if err != nil {
		t.Fatal(err)
	}
	en, acc := tb.Energies(tables.CIFAR100, tables.EdgeGPU), tb.TestAccs(tables.CIFAR100)
	want, n := -1, 0
	for i := range en {
		if en[i] <= 20 {
			n++
			if want < 0 || acc[i] > acc[want] || acc[i] == acc[want] && en[i] < en[want] {
				want = i
			}
		}
	}
	_, out, _ := runCLI("oracle", "--dataset", "cifar100", "--device", "edgegpu", "--objective", "energy", "--target", "20", "--json")
	var o struct {
		Index     int     `json:"index"`
		EnergyMJ  float64 `json:"energy_mj"`
		LatencyMs float64 `json:"latency_ms"`
		Feasible  int     `json:"feasible"`
		TargetMJ  float64 `json:"target_mj"`
	}
	if err := json.Unmarshal([]byte(out), &o); err != nil {
		t.Fatal(err)
	}
	lat := tb.Latencies(tables.CIFAR100, tables.EdgeGPU)
	if o.Index != want || o.Feasible != n || float32(o.EnergyMJ) != en[want] || float32(o.LatencyMs) != lat[want] || o.TargetMJ != 20 {
		t.Errorf("oracle %s; want #%d (%v mJ, %v ms) of %d", out, want, en[want], lat[want], n)
	}
	front := paretoFront(t, func(p frontPoint) float64 { return p.EnergyMJ }, "--dataset", "cifar100", "--device", "edgegpu", "--objective", "energy")
	// Each point gives its own energy and latency.
	for _, p := range front {
		if float32(p.EnergyMJ) != en[p.Index] || float32(p.LatencyMs) != lat[p.Index] {
			t.Fatalf("front point #%d: %v mJ, %v ms; the tables have %v mJ, %v ms", p.Index, p.EnergyMJ, p.LatencyMs, en[p.Index], lat[p.Index])
		}
	}
	// Nothing beats the front: at each front point's energy, no network at
	// most as costly is more accurate.
	for _, p := range front {
		for i := range en {
			if en[i] <= float32(p.EnergyMJ) && acc[i] > float32(p.TestAcc) {
				t.Fatalf("#%d (%v mJ, %v %%) beats front point #%d (%v mJ, %v %%)", i, en[i], acc[i], p.Index, p.EnergyMJ, p.TestAcc)
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"query", "--index", "0", "--dataset", "mnist"}, "cifar10, cifar100, imagenet16"},
		{[]string{"query", "--index", "15625", "--dataset", "cifar10"}, "--index 15625 is outside 0..15624"},
		{[]string{"query", "--index", "-1", "--dataset", "cifar10"}, "--index -1 is outside 0..15624"},
		{[]string{"query", "--index", "0", "--arch", "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "--dataset", "cifar10"}, "not both"},
		{[]string{"query", "--arch", "|bogus~0|+|none~0|none~1|+|none~0|none~1|none~2|", "--dataset", "cifar10"}, `arch "|bogus~0|+|none~0|none~1|+|none~0|none~1|none~2|" at byte 1: unknown op "bogus"`},
		{[]string{"query", "--dataset", "cifar10"}, "--index or --arch"},
		{[]string{"oracle", "--dataset", "cifar10", "--device", "gpu", "--target", "6"}, "edgegpu, raspi4"},
		{[]string{"oracle", "--dataset", "cifar10", "--device", "edgegpu", "--target", "0"}, "positive finite"},
		{[]string{"oracle", "--dataset", "cifar10", "--device", "edgegpu", "--target", "NaN", "--json"}, "positive finite"},
		{[]string{"oracle", "--dataset", "cifar10", "--device", "edgegpu"}, "--target is required"},
		{[]string{"oracle", "--dataset", "cifar10", "--device", "edgegpu", "--target", "6", "--indicator", "acc"}, `--indicator: unknown indicator "acc"`},
		{[]string{"pareto", "--dataset", "cifar10", "--device", "edgegpu", "extra"}, "unexpected argument"},
		{[]string{"pareto", "--dataset", "cifar10", "--device", "raspi4", "--objective", "energy"}, "no energy for raspi4"},
		{[]string{"oracle", "--dataset", "cifar10", "--device", "pixel3", "--objective", "energy", "--target", "3"}, "no energy for pixel3"},
		{[]string{"frobnicate"}, "unknown command"},
		{[]string{"assets", "frobnicate"}, `unknown subcommand "frobnicate"; one of: build`},
		{[]string{"indicators"}, "which one? compute, export, fusions, precompute, sample"},
		{[]string{"indicators", "compute"}, "--arch is required"},
	}
	for _, c := range cases {
		code, out, errs := runCLI(c.args...)
		if code == 0 || !strings.Contains(errs, c.want) || strings.Contains(errs, "goroutine") {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want an error mentioning %q", c.args, code, errs, out, c.want)
		}
	}
}

func TestHelp(t *testing.T) {
	if code, out, _ := runCLI("indicators", "--help"); code != 0 || !strings.Contains(out, "precompute   compute every indicator") {
		t.Errorf("indicators --help: exit %d, %q", code, out)
	}
	for _, name := range []string{"query", "oracle", "pareto"} {
		code, out, _ := runCLI(name, "--help")
		if code != 0 || !strings.Contains(out, "usage: nasplay "+name) || !strings.Contains(out, "-dataset") {
			t.Errorf("%s --help: exit %d, %q", name, code, out)
		}
		// Required flags say so, with no default that would never apply.
		if !strings.Contains(out, "(required)") || strings.Contains(out, "(default cifar10)") {
			t.Errorf("%s --help does not mark its required flags:\n%s", name, out)
		}
	}
}

func TestPareto(t *testing.T) {
	paretoFront(t, func(p frontPoint) float64 { return p.LatencyMs }, "--dataset", "cifar100", "--device", "pixel3")
}

type frontPoint struct {
	Index     int     `json:"index"`
	LatencyMs float64 `json:"latency_ms"`
	EnergyMJ  float64 `json:"energy_mj"`
	TestAcc   float64 `json:"test_acc"`
}

// paretoFront runs pareto --json with args and checks that the front has at
// least five points, sorted by cost with accuracy strictly rising.
func paretoFront(t *testing.T, cost func(frontPoint) float64, args ...string) []frontPoint {
	t.Helper()
	_, out, _ := runCLI(append(append([]string{"pareto"}, args...), "--json")...)
	var front []frontPoint
	if err := json.Unmarshal([]byte(out), &front); err != nil || len(front) < 5 {
		t.Fatalf("front %v, %v", len(front), err)
	}
	for k := 1; k < len(front); k++ {
		if cost(front[k]) < cost(front[k-1]) || front[k].TestAcc <= front[k-1].TestAcc {
			t.Fatalf("front %v not sorted at %d", args, k)
		}
	}
	return front
}

// Text output gives an energy only on the devices HW-NAS-Bench measures it
// on: elsewhere query shows "–" (not "unknown", a missing value), and
// oracle and search leave it out.
func TestTextEnergyOnlyWhereMeasured(t *testing.T) {
	_, out, _ := runCLI("query", "--index", "0", "--dataset", "cifar10")
	for _, want := range []string{"raspi4   10.48198    –\n", "eyeriss  3.64562     0.6872827\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("query text lacks %q:\n%s", want, out)
		}
	}
	for _, c := range []struct {
		args   []string
		energy bool
	}{
		{[]string{"oracle", "--dataset", "cifar10", "--device", "raspi4", "--target", "40", "--indicator", "params"}, false},
		{[]string{"oracle", "--dataset", "cifar10", "--device", "fpga", "--target", "4", "--indicator", "params"}, true},
		{[]string{"search", "--dataset", "cifar10", "--device", "pixel3", "--episodes", "5", "--indicator", "params"}, false},
		{[]string{"search", "--dataset", "cifar10", "--device", "fpga", "--target", "4", "--episodes", "5", "--indicator", "params"}, true},
	} {
		code, out, errs := runCLI(c.args...)
		if code != 0 || strings.Contains(out, " mJ") != c.energy {
			t.Errorf("%v: exit %d, energy shown: want %v\n%s%s", c.args, code, c.energy, out, errs)
		}
	}
}
