"""What a reasoner returns, and the one filter both engines put their conclusions through.

See :mod:`diplograph.reasoning` for what is dropped, and why.
"""

from __future__ import annotations

import functools
import time
from collections import Counter
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from diplograph.reasoning.participation import PREDICATES as PARTICIPATION_PREDICATES

__all__ = [
    "BUILTIN_NAMESPACES",
    "DROP_REASONS",
    "OWLRL_ERRORS",
    "InferenceResult",
    "builtin",
    "keep_worth_storing",
    "mentioned_terms",
    "noise",
    "ontology_terms",
    "relevant",
    "SCHEMA_PREDICATES",
]

#: Reasons a triple a reasoner produced is not kept, in the order they are tested.
DROP_REASONS: tuple[str, ...] = (
    "reflexive-sameas",
    "literal-subject",
    "bnode-predicate",
    "builtin-subject",
    "schema",
    "builtin-type",
    "anonymous-type",
    "ontology-term",
)

#: The namespace of owlrl's error messages (``[] a err:ErrorMessage ; err:error "…"``), appended to
#: its output when the data contradicts the ontology (owlrl.Namespaces.ERRNS).
OWLRL_ERRORS = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")

BUILTIN_NAMESPACES: tuple[str, ...] = (str(RDF), str(RDFS), str(OWL), str(XSD))

#: Predicates of schema (TBox) statements.
SCHEMA_PREDICATES: frozenset[URIRef] = frozenset(
    {
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        RDFS.domain,
        RDFS.range,
        OWL.equivalentClass,
        OWL.equivalentProperty,
        OWL.inverseOf,
        OWL.disjointWith,
        OWL.propertyDisjointWith,
        OWL.complementOf,
        OWL.unionOf,
        OWL.intersectionOf,
        OWL.oneOf,
        OWL.onProperty,
        OWL.someValuesFrom,
        OWL.allValuesFrom,
        OWL.hasValue,
        OWL.propertyChainAxiom,
        OWL.hasKey,
    }
)


@dataclass(frozen=True)
class InferenceResult:
    """What reasoning added.

    ``inferred`` holds the kept triples only (none of them asserted), as a set of
    ``(subject, predicate, object)`` tuples of rdflib terms (a set, not a ``Graph``: building
    a ``Graph`` of 400,000 triples took longer than the fast reasoner's whole run). The fast
    engine hands over most of its conclusions without turning them into rdflib terms: ``terms``
    holds the kept triples it converted, ``bulk`` the rest as N-Triples texts (``bulk_count`` of them,
    IRIs only), which :func:`diplograph.reasoning.store_inferred` loads into an Oxigraph store as
    they are; ``inferred`` is the union of both, converted the first time it is read;
    ``seconds`` is the reasoner's time (pruning and filtering included);
    ``counts`` has ``asserted`` (triples given: data plus ontology),
    ``reasoner-input`` (after pruning), ``produced`` (new triples owlrl
    derived), ``kept``, ``same-as`` (non-reflexive ``owl:sameAs`` kept) and
    one entry per :data:`DROP_REASONS` reason, and ``inconsistencies``. ``same_as`` lists the
    non-reflexive ``owl:sameAs`` pairs, each once (sorted). ``inconsistencies`` holds owlrl's
    messages for contradictions between the data and the ontology (``Disjoint classes … have a
    common individual …``), sorted: reports, not facts, so they are neither kept nor counted as
    produced.
    """

    terms: frozenset[tuple[Node, Node, Node]]
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    same_as: tuple[tuple[URIRef, URIRef], ...] = ()
    engine: str = "owlrl"
    inconsistencies: tuple[str, ...] = ()
    bulk: tuple[bytes, ...] = ()
    bulk_count: int = 0

    @functools.cached_property
    def inferred(self) -> frozenset[tuple[Node, Node, Node]]:
        if not self.bulk:
            return self.terms
        from diplograph.store.oxigraph import ntriples

        return self.terms | frozenset(t for text in self.bulk for t in ntriples(text))

    @property
    def kept(self) -> int:
        return len(self.terms) + self.bulk_count

    @property
    def produced(self) -> int:
        return self.counts.get("produced", 0)

    @property
    def dropped(self) -> int:
        return sum(self.counts.get(r, 0) for r in DROP_REASONS)


def keep_worth_storing(
    candidates, ontology: Graph, *, engine: str, started: float, asserted: int, reasoner_input: int,
    bulk: tuple[bytes, ...] = (), bulk_count: int = 0,
) -> InferenceResult:
    """Sort a reasoner's new triples into kept and dropped (see "What is dropped" above).

    The result holds the kept triples, the non-reflexive owl:sameAs pairs among them (a modelling
    bug if any), owlrl's error messages (taken out of the triples), and counts: ``produced``, one per drop reason, ``kept``, ``asserted`` and
    ``reasoner-input``. Both engines use it, so they drop exactly the same noise. ``bulk`` holds
    ``bulk_count`` more new triples in N-Triples texts that the caller has already found to be kept
    (none is noise, none an ``owl:sameAs``): they are counted as produced and kept, and passed on.
    """
    counts: Counter[str] = Counter()
    described = ontology_terms(ontology)
    kept: set[tuple[Node, Node, Node]] = set()
    same_as: set[tuple[URIRef, URIRef]] = set()
    messages: set[str] = set()
    for triple in candidates:
        if isinstance(triple[0], BNode) and (triple[1] == OWLRL_ERRORS.error or triple[2] == OWLRL_ERRORS.ErrorMessage):
            if triple[1] == OWLRL_ERRORS.error:
                messages.add(str(triple[2]))
            continue
        counts["produced"] += 1
        reason = noise(triple, described)
        if reason:
            counts[reason] += 1
            continue
        s, p, o = triple
        if p == OWL.sameAs:
            same_as.add(tuple(sorted((s, o), key=str)))  # type: ignore[arg-type]
        kept.add(triple)
    inferred = frozenset(kept)
    counts["produced"] += bulk_count
    counts["asserted"] = asserted
    counts["reasoner-input"] = reasoner_input
    counts["kept"] = len(inferred) + bulk_count
    counts["same-as"] = len(same_as)
    counts["inconsistencies"] = len(messages)
    for reason in DROP_REASONS:
        counts.setdefault(reason, 0)
    return InferenceResult(
        terms=inferred,
        seconds=time.perf_counter() - started,
        counts=dict(counts),
        same_as=tuple(sorted(same_as, key=lambda pair: (str(pair[0]), str(pair[1])))),
        engine=engine,
        inconsistencies=tuple(sorted(messages)),
        bulk=bulk,
        bulk_count=bulk_count,
    )


def builtin(node: object) -> bool:
    """True for a term of RDF, RDFS, OWL or XSD."""
    return isinstance(node, URIRef) and str(node).startswith(BUILTIN_NAMESPACES)


def noise(triple: tuple, described: set) -> str | None:
    """The reason ``triple`` is not worth storing (see :data:`DROP_REASONS`), or None to keep it."""
    s, p, o = triple
    if p == OWL.sameAs and s == o:
        return "reflexive-sameas"
    if isinstance(s, Literal):
        return "literal-subject"
    if not isinstance(p, URIRef):
        return "bnode-predicate"
    if builtin(s):
        return "builtin-subject"
    if p in SCHEMA_PREDICATES:
        return "schema"
    if p == RDF.type and builtin(o):
        return "builtin-type"
    if p == RDF.type and isinstance(o, BNode):
        return "anonymous-type"
    if s in described:
        return "ontology-term"
    return None


def ontology_terms(ontology: Graph) -> set:
    """Subjects the ontology describes: classes, properties, concepts, the ontology itself."""
    return {s for s in ontology.subjects(unique=True) if isinstance(s, URIRef)}


def mentioned_terms(schema: Graph, asserted: Graph) -> tuple[set, set]:
    """Predicates that can be a rule premise: (with any object, with a literal object).

    The first set holds every term the ontology (or an axiom in the data)
    mentions. The second only those whose literal values can lead anywhere
    but to a triple about the literal (dropped as noise): predicates with a
    domain, a super-property, an equivalent, a restriction, or that are
    functional. A range alone types the literal, nothing else.
    """
    terms: set = set(PARTICIPATION_PREDICATES)  # premises of the one rule that is not an axiom
    for s, _p, o in schema:
        terms.add(s)
        terms.add(o)
    for s, p, o in asserted:
        if p != RDF.type and builtin(p):
            terms.add(s)
            terms.add(o)
        elif p == RDF.type and builtin(o):
            terms.add(s)
    axioms = Graph()
    axioms += schema
    axioms += ((s, p, o) for s, p, o in asserted if builtin(p) and (p != RDF.type or builtin(o)))
    literal: set = set()
    for p in (RDFS.domain, RDFS.subPropertyOf, OWL.equivalentProperty):
        literal.update(axioms.subjects(p, None))
    literal.update(axioms.objects(None, OWL.equivalentProperty))
    literal.update(axioms.objects(None, OWL.onProperty))
    for kind in (OWL.FunctionalProperty, OWL.InverseFunctionalProperty):
        literal.update(axioms.subjects(RDF.type, kind))
    return terms, literal


def relevant(triple: tuple, mentioned: tuple[set, set]) -> bool:
    """Can this asserted triple be the premise of an OWL-RL rule other than eq-ref?"""
    _s, p, o = triple
    if p == RDF.type or builtin(p):
        return True
    return p in mentioned[1] if isinstance(o, Literal) else p in mentioned[0]


