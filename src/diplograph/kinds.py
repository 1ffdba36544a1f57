"""Which kind of thing a node is: the one classification of the ``dg:`` classes.

:data:`CLASSES` says, for every class an instance can be reconciled or drawn by:

- ``entity``: its kind in the network views (:mod:`diplograph.projection`,
  :mod:`diplograph.stats`): ``"state"``, ``"person"``, ``"organisation"``, ``"event"``,
  ``"relationship"``, or None for the things that are not drawn as nodes (statements, posts,
  places, sentences, …);
- ``identity``: what kind of thing it is for the merge (:mod:`diplograph.merge`): a node typed
  with two classes of different identity (a ``dg:Person`` and a ``dg:State``) is a type clash;
- ``name``: what a person calls an instance (``"international organisation"``, ``"meeting"``);
- ``slug``: for events, the type part of a minted event IRI (``press-conference``).

:func:`entity_kind` answers the entity kind of a node from its asserted ``rdf:type``\\ s, so the
answer is the same with or without inferred triples.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.term import Node

from diplograph.namespaces import DG, RDF

__all__ = [
    "CLASSES",
    "ENTITY_KINDS",
    "EVENT_CLASSES",
    "ORGANISATION_CLASSES",
    "STATEMENT_CLASSES",
    "ClassKind",
    "classes_of",
    "entity_kind",
]


@dataclass(frozen=True)
class ClassKind:
    """How one class is treated: see the module docstring."""

    identity: str
    name: str
    entity: str | None = None
    slug: str | None = None


#: Entity kinds, in the order they are tried (a node with two types gets the first).
ENTITY_KINDS: tuple[str, ...] = ("state", "person", "organisation", "event", "relationship")

#: Classes of organisation, with what to call each.
ORGANISATION_CLASSES: dict[URIRef, ClassKind] = {
    DG.InternationalOrganisation: ClassKind("organisation", "international organisation", "organisation"),
    DG.PoliticalParty: ClassKind("organisation", "political party", "organisation"),
    DG.GoverningBody: ClassKind("organisation", "governing body", "organisation"),
    # An institution (a university) is not one of the bodies above: never reconciled with them.
    DG.Institution: ClassKind("dg:Institution", "institution", "organisation"),
}

#: Classes of event; the general dg:DiplomaticEvent last.
EVENT_CLASSES: dict[URIRef, ClassKind] = {
    DG.Meeting: ClassKind("event", "meeting", "event", "meeting"),
    DG.Summit: ClassKind("event", "summit", "event", "summit"),
    DG.Visit: ClassKind("event", "visit", "event", "visit"),
    DG.PressConference: ClassKind("event", "press conference", "event", "press-conference"),
    DG.DiplomaticEvent: ClassKind("event", "event", "event", "event"),
}

#: The n-ary statement classes: a fact with a time, a status or a source.
STATEMENT_CLASSES: tuple[URIRef, ...] = tuple(DG[c] for c in (
    "PostHolding", "Membership", "RelationsEstablishment", "RelationshipLevelStatus", "Stance", "Commitment",
    "Policy", "Plan", "Projection", "CooperationArea", "Indicator", "Quote", "Assessment",
))

#: Every class diplograph reconciles or draws instances of.
CLASSES: dict[URIRef, ClassKind] = {
    DG.State: ClassKind("dg:State", "state", "state"),
    DG.Territory: ClassKind("dg:Territory", "territory"),
    DG.Person: ClassKind("dg:Person", "person", "person"),
    **ORGANISATION_CLASSES,
    **EVENT_CLASSES,
    DG.BilateralRelationship: ClassKind("dg:BilateralRelationship", "bilateral relationship", "relationship"),
    DG.UnnamedAuthor: ClassKind("dg:UnnamedAuthor", "unnamed author"),
    DG.Place: ClassKind("dg:Place", "place"),
    DG.Post: ClassKind("dg:Post", "post"),
    DG.SourceDocument: ClassKind("dg:SourceDocument", "source document"),
    DG.Sentence: ClassKind("dg:Sentence", "sentence"),
    DG.ReferenceSource: ClassKind("dg:ReferenceSource", "reference source"),
    **{c: ClassKind("statement", "statement") for c in STATEMENT_CLASSES},
}


def classes_of(entity: str) -> tuple[URIRef, ...]:
    """The classes whose instances are of ``entity`` kind (one of :data:`ENTITY_KINDS`)."""
    return tuple(c for c, k in CLASSES.items() if k.entity == entity)


def entity_kind(graph: Graph, node: Node) -> str | None:
    """The entity kind of ``node`` in ``graph`` (see :data:`ENTITY_KINDS`), or ``None``."""
    kinds = {CLASSES[t].entity for t in graph.objects(node, RDF.type) if t in CLASSES}
    for kind in ENTITY_KINDS:
        if kind in kinds:
            return kind
    return None
