package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nasplay/nasplay/assets"
	"github.com/nasplay/nasplay/engine/indicator"
	"github.com/nasplay/nasplay/engine/scores"
	"github.com/nasplay/nasplay/engine/tables"
)

func TestIndicatorsComputeJSON(t *testing.T) {
	const arch = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"
	code, out, errs := runCLI("indicators", "compute", "--arch", arch, "--dataset", "imagenet16", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r computeResult
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Arch != arch || r.Index != 1 || r.Dataset != "imagenet16" || r.ConfigVersion != scores.Default().Version() {
		t.Errorf("header %+v", r)
	}
	// At the default configuration the live scores are the table's.
	bt, _ := tables.Decode(assets.Tables)
	tab, err := scores.DecodeTable(assets.Indicators)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range scores.AllNames() {
		col, _ := scores.Column(tab, bt, tables.ImageNet16, name)
		if v, ok := r.Scores[name]; !ok || float32(v) != col[1] {
			t.Errorf("%s = %v (present %v), table %v", name, v, ok, col[1])
		}
	}
}

func TestIndicatorsErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"indicators", "compute", "--arch", "|bogus~0|+|none~0|none~1|+|none~0|none~1|none~2|"}, `at byte 1: unknown op "bogus"`},
		{[]string{"indicators", "export", "--dataset", "mnist"}, `unknown dataset "mnist"`},
		{[]string{"indicators", "export", "--format", "xml"}, `--format "xml", want csv`},
		{[]string{"correlate", "--dataset", "svhn"}, `--dataset "svhn": want cifar10, cifar100, imagenet16 or all`},
		{[]string{"indicators", "fusions", "--dataset", "svhn"}, `--dataset "svhn": want cifar10, cifar100, imagenet16 or all`},
		{[]string{"indicators", "fusions", "--splits", "1"}, "--splits 1: want at least 2"},
	} {
		if code, _, errs := runCLI(c.args...); code == 0 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want an error containing %q", c.args, code, errs, c.want)
		}
	}
}

func TestIndicatorsFusionsJSON(t *testing.T) {
	code, out, errs := runCLI("indicators", "fusions", "--dataset", "cifar100", "--splits", "3", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rows []indicator.FusionScore
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(indicator.FusionForms()) || rows[3].Form != "quadratic, connected split" || rows[3].Dataset != "cifar100" || rows[3].Splits != 3 {
		t.Fatalf("rows %+v", rows)
	}
	for _, r := range rows {
		if !(r.Spearman > 0.75 && r.Spearman < 0.9 && r.Top1 > 60 && r.Top1 < 75) {
			t.Errorf("%+v out of range", r)
		}
	}
}

func TestIndicatorsExportCSV(t *testing.T) {
	code, out, errs := runCLI("indicators", "export", "--dataset", "cifar100", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := append([]string{"index", "arch"}, scores.AllNames()...)
	if strings.Join(rows[0], ",") != strings.Join(want, ",") || len(rows) != 1+15625 {
		t.Fatalf("header %v, %d rows", rows[0], len(rows))
	}
	if rows[2][0] != "1" || !strings.HasPrefix(rows[2][1], "|nor_conv_3x3~0|") {
		t.Errorf("row of index 1: %v", rows[2][:2])
	}
}

// TestTableFromCheckpoints rebuilds the indicator table from the committed
// checkpoints: the committed asset must be exactly that table, so it comes
// from the checkpoints and the fusion fit in this tree.
func TestTableFromCheckpoints(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 26,295 checkpoint lines")
	}
	bt, err := loadTables()
	if err != nil {
		t.Fatal(err)
	}
	tab, missing, err := tableFromCheckpoints(scores.Default(), bt, filepath.Join("..", "..", "assets", "indicators-ckpt"))
	if err != nil || tab == nil {
		t.Fatalf("%v %s", err, missing)
	}
	b, err := tab.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, assets.Indicators) {
		t.Fatal("assets/indicators.msgpack differs from the table built from assets/indicators-ckpt")
	}
}

// indicators export leaves a worst value (undefined for the network) empty,
// as every other output does, instead of printing the sentinel.
func TestIndicatorsExportWorst(t *testing.T) {
	code, out, errs := runCLI("indicators", "export", "--dataset", "cifar100")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Contains(out, "e+38") {
		t.Error("the export prints the worst-score sentinel")
	}
	// #6337 is disconnected: its indicators are undefined, params is not.
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "6337,") {
			if !strings.Contains(line, ",,") {
				t.Errorf("network 6337's row has no empty (worst) cell: %s", line)
			}
			return
		}
	}
	t.Error("no row for network 6337")
}

// --workers beyond the number of networks starts no more goroutines than
// networks: 2^62 workers made an error slot each, a makeslice panic.
func TestIndicatorsSampleHugeWorkers(t *testing.T) {
	code, out, errs := runCLI("indicators", "sample", "--n", "3", "--workers", "4611686018427387904")
	if code != 0 || !strings.Contains(out, "(3 workers)") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// A checkpoint that cannot be read names its file also when the table is
// built, where the datasets not computed by this run are read: a foreign
// cifar100.txt said only "checkpoint: header ...".
func TestTableFromCheckpointsNamesFile(t *testing.T) {
	bt, err := loadTables()
	if err != nil {
		t.Fatal(err)
	}
	cfg := scores.Default()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cifar10.txt"), []byte(indicator.CheckpointHeader(cfg, tables.CIFAR100)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = tableFromCheckpoints(cfg, bt, dir)
	if want := filepath.Join(dir, "cifar10.txt") + ": "; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("err %v, want it to start with %q", err, want)
	}
}
