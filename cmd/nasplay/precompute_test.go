package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nasplay/nasplay/engine/indicator"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/tables"
)

// childEnv carries the arguments of a nasplay run in a child process (the
// test binary itself), separated by newlines: a test can then kill or
// interrupt a run, or run two at once.
const childEnv = "NASPLAY_TEST_CHILD_ARGS"

func TestChildProcess(t *testing.T) {
	args := os.Getenv(childEnv)
	if args == "" {
		t.Skip("only a child process of another test runs this")
	}
	os.Exit(run(strings.Split(args, "\n"), os.Stdout, os.Stderr))
}

// startChild starts nasplay with args in a child process.
func startChild(t *testing.T, stderr *bytes.Buffer, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildProcess$")
	cmd.Env = append(os.Environ(), childEnv+"="+strings.Join(args, "\n"))
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

// cheapPrecompute returns the arguments of a precompute of CIFAR-10 at a
// cheap configuration into a new checkpoint folder, and the checkpoint.
func cheapPrecompute(t *testing.T) ([]string, string) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cfg.json")
	if err := os.WriteFile(cfg, []byte(`{"weight_draws": 1, "batch": 2, "cj_images": 1, "cj_variants": 2, "nlr_samples": 2}`), 0o644); err != nil {
		t.Fatal(err)
	}
	ckpt := filepath.Join(dir, "ckpt")
	return []string{"indicators", "precompute", "--dataset", "cifar10", "--workers", "1", "--config", cfg,
		"--checkpoints", ckpt, "--out", filepath.Join(dir, "t.msgpack")}, filepath.Join(ckpt, "cifar10.txt")
}

// waitLines waits until the file at path has at least n lines.
func waitLines(t *testing.T, path string, n int) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if b, _ := os.ReadFile(path); bytes.Count(b, []byte("\n")) >= n {
			return
		}
	}
	t.Fatalf("%s: fewer than %d lines after a minute", path, n)
}

// A second precompute on a checkpoint another one is appending to refuses
// at once, saying why. Two started together on a new folder both wrote the
// header, and every later run failed on line 2 of the checkpoint.
func TestPrecomputeRefusesSecondRun(t *testing.T) {
	if testing.Short() {
		t.Skip("computes networks in child processes")
	}
	args, ckpt := cheapPrecompute(t)
	var errA, errB bytes.Buffer
	startChild(t, &errA, args...)
	waitLines(t, ckpt, 3)
	b := startChild(t, &errB, args...)
	done := make(chan error, 1)
	go func() { done <- b.Wait() }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(errB.String(), ckpt+" is in use by another indicators precompute") {
			t.Fatalf("second run: %v, stderr %q", err, errB.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the second run on the same checkpoint is still running after 20 s")
	}
}

// Ctrl-C stops a precompute with a message saying how many classes the
// checkpoint kept, on a line of its own; the checkpoint ends on a whole
// line, and has as many classes as the message says. The run used to die
// of the signal silently, after its progress line.
func TestPrecomputeInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("computes networks in a child process")
	}
	args, ckpt := cheapPrecompute(t)
	var stderr bytes.Buffer
	cmd := startChild(t, &stderr, args...)
	waitLines(t, ckpt, 3)
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("still running 20 s after Ctrl-C")
	}
	b, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	kept := bytes.Count(b, []byte("\n")) - 1 // the header
	want := fmt.Sprintf("nasplay indicators precompute: interrupted: cifar10: %d of 8765 classes are in %s; the same command resumes from there\n", kept, ckpt)
	if !strings.HasSuffix(stderr.String(), want) || b[len(b)-1] != '\n' {
		t.Fatalf("stderr ends %q, want %q; checkpoint ends %q", tail(stderr.String()), want, tail(string(b)))
	}
	// The message starts a line of its own: after the progress line, if one
	// was shown (the first comes after 2 s), and never after an empty line.
	if before := strings.TrimSuffix(stderr.String(), want); before != "" && (!strings.HasSuffix(before, "\n") || strings.HasSuffix(before, "\n\n") || before == "\n") {
		t.Errorf("stderr before the message: %q; want nothing, or a progress line ended once", tail(before))
	}
}

func tail(s string) string { return s[max(0, len(s)-200):] }

// A precompute resumes from its checkpoint: it computes only the classes
// missing from it, after cutting a torn last line (a run killed mid-write),
// and appends to it without a second header, so that the checkpoint reads
// back whole. Until then the table is not built: one class short is
// incomplete.
func TestPrecomputeResumes(t *testing.T) {
	args, ckpt := cheapPrecompute(t)
	cfgB, err := os.ReadFile(args[slices.Index(args, "--config")+1])
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := scores.ParseConfig(cfgB)
	if err != nil {
		t.Fatal(err)
	}
	classes := indicator.Classes()
	last := classes[len(classes)-1]
	raw := scores.Raw{Values: [scores.NumRaw]float64{1, 2, 3, 4, 5}}
	var b strings.Builder
	b.WriteString(indicator.CheckpointHeader(cfg, tables.CIFAR10))
	for _, c := range classes[:len(classes)-1] {
		b.WriteString(indicator.CheckpointLine(c, raw))
	}
	b.WriteString(indicator.CheckpointLine(last, raw)[:7]) // torn: no newline
	if err := os.MkdirAll(filepath.Dir(ckpt), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ckpt, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	bt, err := loadTables()
	if err != nil {
		t.Fatal(err)
	}
	if tab, missing, err := tableFromCheckpoints(cfg, bt, filepath.Dir(ckpt)); tab != nil || err != nil || missing != "cifar10: 8764 of 8765 classes done" {
		t.Fatalf("one class short: table %v, %q, %v", tab != nil, missing, err)
	}
	code, out, errs := runCLI(args...)
	if code != 0 || !strings.Contains(out, "cifar10: 8764 of 8765 classes in "+ckpt+", 1 to compute") ||
		!strings.Contains(out, "cifar100: 0 of 8765 classes done; table not written") {
		t.Fatalf("resume: exit %d\n%s%s", code, out, errs)
	}
	got, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	done, err := indicator.ParseCheckpoint(got, cfg, tables.CIFAR10)
	if err != nil || len(done) != len(classes) || bytes.Count(got, []byte("# nasplay")) != 1 || got[len(got)-1] != '\n' {
		t.Fatalf("checkpoint after the resume: %d classes, %d headers, %v; ends %q", len(done), bytes.Count(got, []byte("# nasplay")), err, tail(string(got)))
	}
	if done[last.Code()] == raw || done[classes[0].Code()] != raw {
		t.Errorf("the missing class was not computed, or a done one was recomputed")
	}
}
