//go:build js

package main

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"sync"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/text/v2"
	"github.com/hajimehoshi/ebiten/v2/vector"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"

	"github.com/nasplay/nasplay/engine/space"
)

// A scene is what the cell canvas shows: one network, the policy's
// probabilities at each of its six decisions (nil when the algorithm has no
// policy), and how many decisions are revealed so far.
type scene struct {
	title    string
	arch     space.Arch
	probs    [][space.NumOps]float64
	revealed int // decisions drawn, 0..space.NumEdges
	final    bool
	idle     bool // no network yet: every edge undecided
	step     int  // ticks between two revealed decisions; 0 reveals all at once
}

// view is the ebiten game that draws the cell. Its scene is replaced by the
// bridge (js callbacks) and read by Update/Draw; mu orders the two.
type view struct {
	mu    sync.Mutex
	sc    scene
	tick  int
	dirty bool
	size  [2]int // the screen's size in device pixels, as Layout last gave it

	fonts *fonts
}

// fonts makes text faces from the Go fonts through golang.org/x/image's
// OpenType rasterizer (text/v2's GoXFace). text/v2's own shaping engine
// (GoTextFace) would add 0.7 MB gzip to the wasm (measured), and the
// labels here are short Latin strings that need no shaping.
type fonts struct {
	regular, bold *opentype.Font
	faces         map[faceKey]text.Face
}

type faceKey struct {
	size float64
	bold bool
}

func newFonts() (*fonts, error) {
	reg, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, err
	}
	bld, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, err
	}
	return &fonts{regular: reg, bold: bld, faces: map[faceKey]text.Face{}}, nil
}

// face returns the face of a size in device pixels, made once.
func (f *fonts) face(size float64, bold bool) text.Face {
	k := faceKey{size, bold}
	if face, ok := f.faces[k]; ok {
		return face
	}
	src := f.regular
	if bold {
		src = f.bold
	}
	// The sizes follow the frame's width, so a window dragged wider and
	// narrower asks for ever new ones: keep the cache from growing with it.
	if len(f.faces) >= 64 {
		clear(f.faces)
	}
	var xf font.Face = basicfont.Face7x13 // only if the size is unusable
	if of, err := opentype.NewFace(src, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull}); err == nil {
		xf = of
	}
	f.faces[k] = text.NewGoXFace(xf)
	return f.faces[k]
}

func newView() (*view, error) {
	f, err := newFonts()
	if err != nil {
		return nil, err
	}
	v := &view{fonts: f, dirty: true}
	// Drawn while the page still loads its tables, its Play and Step
	// disabled: the settings apply, and the invitation to play comes, when
	// the page is ready (bridge.go).
	v.sc = scene{title: "Loading the benchmark tables…", idle: true}
	return v, nil
}

// show replaces the scene; with step > 0 its decisions appear one by one,
// step ticks (1/60 s) apart, as the controller makes them.
func (v *view) show(sc scene) {
	v.mu.Lock()
	defer v.mu.Unlock()
	switch {
	case sc.idle:
		sc.revealed = 0
	case sc.step <= 0:
		sc.revealed = space.NumEdges
	}
	v.sc, v.tick, v.dirty = sc, 0, true
}

// title is the scene's caption: the page gives it to the frame as its
// accessible name, since the canvas has no text of its own.
func (v *view) title() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.sc.title
}

// Update advances the reveal animation.
func (v *view) Update() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.sc.idle && v.sc.revealed < space.NumEdges {
		v.tick++
		if v.tick >= v.sc.step {
			v.tick = 0
			v.sc.revealed++
			v.dirty = true
		}
	}
	return nil
}

// Layout makes the screen as large as the canvas in device pixels, so the
// drawing is 1:1 with the display and stays crisp on high-DPI screens.
func (v *view) Layout(w, h int) (int, int) {
	s := ebiten.Monitor().DeviceScaleFactor()
	size := [2]int{int(math.Ceil(float64(w) * s)), int(math.Ceil(float64(h) * s))}
	v.mu.Lock()
	defer v.mu.Unlock()
	if size != v.size { // a new screen, blank: draw the scene again
		v.size, v.dirty = size, true
	}
	return size[0], size[1]
}

// Colours of the five ops (Okabe–Ito palette, safe for colour-blind readers).
var opColors = [space.NumOps]color.NRGBA{
	{0x9e, 0x9e, 0x9e, 0xff}, // none
	{0x00, 0x72, 0xb2, 0xff}, // skip_connect
	{0xe6, 0x9f, 0x00, 0xff}, // nor_conv_1x1
	{0xd5, 0x5e, 0x00, 0xff}, // nor_conv_3x3
	{0x00, 0x9e, 0x73, 0xff}, // avg_pool_3x3
}

var opShort = [space.NumOps]string{"none", "skip", "conv 1×1", "conv 3×3", "pool 3×3"}

var (
	ink     = color.NRGBA{0x22, 0x26, 0x2e, 0xff}
	faint   = color.NRGBA{0xcf, 0xd4, 0xdc, 0xff}
	paperBG = color.NRGBA{0xfb, 0xfc, 0xfe, 0xff}
	accent  = color.NRGBA{0x6a, 0x3d, 0x9a, 0xff}
	pending = color.NRGBA{0xe8, 0xeb, 0xf0, 0xff}
)

// Geometry in CSS pixels; Draw scales it by the device pixel ratio.
var nodeX = [space.NumNodes]float32{42, 148, 254, 360}

const (
	designW, designH = 640, 320 // the frame the geometry is laid out for
	nodeY            = 170
	nodeR            = 17
	panelX           = 392
)

// bend is how far each edge's curve bows from the node line (negative: up).
var bend = [space.NumEdges]float32{0, -95, 0, -175, 95, 0}

// Draw renders the scene when it changed; the screen is kept between frames.
func (v *view) Draw(screen *ebiten.Image) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.dirty && screen.Bounds().Dx() > 0 {
		return
	}
	v.dirty = false
	// Device pixels per CSS pixel, less where the frame is narrower than
	// the design (a phone): the whole cell then shows, smaller.
	b := screen.Bounds()
	s := min(float32(ebiten.Monitor().DeviceScaleFactor()), float32(b.Dx())/designW, float32(b.Dy())/designH)
	d := drawer{dst: screen, s: s, fonts: v.fonts}
	screen.Fill(paperBG)
	sc := v.sc
	d.text(16, 12, 15, true, ink, sc.title)

	deciding := -1
	if !sc.idle && !sc.final && sc.revealed < space.NumEdges {
		deciding = sc.revealed
	}
	for e := range space.NumEdges {
		d.edge(e, sc, e < sc.revealed, e == deciding)
	}
	for n := range space.NumNodes {
		x := nodeX[n]
		d.circle(x, nodeY, nodeR, paperBG, ink, 2)
		d.textCentered(x, nodeY-8, 14, true, ink, fmt.Sprint(n))
	}
	d.textCentered(nodeX[0], nodeY+24, 11, false, ink, "input")
	d.textCentered(nodeX[3], nodeY+24, 11, false, ink, "output")

	d.panel(sc, deciding)
	d.legend()
}

// drawer draws in CSS pixels onto a device-pixel screen.
type drawer struct {
	dst   *ebiten.Image
	s     float32
	fonts *fonts
}

func (d drawer) face(size float64, bold bool) text.Face {
	return d.fonts.face(size*float64(d.s), bold)
}

func (d drawer) text(x, y float32, size float64, bold bool, c color.Color, s string) {
	op := &text.DrawOptions{}
	op.GeoM.Translate(float64(x*d.s), float64(y*d.s))
	op.ColorScale.ScaleWithColor(c)
	text.Draw(d.dst, s, d.face(size, bold), op)
}

func (d drawer) textCentered(x, y float32, size float64, bold bool, c color.Color, s string) {
	op := &text.DrawOptions{}
	op.GeoM.Translate(float64(x*d.s), float64(y*d.s))
	op.ColorScale.ScaleWithColor(c)
	op.PrimaryAlign = text.AlignCenter
	text.Draw(d.dst, s, d.face(size, bold), op)
}

func (d drawer) circle(x, y, r float32, fill, stroke color.Color, w float32) {
	vector.DrawFilledCircle(d.dst, x*d.s, y*d.s, r*d.s, fill, true)
	vector.StrokeCircle(d.dst, x*d.s, y*d.s, r*d.s, w*d.s, stroke, true)
}

func (d drawer) rect(x, y, w, h float32, c color.Color) {
	vector.DrawFilledRect(d.dst, x*d.s, y*d.s, w*d.s, h*d.s, c, true)
}

func (d drawer) frame(x, y, w, h, sw float32, c color.Color) {
	vector.StrokeRect(d.dst, x*d.s, y*d.s, w*d.s, h*d.s, sw*d.s, c, true)
}

// curve returns the point at t of edge e's quadratic Bézier curve.
func curve(e int, t float32) (x, y float32) {
	i, j := space.Edge[e][0], space.Edge[e][1]
	x0, x2 := nodeX[i], nodeX[j]
	cx, cy := (x0+x2)/2, float32(nodeY)+2*bend[e]*0.5
	u := 1 - t
	return u*u*x0 + 2*u*t*cx + t*t*x2, u*u*nodeY + 2*u*t*cy + t*t*nodeY
}

// edge draws edge e: its op's colour and label once decided, a highlighted
// placeholder while the controller decides it, a faint one before.
func (d drawer) edge(e int, sc scene, decided, deciding bool) {
	c, w := color.Color(faint), float32(2)
	switch {
	case decided && sc.arch[e] == space.None:
		c, w = opColors[space.None], 1.5
	case decided:
		c, w = opColors[sc.arch[e]], 3.5
	case deciding:
		c, w = accent, 3
	}
	var p vector.Path
	const segs = 24
	dashed := decided && sc.arch[e] == space.None
	for k := 0; k < segs; k++ {
		x0, y0 := curve(e, float32(k)/segs)
		x1, y1 := curve(e, float32(k+1)/segs)
		if dashed && k%2 == 1 {
			continue
		}
		if dashed || k == 0 {
			p.MoveTo(x0*d.s, y0*d.s)
		}
		p.LineTo(x1*d.s, y1*d.s)
	}
	d.stroke(&p, w, c)

	// An arrowhead where the edge enters its target node.
	tx, ty := curve(e, 1)
	bx, by := curve(e, 0.93)
	ang := math.Atan2(float64(ty-by), float64(tx-bx))
	tipX, tipY := tx-nodeR*float32(math.Cos(ang)), ty-nodeR*float32(math.Sin(ang))
	var a vector.Path
	for _, da := range []float64{2.7, -2.7} {
		a.MoveTo(tipX*d.s, tipY*d.s)
		a.LineTo((tipX+9*float32(math.Cos(ang+da)))*d.s, (tipY+9*float32(math.Sin(ang+da)))*d.s)
	}
	d.stroke(&a, 2, c)

	mx, my := curve(e, 0.5)
	switch {
	case decided:
		label := opShort[sc.arch[e]]
		wl := float32(len([]rune(label)))*6.2 + 10
		d.rect(mx-wl/2, my-9, wl, 18, paperBG)
		d.frame(mx-wl/2, my-9, wl, 18, 1.5, c)
		d.textCentered(mx, my-7, 11, true, ink, label)
	case deciding:
		d.rect(mx-9, my-9, 18, 18, paperBG)
		d.frame(mx-9, my-9, 18, 18, 1.5, accent)
		d.textCentered(mx, my-8, 12, true, accent, "?")
	}
}

// panel lists the six decisions with the policy's distribution over the
// five ops at each, the chosen op outlined.
func (d drawer) panel(sc scene, deciding int) {
	x := float32(panelX)
	heading := "Policy at each decision"
	if sc.final {
		heading = "Ops of the chosen network"
	}
	d.text(x, 40, 12, true, ink, heading)
	for e := range space.NumEdges {
		y := float32(62 + 36*e)
		i, j := space.Edge[e][0], space.Edge[e][1]
		c := color.Color(ink)
		if e >= sc.revealed && e != deciding {
			c = faint
		}
		d.text(x, y+1, 11, e == deciding, c, fmt.Sprintf("%d→%d", i, j))
		bx, bw := x+34, float32(190)
		if sc.probs == nil || e >= len(sc.probs) {
			switch {
			case sc.final:
				d.rect(bx, y, bw, 14, opColors[sc.arch[e]])
				d.text(bx, y+15, 10, false, ink, opShort[sc.arch[e]])
			case e < sc.revealed:
				d.rect(bx, y, bw, 14, pending)
				d.text(bx, y+15, 10, false, ink, "chose "+opShort[sc.arch[e]]+" (no policy)")
			default:
				d.rect(bx, y, bw, 14, pending)
			}
			continue
		}
		if e > sc.revealed || (e == sc.revealed && e != deciding) {
			d.rect(bx, y, bw, 14, pending)
			continue
		}
		px := bx
		var chosenX, chosenW float32
		for o := range space.NumOps {
			w := bw * float32(sc.probs[e][o])
			d.rect(px, y, w, 14, opColors[o])
			if space.Op(o) == sc.arch[e] {
				chosenX, chosenW = px, w
			}
			px += w
		}
		if e < sc.revealed {
			d.frame(chosenX, y-1, max(chosenW, 2), 16, 2, ink)
			o := sc.arch[e]
			d.text(bx, y+15, 10, false, ink, fmt.Sprintf("chose %s, p = %.2f", opShort[o], sc.probs[e][o]))
		} else {
			best := space.Op(0)
			for o := range space.NumOps {
				if sc.probs[e][o] > sc.probs[e][best] {
					best = o
				}
			}
			d.text(bx, y+15, 10, false, accent, fmt.Sprintf("sampling… most likely %s, p = %.2f", opShort[best], sc.probs[e][best]))
		}
	}
}

// legend names the op colours along the bottom.
func (d drawer) legend() {
	x := float32(16)
	for o := range space.NumOps {
		d.rect(x, 292, 12, 12, opColors[o])
		d.text(x+16, 291, 11, false, ink, opShort[o])
		x += 16 + float32(len([]rune(opShort[o])))*6.3 + 18
	}
}

// stroke draws a path with round joins in one colour.
func (d drawer) stroke(p *vector.Path, width float32, c color.Color) {
	vs, is := p.AppendVerticesAndIndicesForStroke(nil, nil, &vector.StrokeOptions{
		Width: width * d.s, LineJoin: vector.LineJoinRound, LineCap: vector.LineCapRound,
	})
	r, g, b, a := c.RGBA()
	for i := range vs {
		vs[i].SrcX, vs[i].SrcY = 1, 1
		vs[i].ColorR = float32(r) / 0xffff
		vs[i].ColorG = float32(g) / 0xffff
		vs[i].ColorB = float32(b) / 0xffff
		vs[i].ColorA = float32(a) / 0xffff
	}
	op := &ebiten.DrawTrianglesOptions{AntiAlias: true, FillRule: ebiten.FillRuleNonZero}
	d.dst.DrawTriangles(vs, is, whitePixel, op)
}

// whitePixel is the source image for solid-colour triangles.
var whitePixel = func() *ebiten.Image {
	img := ebiten.NewImage(3, 3)
	img.Fill(color.White)
	return img.SubImage(image.Rect(1, 1, 2, 2)).(*ebiten.Image)
}()
