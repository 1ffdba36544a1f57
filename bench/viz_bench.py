"""Benchmark (not a test): time until the network page is drawn and interactive in headless Chromium.

For synthetic networks of 1,000 and 5,000 nodes (seeded), two pages of the SAME graph are
measured in the same run:

- ``diplograph``: :func:`diplograph.viz.render_html` with its settings (above 500 nodes: layout
  precomputed in Python, physics off; one self-contained file). Ready = the page's own
  ``window.diplograph.readyAt`` (first ``afterDrawing`` with physics off, or after
  ``stabilizationIterationsDone`` + freeze).
- ``pyvis default``: ``pyvis.network.Network()`` with its defaults (physics on, Barnes-Hut,
  stabilisation 1000 iterations, ``cdn_resources="local"``) written by ``write_html``. That
  page loads vis-network from cdnjs and Bootstrap from jsDelivr; there is no internet here,
  so those requests are answered from pyvis's own bundled copy of the same vis-network 9.1.2
  (``pyvis/templates/lib/vis-9.1.2``) and Bootstrap with an empty body: the same engine is
  measured, without network latency. pyvis's page pins cdnjs's file with an ``integrity`` hash
  that pyvis's bundled build does not match, so the bench removes the ``integrity``
  attributes from that page (its only change). Ready = ``stabilizationIterationsDone`` followed by a
  draw (pyvis never freezes physics afterwards; the simulation keeps running).

Both are timed from navigation start (``performance.now()``), waiting at most ``--cap``
seconds (default 120); a page that has not settled by then is reported as "did not settle".
The pyvis page is written in a temporary folder (its ``local`` mode writes ``lib/`` into the
current directory). Prints a table and writes ``bench/results/viz-<timestamp>.json``.

Run: ``.venv/bin/python bench/viz_bench.py [--sizes 1000 5000] [--cap 120]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import networkx as nx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from diplograph.viz import render_html  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
KINDS = ["state", "person", "organisation", "event", "relationship", "issue"]

# Records when the pyvis page's network stabilises and draws (pyvis assigns a global `network`).
HOOK = """
(() => {
  window.__bench = {firstDraw: null, stabilized: null, ready: null};
  let v;
  Object.defineProperty(window, 'network', {configurable: true, get() { return v; }, set(n) {
    v = n;
    if (!n || !n.once) return;
    n.once('afterDrawing', () => { window.__bench.firstDraw = performance.now(); });
    n.once('stabilizationIterationsDone', () => {
      window.__bench.stabilized = performance.now();
      n.once('afterDrawing', () => { window.__bench.ready = performance.now(); });
    });
  }});
})();
"""


def synthetic(n: int, seed: int = 42) -> nx.MultiDiGraph:
    """A seeded scale-free network shaped like a projection (kinds, labels, small details)."""
    rng = random.Random(seed)
    base = nx.barabasi_albert_graph(n, 2, seed=seed)
    G = nx.MultiDiGraph()
    for v in base:
        kind = rng.choices(KINDS, weights=[20, 30, 15, 25, 5, 5])[0]
        G.add_node(f"n{v}", kind=kind, type=kind, label=f"{kind} {v}", iri=f"https://example.org/{v}",
                   details=[("synthetic", "yes")], provenance=[], date=None, date_from=None)
    for u, v in base.edges():
        G.add_edge(f"n{u}", f"n{v}", kind="member of", label="linked", details=[], provenance=[], date=None, date_from=None)
    return G


def pyvis_default_page(G: nx.MultiDiGraph, folder: Path) -> Path:
    from pyvis.network import Network

    net = Network(directed=True)  # defaults otherwise; directed only to skip pyvis's O(E²) duplicate scan
    for v, a in G.nodes(data=True):
        net.add_node(v, label=a["label"], title=a["label"])
    for u, v, a in G.edges(data=True):
        net.add_edge(u, v, title=a["label"])
    with chdir(folder):
        net.write_html("pyvis.html")
    page = folder / "pyvis.html"
    # The page pins cdnjs's vis-network with Subresource Integrity hashes; pyvis's bundled copy
    # of the same version is byte-different (a different build), so the browser would refuse it.
    # Dropping the integrity attributes is the only change made to pyvis's page.
    text = re.sub(r'\s+integrity="[^"]*"', "", page.read_text(encoding="utf-8"))
    page.write_text(text, encoding="utf-8")
    return page


@contextmanager
def chdir(folder: Path):
    old = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old)


def serve_cdn_locally(context, blocked: list[str]) -> None:
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"

    def handle(route):
        url = route.request.url
        if url.startswith("file:"):
            return route.continue_()
        if "vis-network" in url and url.endswith(".js"):
            return route.fulfill(path=str(lib / "vis-network.min.js"), content_type="application/javascript")
        if "vis-network" in url and url.endswith(".css"):
            return route.fulfill(path=str(lib / "vis-network.css"), content_type="text/css")
        if "bootstrap" in url:
            return route.fulfill(body="", content_type="text/css" if url.endswith(".css") else "application/javascript")
        blocked.append(url)
        return route.abort()

    context.route("**/*", handle)


def bench_context(browser, pyvis: bool, requests: list[str]):
    """A 1400x900 browser context for one page: for pyvis's page its CDN files served from the local
    copy (and the readiness hook), for ours every request but file: blocked; both record in ``requests``."""
    # bypass_csp: the diplograph page forbids eval in its Content-Security-Policy, and Playwright's
    # wait_for_function evaluates its predicate with eval; the page itself never needs it.
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    if pyvis:
        serve_cdn_locally(context, requests)
        context.add_init_script(HOOK)
    else:
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else (requests.append(r.request.url), r.abort()))
    return context


def measure(browser, page_path: Path, kind: str, cap_s: float) -> dict:
    requests: list[str] = []
    errors: list[str] = []
    context = bench_context(browser, kind == "pyvis", requests)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    wall = time.perf_counter()
    page.goto(page_path.as_uri(), timeout=cap_s * 1000)
    ready_expr = "window.diplograph && window.diplograph.readyAt" if kind == "ours" else "window.__bench && window.__bench.ready"
    result: dict = {"requests_not_served": requests}
    try:
        page.wait_for_function(f"!!({ready_expr})", timeout=cap_s * 1000, polling=100)
        ready_ms = page.evaluate(ready_expr)
        result.update(settled=True, ready_s=round(ready_ms / 1000, 2))
    except Exception:  # playwright TimeoutError
        result.update(settled=False, ready_s=None)
    if kind == "pyvis":
        first = page.evaluate("window.__bench && window.__bench.firstDraw")
        result["first_draw_s"] = round(first / 1000, 2) if first else None
    else:
        result["first_draw_s"] = result["ready_s"]
    result["wall_s"] = round(time.perf_counter() - wall, 2)
    result["errors"] = errors[:3]
    context.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--cap", type=float, default=120.0, help="seconds to wait for a page to settle")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory(prefix="viz-bench-") as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        for n in args.sizes:
            G = synthetic(n)
            folder = Path(tmp) / f"n{n}"
            folder.mkdir()
            t = time.perf_counter()
            ours = render_html(G, folder / "ours.html", title=f"synthetic {n}")
            build_ours = time.perf_counter() - t
            t = time.perf_counter()
            theirs = pyvis_default_page(G, folder)
            build_theirs = time.perf_counter() - t
            for kind, path, build in (("ours", ours, build_ours), ("pyvis", theirs, build_theirs)):
                r = measure(browser, path, kind, args.cap)
                row = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
                       "page": "diplograph" if kind == "ours" else "pyvis default",
                       "build_s": round(build, 2), "html_bytes": path.stat().st_size, **r}
                rows.append(row)
                print(json.dumps(row), flush=True)
        browser.close()
    print()
    print(f"{'nodes':>6} {'edges':>6}  {'page':<14} {'build s':>8} {'HTML MB':>8} {'first draw s':>13} {'interactive s':>14}")
    for r in rows:
        ready = f"{r['ready_s']:.2f}" if r["settled"] else f"did not settle (>{args.cap:.0f})"
        first = f"{r['first_draw_s']:.2f}" if r["first_draw_s"] is not None else "-"
        print(f"{r['nodes']:>6} {r['edges']:>6}  {r['page']:<14} {r['build_s']:>8.2f} {r['html_bytes'] / 1e6:>8.2f} {first:>13} {ready:>14}")
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    out = out_dir / f"viz-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps({"machine": platform.platform(), "cpus": os.cpu_count(), "cap_s": args.cap, "rows": rows}, indent=2), encoding="utf-8")
    print(f"\nwrote {out.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
