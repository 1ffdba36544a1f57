"""What the fast reasoner reads from an ontology before it compiles rules: names and refusals.

Two jobs, both done before any rule runs:

- **Naming anonymous class expressions.** SPARQL cannot name a blank node (a ``_:b`` in a query is
  a variable), so the rules could not say "every member of ``prov:Activity`` is a member of the
  union ``_:b``". :func:`skolemise` gives each blank node of the ontology an IRI of its own
  (:data:`SKOLEM`) inside the working store; :func:`unskolemise` turns conclusions back into the
  ontology's blank nodes, so they meet the same noise filter as owlrl's.
- **Refusing what is not compiled.** :func:`unhandled_axioms` lists every axiom of the ontology
  whose OWL 2 RL rules the fast reasoner does not implement, each named by its construct and the
  term it is about (``owl:someValuesFrom in a restriction on ex:p (rdfs:subClassOf of ex:C)``), so
  the reasoner refuses with :class:`~diplograph.errors.UnsupportedAxiomError` instead of giving an
  answer that differs from owlrl's.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

__all__ = ["SKOLEM", "UNSUPPORTED_PREDICATES", "UNSUPPORTED_TYPES", "UnhandledAxiom", "skolemise",
           "unhandled_axioms", "unskolemise"]

#: Prefix of the IRIs standing for the ontology's blank nodes inside the working store.
SKOLEM = "urn:x-diplograph:fast-rules:bnode:"

#: OWL terms (used as predicates) whose OWL 2 RL rules are not compiled.
UNSUPPORTED_PREDICATES: tuple[URIRef, ...] = (
    OWL.oneOf, OWL.maxQualifiedCardinality, OWL.complementOf,
    OWL.propertyDisjointWith, OWL.differentFrom, OWL.sourceIndividual, OWL.members, OWL.distinctMembers,
)
#: OWL classes whose instances are axioms (or properties) the rules do not cover.
UNSUPPORTED_TYPES: tuple[URIRef, ...] = (
    OWL.AllDifferent, OWL.AllDisjointClasses, OWL.AllDisjointProperties, OWL.AsymmetricProperty,
    OWL.IrreflexiveProperty, OWL.NegativePropertyAssertion,
)


@dataclass(frozen=True)
class UnhandledAxiom:
    """One axiom the fast reasoner refuses: its OWL ``construct``, the node it is on, and a readable name."""

    construct: URIRef
    subject: Node
    text: str

    def __str__(self) -> str:
        return self.text


def skolemise(graph: Graph) -> Graph:
    """A copy of ``graph`` with every blank node replaced by an IRI under :data:`SKOLEM`."""
    def name(term):
        return URIRef(SKOLEM + str(term)) if isinstance(term, BNode) else term

    out = Graph()
    out += ((name(s), p, name(o)) for s, p, o in graph)
    return out


def unskolemise(term: Node) -> Node:
    """The ontology's blank node for a :data:`SKOLEM` IRI; any other term unchanged."""
    if isinstance(term, URIRef) and term.startswith(SKOLEM):
        return BNode(term[len(SKOLEM):])
    return term


def unhandled_axioms(ontology: Graph) -> list[UnhandledAxiom]:
    """The axioms of ``ontology`` the fast reasoner's rules do not implement, sorted by name.

    ``owl:maxCardinality`` is compiled for 0 (an inconsistency report, like owlrl's) and for 2 or
    more (which OWL 2 RL draws nothing from); 1 would equate values and is refused. So are
    ``owl:someValuesFrom`` a datatype (owlrl types literals, the rules do not) and ``owl:hasValue``
    a literal (Oxigraph compares literals by value, owlrl by term).
    """
    found: dict[str, UnhandledAxiom] = {}

    def refuse(construct: URIRef, subject: Node, value: str = "") -> None:
        text = f"{_name(ontology, construct)}{value} {_where(ontology, subject)}"
        found.setdefault(text, UnhandledAxiom(construct, subject, text))

    for predicate in UNSUPPORTED_PREDICATES:
        for subject in ontology.subjects(predicate, None, unique=True):
            refuse(predicate, subject)
    for kind in UNSUPPORTED_TYPES:
        for subject in ontology.subjects(RDF.type, kind, unique=True):
            refuse(kind, subject)
    for subject, filler in ontology.subject_objects(OWL.someValuesFrom):
        # owlrl types literals with their datatype (cls-svf1 on a data range); the rules do not
        if isinstance(filler, URIRef) and str(filler).startswith(_BUILTIN) and filler != OWL.Thing:
            refuse(OWL.someValuesFrom, subject, f" {_name(ontology, filler)}")
    for subject, value in ontology.subject_objects(OWL.hasValue):
        if isinstance(value, Literal):  # Oxigraph matches literals by value where owlrl compares terms
            refuse(OWL.hasValue, subject, f" {value.n3(ontology.namespace_manager)}")
    for subject, bound in ontology.subject_objects(OWL.maxCardinality):
        if not (isinstance(bound, Literal) and isinstance(bound.toPython(), int) and bound.toPython() != 1):
            refuse(OWL.maxCardinality, subject, f" {bound}")
    return [found[k] for k in sorted(found)]


_BUILTIN = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
            "http://www.w3.org/2002/07/owl#", "http://www.w3.org/2001/XMLSchema#")


def _name(graph: Graph, term: Node) -> str:
    return term.n3(graph.namespace_manager) if isinstance(term, URIRef) else str(term)


def _where(graph: Graph, node: Node) -> str:
    """``on ex:p`` for a named term; for a blank node, which restriction it is and where it is used."""
    if not isinstance(node, BNode):
        return f"on {_name(graph, node)}"
    on = graph.value(node, OWL.onProperty)
    what = f"in a restriction on {_name(graph, on)}" if on is not None else "in an anonymous class"
    owner = _owner(graph, node)
    return f"{what} ({owner})" if owner else what


def _owner(graph: Graph, node: BNode) -> str:
    """``rdfs:subClassOf of ex:C``: the named term whose axiom holds ``node`` (through lists too), or ''."""
    seen: set = set()
    while isinstance(node, BNode) and node not in seen:
        seen.add(node)
        held = node
        cell = graph.value(predicate=RDF.first, object=node)
        if cell is not None:  # a member of a list (owl:unionOf, owl:intersectionOf): find its head
            while (before := graph.value(predicate=RDF.rest, object=cell)) is not None and before not in seen:
                seen.add(cell)
                cell = before
            held = cell
        users = sorted(((s, p) for s, p in graph.subject_predicates(held) if p not in (RDF.first, RDF.rest)), key=str)
        if not users:
            return ""
        subject, predicate = users[0]
        if isinstance(subject, URIRef):
            return f"{_name(graph, predicate)} of {_name(graph, subject)}"
        node = subject
    return ""
