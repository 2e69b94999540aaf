package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/nasplay/nasplay/assets"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

func init() {
	register("query", "benchmark numbers of one network (accuracy, params, FLOPs, latency and energy on all devices)", queryCmd)
	register("oracle", "best test accuracy among the networks that meet a latency (or energy) target", oracleCmd)
	register("pareto", "the latency–accuracy (or energy–accuracy) Pareto front for a dataset and device", paretoCmd)
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
	return strconv.FormatFloat(float64(n), 'g', 7, 32) // for reading; JSON has every digit
}

// scoreNum is an indicator's score: JSON null and "worst" in text where it
// is scores.Worst, the value of a network the indicator is undefined for
// (disconnected, NaN or singular), which is no number to show.
type scoreNum float64

func (s scoreNum) MarshalJSON() ([]byte, error) {
	if s == scores.Worst {
		return []byte("null"), nil
	}
	return num(s).MarshalJSON()
}

func (s scoreNum) String() string {
	if s == scores.Worst {
		return "worst, undefined for this network"
	}
	return num(s).String()
}

func value(c []float32, i int) num {
	if c == nil {
		return num(math.NaN())
	}
	return num(c[i])
}

// targetFlag is a target in ms or mJ: a positive finite number.
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
		return fmt.Errorf("target %q is not a positive finite number (ms, or mJ under --objective energy)", s)
	}
	*f.t = x
	return nil
}

// The engine's enumerations parse themselves (encoding.TextUnmarshaler),
// with errors that list the valid names.
func datasetVar(fs *flag.FlagSet, d *tables.Dataset) {
	fs.TextVar(d, "dataset", *d, "dataset: cifar10, cifar100, imagenet16 (or ImageNet16-120)")
}
func deviceVar(fs *flag.FlagSet, v *tables.Device) {
	fs.TextVar(v, "device", *v, "device: edgegpu, raspi4, edgetpu, pixel3, eyeriss, fpga")
}
func targetVar(fs *flag.FlagSet, t *float64) {
	fs.Var(targetFlag{t}, "target", "target T (positive): latency in ms, or energy in mJ under --objective energy")
}

func objectiveVar(fs *flag.FlagSet, o *tables.Objective) {
	fs.TextVar(o, "objective", *o, "the hardware cost: latency (ms, every device) or energy (mJ: edgegpu, eyeriss, fpga)")
}

// nameVar is fs.StringVar for names (indicators, algorithms), read in
// lower case as the datasets and devices are.
func nameVar(fs *flag.FlagSet, p *string, name, value, usage string) {
	*p = value
	if value != "" {
		usage += " (default " + value + ")"
	}
	fs.Func(name, usage, func(s string) error {
		*p = strings.ToLower(strings.TrimSpace(s))
		return nil
	})
}

// target is a target in JSON output: the objective and the value under the
// key of its unit.
type target struct {
	Objective string   `json:"objective"`
	TargetMs  *float64 `json:"target_ms,omitempty"`
	TargetMJ  *float64 `json:"target_mj,omitempty"`
}

func newTarget(o tables.Objective, t float64) target {
	if o == tables.Energy {
		return target{Objective: o.String(), TargetMJ: &t}
	}
	return target{Objective: o.String(), TargetMs: &t}
}

// costs is the objective's column on (d, v), or an error naming the devices
// that have it.
func costs(t *tables.Tables, d tables.Dataset, v tables.Device, o tables.Objective) ([]float32, error) {
	if err := v.CheckSupport(o); err != nil {
		return nil, err
	}
	return t.Costs(d, v, o), nil
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
		set := flagsSet(fs)
		for _, n := range names {
			if !set[n] {
				return fmt.Errorf("--%s is required (see --help)", n)
			}
		}
		return nil
	}
}

// flagsSet names the flags given on the command line.
func flagsSet(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
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
	set := flagsSet(fs)
	i, err := pickIndex(t, *index, set["index"], *arch, set["arch"])
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
		energy := out.EnergyMJ[v.String()].String()
		if !v.HasEnergy() {
			energy = "–" // HW-NAS-Bench measures none on this device; "unknown" is a missing value
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", v, out.LatencyMs[v.String()], energy)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "(–: HW-NAS-Bench measures no energy on this device)")
	return nil
}

// pickIndex resolves --index or --arch, whichever was given (exactly one).
func pickIndex(t *tables.Tables, index int, haveIndex bool, arch string, haveArch bool) (int, error) {
	switch {
	case haveIndex && haveArch:
		return 0, errors.New("give --index or --arch, not both")
	case haveArch:
		a, err := space.Parse(arch)
		if err != nil {
			return 0, err // it names the arch
		}
		return t.Index(a), nil
	case haveIndex && (index < 0 || index >= t.Len()):
		return 0, fmt.Errorf("--index %d is outside 0..%d", index, t.Len()-1)
	case haveIndex:
		return index, nil
	}
	return 0, errors.New("--index or --arch is required")
}

func oracleCmd(args []string, stdout io.Writer) error {
	fs := newFlags("oracle", "--dataset D --device V --target T [--objective O] [--indicator I] [--json]", stdout)
	var (
		d tables.Dataset
		v tables.Device
		o tables.Objective
		T float64
	)
	datasetVar(fs, &d)
	deviceVar(fs, &v)
	targetVar(fs, &T)
	objectiveVar(fs, &o)
	var indicator string
	nameVar(fs, &indicator, "indicator", "", "also the network this indicator ranks first under T (cj, cj_eig, nlr, cnntk, os, fi, params, flops): what a search that saw every network would pick")
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
	cost, err := costs(t, d, v, o)
	if err != nil {
		return err
	}
	// pick is one network under T; the indicator's adds its score and its
	// regret (the oracle's test accuracy − its own).
	type pick struct {
		network
		Regret num `json:"regret"`
	}
	type result struct {
		Index     *int    `json:"index"` // the oracle's fields are null when nothing meets T
		Arch      *string `json:"arch"`
		TestAcc   *num    `json:"test_acc"`
		LatencyMs *num    `json:"latency_ms"`
		EnergyMJ  *num    `json:"energy_mj"` // also null where the device has no energy data
		Feasible  int     `json:"feasible"`
		Dataset   string  `json:"dataset"`
		Device    string  `json:"device"`
		target
		Indicator     string `json:"indicator,omitempty"`
		IndicatorBest *pick  `json:"indicator_best,omitempty"`
	}
	r := tables.Best(cost, T, t.TestAccs(d))
	out := result{Feasible: r.Feasible, Dataset: d.String(), Device: v.String(), target: newTarget(o, T), Indicator: indicator}
	if r.Index >= 0 {
		a, acc, lat, en := t.Arch(r.Index).String(), value(t.TestAccs(d), r.Index), value(t.Latencies(d, v), r.Index), value(t.Energies(d, v), r.Index)
		out.Index, out.Arch, out.TestAcc, out.LatencyMs, out.EnergyMJ = &r.Index, &a, &acc, &lat, &en
	}
	if indicator != "" {
		sc, err := indicatorScores(t, d, indicator)
		if err != nil {
			return fmt.Errorf("--indicator: %v", err)
		}
		if b := tables.Best(cost, T, sc); b.Index >= 0 {
			i := b.Index
			acc := value(t.TestAccs(d), i)
			out.IndicatorBest = &pick{network{Index: netIndex(i), Arch: arch(t.Arch(i).String()), TestAcc: acc, LatencyMs: value(t.Latencies(d, v), i),
				EnergyMJ: value(t.Energies(d, v), i), Score: scoreNum(sc[i])}, *out.TestAcc - acc}
		}
	}
	if *asJSON {
		return writeJSON(stdout, out)
	}
	u := o.Unit()
	if r.Index < 0 {
		fmt.Fprintf(stdout, "no network meets %g %s on %s for %s (feasible: 0)\n", T, u, v, d)
		return nil
	}
	costText := func(lat, en num) string {
		if v.HasEnergy() {
			return fmt.Sprintf("latency %s ms  energy %s mJ", lat, en)
		}
		return fmt.Sprintf("latency %s ms", lat)
	}
	fmt.Fprintf(stdout, "best under %g %s on %s (%s): index %d  %s\ntest accuracy %s %%  %s  (%d networks meet the target)\n",
		T, u, v, d, r.Index, *out.Arch, *out.TestAcc, costText(*out.LatencyMs, *out.EnergyMJ), r.Feasible)
	if p := out.IndicatorBest; p != nil {
		fmt.Fprintf(stdout, "%s's best under %g %s: index %d  %s\ntest accuracy %s %%  %s  score %s  regret %s points\n",
			indicator, T, u, p.Index, p.Arch, p.TestAcc, costText(p.LatencyMs, p.EnergyMJ), p.Score, p.Regret)
	}
	return nil
}

func paretoCmd(args []string, stdout io.Writer) error {
	fs := newFlags("pareto", "--dataset D --device V [--objective O] [--json]", stdout)
	var (
		d tables.Dataset
		v tables.Device
		o tables.Objective
	)
	datasetVar(fs, &d)
	deviceVar(fs, &v)
	objectiveVar(fs, &o)
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
	cost, err := costs(t, d, v, o)
	if err != nil {
		return err
	}
	// The front is in the objective's cost; under energy each point also
	// gives its latency.
	type point struct {
		Index     int    `json:"index"`
		Arch      string `json:"arch"`
		LatencyMs num    `json:"latency_ms"`
		EnergyMJ  *num   `json:"energy_mj,omitempty"`
		TestAcc   num    `json:"test_acc"`
	}
	front := []point{}
	for _, i := range tables.Front(t.TestAccs(d), cost) {
		p := point{Index: i, Arch: t.Arch(i).String(), LatencyMs: value(t.Latencies(d, v), i), TestAcc: value(t.TestAccs(d), i)}
		if o == tables.Energy {
			e := value(cost, i)
			p.EnergyMJ = &e
		}
		front = append(front, p)
	}
	if *asJSON {
		return writeJSON(stdout, front)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	if o == tables.Energy {
		fmt.Fprintf(tw, "energy mJ\tlatency ms\ttest acc %%\tindex\tarch\n")
		for _, p := range front {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", *p.EnergyMJ, p.LatencyMs, p.TestAcc, p.Index, p.Arch)
		}
		return tw.Flush()
	}
	fmt.Fprintf(tw, "latency ms\ttest acc %%\tindex\tarch\n")
	for _, p := range front {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", p.LatencyMs, p.TestAcc, p.Index, p.Arch)
	}
	return tw.Flush()
}
