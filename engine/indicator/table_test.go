package indicator

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/nasplay/nasplay/assets"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

func mustTables(tb testing.TB) *tables.Tables {
	tb.Helper()
	bt, err := tables.Decode(assets.Tables)
	if err != nil {
		tb.Fatal(err)
	}
	return bt
}

// codecTable builds a table from made-up per-class values (a function of
// the class code): it exercises the codec and the fusion, not the
// indicators.
func codecTable(tb testing.TB) (*Table, *tables.Tables) {
	tb.Helper()
	bt := mustTables(tb)
	var classes [tables.NumDatasets]map[int]Raw
	for _, d := range tables.Datasets() {
		classes[d] = map[int]Raw{}
		for _, c := range Classes() {
			var r Raw
			code := float64(c.Code())
			for k := range r.Values {
				r.Values[k] = math.Sin(code*float64(k+1)+float64(d)) * 100
			}
			if !c.Connected() {
				for k := range r.Values {
					r.Values[k], r.Invalid[k] = Worst, true
				}
			}
			classes[d][c.Code()] = r
		}
	}
	tab, err := BuildTable(Default(), bt, classes)
	if err != nil {
		tb.Fatal(err)
	}
	return tab, bt
}

func TestTableCodec(t *testing.T) {
	tab, bt := codecTable(t)
	b, err := tab.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeTable(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, err := got.Encode()
	if err != nil || !bytes.Equal(b, b2) {
		t.Fatalf("re-encoding differs (err %v)", err)
	}
	if got.Config() != Default() {
		t.Errorf("config %+v", got.Config())
	}
	for _, d := range tables.Datasets() {
		c := got.Counts(d)
		if c.Disconnected != 341 {
			t.Errorf("%v: %d disconnected, want the benchmark's 341", d, c.Disconnected)
		}
		f := got.Fusion(d)
		if len(f.Fit) != FitSize || len(f.Inputs) != 4 || f.Inputs[1] != "nlr" {
			t.Errorf("%v fusion %+v", d, f)
		}
		fi, err := Scores(got, bt, d, FI)
		if err != nil {
			t.Fatal(err)
		}
		// Fuse reproduces the stored fi from a network's raw values.
		for _, i := range []int{0, 1, 777, 15624} {
			var raw Raw
			for k := range raw.Values {
				s, _ := Scores(got, bt, d, rawNames[k])
				raw.Values[k] = float64(s[i])
			}
			if v := float32(got.Fuse(d, raw)); v != fi[i] {
				t.Errorf("%v index %d: Fuse = %v, table fi %v", d, i, v, fi[i])
			}
		}
	}
	if _, err := Scores(got, bt, tables.CIFAR10, "synflow"); err == nil || !strings.Contains(err.Error(), "cj_eig") {
		t.Errorf("unknown indicator: %v", err)
	}
	p, err := Scores(nil, bt, tables.CIFAR100, Params)
	if err != nil || p[1] != bt.ParamsM(tables.CIFAR100)[1] {
		t.Errorf("params from the benchmark: %v", err)
	}
}

func TestTableDamaged(t *testing.T) {
	tab, _ := codecTable(t)
	b, _ := tab.Encode()
	for _, off := range []int{10, len(b) / 2, len(b) - 10} {
		c := bytes.Clone(b)
		c[off] ^= 0x40
		if _, err := DecodeTable(c); err == nil {
			t.Errorf("byte %d flipped: accepted", off)
		}
	}
	for _, n := range []int{0, 1, 100, len(b) - 1} {
		if _, err := DecodeTable(b[:n]); err == nil {
			t.Errorf("truncated to %d bytes: accepted", n)
		}
	}
	if _, err := DecodeTable(assets.Calib); err == nil {
		t.Error("calibration asset accepted as a table")
	}
}

func FuzzDecodeTable(f *testing.F) {
	tab, _ := codecTable(f)
	b, _ := tab.Encode()
	f.Add(b)
	f.Add(b[:len(b)/3])
	f.Add([]byte{0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		tab, err := DecodeTable(b)
		if err != nil {
			return
		}
		// Whatever decodes must be usable.
		for _, d := range tables.Datasets() {
			var raw Raw
			tab.Fuse(d, raw)
			if s, err := Scores(tab, nil, d, FI); err != nil || len(s) != space.Size {
				t.Fatalf("decoded table unusable: %v", err)
			}
		}
	})
}

func TestReport(t *testing.T) {
	tab, bt := codecTable(t)
	i := 1234
	var raw Raw
	for k := range raw.Values {
		raw.Values[k] = float64(tab.data[tables.CIFAR100].cols[k][i])
	}
	raw.Invalid[NLR] = true
	r := NewReport(raw, Default(), tab, tables.CIFAR100)
	if got, want := r.Scores[FI], float64(tab.data[tables.CIFAR100].cols[len(rawNames)][i]); float32(got) != float32(want) {
		t.Errorf("fi of index %d (%v) = %v, table has %v", i, bt.Arch(i), got, want)
	}
	if len(r.Invalid) != 1 || r.Invalid[0] != "nlr" || r.Note != "" || len(r.Scores) != NumRaw+1 {
		t.Errorf("report %+v", r)
	}
	other := Default()
	other.C = 8
	if r := NewReport(raw, other, tab, tables.CIFAR100); !strings.Contains(r.Note, "fitted on the table's configuration") || len(r.Scores) != NumRaw {
		t.Errorf("other config: %+v", r)
	}
	if r := NewReport(raw, Default(), nil, tables.CIFAR100); !strings.Contains(r.Note, "not loaded") {
		t.Errorf("no table: %+v", r)
	}
}
