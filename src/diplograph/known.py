"""What the dataset already knows about two states, for a new graph to reuse (``diplograph new``).

:func:`known_about` queries an assembled :class:`~diplograph.dataset.ProjectDataset` (every
source and reference graph) for the IRIs a graph about the relationship of two states should
reuse rather than mint again: the states, the posts in them (heads of state first) and who holds
them, the organisations both states have a membership of (with each one's status), and the
events already recorded that involve either state (directly, through a person of that state, or
through an event that took place during them). :mod:`diplograph.scaffold` writes them into the
scaffold as comments.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from diplograph import iris
from diplograph.queries import run_query
from diplograph.terms import best_label

__all__ = ["Known", "KnownEvent", "KnownOrganisation", "KnownPost", "known_about"]

_PREFIXES = """PREFIX dg: <https://w3id.org/diplograph/ns#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

_POSTS = _PREFIXES + """
SELECT DISTINCT ?state ?post ?head ?person WHERE {
  VALUES ?state { %s }
  ?post a dg:Post ; dg:postIn ?state .
  # A post accredited to a third state (China's chargé d'affaires in Azerbaijan, for a
  # China-Kazakhstan file) is not about this pair.
  FILTER NOT EXISTS { ?post dg:accreditedTo ?elsewhere FILTER(?elsewhere NOT IN (%s)) }
  BIND (EXISTS { ?post dg:role/skos:broader* dg:HeadOfState } AS ?head)
  OPTIONAL { ?holding dg:post ?post ; dg:holder ?person . }
}"""

_ORGANISATIONS = _PREFIXES + """
SELECT DISTINCT ?org ?ma ?sa ?mb ?sb WHERE {
  ?ma org:member %s ; org:organization ?org ; dg:membershipStatus ?sa .
  ?mb org:member %s ; org:organization ?org ; dg:membershipStatus ?sb .
}"""

# Coded events (ICEWS, GDELT imports) are left out: there may be millions, and nobody wrote them.
_EVENTS = _PREFIXES + """
SELECT DISTINCT ?event ?type ?date WHERE {
  VALUES ?state { %s }
  VALUES ?type { dg:Meeting dg:Summit dg:Visit dg:PressConference dg:DiplomaticEvent }
  ?event a ?type .
  FILTER NOT EXISTS { ?event a dg:CodedEvent }
  { ?event dg:hostState|dg:visitingState|dg:participant|dg:presidedBy ?state }
  UNION { ?event dg:participant|dg:visitor|dg:speaker ?who . ?who dg:affiliatedState ?state }
  UNION { ?part dg:partOfEvent+ ?event .
          ?part dg:participant|dg:visitor|dg:speaker ?who . ?who dg:affiliatedState ?state }
  OPTIONAL { ?event dg:date ?date }
}"""

_LABELS = _PREFIXES + """
SELECT ?s ?label WHERE { VALUES ?s { %s } ?s rdfs:label|skos:prefLabel ?label }"""


@dataclass(frozen=True)
class KnownPost:
    iri: URIRef
    label: str
    head_of_state: bool
    holders: tuple[tuple[URIRef, str], ...]  # (person, label)


@dataclass(frozen=True)
class KnownOrganisation:
    iri: URIRef
    label: str
    memberships: tuple[tuple[URIRef, str], ...]  # (membership, status label), state a first


@dataclass(frozen=True)
class KnownEvent:
    iri: URIRef
    label: str
    kind: str  # "dg:Summit"
    date: str  # as written, "" if none


@dataclass(frozen=True)
class Known:
    states: tuple[tuple[URIRef, str], ...]
    posts: tuple[KnownPost, ...]
    organisations: tuple[KnownOrganisation, ...]
    events: tuple[KnownEvent, ...]


def known_about(assembled, code_a: str, code_b: str) -> Known:
    """The dataset's states, posts and holders, shared organisations and events of ``code_a`` and ``code_b``."""
    a, b = iris.state(code_a), iris.state(code_b)
    posts = run_query(assembled, _POSTS % (f"{a.n3()} {b.n3()}", f"{a.n3()}, {b.n3()}")).rows
    orgs = run_query(assembled, _ORGANISATIONS % (a.n3(), b.n3())).rows
    events = run_query(assembled, _EVENTS % f"{a.n3()} {b.n3()}").rows
    named = {a, b}
    named |= {n for row in posts for n in row[1:] if isinstance(n, URIRef)}
    named |= {n for row in orgs for n in (row[0], row[2], row[4])}
    named |= {row[0] for row in events}
    labels = _labels(assembled, named)

    def label(node) -> str:
        return labels.get(node, "")

    by_post: dict[URIRef, tuple[bool, set]] = {}
    for _state, post, head, person in posts:
        entry = by_post.setdefault(post, (bool(head and head.toPython()), set()))
        if person is not None:
            entry[1].add(person)
    known_posts = sorted(
        (KnownPost(p, label(p), head, tuple(sorted(((h, label(h)) for h in holders), key=str)))
         for p, (head, holders) in by_post.items()),
        key=lambda k: (not k.head_of_state, str(k.iri)))
    known_orgs = sorted(
        {KnownOrganisation(o, label(o), ((ma, label(sa)), (mb, label(sb)))) for o, ma, sa, mb, sb in orgs},
        key=lambda k: str(k.iri))
    by_event: dict[URIRef, tuple[str, str]] = {}
    for event, kind, date in events:
        kind_name = "dg:" + str(kind).rsplit("#", 1)[-1]
        old = by_event.get(event)
        if old is None or old[0] == "dg:DiplomaticEvent":
            by_event[event] = (kind_name, str(date) if date is not None else "")
    known_events = sorted((KnownEvent(e, label(e), k, d) for e, (k, d) in by_event.items()),
                          key=lambda k: (k.date, str(k.iri)))
    return Known(((a, label(a)), (b, label(b))), tuple(known_posts), tuple(known_orgs), tuple(known_events))


def _labels(assembled, nodes: set) -> dict:
    if not nodes:
        return {}
    rows = run_query(assembled, _LABELS % " ".join(n.n3() for n in sorted(nodes, key=str))).rows
    found: dict = {}
    for s, value in rows:
        found.setdefault(s, []).append(value)
    return {s: best_label(values, "en") or "" for s, values in found.items()}
