package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/nasplay/nasplay/assets"
	"github.com/nasplay/nasplay/engine/indicator"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

// calibImages is the CIFAR-10 image file in the data folder.
const calibImages = "cifar10-calib-1000.bin"

// defaultCheckpoints is where precompute keeps its resumable checkpoint
// files; they are committed, so a run can resume on another machine.
const defaultCheckpoints = "assets/indicators-ckpt"

func init() {
	assetBuilders = append(assetBuilders, struct {
		file  string
		build func(dir string) ([]byte, error)
	}{assets.CalibFile, func(dir string) ([]byte, error) {
		b, err := os.ReadFile(filepath.Join(dir, calibImages))
		if err != nil {
			return nil, err
		}
		sums, err := os.ReadFile(filepath.Join(dir, tables.SumsFile))
		if err != nil {
			return nil, err
		}
		if _, err := tables.CheckSum(sums, calibImages, b); err != nil {
			return nil, err
		}
		return indicator.BuildCalib(b)
	}})
	register("indicators precompute", "compute every indicator of every network (resumable) and write assets/indicators.msgpack", indicatorsPrecompute)
	register("indicators compute", "compute every indicator of one network now", indicatorsCompute)
	register("indicators export", "write the precomputed indicators of a dataset as CSV", indicatorsExport)
	register("indicators sample", "compute the indicators of random networks and rank-correlate them with validation accuracy", indicatorsSample)
	register("indicators fusions", "compare forms of the fusion fi on validation accuracy over random fit splits (how fi's form was chosen)", indicatorsFusions)
}

// indicatorsSample is how the default configuration was chosen: it scores a
// seeded random sample of networks at a configuration and reports Spearman's
// ρ of each raw indicator, and a twofold estimate of fi's, with the
// dataset's validation accuracy.
func indicatorsSample(args []string, stdout io.Writer) error {
	fs := newFlags("indicators sample", "[--dataset D] [--n N] [--seed S] [--config FILE] [--workers N]", stdout)
	var d tables.Dataset
	datasetVar(fs, &d)
	n := fs.Int("n", 150, "number of random networks")
	seed := fs.Uint64("seed", 99, "seed of the random sample")
	cfgPath := fs.String("config", "", "JSON configuration file (default: the default configuration)")
	workers := workersVar(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *n < 3 || *n > space.Size {
		return fmt.Errorf("--n %d: want 3 ≤ n ≤ %d", *n, space.Size)
	}
	if err := checkWorkers(workers); err != nil {
		return err
	}
	// One goroutine per network at most: each worker has an error slot and
	// an evaluator, so a huge --workers allocated without bound.
	*workers = min(*workers, *n)
	cfg, calib, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if err := checkMemory(cfg, d, *workers, "fewer --workers"); err != nil {
		return err
	}
	bt, err := loadTables()
	if err != nil {
		return err
	}
	idx := rand.New(rand.NewPCG(*seed, 0)).Perm(space.Size)[:*n]
	raws := make([]scores.Raw, len(idx))
	errs := make([]error, *workers)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ev, err := indicator.NewEvaluator(cfg, calib, d)
			if err != nil {
				errs[w] = err
				return
			}
			for j := w; j < len(idx); j += *workers {
				if raws[j], err = ev.Evaluate(bt.Arch(idx[j])); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	elapsed := time.Since(start)
	valid := bt.ValidAccs(d)
	acc := make([]float64, len(idx))
	for j, i := range idx {
		acc[j] = float64(valid[i])
	}
	fmt.Fprintf(stdout, "%s, %d random networks (seed %d), config %s %+v\n", d, len(idx), *seed, cfg.Version(), cfg)
	fmt.Fprintf(stdout, "%.1f ms per network (%d workers)\n", elapsed.Seconds()*1000*float64(*workers)/float64(len(idx)), *workers)
	fmt.Fprintf(stdout, "Spearman ρ with %s:\n", tables.ValidColumn(d))
	for k, name := range scores.Names()[:scores.NumRaw] {
		x := make([]float64, len(idx))
		worst := 0
		for j, r := range raws {
			x[j] = r.Values[k]
			if r.Invalid[k] {
				worst++
			}
		}
		fmt.Fprintf(stdout, "  %-7s %6.3f   (worst score: %d)\n", name, indicator.Spearman(x, acc), worst)
	}
	if rho, forms, err := indicator.FusionEstimate(raws, acc); err != nil {
		fmt.Fprintf(stdout, "  %-7s %v\n", scores.FI, err)
	} else {
		fmt.Fprintf(stdout, "  %-7s %6.3f   (twofold: fit on one half of the sample, ρ on the other; cj forms %s, %s)\n", scores.FI, rho, forms[0], forms[1])
	}
	for _, name := range []string{scores.Params, scores.Flops} {
		col, _ := scores.Column(nil, bt, d, name)
		x := make([]float64, len(idx))
		for j, i := range idx {
			x[j] = float64(col[i])
		}
		fmt.Fprintf(stdout, "  %-7s %6.3f\n", name, indicator.Spearman(x, acc))
	}
	return nil
}

// loadConfig returns the default configuration, or the one in a JSON file,
// with the embedded calibration images every evaluation needs.
func loadConfig(path string) (scores.Config, *indicator.Calib, error) {
	calib, err := loadCalib()
	if err != nil {
		return scores.Config{}, nil, err
	}
	if path == "" {
		return scores.Default(), calib, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return scores.Config{}, nil, fmt.Errorf("--config: %v", err)
	}
	c, err := scores.ParseConfig(b)
	if err != nil {
		return c, nil, fmt.Errorf("--config %s: %v", path, err)
	}
	return c, calib, nil
}

// parseDatasets reads a dataset name or "all".
func parseDatasets(s string) ([]tables.Dataset, error) {
	if strings.EqualFold(s, "all") { // any case, as the dataset names
		return tables.Datasets(), nil
	}
	d, err := tables.ParseDataset(s)
	if err != nil {
		return nil, fmt.Errorf("--dataset %q: want cifar10, cifar100, imagenet16 or all", s)
	}
	return []tables.Dataset{d}, nil
}

// workersVar is --workers of the commands that compute networks in
// parallel: 0, the default, is one per CPU, as for reproduce.
func workersVar(fs *flag.FlagSet) *int {
	return fs.Int("workers", 0, "networks computed in parallel (default: one per CPU)")
}

// checkWorkers rejects a negative --workers and turns 0 into GOMAXPROCS
// (the CPUs this process may use, a container's quota included).
func checkWorkers(w *int) error {
	if *w < 0 {
		return fmt.Errorf("--workers %d: want 0 (one per CPU) or more", *w)
	}
	if *w == 0 {
		*w = runtime.GOMAXPROCS(0)
	}
	return nil
}

func indicatorsPrecompute(args []string, stdout io.Writer) error {
	fs := newFlags("indicators precompute", "[--dataset D|all] [--workers N] [--config FILE] [--checkpoints DIR] [--out FILE]", stdout)
	dsFlag := fs.String("dataset", "all", "dataset to compute: cifar10, cifar100, imagenet16 or all")
	workers := workersVar(fs)
	cfgPath := fs.String("config", "", "JSON configuration file (default: the default configuration)")
	ckpt := fs.String("checkpoints", defaultCheckpoints, "folder of the append-only checkpoint files")
	out := fs.String("out", filepath.Join("assets", assets.IndicatorsFile), "table to write once all datasets are complete")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkWorkers(workers); err != nil {
		return err
	}
	datasets, err := parseDatasets(*dsFlag)
	if err != nil {
		return err
	}
	cfg, calib, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	bt, err := loadTables()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*ckpt, 0o755); err != nil {
		return fmt.Errorf("--checkpoints: %v", err)
	}
	// The table is written after hours of work: check now that it can be.
	if err := checkOutput(*out); err != nil {
		return fmt.Errorf("--out: %v", err)
	}
	fmt.Fprintf(stdout, "config %s: %+v\n", cfg.Version(), cfg)
	// Ctrl-C (or a SIGTERM) stops at the next result with a message saying
	// what the checkpoint kept, instead of killing the run mid-line.
	ctx, stopSignals := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stopSignals()
	start := time.Now()
	for _, d := range datasets {
		if err := precomputeDataset(ctx, cfg, calib, d, checkpointPath(*ckpt, d), *workers, stdout); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "computed in %s\n", time.Since(start).Round(time.Second))

	tab, missing, err := tableFromCheckpoints(cfg, bt, *ckpt)
	if err != nil {
		return err
	}
	if tab == nil {
		fmt.Fprintf(stdout, "%s; table not written\n", missing)
		return nil
	}
	b, err := tab.Encode()
	if err != nil {
		return err
	}
	if err := writeFileAtomic(*out, b); err != nil {
		return fmt.Errorf("--out: %v", err)
	}
	fmt.Fprintf(stdout, "wrote %s (%d bytes)\n", *out, len(b))
	return nil
}

// tableFromCheckpoints builds the indicator table from the checkpoint files
// in dir. While a dataset is incomplete it returns no table and says which.
func tableFromCheckpoints(cfg scores.Config, bt *tables.Tables, dir string) (*scores.Table, string, error) {
	var results [tables.NumDatasets]map[int]scores.Raw
	for _, d := range tables.Datasets() {
		path := checkpointPath(dir, d)
		b, err := os.ReadFile(path)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, "", err
		}
		if results[d], err = indicator.ParseCheckpoint(b, cfg, d); err != nil {
			return nil, "", fmt.Errorf("%s: %v", path, err) // as precomputeDataset says it
		}
		if len(results[d]) < space.NumClasses {
			return nil, fmt.Sprintf("%v: %d of %d classes done", d, len(results[d]), space.NumClasses), nil
		}
	}
	tab, err := indicator.BuildTable(cfg, bt, results)
	return tab, "", err
}

var errLocked = errors.New("locked")

// lockCheckpoint opens the checkpoint at path, creating it empty if need
// be, and locks it for this process; closing the file unlocks it. A
// checkpoint another run holds is an error that says so.
func lockCheckpoint(path string) (*os.File, error) {
	f, err := os.Open(path) // read-only: a complete one may be in a read-only folder
	if errors.Is(err, os.ErrNotExist) {
		f, err = os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o644)
	}
	if err != nil {
		return nil, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, fmt.Errorf("%s is in use by another indicators precompute; wait for it to end, or give this one another --checkpoints folder", path)
		}
		return nil, fmt.Errorf("lock %s: %v", path, err)
	}
	return f, nil
}

func checkpointPath(dir string, d tables.Dataset) string {
	return filepath.Join(dir, d.String()+".txt")
}

// precomputeDataset evaluates every class missing from dataset d's
// checkpoint, appending one line per class as results arrive, with a
// progress line on stderr.
func precomputeDataset(ctx context.Context, cfg scores.Config, calib *indicator.Calib, d tables.Dataset, path string, workers int, stdout io.Writer) error {
	// Two runs appending to one checkpoint would compute every class twice,
	// and both would write the header of a new one, which then could not
	// be read.
	lock, err := lockCheckpoint(path)
	if err != nil {
		return err
	}
	defer lock.Close()
	b, err := io.ReadAll(lock) // the locked file, which lockCheckpoint created if need be
	if err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	done, err := indicator.ParseCheckpoint(b, cfg, d)
	if err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	if i := len(b); i > 0 && b[i-1] != '\n' {
		// Cut a torn last line so that appends start on a fresh line.
		cut := 0
		for j := i - 1; j >= 0; j-- {
			if b[j] == '\n' {
				cut = j + 1
				break
			}
		}
		if err := os.Truncate(path, int64(cut)); err != nil {
			return err
		}
	}
	var todo []space.Arch
	for _, c := range indicator.Classes() {
		if _, ok := done[c.Code()]; !ok {
			todo = append(todo, c)
		}
	}
	total := space.NumClasses
	fmt.Fprintf(stdout, "%v: %d of %d classes in %s, %d to compute\n", d, len(done), total, path, len(todo))
	if len(todo) == 0 {
		return nil
	}
	workers = min(workers, len(todo)) // each one makes an evaluator first
	if err := checkMemory(cfg, d, workers, "fewer --workers"); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if len(b) == 0 {
		if _, err := io.WriteString(f, indicator.CheckpointHeader(cfg, d)); err != nil {
			return err
		}
	}

	jobs := make(chan space.Arch)
	type result struct {
		class space.Arch
		raw   scores.Raw
		err   error
	}
	results := make(chan result)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < workers; w++ {
		ev, err := indicator.NewEvaluator(cfg, calib, d)
		if err != nil {
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				raw, err := ev.Evaluate(c)
				select {
				case results <- result{c, raw, err}:
				case <-stop:
					return
				}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for _, c := range todo {
			select {
			case jobs <- c:
			case <-stop:
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	// The first progress line waits 2 s: the first results are often
	// disconnected cells, instant, and a rate from them promised an ETA of 0 s.
	start := time.Now()
	last := start
	n := 0
	shown := false // a progress line is on stderr, unended
	// fail stops the workers and ends the progress line, if one was shown,
	// so that the error starts a line of its own (not after an empty one).
	fail := func(err error) error {
		close(stop)
		if shown {
			fmt.Fprintln(os.Stderr)
		}
		return err
	}
	for {
		var r result
		select {
		case <-ctx.Done():
			err := f.Sync()
			if err == nil {
				err = fmt.Errorf("interrupted: %v: %d of %d classes are in %s; the same command resumes from there", d, len(done)+n, total, path)
			}
			return fail(err)
		case res, ok := <-results:
			if !ok {
				if shown {
					fmt.Fprintln(os.Stderr)
				}
				return f.Sync()
			}
			r = res
		}
		if r.err != nil {
			return fail(fmt.Errorf("%v class %v: %v", d, r.class, r.err))
		}
		if _, err := io.WriteString(f, indicator.CheckpointLine(r.class, r.raw)); err != nil {
			return fail(err)
		}
		n++
		if now := time.Now(); now.Sub(last) > 2*time.Second || n == len(todo) {
			last, shown = now, true
			rate := float64(n) / now.Sub(start).Seconds()
			eta := time.Duration(float64(len(todo)-n) / rate * float64(time.Second))
			fmt.Fprintf(os.Stderr, "\r%v: %d/%d classes, %.2f/s, ETA %s   ", d, len(done)+n, total, rate, eta.Round(time.Second))
		}
	}
}

// loadCalib decodes the embedded calibration images.
func loadCalib() (*indicator.Calib, error) {
	calib, err := indicator.DecodeCalib(assets.Calib)
	if err != nil {
		return nil, fmt.Errorf("embedded %s: %w", assets.CalibFile, err)
	}
	return calib, nil
}

// loadIndicators decodes the embedded benchmark and indicator tables.
func loadIndicators() (*tables.Tables, *scores.Table, error) {
	bt, err := loadTables()
	if err != nil {
		return nil, nil, err
	}
	tab, err := indicatorTable()
	if err != nil {
		return nil, nil, err
	}
	return bt, tab, nil
}

// computeResult is the JSON form of "indicators compute".
type computeResult struct {
	Arch          string  `json:"arch"`
	Index         int     `json:"index"`
	Dataset       string  `json:"dataset"`
	ConfigVersion string  `json:"config_version"`
	Seconds       float64 `json:"seconds"`
	scores.Report
}

func indicatorsCompute(args []string, stdout io.Writer) error {
	fs := newFlags("indicators compute", "--arch STR [--dataset D] [--config FILE] [--json]", stdout)
	archFlag := fs.String("arch", "", "architecture string |op~0|+|op~0|op~1|+|op~0|op~1|op~2|")
	var d tables.Dataset
	datasetVar(fs, &d)
	cfgPath := fs.String("config", "", "JSON configuration file (default: the table's configuration)")
	asJSON := fs.Bool("json", false, "print one JSON object")
	required := requireFlags(fs, "arch")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := required(); err != nil {
		return err
	}
	a, err := space.Parse(*archFlag)
	if err != nil {
		return err
	}
	cfg, calib, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	// Compute spreads the weight draws over the CPUs. A disconnected cell
	// builds no network (its indicators are the worst score): nothing to check.
	if a.Canonical().Connected() {
		if err := checkMemory(cfg, d, min(runtime.GOMAXPROCS(0), cfg.WeightDraws), "GOMAXPROCS=1 in the environment (one weight draw at a time)"); err != nil {
			return err
		}
	}
	bt, tab, err := loadIndicators()
	if err != nil {
		return err
	}
	start := time.Now()
	raw, err := indicator.Compute(cfg, calib, a, d)
	if err != nil {
		return err
	}
	res := computeResult{Arch: a.String(), Index: bt.Index(a), Dataset: d.String(), ConfigVersion: cfg.Version(),
		Seconds: time.Since(start).Seconds(), Report: scores.NewReport(raw, cfg, tab, d)}
	res.Scores[scores.Params] = float64(bt.ParamsM(d)[res.Index])
	res.Scores[scores.Flops] = float64(bt.FlopsM(d)[res.Index])
	if *asJSON {
		return writeJSON(stdout, res)
	}
	fmt.Fprintf(stdout, "%s  index %d  %s  config %s  %.3f s\n", res.Arch, res.Index, res.Dataset, res.ConfigVersion, res.Seconds)
	for _, name := range scores.AllNames() {
		if v, ok := res.Scores[name]; ok {
			text := fmt.Sprintf("%.8g", v)
			if v == scores.Worst {
				text = "worst"
			}
			fmt.Fprintf(stdout, "  %-7s %s\n", name, text)
		}
	}
	if len(res.Invalid) > 0 {
		fmt.Fprintf(stdout, "  worst score (disconnected, NaN or singular): %s\n", strings.Join(res.Invalid, ", "))
	}
	if res.Note != "" {
		fmt.Fprintln(stdout, "  "+res.Note)
	}
	return nil
}

func indicatorsExport(args []string, stdout io.Writer) error {
	fs := newFlags("indicators export", "[--dataset D] [--format csv]", stdout)
	var d tables.Dataset
	datasetVar(fs, &d)
	format := fs.String("format", "csv", "output format (csv)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !strings.EqualFold(*format, "csv") {
		return fmt.Errorf("--format %q, want csv", *format)
	}
	bt, tab, err := loadIndicators()
	if err != nil {
		return err
	}
	names := scores.AllNames()
	cols := make([][]float32, len(names))
	for k, n := range names {
		if cols[k], err = scores.Column(tab, bt, d, n); err != nil {
			return err
		}
	}
	w := csv.NewWriter(stdout)
	w.Write(append([]string{"index", "arch"}, names...))
	row := make([]string, 2+len(names))
	for i := 0; i < bt.Len(); i++ {
		row[0], row[1] = strconv.Itoa(i), bt.Arch(i).String()
		for k := range names {
			row[2+k] = "" // a worst value: undefined for this network
			if v := cols[k][i]; v != scores.Worst {
				row[2+k] = strconv.FormatFloat(float64(v), 'g', -1, 32)
			}
		}
		w.Write(row)
	}
	w.Flush()
	return w.Error()
}

func indicatorsFusions(args []string, stdout io.Writer) error {
	fs := newFlags("indicators fusions", "[--dataset D|all] [--splits 100] [--seed 7] [--json]", stdout)
	dsFlag := fs.String("dataset", "all", "cifar10, cifar100, imagenet16 or all")
	splits := fs.Int("splits", 100, "random fit splits of 200 networks per dataset")
	seed := fs.Uint64("seed", 7, "seed of the splits")
	asJSON := fs.Bool("json", false, "print a JSON list of {form, dataset, splits, spearman, sd, top1_valid_acc}")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *splits < 2 {
		return fmt.Errorf("--splits %d: want at least 2", *splits)
	}
	datasets, err := parseDatasets(*dsFlag)
	if err != nil {
		return err
	}
	bt, tab, err := loadIndicators()
	if err != nil {
		return err
	}
	var all []indicator.FusionScore
	for _, d := range datasets {
		res, err := indicator.CompareFusions(tab, bt, d, indicator.FusionForms(), *splits, *seed)
		if err != nil {
			return err
		}
		all = append(all, res...)
	}
	if *asJSON {
		return json.NewEncoder(stdout).Encode(all)
	}
	fmt.Fprintf(stdout, "Fusions of the table's raw indicators (config %s), fit on %d random splits of %d networks each, scored on validation accuracy of all other networks. fi is the quadratic form with a connected split.\n\n", tab.Config().Version(), *splits, indicator.FitSize)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "dataset\tform\tmean ρ\tsd\ttop 1 % valid acc")
	for _, r := range all {
		fmt.Fprintf(tw, "%s\t%s\t%.4f\t%.4f\t%.2f\n", r.Dataset, r.Form, r.Spearman, r.SD, r.Top1)
	}
	return tw.Flush()
}
