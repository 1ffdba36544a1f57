"""Conflicts: sources that give different values for a fact that has only one.

After rewriting, over every graph: two ``dg:date`` for the ``dg:RelationsEstablishment`` of one
relationship; two ``dg:value`` for one indicator type + relationship + period (+ unit, product,
direction, person, places); two ``dg:isoAlpha3`` or ``dg:wikidata`` on one entity; two values
of a functional property (``dg:value``, ``dg:modality``, ``dg:membershipStatus``) on one node;
two dates (``dg:date``, ``dg:startDate``, ``dg:endDate``) of one node that disagree. Dates that
agree at different precisions ("2024" and "2024-07-03") are no conflict
(:mod:`~diplograph.merge.precision`): the merge has already kept the precise one. Each is reported with every value and the graphs that say it; the merge keeps all values, each
in its own graph. Numbers equal as numbers (``3100000000`` and ``3.1E9``) are one value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from rdflib import Literal, URIRef
from rdflib.term import Node

from diplograph.merge.precision import DATE_PREDICATES, most_precise
from diplograph.merge.report import Conflict
from diplograph.namespaces import DG, RDF
from diplograph.terms import shorten, term_key, turtle

__all__ = ["FACT_PREDICATES", "FACT_TYPES", "RELATIONSHIP_OF", "find_conflicts"]

#: The predicates conflict detection reads (kept per graph while rewriting).
FACT_PREDICATES = frozenset({
    RDF.type, DG.relationship, DG.date, DG.value, DG.indicatorType, DG.periodStart, DG.periodEnd, DG.asOf,
    DG.unit, DG.product, DG.fromState, DG.toState, DG.aboutPerson, DG.connects, DG.isoAlpha3, DG.wikidata,
    DG.modality, DG.membershipStatus, DG.startDate, DG.endDate,
})
#: Of ``rdf:type`` and ``dg:relationship``, only what conflict detection and graph/meta look at
#: (the types they test; the relationship of a node of those types) need be read: every statement
#: has both, and reading them all was a third of the merge's time at 1M triples.
FACT_TYPES = frozenset({DG.RelationsEstablishment, DG.Indicator, DG.SourceDocument})
RELATIONSHIP_OF = frozenset({DG.RelationsEstablishment, DG.Indicator})
_FUNCTIONAL = (DG.value, DG.modality, DG.membershipStatus)
_IDENTIFIERS = (DG.isoAlpha3, DG.wikidata)
_INDICATOR_QUALIFIERS = (DG.unit, DG.product, DG.fromState, DG.toState, DG.aboutPerson, DG.connects)

Facts = Mapping[Node, Mapping[Node, set[Node]]]  # node -> predicate -> values, of one graph
_DATES = tuple(sorted(DATE_PREDICATES, key=str))


def find_conflicts(facts_by_graph: Mapping[URIRef, Facts], files: Mapping[URIRef, str]) -> list[Conflict]:
    """Every conflict among the graphs' facts (see the module docstring), sorted."""

    def src(g: URIRef) -> str:
        return f"{shorten(g)} ({files[g]})"

    merged: dict = {}  # node -> prop -> value -> graphs (plain dicts: 190,000 facts at 1M triples)
    for name, facts in facts_by_graph.items():
        for node, props in facts.items():
            by_prop = merged.get(node)
            if by_prop is None:
                by_prop = merged[node] = {}
            for p, values in props.items():
                by_value = by_prop.get(p)
                if by_value is None:
                    by_value = by_prop[p] = {}
                for v in values:
                    graphs = by_value.get(v)
                    if graphs is None:
                        by_value[v] = {name}
                    else:
                        graphs.add(name)
    conflicts: list[Conflict] = []

    def add(kind: str, subject: str, prop: URIRef, by_value: dict, nodes: Iterable[Node] = ()) -> None:
        conflicts.append(Conflict(kind, subject, prop, tuple(sorted(
            (value_text(v), tuple(sorted(src(g) for g in gs))) for v, gs in by_value.items())),
            tuple(sorted({shorten(n) for n in nodes}))))

    establishments: dict = defaultdict(lambda: defaultdict(set))
    est_nodes: dict = defaultdict(set)
    indicators: dict = defaultdict(lambda: defaultdict(set))
    ind_nodes: dict = defaultdict(set)
    type_, date, relationship, value, indicator_type = RDF.type, DG.date, DG.relationship, DG.value, DG.indicatorType
    establishment, indicator = DG.RelationsEstablishment, DG.Indicator
    periods = (DG.periodStart, DG.periodEnd, DG.asOf)
    for node, props in merged.items():
        types = props.get(type_, {})
        for prop in _IDENTIFIERS:
            if len(props.get(prop, ())) > 1:
                add("identifier", shorten(node), prop, props[prop], [node])
        for prop in _FUNCTIONAL:
            if len(props.get(prop, ())) < 2:  # one value cannot disagree (the common case: skip the grouping)
                continue
            values = _distinct_values(props[prop])
            if len(values) > 1:
                add("functional-property", shorten(node), prop, values, [node])
        for prop in _DATES:
            if len(props.get(prop, ())) > 1 and not (prop == date and establishment in types):
                add("date", shorten(node), prop, props[prop], [node])
        if establishment in types:
            for rel in props.get(relationship, {}):
                for d, gs in props.get(date, {}).items():
                    establishments[rel][d] |= gs
                est_nodes[rel].add(node)
        if indicator in types and len(props.get(value, ())) >= 1:
            period = tuple(frozenset(props.get(p, ())) for p in periods)
            if not any(period):
                continue
            qualifiers = None
            for rel in props.get(relationship, {}):
                for itype in props.get(indicator_type, {}):
                    if qualifiers is None:
                        qualifiers = tuple(frozenset(props.get(q, ())) for q in _INDICATOR_QUALIFIERS)
                    key = (rel, itype, period, qualifiers)
                    for v, gs in props[value].items():
                        indicators[key][v] |= gs
                    ind_nodes[key].add(node)
    for rel, by_date in establishments.items():
        if len(by_date) > 1 and most_precise(by_date) is None:  # "1992" and "1992-04-02" agree
            add("establishment-date", f"establishment of {shorten(rel)}", DG.date, by_date, est_nodes[rel])
    for key, by_value in indicators.items():
        values = _distinct_values(by_value)
        if len(values) > 1:
            rel, itype, period, _q = key
            when = " ".join(value_text(v) for part in period for v in sorted(part, key=str))
            add("indicator-value", f"{shorten(itype)} of {shorten(rel)} for {when}", DG.value, values, ind_nodes[key])
    return sorted(set(conflicts))


def value_text(v: Node) -> str:
    """A value as the report shows it: a literal in Turtle, an IRI shortened."""
    return turtle(v) if isinstance(v, Literal) else shorten(v)


def _distinct_values(by_value: Mapping[Node, set]) -> dict:
    """Group values equal as numbers (3100000000 and 3.1E9 are one value)."""
    out: dict = {}
    seen: dict = {}
    for v in sorted(by_value, key=term_key):
        py = v.toPython() if isinstance(v, Literal) else v
        k = py if isinstance(py, (int, float)) and not isinstance(py, bool) else v
        if k in seen:
            out[seen[k]] |= set(by_value[v])
        else:
            seen[k] = v
            out[v] = set(by_value[v])
    return out
