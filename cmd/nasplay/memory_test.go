package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nasplay/nasplay/engine/indicator"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/tables"
)

func TestParseMemAvailable(t *testing.T) {
	got, ok := parseMemAvailable([]byte("MemTotal:       24577432 kB\nMemFree:        21034500 kB\nMemAvailable:   23101524 kB\nBuffers:          123 kB\n"))
	if !ok || got != 23101524<<10 {
		t.Errorf("got %d, %v; want %d", got, ok, int64(23101524)<<10)
	}
	if _, ok := parseMemAvailable([]byte("MemTotal: 1 kB\n")); ok {
		t.Error("no MemAvailable line: want not ok")
	}
	if _, err := os.Stat("/proc/meminfo"); err == nil {
		if b, ok := availableMemory(); !ok || b <= 0 {
			t.Errorf("this machine's /proc/meminfo: %d, %v", b, ok)
		}
	}
}

// A configuration beyond the machine's memory is refused before any work,
// naming what it needs, what there is and which knobs to lower; one that
// fits runs.
func TestIndicatorsRefuseMemory(t *testing.T) {
	saved := availableMemory
	t.Cleanup(func() { availableMemory = saved })
	availableMemory = func() (int64, bool) { return 2e9, true }

	cfg := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(cfg, []byte(`{"c": 32, "n": 5, "batch": 64}`), 0o644); err != nil {
		t.Fatal(err)
	}
	arch := "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|"
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"indicators", "compute", "--arch", arch, "--config", cfg}, []string{"on cifar10 needs about", "this machine has 2.0 GB available: lower batch, cj_images × cj_variants, c, n or the nlr sizes in --config"}},
		{[]string{"indicators", "sample", "--n", "3", "--workers", "1", "--config", cfg}, []string{"needs about", "(estimated for the heaviest cell)"}},
		{[]string{"indicators", "precompute", "--dataset", "cifar100", "--workers", "2", "--config", cfg, "--checkpoints", t.TempDir(), "--out", filepath.Join(t.TempDir(), "t.msgpack")}, []string{"on cifar100 needs about", "2 at once", "or fewer --workers"}},
	} {
		code, _, errs := runCLI(c.args...)
		for _, w := range c.want {
			if code == 0 || !strings.Contains(errs, w) {
				t.Errorf("%v: exit %d, stderr %q; want an error containing %q", c.args[:2], code, errs, w)
			}
		}
	}
	// Cutout variants are a batch of their own: when they are the larger
	// one, lowering batch does nothing, and the hint names them.
	cj := filepath.Join(t.TempDir(), "cj.json")
	if err := os.WriteFile(cj, []byte(`{"c": 16, "cj_images": 64, "cj_variants": 64}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCLI("indicators", "compute", "--arch", arch, "--config", cj); code == 0 || !strings.Contains(errs, "cj_images × cj_variants") {
		t.Errorf("64 images × 64 variants: exit %d, stderr %q; want the hint to name cj_images × cj_variants", code, errs)
	}
	// A disconnected cell is computed without building a network: it needs
	// no memory, whatever the configuration.
	if code, _, errs := runCLI("indicators", "compute", "--arch", "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "--config", cfg); code != 0 {
		t.Errorf("disconnected cell at a large configuration: exit %d, stderr %q", code, errs)
	}
	// The default configuration fits in 2 GB.
	if code, _, errs := runCLI("indicators", "compute", "--arch", arch); code != 0 {
		t.Errorf("default configuration with 2 GB available: exit %d, stderr %q", code, errs)
	}
}

// Where the available memory cannot be read, nothing is checked: every
// configuration is let through.
func TestCheckMemoryUnreadable(t *testing.T) {
	saved := availableMemory
	t.Cleanup(func() { availableMemory = saved })
	cfg := scores.Default()
	cfg.C, cfg.N, cfg.Batch = 64, 5, 256
	availableMemory = func() (int64, bool) { return 0, false }
	if err := checkMemory(cfg, tables.CIFAR10, 16, "fewer --workers"); err != nil {
		t.Errorf("memory unknown: %v", err)
	}
	availableMemory = func() (int64, bool) { return 1 << 40, true }
	if err := checkMemory(cfg, tables.CIFAR10, 16, "fewer --workers"); err == nil {
		t.Error("c 64, n 5, batch 256, 16 at once fits in 1 TiB: the check is vacuous")
	}
}

// The README's table of measured peaks and estimates gives each estimate
// as indicator.Footprint computes it, in the unit the table names (MiB or
// GiB: the measured column is /usr/bin/time's KiB).
func TestReadmeFootprintTable(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(b), "| dataset | C, N, batch | measured | estimate |\n|---|---|---|---|\n")
	if !ok {
		t.Fatal("no table of measured peaks in the README")
	}
	table, _, _ = strings.Cut(table, "\n\n")
	rows := 0
	for _, line := range strings.Split(table, "\n") {
		f := strings.Split(strings.Trim(line, "| "), " | ")
		if len(f) != 4 {
			t.Fatalf("README row %q", line)
		}
		d, err := tables.ParseDataset(strings.ReplaceAll(f[0], "CIFAR-", "cifar"))
		if err != nil {
			t.Fatalf("README row %q: %v", line, err)
		}
		cfg := scores.Default()
		if _, err := fmt.Sscanf(f[1], "%d, %d, %d", &cfg.C, &cfg.N, &cfg.Batch); err != nil {
			t.Fatalf("README row %q: %v", line, err)
		}
		if _, nlr, ok := strings.Cut(f[1], " with "); ok {
			var samples string
			if _, err := fmt.Sscanf(nlr, "nlr_c %d, nlr_patch %d, %s samples", &cfg.NLRC, &cfg.NLRPatch, &samples); err != nil {
				t.Fatalf("README row %q: %v", line, err)
			}
			cfg.NLRSamples, _ = strconv.Atoi(strings.ReplaceAll(samples, ",", ""))
		}
		est := float64(indicator.Footprint(cfg, d, 1))
		var v float64
		var unit string
		if _, err := fmt.Sscanf(f[3], "%g %s", &v, &unit); err != nil {
			t.Fatalf("README row %q: %v", line, err)
		}
		want, digits := est/(1<<20), 0
		switch unit {
		case "MiB":
		case "GiB":
			want, digits = est/(1<<30), 2
		default:
			t.Fatalf("README row %q: estimate in %q, want MiB or GiB", line, unit)
		}
		if got := strconv.FormatFloat(want, 'f', digits, 64); got != strconv.FormatFloat(v, 'f', digits, 64) {
			t.Errorf("README row %q: the estimate is %s %s", line, got, unit)
		}
		rows++
	}
	if rows < 8 {
		t.Errorf("%d rows in the README's table of measured peaks", rows)
	}
}
