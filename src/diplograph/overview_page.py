"""Write the world overview (:mod:`diplograph.overview`) as one self-contained, offline HTML page.

The page is built like the detailed network page (:mod:`diplograph.viz`: vis-network inlined,
data in a JSON block, every string shown through ``textContent``, bidi controls made visible,
written atomically) from ``templates/overview.html`` (its body) / ``overview.js``. What it draws:

- states as nodes, sized by how many relationships they have; their labels only for the hubs
  (the :data:`HUB_LABELS` states with most relationships) until the reader zooms in;
- one line per bilateral relationship, coloured by its latest level (:data:`LEVEL_COLOURS`),
  as wide as its machine-coded event count (else its statement count) on a log scale;
- a click on a line opens the relationship's detailed network: its two states, the
  relationship and one node per kind of statement about it (with counts, dashed when the
  statements are claims, plans or projections), its level history and coded-event summary in
  the side panel. The data for that is embedded, a few hundred bytes per relationship (no
  request, no second page), so at 1M triples (about 1,200 relationships) the page stays under 1 MB.
"""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx

from diplograph.files import write_atomically
from diplograph.overview import Overview
from diplograph.page_parts import (
    KIND_STYLE,
    MODALITY_STYLE,
    render_page,
    spring_positions,
)

__all__ = ["HUB_LABELS", "LEVEL_COLOURS", "render_overview"]

#: How many states keep their label at the overview's zoom (the ones with most relationships).
HUB_LABELS = 16

#: Colours of the latest level, in order of first use; each at least 3:1 on white (WCAG 1.4.11).
LEVEL_COLOURS = ("#b85000", "#1f6fb2", "#2e7d4f", "#8e44ad", "#a0522d", "#c0392b", "#5a6b7b", "#9a6f12")
_NO_LEVEL = "#6b7785"


def _level_order(ov: Overview) -> list[str]:
    """Levels by how often they are the latest (most first), then by name."""
    counts: dict[str, int] = {}
    for r in ov.relationships:
        counts[r["level"]] = counts.get(r["level"], 0) + 1
    return sorted(counts, key=lambda lv: (lv == "", -counts[lv], lv))


def render_overview(ov: Overview, path: Path | str, title: str = "diplograph: world overview", subtitle: str = "") -> Path:
    """Write the overview page of ``ov`` at ``path`` (atomically); return the path."""
    G = nx.Graph()
    G.add_nodes_from(ov.states)
    G.add_edges_from((r["a"], r["b"]) for r in ov.relationships)
    positions = spring_positions(G, iterations=120, scale=45.0 * math.sqrt(max(len(G), 1)) + 200, gravity=1.5)
    order = _level_order(ov)
    colours = {lv: (LEVEL_COLOURS[i % len(LEVEL_COLOURS)] if lv else _NO_LEVEL) for i, lv in enumerate(order)}
    hubs = sorted(ov.states, key=lambda s: (-ov.states[s]["degree"], ov.states[s]["label"]))[:HUB_LABELS]
    state_colour, _, _, _ = KIND_STYLE["state"]
    nodes = [
        {"id": s, "full": a["label"], "iso": a["iso"], "degree": a["degree"], "hub": s in hubs,
         "x": round(positions[s][0], 1), "y": round(positions[s][1], 1),
         "size": round(8 + 4 * math.sqrt(a["degree"]), 1)}
        for s, a in ov.states.items()
    ]
    links = []
    for r in ov.relationships:
        weight = r["events"] or sum(n for _, _, n in r["statements"])
        links.append(dict(r, colour=colours[r["level"]], width=round(1 + 1.2 * math.log1p(weight), 2)))
    payload = {
        "title": title,
        "subtitle": subtitle or f"{len(nodes)} states, {len(links)} bilateral relationships",
        "nodes": nodes,
        "links": links,
        "levels": [{"level": lv, "name": lv or "no level recorded", "colour": colours[lv],
                    "count": sum(1 for r in ov.relationships if r["level"] == lv)} for lv in order],
        "modalities": {m: {"name": v[0], "badge": v[1], "dashes": v[2]} for m, v in MODALITY_STYLE.items()},
        "stateColour": state_colour,
        "relationshipColour": KIND_STYLE["relationship"][0],
    }
    return write_atomically(path, render_page("overview.html", "overview.js", title, payload, body_class="dg-overview"))
