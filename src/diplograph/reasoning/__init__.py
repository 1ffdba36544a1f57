r"""OWL-RL reasoning: what the ontology's axioms add to the asserted graphs, without owlrl's noise.

:func:`infer` runs the OWL 2 RL closure on the asserted data plus the
ontology (plain rdflib ``Graph``\ s, or a working store for the fast engine)
and returns **only the new triples worth storing**. :func:`materialise` does
that for named graphs of a dataset and writes them into ``graph/inferred``;
inferred triples never go into an asserted named graph, so removing a source
still removes exactly its statements (the inferred graph is rebuilt).

What the ontology's axioms earn (measured on the seed, see the tests):

- inverses: ``dg:partyTo`` (of ``dg:party``), ``dg:participatedIn`` (of
  ``dg:participant``), ``dg:hasStatement`` (of ``dg:relationship``),
  ``dg:holderOf`` (of ``dg:holder``), ``dg:hasMembership`` (of ``org:member``);
- property chains: ``dg:holdsPost`` = ``dg:holderOf`` o ``dg:post``;
- one rule that is not OWL (:mod:`~diplograph.reasoning.participation`): ``dg:participatesIn``
  from the memberships whose status is in ``dg:ParticipationStatuses`` (member state, partner
  country), never from an application, observer status or dialogue partnership;
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

Inconsistencies are reported, not stored
----------------------------------------
When the data contradicts the ontology (an individual of two ``owl:disjointWith`` classes, a value
for a property an ``owl:maxCardinality 0`` restriction forbids), owlrl does not stop: it appends
``[] a err:ErrorMessage ; err:error "Disjoint classes … have a common individual …"`` to the
graph. Those blank nodes are not facts about the data, and fresh ones on every run; the filter
takes them out and lists the messages in :attr:`InferenceResult.inconsistencies` (the fast engine
writes the same messages), and ``diplograph infer`` / ``build`` print each as a warning.

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

Engines (:data:`ENGINES`, one interface, :class:`Reasoner`): ``"reference"`` (owlrl,
:mod:`~diplograph.reasoning.owlrl_engine`) and ``"fast"`` (the ontology's OWL 2 RL rules as
SPARQL updates on Oxigraph, :mod:`~diplograph.reasoning.fast_engine`, the same kept triples; it
refuses an ontology with an axiom it does not compile, naming it: :mod:`~diplograph.reasoning.fast_schema`).
Both return an :class:`~diplograph.reasoning.result.InferenceResult` filtered by the same
function, so they drop exactly the same noise.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Protocol

from rdflib import Dataset, Graph, URIRef

from diplograph.errors import UnknownEngineError
from diplograph.iris import graph_iri
from diplograph.reasoning.result import DROP_REASONS, InferenceResult
from diplograph.store import WorkingStore, add_graph, load_ntriples, plain_graph, remove_graph, working_store

__all__ = [
    "DROP_REASONS",
    "ENGINES",
    "InferenceResult",
    "Reasoner",
    "infer",
    "materialise",
    "reason_over",
    "reasoner",
    "store_inferred",
]

#: Reasoning engines: "reference" (owlrl; also called "owlrl") and "fast" (SPARQL rules on Oxigraph).
ENGINES: tuple[str, ...] = ("reference", "fast")
_ALIASES = {"owlrl": "reference"}


class Reasoner(Protocol):
    """One reasoning engine: ``infer(data, ontology)`` gives the new triples worth storing."""

    name: str

    def infer(self, data: Graph | WorkingStore, ontology: Graph) -> InferenceResult: ...


def reasoner(engine: str = "reference", *, prune: bool = True) -> Reasoner:
    """The engine called ``engine`` (see :data:`ENGINES`); an unknown name is an
    :class:`~diplograph.errors.UnknownEngineError`."""
    name = _ALIASES.get(engine, engine)
    if name == "reference":
        from diplograph.reasoning.owlrl_engine import OwlrlReasoner

        return OwlrlReasoner(prune=prune)
    if name == "fast":
        from diplograph.reasoning.fast_engine import FastReasoner

        return FastReasoner()
    raise UnknownEngineError("reasoning", engine, ENGINES)


def infer(asserted: Graph | WorkingStore, ontology: Graph, engine: str = "reference", prune: bool = True) -> InferenceResult:
    """Reason on ``asserted`` with ``ontology`` and return the new, non-noise triples (neither is changed)."""
    return reasoner(engine, prune=prune).infer(asserted, ontology)


def materialise(
    dataset: Dataset, data_graphs: Sequence[URIRef], engine: str = "reference", prune: bool = True
) -> InferenceResult:
    """Infer from the ontology and the named graphs ``data_graphs`` of ``dataset``; store it in ``graph/inferred``.

    Any previous ``graph/inferred`` is replaced (so rerunning gives the same dataset) and is not
    used as input. Asserted named graphs are left untouched. The fast engine reads a working
    store copied inside Oxigraph (no rdflib copy of the data); the reference engine plain graphs.
    """
    result = reason_over(dataset, data_graphs, engine, prune=prune)
    store_inferred(dataset, result)
    return result


def reason_over(
    dataset: Dataset, data_graphs: Sequence[URIRef], engine: str = "reference", prune: bool = True,
    working: WorkingStore | None = None, stop: threading.Event | None = None,
) -> InferenceResult:
    """What reasoning adds to the ontology and the named graphs ``data_graphs`` of ``dataset``; nothing is written.

    ``working``: for the fast engine, a working store holding exactly those graphs' triples (the
    one validation reads), whose default graph the reasoner only reads; else a copy is made.
    ``stop``: the fast engine stops between two rules once it is set
    (:class:`~diplograph.reasoning.fast_engine.ReasoningStopped`).
    """
    chosen = reasoner(engine, prune=prune)
    ontology = plain_graph(dataset, [graph_iri("ontology")])
    if chosen.name != "fast":
        data = plain_graph(dataset, data_graphs)
    else:
        data = working if working is not None else working_store(dataset, data_graphs)
        if stop is not None:
            return chosen.infer(data, ontology, stop=stop)
    return chosen.infer(data, ontology)


def store_inferred(dataset: Dataset, result: InferenceResult) -> None:
    """Replace ``graph/inferred`` of ``dataset`` with ``result``'s kept triples.

    On Oxigraph the fast engine's N-Triples (:attr:`InferenceResult.bulk`) are loaded as they are.
    """
    name = graph_iri("inferred")
    remove_graph(dataset, name)
    if result.bulk and all(load_ntriples(dataset, name, text) for text in result.bulk):
        add_graph(dataset, name, result.terms)
    else:
        add_graph(dataset, name, result.inferred)
