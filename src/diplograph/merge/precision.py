"""Precision is not contradiction: dates of one thing that agree at different precisions.

A source that knows only the year ("2024"^^xsd:gYear) and one that knows the day
("2024-07-03"^^xsd:date) agree: the day lies in the year. Two dates are *compatible* when they
are equal or one is the other at a coarser precision (year, year-month, day: each a prefix of the
next). Dates that are not compatible ("2024-07-03" and "2024-07-05"; "2023" and "2024-07-03")
disagree, and stay conflicts (:mod:`~diplograph.merge.conflicts`).

:func:`find_refinements` applies this to the single-valued dates of the merged graphs
(:data:`DATE_PREDICATES` on one node): when every value given for a node's date is compatible with
every other, the most precise one is the date of the merged view, and each coarser value is taken
out of the graph that gave it and recorded instead, with that graph, as a
:class:`~diplograph.merge.report.Refinement` (in the report and in ``graph/meta``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping

from rdflib import Literal, URIRef
from rdflib.term import Node

from diplograph.merge.report import Refinement
from diplograph.namespaces import DG, XSD
from diplograph.terms import shorten, term_key

__all__ = ["DATE_PREDICATES", "compatible", "date_parts", "find_refinements", "most_precise"]

#: Dates a node has at most one of (the shapes say so), whose precisions may differ between sources.
DATE_PREDICATES = frozenset({DG.date, DG.startDate, DG.endDate})
_PARTS = {XSD.gYear: 1, XSD.gYearMonth: 2, XSD.date: 3}
# year, month, day, then an optional time zone (left out: precision is about the calendar)
_LEXICAL = re.compile(r"(-?[0-9]{4,})(?:-([0-9]{2}))?(?:-([0-9]{2}))?(?:Z|[+-][0-9]{2}:[0-9]{2})?")


def date_parts(value: Node) -> tuple[str, ...] | None:
    """``("2024", "07", "03")`` for an xsd:date, fewer parts for a year-month or a year; None for
    anything else (a string, a malformed date)."""
    if not isinstance(value, Literal) or value.datatype not in _PARTS:
        return None
    found = _LEXICAL.fullmatch(str(value).strip())
    if found is None:
        return None
    parts = tuple(p for p in found.group(1, 2, 3) if p is not None)
    return parts if len(parts) == _PARTS[value.datatype] else None


def compatible(a: Node, b: Node) -> bool:
    """Equal, or one date the other at a coarser precision ("2024" and "2024-07-03")."""
    if a == b:
        return True
    pa, pb = date_parts(a), date_parts(b)
    if pa is None or pb is None:
        return False
    n = min(len(pa), len(pb))
    return pa[:n] == pb[:n]


def coarser(a: Node, b: Node) -> bool:
    """``a`` is ``b`` at a strictly coarser precision ("2024" is coarser than "2024-07")."""
    pa, pb = date_parts(a), date_parts(b)
    return pa is not None and pb is not None and len(pa) < len(pb) and pb[:len(pa)] == pa


def most_precise(values: Iterable[Node]) -> Node | None:
    """The most precise of ``values`` when all of them agree (each pair compatible), else None."""
    values = sorted(set(values), key=term_key)
    if not values:
        return None
    if any(not compatible(a, b) for i, a in enumerate(values) for b in values[i + 1:]):
        return None
    return max(values, key=lambda v: len(date_parts(v) or ()))


def find_refinements(
    facts_by_graph: Mapping[URIRef, Mapping[Node, Mapping[Node, set[Node]]]], files: Mapping[URIRef, str]
) -> tuple[list[Refinement], dict[URIRef, set[tuple]]]:
    """The refinements among the graphs' dates, and per graph the triples of the coarser values to take out.

    ``facts_by_graph``: graph -> node -> predicate -> values (what conflict detection reads).
    """
    by_node: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(set)))  # node -> prop -> value -> graphs
    for graph, facts in facts_by_graph.items():
        for node, props in facts.items():
            for prop in DATE_PREDICATES & props.keys():
                for value in props[prop]:
                    by_node[node][prop][value].add(graph)

    def where(graphs: Iterable[URIRef]) -> tuple[str, ...]:
        return tuple(sorted(f"{shorten(g)} ({files.get(g, '')})" for g in graphs))

    refinements: list[Refinement] = []
    drops: dict[URIRef, set[tuple]] = defaultdict(set)
    for node, props in by_node.items():
        for prop, by_value in props.items():
            if len(by_value) < 2:
                continue
            precise = most_precise(by_value)
            if precise is None:
                continue  # they disagree: a conflict, every value kept
            for value, graphs in by_value.items():
                if value == precise:
                    continue
                for g in graphs:
                    drops[g].add((node, prop, value))
                refinements.append(Refinement(node, prop, value, tuple(sorted(graphs, key=str)), where(graphs),
                                              precise, tuple(sorted(by_value[precise], key=str)),
                                              where(by_value[precise])))
    return sorted(refinements, key=Refinement.sort_key), dict(drops)
