// Sharing, for both pages: the view in the URL fragment, and the drawing as a PNG.
var dgShare = (function () {
  "use strict";
  // The fragment is "#key=value&key=value" (URLSearchParams): a link with it reopens the same view.
  function read() {
    var out = {};
    try { new URLSearchParams(location.hash.replace(/^#/, "")).forEach(function (v, k) { out[k] = v; }); } catch (e) { out = {}; }
    return out;
  }
  function write(view) {
    var params = new URLSearchParams();
    Object.keys(view).sort().forEach(function (k) { if (view[k]) params.set(k, view[k]); });
    var text = params.toString();
    try { history.replaceState(null, "", text ? "#" + text : location.pathname + location.search); } catch (e) { /* a page without history: keep going */ }
    return text;
  }
  // The canvas on a white background (vis draws on a transparent one), as a data: URL for a link.
  // The download link is made only then: until the reader asks, the page has no link but https: ones.
  function png(container, button) {
    button.addEventListener("click", function () {
      var canvas = container.querySelector("canvas");
      if (!canvas) return;
      var copy = document.createElement("canvas");
      copy.width = canvas.width; copy.height = canvas.height;
      var ctx = copy.getContext("2d");
      ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, copy.width, copy.height);
      ctx.drawImage(canvas, 0, 0);
      var link = document.getElementById("png-link");
      if (!link) {
        link = document.createElement("a");
        link.id = "png-link"; link.download = "diplograph-view.png"; link.textContent = "download the PNG";
        button.insertAdjacentElement("afterend", link);
      }
      link.href = copy.toDataURL("image/png");
      link.focus();
    });
  }
  return { read: read, write: write, png: png };
})();
// The tooltip never covers the side panel: moved to the panel's left (or above a bottom sheet).
dgShare.keepTipOffPanel = function (network, container, panel) {
  network.on("showPopup", function () {
    requestAnimationFrame(function () {
      var tip = container.querySelector("div.vis-tooltip");
      if (!tip || panel.hidden || tip.style.visibility === "hidden") return;
      var t = tip.getBoundingClientRect(), p = panel.getBoundingClientRect(), c = container.getBoundingClientRect();
      if (t.right <= p.left || t.left >= p.right || t.bottom <= p.top || t.top >= p.bottom) return;
      if (p.top > c.top + 40) tip.style.top = Math.max(0, p.top - c.top - t.height - 8) + "px";  // a bottom sheet
      else tip.style.left = Math.max(0, p.left - c.left - t.width - 8) + "px";
    });
  });
};
