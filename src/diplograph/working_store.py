"""The working store of the fast engines: one pyoxigraph ``Store`` whose default graph holds the data.

The fast validator (:mod:`diplograph.fast_shacl`) and the fast reasoner (:mod:`diplograph.fast_rules`)
answer SPARQL on Oxigraph, over a single graph: Oxigraph answers a query whose default graph is
the union of several named graphs about twice as slowly as the same query on one graph (measured
at 1M triples: 12.5 s against 6.1 s for the compiled shapes), and copying the graphs into one
costs less than that (3 s at 1M). So the engines take a *working store*: a ``Store`` of their
own whose default graph holds data and ontology, which they may add to (the ontology, the
reasoner's conclusions) and throw away.

- :func:`store_of_graphs` copies rdflib ``Graph``\\ s into a new working store;
- :func:`store_of_dataset` copies named graphs of a dataset; for an Oxigraph-backed dataset
  (the ``memory`` and ``oxigraph`` stores) the copy happens inside Oxigraph, without turning
  every term into a Python object.

Terms move between the libraries with :func:`from_ox`: Oxigraph hands plain literals back as
``"x"^^xsd:string``, rdflib's parsers write them without a datatype, and RDF 1.1 says both are one
term, so results are given in rdflib's form.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

__all__ = ["add_to_store", "canonical_literals", "from_ox", "store_of_dataset", "store_of_graphs"]

_XSD_STRING = ox.NamedNode(str(XSD.string))


def store_of_graphs(*graphs: Graph | None) -> ox.Store:
    """A new in-memory working store whose default graph holds every triple of ``graphs``."""
    store = ox.Store()
    for graph in graphs:
        add_to_store(store, graph)
    return store


def add_to_store(store: ox.Store, graph: Graph | None) -> None:
    """Add the triples of an rdflib ``graph`` to the default graph of ``store``.

    One N-Triples serialisation, parsed by Oxigraph keeping blank node labels, so a blank node
    has the same label in both libraries.
    """
    if graph is None or not len(graph):
        return
    text = graph.serialize(format="nt", encoding="utf-8")
    store.bulk_extend(ox.parse(text, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=False, lenient=True))


def store_of_dataset(dataset: Dataset, names: Sequence[URIRef]) -> ox.Store:
    """A new working store holding the union of the named graphs ``names`` of ``dataset``.

    On an Oxigraph-backed dataset each graph is dumped and bulk-loaded by Oxigraph itself; on
    other stores (rdflib, a SPARQL endpoint) through :func:`diplograph.store.plain_graph`.
    """
    from diplograph.store import oxigraph_store, plain_graph

    source = oxigraph_store(dataset)
    if source is None:
        return store_of_graphs(plain_graph(dataset, names))
    store = ox.Store()
    for name in names:
        text = source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(name)))
        if text:
            store.bulk_extend(ox.parse(text, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=False))
    return store


def from_ox(term, plain: bool = True) -> Node | tuple:
    """An Oxigraph term as rdflib writes it: ``xsd:string`` literals become plain literals (with ``plain``).

    A quoted triple (RDF-star) becomes a tuple of terms, its ``xsd:string`` literals kept typed, as
    oxrdflib gives it.
    """
    kind = type(term)
    if kind is ox.NamedNode:
        return URIRef(term.value)
    if kind is ox.Literal:
        if term.language:
            return Literal(term.value, lang=term.language)
        if plain and term.datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=_datatype(term.datatype.value))
    if kind is ox.BlankNode:
        return BNode(term.value)
    if kind is ox.Triple:
        return tuple(from_ox(t, plain=False) for t in (term.subject, term.predicate, term.object))
    raise TypeError(f"unexpected Oxigraph term {term!r}")


_DATATYPES: dict[str, URIRef] = {}  # datatype IRIs met so far (usually a handful of xsd types), at most 1000


def _datatype(iri: str) -> URIRef:
    found = _DATATYPES.get(iri)
    if found is None:
        found = URIRef(iri)
        if len(_DATATYPES) < 1000:
            _DATATYPES[iri] = found
    return found


def canonical_literals(literals: Iterable[Literal]) -> dict[Literal, Literal]:
    """Map each literal to the form Oxigraph stores it in (``"01"^^xsd:integer`` -> ``"1"``)."""
    literals = list(dict.fromkeys(literals))
    if not literals:
        return {}
    graph = Graph()
    for i, lit in enumerate(literals):
        graph.add((URIRef(f"urn:x-k:{i}"), RDF.value, lit))
    back = {}
    for quad in store_of_graphs(graph):
        back[literals[int(quad.subject.value.rsplit(":", 1)[1])]] = from_ox(quad.object)
    return back
