"""OWL-RL reasoning: what the ontology's axioms add to the asserted graphs, without owlrl's noise.

:func:`infer` runs owlrl's OWL 2 RL closure on a plain rdflib ``Graph`` (the
asserted data plus the ontology; never on the Oxigraph-backed store, whose
``"x"^^xsd:string`` literals rdflib does not take as equal to ``"x"``) and
returns **only the new triples worth storing**. :func:`materialise` does that
for a loaded dataset and writes them into the named graph ``graph/inferred``;
inferred triples never go into an asserted named graph, so removing a source
still removes exactly its statements (the inferred graph is rebuilt).

What the ontology's axioms earn (measured on the seed, see the tests):

- inverses: ``dg:partyTo`` (of ``dg:party``), ``dg:participatedIn`` (of
  ``dg:participant``), ``dg:hasStatement`` (of ``dg:relationship``),
  ``dg:holderOf`` (of ``dg:holder``), ``dg:hasMembership`` (of ``org:member``);
- property chains: ``dg:holdsPost`` = ``dg:holderOf`` o ``dg:post``,
  ``dg:participatesIn`` = ``dg:hasMembership`` o ``org:organization``;
- sub-properties: ``dg:speaker``/``dg:visitor`` ⊑ ``dg:participant``
  ⊑ ``prov:wasAssociatedWith``, ``dg:evidence`` ⊑ ``prov:wasDerivedFrom``,
  ``dg:postIn`` ⊑ ``org:postIn``, ``dg:place`` ⊑ ``schema:location`` …;
- sub-classes: ``dg:Meeting`` ⊑ ``dg:DiplomaticEvent`` ⊑ ``schema:Event``,
  ``dg:State`` ⊑ ``schema:Country``, ``prov:Agent`` …; domains and ranges.

What is dropped, and why
------------------------
owlrl returns the whole closure; about two thirds of what it adds is noise.
Each dropped triple is counted under one reason (first match, in this order),
in :attr:`InferenceResult.counts`:

``reflexive-sameas``
    ``x owl:sameAs x`` for every resource (rule eq-ref): true of everything,
    says nothing, and was 55% of owlrl's output on the seed.
``literal-subject``
    Triples about literals (``"AZE" rdf:type xsd:string``): generalised RDF,
    not valid in TriG/N-Quads, and only restate the literal's datatype.
``bnode-predicate``
    Generalised RDF with a blank node as predicate (never on the seed).
``builtin-subject``
    Triples whose subject is a term of RDF, RDFS, OWL or XSD
    (``owl:Thing rdf:type owl:Class``, ``rdf:type rdfs:domain rdfs:Resource``):
    the axiomatic triples of the built-in vocabularies.
``schema``
    Re-derived schema (TBox) triples: ``rdfs:subClassOf``,
    ``rdfs:subPropertyOf``, ``rdfs:domain``, ``rdfs:range``,
    ``owl:equivalentClass``, ``owl:equivalentProperty``, ``owl:inverseOf``, …
    (``dg:Meeting rdfs:subClassOf dg:Meeting``, closures of the hierarchies).
    The ontology graph is the schema; the inferred graph holds facts about
    the data only.
``builtin-type``
    ``x rdf:type C`` where ``C`` is a built-in class (``owl:Thing``,
    ``rdfs:Resource``, ``owl:Class``, ``rdf:Property``,
    ``owl:ObjectProperty``, ``owl:NamedIndividual`` …): bookkeeping true of
    every resource of its sort.
``anonymous-type``
    ``x rdf:type _:b`` where ``_:b`` is an anonymous class expression of the
    ontology (the ``owl:Restriction`` on ``dg:BilateralRelationship``): the
    blank node means nothing outside the ontology graph.
``ontology-term``
    New triples about a term the ontology describes (a class, property or
    SKOS concept of ``dg:``): schema-level, not data.

Triples already asserted (in the data or the ontology) are never "new".
Non-reflexive ``owl:sameAs`` triples are **kept** and listed in
:attr:`InferenceResult.same_as`: they are real consequences of the axioms,
and each one is a modelling bug to explain (OWL-RL would copy every fact of
one node onto the other; the design reconciles duplicates by rewriting IRIs at
merge time, never by ``owl:sameAs``).

``owl:hasKey`` is not given to owlrl
------------------------------------
owlrl 7.6's rule prp-key compares only the first n-1 key properties (its loop
is ``range(0, len(keys) - 1)``). A one-property key such as
``dg:State owl:hasKey (dg:isoAlpha3)`` then makes **every** pair of states
``owl:sameAs``; a two-property key such as ``dg:Person owl:hasKey (foaf:name
dg:affiliatedState)`` equates people who merely share a name, and
``dg:Summit owl:hasKey (dg:summitOf dg:date)`` every two summits of one
organisation. On the seed (195 states) the run did not finish within ten
minutes. Correct prp-key would add nothing here anyway: IRIs are minted from
the keys, so equal keys already mean one IRI, and keys are for reconciling
graphs at merge time (DESIGN §2). So :func:`infer` removes ``owl:hasKey``
triples from its copy of the ontology.

Input pruning
-------------
Asserted triples whose predicate the ontology never mentions (``rdfs:label``,
``skos:exactMatch``, ``dcterms:title`` …) cannot
be the premise of any OWL-RL rule except eq-ref (reflexive ``owl:sameAs``,
dropped) and the ``owl:sameAs`` replacement rules. They are left out of the
reasoner's input (``prune=True``, the default), which makes owlrl several
times faster on the seed with the same kept triples (a test checks this).
The one thing pruning loses: if a non-reflexive ``owl:sameAs`` appears, the
pruned triples are not copied onto the alias; :attr:`InferenceResult.same_as`
reports the ``owl:sameAs`` itself.

Engines: ``"owlrl"`` only for now (:data:`ENGINES`). A faster engine (the Rust
``reasonable``) is the subject of a later issue.
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from dataclasses import dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from diplograph.errors import UsageError
from diplograph.iris import graph_iri
from diplograph.store import LoadedDataset, add_graph, plain_graph

__all__ = [
    "DROP_REASONS",
    "ENGINES",
    "InferenceResult",
    "infer",
    "materialise",
]

#: Reasoners :func:`infer` can run: "owlrl" (also called "reference") and "fast" (SPARQL rules on
#: Oxigraph, :mod:`diplograph.fast_rules`, the same kept triples).
ENGINES: tuple[str, ...] = ("owlrl", "reference", "fast")

#: Reasons a triple owlrl produced is not kept, in the order they are tested.
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

_BUILTIN_NAMESPACES: tuple[str, ...] = (str(RDF), str(RDFS), str(OWL), str(XSD))

#: Predicates of schema (TBox) statements.
_SCHEMA_PREDICATES: frozenset[URIRef] = frozenset(
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
    a ``Graph`` of 400,000 triples took longer than the fast reasoner's whole run);
    ``seconds`` is the reasoner's time (pruning and filtering included);
    ``counts`` has ``asserted`` (triples given: data plus ontology),
    ``reasoner-input`` (after pruning), ``produced`` (new triples owlrl
    derived), ``kept``, ``same-as`` (non-reflexive ``owl:sameAs`` kept) and
    one entry per :data:`DROP_REASONS` reason. ``same_as`` lists the
    non-reflexive ``owl:sameAs`` pairs, each once (sorted).
    """

    inferred: frozenset[tuple[Node, Node, Node]]
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)
    same_as: tuple[tuple[URIRef, URIRef], ...] = ()
    engine: str = "owlrl"

    @property
    def kept(self) -> int:
        return len(self.inferred)

    @property
    def produced(self) -> int:
        return self.counts.get("produced", 0)

    @property
    def dropped(self) -> int:
        return sum(self.counts.get(r, 0) for r in DROP_REASONS)


def infer(asserted: Graph, ontology: Graph, engine: str = "owlrl", prune: bool = True) -> InferenceResult:
    """Run OWL-RL on ``asserted`` with ``ontology`` and return the new, non-noise triples.

    Both must be plain rdflib ``Graph``\\ s (:func:`diplograph.store.plain_graph`).
    Neither is changed. See the module docstring for what is dropped.
    Raises :class:`~diplograph.errors.UsageError` for an unknown ``engine``.
    """
    if engine not in ENGINES:
        raise UsageError(f"unknown inference engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    if engine == "fast":
        from diplograph.fast_rules import infer_fast

        return infer_fast(asserted, ontology)
    engine = "owlrl"
    import owlrl  # import here: it is slow to import and only reasoning needs it

    started = time.perf_counter()
    schema = Graph()
    schema += (t for t in ontology if t[1] != OWL.hasKey)
    given: set = set(asserted) | set(ontology)
    work = Graph()
    work += schema
    relevant = _mentioned_terms(schema, asserted) if prune else None
    work += (t for t in asserted if relevant is None or _relevant(t, relevant))
    reasoner_input = len(work)
    before = set(work)
    with _rdflib_literal_conversions_kept():
        owlrl.DeductiveClosure(
            owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
        ).expand(work)

    return keep_worth_storing(
        (t for t in work if t not in before and t not in given),
        ontology,
        engine=engine,
        started=started,
        asserted=len(given),
        reasoner_input=reasoner_input,
    )


def keep_worth_storing(
    candidates, ontology: Graph, *, engine: str, started: float, asserted: int, reasoner_input: int
) -> InferenceResult:
    """Sort a reasoner's new triples into kept and dropped (see "What is dropped" above).

    The result holds the kept triples, the non-reflexive owl:sameAs pairs among them (a modelling
    bug if any), and counts: ``produced``, one per drop reason, ``kept``, ``asserted`` and
    ``reasoner-input``. Both engines use it, so they drop exactly the same noise.
    """
    counts: Counter[str] = Counter()
    ontology_terms = _ontology_terms(ontology)
    kept: set[tuple[Node, Node, Node]] = set()
    same_as: set[tuple[URIRef, URIRef]] = set()
    for triple in candidates:
        counts["produced"] += 1
        reason = _noise(triple, ontology_terms)
        if reason:
            counts[reason] += 1
            continue
        s, p, o = triple
        if p == OWL.sameAs:
            same_as.add(tuple(sorted((s, o), key=str)))  # type: ignore[arg-type]
        kept.add(triple)
    inferred = frozenset(kept)
    counts["asserted"] = asserted
    counts["reasoner-input"] = reasoner_input
    counts["kept"] = len(inferred)
    counts["same-as"] = len(same_as)
    for reason in DROP_REASONS:
        counts.setdefault(reason, 0)
    return InferenceResult(
        inferred=inferred,
        seconds=time.perf_counter() - started,
        counts=dict(counts),
        same_as=tuple(sorted(same_as, key=lambda pair: (str(pair[0]), str(pair[1])))),
        engine=engine,
    )


def materialise(loaded: LoadedDataset, engine: str = "reference", prune: bool = True) -> InferenceResult:
    """Infer from ``loaded``'s ontology, reference and source graphs; store the result in ``graph/inferred``.

    Any previous ``graph/inferred`` is replaced (so rerunning gives the same
    dataset) and is not used as input. The shapes graph is not reasoned on.
    Asserted named graphs are left untouched.
    """
    dataset = loaded.dataset
    target = graph_iri("inferred")
    data_names = loaded.graphs_of_kind("reference") + loaded.graphs_of_kind("source")
    ontology = plain_graph(dataset, [graph_iri("ontology")])
    if engine == "fast":  # a working store copied inside Oxigraph: no rdflib copy of the data
        from diplograph.fast_rules import infer_fast
        from diplograph.working_store import store_of_dataset

        result = infer_fast(store_of_dataset(dataset, data_names), ontology)
    else:
        result = infer(plain_graph(dataset, data_names), ontology, engine=engine, prune=prune)
    dataset.remove_graph(dataset.graph(target))
    add_graph(dataset, target, result.inferred)
    return result


# --- helpers -----------------------------------------------------------------


def _builtin(node: object) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(_BUILTIN_NAMESPACES)


def _noise(triple: tuple, ontology_terms: set) -> str | None:
    s, p, o = triple
    if p == OWL.sameAs and s == o:
        return "reflexive-sameas"
    if isinstance(s, Literal):
        return "literal-subject"
    if not isinstance(p, URIRef):
        return "bnode-predicate"
    if _builtin(s):
        return "builtin-subject"
    if p in _SCHEMA_PREDICATES:
        return "schema"
    if p == RDF.type and _builtin(o):
        return "builtin-type"
    if p == RDF.type and isinstance(o, BNode):
        return "anonymous-type"
    if s in ontology_terms:
        return "ontology-term"
    return None


def _ontology_terms(ontology: Graph) -> set:
    """Subjects the ontology describes: classes, properties, concepts, the ontology itself."""
    return {s for s in ontology.subjects(unique=True) if isinstance(s, URIRef)}


def _mentioned_terms(schema: Graph, asserted: Graph) -> tuple[set, set]:
    """Predicates that can be a rule premise: (with any object, with a literal object).

    The first set holds every term the ontology (or an axiom in the data)
    mentions. The second only those whose literal values can lead anywhere
    but to a triple about the literal (dropped as noise): predicates with a
    domain, a super-property, an equivalent, a restriction, or that are
    functional. A range alone types the literal, nothing else.
    """
    terms: set = set()
    for s, _p, o in schema:
        terms.add(s)
        terms.add(o)
    for s, p, o in asserted:
        if p != RDF.type and _builtin(p):
            terms.add(s)
            terms.add(o)
        elif p == RDF.type and _builtin(o):
            terms.add(s)
    axioms = Graph()
    axioms += schema
    axioms += ((s, p, o) for s, p, o in asserted if _builtin(p) and (p != RDF.type or _builtin(o)))
    literal: set = set()
    for p in (RDFS.domain, RDFS.subPropertyOf, OWL.equivalentProperty):
        literal.update(axioms.subjects(p, None))
    literal.update(axioms.objects(None, OWL.equivalentProperty))
    literal.update(axioms.objects(None, OWL.onProperty))
    for kind in (OWL.FunctionalProperty, OWL.InverseFunctionalProperty):
        literal.update(axioms.subjects(RDF.type, kind))
    return terms, literal


def _relevant(triple: tuple, mentioned: tuple[set, set]) -> bool:
    """Can this asserted triple be the premise of an OWL-RL rule other than eq-ref?"""
    _s, p, o = triple
    if p == RDF.type or _builtin(p):
        return True
    return p in mentioned[1] if isinstance(o, Literal) else p in mentioned[0]


@contextlib.contextmanager
def _rdflib_literal_conversions_kept():
    """Undo owlrl's change to rdflib's literal conversions when reasoning is done.

    owlrl swaps in its own lexical-to-Python table while it reasons and "restores" rdflib's
    afterwards by updating only the keys rdflib's table has, so entries such as xsd:gYear stay
    converted owlrl's way for the rest of the process. SHACL's sh:lessThanOrEquals then compares
    "2024"^^xsd:gYear with an xsd:date differently after a reasoning run than before it. Keep an
    exact copy and put it back.
    """
    from rdflib import term

    saved = dict(term._toPythonMapping)
    try:
        yield
    finally:
        term._toPythonMapping.clear()
        term._toPythonMapping.update(saved)
