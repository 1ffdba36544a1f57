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
  legend, tooltips and the detail panel are ~170 lines of plain JS in
  ``templates/network.js`` (no Bootstrap, no tom-select), with the page in ``network.html`` and
  its style in ``network.css``; ``@@NAME@@`` marks where each part goes. The page makes no
  network request at all.
- Data goes into a ``<script type="application/json">`` block, JSON-encoded with ``<``, ``>``,
  ``&``, U+2028 and U+2029 written as ``\\u003c`` …, so no label can close the script element; it
  is read with ``JSON.parse`` (never evaluated as code). Bidi control characters in any
  string are written as a visible ``[U+202E]`` (:func:`neutralise_bidi`), so a label cannot
  display as another one in the canvas, the menu, tooltips or the panel. Tooltips and the detail panel are DOM
  elements built with ``textContent``; vis-network receives them as Elements, so no
  data-derived string is ever parsed as HTML. The page title is ``html.escape``-d.
- Layout: up to ``LAYOUT_THRESHOLD`` nodes the physics engine lays the network out, then
  physics is switched off once ``stabilizationIterationsDone`` fires (the network freezes). For
  larger networks positions are computed here (a seeded Fruchterman-Reingold in numpy) and
  physics is off from the start.
- Edge labels (smaller networks) are drawn by ``network.js``, not vis: horizontal, each where it
  covers no other label and no node, none under 8 px on screen (``window.diplograph.labelBoxes()``).
- Large networks (above ``LAYOUT_THRESHOLD`` nodes) get a packed payload
  (:mod:`diplograph.page_pack`), tooltips built on first hover, no edge labels (the summary is in
  the tooltip and the panel), only the lines in view drawn, and a selection dimmed by drawing
  over the canvas: on 4,941 nodes the page is 9.9 MB and one redraw about 50 ms (bench/RESULTS.md).
- The world overview of datasets with many relationships is :mod:`diplograph.overview_page`;
  :func:`write_network_html` chooses it (``view="auto"``, see :func:`choose_view`).
- Sharing (``templates/share.js``, both pages): the view in the URL fragment, PNG export.
- When the network is drawn and interactive the page sets ``window.diplograph.ready = true``
  and ``document.body.dataset.ready = "true"`` (tests and the benchmark wait for it).
- The file is written atomically (temporary file in the same folder, then ``os.replace``).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from pathlib import Path

import networkx as nx

from diplograph.errors import BadValueError, UsageError
from diplograph.files import write_atomically
from diplograph.page_parts import (  # noqa: F401  (also viz's own names, as before)
    _DEFAULT_STYLE,
    _EDGE_DEFAULT,
    EDGE_COLOURS,
    KIND_STYLE,
    MODALITY_STYLE,
    _inline_safe,
    _template,
    json_for_script,
    neutralise_bidi,
    render_page,
    spring_positions,
    vis_asset,
)
from diplograph.projection import EDGE_KINDS, NODE_KINDS, as_of, parse_until, project, short_label
from diplograph.projection import focus as focus_on

__all__ = [
    "EDGE_COLOURS",
    "KIND_STYLE",
    "LAYOUT_THRESHOLD",
    "build_network",
    "json_for_script",
    "neutralise_bidi",
    "render_html",
    "vis_asset",
    "VIEWS",
    "choose_view",
    "write_network_html",
]

#: Above this many nodes the layout is precomputed and physics is off.
LAYOUT_THRESHOLD = 500

# --- building the vis data with pyvis -----------------------------------------------------------


def _iso(day) -> str:
    return day.isoformat() if day is not None else ""


def _tip(attrs: dict) -> dict:
    """Structured tooltip content; turned into DOM text nodes by the page, never into HTML.

    ``since`` (ISO days, "" when undated) lets the page's as-of control apply the rule of
    :func:`~diplograph.projection.as_of`: ``detailSince`` per detail, and per provenance
    entry the ``parts`` (one per statement: since, speaker, modality, occasion).
    """
    dates = attrs.get("detail_dates") or {}
    details = [(str(k), str(v)) for k, v in attrs.get("details", [])]
    tip = {
        "heading": str(attrs.get("label", "")),
        "kind": str(attrs.get("type") or attrs.get("kind") or ""),
        "date": str(attrs.get("date") or ""),
        "details": [list(pair) for pair in details],
        "provenance": [
            dict(
                {k: str(p.get(k) or "") for k in ("source", "evidence", "speaker", "modality", "occasion", "statement")},
                sources=[{"title": str(x.get("title", "")), "url": str(x.get("url") or ""), "link": _safe_url(x.get("url"))}
                         for x in p.get("sources", [])],
                parts=[{"since": _iso(q.get("date_from")), "speaker": str(q.get("speaker") or ""),
                        "modality": str(q.get("modality") or ""), "occasion": str(q.get("occasion") or "")}
                       for q in p.get("parts", [])],
            )
            for p in attrs.get("provenance", [])
        ],
        "iri": str(attrs.get("iri") or attrs.get("statement") or ""),
    }
    if dates:
        tip["detailSince"] = [_iso(dates.get(pair)) for pair in details]
    return tip


def _safe_url(url: object) -> str:
    """``url`` when it is an https: address a link may point to, else "" (the page shows it as text)."""
    text = str(url or "")
    return text if re.fullmatch(r"https://[^\s\"'<>\\]+", text) else ""


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
            color={"background": colour, "border": _darker(colour), "highlight": {"background": colour, "border": "#111"},
                   "hover": {"background": colour, "border": "#111"}},
            size=round(size, 1),
            borderWidth=3 if attrs.get("focus") else 1,
            kind=kind,
            since=_iso(attrs.get("date_from")),
            full=str(attrs.get("label", n)),
            tip=_tip(attrs),
            **extra,
        )
    # One record per projection edge ("link"); the page draws one edge per pair of nodes from
    # the links not filtered out (network.js, drawPairs), so these get no vis styling here.
    for i, (u, v, attrs) in enumerate(G.edges(data=True)):
        kind = attrs.get("kind", "")
        net.add_edge(
            str(u),
            str(v),
            id=f"l{i}",
            label=str(attrs.get("label", "")),
            kind=kind,
            modality=str(attrs.get("modality") or ""),
            date=str(attrs.get("date") or ""),
            since=_iso(attrs.get("date_from")),
            colour=EDGE_COLOURS.get(kind, _EDGE_DEFAULT),
            tip=_tip(attrs),
        )
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


# --- the page -----------------------------------------------------------------------------------


def _options(n_nodes: int, physics: bool) -> dict:
    large = n_nodes > LAYOUT_THRESHOLD
    return {
        "autoResize": True,
        "nodes": {
            "font": {"size": 13, "face": "system-ui, sans-serif", "color": "#1b1b1b", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
            # No bold label on selection or hover: a node's box stays what the edge labels were placed around.
            "chosen": {"node": True, "label": False},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}},
            # The edge labels' style: network.js draws them (placed apart), vis gets no edge label.
            # 14 canvas px: 8 px on screen at the seed's fitted scale in a 1280x720 window.
            "font": {"size": 14, "face": "system-ui, sans-serif", "color": "#3d4650", "strokeWidth": 4, "strokeColor": "#ffffff"},
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


def _modality_legend(G: nx.MultiDiGraph) -> list[dict]:
    counts: dict[str, int] = {}
    for _, _, a in G.edges(data=True):
        m = str(a.get("modality") or "")
        counts[m] = counts.get(m, 0) + 1
    order = list(MODALITY_STYLE) + sorted(set(counts) - set(MODALITY_STYLE))
    return [
        {"modality": m, "name": MODALITY_STYLE.get(m, (m, "?", [1, 3]))[0], "badge": MODALITY_STYLE.get(m, (m, "?", [1, 3]))[1],
         "dashes": MODALITY_STYLE.get(m, (m, "?", [1, 3]))[2], "count": counts[m]}
        for m in order if m in counts
    ]


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
        "links": net.edges,
        "modalities": _modality_legend(G),
        "kindOrder": list(EDGE_KINDS),
        "options": _options(n, physics),
        "physics": physics,
        "legend": legend,
        "focus": G.graph.get("focus"),
        "until": G.graph.get("until") or "",
        # A large network: packed data (page_pack), tooltips built on first hover, no edge labels.
        "large": n > LAYOUT_THRESHOLD,
    }
    if payload["large"]:
        from diplograph.page_pack import pack

        payload.update(pack(net.nodes, net.edges), packed=True,
                       kindColours={k: v[0] for k, v in KIND_STYLE.items()} | {"": _DEFAULT_STYLE[0]},
                       edgeColours=dict(EDGE_COLOURS, **{"": _EDGE_DEFAULT}))
    return write_atomically(path, render_page("network.html", "network.js", title, payload))




#: What ``view`` may be: ``auto`` chooses (see :func:`write_network_html`).
VIEWS: tuple[str, ...] = ("auto", "overview", "detail")


def choose_view(source, view: str = "auto", focus: str | None = None, until=None) -> str:
    """``"overview"`` or ``"detail"``: ``auto`` means the overview when the dataset has more than
    :data:`~diplograph.overview.OVERVIEW_THRESHOLD` bilateral relationships and neither ``focus``
    nor ``until`` asks for the detailed network."""
    from diplograph.overview import OVERVIEW_THRESHOLD, count_relationships

    if view not in VIEWS:
        raise BadValueError("view", view, "one of " + ", ".join(VIEWS))
    if view == "overview" and (focus is not None or until is not None):
        raise UsageError("--focus and --until draw the detailed network: use them with --view detail (or without --view)")
    if view != "auto":
        return view
    if focus is not None or until is not None:
        return "detail"
    return "overview" if count_relationships(source) > OVERVIEW_THRESHOLD else "detail"


def write_network_html(
    source,
    path: Path | str,
    focus: str | None = None,
    until: str | _dt.date | None = None,
    radius: int = 1,
    title: str | None = None,
    physics: bool | None = None,
    view: str = "auto",
) -> Path:
    """Write the network page of ``source`` (a project dataset or an rdflib graph) at ``path``.

    ``view``: ``detail`` projects ``source`` (see :func:`~diplograph.projection.project`), cuts it
    at ``until``, focuses it on ``focus``; ``overview`` draws the world overview from SPARQL
    aggregates on the store (:mod:`diplograph.overview`, states and one line per relationship,
    no projection of everything); ``auto`` (what ``build`` uses) picks with :func:`choose_view`.

    Raises :class:`~diplograph.projection.UnknownNodeError` for an unknown focus and
    :class:`~diplograph.errors.UsageError` for a bad date, radius or view.
    """
    if until is not None:
        parse_until(until)
    if choose_view(source, view, focus, until) == "overview":
        from diplograph.overview import overview
        from diplograph.overview_page import render_overview

        return render_overview(overview(source), path, title=title or "diplograph: world overview of diplomatic relations")
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
