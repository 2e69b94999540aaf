package browsertest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// halfServer serves dir as a plain static host would, except that every
// response for a path ending in file sends half the file, with headers that
// promise all of it, and then calls after.
func halfServer(t *testing.T, dir, file string, after func(w http.ResponseWriter)) string {
	t.Helper()
	files := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, file) {
			files.ServeHTTP(w, r)
			return
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(r.URL.Path)))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.WriteHeader(http.StatusOK)
		w.Write(b[:len(b)/2])
		w.(http.Flusher).Flush()
		after(w)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

// cutServer's responses for cut stop halfway and the connection drops, as
// on a flaky network.
func cutServer(t *testing.T, dir, cut string) string {
	return halfServer(t, dir, cut, func(w http.ResponseWriter) {
		time.Sleep(100 * time.Millisecond)
		if c, _, err := w.(http.Hijacker).Hijack(); err == nil {
			c.Close()
		}
	})
}

// A download cut off halfway names the file that failed, as a file that
// cannot be fetched at all does: the page said only "Failed to fetch".
func TestCutDownload(t *testing.T) {
	for _, c := range []struct{ file, query, where, says string }{
		{"assets/tables.msgpack", "", "#error", "assets/tables.msgpack"},
		{"app.wasm", "", "#error", "app.wasm could not be downloaded"},
		{"assets/indicators.msgpack", "ind=params", "#indicator-hint", "assets/indicators.msgpack"},
	} {
		t.Run(c.file, func(t *testing.T) {
			u := cutServer(t, filepath.Join(root, "site"), c.file)
			p := newPage(t)
			p.open(u, c.query)
			if c.where != "#error" {
				p.ready()
				if _, err := chromedp.Run(p.ctx, chromedp.PollFunction[bool](`() => document.getElementById('indicator-hint').classList.contains('bad')`)); err != nil {
					t.Fatalf("no failure shown beside the indicator menu: %v", err)
				}
			}
			msg := p.text(c.where)
			if !strings.Contains(msg, c.says) {
				t.Errorf("%s says %q, want it to name %s", c.where, msg, c.says)
			}
			t.Logf("page says: %s", msg)
		})
	}
}

// A chart background that cannot be fetched (the network dropped when the
// device changed) is said under the chart, which is cleared, and the next
// change fetches it again; it used to be the page's fatal error: a banner
// that stayed after the chart had loaded, over the previous device's chart,
// and that kept any later error from showing.
func TestChartFailureRecovers(t *testing.T) {
	dir := copySite(t)
	var moved []string
	for _, f := range []string{"scatter-cifar10-raspi4.png", "scatter-cifar10-raspi4@2x.png"} {
		p := filepath.Join(dir, "plots", f)
		if err := os.Rename(p, p+".away"); err != nil {
			t.Fatal(err)
		}
		moved = append(moved, p)
	}
	u, stop, err := serve(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	p := newPage(t)
	p.open(u, "ep=10")
	p.ready()
	setDevice := func(dev string) {
		p.run(chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById('device'); s.value = '` + dev + `'; s.dispatchEvent(new Event('change')); })()`))
	}
	const drawn = `(() => { const d = document.getElementById('scatter-bg').getContext('2d').getImageData(0, 0, 560, 380).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()`
	setDevice("raspi4")
	if _, err := chromedp.Run(p.ctx, chromedp.PollFunction[bool](`() => /scatter-cifar10-raspi4/.test(document.getElementById('scatter-caption').textContent + document.getElementById('error').textContent)`)); err != nil {
		t.Fatalf("the failed chart is not named: %v", err)
	}
	if n := eval[int](p, drawn); n != 0 {
		t.Errorf("the chart shows %d pixels of another device's background", n)
	}
	for _, f := range moved { // the network is back
		if err := os.Rename(f+".away", f); err != nil {
			t.Fatal(err)
		}
	}
	setDevice("pixel3")
	setDevice("raspi4")
	if _, err := chromedp.Run(p.ctx, chromedp.PollFunction[bool](`() => `+drawn+` > 560 * 380 / 2`)); err != nil {
		t.Fatalf("the chart was not fetched again: %v", err)
	}
	if failed := eval[string](p, `document.body.dataset.failed || ''`); failed != "" || !eval[bool](p, `document.getElementById('error').hidden`) {
		t.Errorf("the page still shows an error: %q", p.text("#error"))
	}
	if c := p.text("#scatter-caption"); strings.Contains(c, "could not") {
		t.Errorf("the caption still says %q", c)
	}
}

// For a link that waits for the indicator table (the default, fi), the
// table is fetched beside the engine and the tables, and the loading bar
// counts it: it was fetched only after them, while the bar stood full.
func TestLoadingBarCountsIndicatorTable(t *testing.T) {
	p := newFreshPage(t)
	hold := `if (window.top === window) {
	  window.__release = new Promise((r) => { window.__go = r; });
	  const f = window.fetch;
	  window.fetch = (u, ...a) => {
	    if (!String(u).includes('indicators.msgpack')) return f(u, ...a);
	    const app = window.nasplayApp;
	    window.__indicatorsEarly = !(app && app.phases && 'tables' in app.phases);
	    return window.__release.then(() => f(u, ...a));
	  };
	}`
	if _, err := chromedp.Call(p.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: hold}); err != nil {
		t.Fatal(err)
	}
	p.run(chromedp.Navigate(siteURL))
	// The engine and the tables are in; the indicator table is held.
	if _, err := chromedp.Run(p.ctx, chromedp.PollFunction[bool](`() => window.__indicatorsEarly !== undefined && window.nasplayApp.phases && 'tables' in window.nasplayApp.phases`)); err != nil {
		t.Fatalf("the page did not load the engine and ask for the indicator table: %v", err)
	}
	if !eval[bool](p, `window.__indicatorsEarly`) {
		t.Errorf("the indicator table was asked for only after the engine and the tables were loaded")
	}
	if pct := eval[string](p, `document.getElementById('loading-bar').getAttribute('aria-valuenow')`); pct == "100" {
		t.Errorf("the loading bar is full while the indicator table has not come")
	}
	p.run(chromedp.Evaluate[chromedp.Void](`window.__go()`))
	p.run(chromedp.WaitReady(`body[data-ready="1"], body[data-failed="1"]`))
	p.ready()
	if ind := p.value("indicator"); ind != "fi" {
		t.Errorf("the page opened on %q, want fi", ind)
	}
}

// A file of the page that cannot be fetched is an error naming it:
//   - a page script (app.js, lab.js, ...): the page sat on its loading bar
//     for ever; wasm_exec.js, which the cell view loads, said "Go is not
//     defined";
//   - the cell view (cell.html): the page waited for ever, since the
//     iframe's load event had fired (on the error page) before app.js
//     listened for it;
//   - the build manifest (build.json: the file sizes, and whether the build
//     has the indicator table): the page opened on #params instead of fi,
//     said the build had no indicator table and wrote ind=params into the
//     link.
func TestFileMissing(t *testing.T) {
	for _, c := range []struct{ missing, page, says string }{
		{"app.js", "", "could not load app.js"},
		{"canvas.js", "", "could not load canvas.js"},
		{"lab.js", "/lab.html", "could not load lab.js"},
		{"wasm_exec.js", "", "could not load wasm_exec.js"},
		{"cell.html", "", "cell.html"},
		{"build.json", "", "could not fetch build.json: HTTP 404"},
	} {
		dir := copySite(t)
		os.Remove(filepath.Join(dir, c.missing))
		u, stop, err := serve(dir)
		if err != nil {
			t.Fatal(err)
		}
		p := openTabFor(t, 30*time.Second)
		p.open(u+c.page, "")
		if msg := p.text("#error"); !strings.Contains(msg, c.says) {
			t.Errorf("%s missing: error box says %q, want %q", c.missing, msg, c.says)
		}
		stop()
	}
}

// A download that stalls halfway, without failing, is said under the
// loading bar after 10 s, instead of a bar that just stops.
func TestStalledDownload(t *testing.T) {
	release := make(chan struct{})
	u := halfServer(t, filepath.Join(root, "site"), "assets/tables.msgpack", func(http.ResponseWriter) { <-release })
	defer close(release) // before the server closes, which waits for the handler
	p := openTabFor(t, 40*time.Second)
	p.run(chromedp.Navigate(u))
	if _, err := chromedp.Run(p.ctx, chromedp.PollFunction[bool](`() => !document.getElementById('loading-stall').hidden && document.getElementById('loading-stall').textContent.includes('stalled')`)); err != nil {
		t.Fatalf("no word of the stall beside the loading bar (it says %q): %v", p.text("#loading"), err)
	}
	if eval[bool](p, `document.getElementById('loading').hidden`) {
		t.Error("the loading bar was hidden")
	}
	p.screenshot("stalled.png", chromedp.CaptureScreenshot())
}

// A failed load offers a Reload button beside its message, on the search
// page and in the lab, for a script as for a data file; once the file is
// back it brings the page up with the link's settings.
func TestReloadAfterFailure(t *testing.T) {
	for _, c := range []struct{ missing, page, query, ready string }{
		{"assets/tables.msgpack", "", "ds=cifar100&dev=pixel3", `document.getElementById('dataset').value === 'cifar100' && document.getElementById('device').value === 'pixel3'`},
		{"lab.js", "/lab.html", "ind=nlr&ds=cifar100&i=12", `document.getElementById('lab-dataset').value === 'cifar100' && nasplayLab.selected === 12`},
	} {
		t.Run(c.missing, func(t *testing.T) {
			dir := copySite(t)
			f := filepath.Join(dir, c.missing)
			if err := os.Rename(f, f+".away"); err != nil {
				t.Fatal(err)
			}
			u, stop, err := serve(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer stop()
			p := openTabFor(t, time.Minute)
			p.open(strings.TrimSuffix(u, "/")+c.page, c.query)
			if n := eval[int](p, `document.querySelectorAll('#error:not([hidden]) button.reload').length`); n != 1 {
				t.Fatalf("error %q with %d Reload buttons, want 1", p.text("#error"), n)
			}
			if err := os.Rename(f+".away", f); err != nil { // the network is back
				t.Fatal(err)
			}
			p.run(chromedp.Click(`#error button.reload`))
			p.run(chromedp.WaitReady(`body[data-ready="1"]`))
			p.ready()
			if !eval[bool](p, c.ready) {
				t.Errorf("after Reload: the link's settings are not restored (%s)", c.ready)
			}
		})
	}
}
