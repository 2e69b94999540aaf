// Package browsertest drives the built site (./build.sh site) in headless
// Chromium with chromedp: the page as a user sees it, against the engine run
// natively. The tests run only with NASPLAY_BROWSER_TESTS=1 (./build.sh test
// sets it); then a missing Chromium or an unbuilt site is a failure.
package browsertest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/nasplay/nasplay/assets"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/search"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
	"github.com/nasplay/nasplay/wasm/play"
)

var (
	chromiumPath     = flag.String("chromium", "/usr/bin/chromium", "Chromium binary")
	updateScreenshot = flag.Bool("update-screenshot", false, "write the page screenshot to docs/screenshot.png")
)

// Shared by the tests: the repository root, the nasplay binary built from
// it, the site server's URL and the browser.
var (
	root    string
	nasplay string
	siteURL string
	browser context.Context
	tab     *tables.Tables
	shots   string // folder for screenshots
)

func TestMain(m *testing.M) {
	flag.Parse()
	if os.Getenv("NASPLAY_BROWSER_TESTS") != "1" {
		fmt.Println("browsertest: skipped (set NASPLAY_BROWSER_TESTS=1; ./build.sh test does)")
		os.Exit(0)
	}
	code, err := setup(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, "browsertest:", err)
		os.Exit(1)
	}
	os.Exit(code)
}

func setup(m *testing.M) (int, error) {
	var err error
	if root, err = filepath.Abs(".."); err != nil {
		return 0, err
	}
	if _, err := os.Stat(*chromiumPath); err != nil {
		return 0, fmt.Errorf("chromium not found at %s (apt-get install -y chromium): %v", *chromiumPath, err)
	}
	for _, f := range []string{"app.wasm", "wasm_exec.js", "assets/tables.msgpack", "plots/frames.json", "build.json"} {
		if _, err := os.Stat(filepath.Join(root, "site", f)); err != nil {
			return 0, fmt.Errorf("site/%s is missing: run ./build.sh site first", f)
		}
	}
	if tab, err = tables.Decode(assets.Tables); err != nil {
		return 0, err
	}
	tmp, err := os.MkdirTemp("", "nasplay-browsertest-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	shots = filepath.Join(os.TempDir(), "nasplay-screenshots")
	if err := os.MkdirAll(shots, 0o755); err != nil {
		return 0, err
	}

	nasplay = filepath.Join(tmp, "nasplay")
	build := exec.Command("go", "build", "-o", nasplay, "./cmd/nasplay")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("building nasplay: %v\n%s", err, out)
	}
	url, stop, err := serve(filepath.Join(root, "site"))
	if err != nil {
		return 0, err
	}
	defer stop()
	siteURL = url

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(*chromiumPath),
		chromedp.Headless, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true), // WebGL2 still runs, on SwiftShader
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(filepath.Join(tmp, "profile")),
		chromedp.WindowSize(1500, 1100),
	)
	defer cancelAlloc()
	b, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	if _, err := chromedp.Run(b, chromedp.Steps()); err != nil { // start the browser
		return 0, fmt.Errorf("starting chromium: %v", err)
	}
	browser = b
	return m.Run(), nil
}

// serve starts "nasplay serve" on a free loopback port for dir.
func serve(dir string) (string, func(), error) {
	cmd := exec.Command(nasplay, "serve", "--addr", "127.0.0.1:0", "--dir", dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() { cmd.Process.Kill(); cmd.Wait() }
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		stop()
		return "", nil, fmt.Errorf("nasplay serve printed no address: %v", err)
	}
	i := strings.Index(line, "http://")
	if i < 0 {
		stop()
		return "", nil, fmt.Errorf("nasplay serve: unexpected first line %q", line)
	}
	go io.Copy(io.Discard, out)
	return strings.Fields(line[i:])[0], stop, nil // "http://host:port/ (Ctrl-C stops it)"
}

// page is one browser tab with its JavaScript errors collected.
type page struct {
	t      *testing.T
	ctx    context.Context
	cancel context.CancelFunc

	mu   sync.Mutex
	errs []string
}

func newPage(t *testing.T) *page {
	return openTab(t)
}

// newFreshPage is a tab in a new browser context, with an empty cache, for
// measuring what comes over the wire.
func newFreshPage(t *testing.T) *page {
	return openTab(t, chromedp.WithNewBrowserContext())
}

func openTab(t *testing.T, opts ...chromedp.ContextOption) *page {
	return openTabFor(t, 90*time.Second, opts...)
}

// openTabFor is a tab whose actions must all end within limit.
func openTabFor(t *testing.T, limit time.Duration, opts ...chromedp.ContextOption) *page {
	t.Helper()
	p := &page{t: t}
	ctx, cancel := chromedp.NewContext(browser, append(opts, chromedp.WithListener(p.listen))...)
	p.ctx, p.cancel = context.WithTimeout(ctx, limit)
	t.Cleanup(func() { p.cancel(); cancel() })
	return p
}

// listen collects uncaught exceptions and console errors.
func (p *page) listen(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg = fmt.Sprintf("%s at %s:%d", d.Text, d.URL, d.LineNumber+1)
		if d.Exception != nil {
			msg += ": " + d.Exception.Description
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError {
			return
		}
		var parts []string
		for _, a := range ev.Args {
			parts = append(parts, string(a.Value))
		}
		msg = "console.error: " + strings.Join(parts, " ")
	default:
		return
	}
	p.mu.Lock()
	p.errs = append(p.errs, msg)
	p.mu.Unlock()
}

func (p *page) errors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.errs...)
}

func (p *page) run(a chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, a); err != nil {
		p.t.Fatalf("browser: %v (page errors: %v)", err, p.errors())
	}
}

func eval[T any](p *page, js string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		p.t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// open loads the page with a query and waits until it is ready or shows an
// error; it returns the page's own ready time in ms.
func (p *page) open(base, query string) {
	p.t.Helper()
	u := base
	if query != "" {
		u += "?" + query
	}
	p.run(chromedp.Steps(
		chromedp.Navigate(u),
		chromedp.WaitReady(`body[data-ready="1"], body[data-failed="1"]`),
	))
}

func (p *page) ready() {
	p.t.Helper()
	if msg := eval[string](p, `document.body.dataset.failed ? document.getElementById('error').textContent : ''`); msg != "" {
		p.t.Fatalf("page shows an error: %s", msg)
	}
}

func (p *page) value(id string) string {
	return eval[string](p, fmt.Sprintf(`document.getElementById(%q).value`, id))
}

func (p *page) text(sel string) string {
	return eval[string](p, fmt.Sprintf(`document.querySelector(%q).textContent`, sel))
}

func (p *page) screenshot(name string, a chromedp.Action[[]byte]) image.Image {
	p.t.Helper()
	b, err := chromedp.Run(p.ctx, a)
	if err != nil {
		p.t.Fatal(err)
	}
	path := filepath.Join(shots, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot: %s", path)
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		p.t.Fatal(err)
	}
	return img
}

func TestPageLoads(t *testing.T) {
	// The first load is in a fresh profile: everything comes over the wire.
	// The second finds the files in the browser cache (they are only
	// revalidated, so its bytes are not counted).
	for _, run := range []string{"empty browser cache", "files in the browser cache"} {
		p := newPage(t)
		if run == "empty browser cache" {
			p = newFreshPage(t)
		}
		p.open(siteURL, "")
		p.ready()
		ready := eval[float64](p, `window.nasplayApp.readyMs`)
		sinceNav := eval[float64](p, `window.nasplayApp.readySinceNavMs`)
		phases := eval[map[string]float64](p, `window.nasplayApp.phases`)
		t.Logf("MEASURED page ready (%s): %.0f ms since navigation start, %.0f ms from script start (tables fetched %.0f, wasm compiled while downloading and started %.0f, tables decoded %.0f)",
			run, sinceNav, ready, phases["fetched"], phases["booted"], phases["tables"])
		if run == "empty browser cache" {
			// Bytes over the wire before ready: the transfer size (headers
			// and gzip bodies) of every response of the page and its cell
			// iframe, from resource timing, summed by the page when ready.
			wire := eval[float64](p, `window.nasplayApp.wireBytesAtReady`)
			t.Logf("MEASURED bytes over the wire before ready: %.0f (%.2f MB)", wire, wire/1e6)
			if wire > 6e6 {
				t.Errorf("%.2f MB over the wire before ready, budget 6 MB", wire/1e6)
			}
			if n := eval[int](p, `document.getElementById('device').options.length`); n != 6 {
				t.Errorf("device menu has %d entries, want all 6", n)
			}
			if q := eval[string](p, `location.search`); q != "?"+envFor(t).Default().Query() {
				t.Errorf("URL %q does not carry the default settings", q)
			}
		}
		if len(p.errors()) > 0 {
			t.Errorf("JavaScript errors: %v", p.errors())
		}
	}
}

// envFor is the page's environment natively: every indicator name is
// known (the baselines score without the indicator table).
func envFor(t *testing.T) play.Env {
	return play.Env{Tables: tab, Indicators: append([]string{"params", "flops"}, scores.Names()...), Scores: baselineScores(tab)}
}

func TestSliderAndDevice(t *testing.T) {
	p := newPage(t)
	p.open(siteURL, "")
	p.ready()
	// A real mouse click a quarter of the way along the T slider.
	box := eval[[]float64](p, `(() => { const r = document.getElementById('target').getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`)
	p.run(chromedp.MouseClickXY(box[0]+box[2]*0.25, box[1]+box[3]/2))
	checkFeasible := func(d tables.Dataset, v tables.Device) float64 {
		t.Helper()
		T := mustFloat(t, p.value("target"))
		want := tables.Best(tab.Latencies(d, v), T, tab.TestAccs(d))
		got := p.text("#feasible")
		if !strings.HasPrefix(got, fmt.Sprintf("%s of 15,625", thousands(want.Feasible))) {
			t.Errorf("T = %g ms on %s/%s: page says %q, tables give %d", T, d, v, got, want.Feasible)
		}
		return T
	}
	clicked := checkFeasible(tables.CIFAR10, tables.EdgeGPU)
	if clicked == 6 {
		t.Fatalf("clicking the slider did not move T")
	}
	// Keyboard: one step to the right.
	p.run(chromedp.Steps(chromedp.Focus("#target"), chromedp.KeyEvent(kb.ArrowRight)))
	if got := checkFeasible(tables.CIFAR10, tables.EdgeGPU); math.Abs(got-clicked-0.01) > 1e-9 {
		t.Errorf("ArrowRight moved T from %g to %g, want one 0.01 ms step", clicked, got)
	}
	if q := eval[string](p, `location.search`); !strings.Contains(q, "t="+p.value("target")) {
		t.Errorf("URL %q does not carry T = %s", q, p.value("target"))
	}
	// Change the device with the keyboard: Edge GPU → Raspberry Pi 4.
	p.run(chromedp.Steps(chromedp.Focus("#device"), chromedp.KeyEvent(kb.ArrowDown)))
	if dev := p.value("device"); dev != "raspi4" {
		t.Fatalf("device is %q after ArrowDown, want raspi4", dev)
	}
	r := envFor(t).Range(tables.CIFAR10, tables.Raspi4, tables.Latency)
	if mx := mustFloat(t, eval[string](p, `document.getElementById('target').max`)); mx != r.Max {
		t.Errorf("slider max %g on raspi4, want %g", mx, r.Max)
	}
	if T := checkFeasible(tables.CIFAR10, tables.Raspi4); T != 40 {
		t.Errorf("T = %g after switching to raspi4, want the paper's 40 ms", T)
	}
	if src := eval[string](p, `window.nasplayApp.bgFile`); src != plotsName(tables.CIFAR10, tables.Raspi4) {
		t.Errorf("scatter background %q is not raspi4's", src)
	}
	if q := eval[string](p, `location.search`); !strings.Contains(q, "dev=raspi4") {
		t.Errorf("URL %q does not carry the device", q)
	}
	if len(p.errors()) > 0 {
		t.Errorf("JavaScript errors: %v", p.errors())
	}
}

func plotsName(d tables.Dataset, v tables.Device) string {
	return fmt.Sprintf("scatter-%s-%s.png", d, v)
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	if len(s) > 3 {
		s = s[:len(s)-3] + "," + s[len(s)-3:]
	}
	return s
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	var f float64
	if _, err := fmt.Sscan(s, &f); err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return f
}

// card reads the result card as the page shows it.
func (p *page) card() map[string]string {
	p.t.Helper()
	return eval[map[string]string](p, `Object.fromEntries([...document.querySelectorAll('#card [data-k]')].map(e => [e.dataset.k, e.textContent]).concat([['arch', document.getElementById('card-arch').textContent]]))`)
}

// cliResult runs "nasplay search --json" with a query's settings and
// returns its fields as printed, numbers as their exact text.
func cliResult(t *testing.T, query string) map[string]string {
	t.Helper()
	st, notes := envFor(t).Parse(query)
	if len(notes) > 0 {
		t.Fatalf("query %q: %v", query, notes)
	}
	cmd := exec.Command(nasplay, "search", "--json",
		"--dataset", st.Dataset.String(), "--device", st.Device.String(), "--objective", st.Objective.String(),
		"--target", fmt.Sprint(st.Target), "--alpha", fmt.Sprint(st.Alpha),
		"--indicator", st.Indicator, "--algo", st.Algo,
		"--seed", fmt.Sprint(st.Seed), "--episodes", fmt.Sprint(st.Episodes))
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("%v: %v\n%s", cmd.Args, err, stderr)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		t.Fatalf("nasplay search --json printed %s: %v", out, err)
	}
	res := map[string]string{}
	for k, v := range raw {
		switch v := v.(type) {
		case bool:
			res[k] = map[bool]string{true: "yes", false: "no"}[v]
		case nil:
			res[k] = "—"
		default:
			res[k] = fmt.Sprint(v)
		}
	}
	if st.Algo != search.OracleScore {
		// The score's own best under T, from "nasplay oracle --indicator".
		out, err := exec.Command(nasplay, "oracle", "--json", "--dataset", st.Dataset.String(), "--device", st.Device.String(),
			"--objective", st.Objective.String(), "--target", fmt.Sprint(st.Target), "--indicator", st.Indicator).Output()
		if err != nil {
			t.Fatalf("nasplay oracle --indicator %s: %v", st.Indicator, err)
		}
		var o struct {
			Best *struct {
				Index   json.Number `json:"index"`
				TestAcc json.Number `json:"test_acc"`
			} `json:"indicator_best"`
		}
		dec := json.NewDecoder(bytes.NewReader(out))
		dec.UseNumber()
		if err := dec.Decode(&o); err != nil || o.Best == nil {
			t.Fatalf("nasplay oracle --indicator printed %s (%v)", out, err)
		}
		res["score_best_index"], res["score_best_test_acc"] = o.Best.Index.String(), o.Best.TestAcc.String()
	}
	return res
}

// compareCard checks the page's result card against the CLI's result.
func compareCard(t *testing.T, card, cli map[string]string) {
	t.Helper()
	for cardKey, cliKey := range map[string]string{
		"arch": "arch", "index": "index", "testAcc": "test_acc", "latencyMs": "latency_ms",
		"score": "score", "scoreNorm": "score_norm", "oracleTestAcc": "oracle_test_acc",
		"regret": "regret", "traceHash": "trace_hash", "meetsTarget": "meets_target",
		"scoreBestIndex": "score_best_index", "scoreBestTestAcc": "score_best_test_acc",
	} {
		if _, ok := cli[cliKey]; !ok && strings.HasPrefix(cliKey, "score_best") {
			continue // oracle-score: the CLI's oracle has no validation-accuracy indicator
		}
		if card[cardKey] != cli[cliKey] {
			t.Errorf("card %s: page shows %q, nasplay search --json gives %s = %q", cardKey, card[cardKey], cliKey, cli[cliKey])
		}
	}
	t.Logf("card = CLI: #%s %s, test acc %s %%, %s ms, regret %s, trace %s",
		card["index"], card["arch"], card["testAcc"], card["latencyMs"], card["regret"], card["traceHash"])
}

func mustArch(t *testing.T, s string) space.Arch {
	t.Helper()
	a, err := space.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestRunMatchesCLI(t *testing.T) {
	p := newPage(t)
	const query = "ds=cifar10&dev=pixel3&t=20&alpha=0.9&ind=params&algo=rl&seed=4&ep=500&speed=3"
	p.open(siteURL, query)
	p.ready()
	p.run(chromedp.Click("#finish"))
	p.run(chromedp.WaitReady(`body[data-done="1"]`))
	ms := eval[float64](p, `window.nasplayApp.lastRunMs`)
	engine := eval[float64](p, `window.nasplayApp.lastRunEngineMs`)
	t.Logf("MEASURED 500-episode rl run (table mode), click to result drawn: %.0f ms (engine in wasm %.0f ms, page drawing %.0f ms)", ms, engine, ms-engine)
	got := p.card()
	compareCard(t, got, cliResult(t, query))
	// The values the CLI does not print come from the same tables.
	i := tab.Index(mustArch(t, got["arch"]))
	for k, col := range map[string][]float32{"paramsM": tab.ParamsM(tables.CIFAR10), "flopsM": tab.FlopsM(tables.CIFAR10)} {
		if want := play.Exact(float64(col[i])); got[k] != want {
			t.Errorf("card %s = %q, tables give %q", k, got[k], want)
		}
	}
	if q := eval[string](p, `location.search`); !strings.HasSuffix(q, "&run=1") {
		t.Errorf("URL after the run %q lacks run=1", q)
	}
	if e := got["energyMJ"]; e != "not measured on this device" {
		t.Errorf("energy on the Pixel 3 shows %q", e)
	}
	// The exports: the JSON carries the card, every episode and the link;
	// the CSV one row per episode.
	exp := eval[map[string]any](p, `JSON.parse(JSON.parse(window.nasplayApp.np.exportJSON()))`)
	if r, _ := exp["result"].(map[string]any); r == nil || r["arch"] != got["arch"] || r["traceHash"] != got["traceHash"] {
		t.Errorf("JSON export's result %v differs from the card", exp["result"])
	}
	if eps, _ := exp["episodes"].([]any); len(eps) != 500 {
		t.Errorf("JSON export has %d episodes", len(eps))
	}
	if q, _ := exp["query"].(string); q != query+"&run=1" || "?"+q != eval[string](p, `location.search`) {
		t.Errorf("JSON export's query %q, want the page's finished-run link %q", q, query+"&run=1")
	}
	csvText := eval[string](p, `JSON.parse(window.nasplayApp.np.exportCSV())`)
	if rows := strings.Count(csvText, "\n"); rows != 501 {
		t.Errorf("CSV export has %d lines, want a header and 500 episodes", rows)
	}
	// The CLI writes the same file, byte for byte.
	csvPath := filepath.Join(t.TempDir(), "run.csv")
	if out, err := exec.Command(nasplay, "search", "--dataset", "cifar10", "--device", "pixel3", "--target", "20", "--indicator", "params",
		"--seed", "4", "--csv", csvPath).CombinedOutput(); err != nil {
		t.Fatalf("nasplay search --csv: %v\n%s", err, out)
	}
	if cli, err := os.ReadFile(csvPath); err != nil || string(cli) != csvText {
		t.Errorf("the page's CSV export differs from nasplay search --csv (%v); page's first lines:\n%.400s\nCLI's:\n%.400s", err, csvText, cli)
	}
	p.run(chromedp.Click("#export-csv")) // the button must not fail either

	// The canvas must show the chosen network: in the DAG area, each op
	// colour of the chosen cell appears and no other op's colour does.
	img := p.screenshot("cell.png", chromedp.Screenshot("#cell"))
	checkCell(t, img, mustArch(t, got["arch"]))

	p.screenshot("page.png", chromedp.FullScreenshot(100))
	// Copy: to the clipboard, or, where the page may not write it (headless
	// without the permission), the string is selected for Ctrl+C.
	p.run(chromedp.Click("#copy-arch"))
	if _, err := chromedp.Run(p.ctx, chromedp.PollFunction[bool](`() => document.getElementById('copy-arch').textContent !== 'Copy'`)); err != nil {
		t.Fatal(err)
	}
	label := p.text("#copy-arch")
	t.Logf("copy button: %s", label)
	switch label {
	case "Copied":
	case "Selected: press Ctrl+C":
		if sel := eval[string](p, `getSelection().toString()`); sel != got["arch"] {
			t.Errorf("copy selected %q, want the architecture %q", sel, got["arch"])
		}
	default:
		t.Errorf("copy button says %q", label)
	}
	if len(p.errors()) > 0 {
		t.Errorf("JavaScript errors: %v", p.errors())
	}
}

// An energy budget: the page runs the search the CLI runs with --objective
// energy, shows the target in mJ on the energy chart, and offers energy only
// on the devices that measure it.
func TestEnergyRun(t *testing.T) {
	p := newPage(t)
	const query = "ds=cifar100&dev=edgegpu&obj=energy&t=20&alpha=0.9&ind=fi&algo=rl&seed=2&ep=300&speed=3"
	p.open(siteURL, query)
	p.ready()
	if k, out := p.text("#target-kind"), p.text("#target-out"); k != "Energy" || out != "20 mJ" || p.value("objective") != "energy" {
		t.Errorf("target label %q %q, objective %q", k, out, p.value("objective"))
	}
	f := tables.Best(tab.Energies(tables.CIFAR100, tables.EdgeGPU), 20, tab.TestAccs(tables.CIFAR100))
	if got := p.text("#feasible"); !strings.HasPrefix(got, thousands(f.Feasible)+" of 15,625") || !strings.Contains(got, " mJ (#") {
		t.Errorf("feasible line %q; tables give %d within 20 mJ", got, f.Feasible)
	}
	if bg, h, l := eval[string](p, `window.nasplayApp.bgFile`), p.text("#chart-kind"), eval[string](p, `document.getElementById('scatter-bg').getAttribute('aria-label')`); bg != "scatter-cifar100-edgegpu-energy.png" || h != "energy" || !strings.HasPrefix(l, "Energy–accuracy scatter of every") {
		t.Errorf("chart background %q, title %q, label %q: want the energy chart", bg, h, l)
	}
	p.run(chromedp.Click("#finish"))
	p.run(chromedp.WaitReady(`body[data-done="1"]`))
	got := p.card()
	cli := cliResult(t, query)
	compareCard(t, got, cli)
	if got["energyMJ"] != cli["energy_mj"] || got["oracleIndex"] != fmt.Sprint(f.Index) {
		t.Errorf("card energy %q, oracle #%s; CLI energy %q, tables' oracle #%d", got["energyMJ"], got["oracleIndex"], cli["energy_mj"], f.Index)
	}
	if u := p.text("#card .unit"); u != "mJ" {
		t.Errorf("card unit %q", u)
	}
	p.screenshot("energy.png", chromedp.FullScreenshot(100))
	checkExplain(t, p, "#objective", "Objective: latency or energy")
	// The Raspberry Pi 4 has no energy data: the page falls back to latency
	// at the paper's T, with the energy choice disabled.
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { const d = document.getElementById('device'); d.value = 'raspi4'; d.dispatchEvent(new Event('change')); })()`))
	if o, T, dis := p.value("objective"), p.value("target"), eval[bool](p, `document.querySelector('#objective option[value=energy]').disabled`); o != "latency" || T != "40" || !dis {
		t.Errorf("on raspi4: objective %q, T %s, energy disabled %v", o, T, dis)
	}
	if q := eval[string](p, `location.search`); strings.Contains(q, "obj=") || !eval[bool](p, `document.getElementById("notices").hidden`) {
		t.Errorf("on raspi4: URL %q, notices %q", q, p.text("#notices"))
	}
	if len(p.errors()) > 0 {
		t.Errorf("JavaScript errors: %v", p.errors())
	}
}

// opColours are the cell view's op colours (wasm/app/view.go).
var opColours = [space.NumOps][3]uint8{
	{0x9e, 0x9e, 0x9e}, {0x00, 0x72, 0xb2}, {0xe6, 0x9f, 0x00}, {0xd5, 0x5e, 0x00}, {0x00, 0x9e, 0x73},
}

func checkCell(t *testing.T, img image.Image, arch space.Arch) {
	t.Helper()
	var count [space.NumOps]int
	blank := 0
	b := img.Bounds()
	// The DAG area: left of the policy panel, above the legend.
	for y := b.Min.Y + 30; y < b.Min.Y+280; y++ {
		for x := b.Min.X; x < b.Min.X+385; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			c := [3]int{int(r >> 8), int(g >> 8), int(bl >> 8)}
			if c == [3]int{0xfb, 0xfc, 0xfe} {
				blank++
			}
			for o, oc := range opColours {
				if abs(c[0]-int(oc[0])) <= 6 && abs(c[1]-int(oc[1])) <= 6 && abs(c[2]-int(oc[2])) <= 6 {
					count[o]++
				}
			}
		}
	}
	total := 250 * 385
	if blank > total*97/100 {
		t.Fatalf("cell canvas is blank: %d of %d pixels are background", blank, total)
	}
	used := map[space.Op]bool{}
	for _, o := range arch {
		used[o] = true
	}
	for o := range space.NumOps {
		if used[o] && count[o] < 40 {
			t.Errorf("op %s is in the chosen cell but has %d pixels of its colour in the DAG", o, count[o])
		}
		if !used[o] && count[o] > 10 {
			t.Errorf("op %s is not in the chosen cell but has %d pixels of its colour in the DAG", o, count[o])
		}
	}
	t.Logf("cell canvas: %d of %d DAG pixels drawn; op colour pixels %v for %s", total-blank, total, count, arch)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestRestoreFromURL(t *testing.T) {
	p := newPage(t)
	const query = "ds=imagenet16&dev=raspi4&t=9&alpha=0.8&ind=flops&algo=evolution&seed=11&ep=300&speed=2"
	p.open(siteURL, query+"&run=1")
	p.ready()
	p.run(chromedp.WaitReady(`body[data-done="1"]`))
	for id, want := range map[string]string{
		"dataset": "imagenet16", "device": "raspi4", "target": "9", "alpha": "0.8", "indicator": "flops",
		"algo": "evolution", "seed": "11", "episodes": "300", "speed": "2",
	} {
		if got := p.value(id); got != want {
			t.Errorf("control %s = %q, the link says %q", id, got, want)
		}
	}
	compareCard(t, p.card(), cliResult(t, query))
	if !eval[bool](p, `document.getElementById('notices').hidden`) {
		t.Errorf("a valid link shows notices: %s", p.text("#notices"))
	}
}

func TestBadURLIsCorrected(t *testing.T) {
	p := newPage(t)
	p.open(siteURL, "ds=mnist&dev=pixel3&t=1e9&ep=0&algo=sgd&colour=red")
	p.ready()
	notes := p.text("#notices")
	for _, want := range []string{"ds=mnist: unknown dataset", "t=1e9: above the pixel3 latency range", "ep=0: must lie in [1, 5000]", "algo=sgd: unknown algorithm", "colour=red: unknown setting"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notices %q lack %q", notes, want)
		}
	}
	if eval[bool](p, `document.getElementById('notices').hidden`) {
		t.Error("the notices are hidden")
	}
	r := envFor(t).Range(tables.CIFAR10, tables.Pixel3, tables.Latency)
	if got := mustFloat(t, p.value("target")); got != r.Max {
		t.Errorf("T = %g, want the range's top %g", got, r.Max)
	}
	q, _ := url.ParseQuery(strings.TrimPrefix(eval[string](p, `location.search`), "?"))
	if q.Get("ds") != "cifar10" || q.Get("ep") != "1" || q.Get("algo") != "rl" || q.Has("colour") {
		t.Errorf("URL not corrected: %v", q)
	}
}

// TestBrokenAssets serves copies of the site with a file corrupted or
// missing: the page must say which file failed and why.
func TestBrokenAssets(t *testing.T) {
	wasm, err := os.ReadFile(filepath.Join(root, "site", "app.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, file string
		content    []byte // nil: missing
		says       string
	}{
		{"corrupted tables", "assets/tables.msgpack", corrupt(assets.Tables), "tables.msgpack is not a valid tables asset"},
		{"truncated tables", "assets/tables.msgpack", assets.Tables[:len(assets.Tables)/2], "tables.msgpack is not a valid tables asset"},
		{"missing tables", "assets/tables.msgpack", nil, "could not fetch assets/tables.msgpack: HTTP 404"},
		{"corrupted wasm", "app.wasm", corrupt(wasm), "app.wasm could not be compiled"},
		{"missing chart frames", "plots/frames.json", nil, "could not fetch plots/frames.json: HTTP 404"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := copySite(t)
			target := filepath.Join(dir, filepath.FromSlash(c.file))
			if c.content == nil {
				os.Remove(target)
			} else if err := os.WriteFile(target, c.content, 0o644); err != nil {
				t.Fatal(err)
			}
			u, stop, err := serve(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer stop()
			p := newPage(t)
			p.open(u, "")
			msg := p.text("#error")
			if eval[bool](p, `document.getElementById('error').hidden`) || !strings.Contains(msg, c.says) {
				t.Errorf("error box shows %q (hidden: %v), want %q", msg, eval[bool](p, `document.getElementById('error').hidden`), c.says)
			}
			t.Logf("page says: %s", msg)
		})
	}
}

// corrupt flips bytes in the middle of the asset's column data.
func corrupt(b []byte) []byte {
	c := bytes.Clone(b)
	for i := len(c) / 3; i < len(c)/3+64; i++ {
		c[i] ^= 0x5a
	}
	return c
}

// copySite copies site/ into a temporary folder (the server does not
// follow links out of its folder).
func copySite(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	src := filepath.Join(root, "site")
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		out := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestAnimatedPlay steps one episode slowly, checks that the canvas shows
// the policy's five probabilities at each decision, then plays and pauses.
func TestAnimatedPlay(t *testing.T) {
	p := newPage(t)
	p.open(siteURL, "ds=cifar100&dev=edgegpu&ind=params&algo=rl&seed=1&ep=200&speed=1")
	p.ready()
	p.run(chromedp.Click("#step"))
	// Mid-way: the edge being decided is highlighted in the accent colour.
	p.run(chromedp.Sleep(700 * time.Millisecond))
	mid := p.screenshot("cell-deciding.png", chromedp.Screenshot("#cell"))
	if n := countColour(mid, image.Rect(0, 30, 385, 280), [3]uint8{0x6a, 0x3d, 0x9a}); n < 20 {
		t.Errorf("no edge is highlighted as being decided (%d accent pixels)", n)
	}
	// Six decisions 14 frames apart take 1.4 s at 60 frames/s (headless
	// Chromium may draw fewer); then every decision row shows a bar split
	// among the five ops (an untrained policy gives each ~0.2).
	lastRow := image.Rect(426, 62+36*5, 616, 62+36*5+14)
	var img image.Image
	for try := 0; ; try++ {
		p.run(chromedp.Sleep(500 * time.Millisecond))
		img = p.screenshot("cell-policy.png", chromedp.Screenshot("#cell"))
		if countColour(img, lastRow, opColours[space.Skip]) > 0 {
			break
		}
		if try == 20 {
			t.Fatal("the sixth decision was not drawn within 10 s")
		}
	}
	panel := image.Rect(420, 55, 640, 285)
	for o, c := range opColours {
		if n := countColour(img, panel, c); n < 6*14*10 {
			t.Errorf("op %s: %d pixels in the probability bars, want a visible share in all six", space.Op(o), n)
		}
	}
	if n := eval[int](p, `window.nasplayApp.points.length`); n != 1 {
		t.Fatalf("%d episodes after one step", n)
	}

	// Fast play, then pause: the count stops.
	p.run(chromedp.Steps(chromedp.Focus("#speed"), chromedp.KeyEvent(kb.End)))
	if sp := p.value("speed"); sp != "5" {
		t.Fatalf("speed %s after End, want 5", sp)
	}
	p.run(chromedp.Click("#play"))
	if _, err := chromedp.Run(p.ctx, chromedp.PollFunction[bool](`() => window.nasplayApp.points.length >= 40`)); err != nil {
		t.Fatalf("playing: %v", err)
	}
	p.run(chromedp.Click("#play")) // pause
	n := eval[int](p, `window.nasplayApp.points.length`)
	p.run(chromedp.Sleep(300 * time.Millisecond))
	if m := eval[int](p, `window.nasplayApp.points.length`); m != n {
		t.Errorf("paused at %d episodes, then %d", n, m)
	}
	if s := p.text("#result-state"); !strings.Contains(s, "pick so far") {
		t.Errorf("result state %q while paused", s)
	}
	// The Edge GPU has energy data: the card shows the pick's.
	card := p.card()
	if card["index"] != "—" {
		var i int
		fmt.Sscan(card["index"], &i)
		if want := play.Exact(float64(tab.Energies(tables.CIFAR100, tables.EdgeGPU)[i])); card["energyMJ"] != want {
			t.Errorf("energy of #%d: page shows %q, tables give %s mJ", i, card["energyMJ"], want)
		}
	}
	if len(p.errors()) > 0 {
		t.Errorf("JavaScript errors: %v", p.errors())
	}
}

func countColour(img image.Image, r image.Rectangle, c [3]uint8) int {
	n := 0
	r = r.Add(img.Bounds().Min).Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if abs(int(cr>>8)-int(c[0])) <= 6 && abs(int(cg>>8)-int(c[1])) <= 6 && abs(int(cb>>8)-int(c[2])) <= 6 {
				n++
			}
		}
	}
	return n
}

// TestKeyboardAndLayout tabs through the page with the keyboard, checks
// that every control has a label, and that the layout fits a laptop and a
// tablet screen without sideways scrolling.
func TestKeyboardAndLayout(t *testing.T) {
	p := newPage(t)
	p.open(siteURL, "")
	p.ready()
	unlabelled := eval[[]string](p, `[...document.querySelectorAll('#controls input, #controls select')].filter(e => !document.querySelector('label[for="' + e.id + '"]')).map(e => e.id)`)
	if len(unlabelled) > 0 {
		t.Errorf("controls without a label: %v", unlabelled)
	}
	var order []string
	for range 20 {
		p.run(chromedp.KeyEvent(kb.Tab))
		order = append(order, eval[string](p, `document.activeElement.id`))
	}
	got := strings.Join(order, " ")
	if !strings.Contains(got, "dataset device objective target alpha indicator scoring algo seed episodes speed play step finish reset") {
		t.Errorf("Tab order %q does not reach every control in order", got)
	}
	for _, vp := range []struct {
		name string
		w, h int64
	}{{"laptop", 1280, 800}, {"tablet", 820, 1180}, {"phone", 390, 844}} {
		p.run(chromedp.EmulateViewport(vp.w, vp.h))
		over := eval[float64](p, `document.documentElement.scrollWidth - window.innerWidth`)
		if over > 0 {
			t.Errorf("%s (%d×%d): the page is %g px wider than the screen", vp.name, vp.w, vp.h, over)
		}
		p.screenshot("layout-"+vp.name+".png", chromedp.FullScreenshot(100))
	}
}

// baselineScores gives the #params and FLOPs scores, which need no
// indicator table.
func baselineScores(t *tables.Tables) func(tables.Dataset, string) ([]float32, error) {
	return func(d tables.Dataset, name string) ([]float32, error) { return scores.Column(nil, t, d, name) }
}

// TestEmbedded loads site/embed.html, which embeds the tool in an iframe
// with run=1, and checks that the embedded tool ran the linked search.
func TestEmbedded(t *testing.T) {
	p := newPage(t)
	p.run(chromedp.Navigate(siteURL + "/embed.html"))
	const inner = `document.querySelector('iframe.demo').contentDocument`
	if _, err := chromedp.Run(p.ctx, chromedp.PollFunction[bool](`() => { const d = `+inner+`; return !!d && !!d.body && (d.body.dataset.done === '1' || d.body.dataset.failed === '1'); }`)); err != nil {
		t.Fatalf("the embedded tool did not finish: %v", err)
	}
	card := eval[map[string]string](p, `Object.fromEntries([...`+inner+`.querySelectorAll('#card [data-k]')].map(e => [e.dataset.k, e.textContent]).concat([['arch', `+inner+`.getElementById('card-arch').textContent]]))`)
	src := eval[string](p, `document.querySelector('iframe.demo').getAttribute('src')`)
	u, err := url.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Del("run")
	compareCard(t, card, cliResult(t, q.Encode()))
	p.screenshot("embedded.png", chromedp.CaptureScreenshot())
}

// TestHighDPI opens the page on a screen with two device pixels per CSS
// pixel: ebiten's canvas must have twice the iframe's size in pixels, so
// that the cell is drawn 1:1 with the display, not scaled up.
func TestHighDPI(t *testing.T) {
	p := newPage(t)
	p.run(chromedp.EmulateViewport(1500, 1000, chromedp.EmulateScale(2)))
	p.open(siteURL, "ep=20&run=1")
	p.ready()
	p.run(chromedp.WaitReady(`body[data-done="1"]`))
	// ebiten sizes its canvas on the next frames; give it a few.
	p.run(chromedp.Sleep(300 * time.Millisecond))
	size := eval[[]float64](p, `(() => { const c = document.getElementById('cell').contentDocument.querySelector('canvas'); const r = c.getBoundingClientRect(); return [c.width, c.height, r.width, r.height]; })()`)
	if size[0] != 2*size[2] || size[1] != 2*size[3] || size[2] != 640 {
		t.Errorf("canvas is %g×%g pixels for %g×%g CSS pixels at device pixel ratio 2", size[0], size[1], size[2], size[3])
	}
	img := p.screenshot("cell-dpr2.png", chromedp.Screenshot("#cell"))
	if b := img.Bounds(); b.Dx() != 1280 {
		t.Errorf("screenshot of the cell is %d pixels wide, want 1280", b.Dx())
	}
	// The charts too: two device pixels per CSS pixel, and the chart
	// background drawn at that resolution, not stretched.
	for _, id := range []string{"scatter-bg", "scatter-samples", "scatter-marks", "reward"} {
		// Drawn in 560 CSS pixels, shown at most that wide.
		size := eval[[]float64](p, fmt.Sprintf(`(() => { const c = document.getElementById(%q); const r = c.getBoundingClientRect(); return [c.width, Number(c.dataset.w), r.width]; })()`, id))
		if size[0] != 2*560 || size[1] != 560 || size[2] > 560 {
			t.Errorf("#%s is %g pixels wide for a drawing %g CSS pixels wide, shown at %g, at device pixel ratio 2", id, size[0], size[1], size[2])
		}
	}
	if bg := eval[string](p, `window.nasplayApp.bgFile`); bg != "scatter-cifar10-edgegpu@2x.png" {
		t.Errorf("chart background %q at device pixel ratio 2", bg)
	}
	p.screenshot("scatter-dpr2.png", chromedp.Screenshot("#scatter-panel"))
}

// TestNoWebGL opens the page in a browser without WebGL: the cell view
// cannot start, and the page must say so instead of showing a blank canvas.
func TestNoWebGL(t *testing.T) {
	alloc, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(*chromiumPath), chromedp.Headless, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-3d-apis", true), // no WebGL
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	defer cancel()
	ctx, cancelCtx := chromedp.NewContext(alloc)
	defer cancelCtx()
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()
	p := &page{t: t, ctx: ctx}
	p.run(chromedp.Navigate(siteURL))
	if _, err := chromedp.Run(ctx, chromedp.PollFunction[bool](`() => !document.getElementById('error').hidden`)); err != nil {
		t.Fatalf("no error shown without WebGL: %v", err)
	}
	msg := p.text("#error")
	if !strings.Contains(strings.ToLower(msg), "webgl") {
		t.Errorf("error %q does not name the missing WebGL", msg)
	}
	t.Logf("page says: %s", msg)
}

// TestOffline stops the server once the page is loaded (and its charts
// fetched): changing dataset and device and running a search must still
// work, with the charts drawn.
func TestOffline(t *testing.T) {
	u, stop, err := serve(filepath.Join(root, "site"))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	p := newPage(t)
	p.open(u, "ep=100")
	p.ready()
	if _, err := chromedp.Run(p.ctx, chromedp.PollFunction[bool](`() => window.nasplayApp.chartsLoaded === true`)); err != nil {
		t.Fatalf("the chart backgrounds were not all fetched: %v", err)
	}
	stop()
	p.run(chromedp.Steps(
		chromedp.Focus("#dataset"), chromedp.KeyEvent(kb.ArrowDown), // cifar100
		chromedp.Focus("#device"), chromedp.KeyEvent(kb.ArrowDown), // raspi4
		chromedp.Click("#finish"),
		chromedp.WaitReady(`body[data-done="1"]`),
	))
	if ds, dev := p.value("dataset"), p.value("device"); ds != "cifar100" || dev != "raspi4" {
		t.Fatalf("settings %s/%s, want cifar100/raspi4", ds, dev)
	}
	if card := p.card(); card["index"] == "—" {
		t.Errorf("no result offline: %v", card)
	}
	drawn := eval[int](p, `(() => { const d = document.getElementById('scatter-bg').getContext('2d').getImageData(0, 0, 560, 380).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()`)
	if drawn < 560*380/2 {
		t.Errorf("the offline chart background has %d drawn pixels", drawn)
	}
	if !eval[bool](p, `document.getElementById('error').hidden`) {
		t.Errorf("offline error: %s", p.text("#error"))
	}
	if len(p.errors()) > 0 {
		t.Errorf("JavaScript errors: %v", p.errors())
	}
}

// On a laptop the run buttons stick to the bottom of the window (the
// controls column is taller than it); the status line under them, which
// says a run is done, still running, or was reset by a setting, must stay
// in sight with them, not below the fold.
func TestRunStatusInView(t *testing.T) {
	p := newPage(t)
	p.run(chromedp.EmulateViewport(1366, 768))
	p.open(siteURL, "")
	p.ready()
	p.click("finish")
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { const d = document.getElementById('device'); d.value = 'raspi4'; d.dispatchEvent(new Event('change')); })()`))
	box := eval[[]float64](p, `(() => { const r = document.getElementById('run-status').getBoundingClientRect(); return [r.top, r.bottom, innerHeight]; })()`)
	if box[0] < 0 || box[1] > box[2] {
		t.Errorf("run status %q at y %g..%g, outside the %g px window", p.text("#run-status"), box[0], box[1], box[2])
	}
	p.screenshot("run-status-laptop.png", chromedp.CaptureScreenshot())
}
