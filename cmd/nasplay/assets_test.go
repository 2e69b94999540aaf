package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// assets build checks every source it reads against SHA256SUMS, the
// calibration images too: one flipped byte is refused, naming the file.
func TestAssetsBuildChecksSums(t *testing.T) {
	const from = "../../../shared/data"
	if _, err := os.Stat(filepath.Join(from, calibImages)); err != nil {
		t.Skip("shared data not present:", err)
	}
	dir := t.TempDir()
	for _, n := range []string{"nb201.csv", "hwnasbench.csv", "SHA256SUMS", calibImages} {
		b, err := os.ReadFile(filepath.Join(from, n))
		if err != nil {
			t.Fatal(err)
		}
		if n == calibImages {
			b[100] ^= 1
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, _, errs := runCLI("assets", "build", "--from", dir, "--out", filepath.Join(dir, "out"))
	if code == 0 || !strings.Contains(errs, calibImages+" has SHA-256") {
		t.Errorf("a tampered %s: exit %d, %q", calibImages, code, errs)
	}
}

// checkOutput leaves nothing behind: its trial file is removed.
func TestCheckOutputLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	if err := checkOutput(filepath.Join(dir, "table.msgpack")); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}
