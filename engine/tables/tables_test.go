package tables_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/nasplay/nasplay/engine/space"
	"github.com/nasplay/nasplay/engine/tables"
)

// The tests read the committed asset by path: engine/ does not import assets/.
const assetPath = "../../assets/tables.msgpack"

func load(t testing.TB) *tables.Tables {
	t.Helper()
	b, err := os.ReadFile(assetPath)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := tables.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// Reference values from data/README.md (index 0, cifar10).
func TestReferenceValues(t *testing.T) {
	tb := load(t)
	cases := []struct {
		v    tables.Device
		want float64
	}{{tables.EdgeGPU, 5.807418537139893}, {tables.Raspi4, 10.481976820010459}, {tables.Pixel3, 3.6058499999999998}}
	for _, c := range cases {
		got, ok := tables.Value(tb.Latencies(tables.CIFAR10, c.v), 0)
		if !ok || float32(got) != float32(c.want) {
			t.Errorf("%s latency of index 0 = %v (known %v), want %v", c.v, got, ok, c.want)
		}
	}
	if e, _ := tables.Value(tb.Energies(tables.CIFAR10, tables.EdgeGPU), 0); float32(e) != float32(24.226614330768584) {
		t.Errorf("edgegpu energy of index 0 = %v", e)
	}
	if tb.Energies(tables.CIFAR10, tables.Pixel3) != nil {
		t.Error("pixel3 has no energy in HW-NAS-Bench, but Energies returned a column")
	}
	if e, _ := tables.Value(tb.Costs(tables.CIFAR10, tables.EdgeGPU, tables.Energy), 0); float32(e) != float32(24.226614330768584) {
		t.Errorf("edgegpu energy cost of index 0 = %v", e)
	}
	if l, _ := tables.Value(tb.Costs(tables.CIFAR10, tables.EdgeGPU, tables.Latency), 0); float32(l) != float32(5.807418537139893) {
		t.Errorf("edgegpu latency cost of index 0 = %v", l)
	}
	for _, v := range tables.Devices() {
		if v.Supports(tables.Energy) != (tb.Costs(tables.CIFAR10, v, tables.Energy) != nil) || !v.Supports(tables.Latency) {
			t.Errorf("%s: Supports disagrees with Costs", v)
		}
		if (v.CheckSupport(tables.Energy) == nil) != v.Supports(tables.Energy) || v.CheckSupport(tables.Latency) != nil {
			t.Errorf("%s: CheckSupport disagrees with Supports", v)
		}
	}
	if err := tables.Raspi4.CheckSupport(tables.Energy); err == nil || err.Error() != "HW-NAS-Bench has no energy for raspi4 (energy: edgegpu, eyeriss, fpga)" {
		t.Errorf("raspi4 energy: %v", err)
	}
	if r := tables.Best(tb.Costs(tables.CIFAR10, tables.Raspi4, tables.Energy), 1e9, tb.TestAccs(tables.CIFAR10)); r.Index != -1 || r.Feasible != 0 {
		t.Errorf("best on a device without energy = %+v", r)
	}
	// Two of the 198 cells that parsing to float64 and then narrowing put one
	// float32 step off: nb201.csv gives 33.63333320617676 for index 3891's
	// ImageNet16-120 test accuracy, hwnasbench.csv 37.24026679992676 for
	// index 5730's CIFAR-100 Raspberry Pi 4 latency. The asset holds the
	// float32 nearest to the decimal.
	if a := tb.TestAccs(tables.ImageNet16)[3891]; a != 33.633335 {
		t.Errorf("imagenet16 test accuracy of index 3891 = %v, want 33.633335", a)
	}
	if l := tb.Latencies(tables.CIFAR100, tables.Raspi4)[5730]; l != 37.24027 {
		t.Errorf("cifar100 raspi4 latency of index 5730 = %v, want 37.24027", l)
	}
	want := "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|"
	if got := tb.Arch(0).String(); got != want {
		t.Errorf("arch 0 = %s", got)
	}
	for i := 0; i < tb.Len(); i++ {
		if tb.Index(tb.Arch(i)) != i {
			t.Fatalf("Index(Arch(%d)) = %d", i, tb.Index(tb.Arch(i)))
		}
	}
}

// The maxima quoted by data/README.md.
func TestMaxima(t *testing.T) {
	tb := load(t)
	argmax := func(c []float32) (int, float32) {
		best := 0
		for i, x := range c {
			if x > c[best] {
				best = i
			}
		}
		return best, c[best]
	}
	for _, c := range []struct {
		d   tables.Dataset
		idx int
	}{{tables.CIFAR10, 6111}, {tables.CIFAR100, 9930}, {tables.ImageNet16, 857}} {
		if i, _ := argmax(tb.TestAccs(c.d)); i != c.idx {
			t.Errorf("%s best test accuracy at %d, want %d", c.d, i, c.idx)
		}
	}
	for _, c := range []struct {
		d    tables.Dataset
		v    tables.Device
		want float64
	}{
		{tables.CIFAR100, tables.EdgeGPU, 11.46}, {tables.CIFAR100, tables.Raspi4, 96.71}, {tables.CIFAR100, tables.Pixel3, 43.88},
		{tables.ImageNet16, tables.EdgeGPU, 11.53}, {tables.ImageNet16, tables.Raspi4, 17.93}, {tables.ImageNet16, tables.Pixel3, 12.63},
	} {
		_, hi := tables.Span(tb.Latencies(c.d, c.v))
		if math.Abs(hi-c.want) > 0.005 {
			t.Errorf("max %s latency on %s = %.4f, want %.2f", c.d, c.v, hi, c.want)
		}
	}
}

func TestUnknownLatency(t *testing.T) {
	tb := load(t)
	for _, d := range tables.Datasets() {
		unknown := 0
		for i, x := range tb.Latencies(d, tables.EdgeTPU) {
			if math.IsNaN(float64(x)) {
				unknown++
				if meets(tb, d, tables.EdgeTPU, i, 1e9) {
					t.Fatalf("%s index %d: unknown latency counted as meeting a target", d, i)
				}
			}
		}
		if unknown != 4699 {
			t.Errorf("%s: %d unknown edgetpu latencies, want 4699", d, unknown)
		}
	}
	// The oracle counts only known latencies.
	if r := tables.Best(tb.Latencies(tables.CIFAR10, tables.EdgeTPU), 1e9, tb.TestAccs(tables.CIFAR10)); r.Feasible != space.Size-4699 {
		t.Errorf("edgetpu feasible at huge T = %d, want %d", r.Feasible, space.Size-4699)
	}
}

func TestOracle(t *testing.T) {
	tb := load(t)
	r := tables.Best(tb.Latencies(tables.CIFAR10, tables.EdgeGPU), 6, tb.TestAccs(tables.CIFAR10))
	if r.Index != 2053 {
		t.Fatalf("oracle cifar10/edgegpu/6ms = %d, want 2053", r.Index)
	}
	if acc := tb.TestAccs(tables.CIFAR10)[r.Index]; math.Abs(float64(acc)-94.21) > 0.005 {
		t.Errorf("oracle accuracy %.4f, want 94.21", acc)
	}
	// Brute force on other settings: nothing feasible beats it, and the count is right.
	for _, d := range tables.Datasets() {
		for _, v := range tables.Devices() {
			lo, hi := tables.Span(tb.Latencies(d, v))
			for _, T := range []float64{lo / 2, lo, (lo + hi) / 3, hi} {
				r := tables.Best(tb.Latencies(d, v), T, tb.TestAccs(d))
				n, best := 0, float32(math.Inf(-1))
				for i := 0; i < tb.Len(); i++ {
					if meets(tb, d, v, i, T) {
						n++
						best = max(best, tb.TestAccs(d)[i])
					}
				}
				if r.Feasible != n || (n > 0 && tb.TestAccs(d)[r.Index] != best) || (n == 0 && r.Index != -1) {
					t.Errorf("%s/%s T=%g: oracle %+v, brute force n=%d best=%v", d, v, T, r, n, best)
				}
			}
		}
	}
}

// TestBest checks the pick by a score with many ties (test accuracy
// rounded down to whole points) against brute force: the highest score
// among feasible networks, then the lowest latency, then the lowest index.
func TestBest(t *testing.T) {
	tb := load(t)
	for _, d := range tables.Datasets() {
		score := make([]float32, tb.Len())
		for i, a := range tb.TestAccs(d) {
			score[i] = float32(math.Floor(float64(a)))
		}
		for _, v := range []tables.Device{tables.EdgeGPU, tables.Raspi4} {
			lo, hi := tables.Span(tb.Latencies(d, v))
			for _, T := range []float64{lo / 2, (lo + hi) / 4, hi} {
				r := tables.Best(tb.Latencies(d, v), T, score)
				lat, want, n := tb.Latencies(d, v), -1, 0
				for i := range score {
					if !meets(tb, d, v, i, T) {
						continue
					}
					n++
					if want < 0 || score[i] > score[want] || (score[i] == score[want] && lat[i] < lat[want]) {
						want = i
					}
				}
				if r.Index != want || r.Feasible != n {
					t.Errorf("%s/%s T=%g: best %+v, brute force index %d of %d", d, v, T, r, want, n)
				}
			}
		}
	}
}

func TestPareto(t *testing.T) {
	tb := load(t)
	d, v := tables.CIFAR100, tables.Raspi4
	front := tables.Front(tb.TestAccs(d), tb.Latencies(d, v))
	lat, acc := tb.Latencies(d, v), tb.TestAccs(d)
	on := map[int]bool{}
	for k, i := range front {
		on[i] = true
		if k > 0 && !(lat[i] >= lat[front[k-1]] && acc[i] > acc[front[k-1]]) {
			t.Fatalf("front not sorted by latency with rising accuracy at %d", k)
		}
	}
	// Every network off the front is dominated by some front member.
	for i := range acc {
		if on[i] {
			continue
		}
		dominated := false
		for _, j := range front {
			if lat[j] <= lat[i] && acc[j] >= acc[i] {
				dominated = true
				break
			}
		}
		if !dominated {
			t.Fatalf("index %d (%.3f ms, %.2f%%) is not dominated by the front", i, lat[i], acc[i])
		}
	}
	// The last front member is the most accurate network of all.
	last := front[len(front)-1]
	for _, x := range acc {
		if x > acc[last] {
			t.Fatal("front misses the most accurate network")
		}
	}
}

// TestAssetMatchesConverter rebuilds the asset from ../shared/data when it is
// present and checks that the committed file is exactly what it makes.
func TestAssetMatchesConverter(t *testing.T) {
	dir := "../../../shared/data"
	files := map[string][]byte{}
	for _, n := range []string{tables.NB201File, tables.HWFile, tables.SumsFile} {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Skipf("benchmark data not present (%v)", err)
		}
		files[n] = b
	}
	got, err := tables.Convert(files)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(assetPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, committed) {
		t.Fatal("assets/tables.msgpack differs from what the converter makes: run nasplay assets build")
	}
	// A damaged source is caught by its checksum.
	files[tables.NB201File] = append([]byte{}, files[tables.NB201File]...)
	files[tables.NB201File][100] ^= 1
	if _, err := tables.Convert(files); err == nil {
		t.Fatal("converter accepted a file that does not match SHA256SUMS")
	}
}

func TestDecodeRejectsDamage(t *testing.T) {
	b, err := os.ReadFile(assetPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, cut := range []int{0, 10, len(b) / 2, len(b) - 1} {
		if _, err := tables.Decode(b[:cut]); err == nil {
			t.Errorf("truncated at %d: no error", cut)
		}
	}
	flipped := append([]byte{}, b...)
	flipped[len(flipped)/2] ^= 0x55
	if _, err := tables.Decode(flipped); err == nil {
		t.Error("flipped byte: no error")
	}
}

// Headers that declare huge lengths must fail fast instead of allocating.
var hostile = [][]byte{
	{0x81, 0xa4, 'a', 'r', 'c', 'h', 0xc6, 0x7f, 0xff, 0xff, 0xff},
	{0x81, 0xa7, 'c', 'o', 'l', 'u', 'm', 'n', 's', 0xdd, 0x7f, 0xff, 0xff, 0xff},
	{0x81, 0xa7, 's', 'o', 'u', 'r', 'c', 'e', 's', 0xdf, 0x7f, 0xff, 0xff, 0xff},
	{0x81, 0xa7, 'c', 'o', 'l', 'u', 'm', 'n', 's', 0x91, 0x81, 0xa4, 'd', 'a', 't', 'a', 0xc6, 0x7f, 0xff, 0xff, 0xff},
}

func TestDecodeHostileLengths(t *testing.T) {
	for _, b := range hostile {
		if _, err := tables.Decode(b); err == nil {
			t.Errorf("% x: no error", b)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, b := range hostile {
		f.Add(b)
	}
	b, err := os.ReadFile(assetPath)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b[:200])
	f.Add([]byte{0x80})
	f.Add([]byte("\x87\xa4kind\xaenasplay/tables"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := tables.Decode(data)
		if err == nil && tb.Len() != space.Size {
			t.Fatalf("decoded %d rows", tb.Len())
		}
	})
}

func TestParseNames(t *testing.T) {
	if d, err := tables.ParseDataset("ImageNet16-120"); err != nil || d != tables.ImageNet16 {
		t.Errorf("ImageNet16-120 → %v, %v", d, err)
	}
	if _, err := tables.ParseDataset("mnist"); err == nil {
		t.Error("mnist accepted")
	}
	if _, err := tables.ParseDevice("tpu"); err == nil {
		t.Error("tpu accepted")
	}
	if o, err := tables.ParseObjective(" Energy"); err != nil || o != tables.Energy || o.Unit() != "mJ" {
		t.Errorf("Energy → %v, %v", o, err)
	}
	if _, err := tables.ParseObjective("power"); err == nil || !strings.Contains(err.Error(), "latency, energy") {
		t.Errorf("power: error %v", err)
	}
	// In JSON they are names, and read back.
	type names struct {
		D tables.Dataset
		V tables.Device
		O tables.Objective
	}
	j, err := json.Marshal(names{tables.ImageNet16, tables.FPGA, tables.Energy})
	var back names
	if err != nil || string(j) != `{"D":"imagenet16","V":"fpga","O":"energy"}` || json.Unmarshal(j, &back) != nil || back != (names{tables.ImageNet16, tables.FPGA, tables.Energy}) {
		t.Errorf("JSON %s (%v) reads back as %+v", j, err, back)
	}
	if json.Unmarshal([]byte(`{"V":"gpu"}`), &back) == nil {
		t.Error("device \"gpu\" read from JSON")
	}
	if j, err := json.Marshal(names{D: 7}); err == nil {
		t.Errorf("dataset 7 written as %s", j)
	}
}

func BenchmarkDecode(b *testing.B) {
	data, err := os.ReadFile(assetPath)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := tables.Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

// In HW-NAS-Bench energy is nearly latency times a constant power: exactly
// 7 W on the FPGA, and Pearson ≥ 0.99 on the Edge GPU and Eyeriss (the
// README's energy section rests on this).
func TestEnergyTracksLatency(t *testing.T) {
	tb := load(t)
	for _, d := range tables.Datasets() {
		for _, v := range []tables.Device{tables.EdgeGPU, tables.Eyeriss, tables.FPGA} {
			lat, en := tb.Latencies(d, v), tb.Energies(d, v)
			x, y := make([]float64, len(lat)), make([]float64, len(lat))
			for i := range lat {
				x[i], y[i] = float64(lat[i]), float64(en[i])
				if v == tables.FPGA && math.Abs(y[i]/x[i]-7) > 1e-5 {
					t.Fatalf("%s fpga #%d: %v mJ / %v ms is not 7 W", d, i, en[i], lat[i])
				}
			}
			if r := stat.Correlation(x, y, nil); r < 0.99 {
				t.Errorf("%s %s: Pearson(latency, energy) = %.4f", d, v, r)
			}
		}
	}
}

// meets reports whether network i's latency on (d, v) is known and ≤ target.
func meets(tb *tables.Tables, d tables.Dataset, v tables.Device, i int, target float64) bool {
	l, ok := tables.Value(tb.Latencies(d, v), i)
	return ok && tables.Meets(float32(l), target)
}

// TestTargetAtPrintedCost checks that a network meets a target written as
// its own cost, as the tables print it (the shortest decimal of the
// float32): the benchmark's value v is stored as float32(v), which may lie
// above v (ImageNet16-120's largest FPGA latency, 3.456 ms, is stored as
// 3.4560000896), and a comparison in float64 would leave such a network out
// at T = v.
func TestTargetAtPrintedCost(t *testing.T) {
	tb := load(t)
	lat := tb.Latencies(tables.ImageNet16, tables.FPGA)
	if r := tables.Best(lat, 3.456, tb.TestAccs(tables.ImageNet16)); r.Feasible != tb.Len() {
		t.Errorf("ImageNet16-120 FPGA, T = 3.456 ms (the largest latency): %d networks meet it, want all %d", r.Feasible, tb.Len())
	}
	for _, d := range tables.Datasets() {
		for _, v := range tables.Devices() {
			for _, o := range tables.Objectives() {
				cost := tb.Costs(d, v, o)
				if cost == nil {
					continue
				}
				for i := 0; i < tb.Len(); i += 97 {
					if math.IsNaN(float64(cost[i])) {
						continue
					}
					T, err := strconv.ParseFloat(strconv.FormatFloat(float64(cost[i]), 'g', -1, 32), 64)
					if err != nil {
						t.Fatal(err)
					}
					n := 0
					for _, c := range cost {
						if c <= cost[i] {
							n++
						}
					}
					if !tables.Meets(cost[i], T) {
						t.Errorf("%s/%s/%s: index %d's cost %v does not meet T = %v", d, v, o, i, cost[i], T)
					}
					if r := tables.Best(cost, T, tb.TestAccs(d)); r.Feasible != n {
						t.Fatalf("%s/%s/%s T = %v (index %d's cost): %d networks meet it, want %d", d, v, o, T, i, r.Feasible, n)
					}
				}
			}
		}
	}
	if tables.Meets(float32(math.NaN()), 1e300) {
		t.Error("an unknown cost meets a target")
	}
	if !tables.Meets(1e30, math.MaxFloat64) || tables.Meets(2, 1.5) {
		t.Error("Meets is wrong away from float32's rounding")
	}
}

// TestBestIndexTieBreak: among feasible networks with equal score and equal
// cost, Best picks the lowest index. #params has many exact ties, so with a
// constant score the pick is the first index of the smallest feasible cost.
func TestBestIndexTieBreak(t *testing.T) {
	tb := load(t)
	for _, d := range tables.Datasets() {
		cost := tb.ParamsM(d)
		score := make([]float32, len(cost)) // all tied
		lo, _ := tables.Span(cost)
		r := tables.Best(cost, lo, score)
		want, n := -1, 0
		for i, c := range cost {
			if float64(c) == lo {
				n++
				if want < 0 {
					want = i
				}
			}
		}
		if n < 2 {
			t.Fatalf("%s: only %d networks at the smallest #params; the tie-break is not exercised", d, n)
		}
		if r.Index != want || r.Feasible != n {
			t.Errorf("%s: Best = %+v, want index %d of %d tied networks", d, r, want, n)
		}
	}
}

// TestFrontEqualCost: two networks of equal cost are never both on the
// front (the less accurate one is dominated), on a column with many ties.
func TestFrontEqualCost(t *testing.T) {
	tb := load(t)
	d := tables.CIFAR10
	acc, cost := tb.TestAccs(d), tb.ParamsM(d)
	front := tables.Front(acc, cost)
	for k := 1; k < len(front); k++ {
		i, j := front[k-1], front[k]
		if !(cost[j] > cost[i] && acc[j] > acc[i]) {
			t.Fatalf("front members %d (%v, %v%%) and %d (%v, %v%%): cost and accuracy must both rise", i, cost[i], acc[i], j, cost[j], acc[j])
		}
	}
	// Its first member is the most accurate of the cheapest networks.
	lo, _ := tables.Span(cost)
	best := float32(math.Inf(-1))
	for i, c := range cost {
		if float64(c) == lo {
			best = max(best, acc[i])
		}
	}
	if f := front[0]; float64(cost[f]) != lo || acc[f] != best {
		t.Errorf("front starts at %d (%v, %v%%), want cost %v and accuracy %v", f, cost[f], acc[f], lo, best)
	}
}

// TestSpanValueResolution checks the small helpers against brute force and
// their documented edge cases.
func TestSpanValueResolution(t *testing.T) {
	tb := load(t)
	for _, v := range tables.Devices() {
		c := tb.Latencies(tables.CIFAR100, v)
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, x := range c {
			if !math.IsNaN(float64(x)) {
				lo, hi = min(lo, float64(x)), max(hi, float64(x))
			}
		}
		if l, h := tables.Span(c); l != lo || h != hi {
			t.Errorf("%s: Span = %v, %v; want %v, %v", v, l, h, lo, hi)
		}
	}
	if l, h := tables.Span([]float32{float32(math.NaN())}); !math.IsInf(l, 1) || !math.IsInf(h, -1) {
		t.Errorf("Span of nothing known = %v, %v; want +Inf, -Inf", l, h)
	}
	if x, ok := tables.Value(tb.Energies(tables.CIFAR10, tables.Raspi4), 0); ok || x != 0 {
		t.Errorf("Value of a device without energy = %v, %v; want 0, false", x, ok)
	}
	for _, c := range []struct{ hi, want float64 }{{99, 0.01}, {10, 0.01}, {9.99, 0.001}, {3.456, 0.001}, {100, 0.1}, {1500, 1}} {
		if got := tables.Resolution(c.hi); math.Abs(got-c.want) > 1e-12*c.want {
			t.Errorf("Resolution(%v) = %v, want %v", c.hi, got, c.want)
		}
	}
}
