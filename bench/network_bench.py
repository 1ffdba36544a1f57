"""Benchmark (not a test): the network pages of issue 15 item 6 in headless Chromium, requests blocked.

What it measures, each page opened in a fresh context at 1400×900 (``measure_page``):

- ``ready_s``: from navigation start to the page's own ``window.diplograph.readyAt`` (pyvis's
  default page: ``stabilizationIterationsDone`` then a draw, see viz_bench.HOOK);
- ``redraw_ms``: one ``network.redraw()`` at zoom 1.0 centred on the drawing, timed from the call
  to the end of the ``afterDrawing`` event (vis draws synchronously), median of 5;
- ``search_panel_ms`` (diplograph pages only): the text of one node typed into the search box
  and Enter pressed, until the side panel shows it; ``search_settled_ms``: until the page
  answers again (the first of three animation frames in a row less than 50 ms apart);
- ``open_detail_ms`` (the overview): a relationship's own network drawn after a click on its line.

The pages: the detailed page (``render_html``) of the projection of a synthetic world of about
5,000 nodes beside pyvis's default page of the same projection; the world overview of the
vendored ICEWS sample imported beside the seed; and, given a project (``--world``), the overview
written from its store (the time ``build`` spends on network.html).

Run: ``.venv/bin/python bench/network_bench.py --triples 420000 [--world /work/bench-data/p1m]``
(``bench/run.py --sections network`` runs the same code).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

CHROMIUM = "/usr/bin/chromium"

REDRAW = """async () => {
  const net = window.network;
  net.moveTo({position: {x: 0, y: 0}, scale: 1.0});
  await new Promise(r => setTimeout(r, 300));
  const times = [];
  for (let i = 0; i < 5; i++) {
    let end = null;
    net.once('afterDrawing', () => { end = performance.now(); });
    const t0 = performance.now();
    net.redraw();
    if (end === null) await new Promise(r => net.once('afterDrawing', () => { end = performance.now(); r(); }));
    times.push(end - t0);
  }
  times.sort((a, b) => a - b);
  return times[2];
}"""

SEARCH = """async () => {
  const data = JSON.parse(document.getElementById('diplograph-data').textContent);
  const target = data.nodes.slice().sort((a, b) => (b.full || '').length - (a.full || '').length)[0];
  const panel = document.getElementById('dg-panel');
  const box = document.getElementById('node-search');
  const t0 = performance.now();
  box.value = target.full;
  box.dispatchEvent(new Event('input'));
  box.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}));
  const shown = !panel.hidden && panel.textContent.includes(target.full);
  const tPanel = performance.now();
  // Settled: the first of three animation frames in a row that come less than 50 ms apart
  // (the page answers again; while it animates or redraws, frames come a redraw apart).
  let last = performance.now(), fast = 0, settledAt = null;
  while (performance.now() - t0 < 120000) {
    const now = await new Promise(r => requestAnimationFrame(r));
    if (now - last < 50) { fast += 1; if (fast === 1) settledAt = last; if (fast === 3) break; } else { fast = 0; settledAt = null; }
    last = now;
  }
  return {shown, panel_ms: tPanel - t0, settled_ms: (settledAt || performance.now()) - t0, node: target.id};
}"""

OPEN_DETAIL = """async () => {
  const d = window.diplograph;
  const rel = d.links.slice().sort((a, b) => b.events - a.events)[0].id;
  const t0 = performance.now();
  d.openRelationship(rel);
  await new Promise(r => window.network.once('afterDrawing', r));
  return {ms: performance.now() - t0, mode: d.state.mode, rel};
}"""


def _evaluate(page, expr):
    try:
        return page.evaluate(expr)
    except Exception:  # the page is still busy loading, or navigating
        return False


def measure_page(browser, path: Path, kind: str, cap_s: float = 120.0) -> dict:
    """Open ``path`` (kind: "detail", "overview" or "pyvis") and measure what applies to it."""
    from viz_bench import bench_context

    requests: list[str] = []
    errors: list[str] = []
    context = bench_context(browser, kind == "pyvis", requests)
    page = context.new_page()
    page.set_default_timeout(cap_s * 1000 * 2)
    page.on("pageerror", lambda e: errors.append(str(e)))
    out: dict = {"page": kind, "html_bytes": path.stat().st_size}
    try:  # "commit": pyvis's page stabilises inside its load event, which may not end within the cap
        page.goto(path.as_uri(), timeout=cap_s * 1000, wait_until="commit")
    except Exception as exc:  # playwright's TimeoutError
        out.update(ready_s=None, settled=False, error=str(exc).splitlines()[0])
        context.close()
        return out
    ready = "window.diplograph && window.diplograph.readyAt" if kind != "pyvis" else "window.__bench && window.__bench.ready"
    deadline = time.monotonic() + cap_s
    settled = True
    while not _evaluate(page, f"!!({ready})"):
        if time.monotonic() > deadline:
            settled = False
            break
        page.wait_for_timeout(100)
    out.update(ready_s=round(page.evaluate(ready) / 1000, 2) if settled else None, settled=settled)
    if not settled and not _evaluate(page, "!!window.network"):
        context.close()
        return out
    if kind == "pyvis":  # pyvis never stops its simulation (settled or not): stopped, so that one redraw is one redraw
        page.evaluate("window.network.setOptions({physics: {enabled: false}})")
    out["redraw_ms"] = round(page.evaluate(REDRAW), 1)
    if kind == "detail":
        s = page.evaluate(SEARCH)
        out.update(search_panel_ms=round(s["panel_ms"], 1), search_settled_ms=round(s["settled_ms"], 1), search_shown=s["shown"])
    if kind == "overview":
        d = page.evaluate(OPEN_DETAIL)
        out.update(open_detail_ms=round(d["ms"], 1), open_detail_mode=d["mode"])
    out["requests"] = requests
    out["errors"] = errors[:3]
    context.close()
    return out


def synthetic_projection(triples: int, folder: Path):
    """The projection of a synthetic world of ``triples`` triples (a project made in ``folder``)."""
    from run import make_project
    from synthetic import write_world

    from diplograph.dataset import assemble
    from diplograph.project import Project
    from diplograph.projection import project

    world = folder / "world.ttl"
    write_world(world, triples)
    proj = make_project(folder / "project", world)
    return project(assemble(Project(proj), store="memory"))


def icews_project(folder: Path) -> Path:
    """The repository's project with the vendored ICEWS sample imported beside the seed."""
    from diplograph.coded.importer import Importer
    from diplograph.project import Project

    for part in ("ontology", "graphs", "queries", "vendor", "sources", "reference"):
        shutil.copytree(ROOT / part, folder / part)
    Importer(Project(folder)).import_file("icews", ROOT / "tests" / "data" / "icews" / "events.2018.sample.tab",
                                          folder / "graphs" / "icews-2018.ttl", lambda skip: None)
    return folder


def overview_write(project_dir: Path, out: Path) -> dict:
    """Assemble ``project_dir`` (the default store) and write its overview as build does: seconds."""
    from diplograph.dataset import assemble
    from diplograph.project import Project
    from diplograph.viz import write_network_html

    t = time.perf_counter()
    loaded = assemble(Project(project_dir))
    load = time.perf_counter() - t
    t = time.perf_counter()
    page = write_network_html(loaded, out)
    return {"assemble_s": round(load, 2), "write_s": round(time.perf_counter() - t, 2), "html_bytes": page.stat().st_size,
            "view": "overview" if "world overview" in page.read_text(encoding="utf-8")[:2000] else "detail"}


def run(triples: int, world: Path | None, cap: float, tmp: Path, log=print, pyvis: bool = True) -> dict:
    from playwright.sync_api import sync_playwright
    from viz_bench import pyvis_default_page

    from diplograph.viz import render_html

    res: dict = {"triples": triples}
    t = time.perf_counter()
    G = synthetic_projection(triples, tmp / "synthetic")
    res["projection_s"] = round(time.perf_counter() - t, 2)
    res["nodes"], res["edges"] = G.number_of_nodes(), G.number_of_edges()
    t = time.perf_counter()
    ours = render_html(G, tmp / "detail.html", title="synthetic world")
    res["detail_write_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    (tmp / "pyvis").mkdir()
    theirs = pyvis_default_page(G, tmp / "pyvis")
    res["pyvis_write_s"] = round(time.perf_counter() - t, 2)
    del G
    icews = icews_project(tmp / "icews")
    res["icews_overview"] = overview_write(icews, tmp / "icews.html")
    if world is not None:
        res["world_overview"] = dict(overview_write(world, tmp / "world.html"), project=str(world))
    log(f"  network: {res['nodes']} nodes, {res['edges']} edges; pages written")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        res["detail"] = measure_page(browser, ours, "detail", cap)
        log(f"  detail   {json.dumps(res['detail'])}")
        if pyvis:
            res["pyvis"] = measure_page(browser, theirs, "pyvis", cap)
            log(f"  pyvis    {json.dumps(res['pyvis'])}")
        res["overview"] = measure_page(browser, tmp / "icews.html", res["icews_overview"]["view"], cap)
        log(f"  overview {json.dumps(res['overview'])}")
        browser.close()
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--triples", type=int, default=420_000, help="synthetic world size (about 5,000 projected nodes)")
    ap.add_argument("--world", type=Path, default=None, help="a project whose overview build would write (e.g. a 1M world)")
    ap.add_argument("--cap", type=float, default=150.0)
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    ap.add_argument("--no-pyvis", action="store_true", help="skip pyvis's page (e.g. when measuring an older diplograph)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="network-bench-") as tmp:
        res = run(args.triples, args.world, args.cap, Path(tmp), pyvis=not args.no_pyvis)
    text = json.dumps(res, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
