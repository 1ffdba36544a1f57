"""Which kind of entity a node is: the one classification the network views share.

:func:`entity_kind` answers ``"state"``, ``"person"``, ``"organisation"``,
``"event"``, ``"relationship"`` or ``None`` (a statement node, a post, a
place, a sentence, a concept …) from the node's ``rdf:type`` in the graph.
Only asserted ``dg:`` classes are looked at, so the answer is the same with
or without inferred triples.
"""

from __future__ import annotations

from rdflib import Graph
from rdflib.term import Node

from diplograph.namespaces import DG, RDF

__all__ = ["CLASS_KINDS", "ENTITY_KINDS", "entity_kind"]

#: Entity kinds, in the order they are tried (a node with two types gets the first).
ENTITY_KINDS: tuple[str, ...] = ("state", "person", "organisation", "event", "relationship")

#: ``dg:`` class -> entity kind.
CLASS_KINDS = {
    DG.State: "state",
    DG.Person: "person",
    DG.InternationalOrganisation: "organisation",
    DG.PoliticalParty: "organisation",
    DG.GoverningBody: "organisation",
    DG.Institution: "organisation",
    DG.DiplomaticEvent: "event",
    DG.Meeting: "event",
    DG.Summit: "event",
    DG.Visit: "event",
    DG.PressConference: "event",
    DG.BilateralRelationship: "relationship",
}


def entity_kind(graph: Graph, node: Node) -> str | None:
    """The entity kind of ``node`` in ``graph`` (see :data:`ENTITY_KINDS`), or ``None``."""
    kinds = {CLASS_KINDS[t] for t in graph.objects(node, RDF.type) if t in CLASS_KINDS}
    for kind in ENTITY_KINDS:
        if kind in kinds:
            return kind
    return None
