package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"

	"github.com/nasplay/nasplay/assets"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

func init() {
	register("query", "benchmark numbers of one network (accuracy, params, FLOPs, latency and energy on all devices)", queryCmd)
	register("oracle", "best test accuracy among the networks that meet a latency target", oracleCmd)
	register("pareto", "the latency–accuracy Pareto front for a dataset and device", paretoCmd)
}

// loadTables decodes the embedded benchmark tables.
func loadTables() (*tables.Tables, error) {
	t, err := tables.Decode(assets.Tables)
	if err != nil {
		return nil, fmt.Errorf("embedded %s: %w", assets.TablesFile, err)
	}
	return t, nil
}

// num is a float that marshals as JSON null when unknown (NaN).
type num float64

func (n num) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(n)) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, float64(n), 'g', -1, 32), nil
}

func (n num) String() string {
	if math.IsNaN(float64(n)) {
		return "unknown"
	}
	return strconv.FormatFloat(float64(n), 'g', 7, 32)
}

func value(c []float32, i int) num {
	if c == nil {
		return num(math.NaN())
	}
	return num(c[i])
}

// datasetFlag and deviceFlag parse into the engine's types with errors that
// list the valid names.
type datasetFlag struct{ d *tables.Dataset }

func (f datasetFlag) String() string {
	if f.d == nil {
		return ""
	}
	return f.d.String()
}
func (f datasetFlag) Set(s string) (err error) { *f.d, err = tables.ParseDataset(s); return }

type deviceFlag struct{ v *tables.Device }

func (f deviceFlag) String() string {
	if f.v == nil {
		return ""
	}
	return f.v.String()
}
func (f deviceFlag) Set(s string) (err error) { *f.v, err = tables.ParseDevice(s); return }

// targetFlag is a latency target in ms: a positive finite number.
type targetFlag struct{ t *float64 }

func (f targetFlag) String() string {
	if f.t == nil {
		return ""
	}
	return strconv.FormatFloat(*f.t, 'g', -1, 64)
}
func (f targetFlag) Set(s string) error {
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || x <= 0 || math.IsInf(x, 0) || math.IsNaN(x) {
		return fmt.Errorf("target %q is not a positive finite number of milliseconds", s)
	}
	*f.t = x
	return nil
}

func datasetVar(fs *flag.FlagSet, d *tables.Dataset) {
	fs.Var(datasetFlag{d}, "dataset", "dataset: cifar10, cifar100, imagenet16 (or ImageNet16-120)")
}
func deviceVar(fs *flag.FlagSet, v *tables.Device) {
	fs.Var(deviceFlag{v}, "device", "device: edgegpu, raspi4, edgetpu, pixel3, eyeriss, fpga")
}
func targetVar(fs *flag.FlagSet, t *float64) {
	fs.Var(targetFlag{t}, "target", "latency target T in ms (positive)")
}

// requireFlags marks the named flags as required in the help (in place of
// a default that would never apply) and returns the check, after parsing,
// that reports the first of them not given.
func requireFlags(fs *flag.FlagSet, names ...string) func() error {
	for _, n := range names {
		f := fs.Lookup(n)
		f.Usage += " (required)"
		f.DefValue = ""
	}
	return func() error {
		set := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for _, n := range names {
			if !set[n] {
				return fmt.Errorf("--%s is required (see --help)", n)
			}
		}
		return nil
	}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// byDevice keys a per-device value by device name.
func byDevice(f func(tables.Device) num) map[string]num {
	m := map[string]num{}
	for _, v := range tables.Devices() {
		m[v.String()] = f(v)
	}
	return m
}

func queryCmd(args []string, stdout io.Writer) error {
	fs := newFlags("query", "(--index I | --arch STR) --dataset D [--json]", stdout)
	index := fs.Int("index", -1, "benchmark index 0..15624")
	arch := fs.String("arch", "", "architecture string |op~0|+|op~0|op~1|+|op~0|op~1|op~2|")
	var d tables.Dataset
	datasetVar(fs, &d)
	asJSON := fs.Bool("json", false, "print one JSON object")
	required := requireFlags(fs, "dataset")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := required(); err != nil {
		return err
	}
	t, err := loadTables()
	if err != nil {
		return err
	}
	i, err := pickIndex(t, *index, *arch)
	if err != nil {
		return err
	}
	out := struct {
		Index     int            `json:"index"`
		Arch      string         `json:"arch"`
		Dataset   string         `json:"dataset"`
		TestAcc   num            `json:"test_acc"`
		ValidAcc  num            `json:"valid_acc"`
		ParamsM   num            `json:"params_m"`
		FlopsM    num            `json:"flops_m"`
		LatencyMs map[string]num `json:"latency_ms"`
		EnergyMJ  map[string]num `json:"energy_mj"`
	}{
		i, t.Arch(i).String(), d.String(),
		value(t.TestAccs(d), i), value(t.ValidAccs(d), i), value(t.ParamsM(d), i), value(t.FlopsM(d), i),
		byDevice(func(v tables.Device) num { return value(t.Latencies(d, v), i) }),
		byDevice(func(v tables.Device) num { return value(t.Energies(d, v), i) }),
	}
	if *asJSON {
		return writeJSON(stdout, out)
	}
	fmt.Fprintf(stdout, "index %d  %s  (%s)\n", out.Index, out.Arch, out.Dataset)
	fmt.Fprintf(stdout, "test accuracy %s %%   validation accuracy %s %%   params %s M   FLOPs %s M\n",
		out.TestAcc, out.ValidAcc, out.ParamsM, out.FlopsM)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "device\tlatency ms\tenergy mJ")
	for _, v := range tables.Devices() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", v, out.LatencyMs[v.String()], out.EnergyMJ[v.String()])
	}
	return tw.Flush()
}

// pickIndex resolves --index or --arch (exactly one).
func pickIndex(t *tables.Tables, index int, arch string) (int, error) {
	switch {
	case arch != "" && index >= 0:
		return 0, errors.New("give --index or --arch, not both")
	case arch != "":
		a, err := space.Parse(arch)
		if err != nil {
			return 0, err
		}
		return t.Index(a), nil
	case index >= 0 && index < t.Len():
		return index, nil
	case index >= t.Len() || index < -1:
		return 0, fmt.Errorf("index %d is outside 0..%d", index, t.Len()-1)
	}
	return 0, errors.New("--index or --arch is required")
}

func oracleCmd(args []string, stdout io.Writer) error {
	fs := newFlags("oracle", "--dataset D --device V --target T [--indicator I] [--json]", stdout)
	var (
		d tables.Dataset
		v tables.Device
		T float64
	)
	datasetVar(fs, &d)
	deviceVar(fs, &v)
	targetVar(fs, &T)
	indicator := fs.String("indicator", "", "also the network this indicator ranks first under T (cj, cj_eig, nlr, cnntk, os, fi, params, flops): what a search that saw every network would pick")
	asJSON := fs.Bool("json", false, "print one JSON object")
	required := requireFlags(fs, "dataset", "device", "target")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := required(); err != nil {
		return err
	}
	t, err := loadTables()
	if err != nil {
		return err
	}
	// pick is one network under T; the indicator's adds its score and its
	// regret (the oracle's test accuracy − its own).
	type pick struct {
		Index     int    `json:"index"`
		Arch      string `json:"arch"`
		TestAcc   num    `json:"test_acc"`
		LatencyMs num    `json:"latency_ms"`
		Score     num    `json:"score"`
		Regret    num    `json:"regret"`
	}
	type result struct {
		Index         *int    `json:"index"` // the oracle's fields are null when nothing meets T
		Arch          *string `json:"arch"`
		TestAcc       *num    `json:"test_acc"`
		LatencyMs     *num    `json:"latency_ms"`
		Feasible      int     `json:"feasible"`
		Dataset       string  `json:"dataset"`
		Device        string  `json:"device"`
		TargetMs      float64 `json:"target_ms"`
		Indicator     string  `json:"indicator,omitempty"`
		IndicatorBest *pick   `json:"indicator_best,omitempty"`
	}
	r := t.Oracle(d, v, T)
	out := result{Feasible: r.Feasible, Dataset: d.String(), Device: v.String(), TargetMs: T, Indicator: *indicator}
	if r.Index >= 0 {
		a, acc, lat := t.Arch(r.Index).String(), value(t.TestAccs(d), r.Index), value(t.Latencies(d, v), r.Index)
		out.Index, out.Arch, out.TestAcc, out.LatencyMs = &r.Index, &a, &acc, &lat
	}
	if *indicator != "" {
		sc, err := indicatorScores(t, d, *indicator)
		if err != nil {
			return err
		}
		if b := t.Best(d, v, T, sc); b.Index >= 0 {
			i := b.Index
			acc := value(t.TestAccs(d), i)
			out.IndicatorBest = &pick{Index: i, Arch: t.Arch(i).String(), TestAcc: acc, LatencyMs: value(t.Latencies(d, v), i),
				Score: num(sc[i]), Regret: *out.TestAcc - acc}
		}
	}
	if *asJSON {
		return writeJSON(stdout, out)
	}
	if r.Index < 0 {
		fmt.Fprintf(stdout, "no network meets %g ms on %s for %s (feasible: 0)\n", T, v, d)
		return nil
	}
	fmt.Fprintf(stdout, "best under %g ms on %s (%s): index %d  %s\ntest accuracy %s %%  latency %s ms  (%d networks meet the target)\n",
		T, v, d, r.Index, *out.Arch, *out.TestAcc, *out.LatencyMs, r.Feasible)
	if p := out.IndicatorBest; p != nil {
		fmt.Fprintf(stdout, "%s's best under %g ms: index %d  %s\ntest accuracy %s %%  latency %s ms  score %s  regret %s points\n",
			*indicator, T, p.Index, p.Arch, p.TestAcc, p.LatencyMs, p.Score, p.Regret)
	}
	return nil
}

func paretoCmd(args []string, stdout io.Writer) error {
	fs := newFlags("pareto", "--dataset D --device V [--json]", stdout)
	var (
		d tables.Dataset
		v tables.Device
	)
	datasetVar(fs, &d)
	deviceVar(fs, &v)
	asJSON := fs.Bool("json", false, "print a JSON list")
	required := requireFlags(fs, "dataset", "device")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := required(); err != nil {
		return err
	}
	t, err := loadTables()
	if err != nil {
		return err
	}
	type point struct {
		Index     int    `json:"index"`
		Arch      string `json:"arch"`
		LatencyMs num    `json:"latency_ms"`
		TestAcc   num    `json:"test_acc"`
	}
	front := []point{}
	for _, i := range t.Pareto(d, v) {
		front = append(front, point{i, t.Arch(i).String(), value(t.Latencies(d, v), i), value(t.TestAccs(d), i)})
	}
	if *asJSON {
		return writeJSON(stdout, front)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "latency ms\ttest acc %%\tindex\tarch\n")
	for _, p := range front {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", p.LatencyMs, p.TestAcc, p.Index, p.Arch)
	}
	return tw.Flush()
}
