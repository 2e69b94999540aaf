//go:build js

// Command app is the browser tool's one WebAssembly binary: the search
// engine, the bridge the page calls (window.nasplay) and the ebiten view of
// the cell being sampled. It runs inside site/cell.html, which the page
// embeds as a same-origin iframe so that ebiten's full-page canvas is drawn
// at 1:1; the page (site/index.html) holds the controls and the charts and
// calls into the iframe's window.nasplay.
package main

import (
	"fmt"
	"syscall/js"

	"github.com/hajimehoshi/ebiten/v2"
)

func main() {
	v, err := newView()
	if err != nil {
		fail("the cell view could not start: " + err.Error())
		return
	}
	js.Global().Set("nasplay", newBridge(v).exports())
	// The page waits for this before it hands over the tables.
	if ready := js.Global().Get("nasplayStarted"); ready.Type() == js.TypeFunction {
		ready.Invoke()
	}
	ebiten.SetRunnableOnUnfocused(true) // focus stays in the parent page
	ebiten.SetScreenClearedEveryFrame(false)
	// ebiten panics when the browser has no WebGL; the page must say so
	// rather than go on with a dead engine.
	defer func() {
		if r := recover(); r != nil {
			fail(fmt.Sprintf("it draws with WebGL 2 and crashed: %v", r))
		}
	}()
	if err := ebiten.RunGame(v); err != nil {
		fail("it draws with WebGL 2 and stopped: " + err.Error())
	}
}

// fail reports an error the page must show instead of a blank canvas.
func fail(msg string) {
	if f := js.Global().Get("nasplayFailed"); f.Type() == js.TypeFunction {
		f.Invoke(msg)
	}
}
