package browsertest

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/nasplay/nasplay/assets"
	"github.com/nasplay/nasplay/engine/indicator"
	"github.com/nasplay/nasplay/engine/reward"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

// wasmTolerance is engine/indicator's documented relative difference
// between native values and WebAssembly ones (gonum's eigensolver sums in
// another order without its assembly kernels); counts must match exactly.
const wasmTolerance = 1e-4

// agree compares a value computed in the page with a native one.
func agree(name string, page, native float64) bool {
	p, n := float32(page), float32(native)
	if name == "cj" || name == "nlr" || n == scores.Worst {
		return p == n
	}
	return math.Abs(float64(p-n)) <= wasmTolerance*math.Abs(float64(n))
}

// nativeRaw computes a network's raw indicators natively at cfg.
func nativeRaw(t *testing.T, cfg scores.Config, a space.Arch, d tables.Dataset) map[string]float64 {
	t.Helper()
	calib, err := indicator.DecodeCalib(assets.Calib)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := indicator.Compute(cfg, calib, a, d)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for k, name := range scores.Names()[:scores.NumRaw] {
		out[name] = raw.Values[k]
	}
	return out
}

// labLive reads the live column of the lab's indicator table.
func (p *page) labLive() map[string]float64 {
	p.t.Helper()
	return eval[map[string]float64](p, `Object.fromEntries([...document.querySelectorAll('#net-ind tbody tr')].filter(r => r.querySelector('[data-k=live]').dataset.value !== undefined).map(r => [r.dataset.indicator, Number(r.querySelector('[data-k=live]').dataset.value)]))`)
}

func checkLive(t *testing.T, what string, page, native map[string]float64) {
	t.Helper()
	for name, want := range native {
		got, ok := page[name]
		if !ok {
			t.Errorf("%s: the page shows no live %s", what, name)
			continue
		}
		if !agree(name, got, want) {
			t.Errorf("%s: live %s = %v in the page, %v natively", what, name, got, want)
		}
	}
}

// openLab opens the indicator lab on CIFAR-10 and waits until it is ready.
func openLab(t *testing.T) *page {
	p := newPage(t)
	p.run(chromedp.Steps(
		chromedp.Navigate(siteURL+"/lab.html?ind=params&ds=cifar10"),
		chromedp.WaitReady(`body[data-ready="1"], body[data-failed="1"]`),
	))
	p.ready()
	return p
}

// TestLab opens the indicator lab on the #params baseline, checks its
// correlations against the engine, clicks the most accurate CIFAR-10
// network's dot and checks the network's numbers and its live indicators
// (computed in a Web Worker) against a native computation; then changes the
// batch size with the keyboard and sees the live values move to the native
// values at the new configuration.
func TestLab(t *testing.T) {
	p := openLab(t)
	t.Logf("MEASURED lab ready: %.0f ms", eval[float64](p, `window.nasplayLab.readyMs`))

	d := tables.CIFAR10
	params := tab.ParamsM(d)
	acc := tab.TestAccs(d)
	x, y := make([]float64, len(params)), make([]float64, len(params))
	for i := range params {
		x[i], y[i] = float64(params[i]), float64(acc[i])
	}
	p.run(chromedp.WaitReady(`#corr tr.chosen`))
	corr := eval[[]map[string]any](p, `window.nasplayLab.shownCorr`)
	if want := indicator.Spearman(x, y); math.Abs(corr[0]["spearman"].(float64)-want) > 1e-12 {
		t.Errorf("lab Spearman of params %v, engine %v", corr[0]["spearman"], want)
	}
	if want := indicator.Kendall(x, y); math.Abs(corr[0]["kendall"].(float64)-want) > 1e-12 {
		t.Errorf("lab Kendall of params %v, engine %v", corr[0]["kendall"], want)
	}

	// Click the dot of the most accurate network where the page draws it.
	best := 0
	for i, v := range acc {
		if v > acc[best] {
			best = i
		}
	}
	ranked, err := reward.Rank(params)
	if err != nil {
		t.Fatal(err)
	}
	box := eval[[]float64](p, `(() => { const r = document.getElementById('lab-scatter').getBoundingClientRect(); return [r.left, r.top]; })()`)
	yr := eval[[]float64](p, `window.nasplayLab.yr`)
	px := 54 + ranked.Norm[best]*(628-54)
	py := 396 - (float64(acc[best])-yr[0])/(yr[1]-yr[0])*(396-14)
	p.run(chromedp.MouseClickXY(box[0]+px, box[1]+py))
	p.run(chromedp.WaitReady(`body[data-live="1"]`))
	sel := eval[int](p, `window.nasplayLab.selected`)
	if sel != best {
		t.Fatalf("clicked the dot of #%d, the lab selected #%d", best, sel)
	}
	a := tab.Arch(best)
	if got := p.text("#net-arch"); got != a.String() {
		t.Errorf("lab shows arch %q for #%d, tables say %q", got, best, a)
	}
	bench := eval[map[string]string](p, `Object.fromEntries([...document.querySelectorAll('#net-bench tr')].map(r => [r.cells[0].textContent, r.cells[1].textContent]))`)
	// Printed as the search page and the CLI print benchmark values: the
	// shortest float32 decimal.
	if got, want := bench["Test accuracy (%)"], strconv.FormatFloat(float64(acc[best]), 'g', -1, 32); got != want {
		t.Errorf("lab test accuracy %q, tables %q", got, want)
	}
	if got, want := bench["Energy on Edge GPU (Jetson TX2) (mJ)"], float64(tab.Energies(d, tables.EdgeGPU)[best]); math.Abs(mustFloat(t, got)-want) > 1e-5*want {
		t.Errorf("lab Edge GPU energy %q, tables %v", got, want)
	}
	if _, ok := bench["Energy on Raspberry Pi 4 (mJ)"]; ok {
		t.Error("the lab shows an energy for the Raspberry Pi 4, which has none")
	}
	checkLive(t, fmt.Sprintf("#%d default configuration", best), p.labLive(), nativeRaw(t, scores.Default(), a, d))
	// The table's values as the lab shows them, and its verdict that the
	// live values agree with them.
	it, err := scores.DecodeTable(assets.Indicators)
	if err != nil {
		t.Fatal(err)
	}
	type cell struct {
		Table   float64 `json:"table"`
		Verdict string  `json:"verdict"`
	}
	shown := eval[map[string]cell](p, `Object.fromEntries([...document.querySelectorAll('#net-ind tbody tr')].map(r => [r.dataset.indicator, {table: Number(r.querySelector('[data-k=table]').dataset.value), verdict: r.querySelector('[data-k=live]').className}]))`)
	for _, name := range scores.Names() {
		col, err := scores.Column(it, tab, d, name)
		if err != nil {
			t.Fatal(err)
		}
		if got := shown[name]; got.Table != float64(col[best]) || got.Verdict != "match" {
			t.Errorf("lab %s of #%d: shows table value %v, verdict %q; the table has %v and live agrees", name, best, got.Table, got.Verdict, col[best])
		}
	}

	// A knob, by keyboard: batch 32 → 31 with ArrowDown.
	before := p.labLive()
	p.run(chromedp.Steps(chromedp.Focus("#k-batch"), chromedp.KeyEvent(kb.ArrowDown)))
	cfg := scores.Default()
	cfg.Batch--
	p.run(chromedp.WaitReady(`body[data-live="1"] #net-ind td.moved`))
	after := p.labLive()
	checkLive(t, fmt.Sprintf("#%d batch %d", best, cfg.Batch), after, nativeRaw(t, cfg, a, d))
	if after["cnntk"] == before["cnntk"] {
		t.Errorf("changing the batch size left cnntk at %v", after["cnntk"])
	}
	t.Logf("lab #%d live: %v; at batch %d: %v", best, before, cfg.Batch, after)
	checkExplain(t, p, "#k-batch", "Batch size")

	// The keyboard walks the ranks: ArrowLeft on the scatter selects the
	// network ranked just below by the indicator (ties in index order).
	order := make([]int, len(params))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		na, nb := ranked.Norm[order[a]], ranked.Norm[order[b]]
		return na < nb || na == nb && order[a] < order[b]
	})
	below := order[slices.Index(order, best)-1]
	p.run(chromedp.Steps(chromedp.Focus("#lab-scatter"), chromedp.KeyEvent(kb.ArrowLeft)))
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](fmt.Sprintf(`document.getElementById('net-arch').textContent === %q`, tab.Arch(below).String()))); err != nil {
		t.Errorf("ArrowLeft from #%d: the lab shows %q, want #%d %s (%v)", best, p.text("#net-arch"), below, tab.Arch(below), err)
	}
	p.screenshot("lab.png", chromedp.FullScreenshot(100))
	if len(p.errors()) > 0 {
		t.Errorf("JavaScript errors: %v", p.errors())
	}
}

// heapMB is the page's used JavaScript heap after a full garbage collection.
func (p *page) heapMB() float64 {
	p.t.Helper()
	if _, err := chromedp.Call(p.ctx, heapprofiler.CollectGarbage, cdp.Empty{}); err != nil {
		p.t.Fatal(err)
	}
	h, err := chromedp.Call(p.ctx, cdpruntime.GetHeapUsage, cdp.Empty{})
	if err != nil {
		p.t.Fatal(err)
	}
	return h.UsedSize / 1e6
}

// runDemo opens the page with #demo and lets it loop for d after its first
// search: no run may fail, the demo must move on to the next setting, and
// the JavaScript heap must not grow (measured after a garbage collection,
// at the end of the first search and at the end).
func runDemo(t *testing.T, query string, d time.Duration) {
	p := openTabFor(t, d+3*time.Minute)
	// A common projector: the demo must fit its height, charts included.
	p.run(chromedp.EmulateViewport(1280, 800))
	p.run(chromedp.Steps(
		chromedp.Navigate(siteURL+"/"+query+"#demo"),
		chromedp.WaitReady(`body[data-ready="1"], body[data-failed="1"]`),
	))
	p.ready()
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](`window.nasplayDemo && window.nasplayDemo.runs >= 1`, chromedp.WithPollingInterval(500*time.Millisecond), chromedp.WithPollingTimeout(5*time.Minute))); err != nil {
		t.Fatalf("no demo search finished: %v (page errors: %v; demo %v; status %q)", err, p.errors(), eval[map[string]any](p, `window.nasplayDemo`), p.text("#run-status"))
	}
	heap0 := p.heapMB()
	const wasmMB = `document.getElementById('cell').contentWindow.nasplayWasmBytes() / 1048576`
	wasm0 := eval[float64](p, wasmMB)
	start := time.Now()
	firstDev := p.value("device")
	if fs := eval[float64](p, `parseFloat(getComputedStyle(document.body).fontSize)`); fs < 19 {
		t.Errorf("demo type is %.0f px, want large (≥ 19 px)", fs)
	}
	if fit := eval[[]float64](p, `[document.getElementById('scatter-panel').getBoundingClientRect().bottom, innerHeight, window.nasplayDemo.zoom]`); fit[0] > fit[1] {
		t.Errorf("the demo's charts end at y = %g, below the 1280×800 screen (zoom %g)", fit[0], fit[2])
	}
	// The first search's "Searching" banner and its "Found" banner: one zoom,
	// so the screen does not jump between the phases.
	if z := eval[[]float64](p, `[window.nasplayDemo.zooms[0], window.nasplayDemo.zoom]`); z[0] != z[1] {
		t.Errorf("demo zoom %g while searching, %g once found", z[0], z[1])
	}
	p.screenshot("demo-1280.png", chromedp.FullScreenshot(100))
	for time.Since(start) < d {
		time.Sleep(5 * time.Second)
		if errs := eval[[]string](p, `window.nasplayDemo.errors`); len(errs) > 0 {
			t.Fatalf("demo errors after %s: %v", time.Since(start).Round(time.Second), errs)
		}
		if errs := p.errors(); len(errs) > 0 {
			t.Fatalf("JavaScript errors after %s: %v", time.Since(start).Round(time.Second), errs)
		}
	}
	runs := eval[int](p, `window.nasplayDemo.runs`)
	heap1 := p.heapMB()
	wasm1 := eval[float64](p, wasmMB)
	t.Logf("MEASURED demo mode: %d searches (the last took %.1f s), %s after the first; JS heap after GC %.2f MB after the first search, %.2f MB at the end; the Go heap (wasm memory, which never shrinks) %.1f MB, then %.1f MB",
		runs, eval[float64](p, `window.nasplayDemo.lastRunMs`)/1000, time.Since(start).Round(time.Second), heap0, heap1, wasm0, wasm1)
	// Go's wasm memory grows in steps and is never given back: a leak shows
	// as growth run after run (the soak's 10 minutes are ~30 searches).
	if wasm1 > wasm0*1.5+16 {
		t.Errorf("wasm memory grew from %.1f MB to %.1f MB", wasm0, wasm1)
	}
	if p.value("device") == firstDev && runs < 12 {
		t.Errorf("the demo stayed on device %s", firstDev)
	}
	if heap1 > heap0*1.25+1 {
		t.Errorf("JS heap grew from %.2f MB to %.2f MB", heap0, heap1)
	}
	// On a phone the whole demo is scaled into the screen, not cut off.
	p.run(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3)))
	p.run(chromedp.Sleep(500 * time.Millisecond))
	if fit := eval[[]float64](p, `(() => { const r = document.getElementById('reward-panel').getBoundingClientRect(); return [r.right, r.bottom, innerWidth, innerHeight, document.documentElement.scrollWidth]; })()`); fit[0] > fit[2] || fit[1] > fit[3] || fit[4] > fit[2] {
		t.Errorf("demo on a 390×844 phone: the reward chart ends at (%g, %g), the page is %g px wide", fit[0], fit[1], fit[4])
	}
	p.screenshot("demo-phone.png", chromedp.FullScreenshot(100))
}

// TestDemoShort runs the demo at the fastest pace until 15 s after its
// first search, when it has moved on to the next device.
func TestDemoShort(t *testing.T) { runDemo(t, "?speed=5", 15*time.Second) }

// TestDemoSoak is the ten-minute demo run, at the fastest pace so that it
// loops over many settings; it is too long for every test run, so it runs
// only with NASPLAY_SOAK=1.
func TestDemoSoak(t *testing.T) {
	if os.Getenv("NASPLAY_SOAK") != "1" {
		t.Skip("set NASPLAY_SOAK=1 for the ten-minute demo run")
	}
	runDemo(t, "?speed=5", 10*time.Minute)
}

// TestLiveThroughput computes the same networks' indicators in the page
// with one worker and with one per core, checks every value against the
// native engine, and reports the time per network against the native time
// of the same computation (one evaluator, then each network in turn).
func TestLiveThroughput(t *testing.T) {
	p := openLab(t)
	// Distinct connected classes, spread over the benchmark.
	var archs []string
	seen := map[space.Arch]bool{}
	for i := 0; len(archs) < 8; i += 1931 {
		a := tab.Arch(i % tab.Len())
		if c := a.Canonical(); a.Connected() && !seen[c] {
			seen[c] = true
			archs = append(archs, a.String())
		}
	}
	d := tables.CIFAR10

	calib, err := indicator.DecodeCalib(assets.Calib)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ev, err := indicator.NewEvaluator(scores.Default(), calib, d)
	if err != nil {
		t.Fatal(err)
	}
	native := make([]map[string]float64, len(archs))
	for k, s := range archs {
		raw, err := ev.Evaluate(mustArch(t, s))
		if err != nil {
			t.Fatal(err)
		}
		native[k] = map[string]float64{}
		for j, name := range scores.Names()[:scores.NumRaw] {
			native[k][name] = raw.Values[j]
		}
	}
	nativeMs := float64(time.Since(start).Microseconds()) / 1e3 / float64(len(archs))

	type run struct {
		Ms      float64              `json:"ms"`
		Size    int                  `json:"size"`
		StartMs float64              `json:"startMs"`
		Scores  []map[string]float64 `json:"scores"`
	}
	measure := func(workers int) run {
		js := fmt.Sprintf(`(async (archs) => {
			const p = new NasplayLive.LivePool({workers: %d});
			await p.start();
			const t0 = performance.now();
			const rs = await Promise.all(archs.map((a) => p.compute(a, 'cifar10')));
			const ms = performance.now() - t0;
			p.terminate();
			return {ms, size: p.size, startMs: p.startMs, scores: rs.map((r) => r.scores)};
		})(%s)`, workers, mustJSON(t, archs))
		r, err := chromedp.Run(p.ctx, chromedp.Evaluate[run](js, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("live pool of %d workers: %v (page errors: %v)", workers, err, p.errors())
		}
		for k, s := range r.Scores {
			checkLive(t, fmt.Sprintf("%s with %d workers", archs[k], r.Size), s, native[k])
		}
		return r
	}
	one := measure(1)
	all := measure(0) // one per core
	perOne, perAll := one.Ms/float64(len(archs)), all.Ms/float64(len(archs))
	t.Logf("MEASURED live indicators, %d CIFAR-10 networks at the default configuration: native %.0f ms/network; page, 1 worker %.0f ms/network (%.1f× native); page, %d workers %.0f ms/network (%.1f× native, %.2f× faster than 1 worker); pool start %.0f ms (1 worker), %.0f ms (%d workers)",
		len(archs), nativeMs, perOne, perOne/nativeMs, all.Size, perAll, perAll/nativeMs, perOne/perAll, one.StartMs, all.StartMs, all.Size)
	if len(p.errors()) > 0 {
		t.Errorf("JavaScript errors: %v", p.errors())
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkExplain opens a control's explanation from the keyboard ("?" in the
// control), checks its title and its four parts, and closes it with Escape,
// which must return the focus to the control.
func checkExplain(t *testing.T, p *page, control, title string) {
	t.Helper()
	p.run(chromedp.Steps(chromedp.Focus(control), chromedp.KeyEvent("?")))
	pop := eval[map[string]any](p, `(() => { const e = document.getElementById('explain-pop'); return {hidden: e.hidden, title: e.querySelector('h3').textContent, parts: e.querySelectorAll('dd').length, focused: document.activeElement === e}; })()`)
	if pop["hidden"] != false || pop["title"] != title || pop["parts"] != 4.0 || pop["focused"] != true {
		t.Errorf("explanation of %s: %v, want visible and focused, title %q, 4 parts", control, pop, title)
	}
	p.run(chromedp.KeyEvent(kb.Escape))
	if got := eval[string](p, `document.getElementById('explain-pop').hidden + ' ' + document.activeElement.id`); got != "true "+strings.TrimPrefix(control, "#") {
		t.Errorf("after Escape: hidden and focus = %q, want the note closed and the focus back on %s", got, control)
	}
}

// The lab's "every indicator" table answers a student's "which one is
// good?" at a glance: opened, it lists every indicator of the table and the
// two baselines with ρ and τ equal to the engine's, best first, the chosen
// one in bold; another dataset refills it.
func TestLabAllCorrelations(t *testing.T) {
	p := openTabFor(t, 2*time.Minute)
	p.open(siteURL+"/lab.html", "ind=nlr&ds=imagenet16")
	p.ready()
	it, err := scores.DecodeTable(assets.Indicators)
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ Name, Rho, Tau string }
	rows := func(ds string) []row {
		p.poll(`() => document.querySelector('#all-corr tbody').dataset.ds === '` + ds + `'`)
		return eval[[]row](p, `[...document.querySelectorAll('#all-corr tbody tr')].map(r => ({Name: r.cells[0].textContent.split(' ')[0] + (r.classList.contains('chosen') ? '*' : ''), Rho: r.cells[1].textContent, Tau: r.cells[2].textContent}))`)
	}
	p.run(chromedp.Click(`#all-corr summary`))
	for _, c := range []struct {
		d    tables.Dataset
		name string
	}{{tables.ImageNet16, "imagenet16"}, {tables.CIFAR10, "cifar10"}} {
		if c.name == "cifar10" {
			p.run(chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById('lab-dataset'); s.value = 'cifar10'; s.dispatchEvent(new Event('change')); })()`))
		}
		got := rows(c.name)
		if len(got) != len(scores.AllNames()) {
			t.Fatalf("%s: %d rows, want every indicator: %v", c.name, len(got), got)
		}
		acc := tab.TestAccs(c.d)
		y := make([]float64, len(acc))
		for i, v := range acc {
			y[i] = float64(v)
		}
		prev := 2.0
		for _, r := range got {
			name := strings.TrimSuffix(r.Name, "*")
			if (name == "nlr") != strings.HasSuffix(r.Name, "*") {
				t.Errorf("%s: row %s bold %v; only the chosen nlr is", c.name, name, strings.HasSuffix(r.Name, "*"))
			}
			col, err := scores.Column(it, tab, c.d, name)
			if err != nil {
				t.Fatal(err)
			}
			x := make([]float64, len(col))
			for i, v := range col {
				x[i] = float64(v)
			}
			rho := indicator.Spearman(x, y)
			if want := fmt.Sprintf("%.3f", rho); r.Rho != want || r.Tau != fmt.Sprintf("%.3f", indicator.Kendall(x, y)) {
				t.Errorf("%s %s: ρ %s τ %s, engine ρ %s τ %.3f", c.name, name, r.Rho, r.Tau, want, indicator.Kendall(x, y))
			}
			if rho > prev {
				t.Errorf("%s: %s (ρ %.3f) after a lower ρ %.3f: not best first", c.name, name, rho, prev)
			}
			prev = rho
		}
		t.Logf("%s: %v", c.name, got)
	}
	p.screenshot("lab-all-corr.png", chromedp.Screenshot(`#all-corr`))
}

// A dataset chosen again while the "every indicator" table fills for
// another one gets its own rows back: the table does not end up with the
// other dataset's correlations under the dataset shown.
func TestLabAllCorrelationsDatasetBack(t *testing.T) {
	p := openTabFor(t, 2*time.Minute)
	p.open(siteURL+"/lab.html", "ind=nlr&ds=cifar10")
	p.ready()
	p.run(chromedp.Click(`#all-corr summary`))
	p.poll(`() => document.querySelector('#all-corr tbody').dataset.ds === 'cifar10'`)
	rows := `[...document.querySelectorAll('#all-corr tbody tr')].map(r => r.textContent).join('|')`
	before := eval[string](p, rows)
	pick := func(ds string) string {
		return `(() => { const s = document.getElementById('lab-dataset'); s.value = '` + ds + `'; s.dispatchEvent(new Event('change')); })()`
	}
	seq := eval[int](p, `nasplayLab.allSeq`)
	p.run(chromedp.Evaluate[chromedp.Void](pick("cifar100")))
	p.poll(fmt.Sprintf(`() => nasplayLab.allSeq > %d`, seq)) // cifar100's fill has begun
	p.run(chromedp.Evaluate[chromedp.Void](pick("cifar10")))
	// Settled: every correlation asked for has come, and nothing asked more.
	p.run(chromedp.Evaluate[chromedp.Void](`window.settled = false; (async () => { let n = -1; while (n !== nasplayLab.corr.size) { n = nasplayLab.corr.size; await Promise.all([...nasplayLab.corr.values()]); await new Promise((r) => setTimeout(r, 500)); } window.settled = true; })()`))
	p.poll(`() => window.settled`)
	if ds := eval[string](p, `document.querySelector('#all-corr tbody').dataset.ds || ''`); ds != "cifar10" {
		t.Errorf("the table is for %q with cifar10 chosen", ds)
	}
	if after := eval[string](p, rows); after != before {
		t.Errorf("cifar10 chosen again, the table shows\n%s\nnot cifar10's\n%s", after, before)
	}
}
