// Package paper holds the published numbers of Tran & Bae (2021): the cells
// of its tables (dataset, device and latency target) and its Tables 1 and 2.
// It depends on engine/tables alone (no gonum), so the page's wasm can show
// the paper's numbers without linking the experiment runner.
package paper

import "github.com/nasplay/nasplay/engine/tables"

// Cell is one column of the paper's tables: a dataset, a device and the
// paper's latency target for them.
type Cell struct {
	Dataset  tables.Dataset
	Device   tables.Device
	TargetMs float64
}

// paperDevices are the devices of the paper's tables, in its column order.
var paperDevices = []tables.Device{tables.EdgeGPU, tables.Raspi4, tables.Pixel3}

// paperTargets are the paper's latency targets (ms) per dataset, in
// paperDevices order (the mission statement, section 5).
var paperTargets = [tables.NumDatasets][3]float64{
	tables.CIFAR10:    {6, 40, 20},
	tables.CIFAR100:   {6, 40, 20},
	tables.ImageNet16: {6, 9, 6},
}

// Cells lists the paper's nine cells, dataset-major, in its order.
func Cells() []Cell {
	var cs []Cell
	for _, d := range tables.Datasets() {
		for k, v := range paperDevices {
			cs = append(cs, Cell{d, v, paperTargets[d][k]})
		}
	}
	return cs
}

// Target is the paper's latency target for (d, v), if the paper used the
// device.
func Target(d tables.Dataset, v tables.Device) (float64, bool) {
	for _, c := range Cells() {
		if c.Dataset == d && c.Device == v {
			return c.TargetMs, true
		}
	}
	return 0, false
}

// Table1Indicators are the indicators of the paper's Table 1, in its order.
var Table1Indicators = []string{"cj", "nlr", "cnntk", "os", "fi"}

// Published is one published result: mean test accuracy (%) and mean
// latency (ms) of the selected networks.
type Published struct {
	TestAcc, LatencyMs float64
}

// table1 holds the published Table 1 of Tran & Bae (2021), as quoted in
// MISSION.md section 6: [dataset][indicator][device in paperDevices order].
var table1 = [tables.NumDatasets]map[string][3]Published{
	tables.CIFAR10: {
		"cj":    {{93.56, 4.83}, {93.07, 28.95}, {93.67, 15.74}},
		"nlr":   {{91.75, 5.36}, {90.27, 17.55}, {90.47, 7.35}},
		"cnntk": {{93.47, 4.67}, {93.41, 28.92}, {93.49, 14.34}},
		"os":    {{93.32, 5.44}, {92.65, 34.00}, {93.35, 18.00}},
		"fi":    {{93.76, 5.49}, {93.42, 28.06}, {93.80, 16.20}},
	},
	tables.CIFAR100: {
		"cj":    {{70.65, 4.64}, {70.27, 30.00}, {71.07, 15.89}},
		"nlr":   {{68.82, 5.44}, {66.35, 23.40}, {66.94, 8.72}},
		"cnntk": {{70.70, 4.56}, {70.31, 32.69}, {70.53, 16.32}},
		"os":    {{69.32, 5.57}, {68.63, 36.37}, {69.38, 19.19}},
		"fi":    {{72.00, 5.67}, {70.91, 29.06}, {72.11, 17.73}},
	},
	tables.ImageNet16: {
		"cj":    {{39.77, 4.36}, {40.49, 5.34}, {40.57, 3.16}},
		"nlr":   {{40.77, 5.42}, {42.76, 6.31}, {43.50, 3.73}},
		"cnntk": {{42.99, 4.90}, {42.54, 5.81}, {42.10, 3.96}},
		"os":    {{41.26, 5.69}, {42.83, 8.64}, {44.71, 5.32}},
		"fi":    {{44.49, 5.37}, {44.56, 7.77}, {44.57, 4.44}},
	},
}

// table2 holds the published Table 2 (fi): mean test accuracy without R_LAT
// (score-only) and with it (rl), [dataset][device in paperDevices order].
var table2 = [tables.NumDatasets][3][2]float64{
	tables.CIFAR10:    {{93.44, 93.76}, {92.87, 93.42}, {93.27, 93.80}},
	tables.CIFAR100:   {{70.09, 72.00}, {69.87, 70.91}, {70.45, 72.11}},
	tables.ImageNet16: {{44.14, 44.49}, {44.44, 44.56}, {44.52, 44.57}},
}

func deviceColumn(v tables.Device) int {
	for k, pv := range paperDevices {
		if pv == v {
			return k
		}
	}
	return -1
}

// column is the paper's column of cell c: its device's place in
// paperDevices; ok is false unless the paper ran that dataset and device at
// c's target, as its numbers belong to that target only.
func column(c Cell) (k int, ok bool) {
	t, ok := Target(c.Dataset, c.Device)
	if !ok || t != c.TargetMs {
		return 0, false
	}
	return deviceColumn(c.Device), true
}

// Table1 returns the published Table 1 result for an indicator in a cell,
// if the paper has one at the cell's target.
func Table1(c Cell, indicator string) (Published, bool) {
	k, ok := column(c)
	if !ok {
		return Published{}, false
	}
	r, ok := table1[c.Dataset][indicator]
	return r[k], ok
}

// Table1At is the published Table 1 result for an indicator on (d, v) and
// the paper's own target it belongs to (Target), if the paper has one.
func Table1At(d tables.Dataset, v tables.Device, indicator string) (p Published, targetMs float64, ok bool) {
	t, ok := Target(d, v)
	if !ok {
		return Published{}, 0, false
	}
	p, ok = Table1(Cell{Dataset: d, Device: v, TargetMs: t}, indicator)
	return p, t, ok
}

// Table2 returns the published Table 2 accuracies (fi) without and with
// R_LAT in a cell, if the paper has them at the cell's target.
func Table2(c Cell) (without, with float64, ok bool) {
	k, ok := column(c)
	if !ok {
		return 0, 0, false
	}
	r := table2[c.Dataset][k]
	return r[0], r[1], true
}
