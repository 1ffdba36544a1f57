"""The store layer: the only code that chooses, opens, fills and queries an RDF store.

A diplograph dataset is one ``rdflib.Dataset`` whose named graphs are the ontology, the shapes,
one graph per reference file and per source document, the merge metadata and (when asked) the
inferred triples; :func:`diplograph.dataset.assemble` fills one. Four stores can back it
(:data:`ALL_STORES`); a :class:`StoreSpec` names one with its location:

``memory`` (default)
    Oxigraph in memory (through oxrdflib). SPARQL is answered by Oxigraph directly
    (:func:`select`), which is fast and correct where rdflib's engine is not (OPTIONAL over a
    sub-select, rdflib issues #2610 and #2957).
``rdflib``
    rdflib's pure-Python in-memory store, the reference backend the query tests also run on.
``oxigraph``
    Oxigraph on disk (``StoreSpec(kind="oxigraph", db=PATH)``): a folder that keeps the data
    between commands. Only one process may open it for writing at a time (a RocksDB lock).
``sparql``
    Any SPARQL 1.1 server (``StoreSpec(kind="sparql", endpoint=URL)``): queries go over the
    SPARQL 1.1 Protocol (:mod:`diplograph.endpoint`: form-encoded, with credentials, answers
    checked for truncation); nothing is uploaded implicitly. The server's default graph must be the
    union of its named graphs (``oxigraph serve --union-default-graph``, as ``diplograph serve``
    starts it; Virtuoso and GraphDB do this by default).

Every kind is created with ``default_union=True``, so a query without ``GRAPH`` sees the union
of all named graphs. Oxigraph's union is a *multiset* (a triple asserted in two named graphs
matches twice), rdflib's a set: queries over the union use ``DISTINCT``.

pyshacl and owlrl run on plain rdflib graphs (:func:`plain_graph`): Oxigraph hands plain
literals back as ``"x"^^xsd:string``, which rdflib does not take as equal to ``"x"``, so
``sh:in ("a" "b")`` would report false violations on an Oxigraph-backed graph. The fast engines
read a :class:`WorkingStore` (:func:`working_store`).

Modules: :mod:`~diplograph.store.spec` (choosing), :mod:`~diplograph.store.oxigraph` (the only
module importing pyoxigraph or oxrdflib), :mod:`~diplograph.store.remote` (a SPARQL server as an
rdflib store).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

import rdflib.plugins.sparql
from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from diplograph.errors import UsageError
from diplograph.sparql_guard import dataset_clauses
from diplograph.store import oxigraph as _ox
from diplograph.store.oxigraph import (
    StagedCopy,
    Staging,
    WorkingStore,
    canonical_literals,
    parse_quads,
    query_form,
    syntax_error_location,
)
from diplograph.store.remote import EndpointStore, remote_triples
from diplograph.store.spec import ALL_STORES, DEFAULT_STORE, STORES, StoreSpec, store_spec
from diplograph.namespaces import PREFIXES
from diplograph.terms import bind_prefixes, plain

# rdflib's SPARQL engine downloads the IRI of every FROM / FROM NAMED graph by default (a request
# to any host a query names); diplograph's graphs are all loaded already, so it never may.
rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False

__all__ = [
    "ALL_STORES",
    "DEFAULT_STORE",
    "STORES",
    "EndpointStore",
    "StagedCopy",
    "Staging",
    "StoreSpec",
    "WorkingStore",
    "add_graph",
    "bulk_load",
    "canonical_literals",
    "flush",
    "graph_names",
    "distinct_triples_with",
    "graph_sizes",
    "is_oxigraph",
    "is_remote",
    "new_dataset",
    "parse_quads",
    "plain_graph",
    "query_form",
    "load_ntriples",
    "remove_graph",
    "select",
    "store_spec",
    "syntax_error_location",
    "working_store",
    "append_graphs",
    "as_stored",
    "write_graphs",
    "write_graphs_file",
]


def new_dataset(store: str | StoreSpec = DEFAULT_STORE) -> Dataset:
    """A dataset on ``store`` (a kind from :data:`ALL_STORES` or a :class:`StoreSpec`), prefixes bound.

    In-memory kinds start empty; ``oxigraph`` opens (or creates) the folder ``spec.db`` with
    whatever it holds; ``sparql`` checks that the server answers. Raises
    :class:`~diplograph.errors.StoreChoiceError` for an unknown or incomplete choice,
    :class:`~diplograph.errors.StoreLocationError` for a ``db`` that is not an Oxigraph database,
    :class:`~diplograph.errors.EndpointError` for a server that does not answer.
    """
    spec = store_spec(store)
    if spec.kind == "memory":
        dataset = _ox.memory_dataset()
    elif spec.kind == "rdflib":
        dataset = Dataset(store="default", default_union=True)
    elif spec.kind == "oxigraph":
        dataset = _ox.disk_dataset(spec.db)
    else:
        endpoint = spec.endpoint_urls()
        endpoint.ping()
        dataset = Dataset(store=EndpointStore(endpoint), default_union=True)
    return bind_prefixes(dataset)


def is_oxigraph(dataset: Dataset) -> bool:
    """True for a dataset on Oxigraph (the ``memory`` and ``oxigraph`` stores)."""
    return _ox.oxigraph_of(dataset) is not None


def is_remote(dataset: Dataset) -> bool:
    """True for a dataset on a SPARQL server."""
    return isinstance(dataset.store, EndpointStore)


def add_graph(dataset: Dataset, name: URIRef, graph: Iterable[tuple[Node, Node, Node]]) -> Graph:
    """Copy every triple of ``graph`` (an rdflib ``Graph`` or any iterable of triples) into the named graph ``name``.

    Triples already in that named graph stay. Returns the named graph.
    """
    target = dataset.graph(name)
    if not _ox.add_triples(dataset, name, graph):
        target.addN((s, p, o, target) for s, p, o in graph)
    return target


def as_stored(graph: Graph) -> Graph:
    """``graph`` as an Oxigraph dataset gives it back once it holds it (:func:`plain_graph` of
    :func:`add_graph`): Oxigraph keeps some literals in a canonical form ("2"^^xsd:nonNegativeInteger
    comes back as "2"^^xsd:integer), blank nodes keep their labels."""
    dataset, name = new_dataset("memory"), URIRef("urn:x-diplograph:as-stored")
    add_graph(dataset, name, graph)
    return plain_graph(dataset, [name])


def bulk_load(dataset: Dataset, path, name: URIRef) -> bool:
    """Parse a Turtle or N-Triples file straight into the empty named graph ``name`` when the store
    can (Oxigraph); False when the caller must read it itself (other stores, or a file Oxigraph refuses)."""
    return _ox.bulk_load(dataset, path, name)


def load_ntriples(dataset: Dataset, name: URIRef, text: bytes) -> bool:
    """Add N-Triples without blank nodes (Oxigraph would relabel them) to the named graph ``name``
    when the store is Oxigraph, without making rdflib terms; False on other stores (nothing added)."""
    return _ox.load_ntriples(dataset, name, text)


def remove_graph(dataset: Dataset, name: URIRef) -> None:
    """Drop the named graph ``name`` (nothing happens when it is not there)."""
    dataset.remove_graph(dataset.graph(name))


def flush(dataset: Dataset) -> None:
    """Make sure an on-disk store has written everything (other stores: nothing to do)."""
    _ox.flush(dataset)


def graph_names(dataset: Dataset) -> list[URIRef]:
    """The named graphs holding at least one triple, sorted."""
    if is_remote(dataset):
        return dataset.store.endpoint.named_graphs()
    return sorted(graph_sizes(dataset))


def distinct_triples_with(dataset: Dataset, working: WorkingStore, data_graphs: Sequence[URIRef]) -> int | None:
    """Distinct triples over every named graph, helped by a working store holding the union of
    ``data_graphs`` (:func:`diplograph.store.oxigraph.distinct_triples_with`); None: count another way."""
    return _ox.distinct_triples_with(dataset, working, data_graphs)


def graph_sizes(dataset: Dataset) -> dict[URIRef, int]:
    """Triples per non-empty named graph."""
    sizes = _ox.graph_sizes(dataset)
    if sizes is not None:
        return sizes
    if is_remote(dataset):
        from diplograph.endpoint import graph_triple_count

        return graph_triple_count(dataset.store.endpoint)
    return {
        g.identifier: len(g)
        for g in dataset.graphs()
        if isinstance(g.identifier, URIRef) and g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)
    }


def select(
    dataset: Graph, text: str, graphs: Sequence[URIRef] | None = None
) -> tuple[tuple[str, ...], list[tuple], bool | None]:
    """Answer a SELECT or ASK query: ``(columns, rows, boolean)``, rows of rdflib terms (None: unbound).

    Oxigraph-backed datasets are asked directly; others through rdflib (its own engine, or the
    server for a ``sparql`` store). ``xsd:string`` literals come back plain. ``graphs`` limits an
    Oxigraph dataset to those named graphs (an on-disk store may hold others). CONSTRUCT and
    DESCRIBE raise :class:`TypeError` naming the form; engines' syntax errors pass through.
    """
    direct = _ox.select(dataset, text, graphs)
    if direct is not None:
        return direct
    clauses = dataset_clauses(text) if isinstance(dataset, Dataset) and not is_remote(dataset) else None
    if clauses is not None:
        result = _with_own_dataset(dataset, text, *clauses)
    else:
        result = dataset.query(text)
    if result.type == "ASK":
        return (), [], bool(result.askAnswer)
    if result.type != "SELECT":
        raise TypeError(result.type)
    columns = tuple(str(v) for v in (result.vars or ()))
    return columns, [tuple(plain(row[i]) for i in range(len(columns))) for row in result], None


def _with_own_dataset(dataset: Dataset, text: str, from_graphs: Sequence[str], from_named: Sequence[str]):
    """Answer a query with ``FROM`` / ``FROM NAMED`` on rdflib exactly as SPARQL says: the default graph
    is the merge of the ``FROM`` graphs, the named graphs only the ``FROM NAMED`` ones.

    rdflib alone would keep every named graph visible to ``GRAPH`` (and, with its
    ``SPARQL_LOAD_GRAPHS`` on, try to download each ``FROM`` IRI), so the query runs on a dataset
    built for it, its dataset clauses taken out of the parsed query.
    """
    from rdflib.plugins.sparql import prepareQuery

    view = Dataset()
    for name in from_graphs:
        view.default_context += dataset.graph(URIRef(name))
    for name in from_named:
        named = view.graph(URIRef(name))
        named += dataset.graph(URIRef(name))
    prepared = prepareQuery(text, initNs=dict(dataset.namespaces()))
    prepared.algebra["datasetClause"] = None
    return view.query(prepared)


def plain_graph(dataset: Dataset, names: Iterable[URIRef] | None = None) -> Graph:
    """Copy the union of ``dataset``'s graphs (or only the ``names`` graphs) into a plain ``Graph``.

    This is the graph to give pyshacl and owlrl. Literals typed ``xsd:string`` are written as
    plain literals (:func:`diplograph.terms.plain`). On a ``sparql`` dataset each graph is
    fetched whole (:meth:`Endpoint.graph <diplograph.endpoint.Endpoint.graph>`: a ``CONSTRUCT``
    checked against the graph's ``COUNT``, read in pages when the server cut it). Raises :class:`~diplograph.errors.UsageError` for a name not
    in the dataset.
    """
    result = bind_prefixes(Graph())
    remote = dataset.store if is_remote(dataset) else None
    if names is None:
        if remote is not None:
            result += remote_triples(remote.endpoint, None)
            return result
        result += ((s, p, plain(o)) for s, p, o, _ in dataset.quads((None, None, None, None)))
        return result
    names = list(names)
    present = set(graph_names(dataset)) if remote else {g.identifier for g in dataset.graphs()}
    for name in names:
        if name not in present:
            raise UsageError(f"the dataset has no named graph <{name}>")
        if remote is not None:
            result += remote_triples(remote.endpoint, name)
        else:
            result += ((s, p, plain(o)) for s, p, o in dataset.graph(name))
    return result


def _prefix_iris() -> dict[str, str]:
    """The diplograph prefixes, as the dumps declare them."""
    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def write_graphs(dataset: Dataset, names: Sequence[URIRef], output: BinaryIO, fmt: str) -> None:
    """Write the named graphs ``names`` of ``dataset`` to the binary file ``output`` as ``fmt`` ("trig" or "nquads").

    On an Oxigraph dataset Oxigraph streams them (:func:`~diplograph.store.oxigraph.dump_graphs`);
    elsewhere they are copied into rdflib (literals typed ``xsd:string`` made plain) and
    serialised by it. Either way the file holds the same quads, with the diplograph prefixes.
    """
    prefixes = _prefix_iris()
    if _ox.dump_graphs(dataset, names, output, fmt, prefixes):
        return
    export = bind_prefixes(Dataset())
    for name in names:
        target = export.graph(name)
        target += plain_graph(dataset, [name])
    export.serialize(destination=output, format=fmt, encoding="utf-8")


def write_graphs_file(dataset: Dataset, names: Sequence[URIRef], path: Path, fmt: str) -> None:
    """:func:`write_graphs` into the file ``path`` (made, or replaced).

    When an Oxigraph dataset holds exactly the graphs ``names``, Oxigraph writes the file itself
    (:func:`~diplograph.store.oxigraph.dump_store`, the graphs in its own order), without taking
    turns with Python work for Python's lock: 2 s at 1M triples, run beside validation.
    """
    prefixes = _prefix_iris()
    if _ox.dump_store(dataset, names, path, fmt, prefixes):
        return
    with open(path, "wb") as output:
        write_graphs(dataset, names, output, fmt)


def append_graphs(dataset: Dataset, names: Sequence[URIRef], path: Path, fmt: str) -> None:
    """Add the named graphs ``names`` of ``dataset`` to the end of ``path``, a dump of other graphs
    in ``fmt`` that :func:`write_graphs_file` wrote: the file then holds the quads of one dump of
    them all, with one TriG prefix header.

    On Oxigraph each graph's triples are written by Oxigraph without Python's lock and made its
    quads as they are copied (:func:`~diplograph.store.oxigraph.append_graph`). ``build`` dumps
    the asserted graphs while the engines work, and adds ``graph/inferred`` at the end.
    """
    prefixes = _prefix_iris()
    more = path.with_name(path.name + ".more")
    try:
        for name in names:
            if _ox.dump_graph_triples(dataset, name, more, fmt, prefixes):
                with open(more, "rb") as triples, open(path, "ab") as output:
                    _ox.append_graph(output, triples, name, fmt)
                continue
            write_graphs_file(dataset, [name], more, fmt)
            with open(more, "rb") as earlier, open(path, "ab") as output:
                _ox.append_dump(output, earlier, fmt)
    finally:
        more.unlink(missing_ok=True)


def working_store(dataset: Dataset, names: Sequence[URIRef]) -> WorkingStore:
    """A new :class:`WorkingStore` holding the union of the named graphs ``names`` of ``dataset``.

    On an Oxigraph dataset the copy happens inside Oxigraph; on other stores through
    :func:`plain_graph`.
    """
    inside = WorkingStore.of_dataset(dataset, names)
    return inside if inside is not None else WorkingStore.of_graphs(plain_graph(dataset, names))
