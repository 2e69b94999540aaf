package browsertest

import (
	"fmt"
	"image"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/nasplay/nasplay/engine/reward"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

// The page's behaviour at the edges: controls used before the engine is
// ready, links between slider steps, and live scoring's asynchronous
// episodes meeting pause, reset and failures. Live tests replace the
// worker pool's compute with a deterministic fake (300 ms, or as the test
// says), so they test the page's own logic, fast.

// fakeLive loads live mode and makes every computation answer after 300 ms.
const fakeLive = `(async () => {
  await liveMode();
  window.computeCalls = 0;
  NasplayLive.LivePool.prototype.compute = function (arch) {
    const k = ++window.computeCalls;
    return new Promise((r) => setTimeout(() => r({ arch, scores: { cj: 100 + k }, class: 1, ms: 5 }), 300));
  };
  return true;
})()`

// fakeLivePage opens the page at query (live scoring) with fakeLive in place.
func fakeLivePage(t *testing.T, query string) *page {
	p := newPage(t)
	p.open(siteURL, query)
	p.ready()
	awaitEval[bool](p, fakeLive)
	return p
}

func awaitEval[T any](p *page, js string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

func (p *page) click(id string) {
	p.t.Helper()
	p.run(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).click()`, id)))
}

// holdTables makes the page's fetch of tables.msgpack wait until
// window.__go() is called, as a slow network or CPU would.
func holdTables(t *testing.T, p *page) {
	t.Helper()
	hold := `if (window.top === window) {
	  window.__release = new Promise((r) => { window.__go = r; });
	  const f = window.fetch;
	  window.fetch = (u, ...a) => String(u).includes('tables.msgpack') ? window.__release.then(() => f(u, ...a)) : f(u, ...a);
	}`
	if _, err := chromedp.Call(p.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: hold}); err != nil {
		t.Fatal(err)
	}
}

// The settings are disabled while the engine loads, so that a value typed
// then is not silently dropped, and a change forced on one anyway is no
// error; once the page is ready every setting works.
func TestControlDuringLoad(t *testing.T) {
	p := newPage(t)
	holdTables(t, p)
	p.run(chromedp.Navigate(siteURL + "?ind=params"))
	p.run(chromedp.WaitReady(`#seed`))
	const controls = `[...document.querySelectorAll('#controls select, #controls input')]`
	if on := eval[[]string](p, controls+`.filter((e) => !e.disabled).map((e) => e.id)`); len(on) > 0 {
		t.Errorf("settings enabled before the engine loaded: %v", on)
	}
	if _, err := chromedp.Run(p.ctx, chromedp.Steps(chromedp.Focus("#seed"), chromedp.KeyEvent("7"))); err == nil && p.value("seed") == "7" {
		t.Error("the seed box took a keystroke while the engine loaded")
	}
	for _, id := range []string{"speed", "seed"} { // forced by a script
		p.run(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const s = document.getElementById(%q); s.value = '3'; s.dispatchEvent(new Event('change')); })()`, id)))
	}
	if eval[string](p, `document.body.dataset.ready || ''`) != "" {
		t.Fatal("the page was ready before its tables came: the test proves nothing")
	}
	p.run(chromedp.Evaluate[chromedp.Void](`window.__go()`))
	p.run(chromedp.WaitReady(`body[data-ready="1"], body[data-failed="1"]`))
	if failed := eval[string](p, `document.body.dataset.failed || ''`); failed != "" || !eval[bool](p, `document.getElementById('error').hidden`) {
		t.Errorf("controls changed during loading: failed=%q, error %q", failed, p.text("#error"))
	}
	if off := eval[[]string](p, controls+`.filter((e) => e.disabled).map((e) => e.id)`); len(off) > 0 {
		t.Errorf("settings still disabled once ready: %v", off)
	}
	p.run(chromedp.Steps(chromedp.Focus("#seed"), chromedp.KeyEvent(kb.End+"7"+kb.Enter)))
	if !strings.Contains(eval[string](p, `location.search`), "seed=07") && !strings.Contains(eval[string](p, `location.search`), "seed=7") {
		t.Errorf("a seed typed once ready did not reach the link: %s", eval[string](p, `location.search`))
	}
}

// While the tables load, the cell view is drawn (the wasm has started) but
// Play and Step are disabled: its caption must not invite pressing them.
func TestCellWhileLoading(t *testing.T) {
	p := newPage(t)
	holdTables(t, p)
	p.run(chromedp.Navigate(siteURL + "?ind=params"))
	title := awaitEval[string](p, `(async () => {
	  const f = document.getElementById('cell');
	  for (;;) {
	    const np = f.contentWindow && f.contentWindow.nasplay;
	    if (np) return JSON.parse(np.scene());
	    await new Promise((r) => setTimeout(r, 50));
	  }
	})()`)
	if eval[string](p, `document.body.dataset.ready || ''`) != "" || !eval[bool](p, `document.getElementById('play').disabled`) {
		t.Fatal("the page was ready before its tables came: the test proves nothing")
	}
	if strings.Contains(strings.ToLower(title), "press play") {
		t.Errorf("cell view while loading (Play disabled): %q", title)
	}
	p.run(chromedp.Evaluate[chromedp.Void](`window.__go()`))
	p.run(chromedp.WaitReady(`body[data-ready="1"]`))
	if got := eval[string](p, `document.getElementById('cell').title`); got != "Cell view: Ready: 500 episodes of rl; press play or step" {
		t.Errorf("cell view once ready: %q", got)
	}
}

// A Run to end that takes long (5,000 episodes: seconds) runs in slices,
// drawing each: the page shows the run advancing, and a Reset clicked
// between slices ends it.
func TestFinishInSlices(t *testing.T) {
	p := newPage(t)
	p.open(siteURL, "ind=params&ep=5000")
	p.ready()
	got := eval[[]any](p, `(() => {
	  document.getElementById('finish').click();
	  const r = [document.getElementById('run-status').textContent, nasplayApp.points.length];
	  document.getElementById('reset').click();
	  return r;
	})()`)
	if s, n := got[0].(string), int(got[1].(float64)); !strings.Contains(s, "running to the end") || n <= 0 || n >= 5000 {
		t.Errorf("after the first slice of Run to end: status %q, %d episodes; want a partial run, said to be running", s, n)
	}
	p.run(chromedp.Sleep(1500 * time.Millisecond))
	if n, done := eval[int](p, `nasplayApp.points.length`), eval[string](p, `document.body.dataset.done || ''`); n != 0 || done != "" {
		t.Errorf("Reset during Run to end: %d episodes ran on (done %q)", n, done)
	}
}

// Dragging T pauses a run to the end, as it pauses Play: the run belongs
// to the old T, and its slices would draw the old T's marks over the
// dragged one's until the drag ends.
func TestTargetDragStopsFinish(t *testing.T) {
	p := newPage(t)
	p.open(siteURL, "ind=params&ep=5000")
	p.ready()
	n0 := eval[int](p, `(() => {
	  document.getElementById('finish').click();
	  const t = document.getElementById('target');
	  t.value = t.min;
	  t.dispatchEvent(new Event('input'));
	  return nasplayApp.points.length;
	})()`)
	if n0 <= 0 || n0 >= 5000 {
		t.Fatalf("the first slice of Run to end ran %d of 5000 episodes; want a partial run", n0)
	}
	p.run(chromedp.Sleep(1500 * time.Millisecond))
	if n, done := eval[int](p, `nasplayApp.points.length`), eval[string](p, `document.body.dataset.done || ''`); n != n0 || done != "" {
		t.Errorf("T dragged during Run to end: the run went on from %d to %d episodes (done %q) under the dragged T", n0, n, done)
	}
	if s := p.text("#run-status"); strings.Contains(s, "running to the end") {
		t.Errorf("status after the drag paused Run to end: %q", s)
	}
}

// A played run ends by saying the pace it reached, which a slow browser
// may hold under the speed's label.
func TestPlayedPace(t *testing.T) {
	p := newPage(t)
	p.open(siteURL, "ind=params&ep=30&speed=5")
	p.ready()
	p.run(chromedp.Click("#play"))
	p.run(chromedp.WaitReady(`body[data-done="1"]`))
	if s := p.text("#run-status"); !strings.Contains(s, "30 / 30 episodes — done; played 30 episodes in ") || !strings.Contains(s, " episodes/s)") {
		t.Errorf("status after a played run: %q", s)
	}
}

// A link's T and α between the sliders' steps are snapped, with a notice,
// so that the page runs what it shows.
func TestSliderSnap(t *testing.T) {
	p := newPage(t)
	p.open(siteURL, "ds=cifar100&dev=pixel3&t=20.125&alpha=0.905&ind=params")
	p.ready()
	st, a := eval[float64](p, `nasplayApp.state.t`), eval[float64](p, `nasplayApp.state.alpha`)
	if st != 20.13 || a != 0.91 || p.value("target") != "20.13" || p.value("alpha") != "0.91" || !strings.Contains(p.text("#notices"), "steps of") {
		t.Errorf("t %v (slider %q), α %v (slider %q), notices %q; want 20.13 and 0.91 with a notice",
			st, p.value("target"), a, p.value("alpha"), p.text("#notices"))
	}
}

// Pause then Play while a live episode is computing leaves one play loop:
// after the final Pause no episode runs.
func TestLivePausePlay(t *testing.T) {
	p := fakeLivePage(t, "ds=cifar10&dev=edgegpu&ind=cj&live=1&speed=1&ep=50")
	p.click("play")
	p.run(chromedp.Sleep(100 * time.Millisecond))
	p.click("play") // pause, with the first episode still computing
	p.run(chromedp.Sleep(50 * time.Millisecond))
	p.click("play")
	p.run(chromedp.Sleep(3400 * time.Millisecond))
	p.click("play") // pause
	// An episode already computing when Pause came may still land (the
	// fake takes 300 ms); only episodes after that would be a second loop.
	p.run(chromedp.Sleep(600 * time.Millisecond))
	before := eval[int](p, `nasplayApp.points.length`)
	p.run(chromedp.Sleep(4 * time.Second))
	if after := eval[int](p, `nasplayApp.points.length`); after != before || p.text("#play") != "Play" {
		t.Errorf("%d episodes at Pause, %d four seconds later (button %q): a second play loop ran on", before, after, p.text("#play"))
	}
}

// An old run's live results and failures do not act on the run after a
// reset: no stale status line, and the new run plays on.
func TestLiveAfterReset(t *testing.T) {
	p := fakeLivePage(t, "ds=cifar10&dev=edgegpu&ind=cj&live=1&speed=3&ep=50")
	p.click("finish")
	p.run(chromedp.Sleep(1100 * time.Millisecond))
	p.click("reset")
	p.run(chromedp.Sleep(time.Second))
	if s := p.text("#run-status"); strings.Contains(s, "ran ") || eval[int](p, `nasplayApp.points.length`) != 0 {
		t.Errorf("after Reset during a live run to the end: status %q, %d points", s, eval[int](p, `nasplayApp.points.length`))
	}

	// The first computation of the old run fails after the reset.
	p.run(chromedp.Evaluate[chromedp.Void](`(() => {
  let n = 0;
  NasplayLive.LivePool.prototype.compute = function (arch) {
    const k = n++;
    return new Promise((res, rej) => setTimeout(() => k === 0 ? rej(new Error('worker hiccup')) : res({ arch, scores: { cj: 100 + k }, class: 1, ms: 5 }), k === 0 ? 600 : 100));
  };
  document.getElementById('play').click();
  setTimeout(() => document.getElementById('reset').click(), 100);
  setTimeout(() => document.getElementById('play').click(), 200);
})()`))
	p.run(chromedp.Sleep(3 * time.Second))
	if st := p.text("#live-status"); strings.Contains(st, "hiccup") || !eval[bool](p, `nasplayApp.playing`) || eval[int](p, `nasplayApp.points.length`) < 2 {
		t.Errorf("an old run's failure reached the new one: playing %v, %d points, live status %q",
			eval[bool](p, `nasplayApp.playing`), eval[int](p, `nasplayApp.points.length`), st)
	}
}

// A Step queued behind a live computation belongs to the run it was
// clicked in: a reset meanwhile drops it, instead of stepping the new run.
func TestLiveQueuedStepAfterReset(t *testing.T) {
	p := fakeLivePage(t, "ds=cifar10&dev=edgegpu&ind=cj&live=1&speed=3&ep=50")
	p.click("step") // computes for 300 ms
	p.click("step") // queued behind it
	p.click("reset")
	p.run(chromedp.Sleep(1500 * time.Millisecond))
	if n := eval[int](p, `nasplayApp.points.length`); n != 0 {
		t.Errorf("after Step, Step, Reset: the new run has %d episodes (title %q), want 0", n, eval[string](p, `document.getElementById('cell').title`))
	}
}

// The indicator's "?" button is named for the indicator a link selects.
func TestExplainLabel(t *testing.T) {
	p := newPage(t)
	p.open(siteURL, "ind=cj")
	p.ready()
	if l := eval[string](p, `document.querySelector('[data-explains=indicator]').getAttribute('aria-label')`); !strings.Contains(l, "CJ") {
		t.Errorf("indicator cj from the link: its ? button is %q", l)
	}
}

// The lab shows a live result only under the network it belongs to, even
// when a request with invalid knobs came between.
func TestLabStaleLive(t *testing.T) {
	p := openLab(t)
	p.run(chromedp.Evaluate[chromedp.Void](`(() => {
  NasplayLive.LivePool.prototype.compute = function (arch) {
    return new Promise((r) => setTimeout(() => r({ arch, scores: { cj: 1234, nlr: 42 }, class: 'c-' + arch, ms: 5, config_version: nasplayLab.names.config_version }), 2000));
  };
  const i = document.getElementById('lab-index'); i.value = '0'; i.dispatchEvent(new Event('change'));
})()`))
	p.run(chromedp.Sleep(300 * time.Millisecond))
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { const k = document.getElementById('k-batch'); k.value = '1'; k.dispatchEvent(new Event('input')); })()`))
	p.run(chromedp.Sleep(400 * time.Millisecond))
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { const i = document.getElementById('lab-index'); i.value = '100'; i.dispatchEvent(new Event('change')); })()`))
	p.run(chromedp.Sleep(3 * time.Second))
	shown := eval[string](p, `nasplayLab.network.arch`)
	if live := eval[string](p, `nasplayLab.live ? nasplayLab.live.arch : ''`); live != "" && live != shown {
		t.Errorf("network %s shows the live values of %s", shown, live)
	}
}

// The lab corrects a bad link as the search page does, saying so, and
// refuses an index typed out of range with a message.
func TestLabBadInput(t *testing.T) {
	p := newPage(t)
	p.run(chromedp.Steps(
		chromedp.Navigate(siteURL+"/lab.html?ind=zzz&ds=mnist&i=99999"),
		chromedp.WaitReady(`body[data-ready="1"], body[data-failed="1"]`),
	))
	p.ready()
	notes := p.text("#notices")
	for _, want := range []string{"ind=zzz: unknown indicator", "ds=mnist: unknown dataset", "i=99999: not a benchmark index"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notices %q lack %q", notes, want)
		}
	}
	if q := eval[string](p, `location.search`); strings.Contains(q, "i=99999") || !strings.Contains(q, "ind=fi") {
		t.Errorf("URL after the corrections: %q", q)
	}
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { const i = document.getElementById('lab-index'); i.value = '20000'; i.dispatchEvent(new Event('change')); })()`))
	if msg := p.text("#index-msg"); !strings.Contains(msg, "No network #20000") || p.value("lab-index") != "" {
		t.Errorf("index 20000: message %q, box %q", msg, p.value("lab-index"))
	}

	// Names in any case, as on the search page; an empty index is no index.
	p.run(chromedp.Steps(
		chromedp.Navigate(siteURL+"/lab.html?ind=NLR&ds=CIFAR100&i=12"),
		chromedp.WaitReady(`body[data-ready="1"], body[data-failed="1"]`),
	))
	p.ready()
	if ind, ds, sel := p.value("lab-indicator"), p.value("lab-dataset"), eval[int](p, `nasplayLab.selected`); ind != "nlr" || ds != "cifar100" || sel != 12 {
		t.Errorf("?ind=NLR&ds=CIFAR100&i=12 opened %s, %s, #%d", ind, ds, sel)
	}
	if !eval[bool](p, `document.getElementById('notices').hidden`) {
		t.Errorf("a valid link shows notices: %s", p.text("#notices"))
	}
	// Unknown and repeated settings are named and dropped, as on the search page.
	p.run(chromedp.Steps(
		chromedp.Navigate(siteURL+"/lab.html?i=3&i=4&foo=1"),
		chromedp.WaitReady(`body[data-ready="1"], body[data-failed="1"]`),
	))
	p.ready()
	notes = p.text("#notices")
	for _, want := range []string{"foo=1: unknown setting", "i: given 2 times; only the first, 3, is used"} {
		if !strings.Contains(notes, want) {
			t.Errorf("?i=3&i=4&foo=1: notices %q lack %q", notes, want)
		}
	}
	if q, sel := eval[string](p, `location.search`), eval[int](p, `nasplayLab.selected`); strings.Contains(q, "foo") || strings.Contains(q, "i=4") || sel != 3 {
		t.Errorf("?i=3&i=4&foo=1: URL %q, selected #%d", q, sel)
	}
	// A refusal is cleared once a network is selected another way.
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { const i = document.getElementById('lab-index'); i.value = '99999'; i.dispatchEvent(new Event('change')); })()`))
	p.run(chromedp.Evaluate[chromedp.Void](`document.getElementById('lab-scatter').dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }))`))
	p.run(chromedp.Sleep(300 * time.Millisecond))
	if msg := p.text("#index-msg"); msg != "" {
		t.Errorf("after selecting with the arrow key the refusal stays: %q", msg)
	}
	// Digits only, as in a link: 1e3 is not read as 1000.
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { const i = document.getElementById('lab-index'); i.value = '1e3'; i.dispatchEvent(new Event('change')); })()`))
	if msg := p.text("#index-msg"); !strings.Contains(msg, "1e3 is not a benchmark index: type a whole number") || eval[int](p, `nasplayLab.selected`) == 1000 {
		t.Errorf("index 1e3: message %q, selected #%d", msg, eval[int](p, `nasplayLab.selected`))
	}
	// An invalid knob greys the live column, which still holds the last
	// valid configuration's values; a seed past 2^53 is invalid, not rounded.
	for _, knob := range []struct{ id, value string }{{"k-c", "0"}, {"k-seed", "9007199254740993"}} {
		p.run(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { for (const el of document.querySelectorAll('#knobs input')) el.value = nasplayLab.names.config[el.dataset.field]; const k = document.getElementById(%q); k.value = %q; k.dispatchEvent(new Event('input')); })()`, knob.id, knob.value)))
		p.run(chromedp.Sleep(500 * time.Millisecond))
		if st, stale := p.text("#live-status"), eval[bool](p, `document.getElementById('net-ind').classList.contains('stale')`); !stale || !strings.Contains(st, "greyed") {
			t.Errorf("knob %s = %s: live column stale %v, status %q", knob.id, knob.value, stale, st)
		}
	}
}

// A worker whose engine runs out of memory is replaced: the next
// computations at the table's configuration succeed. It takes most of a
// minute (the engine must exhaust its memory), so it runs with
// NASPLAY_SOAK=1.
func TestLabDeadWorker(t *testing.T) {
	if os.Getenv("NASPLAY_SOAK") != "1" {
		t.Skip("set NASPLAY_SOAK=1 to exhaust a worker's memory")
	}
	p := openTabFor(t, 5*time.Minute)
	p.run(chromedp.Navigate(siteURL + "/lab.html?ind=params&ds=cifar10"))
	p.ready()
	sel := func(i int) string {
		p.run(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { document.body.dataset.live = ''; const i = document.getElementById('lab-index'); i.value = '%d'; i.dispatchEvent(new Event('change')); })()`, i)))
		_, _ = chromedp.Run(p.ctx, chromedp.PollFunction[bool](`() => document.body.dataset.live === '1' || document.getElementById('live-status').textContent.includes('failed')`))
		return p.text("#live-status")
	}
	sel(0)
	// The engine would refuse these knobs at once (TestLabRefusesMemory):
	// lift its cap to let it run out of memory.
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { nasplayLab.pool.maxBytes = 1e15; for (const [id, v] of [['k-batch', 256], ['k-c', 64], ['k-n', 5]]) document.getElementById(id).value = String(v); document.getElementById('live-compute').click(); })()`))
	if _, err := chromedp.Run(p.ctx, chromedp.PollFunction[bool](`() => document.getElementById('live-status').textContent.includes('failed')`)); err != nil {
		t.Fatalf("the largest knobs did not fail: %q", p.text("#live-status"))
	}
	t.Logf("largest knobs: %q", p.text("#live-status"))
	if s := p.text("#live-status"); !strings.Contains(s, "out of memory?") || !strings.Contains(s, "Try a smaller batch, C or N.") {
		t.Errorf("a worker that ran out of memory: %q, want the cause and the lab's knobs named", s)
	}
	p.click("knobs-default")
	for _, i := range []int{11, 12, 13, 14} {
		if s := sel(i); strings.Contains(s, "failed") {
			t.Errorf("network %d after the crash: %q", i, s)
		}
	}
}

// On a phone the page is one column that fits the screen, and the cell
// view draws the whole cell, smaller, in its narrower frame: the op legend
// along its bottom edge shows all five colours, two of which (conv 1×1,
// pool) the chosen network here does not use, so only the legend has them.
func TestPhoneLayout(t *testing.T) {
	p := newPage(t)
	p.run(chromedp.EmulateViewport(390, 844))
	p.open(siteURL, "ep=30&run=1")
	p.ready()
	p.run(chromedp.WaitReady(`body[data-done="1"]`))
	if over := eval[float64](p, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
		t.Errorf("the page is %g px wider than the 390 px screen", over)
	}
	for _, id := range []string{"cell", "scatter", "reward"} {
		if r := eval[float64](p, fmt.Sprintf(`document.getElementById(%q).getBoundingClientRect().right`, id)); r > 390 {
			t.Errorf("#%s ends at x = %g, past the 390 px screen", id, r)
		}
	}
	p.run(chromedp.Sleep(300 * time.Millisecond)) // ebiten sizes its canvas on the next frames
	img := p.screenshot("phone-cell.png", chromedp.Screenshot("#cell"))
	b := img.Bounds()
	for o, c := range opColours {
		if n := countColour(img, image.Rect(0, 0, b.Dx(), b.Dy()), c); n < 10 {
			t.Errorf("op %s's colour: %d pixels in the phone's cell frame; the legend is cut off", space.Op(o), n)
		}
	}
	p.screenshot("layout-phone-run.png", chromedp.FullScreenshot(100))
}

// Changing a setting resets the run, and says so; the cell view then shows
// the new settings' empty cell, not the old run's network. The paper's
// number is given with the target it belongs to.
func TestSettingsChangeResets(t *testing.T) {
	p := newPage(t)
	p.open(siteURL, "ep=30&run=1")
	p.ready()
	p.run(chromedp.WaitReady(`body[data-done="1"]`))
	if got := eval[string](p, `document.getElementById('cell').title`); !strings.HasPrefix(got, "Cell view: Chosen: #") {
		t.Errorf("cell frame after the run: %q", got)
	}
	if got := p.text("#feasible"); !strings.Contains(got, "Paper (fi, at its T = 6 ms): 93.76 % / 5.49 ms.") {
		t.Errorf("feasible line: %q", got)
	}
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { const d = document.getElementById('device'); d.value = 'raspi4'; d.dispatchEvent(new Event('change')); })()`))
	if got := eval[string](p, `document.getElementById('cell').title`); got != "Cell view: Ready: 30 episodes of rl; press play or step" {
		t.Errorf("cell frame after a device change: %q", got)
	}
	if got := p.text("#run-status"); got != "0 / 30 episodes; settings changed: the run of 30 episodes was reset; press Play or Step" {
		t.Errorf("status after a device change: %q", got)
	}
	if got := p.text(`#card [data-k="testAcc"]`); got != "—" {
		t.Errorf("card after a device change still shows test accuracy %q", got)
	}
}

// A pick whose score is the indicator's worst value (a disconnected
// network: at 0.01 ms on the Pixel 3 only those meet T) shows as such on
// the card, not as the sentinel number.
func TestWorstScoreCard(t *testing.T) {
	p := newPage(t)
	p.open(siteURL, "ds=cifar100&dev=pixel3&t=0.01&ep=100&run=1")
	p.ready()
	p.run(chromedp.WaitReady(`body[data-done="1"]`))
	if got := p.text(`#card [data-k="score"]`); got != "worst (undefined for this network)" {
		t.Errorf("card's score %q", got)
	}
	// The pick, far below the chart's accuracy axis, is pinned to its
	// bottom edge: yellow star pixels there, above the pick's latency.
	awaitEval[bool](p, `new Promise((r) => { const k = setInterval(() => { if (frame()) { clearInterval(k); r(true); } }, 50); })`)
	p.run(chromedp.Evaluate[chromedp.Void](`drawMarks()`))
	star := eval[float64](p, `(() => {
		const f = frame();
		const [x] = toPx(f, Number(app.card.cost), f.yMin);
		const d = document.getElementById('scatter-marks').getContext('2d').getImageData(Math.round(x) - 10, Math.round(f.bottom) - 17, 21, 21).data;
		let n = 0;
		for (let i = 0; i < d.length; i += 4) if (d[i] > 230 && d[i + 1] > 190 && d[i + 1] < 230 && d[i + 2] < 60 && d[i + 3] > 200) n++;
		return n;
	})()`)
	if star < 10 {
		t.Errorf("pick at %s %% test accuracy: %v star pixels at the chart's bottom edge, want it pinned there", p.text(`#card [data-k="testAcc"]`), star)
	}
	p.screenshot("worst-score.png", chromedp.FullScreenshot(100))
}

// poll waits until the JavaScript predicate fn holds.
func (p *page) poll(fn string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.PollFunction[bool](fn)); err != nil {
		p.t.Fatalf("waiting for %s: %v", fn, err)
	}
}

// longKnobs set the lab's knobs to a computation of tens of seconds in
// its engine, within the memory it allows: only Stop ends it in a test.
const longKnobs = "[['k-batch', 16], ['k-c', 32], ['k-n', 1]]"

// The largest knobs are refused at once, saying what they would need and
// what to lower, instead of running for minutes until the engine runs out
// of memory; the worker stays and computes the next network.
func TestLabRefusesMemory(t *testing.T) {
	p := openTabFor(t, 2*time.Minute)
	p.open(siteURL+"/lab.html", "ind=params&ds=cifar10&i=0")
	p.ready()
	p.run(chromedp.WaitReady(`body[data-live="1"]`))
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { for (const [id, v] of [['k-batch', 256], ['k-c', 64], ['k-n', 5]]) document.getElementById(id).value = String(v); document.getElementById('live-compute').click(); })()`))
	p.poll(`() => document.getElementById('live-status').textContent.includes('failed')`)
	st := p.text("#live-status")
	for _, w := range []string{"Live computation failed: this configuration needs about ", "GB of memory", "more than this page's engine can count on (3.2 GB): lower the batch, C or N"} {
		if !strings.Contains(st, w) {
			t.Errorf("largest knobs: status %q, want %q in it", st, w)
		}
	}
	// The live column still holds the table configuration's values: it is
	// greyed as theirs, as after Stop or invalid knobs.
	if !eval[bool](p, `document.getElementById('net-ind').classList.contains('stale')`) || !strings.Contains(st, "The live column (greyed) is from configuration ") {
		t.Errorf("after a refusal the live column is not greyed as the last configuration's: stale %v, status %q", eval[bool](p, `document.getElementById('net-ind').classList.contains('stale')`), st)
	}
	if n := eval[int](p, `nasplayLab.pool.workers.filter((w) => w.failed).length`); n != 0 {
		t.Errorf("%d workers stopped by a refused configuration", n)
	}
	// A disconnected cell builds no network: it is computed at these knobs.
	// (The refusal's status is cleared first: the poll must see this
	// network's outcome, not the last one's.)
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { document.body.dataset.live = ''; document.getElementById('live-status').textContent = ''; const i = document.getElementById('lab-index'); i.value = '1651'; i.dispatchEvent(new Event('change')); })()`))
	p.poll(`() => document.body.dataset.live === '1' || document.getElementById('live-status').textContent.includes('failed')`)
	if st := p.text("#live-status"); strings.Contains(st, "failed") {
		t.Errorf("the disconnected cell #1651 at the largest knobs: %q", st)
	}
	p.click("knobs-default") // computes at the table's configuration
	p.poll(`() => document.body.dataset.live === '1' && !document.getElementById('live-status').textContent.includes('failed')`)
	// A memory cap that is no number of bytes is an error, not the default
	// cap unsaid (a string) nor a cap that refuses everything (NaN, 0).
	got := awaitEval[[]string](p, `(async () => {
  const w = nasplayLab.pool.workers[0], out = [];
  for (const max of ['1e15', NaN, 0, -1, 1e15]) {
    out.push(await w.call('compute', ['|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|', 'cifar10', '', max]).then(() => 'ok', (e) => e.message));
  }
  return out;
})()`)
	for i, want := range []string{"maxBytes", "maxBytes", "maxBytes", "maxBytes", "ok"} {
		if !strings.Contains(got[i], want) {
			t.Errorf("compute with memory cap %d of ['1e15', NaN, 0, -1, 1e15]: %q, want %q", i, got[i], want)
		}
	}
}

// Stop abandons a live computation too large to wait for: the worker
// running it is replaced, the live column is greyed as the last
// configuration's, and the next computation at the table's configuration
// runs on the renewed pool.
func TestLabStop(t *testing.T) {
	p := openTabFor(t, 2*time.Minute)
	p.open(siteURL+"/lab.html", "ind=params&ds=cifar10&i=0")
	p.ready()
	p.run(chromedp.WaitReady(`body[data-live="1"]`))
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { for (const [id, v] of ` + longKnobs + `) document.getElementById(id).value = String(v); document.getElementById('live-compute').click(); })()`))
	p.poll(`() => document.getElementById('live-status').textContent.startsWith('Computing')`)
	if eval[bool](p, `document.getElementById('live-stop').disabled`) {
		t.Fatal("Stop is disabled while a computation runs")
	}
	if n := eval[int](p, `nasplayLab.pool.busy.size`); n != 1 {
		t.Fatalf("%d workers busy before Stop, want 1", n)
	}
	p.click("live-stop")
	st := p.text("#live-status")
	if !strings.HasPrefix(st, "Stopped. The live column (greyed) is from configuration ") || !eval[bool](p, `document.getElementById('net-ind').classList.contains('stale') && document.getElementById('live-stop').disabled`) {
		t.Errorf("after Stop: status %q, stale %v, Stop disabled %v", st,
			eval[bool](p, `document.getElementById('net-ind').classList.contains('stale')`), eval[bool](p, `document.getElementById('live-stop').disabled`))
	}
	p.run(chromedp.Sleep(300 * time.Millisecond))
	if n := eval[int](p, `nasplayLab.pool.busy.size + nasplayLab.pool.workers.filter((w) => w.failed).length`); n != 0 {
		t.Errorf("%d workers busy or stopped after Stop", n)
	}
	p.click("knobs-default")
	p.poll(`() => document.body.dataset.live === '1'`)
	if st := p.text("#live-status"); !strings.Contains(st, "configuration "+eval[string](p, `nasplayLab.names.config_version`)) {
		t.Errorf("after Stop and the table's configuration: %q", st)
	}
	if errs := p.errors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}

// On laptop screens the lab keeps three columns: the network a student
// picks is shown beside the scatter, in sight, with its four columns of
// indicator values inside the panel (it used to go under the window's
// bottom edge, stretched across the page).
func TestLabLaptopLayout(t *testing.T) {
	p := newPage(t)
	// 1410: the wide layout needs 1418 px; below it the laptop's.
	for _, vp := range [][2]int64{{1366, 768}, {1280, 800}, {1410, 900}} {
		p.run(chromedp.EmulateViewport(vp[0], vp[1]))
		p.open(siteURL+"/lab.html", "ind=fi&ds=cifar100&i=14149")
		p.ready()
		p.run(chromedp.WaitReady(`body[data-live="1"]`)) // the live column filled
		got := eval[[]float64](p, `(() => {
		  const n = document.getElementById('net').getBoundingClientRect(), s = document.getElementById('lab-scatter').getBoundingClientRect();
		  const t = document.getElementById('net-ind'), box = document.getElementById('net');
		  return [n.top, n.left, s.right, s.width, t.getBoundingClientRect().right, box.getBoundingClientRect().right - parseFloat(getComputedStyle(box).paddingRight), document.documentElement.scrollWidth - innerWidth];
		})()`)
		if got[0] > 200 || got[1] < got[2] || got[3] < 500 || got[4] > got[5]+0.5 || got[6] > 0 {
			t.Errorf("%d×%d: network panel at y %g, x %g (scatter ends at x %g, %g px wide); its table ends at x %g, its content at %g; %g px wider than the screen", vp[0], vp[1], got[0], got[1], got[2], got[3], got[4], got[5], got[6])
		}
		// The choice is announced to a screen reader, as the arrow keys on
		// the scatter change nothing else it reads.
		if got := p.text("#net-announce"); got != "Network #14149, 70.346664 % test accuracy" {
			t.Errorf("announced %q for the chosen network", got)
		}
		p.screenshot(fmt.Sprintf("lab-laptop-%d.png", vp[0]), chromedp.CaptureScreenshot())
	}
}

// On a phone's dense screen the lab's scatter is drawn in device pixels and
// shrinks to the screen; a tap on a dot where it appears selects it.
func TestLabPhone(t *testing.T) {
	p := newPage(t)
	p.run(chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(3)))
	p.open(siteURL+"/lab.html", "ind=params&ds=cifar10")
	p.ready()
	size := eval[[]float64](p, `(() => { const c = document.getElementById('lab-scatter'); c.scrollIntoView(); const r = c.getBoundingClientRect(); return [c.width, c.height, r.width, r.height, r.left, r.top]; })()`)
	if size[0] != 3*640 || size[1] != 3*440 || size[2] > 390 || math.Abs(size[2]/size[3]-640.0/440) > 0.01 {
		t.Fatalf("scatter is %g×%g pixels shown at %g×%g CSS pixels; want 1920×1320 within the 390 px screen, aspect kept", size[0], size[1], size[2], size[3])
	}
	if over := eval[float64](p, `document.documentElement.scrollWidth - window.innerWidth`); over > 0 {
		t.Errorf("the lab is %g px wider than the 390 px screen", over)
	}
	// Tap the dot of the network with the most parameters (at the right
	// edge); the lab selects a network drawn at that spot (several share
	// it), not a neighbour's.
	params := tab.ParamsM(tables.CIFAR10)
	acc := tab.TestAccs(tables.CIFAR10)
	ranked, err := reward.Rank(params)
	if err != nil {
		t.Fatal(err)
	}
	top := 0
	for i, n := range ranked.Norm {
		if n > ranked.Norm[top] {
			top = i
		}
	}
	yr := eval[[]float64](p, `window.nasplayLab.yr`)
	k := size[2] / 640
	at := func(i int) (float64, float64) {
		return size[4] + k*(54+ranked.Norm[i]*(628-54)), size[5] + k*(396-(float64(acc[i])-yr[0])/(yr[1]-yr[0])*(396-14))
	}
	x, y := at(top)
	p.run(chromedp.MouseClickXY(x, y))
	p.run(chromedp.Sleep(300 * time.Millisecond))
	sel := eval[int](p, `nasplayLab.selected`)
	if sel < 0 {
		t.Fatalf("tapped the dot of #%d at (%.0f, %.0f): nothing selected", top, x, y)
	}
	if sx, sy := at(sel); math.Hypot(sx-x, sy-y) > 0.5 {
		t.Errorf("tapped the dot of #%d at (%.1f, %.1f), the lab selected #%d drawn at (%.1f, %.1f)", top, x, y, sel, sx, sy)
	}
	p.screenshot("lab-phone.png", chromedp.Screenshot("#scatter-sec"))
}

// A change of the screen's pixel ratio in the middle of a run (the
// browser's zoom, or the window moved to another screen) keeps what the
// run has drawn on the layers that grow a dot at a time.
func TestZoomMidRun(t *testing.T) {
	p := newPage(t)
	p.open(siteURL, "ep=40")
	p.ready()
	const painted = `(() => { const out = []; for (const id of ['scatter-samples', 'reward']) { const c = document.getElementById(id); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; out.push(n); } return out; })()`
	p.run(chromedp.Evaluate[chromedp.Void](`for (let i = 0; i < 20; i++) document.getElementById('step').click()`))
	p.run(chromedp.Sleep(300 * time.Millisecond))
	before := eval[[]float64](p, painted)
	p.run(chromedp.EmulateViewport(1280, 800, chromedp.EmulateScale(1.25)))
	p.run(chromedp.Sleep(300 * time.Millisecond))
	p.click("step")
	p.run(chromedp.Sleep(300 * time.Millisecond))
	after := eval[[]float64](p, painted)
	if before[0] == 0 || after[0] < before[0] || after[1] < before[1] {
		t.Errorf("painted pixels (samples, reward) %v after 20 steps, %v after one more at pixel ratio 1.25", before, after)
	}
}

// Stop pressed while the worker pool is still starting drops the request:
// nothing is computed once the pool is up, and the status stays "Stopped.".
func TestLabStopDuringStart(t *testing.T) {
	p := openLab(t)
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { const i = document.getElementById('lab-index'); i.value = '0'; i.dispatchEvent(new Event('change')); })()`))
	p.poll(`() => document.getElementById('live-status').textContent.startsWith('Starting')`)
	p.click("live-stop")
	p.poll(`() => nasplayLab.pool.startMs !== undefined`) // the pool is up
	p.run(chromedp.Sleep(2 * time.Second))
	if st, n := p.text("#live-status"), eval[int](p, `nasplayLab.pool.stats.computed + nasplayLab.pool.busy.size`); !strings.HasPrefix(st, "Stopped.") || n != 0 {
		t.Errorf("Stop during the pool's start: status %q, %d computed or running", st, n)
	}
}

// On a 1280×800 laptop the Play button and the cell view are on screen
// together before anything is scrolled.
func TestPlayInView(t *testing.T) {
	p := newPage(t)
	p.run(chromedp.EmulateViewport(1280, 720))
	p.open(siteURL, "")
	p.ready()
	got := eval[[]float64](p, `(() => { const b = document.getElementById('play').getBoundingClientRect(), c = document.getElementById('cell').getBoundingClientRect(); return [b.top, b.bottom, c.top, innerHeight]; })()`)
	if got[1] > got[3] || got[0] < 0 || got[2] < 0 || got[2] > got[3]/2 {
		t.Errorf("Play at y %g–%g, the cell view at y %g, in a %g px high window", got[0], got[1], got[2], got[3])
	}
	p.screenshot("play-in-view.png", chromedp.CaptureScreenshot())
}

// On the common laptop screens the cell view, the result card and the top
// of the latency–accuracy scatter are all seen before anything is scrolled:
// a student pressing Play watches the sampled networks land on the chart.
func TestScatterInView(t *testing.T) {
	p := newPage(t)
	for _, vp := range [][2]int64{{1366, 768}, {1280, 800}, {1440, 900}} {
		p.run(chromedp.EmulateViewport(vp[0], vp[1]))
		p.open(siteURL, "ds=cifar100&dev=pixel3&t=20&run=1") // the card at its fullest
		p.run(chromedp.WaitReady(`body[data-done="1"]`))
		got := eval[[]float64](p, `(() => {
		  const top = (id) => document.getElementById(id).getBoundingClientRect().top;
		  const s = document.querySelector('#scatter-panel .chart').getBoundingClientRect();
		  return [top('cell'), top('result'), s.top, s.width, innerHeight];
		})()`)
		// A third of the chart, its top band where the best networks lie.
		if got[0] < 0 || got[1] > got[4]/2 || got[2]+got[3]*380/560/3 > got[4] {
			t.Errorf("%d×%d: cell view at y %g, result card at y %g, scatter at y %g (%g px wide), in a %g px high window", vp[0], vp[1], got[0], got[1], got[2], got[3], got[4])
		}
		p.screenshot(fmt.Sprintf("scatter-in-view-%d.png", vp[0]), chromedp.CaptureScreenshot())
	}
}

// Bad calls to the engines are errors the page can show, and the engines
// keep working after them: a panic in Go (null where a string belongs, a
// Uint8Array of another window) would otherwise end the program, and a
// malformed message would stall a worker's queue for good.
func TestBridgeErrors(t *testing.T) {
	p := newPage(t)
	p.open(siteURL, "ep=5")
	p.ready()
	got := eval[[]string](p, `(() => {
  const np = nasplayApp.np, out = [];
  for (const f of [() => np.parse(null), () => np.load(new Uint8Array(4)), () => np.step(NaN), () => np.step('5'), () => np.parse({ toString: null })]) {
    const r = JSON.parse(f());
    out.push(r.error || '');
  }
  out.push(JSON.parse(np.parse('ds=cifar100')).ds || 'dead');
  return out;
})()`)
	// The last bad call panics in Go (its toString is no function): an
	// error, and the engine still answers the next call.
	want := []string{"", "want the tables asset as a Uint8Array of this window", "step: want the number of episodes", "step: want the number of episodes", "parse: internal error", "cifar100"}
	for i, w := range want {
		if w == "" && got[i] != "" || !strings.Contains(got[i], w) {
			t.Errorf("call %d: %q, want %q", i, got[i], w)
		}
	}
	p.open(siteURL, "ep=5&live=1")
	p.ready()
	if e := eval[string](p, `JSON.parse(nasplayApp.np.step(1, 0)).error || ''`); !strings.Contains(e, "scored live") {
		t.Errorf("step on a live search: %q", e)
	}

	lab := openLab(t)
	res := awaitEval[[]string](lab, `(async () => {
  const w = nasplayLab.table, out = [];
  w.worker.postMessage(null);
  out.push(await w.call('load', ['calib', {}]).then(() => '', (e) => e.message));
  out.push((await w.call('names')).value.names.join(','));
  return out;
})()`)
	if !strings.Contains(res[0], "load: want calib as a Uint8Array") || !strings.Contains(res[1], "params") {
		t.Errorf("worker after a null message and a bad load: %q", res)
	}
}

// On a laptop screen the run buttons stick to the bottom of the window: a
// control reached with Tab must not be scrolled under them, where its focus
// ring cannot be seen.
func TestFocusNotUnderStickyButtons(t *testing.T) {
	p := newPage(t)
	p.run(chromedp.EmulateViewport(1280, 720))
	p.open(siteURL, "")
	p.ready()
	for range 16 {
		p.run(chromedp.KeyEvent(kb.Tab))
		// The focused control, down to its 3 px ring 2 px away, is not
		// under the button bar.
		hidden := eval[string](p, `(() => {
		  const e = document.activeElement, r = e.getBoundingClientRect(), bar = document.querySelector('#controls .run-bar');
		  if (bar.contains(e)) return '';
		  for (const y of [r.top + r.height / 2, r.bottom + 4]) {
		    const at = document.elementFromPoint(r.left + r.width / 2, y);
		    if (y >= innerHeight || (at && bar.contains(at))) return e.id + ' under ' + (at ? at.id || at.tagName : 'the window edge');
		  }
		  return '';
		})()`)
		if hidden != "" {
			t.Errorf("focused control hidden: %s", hidden)
		}
	}
}

// Stop disables itself when the computation ends, by its press or by the
// result: a keyboard user's focus on it moves to Compute live, not back to
// the top of the page.
func TestLabStopKeepsFocus(t *testing.T) {
	p := openTabFor(t, 2*time.Minute)
	p.open(siteURL+"/lab.html", "ind=params&ds=cifar10&i=0")
	p.ready()
	p.run(chromedp.WaitReady(`body[data-live="1"]`))
	focused := func() string {
		return eval[string](p, `document.activeElement.id || document.activeElement.tagName`)
	}
	for _, end := range []string{"Enter on Stop", "the result"} {
		knobs := longKnobs
		if end == "the result" {
			knobs = `[['k-batch', 24], ['k-c', 4], ['k-n', 1]]`
		}
		p.run(chromedp.Evaluate[chromedp.Void](`(() => { for (const [id, v] of ` + knobs + `) document.getElementById(id).value = String(v); document.getElementById('live-compute').click(); })()`))
		p.run(chromedp.Focus("#live-stop"))
		if got := focused(); got != "live-stop" {
			t.Fatalf("%s: Stop not focusable during a computation (focus on %s)", end, got)
		}
		if end == "Enter on Stop" {
			p.run(chromedp.KeyEvent(kb.Enter))
		}
		p.poll(`() => document.getElementById('live-stop').disabled`)
		if got := focused(); got != "live-compute" {
			t.Errorf("after %s: focus on %s, want live-compute", end, got)
		}
	}
}

// The lab's controls used while its tables are still loading (held here
// until the keys are pressed, as a slow network or CPU would) are no
// error: the page loads without an error or a correction the link did not
// need, and what the controls show is what the page shows.
func TestLabControlsDuringLoad(t *testing.T) {
	p := newPage(t)
	holdTables(t, p)
	p.run(chromedp.Navigate(siteURL + "/lab.html"))
	// A control that cannot be focused yet (disabled) is fine: that is
	// one way of not acting on it.
	for _, k := range []struct{ sel, keys string }{{"#lab-dataset", kb.ArrowDown}, {"#lab-index", "42" + kb.Tab}, {"#k-batch", kb.ArrowUp}, {"#lab-scatter", kb.ArrowLeft}} {
		if _, err := chromedp.Run(p.ctx, chromedp.Focus(k.sel)); err != nil {
			t.Logf("%s: %v", k.sel, err)
			continue
		}
		p.run(chromedp.KeyEvent(k.keys))
	}
	if eval[string](p, `document.body.dataset.ready || ''`) != "" {
		t.Fatal("the lab was ready before its tables came: the test proves nothing")
	}
	p.run(chromedp.Evaluate[chromedp.Void](`window.__go()`))
	p.run(chromedp.WaitReady(`body[data-ready="1"], body[data-failed="1"]`))
	if failed := eval[string](p, `document.body.dataset.failed || ''`); failed != "" {
		t.Errorf("controls used during loading: the lab failed with %q", p.text("#error"))
	}
	if !eval[bool](p, `document.getElementById('notices').hidden`) {
		t.Errorf("a plain link got a correction notice: %q", p.text("#notices"))
	}
	ds := eval[string](p, `document.getElementById('lab-dataset').selectedOptions[0].text`)
	if title := p.text("#scatter-title"); !strings.Contains(title, ds) {
		t.Errorf("dataset menu shows %s, the scatter %q", ds, title)
	}
	if box, title := p.value("lab-index"), p.text("#net-title"); box != "" && title != "#"+box {
		t.Errorf("the index box shows %q, the network panel %q", box, title)
	}
}

// The export files are named after every setting that changes the run:
// two runs that differ only in α, or in live scoring, get different names.
func TestExportFileNames(t *testing.T) {
	p := newPage(t)
	names := map[string]string{}
	for _, q := range []string{
		"ds=cifar10&dev=edgegpu&t=6&alpha=0.9&ind=cj&algo=rl&seed=0&ep=1",
		"ds=cifar10&dev=edgegpu&t=6&alpha=0.5&ind=cj&algo=rl&seed=0&ep=1",
		"ds=cifar10&dev=edgegpu&t=6&alpha=0.9&ind=cj&algo=rl&seed=0&ep=1&live=1",
	} {
		p.open(siteURL, q)
		p.ready()
		name := eval[string](p, `(() => {
		  let name = '';
		  const click = HTMLAnchorElement.prototype.click;
		  HTMLAnchorElement.prototype.click = function () { name = this.download; };
		  try { document.getElementById('export-csv').disabled = false; document.getElementById('export-csv').click(); } finally { HTMLAnchorElement.prototype.click = click; }
		  return name;
		})()`)
		if other, ok := names[name]; ok {
			t.Errorf("%s and %s export as the same file %s", other, q, name)
		}
		names[name] = q
		t.Logf("%s: %s", q, name)
	}
	if _, ok := names["nasplay-cifar10-edgegpu-t6ms-a0.5-rl-cj-seed0-ep1.csv"]; !ok {
		t.Errorf("file names %v: want α in them, as nasplay-cifar10-edgegpu-t6ms-a0.5-rl-cj-seed0-ep1.csv", names)
	}
}

// The lab's "Back to the search" returns to the search the user came from,
// with its settings (they live in its URL), not to a page of defaults.
func TestLabBackKeepsSettings(t *testing.T) {
	p := newPage(t)
	const query = "ds=cifar100&dev=pixel3&t=15&alpha=0.7&ind=flops&algo=evolution&seed=3&ep=40&speed=2"
	p.open(siteURL, query)
	p.ready()
	// A setting changed on the page, after it opened.
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { const e = document.getElementById('seed'); e.value = '5'; e.dispatchEvent(new Event('change')); })()`))
	want := eval[string](p, `location.search`)
	p.run(chromedp.Click(`#lab-link`))
	p.run(chromedp.WaitReady(`#lab-indicator`))
	p.run(chromedp.Click(`#back`))
	p.run(chromedp.WaitReady(`body[data-ready="1"], body[data-failed="1"]`))
	p.ready()
	if got := eval[string](p, `location.search`); got != want {
		t.Errorf("back from the lab: %s, want the search's own %s", got, want)
	}
}

// The search page's link to the lab opens it on the search's dataset and
// indicator, changed on the page after it opened: a student searching on
// CIFAR-100 with fi who opens the lab sees fi on CIFAR-100, not CIFAR-10.
func TestLabLinkKeepsDataset(t *testing.T) {
	p := newPage(t)
	p.open(siteURL, "ds=cifar100&dev=pixel3&t=20&ind=fi")
	p.ready()
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { const e = document.getElementById('indicator'); e.value = 'flops'; e.dispatchEvent(new Event('change')); })()`))
	p.run(chromedp.Click(`#lab-link`))
	p.run(chromedp.WaitReady(`body[data-ready="1"], body[data-failed="1"]`))
	p.ready()
	if ds, ind := p.value("lab-dataset"), p.value("lab-indicator"); ds != "cifar100" || ind != "flops" {
		t.Errorf("the lab opened from a search on cifar100 with flops shows %s with %s", ds, ind)
	}
	if n := eval[bool](p, `document.getElementById('notices').hidden`); !n {
		t.Errorf("the lab opened from the search lists corrections: %q", p.text("#notices"))
	}
}

// The lab's Back link takes only the search page beside the lab from
// document.referrer: another page of the same origin (the host's home page,
// another project on the same GitHub Pages origin) is not the search, and
// Back must not lead there.
func TestLabBackOnlyToTheSearch(t *testing.T) {
	for _, c := range []struct{ from, want string }{
		{"/blog/", "index.html"},
		{"/other/index.html?ds=cifar100", "index.html"},
		{"/index.html?ds=cifar100&seed=4", "/index.html?ds=cifar100&seed=4"},
		{"/?ds=cifar100", "/?ds=cifar100"},
	} {
		t.Run(c.from, func(t *testing.T) {
			p := newPage(t)
			src := fmt.Sprintf(`Object.defineProperty(Document.prototype, 'referrer', { get: () => location.origin + %q });`, c.from)
			if _, err := chromedp.Call(p.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: src}); err != nil {
				t.Fatal(err)
			}
			origin := strings.TrimSuffix(siteURL, "/")
			p.open(origin+"/lab.html", "ind=params")
			p.ready()
			want := c.want
			if strings.HasPrefix(want, "/") {
				want = origin + want
			}
			if got := eval[string](p, `document.getElementById('back').getAttribute('href')`); got != want {
				t.Errorf("lab opened from %s: Back links to %s, want %s", c.from, got, want)
			}
		})
	}
}

// cores makes the page see a machine with n cores (navigator.hardwareConcurrency).
func cores(t *testing.T, p *page, n int) {
	t.Helper()
	src := fmt.Sprintf(`Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => %d });`, n)
	if _, err := chromedp.Call(p.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: src}); err != nil {
		t.Fatal(err)
	}
}

// Compute live pressed while the selected network's request waits for a
// busy worker asks for it again: the request must stay queued, not be
// dropped with the one it replaces (it used to join that cancelled
// request and end silently, with Stop disabled).
func TestLabComputeAgainWhileQueued(t *testing.T) {
	p := openTabFor(t, 2*time.Minute)
	cores(t, p, 1) // one live worker
	p.open(siteURL+"/lab.html", "ind=params&ds=cifar10&i=0")
	p.ready()
	p.run(chromedp.WaitReady(`body[data-live="1"]`))
	// The only worker computes for tens of seconds (longKnobs)…
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { for (const [id, v] of ` + longKnobs + `) document.getElementById(id).value = String(v); document.getElementById('live-compute').click(); })()`))
	p.poll(`() => document.getElementById('live-status').textContent.startsWith('Computing')`)
	// …while another network waits for it…
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { const i = document.getElementById('lab-index'); i.value = '1'; i.dispatchEvent(new Event('change')); })()`))
	p.poll(`() => nasplayLab.pool.queue.length === 1`)
	// …and is asked for again.
	p.click("live-compute")
	p.run(chromedp.Sleep(300 * time.Millisecond))
	queued, stopOff := eval[int](p, `nasplayLab.pool.queue.length`), eval[bool](p, `document.getElementById('live-stop').disabled`)
	if queued != 1 || stopOff {
		t.Errorf("Compute live again while its network waited: %d requests queued (want 1), Stop disabled %v; status %q", queued, stopOff, p.text("#live-status"))
	}
	p.click("live-stop")
	if errs := p.errors(); len(errs) > 0 {
		t.Errorf("console errors: %v", errs)
	}
}

// A live run to the end stops, as in table mode, when Play is pressed (and
// then Pause), and Pause at 300 episodes/s stops the played batch of five:
// only the episode computing at the click may still land.
func TestLiveFinishInterrupted(t *testing.T) {
	settled := func(p *page, what string) {
		t.Helper()
		p.run(chromedp.Sleep(600 * time.Millisecond)) // the episode computing at the click (300 ms)
		before := eval[int](p, `nasplayApp.points.length`)
		p.run(chromedp.Sleep(2 * time.Second))
		if after := eval[int](p, `nasplayApp.points.length`); after != before {
			t.Errorf("%s: %d episodes, %d two seconds later (button %q, status %q)", what, before, after, p.text("#play"), p.text("#run-status"))
		}
	}
	p := fakeLivePage(t, "ds=cifar10&dev=edgegpu&ind=cj&live=1&speed=3&ep=50")
	p.click("finish")
	p.run(chromedp.Sleep(time.Second))
	p.click("play") // takes over from the run to the end
	p.run(chromedp.Sleep(500 * time.Millisecond))
	p.click("play") // pause
	settled(p, "Run to end, Play, Pause")

	p = fakeLivePage(t, "ds=cifar10&dev=edgegpu&ind=cj&live=1&speed=5&ep=50")
	p.click("play")
	p.run(chromedp.Sleep(400 * time.Millisecond))
	p.click("play") // pause, in the first batch of five
	settled(p, "Play at 300 episodes/s, Pause")
	if n := eval[int](p, `nasplayApp.points.length`); n >= 5 {
		t.Errorf("Pause in the first played batch: %d episodes, want under 5", n)
	}
}

// The search page computes one network at a time (Propose, then Score), so
// its live pool has one worker whatever the core count: more would only
// hold memory. The status line counts it in words.
func TestLiveOneWorker(t *testing.T) {
	p := openTabFor(t, 2*time.Minute)
	cores(t, p, 8)
	p.open(siteURL, "ds=cifar10&dev=edgegpu&ind=cj&live=1&ep=5&speed=3")
	p.ready()
	p.click("step")
	p.poll(`() => nasplayApp.points.length === 1`)
	if n := eval[int](p, `nasplayApp.livePool.workers.length`); n != 1 {
		t.Errorf("on 8 cores the search page's live pool has %d workers, want 1", n)
	}
	p.poll(`() => document.getElementById('live-status').textContent.startsWith('Live: idle')`)
	if st := p.text("#live-status"); !strings.HasPrefix(st, "Live: idle, 1 worker ready.") {
		t.Errorf("live status %q", st)
	}
}

// A worker replaced after its engine stopped, whose replacement cannot load
// (here: damaged calibration images; in the field, worker.wasm unreachable),
// fails the next request with the reason instead of leaving it waiting for
// a worker that never comes.
func TestLiveReplacementFails(t *testing.T) {
	p := openLab(t)
	got := awaitEval[string](p, `(async () => {
	  const pool = new NasplayLive.LivePool({ workers: 1 });
	  await pool.start();
	  pool.assets.calib = new Uint8Array([1, 2, 3]); // what a replacement is handed
	  pool.workers[0].failed = new Error('the engine in this worker has stopped');
	  const A = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|skip_connect~0|none~1|avg_pool_3x3~2|';
	  const B = '|nor_conv_1x1~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|skip_connect~0|none~1|avg_pool_3x3~2|';
	  const first = await pool.compute(A, 'cifar10').then(() => 'computed', (e) => e.message);
	  const timeout = new Promise((r) => setTimeout(() => r('still waiting after 10 s'), 10000));
	  const second = await Promise.race([pool.compute(B, 'cifar10').then(() => 'computed', (e) => 'failed: ' + e.message), timeout]);
	  pool.terminate();
	  return first + ' / ' + second;
	})()`)
	if !strings.Contains(got, "/ failed: ") {
		t.Errorf("a request after a replacement that cannot load: %s", got)
	}
	t.Log(got)
}

// The reward chart is drawn at 560×260 and shown scaled to its column,
// which on a laptop is a third of the page (314 px at 1366×768): its
// axis labels are drawn larger by the same factor, so that they are read
// at 10 px or more wherever it is shown.
func TestRewardLabelsLegible(t *testing.T) {
	p := newPage(t)
	for _, vp := range [][2]int64{{1366, 768}, {1280, 800}, {1440, 900}, {1600, 900}, {390, 844}} {
		p.run(chromedp.EmulateViewport(vp[0], vp[1]))
		p.open(siteURL, "ds=cifar100&dev=pixel3&t=20")
		p.ready()
		// The axes are drawn when the run resets: a change of seed.
		got := eval[[]float64](p, `(() => {
		  const c = document.getElementById('reward'), fill = CanvasRenderingContext2D.prototype.fillText, sizes = [];
		  CanvasRenderingContext2D.prototype.fillText = function (...a) { if (this.canvas === c) sizes.push(parseFloat(this.font)); return fill.apply(this, a); };
		  try { const e = document.getElementById('seed'); e.value = '1'; e.dispatchEvent(new Event('change')); } finally { CanvasRenderingContext2D.prototype.fillText = fill; }
		  return [Math.min(...sizes), c.getBoundingClientRect().width, Number(c.dataset.w), sizes.length];
		})()`)
		shown := got[0] * got[1] / got[2]
		if got[3] == 0 || shown < 10 {
			t.Errorf("%d×%d: the reward chart's labels are drawn at %g px on a %g px canvas shown %g px wide: %.1f px on screen", vp[0], vp[1], got[0], got[2], got[1], shown)
		}
		p.screenshot(fmt.Sprintf("reward-labels-%d.png", vp[0]), chromedp.Screenshot("#reward-panel"))
	}
	// A window resized mid-run: the chart is redrawn, episodes so far
	// included, with labels for its new size.
	p.run(chromedp.EmulateViewport(1600, 900))
	p.open(siteURL, "ds=cifar100&dev=pixel3&t=20&ep=60&run=1")
	p.run(chromedp.WaitReady(`body[data-done="1"]`))
	const blue = `(() => { const c = document.getElementById('reward'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i + 2] > 150 && d[i] < 120) n++; return n; })()`
	before := eval[int](p, blue)
	p.run(chromedp.Evaluate[chromedp.Void](`(() => {
	  const c = document.getElementById('reward'), fill = CanvasRenderingContext2D.prototype.fillText;
	  window.rewardSizes = [];
	  CanvasRenderingContext2D.prototype.fillText = function (...a) { if (this.canvas === c) rewardSizes.push(parseFloat(this.font)); return fill.apply(this, a); };
	})()`))
	p.run(chromedp.EmulateViewport(1300, 800))
	p.poll(`() => rewardSizes.length > 0`) // the labels are drawn again
	if shown := eval[float64](p, `(() => { const c = document.getElementById('reward'); return Math.min(...rewardSizes) * c.getBoundingClientRect().width / Number(c.dataset.w); })()`); shown < 10 {
		t.Errorf("after the resize the reward chart's labels are %.1f px on screen", shown)
	}
	if after := eval[int](p, blue); after < before/2 {
		t.Errorf("after the resize the reward chart has %d blue pixels, %d before: the episodes were not redrawn", after, before)
	}
}

// The sticky run bar covers the controls that scroll under it with a gap
// above its buttons: a label there is hidden, not cut off flush against
// the buttons' top edge (the buttons' top margin used to collapse through
// the bar, leaving that gap transparent).
func TestRunBarCoversAboveButtons(t *testing.T) {
	p := newPage(t)
	for _, vp := range [][2]int64{{1366, 768}, {1280, 800}} {
		p.run(chromedp.EmulateViewport(vp[0], vp[1]))
		p.open(siteURL, "")
		p.ready()
		got := eval[[]any](p, `(() => {
		  const bar = document.querySelector('#controls .run-bar'), b = document.getElementById('play').getBoundingClientRect();
		  const out = [b.top];
		  for (const dy of [2, 5, 7]) { const at = document.elementFromPoint(b.left + 4, b.top - dy); out.push(at && bar.contains(at) ? 'bar' : (at ? at.id || at.tagName : 'none')); }
		  return out;
		})()`)
		for _, w := range got[1:] {
			if w != "bar" {
				t.Errorf("%d×%d: above Play (top at y %v), 2, 5 and 7 px up: %v, want the bar each time", vp[0], vp[1], got[0], got[1:])
				break
			}
		}
	}
}

// Copy link puts the address of the run, every setting and run=1 once it
// is done, on the clipboard (an embedding page's visitor has no address
// bar to copy it from); the link opens the same run. Where the clipboard
// is refused, the link is shown, selected, for Ctrl+C.
func TestCopyLink(t *testing.T) {
	p := newPage(t)
	p.open(siteURL, "ds=cifar100&dev=raspi4&t=30&seed=3&ep=40&run=1")
	p.run(chromedp.WaitReady(`body[data-done="1"]`))
	trace := p.text(`#card [data-k="traceHash"]`)
	p.run(chromedp.Evaluate[chromedp.Void](`navigator.clipboard.writeText = async (s) => { window.copied = s; }`))
	p.click("copy-link")
	p.poll(`() => window.copied !== undefined`)
	link := eval[string](p, `window.copied`)
	if !strings.HasPrefix(link, siteURL) || !strings.Contains(link, "ds=cifar100") || !strings.Contains(link, "seed=3") || !strings.Contains(link, "run=1") {
		t.Fatalf("copied %q, want this run's link with run=1", link)
	}
	if l := p.text("#copy-link"); l != "Copied" {
		t.Errorf("button says %q after copying", l)
	}
	q := newPage(t)
	q.run(chromedp.Navigate(link))
	q.run(chromedp.WaitReady(`body[data-done="1"]`))
	if got := q.text(`#card [data-k="traceHash"]`); got != trace {
		t.Errorf("the copied link ran trace %s, want %s", got, trace)
	}

	p.run(chromedp.Evaluate[chromedp.Void](`navigator.clipboard.writeText = async () => { throw new Error('denied'); }`))
	p.run(chromedp.Sleep(1600 * time.Millisecond)) // the label is back
	p.click("copy-link")
	p.poll(`() => !document.getElementById('link-text').hidden`)
	field := eval[[]string](p, `(() => { const f = document.getElementById('link-text'); return [f.value, String(document.activeElement === f && f.selectionEnd - f.selectionStart === f.value.length), document.getElementById('copy-link').textContent]; })()`)
	if field[0] != link || field[1] != "true" || field[2] != "Selected: press Ctrl+C" {
		t.Errorf("clipboard refused: field %q (selected %s), button %q", field[0], field[1], field[2])
	}
	// The field shown keeps to the page's link: a new setting (here the
	// seed, which resets the run: no run=1) and then the speed change it.
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById('seed'); s.value = '4'; s.dispatchEvent(new Event('change')); const v = document.getElementById('speed'); v.value = '1'; v.dispatchEvent(new Event('input')); })()`))
	got := eval[[]string](p, `[document.getElementById('link-text').value, location.origin + location.pathname + location.search]`)
	if got[0] != got[1] || !strings.Contains(got[0], "seed=4") || !strings.Contains(got[0], "speed=1") {
		t.Errorf("after new settings the link field holds %q; the page's link is %q", got[0], got[1])
	}
}
