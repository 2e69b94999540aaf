package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"testing"
	"time"
)

// newTestSite writes a small site and a secret file next to it, and returns
// a test server for the site.
func newTestSite(t *testing.T) (*httptest.Server, map[string][]byte) {
	t.Helper()
	top := t.TempDir()
	site := filepath.Join(top, "site")
	files := map[string][]byte{
		"index.html":            []byte("<!doctype html><title>nasplay</title>"),
		"app.wasm":              append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("wasm"), 4096)...),
		"assets/tables.msgpack": bytes.Repeat([]byte{0x92, 0x01, 0x02}, 1000),
		"docs/screenshot.png":   []byte("\x89PNG\r\n\x1a\n"),
		"sub/index.html":        []byte("sub index"),
		"nolisting/readme.json": []byte(`{"a":1}`),
		"wasm_exec.js":          []byte("'use strict';"),
		"style/site.css":        []byte("body{}"),
	}
	for name, b := range files {
		p := filepath.Join(site, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(top, "secret.txt"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A link inside the site that points out of it must not be followed.
	if err := os.Symlink(filepath.Join(top, "secret.txt"), filepath.Join(site, "link.txt")); err != nil {
		t.Fatal(err)
	}
	h, err := newSiteHandler(site)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv, files
}

func get(t *testing.T, url string, gzipOK bool) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Setting Accept-Encoding by hand turns off the transport's transparent
	// decompression, so the test sees the bytes on the wire.
	if gzipOK {
		req.Header.Set("Accept-Encoding", "gzip, deflate, br")
	} else {
		req.Header.Set("Accept-Encoding", "identity")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestServeTypesAndGzip(t *testing.T) {
	srv, files := newTestSite(t)
	cases := []struct {
		path, file, ctype string
		gz                bool
	}{
		{"/", "index.html", "text/html; charset=utf-8", true},
		{"/app.wasm", "app.wasm", "application/wasm", true},
		{"/assets/tables.msgpack", "assets/tables.msgpack", "application/vnd.msgpack", true},
		{"/wasm_exec.js", "wasm_exec.js", "text/javascript; charset=utf-8", true},
		{"/style/site.css", "style/site.css", "text/css; charset=utf-8", true},
		{"/docs/screenshot.png", "docs/screenshot.png", "image/png", false},
		{"/sub/", "sub/index.html", "text/html; charset=utf-8", true},
	}
	for _, c := range cases {
		for _, gzipOK := range []bool{true, false} {
			resp, body := get(t, srv.URL+c.path, gzipOK)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%s: status %d", c.path, resp.StatusCode)
			}
			if got := resp.Header.Get("Content-Type"); got != c.ctype {
				t.Errorf("%s: Content-Type %q, want %q", c.path, got, c.ctype)
			}
			wantGz := gzipOK && c.gz
			if got := resp.Header.Get("Content-Encoding") == "gzip"; got != wantGz {
				t.Errorf("%s (client gzip %v): gzip-encoded %v, want %v", c.path, gzipOK, got, wantGz)
			}
			if wantGz {
				body = gunzip(t, body)
			}
			if !bytes.Equal(body, files[c.file]) {
				t.Errorf("%s (client gzip %v): body differs from %s", c.path, gzipOK, c.file)
			}
		}
	}
	// The wasm compresses well; the wire size must show it.
	_, wire := get(t, srv.URL+"/app.wasm", true)
	if len(wire)*10 > len(files["app.wasm"]) {
		t.Errorf("app.wasm: %d bytes on the wire for %d raw", len(wire), len(files["app.wasm"]))
	}
}

func TestServeStaysInside(t *testing.T) {
	srv, _ := newTestSite(t)
	for _, p := range []string{"/../secret.txt", "/%2e%2e/secret.txt", "/sub/../../secret.txt", "/link.txt", "/nolisting/", "/missing.js", "/wasm_exec.js/"} {
		resp, body := get(t, srv.URL+p, false)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, resp.StatusCode)
		}
		if bytes.Contains(body, []byte("secret")) || bytes.Contains(body, []byte("readme.json")) {
			t.Errorf("%s: response leaks %q", p, body)
		}
	}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", resp.StatusCode)
	}
}

func TestServeSeesRebuilds(t *testing.T) {
	srv, _ := newTestSite(t)
	_, first := get(t, srv.URL+"/wasm_exec.js", true)
	if string(gunzip(t, first)) != "'use strict';" {
		t.Fatal("unexpected first version")
	}
	h := srv.Config.Handler.(*siteHandler)
	if err := h.root.WriteFile("wasm_exec.js", []byte("'use strict'; // v2"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, second := get(t, srv.URL+"/wasm_exec.js", true)
	if got := string(gunzip(t, second)); got != "'use strict'; // v2" {
		t.Errorf("after rebuild got %q: stale gzip cache", got)
	}
	// A rebuild of the same size is seen by its modification time.
	if err := h.root.WriteFile("wasm_exec.js", []byte("'use strict'; // v3"), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Minute)
	if err := h.root.Chtimes("wasm_exec.js", later, later); err != nil {
		t.Fatal(err)
	}
	_, third := get(t, srv.URL+"/wasm_exec.js", true)
	if got := string(gunzip(t, third)); got != "'use strict'; // v3" {
		t.Errorf("after a same-size rebuild got %q: stale gzip cache", got)
	}
}

// Every file is revalidated (the site is rebuilt in place) and a
// compressible one varies by Accept-Encoding, so that no cache hands gzip to
// a client that refused it; HEAD is answered as GET without the body; a
// type is found whatever the extension's case, and a file of no known type
// is an octet stream.
func TestServeHeaders(t *testing.T) {
	srv, _ := newTestSite(t)
	h := srv.Config.Handler.(*siteHandler)
	for name, b := range map[string]string{"LICENSE": "MIT", "img/LOGO.SVG": "<svg/>"} {
		if err := h.root.MkdirAll(path.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := h.root.WriteFile(name, []byte(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		path, ctype, vary string
		gz                bool
	}{
		{"/app.wasm", "application/wasm", "Accept-Encoding", true},
		{"/docs/screenshot.png", "image/png", "", false},
		{"/img/LOGO.SVG", "image/svg+xml", "Accept-Encoding", true},
		{"/LICENSE", "application/octet-stream", "", false},
	} {
		for _, gzipOK := range []bool{true, false} {
			resp, _ := get(t, srv.URL+c.path, gzipOK)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != c.ctype || resp.Header.Get("Cache-Control") != "no-cache" ||
				resp.Header.Get("Vary") != c.vary || (resp.Header.Get("Content-Encoding") == "gzip") != (gzipOK && c.gz) {
				t.Errorf("%s (client gzip %v): status %d, headers %v", c.path, gzipOK, resp.StatusCode, resp.Header)
			}
		}
	}
	resp, err := http.Head(srv.URL + "/app.wasm")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/wasm" || len(body) != 0 {
		t.Errorf("HEAD /app.wasm: status %d, type %q, %d bytes of body", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
}

func TestAcceptsGzip(t *testing.T) {
	for h, want := range map[string]bool{
		"": false, "gzip": true, "deflate, gzip;q=0.5": true, "gzip;q=0": false, "gzip; q=0.000": false, "br": false, "x-gzip": false,
		"gzip;level=1;q=0": false, "gzip;q=0.5;x=y": true, "GZIP": true, "Gzip;q=1": true, "GZIP;q=0": false,
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept-Encoding", h)
		if got := acceptsGzip(r); got != want {
			t.Errorf("Accept-Encoding %q: %v, want %v", h, got, want)
		}
	}
}

func TestServeWarm(t *testing.T) {
	srv, files := newTestSite(t)
	h := srv.Config.Handler.(*siteHandler)
	h.warm()
	for name := range files {
		e := h.gz[name]
		want := compressible[filepath.Ext(name)]
		if got := e != nil && e.data != nil; got != want {
			t.Errorf("%s: compressed ahead %v, want %v", name, got, want)
		}
	}
	if _, ok := h.gz["link.txt"]; ok {
		t.Error("warm followed the link out of the site")
	}
	// A warmed file is served from the cache, unchanged.
	resp, body := get(t, srv.URL+"/app.wasm", true)
	if resp.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(gunzip(t, body), files["app.wasm"]) {
		t.Error("warmed app.wasm is not served as its gzip")
	}
}
