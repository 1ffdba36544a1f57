"""Write the projected network as ONE self-contained, offline, injection-safe HTML file.

:func:`write_network_html` (what ``diplograph build`` and ``diplograph viz`` call) projects a
dataset (:mod:`diplograph.projection`), optionally focuses it and cuts it at a date, and hands
it to :func:`render_html`.

How the page is built
---------------------
- pyvis builds the vis-network node and edge records (``Network.add_node`` /
  ``add_edge``, directed so pyvis does not scan for duplicates). pyvis's own HTML template is
  **not** used: it links Bootstrap from a CDN even in ``in_line`` mode, writes ``lib/`` beside
  the page in ``local`` mode, renders node ids unescaped into its select menu and switches
  tooltips to ``innerHTML`` when any contains "href".
- The only third-party assets are vis-network 9.1.2's JS and CSS, read from the copy shipped
  inside the pyvis package and inlined. The search/select menu, the filter by kind, the
  legend, tooltips and the detail panel are ~200 lines of plain JS in this module (no
  Bootstrap, no tom-select). The page makes no network request at all.
- Data goes into a ``<script type="application/json">`` block, JSON-encoded with ``<``, ``>``,
  ``&``, U+2028 and U+2029 written as ``\\u003c`` …, so no label can close the script element; it
  is read with ``JSON.parse`` (never evaluated as code). Tooltips and the detail panel are DOM
  elements built with ``textContent``; vis-network receives them as Elements, so no
  data-derived string is ever parsed as HTML. The page title is ``html.escape``-d.
- Layout: up to ``LAYOUT_THRESHOLD`` nodes the physics engine lays the network out, then
  physics is switched off once ``stabilizationIterationsDone`` fires (the network freezes). For
  larger networks positions are computed here (a seeded Fruchterman-Reingold in numpy) and
  physics is off from the start.
- When the network is drawn and interactive the page sets ``window.diplograph.ready = true``
  and ``document.body.dataset.ready = "true"`` (tests and the benchmark wait for it).
- The file is written atomically (temporary file in the same folder, then ``os.replace``).
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import math
import re
from pathlib import Path

import networkx as nx

from diplograph.files import write_atomically
from diplograph.projection import NODE_KINDS, as_of, project, short_label
from diplograph.projection import focus as focus_on

__all__ = [
    "EDGE_COLOURS",
    "KIND_STYLE",
    "LAYOUT_THRESHOLD",
    "build_network",
    "json_for_script",
    "render_html",
    "vis_asset",
    "write_network_html",
]

#: Above this many nodes the layout is precomputed and physics is off.
LAYOUT_THRESHOLD = 500

#: kind -> (colour, vis shape, base size, legend name)
KIND_STYLE: dict[str, tuple[str, str, int, str]] = {
    "state": ("#1f6fb2", "hexagon", 22, "state"),
    "person": ("#e69f00", "dot", 14, "person"),
    "organisation": ("#009e73", "square", 13, "organisation"),
    "event": ("#b05fa0", "diamond", 13, "event"),
    "relationship": ("#d55e00", "star", 26, "bilateral relationship"),
    "issue": ("#7f7f7f", "triangle", 9, "issue"),
}
_DEFAULT_STYLE = ("#555555", "dot", 10, "other")

EDGE_COLOURS: dict[str, str] = {
    "partner": "#d55e00",
    "party to": "#e8a27a",
    "member of": "#55a98a",
    "holds post in": "#d9a441",
    "accredited to": "#d9a441",
    "supports": "#3b8bd0",
    "opposes": "#c0392b",
    "grants": "#3b8bd0",
}
_EDGE_DEFAULT = "#9aa5b1"
_VIS_DIR = "vis-9.1.2"

_MAX_TIP_DETAILS = 10
_MAX_TIP_PROV = 3


# --- assets -------------------------------------------------------------------------------------


def vis_asset(name: str) -> str:
    """The text of a vis-network asset shipped inside pyvis (``vis-network.min.js`` / ``.css``)."""
    import pyvis

    path = Path(pyvis.__file__).parent / "templates" / "lib" / _VIS_DIR / name
    return path.read_text(encoding="utf-8")


def _inline_safe(code: str, tag: str) -> str:
    # Asset text goes verbatim into <script>/<style>; make sure it cannot end the element early.
    if f"</{tag}" in code.lower():
        code = code.replace(f"</{tag}", f"<\\/{tag}").replace(f"</{tag.upper()}", f"<\\/{tag.upper()}")
    return code


def json_for_script(value: object) -> str:
    """JSON that is safe inside an HTML ``<script>`` element: ``<``, ``>``, ``&``, U+2028/9 escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


# --- building the vis data with pyvis -----------------------------------------------------------


def _tip(attrs: dict) -> dict:
    """Structured tooltip content; turned into DOM text nodes by the page, never into HTML."""
    return {
        "heading": str(attrs.get("label", "")),
        "kind": str(attrs.get("type") or attrs.get("kind") or ""),
        "date": str(attrs.get("date") or ""),
        "details": [[str(k), str(v)] for k, v in attrs.get("details", [])],
        "provenance": [
            {k: str(p.get(k) or "") for k in ("source", "evidence", "speaker", "modality", "occasion", "statement")}
            for p in attrs.get("provenance", [])
        ],
        "iri": str(attrs.get("iri") or attrs.get("statement") or ""),
    }


def build_network(G: nx.MultiDiGraph, positions: dict | None = None):
    """A pyvis ``Network`` holding one vis record per node and edge of ``G``."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    # pyvis checks membership in a list per add_node/add_edge; a set-backed list keeps it linear.
    net.node_ids = _IdList()
    degrees = dict(G.degree())
    for n, attrs in G.nodes(data=True):
        kind = attrs.get("kind", "other")
        colour, shape, base, _ = KIND_STYLE.get(kind, _DEFAULT_STYLE)
        size = min(base + 3.0 * math.sqrt(degrees.get(n, 0)), base * 2.6)
        extra = {}
        if positions is not None and n in positions:
            extra = {"x": round(positions[n][0], 1), "y": round(positions[n][1], 1)}
        net.add_node(
            str(n),
            label=short_label(str(attrs.get("label", n))) or " ",
            shape=shape,
            color={"background": colour, "border": _darker(colour), "highlight": {"background": colour, "border": "#111"}},
            size=round(size, 1),
            borderWidth=3 if attrs.get("focus") else 1,
            kind=kind,
            full=str(attrs.get("label", n)),
            tip=_tip(attrs),
            **extra,
        )
    pair_count: dict[tuple, int] = {}
    for i, (u, v, attrs) in enumerate(G.edges(data=True)):
        key = tuple(sorted((str(u), str(v))))
        nth = pair_count.get(key, 0)
        pair_count[key] = nth + 1
        kind = attrs.get("kind", "")
        record = {
            "id": f"e{i}",
            "label": short_label(str(attrs.get("label", "")), width=28, lines=2),
            "kind": kind,
            "tip": _tip(attrs),
            "color": {"color": EDGE_COLOURS.get(kind, _EDGE_DEFAULT), "highlight": "#222", "hover": "#222"},
        }
        if kind == "met":
            record["arrows"] = {"to": {"enabled": False}}
            record["dashes"] = True
        if nth:  # several edges between the same two nodes: bend them apart
            record["smooth"] = {"enabled": True, "type": "curvedCW" if nth % 2 else "curvedCCW", "roundness": 0.18 * ((nth + 1) // 2)}
        net.add_edge(str(u), str(v), **record)
    return net


class _IdList(list):
    """A list with O(1) ``in`` (pyvis's add_node/add_edge test membership in ``node_ids``)."""

    def __init__(self) -> None:
        super().__init__()
        self._set: set = set()

    def append(self, item) -> None:  # noqa: D401
        super().append(item)
        self._set.add(item)

    def __contains__(self, item) -> bool:
        return item in self._set


def _darker(colour: str, factor: float = 0.7) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#%02x%02x%02x" % (int(r * factor), int(g * factor), int(b * factor))


# --- layout for large networks ------------------------------------------------------------------


def spring_positions(G: nx.Graph, iterations: int = 50, seed: int = 7, scale: float | None = None, pivots: int = 400) -> dict:
    """Seeded Fruchterman-Reingold layout in numpy (networkx's spring_layout needs scipy above 500 nodes).

    Repulsion is exact up to ``pivots`` nodes; above that each iteration takes it from a fresh
    random sample of ``pivots`` nodes, scaled up (a stochastic approximation: O(n·pivots) per
    iteration instead of O(n²)). Attraction along edges is exact.
    """
    import numpy as np

    nodes = list(G.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    if scale is None:
        scale = 60.0 * math.sqrt(n)
    rng = np.random.default_rng(seed)
    x = rng.random(n) * 2 - 1
    y = rng.random(n) * 2 - 1
    index = {v: i for i, v in enumerate(nodes)}
    pairs = np.array([(index[u], index[v]) for u, v in G.edges() if u != v], dtype=np.int64).reshape(-1, 2)
    src, dst = pairs[:, 0], pairs[:, 1]
    k = math.sqrt(4.0 / n)
    t = 0.2
    cool = t / (iterations + 1)
    for _ in range(iterations):
        if n <= pivots:
            px, py, weight = x, y, 1.0
        else:
            pick = rng.choice(n, size=pivots, replace=False)
            px, py, weight = x[pick], y[pick], n / pivots
        dx = x[:, None] - px[None, :]
        dy = y[:, None] - py[None, :]
        force = (k * k * weight) / np.maximum(dx * dx + dy * dy, 1e-6)
        fx = (dx * force).sum(1)
        fy = (dy * force).sum(1)
        if len(pairs):
            ex = x[src] - x[dst]
            ey = y[src] - y[dst]
            pull = np.sqrt(ex * ex + ey * ey) / k
            np.subtract.at(fx, src, ex * pull)
            np.subtract.at(fy, src, ey * pull)
            np.add.at(fx, dst, ex * pull)
            np.add.at(fy, dst, ey * pull)
        length = np.maximum(np.sqrt(fx * fx + fy * fy), 1e-9)
        step = np.minimum(length, t) / length
        x += fx * step
        y += fy * step
        t -= cool
    x -= x.mean()
    y -= y.mean()
    extent = max(float(np.abs(x).max()), float(np.abs(y).max())) or 1.0
    x *= scale / extent
    y *= scale / extent
    return {v: (float(x[i]), float(y[i])) for v, i in index.items()}


# --- the page -----------------------------------------------------------------------------------


def _options(n_nodes: int, physics: bool) -> dict:
    large = n_nodes > LAYOUT_THRESHOLD
    return {
        "autoResize": True,
        "nodes": {
            "font": {"size": 13, "face": "system-ui, sans-serif", "color": "#1b1b1b", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            "font": {"size": 9, "face": "system-ui, sans-serif", "color": "#505a63", "strokeWidth": 3, "strokeColor": "#ffffff", "align": "middle"},
            "width": 1.2,
            "selectionWidth": 2,
            "smooth": False if large else {"enabled": True, "type": "continuous", "roundness": 0.2},
        },
        "interaction": {"hover": not large, "tooltipDelay": 120, "hideEdgesOnDrag": large, "hideEdgesOnZoom": large, "multiselect": False},
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 150},
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -140, "centralGravity": 0.01, "springLength": 190, "springConstant": 0.05, "damping": 0.5, "avoidOverlap": 0.6},
            "minVelocity": 1.0,
            "stabilization": {"enabled": physics, "iterations": 800, "updateInterval": 40, "fit": True},
        },
    }


def render_html(
    G: nx.MultiDiGraph,
    path: Path | str,
    title: str = "diplograph network",
    physics: bool | None = None,
    subtitle: str = "",
) -> Path:
    """Write ``G`` (a projection) as one self-contained HTML page at ``path``; return the path.

    ``physics``: None chooses (on up to :data:`LAYOUT_THRESHOLD` nodes, then frozen; off with a
    precomputed layout above it), True/False forces it. Never writes anything but ``path``.
    """
    n = G.number_of_nodes()
    if physics is None:
        physics = n <= LAYOUT_THRESHOLD
    positions = None if physics else spring_positions(G)
    net = build_network(G, positions)
    kinds_present = [k for k in NODE_KINDS if any(a.get("kind") == k for _, a in G.nodes(data=True))]
    kinds_present += sorted({a.get("kind", "other") for _, a in G.nodes(data=True)} - set(kinds_present))
    legend = [
        {"kind": k, "name": KIND_STYLE.get(k, _DEFAULT_STYLE)[3], "colour": KIND_STYLE.get(k, _DEFAULT_STYLE)[0],
         "shape": KIND_STYLE.get(k, _DEFAULT_STYLE)[1],
         "count": sum(1 for _, a in G.nodes(data=True) if a.get("kind") == k)}
        for k in kinds_present
    ]
    payload = {
        "title": title,
        "subtitle": subtitle,
        "nodes": net.nodes,
        "edges": net.edges,
        "options": _options(n, physics),
        "physics": physics,
        "legend": legend,
        "focus": G.graph.get("focus"),
    }
    parts = {
        "TITLE": html.escape(title, quote=True),
        "VIS_CSS": _inline_safe(vis_asset("vis-network.css"), "style"),
        "PAGE_CSS": _PAGE_CSS,
        "VIS_JS": _inline_safe(vis_asset("vis-network.min.js"), "script"),
        "PAGE_JS": _PAGE_JS,
        "DATA": json_for_script(payload),
    }
    # One pass over the template: nothing substituted is searched for placeholders again.
    page = re.sub(r"@@([A-Z_]+)@@", lambda m: parts[m.group(1)], _PAGE)
    return write_atomically(path, page)




def write_network_html(
    source,
    path: Path | str,
    focus: str | None = None,
    until: str | _dt.date | None = None,
    radius: int = 1,
    title: str | None = None,
    physics: bool | None = None,
) -> Path:
    """Project ``source`` (see :func:`~diplograph.projection.project`), cut it at ``until``, focus it
    on ``focus``, and write the HTML page.

    Raises :class:`~diplograph.projection.UnknownNodeError` for an unknown focus and
    :class:`~diplograph.errors.UsageError` for a bad date or radius.
    """
    G = project(source)
    notes = []
    if until is not None:
        G = as_of(G, until)
        notes.append(f"as of {G.graph['until']}")
    if focus is not None:
        G = focus_on(G, focus, radius)
        notes.append(f"around {G.nodes[G.graph['focus']]['label']} (radius {radius})")
    notes.append(f"{G.number_of_nodes()} nodes, {G.number_of_edges()} edges")
    return render_html(G, path, title=title or "diplograph: network of diplomatic relations", physics=physics, subtitle=" · ".join(notes))


# --- page template (no data in here: the data is a JSON block read by JSON.parse) --------------

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'">
<title>@@TITLE@@</title>
<style>@@VIS_CSS@@</style>
<style>@@PAGE_CSS@@</style>
</head>
<body>
<header id="dg-header">
  <div id="dg-titles"><h1 id="dg-title"></h1><div id="dg-subtitle"></div></div>
  <div id="dg-search">
    <input id="node-search" type="search" placeholder="Search a state, person, event…" aria-label="Search nodes" autocomplete="off">
    <select id="node-select" aria-label="Select a node"></select>
    <button id="node-reset" type="button">Reset</button>
  </div>
</header>
<main id="dg-main">
  <div id="mynetwork" aria-label="network drawing"></div>
  <aside id="dg-legend" aria-label="Legend and filter by kind"><h2>Legend · show</h2><div id="legend-items"></div>
    <div class="dg-hint">Hover for details, click for sources. Dashed line: met. Edge colours: <span style="color:#d55e00">level</span>, <span style="color:#55a98a">membership</span>, <span style="color:#3b8bd0">supports</span>, <span style="color:#c0392b">opposes</span>.</div></aside>
  <aside id="dg-panel" hidden aria-live="polite"><button id="panel-close" type="button" aria-label="Close">×</button><div id="panel-body"></div></aside>
</main>
<script type="application/json" id="diplograph-data">@@DATA@@</script>
<script>@@VIS_JS@@</script>
<script>@@PAGE_JS@@</script>
</body>
</html>
"""

_PAGE_CSS = """
html,body{margin:0;height:100%;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#fafafa}
#dg-header{display:flex;align-items:center;justify-content:space-between;gap:1rem;padding:.5rem 1rem;background:#fff;border-bottom:1px solid #ddd;height:56px;box-sizing:border-box}
#dg-title{font-size:1.05rem;margin:0}#dg-subtitle{font-size:.8rem;color:#555}
#dg-search{display:flex;gap:.4rem;align-items:center}
#dg-search input,#dg-search select,#dg-search button{font:inherit;font-size:.85rem;padding:.25rem .4rem;border:1px solid #bbb;border-radius:4px;background:#fff}
#node-search{width:14rem}#node-select{max-width:22rem}
#dg-main{position:relative;height:calc(100% - 56px)}
#mynetwork{position:absolute;inset:0;background:#fff}
#dg-legend{position:absolute;left:.75rem;top:.75rem;background:rgba(255,255,255,.94);border:1px solid #ddd;border-radius:6px;padding:.5rem .7rem;font-size:.8rem;max-width:15rem;box-shadow:0 1px 4px rgba(0,0,0,.08)}
#dg-legend h2{font-size:.8rem;margin:0 0 .3rem;text-transform:uppercase;letter-spacing:.04em;color:#555}
.legend-item{display:flex;align-items:center;gap:.4rem;margin:.15rem 0;cursor:pointer}
.legend-item svg{flex:none}.legend-count{color:#777}
.dg-hint{margin-top:.4rem;color:#666;font-size:.72rem;line-height:1.3}
#dg-panel{position:absolute;right:0;top:0;bottom:0;width:min(380px,45%);overflow:auto;background:#fff;border-left:1px solid #ddd;padding:.8rem 1rem;box-sizing:border-box;font-size:.85rem;box-shadow:-2px 0 6px rgba(0,0,0,.06)}
#panel-close{position:absolute;right:.5rem;top:.4rem;border:none;background:none;font-size:1.3rem;cursor:pointer}
.dg-tip{max-width:420px;max-height:420px;overflow:hidden;white-space:normal;font-size:12px;line-height:1.35}
.dg-tip h3,#panel-body h3{margin:0 0 .2rem;font-size:13px}
.dg-meta{color:#666;margin-bottom:.3rem}
.dg-details{border-collapse:collapse;margin:.2rem 0}
.dg-details td{vertical-align:top;padding:1px 4px 1px 0}.dg-details td:first-child{color:#666;white-space:nowrap}
.dg-prov{margin:.3rem 0 0;padding-left:1rem}.dg-prov li{margin:.15rem 0}
.dg-quote{font-style:italic}.dg-by{color:#555}.dg-more{color:#777;font-style:italic}
.dg-iri{color:#888;font-size:11px;word-break:break-all}
div.vis-tooltip{white-space:normal;max-width:440px;background:#fffef6;border:1px solid #ccc;box-shadow:0 2px 8px rgba(0,0,0,.15);padding:6px 8px;font-family:inherit}
"""

_PAGE_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("diplograph-data").textContent);
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  // Tooltip / panel content, built from text nodes only: data is never parsed as HTML.
  function describe(tip, full) {
    var box = el("div", full ? "dg-full" : "dg-tip");
    box.appendChild(el("h3", null, tip.heading));
    var meta = [tip.kind, tip.date].filter(Boolean).join(" · ");
    if (meta) box.appendChild(el("div", "dg-meta", meta));
    var details = tip.details || [];
    var shown = full ? details : details.slice(0, 10);
    if (shown.length) {
      var table = el("table", "dg-details");
      shown.forEach(function (kv) {
        var tr = el("tr");
        tr.appendChild(el("td", null, kv[0]));
        tr.appendChild(el("td", null, kv[1]));
        table.appendChild(tr);
      });
      box.appendChild(table);
      if (details.length > shown.length) box.appendChild(el("div", "dg-more", "… " + (details.length - shown.length) + " more: click for all"));
    }
    var prov = tip.provenance || [];
    if (prov.length) {
      box.appendChild(el("div", "dg-meta", "Sources (" + prov.length + ")"));
      var list = el("ul", "dg-prov");
      (full ? prov : prov.slice(0, 3)).forEach(function (p) {
        var li = el("li");
        if (p.evidence) li.appendChild(el("div", "dg-quote", "\u201c" + p.evidence + "\u201d"));
        var by = [p.speaker && ("said by " + p.speaker), p.modality, p.occasion && ("at " + p.occasion), p.source].filter(Boolean).join(" · ");
        if (by) li.appendChild(el("div", "dg-by", by));
        list.appendChild(li);
      });
      box.appendChild(list);
      if (!full && prov.length > 3) box.appendChild(el("div", "dg-more", "… " + (prov.length - 3) + " more: click for all"));
    }
    if (full && tip.iri) box.appendChild(el("div", "dg-iri", tip.iri));
    return box;
  }
  document.getElementById("dg-title").textContent = data.title;
  document.getElementById("dg-subtitle").textContent = data.subtitle || "";

  var byId = {};
  data.nodes.forEach(function (n) { n.title = describe(n.tip, false); byId[n.id] = n; });
  data.edges.forEach(function (e) { e.title = describe(e.tip, false); });
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("mynetwork");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var state = { ready: false, readyAt: null, hiddenKinds: {} };
  window.network = network;
  window.diplograph = { network: network, nodes: nodes, edges: edges, state: state, ready: false, selectNode: selectNode };

  function markReady() {
    if (state.ready) return;
    state.ready = true; state.readyAt = performance.now();
    window.diplograph.ready = true; window.diplograph.readyAt = state.readyAt;
    document.body.dataset.ready = "true";
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });  // freeze: stop the simulation
      network.fit();
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", markReady);
  }

  // Detail panel (click).
  var panel = document.getElementById("dg-panel");
  var panelBody = document.getElementById("panel-body");
  function showPanel(tip) {
    panelBody.replaceChildren(describe(tip, true));
    panel.hidden = false;
  }
  document.getElementById("panel-close").addEventListener("click", function () { panel.hidden = true; });
  network.on("click", function (params) {
    if (params.nodes.length) { showPanel(byId[params.nodes[0]].tip); syncSelect(params.nodes[0]); }
    else if (params.edges.length) { var e = edges.get(params.edges[0]); if (e) showPanel(e.tip); }
    else panel.hidden = true;
  });

  // Search and select menu (plain DOM; option text set with textContent).
  var search = document.getElementById("node-search");
  var select = document.getElementById("node-select");
  var sorted = data.nodes.slice().sort(function (a, b) { return a.full.localeCompare(b.full); });
  function fillSelect() {
    var q = search.value.trim().toLowerCase();
    var keep = select.value;
    select.replaceChildren();
    var first = el("option", null, q ? "Matches for \u201c" + search.value.trim() + "\u201d…" : "Select a node (" + sorted.length + ")…");
    first.value = "";
    select.appendChild(first);
    var hits = sorted.filter(function (n) {
      if (state.hiddenKinds[n.kind]) return false;
      return !q || n.full.toLowerCase().indexOf(q) >= 0 || String(n.id).toLowerCase().indexOf(q) >= 0;
    });
    // Labels that start with the query come first.
    var starts = function (n) { return q && n.full.toLowerCase().indexOf(q) === 0 ? 0 : 1; };
    hits.sort(function (a, b) { return starts(a) - starts(b); });
    hits.forEach(function (n) {
      var o = el("option", null, n.full + " \u2014 " + (n.tip.kind || n.kind));
      o.value = n.id;
      select.appendChild(o);
    });
    select.value = keep;
    if (select.value !== keep) select.value = "";
    return { count: hits.length, prefix: hits.filter(function (n) { return starts(n) === 0; }).length };
  }
  function syncSelect(id) { if (select.querySelector("option") && byId[id]) { select.value = id; } }
  function selectNode(id) {
    if (!byId[id]) return false;
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: { duration: 300 } });
    showPanel(byId[id].tip);
    select.value = id;
    return true;
  }
  select.addEventListener("change", function () { if (select.value) selectNode(select.value); });
  search.addEventListener("input", function () {
    var found = fillSelect();
    if (found.count === 1 || found.prefix === 1) { select.selectedIndex = 1; selectNode(select.value); }
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && select.options.length > 1) { select.selectedIndex = 1; selectNode(select.value); }
  });
  document.getElementById("node-reset").addEventListener("click", function () {
    search.value = ""; fillSelect(); select.value = ""; network.unselectAll(); panel.hidden = true; network.fit();
  });
  fillSelect();

  // Legend that is also the filter by kind.
  var SVGNS = "http://www.w3.org/2000/svg";
  function swatch(shape, colour) {
    var svg = document.createElementNS(SVGNS, "svg");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16"); svg.setAttribute("viewBox", "0 0 16 16");
    var s;
    var polys = {
      hexagon: "8,1 14,4.5 14,11.5 8,15 2,11.5 2,4.5", diamond: "8,1 15,8 8,15 1,8", triangle: "8,2 15,14 1,14",
      star: "8,1 10,6 15,6 11,9.5 12.5,15 8,11.7 3.5,15 5,9.5 1,6 6,6", square: "2,2 14,2 14,14 2,14"
    };
    if (polys[shape]) { s = document.createElementNS(SVGNS, "polygon"); s.setAttribute("points", polys[shape]); }
    else { s = document.createElementNS(SVGNS, "circle"); s.setAttribute("cx", "8"); s.setAttribute("cy", "8"); s.setAttribute("r", "6"); }
    s.setAttribute("fill", colour); s.setAttribute("stroke", "#333"); s.setAttribute("stroke-width", "0.6");
    svg.appendChild(s);
    return svg;
  }
  var legendBox = document.getElementById("legend-items");
  data.legend.forEach(function (item) {
    var label = el("label", "legend-item");
    var box = el("input"); box.type = "checkbox"; box.checked = true; box.dataset.kind = item.kind;
    box.setAttribute("aria-label", "show " + item.name);
    box.addEventListener("change", function () {
      state.hiddenKinds[item.kind] = !box.checked;
      var ids = nodes.getIds({ filter: function (n) { return n.kind === item.kind; } });
      nodes.update(ids.map(function (id) { return { id: id, hidden: !box.checked }; }));
      fillSelect();
    });
    label.appendChild(box);
    label.appendChild(swatch(item.shape, item.colour));
    label.appendChild(el("span", null, item.name));
    label.appendChild(el("span", "legend-count", "(" + item.count + ")"));
    legendBox.appendChild(label);
  });
  if (data.focus && byId[data.focus]) network.once("afterDrawing", function () { network.selectNodes([data.focus]); });
})();
"""
