package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"

	"github.com/nasplay/nasplay/engine/indicator"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/tables"
)

// availableMemory is what the machine can give a new process without
// swapping, in bytes (Linux's MemAvailable); ok is false where it cannot
// be read, and then nothing is checked. A variable, so tests can set it.
var availableMemory = func() (bytes int64, ok bool) {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	return parseMemAvailable(b)
}

// parseMemAvailable reads the MemAvailable line of /proc/meminfo.
func parseMemAvailable(b []byte) (int64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		var kb int64
		if n, _ := fmt.Sscanf(sc.Text(), "MemAvailable: %d kB", &kb); n == 1 {
			return kb << 10, true
		}
	}
	return 0, false
}

// checkMemory refuses, before any work, a configuration whose estimated
// footprint (indicator.Footprint, for parallel networks or weight draws at
// once) is more than the machine has available: such a run would
// otherwise end, perhaps minutes later, in Go's "out of memory". fewer
// names how to run fewer at once, if the command has a way.
func checkMemory(cfg scores.Config, d tables.Dataset, parallel int, fewer string) error {
	avail, ok := availableMemory()
	if !ok {
		return nil
	}
	need := indicator.Footprint(cfg, d, parallel)
	if need <= avail {
		return nil
	}
	at, hint := "", "lower batch, cj_images × cj_variants, c, n or the nlr sizes in --config"
	if parallel > 1 {
		at = fmt.Sprintf(", %d at once", parallel)
		if fewer != "" {
			hint += ", or " + fewer
		}
	}
	return fmt.Errorf("indicator config %s on %s needs about %s of memory (estimated for the heaviest cell%s) and this machine has %s available: %s",
		cfg.Version(), d, gigabytes(need), at, gigabytes(avail), hint)
}

// gigabytes writes a byte count as "1.3 GB" (10⁹ bytes).
func gigabytes(b int64) string {
	return strconv.FormatFloat(float64(b)/1e9, 'f', 1, 64) + " GB"
}
