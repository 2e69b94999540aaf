// Package plots renders the static layer of the browser tool's
// latency–accuracy (or energy–accuracy) chart with gonum/plot: every network
// of the space, the Pareto front and the axes, one PNG per dataset × device
// × objective the device has data for.
//
// It runs natively when the site is built, not in the page: gonum/plot
// embeds the Liberation font family, and a wasm binary holding it measured
// 4.6 MB gzip on its own, which with the ebiten view (~3.1 MB) would break
// the page's 6 MB download budget. The page draws the moving parts (target
// line, sampled networks, the pick) on a canvas laid over the image, placing
// them with the Frame saved next to it.
package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/nasplay/nasplay/engine/tables"
)

// Size of the chart in CSS pixels, as the page shows it. Each chart is
// drawn twice: at this size, and at Hi times it (File2x) for screens with
// two or more device pixels per CSS pixel, where the page would otherwise
// stretch the first and blur it.
const (
	Width  = 560
	Height = 380
	Hi     = 2
)

// Frame maps data to CSS pixels in the chart: a point (x, y) in data units
// lies at column Left + (x−XMin)/(XMax−XMin)·(Right−Left) and row
// Bottom − (y−YMin)/(YMax−YMin)·(Bottom−Top), rows counted from the top;
// in File2x's pixels, at Hi times those.
type Frame struct {
	File        string  `json:"file"`
	File2x      string  `json:"file2x"`
	Dataset     string  `json:"dataset"`
	Device      string  `json:"device"`
	Objective   string  `json:"objective"` // the x axis: latency or energy
	Width       int     `json:"width"`
	Height      int     `json:"height"`
	Left        float64 `json:"left"`
	Right       float64 `json:"right"`
	Top         float64 `json:"top"`
	Bottom      float64 `json:"bottom"`
	XMin        float64 `json:"xMin"`
	XMax        float64 `json:"xMax"`
	YMin        float64 `json:"yMin"`
	YMax        float64 `json:"yMax"`
	Plotted     int     `json:"plotted"`     // networks drawn
	UnknownCost int     `json:"unknownCost"` // networks left out: latency (or energy) unknown
	BelowAxis   int     `json:"belowAxis"`   // networks left out: accuracy under YMin
}

// Name is the file name of the chart for (d, v) and objective o at scale
// 1 or Hi.
func Name(d tables.Dataset, v tables.Device, o tables.Objective, scale int) string {
	name := fmt.Sprintf("scatter-%s-%s", d, v)
	if o != tables.Latency {
		name += "-" + o.String()
	}
	if scale != 1 {
		name += fmt.Sprintf("@%dx", scale)
	}
	return name + ".png"
}

// Scales are the device pixels per CSS pixel each chart is drawn at.
var Scales = []int{1, Hi}

// Scatter draws the cost–accuracy scatter of all networks on (d, v), the
// cost being objective o (latency or energy), with its Pareto front, once
// at each of Scales, and returns those PNGs (pngs[k] at Scales[k]) and the
// frame they share. Networks of unknown cost are left out. The accuracy
// axis starts at the 5th percentile so that the few degenerate networks
// near chance level do not squash the region where the search happens;
// the frame counts those left below it.
func Scatter(t *tables.Tables, d tables.Dataset, v tables.Device, o tables.Objective) (pngs [][]byte, f Frame, err error) {
	acc, cost := t.TestAccs(d), t.Costs(d, v, o)
	f = Frame{File: Name(d, v, o, 1), File2x: Name(d, v, o, Hi), Dataset: d.String(), Device: v.String(), Objective: o.String(), Width: Width, Height: Height}
	if cost == nil {
		return nil, f, fmt.Errorf("plots: HW-NAS-Bench has no %s for %s", o, v)
	}

	var known []float64
	for i := range acc {
		if !math.IsNaN(float64(cost[i])) {
			known = append(known, float64(acc[i]))
		}
	}
	if len(known) == 0 {
		return nil, f, fmt.Errorf("plots: no network has a known %s on %s/%s", o, d, v)
	}
	sort.Float64s(known)
	f.YMin = math.Floor(known[len(known)*5/100])
	f.YMax = math.Ceil(known[len(known)-1])
	_, hi := tables.Span(cost)
	f.XMin, f.XMax = 0, niceCeil(hi)

	pts := make(plotter.XYs, 0, len(known))
	for i := range acc {
		l, ok := tables.Value(cost, i)
		switch {
		case !ok:
			f.UnknownCost++
		case float64(acc[i]) < f.YMin:
			f.BelowAxis++
		default:
			pts = append(pts, plotter.XY{X: l, Y: float64(acc[i])})
		}
	}
	f.Plotted = len(pts)

	p := plot.New()
	p.X.Label.Text = fmt.Sprintf("%s %s (%s)", v.Title(), o, o.Unit())
	p.Y.Label.Text = d.Title() + " test accuracy (%)"
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = f.XMin, f.XMax, f.YMin, f.YMax
	p.Add(plotter.NewGrid())

	all, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, f, err
	}
	all.GlyphStyle = draw.GlyphStyle{Shape: draw.CircleGlyph{}, Radius: 1.1, Color: color.NRGBA{R: 90, G: 110, B: 140, A: 70}}
	p.Add(all)

	var front plotter.XYs
	for _, i := range tables.Front(acc, cost) {
		if float64(acc[i]) >= f.YMin {
			front = append(front, plotter.XY{X: float64(cost[i]), Y: float64(acc[i])})
		}
	}
	line, err := plotter.NewLine(front)
	if err != nil {
		return nil, f, err
	}
	line.LineStyle = draw.LineStyle{Color: color.NRGBA{R: 214, G: 120, B: 20, A: 255}, Width: 1.5}
	// The best accuracy available at a cost is the last front network's at or
	// below it: run right to the next network's cost, then up to it.
	line.StepStyle = plotter.PostStep
	p.Add(line)
	p.Legend.Add("network", all)
	p.Legend.Add("Pareto front", line)
	p.Legend.Top = false
	p.Legend.Left = false

	for _, scale := range Scales {
		// One vg point is one CSS pixel (72 dpi at scale 1), so the frame,
		// measured in points, is in CSS pixels at every scale.
		c := vgimg.NewWith(vgimg.UseWH(Width, Height), vgimg.UseDPI(72*scale))
		// A margin on the right and at the top, which gonum/plot leaves
		// none of, so that the axis's end, its top label and the legend's
		// line are not cut by the image's edge.
		dc := draw.Crop(draw.New(c), 0, -14, 0, -8)
		p.Draw(dc)
		da := p.DataCanvas(dc)
		tx, ty := p.Transforms(&da)
		f.Left, f.Right = float64(tx(f.XMin)), float64(tx(f.XMax))
		f.Bottom, f.Top = Height-float64(ty(f.YMin)), Height-float64(ty(f.YMax))
		var buf bytes.Buffer
		if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
			return nil, f, err
		}
		pngs = append(pngs, buf.Bytes())
	}
	return pngs, f, nil
}

// niceCeil rounds x > 0 up to its second significant digit (11.46 → 12,
// 96.71 → 97, 0.0734 → 0.074), so the axis ends just past the data.
func niceCeil(x float64) float64 {
	step := math.Pow(10, math.Floor(math.Log10(x))-1)
	return math.Ceil(x/step) * step
}
