package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

func init() {
	register("serve", "serve the browser tool's static site (gzip, correct MIME types)", serve)
}

func serve(args []string, stdout io.Writer) error {
	fs := newFlags("serve", "[--addr HOST:PORT] [--dir DIR]", stdout)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free port)")
	dir := fs.String("dir", "site", "folder to serve; nothing outside it is reachable")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	h, err := newSiteHandler(*dir)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	// The first line names the real address, so a caller that asked for
	// port 0 (the browser tests) learns which port it got.
	fmt.Fprintf(stdout, "serving %s on http://%s/ (Ctrl-C stops it)\n", *dir, ln.Addr())
	// A folder that was never built serves a page that cannot start.
	for _, f := range []string{"index.html", "app.wasm", "wasm_exec.js", "assets/tables.msgpack"} {
		if _, err := h.root.Stat(f); err != nil {
			fmt.Fprintf(stdout, "warning: %s has no %s: build the site first (./build.sh site, or ./build.sh serve)\n", *dir, f)
			break
		}
	}
	go h.warm()
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}

// contentTypes fixes the MIME types the site depends on instead of trusting
// the host's mime.types: browsers refuse to stream-compile wasm served as
// anything but application/wasm.
var contentTypes = map[string]string{
	".html":    "text/html; charset=utf-8",
	".js":      "text/javascript; charset=utf-8",
	".css":     "text/css; charset=utf-8",
	".json":    "application/json",
	".wasm":    "application/wasm",
	".msgpack": "application/vnd.msgpack",
	".svg":     "image/svg+xml",
	".png":     "image/png",
	".ico":     "image/x-icon",
}

// compressible lists the extensions worth gzipping; PNGs are compressed already.
var compressible = map[string]bool{
	".html": true, ".js": true, ".css": true, ".json": true, ".wasm": true, ".msgpack": true, ".svg": true,
}

// siteHandler serves the files of one folder, opened as an os.Root so that
// neither ".." nor a symbolic link can reach outside it. Directories serve
// their index.html and are never listed.
type siteHandler struct {
	root *os.Root

	mu sync.Mutex
	gz map[string]*gzEntry // by cleaned path
}

// gzEntry caches one file's gzip encoding, valid while the file's size and
// modification time are unchanged. Its own lock lets different files be
// compressed at the same time, each only once.
type gzEntry struct {
	mu      sync.Mutex
	size    int64
	modTime time.Time
	data    []byte
}

func newSiteHandler(dir string) (*siteHandler, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("site folder: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("site folder %s is not a directory", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	return &siteHandler{root: root, gz: map[string]*gzEntry{}}, nil
}

func (h *siteHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "" {
		name = "."
	}
	st, err := h.root.Stat(name)
	isDir := err == nil && st.IsDir()
	if isDir {
		name = path.Join(name, "index.html")
		st, err = h.root.Stat(name)
	}
	// A file asked for as a folder ("/index.html/") would load with every
	// relative link wrong: it is not found.
	if err != nil || !st.Mode().IsRegular() || !isDir && strings.HasSuffix(r.URL.Path, "/") {
		http.NotFound(w, r)
		return
	}
	ext := strings.ToLower(path.Ext(name))
	ctype, ok := contentTypes[ext]
	if !ok {
		ctype = mime.TypeByExtension(ext)
	}
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	// The site is rebuilt in place during development: revalidate every time.
	w.Header().Set("Cache-Control", "no-cache")

	if compressible[ext] {
		w.Header().Set("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			data, err := h.gzipped(name, st)
			if err != nil {
				http.Error(w, "reading "+name+": "+err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Encoding", "gzip")
			http.ServeContent(w, r, name, st.ModTime(), bytes.NewReader(data))
			return
		}
	}
	f, err := h.root.Open(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	http.ServeContent(w, r, name, st.ModTime(), f)
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip
// (a "gzip;q=0" refusal included).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") { // codings are case-insensitive (RFC 9110)
			continue
		}
		for _, p := range strings.Split(params, ";") {
			if q, ok := strings.CutPrefix(strings.ReplaceAll(p, " ", ""), "q="); ok {
				v, err := strconv.ParseFloat(q, 64)
				return err == nil && v > 0
			}
		}
		return true
	}
	return false
}

// gzipped returns the gzip encoding of a file, compressing it at most once
// per version: the wasm binary is megabytes and compressing it per request
// would dominate page load.
func (h *siteHandler) gzipped(name string, st fs.FileInfo) ([]byte, error) {
	h.mu.Lock()
	e := h.gz[name]
	if e == nil {
		e = &gzEntry{}
		h.gz[name] = e
	}
	h.mu.Unlock()

	e.mu.Lock()
	defer e.mu.Unlock()
	if e.data != nil && e.size == st.Size() && e.modTime.Equal(st.ModTime()) {
		return e.data, nil
	}
	raw, err := h.root.ReadFile(name)
	if err != nil {
		return nil, err
	}
	if int64(len(raw)) != st.Size() {
		return nil, fmt.Errorf("%s changed while being read", name)
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	e.size, e.modTime, e.data = st.Size(), st.ModTime(), buf.Bytes()
	return e.data, nil
}

// warm compresses every compressible file of the site ahead of the first
// request, so that the first visitor does not wait for it. Errors are left
// for the requests to report.
func (h *siteHandler) warm() {
	fs.WalkDir(h.root.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !compressible[strings.ToLower(path.Ext(name))] {
			return nil
		}
		if st, err := d.Info(); err == nil && st.Mode().IsRegular() {
			h.gzipped(name, st)
		}
		return nil
	})
}
