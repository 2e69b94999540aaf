package scores

import (
	"bytes"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nasplay/nasplay/assets"
	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

// madeUpTable makes a table from made-up columns (a function of the index,
// with some worst scores and ties) and a made-up fusion: it exercises the
// codec and Fuse, not the indicators or the fit (engine/indicator).
func madeUpTable(tb testing.TB) *Table {
	tb.Helper()
	var (
		cols   [tables.NumDatasets][NumRaw][]float32
		fusion [tables.NumDatasets]Fusion
		counts [tables.NumDatasets]Counts
	)
	for _, d := range tables.Datasets() {
		for k := range cols[d] {
			col := make([]float32, space.Size)
			for i := range col {
				col[i] = float32(math.Round(math.Sin(float64(i*(k+1)+int(d)))*1000) / 10)
				if i%97 == 0 {
					col[i] = Worst
				}
			}
			cols[d][k] = col
		}
		fusion[d] = Fusion{Inputs: []string{"cj_eig", "nlr", "cnntk", "os"}, Weights: []float64{0.5, 0.25, 0.125, -0.0625 * float64(d+1)},
			Squares: []float64{0.05, -0.2, 0, 0.3}, Intercept: 0.1, Fit: []int{3, 14, 15, 926}}
		counts[d] = Counts{Disconnected: 341, Failed: [NumRaw]int{1, 0, 2, 0, int(d)}}
	}
	tab, err := NewTable(Default(), cols, fusion, counts)
	if err != nil {
		tb.Fatal(err)
	}
	return tab
}

func TestTableCodec(t *testing.T) {
	tab := madeUpTable(t)
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
		if !reflect.DeepEqual(got.Counts(d), tab.Counts(d)) || !reflect.DeepEqual(got.Fusion(d), tab.Fusion(d)) {
			t.Errorf("%v: counts %+v, fusion %+v after decoding", d, got.Counts(d), got.Fusion(d))
		}
		fi, err := Column(got, nil, d, FI)
		if err != nil {
			t.Fatal(err)
		}
		// Fuse reproduces the stored fi from a network's raw values.
		for _, i := range []int{0, 1, 777, 15624} {
			var raw Raw
			for k := range raw.Values {
				s, _ := Column(got, nil, d, rawNames[k])
				raw.Values[k] = float64(s[i])
			}
			if v := float32(got.Fuse(d, raw)); v != fi[i] {
				t.Errorf("%v index %d: Fuse = %v, table fi %v", d, i, v, fi[i])
			}
		}
	}
	if _, err := Column(got, nil, tables.CIFAR10, "synflow"); err == nil || !strings.Contains(err.Error(), "cj_eig") {
		t.Errorf("unknown indicator: %v", err)
	}
	bt, err := tables.Decode(assets.Tables)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Column(nil, bt, tables.CIFAR100, Params)
	if err != nil || p[1] != bt.ParamsM(tables.CIFAR100)[1] {
		t.Errorf("params from the benchmark: %v", err)
	}
	if _, err := Column(nil, bt, tables.CIFAR100, FI); err == nil {
		t.Error("fi without the indicator table")
	}
}

func TestNewTableRejects(t *testing.T) {
	var (
		cols   [tables.NumDatasets][NumRaw][]float32
		fusion [tables.NumDatasets]Fusion
		counts [tables.NumDatasets]Counts
	)
	for _, d := range tables.Datasets() {
		for k := range cols[d] {
			cols[d][k] = make([]float32, space.Size)
		}
		fusion[d] = Fusion{Inputs: []string{"cj"}, Weights: []float64{1}, Squares: []float64{0}}
	}
	if _, err := NewTable(Default(), cols, fusion, counts); err != nil {
		t.Fatal(err)
	}
	bad := fusion
	bad[tables.CIFAR100] = Fusion{Inputs: []string{"params"}, Weights: []float64{1}, Squares: []float64{0}}
	if _, err := NewTable(Default(), cols, bad, counts); err == nil || !strings.Contains(err.Error(), "params") {
		t.Errorf("fusion of params: %v", err)
	}
	bad[tables.CIFAR100] = Fusion{Inputs: []string{"cj"}, Weights: []float64{1}}
	if _, err := NewTable(Default(), cols, bad, counts); err == nil || !strings.Contains(err.Error(), "square") {
		t.Errorf("fusion without square weights: %v", err)
	}
	bad[tables.CIFAR100] = Fusion{Inputs: []string{"cj"}, Weights: []float64{math.NaN()}, Squares: []float64{0}}
	if _, err := NewTable(Default(), cols, bad, counts); err == nil || !strings.Contains(err.Error(), "weight of NaN") {
		t.Errorf("NaN weight: %v", err)
	}
	for _, fit := range [][]int{{3, 2}, {3, 3}, {-1}, {space.Size}} {
		bad[tables.CIFAR100] = Fusion{Inputs: []string{"cj"}, Weights: []float64{1}, Squares: []float64{0}, Fit: fit}
		if _, err := NewTable(Default(), cols, bad, counts); err == nil || !strings.Contains(err.Error(), "fit split") {
			t.Errorf("fit split %v: %v", fit, err)
		}
	}
	short := cols
	short[tables.ImageNet16][NLR] = short[tables.ImageNet16][NLR][:100]
	if _, err := NewTable(Default(), short, fusion, counts); err == nil || !strings.Contains(err.Error(), "nlr") {
		t.Errorf("short column: %v", err)
	}
}

// TestFuse: fi is the intercept plus each input's weight times its rank
// and square weight times the rank squared, and the worst score in any
// input gives the worst fi.
func TestFuse(t *testing.T) {
	tab := madeUpTable(t)
	d := tables.CIFAR100
	f := tab.Fusion(d)
	for _, i := range []int{1, 500, 9000} {
		var raw Raw
		want := f.Intercept
		for k := range raw.Values {
			col, _ := Column(tab, nil, d, rawNames[k])
			raw.Values[k] = float64(col[i])
			if c := slices.Index(f.Inputs, rawNames[k]); c >= 0 {
				r := NewRanker(col).Rank(raw.Values[k])
				want += f.Weights[c]*r + f.Squares[c]*r*r
			}
		}
		if got := tab.Fuse(d, raw); math.Abs(got-want) > 1e-12 {
			t.Errorf("index %d: Fuse = %v, want %v", i, got, want)
		}
		raw.Values[NLR] = Worst
		if got := tab.Fuse(d, raw); got != Worst {
			t.Errorf("index %d with the worst nlr: Fuse = %v, want the worst score", i, got)
		}
	}
}

func TestTableDamaged(t *testing.T) {
	b, _ := madeUpTable(t).Encode()
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
	b, _ := madeUpTable(f).Encode()
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
			if s, err := Column(tab, nil, d, FI); err != nil || len(s) != space.Size {
				t.Fatalf("decoded table unusable: %v", err)
			}
		}
	})
}

func TestReport(t *testing.T) {
	tab := madeUpTable(t)
	i := 1234
	var raw Raw
	for k := range raw.Values {
		raw.Values[k] = float64(tab.data[tables.CIFAR100].cols[k][i])
	}
	raw.Invalid[NLR] = true
	r := NewReport(raw, Default(), tab, tables.CIFAR100)
	if got, want := r.Scores[FI], float64(tab.data[tables.CIFAR100].cols[len(rawNames)][i]); float32(got) != float32(want) {
		t.Errorf("fi of index %d = %v, table has %v", i, got, want)
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
	// A disconnected cell: every raw score worst, so fi too, and it says so.
	var dead Raw
	for k := range dead.Values {
		dead.Values[k], dead.Invalid[k] = Worst, true
	}
	if r := NewReport(dead, Default(), tab, tables.CIFAR100); r.Scores[FI] != Worst || !slices.Contains(r.Invalid, FI) {
		t.Errorf("disconnected: fi %v, invalid %v", r.Scores[FI], r.Invalid)
	}
}

// Column reads params and flops from the benchmark tables and the others
// from the indicator table, each a copy the caller may change; a dataset,
// name or table it lacks is an error, not a panic.
func TestColumn(t *testing.T) {
	bt, err := tables.Decode(assets.Tables)
	if err != nil {
		t.Fatal(err)
	}
	tab := madeUpTable(t)
	for _, d := range tables.Datasets() {
		for name, want := range map[string][]float32{Params: bt.ParamsM(d), Flops: bt.FlopsM(d), "cj_eig": tab.data[d].cols[CJEig], FI: tab.data[d].cols[len(rawNames)]} {
			col, err := Column(tab, bt, d, name)
			if err != nil || !slices.Equal(col, want) {
				t.Fatalf("%v %s: %v; not the column", d, name, err)
			}
			col[1]++ // [0] is a worst score in the made-up table
			if again, _ := Column(tab, bt, d, name); again[1] != want[1] || want[1] == col[1] {
				t.Fatalf("%v %s: changing the returned column changed the source", d, name)
			}
		}
	}
	for _, c := range []struct {
		tab  *Table
		bt   *tables.Tables
		d    tables.Dataset
		name string
		want string
	}{
		{tab, bt, tables.NumDatasets, "cj", "unknown dataset 3"},
		{tab, bt, -1, "params", "unknown dataset -1"},
		{tab, nil, tables.CIFAR10, "flops", "flops needs the benchmark tables"},
		{nil, bt, tables.CIFAR10, "os", "os needs the indicator table"},
		{tab, bt, tables.CIFAR10, "acc", `unknown indicator "acc"`},
	} {
		if _, err := Column(c.tab, c.bt, c.d, c.name); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Column(%v, %q): %v, want an error saying %q", c.d, c.name, err, c.want)
		}
	}
}
