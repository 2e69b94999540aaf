package browsertest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nasplay/nasplay/assets"
	"github.com/nasplay/nasplay/engine/indicator"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/tables"
)

// liveEpisode is one live-scored episode as the page logs it.
type liveEpisode struct {
	Episode int                `json:"episode"`
	Arch    string             `json:"arch"`
	Index   int                `json:"index"`
	Class   string             `json:"class"`
	Scores  map[string]float64 `json:"scores"`
	Ms      float64            `json:"ms"`
	Cached  bool               `json:"cached"`
}

// runLive opens a live-scored search, checks that no live-mode file came
// before it was used, runs it to the end and returns the page's episodes.
func runLive(t *testing.T, query string, limit time.Duration) (*page, []liveEpisode) {
	t.Helper()
	p := openTabFor(t, limit)
	p.open(siteURL, query)
	p.ready()
	if !eval[bool](p, `window.nasplayApp.state.live`) {
		t.Fatalf("the link %q did not select live scoring (notices: %s)", query, p.text("#notices"))
	}
	if n := eval[int](p, `performance.getEntriesByType('resource').filter(e => /worker\.(wasm|js)|calib\.msgpack|live(mode)?\.js/.test(e.name)).length`); n != 0 {
		t.Errorf("%d live-mode files were fetched before live scoring was used", n)
	}
	p.run(chromedp.Click("#finish"))
	p.run(chromedp.WaitReady(`body[data-done="1"]`))
	return p, eval[[]liveEpisode](p, `window.nasplayApp.liveLog`)
}

// cliCompute runs "nasplay indicators compute --json" at the default
// configuration and returns its scores.
func cliCompute(t *testing.T, arch string, d tables.Dataset) map[string]float64 {
	t.Helper()
	cmd := exec.Command(nasplay, "indicators", "compute", "--json", "--arch", arch, "--dataset", d.String())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%v: %v", cmd.Args, err)
	}
	var res struct {
		Scores map[string]float64 `json:"scores"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("nasplay indicators compute --json printed %s: %v", out, err)
	}
	delete(res.Scores, scores.Params) // read from the tables, not computed
	delete(res.Scores, scores.Flops)
	return res.Scores
}

// TestLiveSearch runs a short live-scored search in the page, where every
// sampled network's indicators are computed in a Web Worker, and checks
// them: every episode against the engine run natively at the table's
// configuration (cj, cj_eig, nlr, cnntk, os and fi), the first and the last
// also against "nasplay indicators compute --json"; and the result card
// against "nasplay search --json" with the same settings, which reads the
// table: cj is a count, equal in every build, so the live search and the
// table search are the same search, digit for digit.
func TestLiveSearch(t *testing.T) {
	const query = "ds=cifar10&dev=pixel3&t=20&alpha=0.9&ind=cj&algo=rl&seed=3&ep=12&speed=3&live=1"
	p, log := runLive(t, query, 3*time.Minute)
	if len(log) != 12 {
		t.Fatalf("the page logged %d live episodes, want 12", len(log))
	}
	it, err := scores.DecodeTable(assets.Indicators)
	if err != nil {
		t.Fatal(err)
	}
	calib, err := indicator.DecodeCalib(assets.Calib)
	if err != nil {
		t.Fatal(err)
	}
	d := tables.CIFAR10
	ev, err := indicator.NewEvaluator(it.Config(), calib, d)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range log {
		raw, err := ev.Evaluate(mustArch(t, e.Arch))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]float64{scores.FI: it.Fuse(d, raw)}
		for k, name := range scores.Names()[:scores.NumRaw] {
			want[name] = raw.Values[k]
		}
		checkLive(t, fmt.Sprintf("episode %d %s", e.Episode, e.Arch), e.Scores, want)
	}
	for _, e := range []liveEpisode{log[0], log[len(log)-1]} {
		checkLive(t, "nasplay indicators compute --json --arch "+e.Arch, e.Scores, cliCompute(t, e.Arch, d))
	}
	got := p.card()
	compareCard(t, got, cliResult(t, query))

	// The engine reported its four steps (cj_eig and cnntk, os, cj, nlr) per
	// weight draw for every connected network it computed; a disconnected
	// one is not computed.
	computed, steps := 0, 0
	for _, e := range log {
		if !e.Cached {
			computed++
			if mustArch(t, e.Arch).Connected() {
				steps += 4 * scores.Default().WeightDraws
			}
		}
	}
	if got := eval[int](p, `window.nasplayApp.livePool.stats.steps`); got != steps {
		t.Errorf("the workers reported %d progress steps, want %d", got, steps)
	}
	t.Logf("live search: %d episodes, %d computed, %d from the class cache; pick #%s %s; status %q",
		len(log), computed, len(log)-computed, got["index"], got["arch"], p.text("#live-status"))
	p.screenshot("live.png", chromedp.FullScreenshot(100))

	// The page's controls explain themselves; the indicator's note follows
	// the menu's selection.
	checkExplain(t, p, "#device", "Target device")
	checkExplain(t, p, "#indicator", "CJ — correlation of Jacobians (paper form)")
	checkExplain(t, p, "#scoring", "Scoring: table or live")
	if len(p.errors()) > 0 {
		t.Errorf("JavaScript errors: %v", p.errors())
	}
}

// TestLiveSearch500 times a whole live-scored search with the paper's
// budget of 500 episodes: each new class is computed in a worker, repeats
// come from the per-class cache; the result must be the table search's. It
// takes minutes, so it runs only with NASPLAY_SOAK=1.
func TestLiveSearch500(t *testing.T) {
	if os.Getenv("NASPLAY_SOAK") != "1" {
		t.Skip("set NASPLAY_SOAK=1 for the 500-episode live search")
	}
	const query = "ds=cifar10&dev=edgegpu&t=6&alpha=0.9&ind=cj&algo=rl&seed=0&ep=500&speed=5&live=1"
	p, log := runLive(t, query, 20*time.Minute)
	computed, sum := 0, 0.0
	for _, e := range log {
		if !e.Cached {
			computed++
			sum += e.Ms
		}
	}
	t.Logf("MEASURED 500-episode live search (%s): %.1f s from click to result, %d workers; %d networks computed (mean %.0f ms each in a worker), %d from the per-class cache",
		query, eval[float64](p, `window.nasplayApp.lastRunMs`)/1000, eval[int](p, `window.nasplayApp.livePool.size`), computed, sum/float64(max(computed, 1)), len(log)-computed)
	if len(log) != 500 {
		t.Errorf("%d live episodes, want 500", len(log))
	}
	compareCard(t, p.card(), cliResult(t, query))
}
