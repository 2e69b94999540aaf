package search

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/nasplay/nasplay/engine/tables"
)

var update = flag.Bool("update", false, "rewrite testdata/trace.golden from this platform's traces")

const goldenPath = "testdata/trace.golden"

// goldenRuns are the searches whose trace hashes are pinned: every
// algorithm, on settings that exercise learning and all reward branches.
func goldenRuns() []Config {
	var cs []Config
	for _, algo := range Algos() {
		c := DefaultConfig()
		c.Algo, c.Episodes, c.Seed = algo, 200, 5
		c.Dataset, c.Device, c.Target, c.LR = tables.CIFAR100, tables.Raspi4, 40, 5e-3
		cs = append(cs, c)
	}
	return cs
}

// traceLines gives each golden run's trace hash and, for the controller
// algorithms, a hash of the final policy's parameter bits: a stricter check
// of float determinism than the sampled networks alone.
func traceLines(t *testing.T) []string {
	var lines []string
	for _, c := range goldenRuns() {
		r, err := New(c, load(t), load(t).FlopsM(c.Dataset))
		if err != nil {
			t.Fatal(err)
		}
		for _, ok := r.Step(); ok; _, ok = r.Step() {
		}
		params := "-"
		if r.policy != nil {
			h := sha256.New()
			for _, x := range r.policy.Params() {
				binary.Write(h, binary.LittleEndian, math.Float64bits(x))
			}
			params = hex.EncodeToString(h.Sum(nil)[:8])
		}
		lines = append(lines, fmt.Sprintf("%s seed=%d episodes=%d lr=%g trace=%s params=%s",
			c.Algo, c.Seed, c.Episodes, c.LR, r.Result().TraceHash, params))
	}
	return lines
}

// The trace hashes equal the committed ones, produced natively on amd64. The
// same test runs under js/wasm (build.sh test, and TestWasmTrace below), so
// a seed gives the same search in the browser as on the command line.
func TestTraceGolden(t *testing.T) {
	got := traceLines(t)
	if *update {
		if err := os.WriteFile(goldenPath, []byte(strings.Join(got, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []string
	for s := bufio.NewScanner(f); s.Scan(); {
		want = append(want, s.Text())
	}
	if len(want) != len(got) {
		t.Fatalf("%s has %d lines, want %d", goldenPath, len(want), len(got))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s/%s: trace\n got %s\nwant %s", runtime.GOOS, runtime.GOARCH, got[i], want[i])
		}
	}
}

// TestWasmTrace runs TestTraceGolden compiled for js/wasm in Node, so a
// plain native "go test" checks both targets.
func TestWasmTrace(t *testing.T) {
	if testing.Short() || runtime.GOOS == "js" {
		t.Skip("compiles and runs the package for js/wasm")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not installed")
	}
	goroot := runtime.GOROOT()
	cmd := exec.Command(filepath.Join(goroot, "bin", "go"), "test", "-count=1", "-run", "^TestTraceGolden$", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm",
		"PATH="+filepath.Join(goroot, "lib", "wasm")+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("js/wasm run failed: %v\n%s", err, out)
	}
	t.Logf("js/wasm: %s", strings.TrimSpace(string(out)))
}
