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

func TestScatter(t *testing.T) {
	tab, err := tables.Decode(assets.Tables)
	if err != nil {
		t.Fatal(err)
	}
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
		b, f, err := Scatter(tab, c.d, c.v, c.o)
		if err != nil {
			t.Fatal(err)
		}
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
		if img.Bounds() != image.Rect(0, 0, Width, Height) {
			t.Fatalf("image bounds %v", img.Bounds())
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
		px, py := int(math.Round(x)), int(math.Round(y))
		if !nearOrange(img, px, py, 1) {
			t.Errorf("%s/%s: no front line at pixel (%.1f, %.1f) of network %d", c.d, c.v, x, y, top)
		}
		if nearOrange(img, px+5, py, 1) {
			t.Errorf("%s/%s: the front line goes on past network %d at (%.1f, %.1f): frame misplaced", c.d, c.v, top, x, y)
		}
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
