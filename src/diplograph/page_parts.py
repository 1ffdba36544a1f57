"""What both network pages (:mod:`diplograph.viz`, :mod:`diplograph.overview_page`) are made of:
the style of node kinds, edge kinds and modalities, the vis-network assets and page templates,
JSON safe inside a script element, bidi controls made visible, and the layout of large networks.
"""

from __future__ import annotations

import html
import json
import math
import re
from importlib import resources
from pathlib import Path

import networkx as nx

__all__ = ["EDGE_COLOURS", "KIND_STYLE", "MODALITY_STYLE", "json_for_script", "neutralise_bidi", "render_page", "spring_positions", "vis_asset"]

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

#: kind -> line colour; each at least 3:1 against the white canvas (WCAG 2.1, 1.4.11).
EDGE_COLOURS: dict[str, str] = {
    "partner": "#d55e00",
    "party to": "#b86a3c",
    "member of": "#2e8466",
    "holds post in": "#9a6f12",
    "accredited to": "#9a6f12",
    "supports": "#2f7bbf",
    "opposes": "#c0392b",
    "grants": "#2f7bbf",
}
_EDGE_DEFAULT = "#6b7785"
_VIS_DIR = "vis-9.1.2"

_MAX_TIP_DETAILS = 10
_MAX_TIP_PROV = 3


# --- assets -------------------------------------------------------------------------------------


def vis_asset(name: str) -> str:
    """The text of a vis-network asset shipped inside pyvis (``vis-network.min.js`` / ``.css``)."""
    import pyvis

    path = Path(pyvis.__file__).parent / "templates" / "lib" / _VIS_DIR / name
    return path.read_text(encoding="utf-8")


def _template(name: str) -> str:
    """A file of the page template (``diplograph/templates/``: HTML, CSS and JS kept as what they are)."""
    return (resources.files("diplograph") / "templates" / name).read_text(encoding="utf-8")


def _inline_safe(code: str, tag: str) -> str:
    # Asset text goes verbatim into <script>/<style>; make sure it cannot end the element early.
    if f"</{tag}" in code.lower():
        code = code.replace(f"</{tag}", f"<\\/{tag}").replace(f"</{tag.upper()}", f"<\\/{tag.upper()}")
    return code


def render_page(template: str, script: str, title: str, payload: object, body_class: str = "") -> str:
    """One of the network pages: ``templates/page.html`` (the head with the Content-Security-Policy,
    the scripts) around the body ``templates/{template}``, with the vis-network assets, the shared
    stylesheet, ``share.js`` + ``templates/{script}``, the escaped title and the data (bidi
    controls made visible), substituted in one pass, so nothing substituted is searched for
    placeholders again."""
    parts = {
        "BODY_CLASS": f' class="{html.escape(body_class, quote=True)}"' if body_class else "",
        "TITLE": html.escape(neutralise_bidi(title), quote=True),
        "VIS_CSS": _inline_safe(vis_asset("vis-network.css"), "style"),
        "PAGE_CSS": _template("network.css"),
        "VIS_JS": _inline_safe(vis_asset("vis-network.min.js"), "script"),
        "PAGE_JS": _template("share.js") + _template(script),
        "DATA": json_for_script(neutralise_bidi(payload)),
    }
    page = _template("page.html").replace("@@BODY@@", _template(template))  # templates only: no data yet
    return re.sub(r"@@([A-Z_]+)@@", lambda m: parts[m.group(1)], page)


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


# Bidirectional controls (embeddings, overrides, isolates, marks): a label "\u202eanihC" would
# display as "China". Shown instead as a visible code, everywhere the page shows data.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def neutralise_bidi(value):
    """``value`` (str, or lists/dicts of them) with every bidi control written as ``[U+202E]``."""
    if isinstance(value, str):
        return _BIDI.sub(lambda m: f"[U+{ord(m.group()):04X}]", value) if _BIDI.search(value) else value
    if isinstance(value, dict):
        return {k: neutralise_bidi(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [neutralise_bidi(v) for v in value]
    return value


# --- layout for large networks ------------------------------------------------------------------


def spring_positions(G: nx.Graph, iterations: int = 50, seed: int = 7, scale: float | None = None, pivots: int = 400,
                     gravity: float = 0.0) -> dict:
    """Seeded Fruchterman-Reingold layout in numpy (networkx's spring_layout needs scipy above 500 nodes).

    Repulsion is exact up to ``pivots`` nodes; above that each iteration takes it from a fresh
    random sample of ``pivots`` nodes, scaled up (a stochastic approximation: O(n·pivots) per
    iteration instead of O(n²)). Attraction along edges is exact. ``gravity`` pulls every node
    towards the centre (so that small components do not drift to the edges of the drawing).
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
        if gravity:
            fx -= gravity * x
            fy -= gravity * y
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


#: modality -> (legend name, badge letter in edge labels, vis dash pattern); the order is the
#: order of precedence when one drawn edge joins links of several modalities.
MODALITY_STYLE: dict[str, tuple[str, str, object]] = {
    "reported fact": ("reported fact", "", False),
    "claim": ("claim", "C", [10, 6]),
    "plan": ("plan", "P", [3, 5]),
    "projection": ("projection (forecast)", "F", [12, 4, 3, 4]),
    "": ("no modality recorded", "", False),
}
