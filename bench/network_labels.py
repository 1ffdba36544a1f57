"""Edge labels on a detailed network page: how many are drawn and how many overlap (issue 15, item 4).

    .venv/bin/python bench/network_labels.py out/network.html [--shots PREFIX]

Headless Debian Chromium, every request but file: blocked, at 1600x1000 and 1280x720. Reads either
scheme: the page's own labels (``diplograph.labelBoxes()``, drawn in the last frame) or, on a page
from before them, vis's edge labels (``labelModule.size``). A node's box is its shape and its
label, from vis's records. Also the median of 5 ``network.redraw()`` at the fitted view.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

MEASURE = """() => {
  const own = typeof diplograph.labelBoxes === 'function';
  const boxes = own ? diplograph.labelBoxes() : network.body.edgeIndices.map(id => network.body.edges[id])
    .filter(e => e.options.label && e.labelModule && e.labelModule.size && e.labelModule.size.width)
    .map(e => { const s = e.labelModule.size; return {left: s.left, top: s.top, right: s.left + s.width, bottom: s.top + s.height}; });
  const nodes = network.body.nodeIndices.map(id => network.body.nodes[id]).filter(n => !n.options.hidden).map(n => {
    const b = n.shape.boundingBox, l = n.labelModule.size;
    return l && l.width ? {left: Math.min(b.left, l.left), top: Math.min(b.top, l.top), right: Math.max(b.right, l.left + l.width),
                           bottom: Math.max(b.bottom, l.top + l.height)} : b; });
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  let label = 0, node = 0, any = 0;
  for (const a of boxes) {
    const e = boxes.some(b => b !== a && hit(a, b)), n = nodes.some(b => hit(a, b));
    label += e; node += n; any += e || n;
  }
  const times = [];
  for (let i = 0; i < 5; i++) { const t = performance.now(); network.redraw(); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  return {scheme: own ? 'placed by the page' : 'vis labels', pairs: network.body.data.edges.length, drawn: boxes.length,
          overlap_label: label, overlap_node: node, overlap_any: any, scale: +network.getScale().toFixed(3),
          redraw_ms: +times[2].toFixed(1)};
}"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("page", type=Path)
    ap.add_argument("--shots", help="save a screenshot per viewport as PREFIX-WIDTH.png")
    args = ap.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox", "--disable-gpu"])
        for width, height in ((1600, 1000), (1280, 720)):
            context = browser.new_context(viewport={"width": width, "height": height})
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page = context.new_page()
            page.goto(args.page.resolve().as_uri())
            deadline = time.monotonic() + 60
            while not page.evaluate("Boolean(window.diplograph && window.diplograph.ready === true)"):
                if time.monotonic() > deadline:
                    raise SystemExit(f"{args.page}: not ready within 60 s")
                page.wait_for_timeout(50)
            page.wait_for_timeout(300)
            print(f"{width}x{height}", page.evaluate(MEASURE))
            if args.shots:
                page.screenshot(path=f"{args.shots}-{width}.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
