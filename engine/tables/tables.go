// Package tables holds the benchmark tables: NAS-Bench-201 accuracies,
// parameter and FLOP counts, and HW-NAS-Bench latency and energy, for every
// architecture of the space, keyed by the benchmark index.
//
// Values are float32 columns; an unknown value is NaN and every accessor
// reports it as unknown, never as 0.
package tables

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/nasplay/nasplay/engine/space"
)

// Dataset is one of the three NAS-Bench-201 datasets.
type Dataset int

// The datasets, in the benchmark's order.
const (
	CIFAR10 Dataset = iota
	CIFAR100
	ImageNet16
	NumDatasets
)

var datasetNames = [NumDatasets]string{"cifar10", "cifar100", "imagenet16"}

// Datasets lists every dataset.
func Datasets() []Dataset { return []Dataset{CIFAR10, CIFAR100, ImageNet16} }

// String returns the dataset's short name, also its column prefix.
func (d Dataset) String() string { return nameOf(datasetNames[:], "Dataset", d) }

// Title is the dataset's name for people: "CIFAR-10", "CIFAR-100",
// "ImageNet16-120".
func (d Dataset) Title() string { return nameOf(datasetTitles[:], "Dataset", d) }

var datasetTitles = [NumDatasets]string{"CIFAR-10", "CIFAR-100", "ImageNet16-120"}

// Classes is the number of output classes of the dataset's network.
func (d Dataset) Classes() int { return [NumDatasets]int{10, 100, 120}[d] }

// InputSize is the side of the dataset's square input images.
func (d Dataset) InputSize() int { return [NumDatasets]int{32, 32, 16}[d] }

// ParseDataset accepts a dataset's short name, case-insensitively, and
// "ImageNet16-120" for imagenet16.
func ParseDataset(s string) (Dataset, error) {
	l := strings.ToLower(strings.TrimSpace(s))
	if l == "imagenet16-120" {
		return ImageNet16, nil
	}
	if d, ok := index[Dataset](datasetNames[:], l); ok {
		return d, nil
	}
	return 0, fmt.Errorf("unknown dataset %q (valid: cifar10, cifar100, imagenet16 or ImageNet16-120)", s)
}

// MarshalText writes the dataset's name, so that JSON exports read
// "cifar100" rather than 1.
func (d Dataset) MarshalText() ([]byte, error) { return marshalName(datasetNames[:], "Dataset", d) }

// UnmarshalText reads a name ParseDataset accepts.
func (d *Dataset) UnmarshalText(b []byte) (err error) { *d, err = ParseDataset(string(b)); return }

// Device is one of the six HW-NAS-Bench devices.
type Device int

// The devices, in HW-NAS-Bench's column order.
const (
	EdgeGPU Device = iota
	Raspi4
	EdgeTPU
	Pixel3
	Eyeriss
	FPGA
	NumDevices
)

var deviceNames = [NumDevices]string{"edgegpu", "raspi4", "edgetpu", "pixel3", "eyeriss", "fpga"}

var deviceTitles = [NumDevices]string{
	"Edge GPU (Jetson TX2)", "Raspberry Pi 4", "Edge TPU (Coral)", "Pixel 3",
	"Eyeriss (simulated ASIC)", "FPGA (ZC706, simulated)",
}

// Devices lists every device.
func Devices() []Device { return []Device{EdgeGPU, Raspi4, EdgeTPU, Pixel3, Eyeriss, FPGA} }

// String returns the device's short name, as used in column names.
func (v Device) String() string { return nameOf(deviceNames[:], "Device", v) }

// Title is the device's name for people.
func (v Device) Title() string { return nameOf(deviceTitles[:], "Device", v) }

// HasEnergy reports whether HW-NAS-Bench gives energy for the device.
func (v Device) HasEnergy() bool { return v == EdgeGPU || v == Eyeriss || v == FPGA }

// ParseDevice accepts a device's short name, case-insensitively.
func ParseDevice(s string) (Device, error) { return parseName[Device](deviceNames[:], "device", s) }

// MarshalText writes the device's short name.
func (v Device) MarshalText() ([]byte, error) { return marshalName(deviceNames[:], "Device", v) }

// UnmarshalText reads a name ParseDevice accepts.
func (v *Device) UnmarshalText(b []byte) (err error) { *v, err = ParseDevice(string(b)); return }

// Objective is the hardware cost a search's target bounds.
type Objective int

// The objectives.
const (
	Latency Objective = iota // per-image latency, ms (every device)
	Energy                   // per-image energy, mJ (Edge GPU, Eyeriss and FPGA only)
	NumObjectives
)

var objectiveNames = [NumObjectives]string{"latency", "energy"}

// Objectives lists the objectives.
func Objectives() []Objective { return []Objective{Latency, Energy} }

// String returns the objective's name.
func (o Objective) String() string { return nameOf(objectiveNames[:], "Objective", o) }

// Unit is the objective's unit: "ms" or "mJ".
func (o Objective) Unit() string {
	if o == Energy {
		return "mJ"
	}
	return "ms"
}

// ParseObjective accepts an objective's name, case-insensitively.
func ParseObjective(s string) (Objective, error) {
	return parseName[Objective](objectiveNames[:], "objective", s)
}

// MarshalText writes the objective's name.
func (o Objective) MarshalText() ([]byte, error) {
	return marshalName(objectiveNames[:], "Objective", o)
}

// UnmarshalText reads a name ParseObjective accepts.
func (o *Objective) UnmarshalText(b []byte) (err error) { *o, err = ParseObjective(string(b)); return }

// The three enumerations (Dataset, Device, Objective) are small ints with
// one lower-case name each; these helpers give them names both ways.

// nameOf is v's name, or kind(v) when v is out of range.
func nameOf[T ~int](names []string, kind string, v T) string {
	if v >= 0 && int(v) < len(names) {
		return names[v]
	}
	return fmt.Sprintf("%s(%d)", kind, int(v))
}

// index finds the value named l (lower case).
func index[T ~int](names []string, l string) (T, bool) {
	for i, n := range names {
		if l == n {
			return T(i), true
		}
	}
	return 0, false
}

// parseName accepts a name, case-insensitively.
func parseName[T ~int](names []string, kind, s string) (T, error) {
	if v, ok := index[T](names, strings.ToLower(strings.TrimSpace(s))); ok {
		return v, nil
	}
	return 0, fmt.Errorf("unknown %s %q (valid: %s)", kind, s, strings.Join(names, ", "))
}

// marshalName writes v's name; an out-of-range value is an error, as it
// could not be read back.
func marshalName[T ~int](names []string, kind string, v T) ([]byte, error) {
	if v < 0 || int(v) >= len(names) {
		return nil, fmt.Errorf("tables: %s(%d) out of range", kind, int(v))
	}
	return []byte(names[v]), nil
}

// Supports reports whether HW-NAS-Bench measures objective o on device v.
func (v Device) Supports(o Objective) bool { return o == Latency || (o == Energy && v.HasEnergy()) }

// CheckSupport is nil when v supports o, else an error that names the
// devices with energy data.
func (v Device) CheckSupport(o Objective) error {
	if v.Supports(o) {
		return nil
	}
	var have []string
	for _, d := range Devices() {
		if d.Supports(o) {
			have = append(have, d.String())
		}
	}
	return fmt.Errorf("HW-NAS-Bench has no %s for %s (%s: %s)", o, v, o, strings.Join(have, ", "))
}

// Column names, as in the source CSV files.
func testCol(d Dataset) string   { return d.String() + "_test_acc" }
func paramsCol(d Dataset) string { return d.String() + "_params_m" }
func flopsCol(d Dataset) string  { return d.String() + "_flops_m" }
func validCol(d Dataset) string {
	if d == CIFAR10 {
		return "cifar10valid_valid_acc"
	}
	return d.String() + "_valid_acc_naslib"
}
func latencyCol(d Dataset, v Device) string { return d.String() + "_" + v.String() + "_latency_ms" }
func energyCol(d Dataset, v Device) string  { return d.String() + "_" + v.String() + "_energy_mj" }

// ValidColumn names the validation-accuracy column used for dataset d: the
// only column anything may be fitted or tuned on.
func ValidColumn(d Dataset) string { return validCol(d) }

// Tables is the decoded benchmark, read-only after Decode.
type Tables struct {
	arch    []space.Arch
	byCode  []int32 // space.Arch.Code → benchmark index
	cols    map[string][]float32
	names   []string // column names in the source files' order, for encode
	version string   // checksum of the asset it came from
}

// Len is the number of architectures, space.Size.
func (t *Tables) Len() int { return len(t.arch) }

// Checksum identifies the asset the tables were decoded from.
func (t *Tables) Checksum() string { return t.version }

// Arch returns the cell with benchmark index i.
func (t *Tables) Arch(i int) space.Arch { return t.arch[i] }

// Index returns the benchmark index of a cell.
func (t *Tables) Index(a space.Arch) int { return int(t.byCode[a.Code()]) }

func (t *Tables) must(name string) []float32 {
	c, ok := t.cols[name]
	if !ok {
		panic("tables: missing column " + name) // Decode checks every column exists
	}
	return c
}

// TestAccs is dataset d's test accuracy (%) column; "test accuracy" always
// means this column.
func (t *Tables) TestAccs(d Dataset) []float32 { return t.must(testCol(d)) }

// ValidAccs is dataset d's validation accuracy (%) column.
func (t *Tables) ValidAccs(d Dataset) []float32 { return t.must(validCol(d)) }

// ParamsM is dataset d's parameter count in millions.
func (t *Tables) ParamsM(d Dataset) []float32 { return t.must(paramsCol(d)) }

// FlopsM is dataset d's FLOP count in millions, as NAS-Bench-201 counts.
func (t *Tables) FlopsM(d Dataset) []float32 { return t.must(flopsCol(d)) }

// Latencies is the per-image latency (ms) of dataset d's networks on v.
func (t *Tables) Latencies(d Dataset, v Device) []float32 { return t.must(latencyCol(d, v)) }

// Energies is the per-image energy (mJ) on v, or nil where the benchmark
// has none for that device.
func (t *Tables) Energies(d Dataset, v Device) []float32 {
	if !v.HasEnergy() {
		return nil
	}
	return t.must(energyCol(d, v))
}

// Costs is objective o's column on (d, v): Latencies or Energies (nil where
// the device has no energy data; see Device.Supports).
func (t *Tables) Costs(d Dataset, v Device, o Objective) []float32 {
	if o == Energy {
		return t.Energies(d, v)
	}
	return t.Latencies(d, v)
}

// Value returns column c at i as a float64 and whether it is known.
func Value(c []float32, i int) (float64, bool) {
	if c == nil || math.IsNaN(float64(c[i])) {
		return 0, false
	}
	return float64(c[i]), true
}

// Span is the smallest and largest known value of a column (±Inf when
// none is known).
func Span(c []float32) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range c {
		if f := float64(x); !math.IsNaN(f) {
			lo, hi = math.Min(lo, f), math.Max(hi, f)
		}
	}
	return lo, hi
}

// Resolution is the step targets on a column are set in, given its largest
// value hi: a thousandth of hi's decade (0.01 for values up to 99, 0.001
// below 10). The page's T slider and the experiments' binding targets use it.
func Resolution(hi float64) float64 { return math.Pow(10, math.Floor(math.Log10(hi))-3) }

// Meets reports whether a cost from the tables (NaN = unknown) meets the
// target T. The comparison is made at the tables' float32 precision: the
// benchmark's value v is stored as float32(v), which may lie above v
// (ImageNet16-120's largest FPGA latency, 3.456 ms, is stored as
// 3.4560000896), so comparing float64(cost) with T would leave out the
// network at T = the value the tables print for it. Since v ≤ T implies
// float32(v) ≤ float32(T), no network that meets T in the source files is
// left out.
func Meets(cost float32, target float64) bool {
	if math.IsNaN(float64(cost)) {
		return false
	}
	// A target beyond float32's range is met by every known cost (the
	// conversion of such a float64 to float32 is not defined by the spec).
	return target >= math.MaxFloat32 || cost <= float32(target)
}

// OracleResult is the best network under a hardware target.
type OracleResult struct {
	Index    int // -1 when no network meets the target
	Feasible int // networks whose known cost is ≤ the target
}

// Best finds, among the networks whose cost (latency or energy, one value
// per benchmark index, NaN where unknown) is known and ≤ target, the first
// in the order of Better by score: the network a search that saw every
// network would pick. With the test accuracy as score it is the oracle.
func Best(cost []float32, target float64, score []float32) OracleResult {
	r := OracleResult{Index: -1}
	if cost == nil {
		return r
	}
	for i := range score {
		if !Meets(cost[i], target) {
			continue
		}
		r.Feasible++
		if r.Index < 0 || Better(score, cost, i, r.Index) {
			r.Index = i
		}
	}
	return r
}

// Better is the selection order of the search among networks that meet the
// target: higher score, then lower cost, then lower index.
func Better(score, cost []float32, i, j int) bool {
	if score[i] != score[j] {
		return score[i] > score[j]
	}
	if cost[i] != cost[j] {
		return cost[i] < cost[j]
	}
	return i < j
}

// Front returns the cost–accuracy Pareto front: the networks of known cost
// that no other network beats on both (strictly cheaper, or equally cheap
// with strictly higher accuracy), sorted by cost.
func Front(acc, cost []float32) []int {
	idx := make([]int, 0, len(acc))
	for i := range acc {
		if cost != nil && !math.IsNaN(float64(cost[i])) {
			idx = append(idx, i)
		}
	}
	sort.Slice(idx, func(a, b int) bool {
		i, j := idx[a], idx[b]
		if cost[i] != cost[j] {
			return cost[i] < cost[j]
		}
		if acc[i] != acc[j] {
			return acc[i] > acc[j]
		}
		return i < j
	})
	var front []int
	best := float32(math.Inf(-1))
	for _, i := range idx {
		if acc[i] > best {
			front = append(front, i)
			best = acc[i]
		}
	}
	return front
}
