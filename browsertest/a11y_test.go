package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Accessibility checks for screen reader users: what the live regions say,
// and when.

// announcer counts, per live region (an element with aria-live other than
// off, role status or alert, or an <output>, whose implicit role is status),
// the changes of its text made while it was live: each is an announcement.
const announcer = `(() => {
  window.__said = {};
  const region = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const live = e.getAttribute('aria-live');
      if (live) return live === 'off' ? null : e;
      if (['status', 'alert'].includes(e.getAttribute('role')) || e.tagName === 'OUTPUT') return e;
    }
    return null;
  };
  new MutationObserver((ms) => {
    for (const m of ms) {
      const r = region(m.target.nodeType === 3 ? m.target.parentElement : m.target);
      if (r) window.__said[r.id || r.tagName] = (window.__said[r.id || r.tagName] || 0) + 1;
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
  return true;
})()`

// said is how many changes each live region announced since announcer ran,
// and resets the count.
func (p *page) said() map[string]float64 {
	p.t.Helper()
	return eval[map[string]float64](p, `(() => { const s = window.__said; window.__said = {}; return s; })()`)
}

// A run to the end is not announced slice by slice, nor episode by
// episode in live scoring: like Play, it is heard when it stops. A slider's
// value is said by the slider itself, so the <output> beside it (a status
// region by default) does not say it again, nor on every setting change.
func TestLiveRegionsNotChatty(t *testing.T) {
	p := newPage(t)
	p.open(siteURL, "ind=params&ep=5000")
	p.ready()
	eval[bool](p, announcer)
	p.click("finish")
	p.poll(`() => document.body.dataset.done === '1'`)
	if n := p.said()["run-status"]; n > 1 {
		t.Errorf("a run to the end in slices announced the status %g times, want once, at the end", n)
	}
	if live := eval[string](p, `document.getElementById('run-status').getAttribute('aria-live')`); live != "polite" {
		t.Errorf("after the run to the end the status is aria-live=%q, want polite", live)
	}
	// A setting change: the run's status and the count under T, not the
	// three sliders' values.
	p.run(chromedp.Evaluate[chromedp.Void](`(() => { const d = document.getElementById('device'); d.value = 'raspi4'; d.dispatchEvent(new Event('change')); })()`))
	for k := range p.said() {
		if strings.HasSuffix(k, "-out") || k == "OUTPUT" {
			t.Errorf("a device change announced the slider value %s", k)
		}
	}

	q := fakeLivePage(t, "ds=cifar10&dev=edgegpu&ind=cj&live=1&speed=3&ep=8")
	eval[bool](q, announcer)
	q.click("finish")
	q.poll(`() => document.body.dataset.done === '1'`)
	q.run(chromedp.Sleep(100 * time.Millisecond))
	if n := q.said()["run-status"]; n > 2 {
		t.Errorf("a live run to the end of 8 episodes announced the status %g times, want it said when it ends", n)
	}
	// Step after a run to the end that Step interrupts is heard.
	q.click("reset")
	q.click("finish")
	q.run(chromedp.Sleep(500 * time.Millisecond))
	q.click("step")
	q.run(chromedp.Sleep(1500 * time.Millisecond))
	if live := eval[string](q, `document.getElementById('run-status').getAttribute('aria-live')`); live != "polite" {
		t.Errorf("Step after Run to end: the status is aria-live=%q, want polite", live)
	}
}

// The search page's live-scoring status ticks every 200 ms while a network
// computes: it is not a live region then, but a failure is announced.
func TestLiveStatusQuietUntilFailure(t *testing.T) {
	p := openTabFor(t, 2*time.Minute)
	p.open(siteURL, "ds=cifar10&dev=edgegpu&ind=cj&live=1&ep=3")
	p.ready()
	eval[bool](p, announcer)
	p.click("finish")
	p.poll(`() => document.body.dataset.done === '1'`)
	if n := p.said()["live-status"]; n > 0 {
		t.Errorf("a live run of 3 episodes announced the live status %g times (it ticks every 200 ms), want none", n)
	}
	p.run(chromedp.Evaluate[chromedp.Void](`liveFailed(new Error('hiccup'))`))
	if n := p.said()["live-status"]; n < 1 {
		t.Errorf("a live scoring failure was not announced")
	}
}

// axText finds the accessibility tree's text that contains words and says
// whether it is there and in a live region (an ancestor whose live
// property is not off).
func (p *page) axText(words string) (found, live bool) {
	p.t.Helper()
	res, err := chromedp.Call(p.ctx, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
	if err != nil {
		p.t.Fatal(err)
	}
	byID := map[accessibility.NodeID]*accessibility.Node{}
	for _, n := range res.Nodes {
		byID[n.NodeID] = n
	}
	for _, n := range res.Nodes {
		if n.Ignored || n.Role == nil || string(n.Role.Value) != `"StaticText"` || n.Name == nil || !strings.Contains(string(n.Name.Value), words) {
			continue
		}
		for a := byID[n.ParentID]; a != nil; a = byID[a.ParentID] {
			for _, pr := range a.Properties {
				if pr.Name == accessibility.PropertyNameLive && string(pr.Value.Value) != `"off"` {
					return true, true
				}
			}
		}
		return true, false
	}
	return false, false
}

// A download that stalls is announced, not only shown beside the loading
// bar (it was in no live region), and what loads is read.
func TestLoadingWordsAnnounced(t *testing.T) {
	p := newPage(t)
	p.open(siteURL, "")
	p.ready()
	// The stall note as watchStall shows it, on the loading bar.
	p.run(chromedp.Evaluate[chromedp.Void](`document.getElementById('loading').hidden = false; document.getElementById('loading-stall').hidden = false`))
	if found, live := p.axText("the network may have stalled"); !found || !live {
		t.Errorf("the stall note: in the accessibility tree %v, in a live region %v; want both", found, live)
	}
	if found, _ := p.axText("Loading the "); !found {
		t.Errorf("what is loading is not in the accessibility tree")
	}
	if v := eval[string](p, `document.querySelector('[role=progressbar]').getAttribute('aria-valuenow')`); v != "100" {
		t.Errorf("the progress bar says %q %%, want 100 once loaded", v)
	}
}

// Tab out of an explanation opened with "?" closes it and returns the
// focus to its control; it used to go past the end of the page, with the
// note left open and Escape no longer closing it.
func TestExplainTabOut(t *testing.T) {
	p := newPage(t)
	p.open(siteURL, "")
	p.ready()
	where := func() string {
		return eval[string](p, `(document.activeElement.id || document.activeElement.tagName) + (document.getElementById('explain-pop').hidden ? ' closed' : ' open')`)
	}
	p.run(chromedp.Focus("#dataset"))
	p.run(chromedp.KeyEvent("?"))
	if w := where(); w != "explain-pop open" {
		t.Fatalf("after ? in the dataset menu: %s", w)
	}
	p.run(chromedp.KeyEvent(kb.Tab)) // to the close button
	p.run(chromedp.KeyEvent(kb.Tab)) // out
	if w := where(); w != "dataset closed" {
		t.Errorf("Tab out of the note: %s, want the focus back on dataset with the note closed", w)
	}
	p.run(chromedp.KeyEvent("?"))
	p.run(chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift)))
	if w := where(); w != "dataset closed" {
		t.Errorf("Shift+Tab out of the note: %s, want the focus back on dataset with the note closed", w)
	}
	// Shift+Tab from the close button goes back to the note, which stays
	// open (it went to the page's last control, the note left open).
	p.run(chromedp.KeyEvent("?"))
	p.run(chromedp.KeyEvent(kb.Tab)) // to the close button
	p.run(chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift)))
	if w := where(); w != "explain-pop open" {
		t.Errorf("Shift+Tab from the close button: %s, want the note, open", w)
	}
	p.run(chromedp.KeyEvent(kb.Escape))
	if w := where(); w != "dataset closed" {
		t.Errorf("Escape then: %s, want the focus back on dataset with the note closed", w)
	}
}

// contrastJS defines contrast(a, b), WCAG's contrast ratio of two CSS
// colours (rgb() or rgba() over white, as getComputedStyle gives them).
const contrastJS = `(() => {
  const rgb = (c) => { const [r, g, b, a = 1] = c.match(/[\d.]+/g).map(Number); return [r, g, b].map((v) => a * v + (1 - a) * 255); };
  const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  window.contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  return true;
})()`

// The focus ring reaches WCAG's 3:1 against the cards and the page, and
// the lab cell's op labels 4.5:1 against the white panel.
func TestFocusRingAndLabelsContrast(t *testing.T) {
	p := newPage(t)
	p.open(siteURL+"/lab.html", "ind=params&ds=cifar10&i=1000")
	p.ready()
	eval[bool](p, contrastJS)
	p.run(chromedp.Focus("#lab-index"))
	ring := eval[[]float64](p, `(() => { const o = getComputedStyle(document.activeElement).outlineColor; return [contrast(o, 'rgb(255, 255, 255)'), contrast(o, getComputedStyle(document.documentElement).backgroundColor)]; })()`)
	if ring[0] < 3 || ring[1] < 3 {
		t.Errorf("focus ring contrast %.2f:1 on a card, %.2f:1 on the page; want 3:1", ring[0], ring[1])
	}
	p.poll(`() => document.querySelectorAll('#net-cell text').length > 0`)
	low := eval[[]string](p, `[...document.querySelectorAll('#net-cell text')].filter((e) => contrast(getComputedStyle(e).fill.replace(')', ', ' + (e.getAttribute('opacity') || 1) + ')').replace('rgb(', 'rgba('), 'rgb(255, 255, 255)') < 4.5).map((e) => e.textContent + ' ' + getComputedStyle(e).fill)`)
	if len(low) > 0 {
		t.Errorf("cell labels under 4.5:1 on white: %v", low)
	}
}
