// nasplay canvases: drawn in CSS pixels on a backing store of device
// pixels, so that the charts stay sharp on a phone's or a laptop's dense
// screen. Shared by the search page (app.js) and the lab (lab.js).
'use strict';

(() => {
  // sharp returns the 2-D context of canvas c, scaled so that drawing
  // coordinates are the CSS pixels its width and height attributes give in
  // the HTML (kept in data-w and data-h), while the canvas holds up to three
  // device pixels per CSS pixel. Its size on the page is set by CSS.
  //
  // Resizing a canvas erases it, so it is sized for the screen's current
  // pixel ratio only on its first use and when the caller says it redraws
  // the whole canvas (whole): a layer drawn a dot at a time keeps its
  // drawing when the browser's zoom or the window's screen changes, and
  // catches up at its next full redraw.
  function sharp(c, whole = false) {
    if (!c.dataset.w) { c.dataset.w = c.width; c.dataset.h = c.height; whole = true; }
    const w = Number(c.dataset.w), h = Number(c.dataset.h);
    const k = Math.min(Math.max(window.devicePixelRatio || 1, 1), 3);
    if (whole && c.width !== Math.round(w * k)) { c.width = Math.round(w * k); c.height = Math.round(h * k); }
    const ctx = c.getContext('2d');
    ctx.setTransform(c.width / w, 0, 0, c.height / h, 0, 0);
    return ctx;
  }

  // size is canvas c's drawing size, [width, height], in CSS pixels.
  function size(c) {
    if (!c.dataset.w) sharp(c); // its first use keeps the HTML's size
    return [Number(c.dataset.w), Number(c.dataset.h)];
  }

  window.NasplayCanvas = { sharp, size };
})();
