package plots

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"testing"

	"github.com/nasplay/nasplay/assets"
	"github.com/nasplay/nasplay/engine/tables"
)

// load decodes the committed tables.
func load(t *testing.T) *tables.Tables {
	t.Helper()
	tab, err := tables.Decode(assets.Tables)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestScatter(t *testing.T) {
	tab := load(t)
	for _, c := range []struct {
		d       tables.Dataset
		v       tables.Device
		o       tables.Objective
		unknown int
	}{
		{tables.CIFAR10, tables.EdgeGPU, tables.Latency, 0},
		{tables.ImageNet16, tables.EdgeTPU, tables.Latency, 4699}, // HW-NAS-Bench has no Edge TPU value for 4,699 networks
		{tables.CIFAR100, tables.Eyeriss, tables.Energy, 0},
	} {
		pngs, f, err := Scatter(tab, c.d, c.v, c.o)
		if err != nil {
			t.Fatal(err)
		}
		if len(pngs) != len(Scales) {
			t.Fatalf("%d PNGs for %d scales", len(pngs), len(Scales))
		}
		for k, scale := range Scales {
			b := pngs[k]
			if f.UnknownCost != c.unknown || f.Plotted+f.UnknownCost+f.BelowAxis != tab.Len() || f.Objective != c.o.String() {
				t.Errorf("%s/%s/%s: plotted %d, unknown %d, below axis %d", c.d, c.v, c.o, f.Plotted, f.UnknownCost, f.BelowAxis)
			}
			cost := tab.Costs(c.d, c.v, c.o)
			_, hi := tables.Span(cost)
			if f.XMax < hi || f.XMax > hi*1.1 {
				t.Errorf("%s/%s/%s: x axis ends at %g for values up to %g", c.d, c.v, c.o, f.XMax, hi)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if img.Bounds() != image.Rect(0, 0, scale*Width, scale*Height) {
				t.Fatalf("scale %d: image bounds %v", scale, img.Bounds())
			}
			if !(f.Left < f.Right && f.Right <= Width && f.Top < f.Bottom && f.Bottom <= Height) {
				t.Fatalf("data area %+v is not inside the image", f)
			}
			// The frame must place the Pareto front's most accurate network at
			// the end of the orange front line drawn by gonum/plot: on it, and
			// with no line a few pixels further right.
			front := tables.Front(tab.TestAccs(c.d), cost)
			top := front[len(front)-1]
			x := f.Left + (float64(cost[top])-f.XMin)/(f.XMax-f.XMin)*(f.Right-f.Left)
			y := f.Bottom - (float64(tab.TestAccs(c.d)[top])-f.YMin)/(f.YMax-f.YMin)*(f.Bottom-f.Top)
			// In the image's pixels: scale times the frame's CSS pixels.
			px, py := int(math.Round(x*float64(scale))), int(math.Round(y*float64(scale)))
			if !nearOrange(img, px, py, scale) {
				t.Errorf("%s/%s at scale %d: no front line at pixel (%d, %d) of network %d", c.d, c.v, scale, px, py, top)
			}
			if nearOrange(img, px+5*scale, py, scale) {
				t.Errorf("%s/%s at scale %d: the front line goes on past network %d at (%d, %d): frame misplaced", c.d, c.v, scale, top, px, py)
			}
			if f.File != Name(c.d, c.v, c.o, 1) || f.File2x != Name(c.d, c.v, c.o, Hi) {
				t.Errorf("files %q, %q", f.File, f.File2x)
			}
		}
	}
	if n := Name(tables.CIFAR100, tables.Eyeriss, tables.Energy, Hi); n != "scatter-cifar100-eyeriss-energy@2x.png" {
		t.Errorf("2× energy chart named %q", n)
	}
	if _, _, err := Scatter(tab, tables.CIFAR10, tables.Raspi4, tables.Energy); err == nil {
		t.Error("an energy chart for the Raspberry Pi 4, which has no energy data")
	}
}

// nearOrange reports whether a pixel within r of (x, y) has the front's colour.
func nearOrange(img image.Image, x, y, r int) bool {
	for dy := -r; dy <= r; dy++ {
		for dx := -r; dx <= r; dx++ {
			cr, cg, cb, _ := img.At(x+dx, y+dy).RGBA()
			if cr>>8 > 180 && cg>>8 > 80 && cg>>8 < 160 && cb>>8 < 80 {
				return true
			}
		}
	}
	return false
}

func TestNiceCeil(t *testing.T) {
	for x, want := range map[float64]float64{11.46: 12, 96.71: 97, 43.88: 44, 0.0734: 0.074, 5: 5} {
		if got := niceCeil(x); math.Abs(got-want) > 1e-9 {
			t.Errorf("niceCeil(%g) = %g, want %g", x, got, want)
		}
	}
}

// TestFrontStaircase checks the side the front's steps are drawn on: the
// best accuracy available at a cost is that of the last front network at
// or below it, so from each front network the line runs right to the next
// one's cost and then up (nothing is drawn above-left of the networks, where
// no network is). Checked at the largest rise of the front, in the drawn PNG.
func TestFrontStaircase(t *testing.T) {
	tab := load(t)
	for _, c := range []struct {
		d tables.Dataset
		v tables.Device
		o tables.Objective
	}{
		{tables.CIFAR10, tables.FPGA, tables.Latency},
		{tables.CIFAR10, tables.EdgeGPU, tables.Latency},
		{tables.CIFAR100, tables.Eyeriss, tables.Energy},
	} {
		pngs, f, err := Scatter(tab, c.d, c.v, c.o)
		if err != nil {
			t.Fatal(err)
		}
		acc, cost := tab.TestAccs(c.d), tab.Costs(c.d, c.v, c.o)
		px := func(x float64) float64 { return f.Left + (x-f.XMin)/(f.XMax-f.XMin)*(f.Right-f.Left) }
		py := func(y float64) float64 { return f.Bottom - (y-f.YMin)/(f.YMax-f.YMin)*(f.Bottom-f.Top) }
		// The front's largest rise between two networks on the chart.
		var a, b int
		rise := 0.0
		front := tables.Front(acc, cost)
		for k := 1; k < len(front); k++ {
			i, j := front[k-1], front[k]
			if float64(acc[i]) < f.YMin {
				continue
			}
			if r := py(float64(acc[i])) - py(float64(acc[j])); r > rise && px(float64(cost[j]))-px(float64(cost[i])) > 8 {
				a, b, rise = i, j, r
			}
		}
		if rise < 8 {
			t.Fatalf("%s/%s/%s: no rise of the front of 8 px or more", c.d, c.v, c.o)
		}
		midY := (py(float64(acc[a])) + py(float64(acc[b]))) / 2
		img, err := png.Decode(bytes.NewReader(pngs[0]))
		if err != nil {
			t.Fatal(err)
		}
		at := func(x float64) bool { return nearOrange(img, int(math.Round(x)), int(math.Round(midY)), 1) }
		if !at(px(float64(cost[b]))) {
			t.Errorf("%s/%s/%s: no rise at network %d's cost, from %v to %v %%", c.d, c.v, c.o, b, acc[a], acc[b])
		}
		if at(px(float64(cost[a]))) {
			t.Errorf("%s/%s/%s: the front rises at network %d's cost to network %d's accuracy %v %%, which no network that cheap has", c.d, c.v, c.o, a, b, acc[b])
		}
	}
}
