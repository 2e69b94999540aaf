// nasplay canvases: drawn in CSS pixels on a backing store of device
// pixels, so that the charts stay sharp on a phone's or a laptop's dense
// screen. Shared by the search page (app.js) and the lab (lab.js).
'use strict';

(() => {
  // sharp returns the 2-D context of canvas c, scaled so that drawing
  // coordinates are the CSS pixels its width and height attributes give in
  // the HTML (kept in data-w and data-h), while the canvas holds up to three
  // device pixels per CSS pixel. Its size on the page is set by CSS.
  function sharp(c) {
    if (!c.dataset.w) { c.dataset.w = c.width; c.dataset.h = c.height; }
    const w = Number(c.dataset.w), h = Number(c.dataset.h);
    const k = Math.min(Math.max(window.devicePixelRatio || 1, 1), 3);
    if (c.width !== Math.round(w * k)) { c.width = Math.round(w * k); c.height = Math.round(h * k); }
    const ctx = c.getContext('2d');
    ctx.setTransform(c.width / w, 0, 0, c.height / h, 0, 0);
    return ctx;
  }

  // size is canvas c's drawing size, [width, height], in CSS pixels.
  function size(c) {
    sharp(c);
    return [Number(c.dataset.w), Number(c.dataset.h)];
  }

  window.NasplayCanvas = { sharp, size };
})();
