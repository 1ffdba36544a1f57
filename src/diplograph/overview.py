"""The world overview: states as nodes, one edge per bilateral relationship, from SPARQL aggregates.

A dataset with many relationships (a synthetic world of 1M triples has about 2,400) cannot be
drawn as the full projection of :mod:`diplograph.projection`: tens of thousands of nodes, a page
of 70 MB, minutes to build in rdflib. :func:`overview` asks the store a handful of aggregate
queries instead (Oxigraph answers them in well under a second at 1M triples) and returns plain
data: no rdflib graph of the whole dataset is ever built.

- ``states``: every state that is a party to a relationship (label, ISO code, how many
  relationships it has: its degree);
- ``relationships``: one per ``dg:BilateralRelationship`` with exactly its two parties: the
  level history (``dg:level`` of each ``dg:RelationshipLevelStatus``, from ``dg:startDate``
  else ``dg:asOf``), the latest level, the number of machine-coded events
  (``dg:CodedEvent``) and their mean ``dg:eventIntensity``, and how many statements of each
  kind and modality are about it (what its detailed network is drawn from on the page).

Only asserted graphs are read (never ``graph/inferred``): every pattern sits in a ``GRAPH ?g``
limited to them, as the projection does, so the same answers come from every store.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from dataclasses import dataclass, field

from diplograph.projection import MODALITY_NAMES, first_day
from diplograph.queries import run_query
from diplograph.terms import best_label, iri_tail

__all__ = ["OVERVIEW_THRESHOLD", "Overview", "count_relationships", "overview"]

#: ``viz``/``build`` draw the world overview when the dataset has more bilateral relationships
#: than this; up to it, the detailed network (every person, event, statement) stays readable.
OVERVIEW_THRESHOLD = 12

_NEVER = _dt.date.min  # undated levels sort first

_PREFIXES = """PREFIX dg: <https://w3id.org/diplograph/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


@dataclass
class Overview:
    """What the overview page draws; plain data (str, int, float), ready for JSON."""

    states: dict[str, dict] = field(default_factory=dict)
    relationships: list[dict] = field(default_factory=list)
    levels: dict[str, str] = field(default_factory=dict)  # level IRI -> label


def _graphs(source) -> list[str] | None:
    names = getattr(source, "asserted_graphs", None)
    return None if names is None else [str(n) for n in names]


def _within(var: str, graphs: list[str] | None) -> str:
    """A FILTER keeping ``?var`` (a graph name) to the asserted graphs; "" for a plain graph."""
    if graphs is None:
        return ""
    return f"FILTER (?{var} IN ({', '.join(f'<{g}>' for g in graphs)}))"


def _in(var: str, pattern: str, graphs: list[str] | None) -> str:
    if graphs is None:
        return pattern
    return f"GRAPH ?{var} {{ {pattern} }} {_within(var, graphs)}"


def _rows(source, text: str) -> list[tuple]:
    return run_query(source, _PREFIXES + text).rows


def count_relationships(source) -> int:
    """How many bilateral relationships the asserted graphs hold (one aggregate query)."""
    g = _graphs(source)
    rows = _rows(source, f"SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE {{ {_in('g', '?r a dg:BilateralRelationship', g)} }}")
    return int(rows[0][0]) if rows and rows[0][0] is not None else 0


def _labels(source, g, subject_pattern: str) -> dict[str, str]:
    """``{node: label}`` for the nodes ``?x`` of ``subject_pattern`` (English, else untagged, else any)."""
    found: dict[str, list] = defaultdict(list)
    for x, label in _rows(source, f"""SELECT DISTINCT ?x ?label WHERE {{
        {subject_pattern}
        {_in('gl', '?x rdfs:label|skos:prefLabel ?label', g)} }}"""):
        found[str(x)].append(label)
    return {x: best_label(values) or iri_tail(x) for x, values in found.items()}


def overview(source) -> Overview:
    """The overview of ``source`` (a :class:`~diplograph.dataset.ProjectDataset` or an rdflib graph)."""
    g = _graphs(source)
    out = Overview()
    parties: dict[str, set] = defaultdict(set)
    for r, a in _rows(source, f"""SELECT DISTINCT ?r ?a WHERE {{
            {_in('g1', '?r a dg:BilateralRelationship', g)}
            {_in('g2', '?r dg:party ?a', g)} }}"""):
        parties[str(r)].add(str(a))
    pairs = {r: tuple(sorted(p)) for r, p in parties.items() if len(p) == 2}
    state_ids = sorted({s for pair in pairs.values() for s in pair})
    labels = _labels(source, g, _in("g1", "?r a dg:BilateralRelationship", g) + " " + _in("g2", "?r dg:party ?x", g))
    codes = {str(s): str(c) for s, c in _rows(source, f"""SELECT DISTINCT ?s ?c WHERE {{
        {_in('g1', '?r a dg:BilateralRelationship', g)} {_in('g2', '?r dg:party ?s', g)}
        {_in('g3', '?s dg:isoAlpha3 ?c', g)} }}""")}
    rel_labels = _labels(source, g, _in("g1", "?x a dg:BilateralRelationship", g))

    history: dict[str, list] = defaultdict(list)
    level_ids = set()
    for r, lv, start, as_of in _rows(source, f"""SELECT DISTINCT ?r ?lv ?start ?asof WHERE {{
            {_in('g', '?st a dg:RelationshipLevelStatus ; dg:relationship ?r ; dg:level ?lv . OPTIONAL { ?st dg:startDate ?start } OPTIONAL { ?st dg:asOf ?asof }', g)} }}"""):
        since = start if start is not None else as_of
        history[str(r)].append((str(lv), "" if since is None else str(since)))
        level_ids.add(str(lv))
    out.levels = _labels(source, g, "VALUES ?x { " + " ".join(f"<{x}>" for x in sorted(level_ids)) + " }") if level_ids else {}
    for lv in level_ids:
        out.levels.setdefault(lv, iri_tail(lv))

    coded: dict[str, tuple[int, float | None]] = {}
    for r, n, mean in _rows(source, f"""SELECT ?r (COUNT(DISTINCT ?e) AS ?n) (AVG(?i) AS ?mean) WHERE {{
            {_in('g', '?e a dg:CodedEvent ; dg:relationship ?r . OPTIONAL { ?e dg:eventIntensity ?i }', g)} }} GROUP BY ?r"""):
        coded[str(r)] = (int(n), None if mean is None else float(mean))

    kinds: dict[str, list] = defaultdict(list)
    for r, type_, modality, n in _rows(source, f"""SELECT ?r ?type ?m (COUNT(DISTINCT ?st) AS ?n) WHERE {{
            {_in('g', '?st dg:relationship ?r ; a ?type . OPTIONAL { ?st dg:modality ?m }', g)}
            FILTER (?type != dg:CodedEvent) }} GROUP BY ?r ?type ?m"""):
        kinds[str(r)].append((iri_tail(type_), MODALITY_NAMES.get(modality) or iri_tail(modality) if modality is not None else "", int(n)))

    degree: dict[str, int] = defaultdict(int)
    for r, (a, b) in sorted(pairs.items()):
        degree[a] += 1
        degree[b] += 1
        levels = sorted(history.get(r, []), key=lambda x: (first_day(x[1]) or _NEVER, x[1], x[0]))
        events, mean = coded.get(r, (0, None))
        out.relationships.append({
            "id": r, "a": a, "b": b, "label": rel_labels.get(r) or f"{labels.get(a, iri_tail(a))} – {labels.get(b, iri_tail(b))}",
            "levels": [[out.levels.get(lv, iri_tail(lv)), since] for lv, since in levels],
            "level": out.levels.get(levels[-1][0], "") if levels else "",
            "events": events, "intensity": None if mean is None else round(mean, 3),
            "statements": sorted(kinds.get(r, []), key=lambda k: (-k[2], k[0], k[1])),
        })
    for s in state_ids:
        out.states[s] = {"label": labels.get(s, iri_tail(s)), "iso": codes.get(s, ""), "degree": degree[s]}
    return out

