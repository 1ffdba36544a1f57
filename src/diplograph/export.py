"""The projection (or the world overview) as files for Gephi and spreadsheets: GraphML and CSV.

:func:`to_graph` flattens what the page draws into a networkx graph with plain attributes only
(GraphML and CSV take strings and numbers, not lists): ``kind``, ``label``, ``iri``, ``date``,
``modality``, ``details`` (``key: value`` joined with ``; ``) and ``sources`` (the titles of the
sources behind it, joined with ``; ``). GraphML is written by networkx's writer; CSV is two
files, ``<stem>-nodes.csv`` (``id`` and the node attributes) and ``<stem>-edges.csv``
(``source``, ``target`` and the edge attributes). Everything is written to temporary files
first and renamed into place together (:func:`~diplograph.files.write_all_atomically`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx

from diplograph.errors import BadValueError
from diplograph.files import write_all_atomically
from diplograph.overview import Overview
from diplograph.page_parts import neutralise_bidi

__all__ = ["EDGE_COLUMNS", "FORMATS", "NODE_COLUMNS", "csv_paths", "export_network", "overview_graph", "to_graph", "write_export"]

#: ``viz --format`` values besides ``html``.
FORMATS: tuple[str, ...] = ("graphml", "csv")
NODE_COLUMNS = ("id", "kind", "type", "label", "iri", "date", "details", "sources")
EDGE_COLUMNS = ("source", "target", "kind", "label", "modality", "date", "details", "sources",
                "events", "intensity", "level")


def _sources(attrs: dict) -> str:
    titles: list[str] = []
    for entry in attrs.get("provenance", []):
        for s in entry.get("sources", []):
            title = str(s.get("title") or s.get("url") or "")
            if title and title not in titles:
                titles.append(title)
    return "; ".join(titles)


def _flat(attrs: dict, names: tuple[str, ...]) -> dict:
    out = {}
    for name in names:
        if name == "details":
            value = "; ".join(f"{k}: {v}" for k, v in attrs.get("details", []))
        elif name == "sources":
            value = _sources(attrs)
        else:
            value = attrs.get(name)
        if value is None:
            value = ""
        out[name] = value if isinstance(value, (int, float)) else str(value)
    return neutralise_bidi(out)


def to_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``G`` (a projection) with plain string attributes, ready for GraphML or CSV."""
    H = nx.MultiDiGraph()
    for n, attrs in G.nodes(data=True):
        H.add_node(str(n), **_flat(attrs, NODE_COLUMNS[1:]))
    for u, v, attrs in G.edges(data=True):
        H.add_edge(str(u), str(v), **{k: x for k, x in _flat(attrs, EDGE_COLUMNS[2:]).items() if x != ""})
    return H


def overview_graph(ov: Overview) -> nx.MultiDiGraph:
    """The world overview as a graph: states, one edge per relationship (level, events, intensity)."""
    H = nx.MultiDiGraph()
    for s, a in ov.states.items():
        H.add_node(s, **neutralise_bidi({"kind": "state", "type": "state", "label": a["label"], "iri": s,
                                          "details": f"ISO code: {a['iso']}" if a["iso"] else "", "date": "", "sources": ""}))
    for r in ov.relationships:
        attrs = {"kind": "relationship", "label": r["label"], "level": r["level"], "events": r["events"],
                 "date": r["levels"][-1][1] if r["levels"] else "",
                 "details": "; ".join(f"level: {lv}" + (f" since {d}" if d else "") for lv, d in r["levels"])}
        if r["intensity"] is not None:
            attrs["intensity"] = r["intensity"]
        H.add_edge(r["a"], r["b"], key=r["id"], **neutralise_bidi(attrs))
    return H


def csv_paths(path: Path | str) -> tuple[Path, Path]:
    """Where ``--format csv -o path`` writes: ``<stem>-nodes.csv`` and ``<stem>-edges.csv`` beside it."""
    path = Path(path)
    stem = path.name[: -len(path.suffix)] if path.suffix.lower() == ".csv" else path.name
    return path.with_name(f"{stem}-nodes.csv"), path.with_name(f"{stem}-edges.csv")


def _csv(rows, columns) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_export(H: nx.MultiDiGraph, path: Path | str, fmt: str) -> list[Path]:
    """Write ``H`` (from :func:`to_graph` or :func:`overview_graph`) as ``fmt``; return the files written."""
    if fmt == "graphml":
        text = "\n".join(nx.generate_graphml(H, encoding="utf-8", prettyprint=True)) + "\n"
        return write_all_atomically([(Path(path), text)])
    if fmt == "csv":
        nodes = [dict(a, id=n) for n, a in H.nodes(data=True)]
        edges = [dict(a, source=u, target=v) for u, v, a in H.edges(data=True)]
        nodes_path, edges_path = csv_paths(path)
        return write_all_atomically([(nodes_path, _csv(nodes, NODE_COLUMNS)), (edges_path, _csv(edges, EDGE_COLUMNS))])
    raise BadValueError("format", fmt, "one of html, " + ", ".join(FORMATS))


def export_network(source, path: Path | str, fmt: str, focus: str | None = None, until=None, radius: int = 1,
                   view: str = "auto") -> list[Path]:
    """Export the network of ``source`` as ``fmt``: the projection (cut at ``until``, focused on
    ``focus``, as the page draws it), or with ``view="overview"`` the world overview."""
    from diplograph.overview import overview
    from diplograph.projection import as_of, parse_until, project
    from diplograph.projection import focus as focus_on
    from diplograph.viz import choose_view

    if fmt not in FORMATS:
        raise BadValueError("format", fmt, "one of html, " + ", ".join(FORMATS))
    if until is not None:
        parse_until(until)
    # An export is of the projection unless the overview is asked for by name.
    if view != "auto" and choose_view(source, view, focus, until) == "overview":
        return write_export(overview_graph(overview(source)), path, fmt)
    G = project(source)
    if until is not None:
        G = as_of(G, until)
    if focus is not None:
        G = focus_on(G, focus, radius)
    return write_export(to_graph(G), path, fmt)
