package main

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/nasplay/nasplay/engine/experiment"
	"github.com/nasplay/nasplay/engine/paper"
	"github.com/nasplay/nasplay/engine/search"
	"github.com/nasplay/nasplay/engine/tables"
)

func init() {
	register("reproduce", "reproduce the paper's Table 1 (indicators) or Table 2 (with vs without R_LAT) over many seeds", reproduceCmd)
}

func reproduceCmd(args []string, stdout io.Writer) error {
	fs := newFlags("reproduce", "--table 1|2 [--seeds 50] [--lr X] [--episodes E] [--samples-per-step K] [--indicators LIST] [--algo A] [--indicator I] [--alpha α] [--feasible F] [--objective O] [--plot FILE] [--workers N] [--json] [--json-out FILE] [--quiet]", stdout)
	table := fs.Int("table", 0, "which table: 1 (indicators × cells) or 2 (fi with and without R_LAT, at the paper's and the tuned settings)")
	seeds := fs.Int("seeds", 50, "seeds 0..N-1 per cell")
	// Table 2's rows at the paper's settings are the paper's by definition:
	// the three controller flags change its tuned rows only.
	lr := fs.Float64("lr", 0, "learning rate (default: the paper's 5e-4 for table 1, the tuned 5e-3 for table 2's tuned rows; table 2: sets the tuned rows only)")
	episodes := fs.Int("episodes", 0, "networks sampled per search (default 500; table 2: sets the tuned rows only)")
	k := fs.Int("samples-per-step", 0, "networks per controller update (default: the paper's 1 for table 1, the tuned 4 for table 2's tuned rows; table 2: sets the tuned rows only)")
	var indicators, indicator, algo string
	nameVar(fs, &indicators, "indicators", strings.Join(append(paper.Table1Indicators, "params"), ","), "table 1: comma-separated indicators (rows)")
	nameVar(fs, &indicator, "indicator", "fi", "table 2: the indicator compared with and without R_LAT")
	nameVar(fs, &algo, "algo", search.RL, "table 1: the search of the rows: rl (the paper's), score-only, random or evolution; oracle-score beside them stays rl on validation accuracy")
	alpha := fs.Float64("alpha", 0.9, "R_LAT's floor below the target")
	workers := fs.Int("workers", 0, "searches run in parallel (default: one per CPU)")
	asJSON := fs.Bool("json", false, "print a JSON list of rows")
	jsonOut := fs.String("json-out", "", "also write the JSON list of rows to this file")
	figure := fs.String("plot", "", "table 1: also draw accuracy vs latency (or energy) of the picks, per cell, into this PNG file")
	quiet := fs.Bool("quiet", false, "no progress bar on stderr")
	feasible := fs.Float64("feasible", 0, "instead of the paper's targets, use in each cell the smallest T (in 0.01 ms steps; energy: a thousandth of its range's decade) that this share of the networks meets, e.g. 0.12; the paper's numbers are then left out")
	var objective tables.Objective
	fs.TextVar(&objective, "objective", objective, "what the targets bound: latency (the paper's) or energy (grid: every dataset × edgegpu, eyeriss, fpga; needs --feasible)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	set := flagsSet(fs)
	if *table != 1 && *table != 2 {
		return fmt.Errorf("--table must be 1 or 2")
	}
	// Flags of the other table would be dropped without a word.
	only := map[int][]string{1: {"indicators", "algo", "plot"}, 2: {"indicator"}}
	for _, name := range only[3-*table] {
		if set[name] {
			return fmt.Errorf("--%s is for table %d, not table %d", name, 3-*table, *table)
		}
	}
	if *seeds < 1 || *seeds > maxSeeds {
		return fmt.Errorf("--seeds %d: want 1 to %d", *seeds, maxSeeds)
	}
	// The side files are written after the run: check now that they can be.
	for _, f := range []struct{ flag, path string }{{"plot", *figure}, {"json-out", *jsonOut}} {
		if f.path == "" {
			continue
		}
		if err := checkOutput(f.path); err != nil {
			return fmt.Errorf("--%s: %v", f.flag, err)
		}
	}
	if err := checkWorkers(workers); err != nil {
		return err
	}
	if set["feasible"] && !(*feasible > 0 && *feasible < 1) {
		return fmt.Errorf("--feasible %v: want a share strictly between 0 and 1 (leave it out for the paper's targets)", *feasible)
	}
	if objective == tables.Energy && *feasible == 0 {
		return fmt.Errorf("--objective energy needs --feasible (the paper has no energy targets)")
	}
	// --alpha, --lr, --episodes and --samples-per-step are checked by
	// search.Config.Validate before any search runs (flagError names them).
	override := func(s experiment.Settings) experiment.Settings {
		if set["lr"] {
			s.LR = *lr
		}
		if set["episodes"] {
			s.Episodes = *episodes
		}
		if set["samples-per-step"] {
			s.SamplesPerStep = *k
		}
		return s
	}
	t, err := loadTables()
	if err != nil {
		return err
	}
	switch {
	case !slices.Contains([]string{search.RL, search.ScoreOnly, search.Random, search.Evolution}, algo):
		return fmt.Errorf("--algo %q: want rl, score-only, random or evolution (oracle-score is the column the rows are compared with)", algo)
	}
	if err := controllerFlags(set, algo); err != nil {
		return err
	}
	indicatorFlag := "indicators" // the flag that names the rows' indicators
	if *table == 2 {
		indicatorFlag = "indicator"
	}
	spec := experiment.Spec{
		Tables: t, Seeds: *seeds, Alpha: *alpha, Workers: *workers, Feasible: *feasible, Algo: algo, Objective: objective,
		Scores: func(d tables.Dataset, name string) ([]float32, error) {
			s, err := indicatorScores(t, d, name)
			if err != nil {
				return nil, fmt.Errorf("--%s: %v", indicatorFlag, err)
			}
			return s, nil
		},
	}
	start := time.Now()
	if !*quiet {
		spec.Progress = progressBar(os.Stderr, start)
	}
	var rows []experiment.Row
	if *table == 1 {
		spec.Settings = override(experiment.PaperSettings())
		var names []string
		for _, n := range strings.Split(indicators, ",") {
			if n = strings.TrimSpace(n); n != "" {
				if slices.Contains(names, n) {
					return fmt.Errorf("--indicators names %s twice", n)
				}
				names = append(names, n)
			}
		}
		if len(names) == 0 {
			return fmt.Errorf("--indicators is empty")
		}
		rows, err = experiment.Table1(spec, names)
	} else {
		rows, err = experiment.Table2(spec, indicator, []experiment.Settings{
			experiment.PaperSettings(), override(experiment.TunedSettings())})
	}
	if err != nil {
		return flagError(err, set)
	}
	if !*quiet {
		fmt.Fprintf(os.Stderr, "\n%d searches in %.1f s\n", searchesIn(rows), time.Since(start).Seconds())
	}
	// The table first: a side file that fails to write loses nothing else.
	if err := printRows(stdout, rows, *table, *asJSON, *feasible, objective); err != nil {
		return err
	}
	if *figure != "" {
		if err := figureTable1(t, rows, *figure); err != nil {
			return fmt.Errorf("--plot: %v", err)
		}
	}
	if *jsonOut != "" {
		var b bytes.Buffer
		writeJSON(&b, rows) // a bytes.Buffer does not fail
		if err := writeFileAtomic(*jsonOut, b.Bytes()); err != nil {
			return fmt.Errorf("--json-out: %v", err)
		}
	}
	return nil
}

// maxSeeds bounds --seeds: 10,000 seeds of the whole Table 1 grid are days
// of CPU, and every search's result is held until the end.
const maxSeeds = 10000

// printRows writes the rows as JSON or as the table's markdown.
func printRows(stdout io.Writer, rows []experiment.Row, table int, asJSON bool, feasible float64, objective tables.Objective) error {
	if asJSON {
		return writeJSON(stdout, rows)
	}
	if feasible > 0 {
		step := "0.01 ms steps"
		if objective == tables.Energy {
			step = "steps of a thousandth of the energy range's decade"
		}
		fmt.Fprintf(stdout, "Targets that bind: in each cell the smallest %s T (%s) that %.4g%% of the networks meet, not the paper's.\n\n",
			objective, step, feasible*100)
	}
	if table == 1 {
		return markdownTable1(stdout, rows)
	}
	return markdownTable2(stdout, rows)
}

// searchesIn counts the searches behind the rows (oracle-score shared by a
// cell's rows counted once).
func searchesIn(rows []experiment.Row) int {
	n := 0
	cells := map[string]bool{}
	for _, r := range rows {
		settings := "" // Table 1's one
		if r.Paired != nil {
			settings = r.Settings
			n += r.Seeds // score-only
		}
		key := fmt.Sprint(settings, r.Dataset, r.Device)
		if !cells[key] {
			cells[key] = true
			n += r.Seeds // oracle-score
		}
		n += r.Seeds
	}
	return n
}

// progressBar draws "[=====     ] done/total  elapsed, ~left" on w, at most
// five times a second and at the end; the estimate of the time left
// assumes the remaining searches take as long as the finished ones.
func progressBar(w io.Writer, start time.Time) func(done, total int) {
	var last time.Time
	return func(done, total int) {
		if time.Since(last) < 200*time.Millisecond && done < total {
			return
		}
		last = time.Now()
		const width = 30
		filled := done * width / total
		elapsed := time.Since(start).Seconds()
		left := ""
		if done > 0 && done < total {
			left = fmt.Sprintf(", ~%.0f s left", elapsed*float64(total-done)/float64(done))
		}
		fmt.Fprintf(w, "\r[%s%s] %d/%d searches  %.0f s%s   ", strings.Repeat("=", filled), strings.Repeat(" ", width-filled),
			done, total, elapsed, left)
	}
}

// noNegZero is x, or 0 where x would print as −0.00: a regret of −0.001
// is none, not a negative one.
func noNegZero(x float64) float64 {
	if math.Abs(x) < 0.005 {
		return 0
	}
	return x
}

// percent is 100·p, nil for nil.
func percent(p *float64) *float64 {
	if p == nil {
		return nil
	}
	x := 100 * *p
	return &x
}

func opt(p *float64, format string) string {
	if p == nil {
		return "–"
	}
	return fmt.Sprintf(format, *p)
}

func markdownTable1(w io.Writer, rows []experiment.Row) error {
	if len(rows) == 0 {
		return nil
	}
	r0 := rows[0]
	controller := ""
	if search.UsesController(r0.Algo) {
		controller = fmt.Sprintf(", lr %g, %d network(s) per update", r0.LR, r0.SamplesPerStep)
	}
	o, u := objectiveOf(r0)
	fmt.Fprintf(w, "Table 1 — %s search, %d seeds, %d episodes, α %g%s. Test accuracy %% (mean ± sample std) / %s %s of the picks.\n\n",
		r0.Algo, r0.Seeds, r0.Episodes, r0.Alpha, controller, o, u)
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.Debug)
	fmt.Fprintf(tw, "| dataset\t device\t T (%s)\t indicator\t ours acc\t ours %s\t meets T\t pick's rank\t best by score\t paper acc / lat\t oracle-score\t oracle\t regret vs oracle-score\t\n", u, o)
	fmt.Fprintln(tw, "|---\t---\t---\t---\t---\t---\t---\t---\t---\t---\t---\t---\t---\t")
	matched, compared, withPaper := 0, 0, 0
	for _, r := range rows {
		paper := "–"
		if r.PaperTestAcc != nil {
			paper = fmt.Sprintf("%.2f / %.2f", *r.PaperTestAcc, *r.PaperLatencyMs)
			withPaper++
			if r.PaperSetting {
				compared++
				if r.MeanTestAcc >= *r.PaperTestAcc {
					matched++
				}
			}
		}
		fmt.Fprintf(tw, "| %s\t %s\t %g\t %s\t %.2f ± %s\t %.2f\t %.0f%%\t %s\t %.2f\t %s\t %.2f\t %.2f\t %.2f\t\n",
			r.Dataset, r.Device, r.Target(), r.Indicator, r.MeanTestAcc, opt(r.StdTestAcc, "%.2f"), r.MeanCost(),
			100*r.FeasibleRate, opt(r.MeanScoreRank, "%.1f"), r.ScoreBestTestAcc, paper, r.OracleScoreTestAcc, r.OracleTestAcc, noNegZero(r.RegretOracleScore))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\npick's rank: where the picks stand on average among all networks that meet T in the indicator's order (1 = its own best). best by score: test accuracy of that best, the pick of a search that saw every network.")
	if compared > 0 {
		fmt.Fprintf(w, "\nRows where our mean test accuracy matches or beats the paper's: %d of %d.\n", matched, compared)
	} else if withPaper > 0 {
		ps := experiment.PaperSettings()
		fmt.Fprintf(w, "\nThe paper's numbers are for %s at α %g, lr %g, %d episodes of %d network(s) per update; this run's setting differs, so they are a reference, not compared.\n",
			search.RL, search.DefaultConfig().Alpha, ps.LR, ps.Episodes, ps.SamplesPerStep)
	}
	checkTable1(w, rows)
	return nil
}

// checkTable1 prints the checks of Table 1: fi against params in
// every cell, fi's regret to oracle-score per dataset, and mean latency (or
// energy) ≤ T.
func checkTable1(w io.Writer, rows []experiment.Row) {
	acc := map[string]float64{} // indicator/dataset/device → mean test accuracy
	regret, bestRegret := map[string][]float64{}, map[string][]float64{}
	var datasets []string
	over := 0
	for _, r := range rows {
		acc[r.Indicator+"/"+r.Dataset+"/"+r.Device] = r.MeanTestAcc
		if r.Indicator == "fi" {
			if _, ok := regret[r.Dataset]; !ok {
				datasets = append(datasets, r.Dataset)
			}
			regret[r.Dataset] = append(regret[r.Dataset], r.RegretOracleScore)
			bestRegret[r.Dataset] = append(bestRegret[r.Dataset], r.OracleScoreTestAcc-r.ScoreBestTestAcc)
		}
		if r.MeanCost() > r.Target() {
			over++
			o, u := objectiveOf(r)
			fmt.Fprintf(w, "Mean %s above T: %s on %s %s (%.2f > %g %s).\n", o, r.Indicator, r.Dataset, r.Device, r.MeanCost(), r.Target(), u)
		}
	}
	if over == 0 && len(rows) > 0 {
		o, _ := objectiveOf(rows[0])
		fmt.Fprintf(w, "Mean %s of the picks ≤ T in every row.\n", o)
	}
	beats, cells := 0, 0
	for key, a := range acc {
		if rest, ok := strings.CutPrefix(key, "fi/"); ok {
			if p, ok := acc["params/"+rest]; ok {
				cells++
				if a > p {
					beats++
				}
			}
		}
	}
	if cells > 0 {
		fmt.Fprintf(w, "fi beats params in %d of %d cells.\n", beats, cells)
	}
	for _, d := range datasets {
		fmt.Fprintf(w, "Mean regret of fi to oracle-score on %s: %.2f points (fi's own best network under T: %.2f).\n", d, mean(regret[d]), mean(bestRegret[d]))
	}
}

func markdownTable2(w io.Writer, rows []experiment.Row) error {
	if len(rows) == 0 {
		return nil
	}
	fmt.Fprintf(w, "Table 2 — %s with R_LAT (rl) and without (score-only), same seeds (%d), α %g. Test accuracy %% of the picks (mean ± sample std) and the share that meets T; difference rl − score-only with its 95%% interval.\n\n",
		rows[0].Indicator, rows[0].Seeds, rows[0].Alpha)
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', tabwriter.Debug)
	_, u := objectiveOf(rows[0])
	fmt.Fprintf(tw, "| settings\t dataset\t device\t T (%s)\t score-only\t meets T\t rl\t meets T\t rl − score-only [95%% CI]\t paper without → with\t oracle-score\t oracle\t\n", u)
	fmt.Fprintln(tw, "|---\t---\t---\t---\t---\t---\t---\t---\t---\t---\t---\t---\t")
	above, cells := map[string]int{}, map[string]int{}
	var order []string
	for _, r := range rows {
		if cells[r.Settings] == 0 {
			order = append(order, r.Settings)
		}
		cells[r.Settings]++
		if r.CILow != nil && *r.CILow > 0 {
			above[r.Settings]++
		}
		paper := "–"
		if r.PaperTestAcc != nil {
			paper = fmt.Sprintf("%.2f → %.2f", *r.PaperScoreOnlyTestAcc, *r.PaperTestAcc)
		}
		fmt.Fprintf(tw, "| %s (lr %g, K %d, %d ep.)\t %s\t %s\t %g\t %s ± %s\t %s\t %.2f ± %s\t %.0f%%\t %s [%s, %s]\t %s\t %.2f\t %.2f\t\n",
			r.Settings, r.LR, r.SamplesPerStep, r.Episodes, r.Dataset, r.Device, r.Target(),
			opt(r.ScoreOnlyMeanTestAcc, "%.2f"), opt(r.ScoreOnlyStdTestAcc, "%.2f"), opt(percent(r.ScoreOnlyFeasibleRate), "%.0f%%"),
			r.MeanTestAcc, opt(r.StdTestAcc, "%.2f"), 100*r.FeasibleRate,
			opt(r.DiffMean, "%+.2f"), opt(r.CILow, "%+.2f"), opt(r.CIHigh, "%+.2f"),
			paper, r.OracleScoreTestAcc, r.OracleTestAcc)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if rows[0].Seeds < 2 {
		fmt.Fprintln(w, "One seed gives no interval: run --seeds 2 or more.")
		return nil
	}
	for _, s := range order {
		fmt.Fprintf(w, "%s settings: R_LAT beats score-only with the 95%% interval above zero in %d of %d cells.\n", s, above[s], cells[s])
	}
	return nil
}

// figureTable1 draws one panel per cell of the rows (datasets down, devices
// across): every network's latency (or energy) and test accuracy in grey,
// the Pareto front, the target T, the oracle, and each indicator's mean
// pick (mean cost, mean test accuracy over the seeds), as a PNG.
func figureTable1(t *tables.Tables, rows []experiment.Row, path string) error {
	var cells []experiment.Cell
	var names []string
	for _, r := range rows {
		d, _ := tables.ParseDataset(r.Dataset)
		v, _ := tables.ParseDevice(r.Device)
		if c := (experiment.Cell{Dataset: d, Device: v, Target: r.Target()}); !slices.Contains(cells, c) {
			cells = append(cells, c)
		}
		if !slices.Contains(names, r.Indicator) {
			names = append(names, r.Indicator)
		}
	}
	const cols = 3
	grid := make([][]*plot.Plot, (len(cells)+cols-1)/cols)
	o, u := objectiveOf(rows[0])
	for k, c := range cells {
		p := plot.New()
		p.Title.Text = fmt.Sprintf("%s, %s, T = %g %s", c.Dataset, c.Device, c.Target, u)
		p.X.Label.Text = fmt.Sprintf("%s (%s)", o, u)
		p.Y.Label.Text = "test accuracy (%)"
		acc, cost := t.TestAccs(c.Dataset), t.Costs(c.Dataset, c.Device, o)
		orc := tables.Best(cost, c.Target, acc)
		top := float64(acc[orc.Index])
		lo, hi := top-10, top+1
		var all plotter.XYs
		for i := range acc {
			if a := float64(acc[i]); a >= lo && !math.IsNaN(float64(cost[i])) && float64(cost[i]) <= 2*c.Target {
				all = append(all, plotter.XY{X: float64(cost[i]), Y: a})
			}
		}
		bg, err := plotter.NewScatter(all)
		if err != nil {
			return err
		}
		bg.GlyphStyle.Color = color.Gray{Y: 200}
		bg.GlyphStyle.Radius = vg.Points(0.8)
		var front plotter.XYs
		for _, i := range tables.Front(acc, cost) {
			if float64(acc[i]) >= lo && float64(cost[i]) <= 2*c.Target {
				front = append(front, plotter.XY{X: float64(cost[i]), Y: float64(acc[i])})
			}
		}
		fl, err := plotter.NewLine(front)
		if err != nil {
			return err
		}
		fl.Color = color.Gray{Y: 90}
		fl.StepStyle = plotter.PostStep // the best accuracy at a cost holds until the next front network's cost
		tl, err := plotter.NewLine(plotter.XYs{{X: c.Target, Y: lo}, {X: c.Target, Y: hi}})
		if err != nil {
			return err
		}
		tl.Color, tl.Dashes = color.RGBA{R: 200, A: 255}, []vg.Length{vg.Points(3), vg.Points(3)}
		p.Add(bg, fl, tl)
		or, err := plotter.NewScatter(plotter.XYs{{X: float64(cost[orc.Index]), Y: top}})
		if err != nil {
			return err
		}
		or.GlyphStyle.Shape, or.GlyphStyle.Radius = draw.CrossGlyph{}, vg.Points(4)
		p.Add(or)
		if k == 0 {
			p.Legend.Add("oracle", or)
			p.Legend.Add("Pareto front", fl)
		}
		for n, name := range names {
			for _, r := range rows {
				if r.Indicator != name || r.Dataset != c.Dataset.String() || r.Device != c.Device.String() {
					continue
				}
				s, err := plotter.NewScatter(plotter.XYs{{X: r.MeanCost(), Y: r.MeanTestAcc}})
				if err != nil {
					return err
				}
				s.GlyphStyle.Color = plotutil.Color(n)
				s.GlyphStyle.Shape = plotutil.Shape(n)
				s.GlyphStyle.Radius = vg.Points(3.5)
				p.Add(s)
				if k == 0 {
					p.Legend.Add(name, s)
				}
			}
		}
		p.Y.Min, p.Y.Max = lo, hi
		p.X.Min, p.X.Max = 0, 2*c.Target
		p.Legend.Top, p.Legend.Left = false, false
		grid[k/cols] = append(grid[k/cols], p)
	}
	img := vgimg.New(vg.Points(1200), vg.Points(1000))
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: len(grid), Cols: cols, PadX: vg.Points(12), PadY: vg.Points(12),
		PadTop: vg.Points(6), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(6)}
	canvases := plot.Align(grid, tiles, dc)
	for j := range grid {
		for i := range grid[j] {
			grid[j][i].Draw(canvases[j][i])
		}
	}
	var b bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&b); err != nil {
		return err
	}
	return writeFileAtomic(path, b.Bytes())
}

// objectiveOf is a row's objective and its unit.
func objectiveOf(r experiment.Row) (tables.Objective, string) {
	o, err := tables.ParseObjective(r.Objective)
	if err != nil {
		o = tables.Latency
	}
	return o, o.Unit()
}
