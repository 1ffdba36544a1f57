"""Everything diplograph asks of Oxigraph: the only module that imports pyoxigraph or oxrdflib.

- Datasets on Oxigraph (:func:`memory_dataset`, :func:`disk_dataset`): an ``rdflib.Dataset``
  whose store is oxrdflib's, over a pyoxigraph ``Store`` this module created and keeps a
  reference to (:func:`oxigraph_of`), so no private attribute of oxrdflib is read.
- Files straight into a named graph with Oxigraph's parser (:func:`bulk_load`; in memory its transactional
  loader, faster and smaller there than its bulk loader).
- SPARQL straight to Oxigraph (:func:`select`), with the default graph and prefixes rdflib and
  oxrdflib would pass, each distinct term of the answer converted once.
- The syntax of queries and N-Triples files (:func:`query_form`, :func:`syntax_error_location`), and
  files parsed by Oxigraph's parser into rdflib terms (:func:`parse_quads`: it never recurses, so a
  file nested deeper than rdflib's parsers can follow is still read).
- :class:`WorkingStore`: the store the fast engines answer SPARQL on, whose default graph holds
  the data (Oxigraph answers a query over one graph about twice as fast as over a union of
  named graphs, measured at 1M triples: 6.1 s against 12.5 s for the compiled shapes).

Terms cross to rdflib with :func:`from_ox`: Oxigraph hands plain literals back as
``"x"^^xsd:string``, rdflib's parsers write them without a datatype, and RDF 1.1 says both are
one term, so results are given in rdflib's plain form.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, ConjunctiveGraph, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from diplograph.errors import StoreLocationError
from diplograph.sparql_guard import dataset_clauses, inspect_query, may_say_service
from diplograph.store.locks import LOCK_NAME, held_by_server

__all__ = [
    "WorkingStore",
    "bulk_load",
    "canonical_literals",
    "disk_dataset",
    "flush",
    "add_triples",
    "from_ox",
    "distinct_triples_with",
    "dump_graph_triples",
    "dump_graphs",
    "dump_store",
    "graph_sizes",
    "memory_dataset",
    "oxigraph_of",
    "parse_quads",
    "query_form",
    "select",
    "syntax_error_location",
]

_XSD_STRING = ox.NamedNode(str(XSD.string))
# Files RocksDB writes into every Oxigraph store folder.
_MARKERS = ("CURRENT", "IDENTITY")
#: Suffixes Oxigraph's bulk loader reads straight into a named graph.
BULK_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}


class _Store(OxigraphStore):
    """oxrdflib's store over a pyoxigraph ``Store`` that we keep a public handle on."""

    def __init__(self, inner: ox.Store, on_disk: bool = False) -> None:
        super().__init__(store=inner)
        self.oxigraph = inner
        self.on_disk = on_disk


def _parse_into(store: ox.Store, on_disk: bool = False, **args) -> None:
    """Parse a file or text into ``store`` (``args``: pyoxigraph's ``load``/``bulk_load`` arguments).

    A store in memory gets Oxigraph's transactional ``load``: at 1M triples 10-15% faster than
    its bulk loader, and 200 MB less at the peak (the bulk loader's buffers). A database on disk
    gets the bulk loader, which is made for it.
    """
    (store.bulk_load if on_disk else store.load)(**args)


def _on_disk(dataset: Graph) -> bool:
    return getattr(getattr(dataset, "store", None), "on_disk", False)


# --- datasets on Oxigraph --------------------------------------------------------------


def memory_dataset() -> Dataset:
    """A new dataset on Oxigraph in memory; a query without ``GRAPH`` sees the union of named graphs."""
    return Dataset(store=_Store(ox.Store()), default_union=True)


def disk_dataset(path: Path | str, *, create: bool = True, read_only: bool = False) -> Dataset:
    """A dataset on the Oxigraph database in folder ``path`` (created, with its parents, if missing).

    Raises :class:`~diplograph.errors.StoreLocationError` when ``path`` is a file, a folder of
    something else, or a database another process holds open for writing.
    """
    return Dataset(store=_Store(_open(Path(path), create=create, read_only=read_only), on_disk=True), default_union=True)


def _open(path: Path, *, create: bool, read_only: bool) -> ox.Store:
    if path.exists() and not path.is_dir():
        raise StoreLocationError(path, "is a file, not an Oxigraph database folder")
    if path.is_dir() and any(p.name != LOCK_NAME for p in path.iterdir()) and not all(
        (path / m).is_file() for m in _MARKERS
    ):
        raise StoreLocationError(path, "is a folder of other files, not an Oxigraph database; give a new or empty folder")
    if not read_only and held_by_server(path):
        raise StoreLocationError(path, "is in use by another process", in_use=True)
    if not path.exists():
        if not create:
            raise StoreLocationError(path, "no such Oxigraph database folder")
        path.mkdir(parents=True)
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise StoreLocationError(path, "is in use by another process", in_use=True) from None
        raise StoreLocationError(path, f"cannot open as an Oxigraph database: {exc}") from None


def oxigraph_of(dataset: Graph) -> ox.Store | None:
    """The pyoxigraph ``Store`` under a dataset this module made, else None."""
    store = getattr(dataset, "store", None)
    return store.oxigraph if isinstance(store, _Store) else None


def flush(dataset: Graph) -> None:
    """Write what an on-disk store holds in memory to disk (nothing for other stores)."""
    inner = oxigraph_of(dataset)
    if inner is not None:
        inner.flush()


def bulk_load(dataset: Dataset, path: Path, graph: URIRef) -> bool:
    """Parse ``path`` (Turtle or N-Triples) with Oxigraph straight into the empty named graph ``graph``.

    Returns False, leaving the graph empty, when Oxigraph cannot or will not read it (a syntax
    error, an empty file, another format): the caller then reads it with rdflib, whose typed
    errors name the file and line.
    """
    inner = oxigraph_of(dataset)
    suffix = path.suffix.lower()
    if inner is None or suffix not in BULK_FORMATS:
        return False
    name = ox.NamedNode(str(graph))
    try:
        _parse_into(inner, _on_disk(dataset), path=str(path), format=BULK_FORMATS[suffix],
                    base_iri=path.resolve().as_uri(), to_graph=name)
        if next(iter(inner.quads_for_pattern(None, None, None, name)), None) is not None:
            return True
    except (SyntaxError, ValueError, OSError):
        pass
    inner.clear_graph(name)
    return False


def load_ntriples(dataset: Dataset, graph: URIRef, text: bytes) -> bool:
    """Load N-Triples into the named graph ``graph`` of an Oxigraph dataset; False on other stores."""
    inner = oxigraph_of(dataset)
    if inner is None:
        return False
    _parse_into(inner, _on_disk(dataset), input=text, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(graph)))
    return True


def add_triples(dataset: Dataset, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> bool:
    """Add rdflib triples to a named graph of an Oxigraph dataset in one bulk call; False on other stores."""
    inner = oxigraph_of(dataset)
    if inner is None:
        return False
    name = ox.NamedNode(str(graph))
    inner.extend(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), name) for s, p, o in triples)
    return True


def graph_sizes(dataset: Dataset) -> dict[URIRef, int] | None:
    """Triples per non-empty named graph of an Oxigraph dataset (None on other stores)."""
    inner = oxigraph_of(dataset)
    if inner is None:
        return None
    rows = inner.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {URIRef(row["g"].value): int(row["n"].value) for row in rows if isinstance(row["g"], ox.NamedNode)}


def distinct_triples_with(dataset: Dataset, working: WorkingStore, data_graphs: Sequence[URIRef],
                          limit: int = 100_000) -> int | None:
    """Distinct triples over every named graph of an Oxigraph dataset, counted with the help of
    ``working``, a working store holding exactly the union of its graphs ``data_graphs``: its size,
    plus the triples of the other graphs (ontology, shapes, metadata) it does not hold. A SPARQL
    ``DISTINCT`` over the dataset hashes every triple again (3 s at 1M triples); this reads only
    the small graphs. None (count another way) on other stores, when the dataset's default graph
    holds triples, or when the other graphs hold more than ``limit``.
    """
    inner = oxigraph_of(dataset)
    if inner is None or next(iter(inner.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
        return None
    data = {ox.NamedNode(str(g)) for g in data_graphs}
    others: set[tuple] = set()
    for graph in inner.named_graphs():
        if graph in data:
            continue
        for quad in inner.quads_for_pattern(None, None, None, graph):
            others.add((quad.subject, quad.predicate, quad.object))
            if len(others) > limit:
                return None
    default = ox.DefaultGraph()
    held = working._store
    return working.default_size() + sum(1 for s, p, o in others if ox.Quad(s, p, o, default) not in held)


#: File formats :func:`dump_graphs` writes, by their rdflib names.
DUMP_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


def dump_graphs(dataset: Dataset, names: Sequence[URIRef], output, fmt: str,
                prefixes: dict[str, str] | None = None) -> bool:
    """Write the named graphs ``names`` of an Oxigraph dataset, in that order, to the binary file
    ``output`` as ``fmt`` ("trig" or "nquads"); False, writing nothing, on other stores.

    Oxigraph streams the quads from its indexes to its serialiser: at 1M triples this takes
    seconds, where copying into rdflib and serialising there took minutes and gigabytes.
    Literals typed ``xsd:string`` come out as plain literals, as RDF 1.1 writes them.
    """
    inner = oxigraph_of(dataset)
    if inner is None:
        return False
    quads = (q for name in names for q in inner.quads_for_pattern(None, None, None, ox.NamedNode(str(name))))
    ox.serialize(quads, output, DUMP_FORMATS[fmt], prefixes=prefixes if fmt == "trig" else None)
    return True


def dump_store(dataset: Dataset, names: Sequence[URIRef], path: Path | str, fmt: str,
               prefixes: dict[str, str] | None = None) -> bool:
    """Have Oxigraph write every graph of an Oxigraph dataset to the file ``path`` as ``fmt``, in
    its own order of the graphs; False, writing nothing, unless the graphs holding triples are
    exactly ``names`` and the default graph is empty (or on other stores).

    No Python term stands between Oxigraph's indexes and the file, so the dump never waits for
    Python's lock: beside Python work on the other core (``build`` dumps while it validates) it
    takes its own time, where :func:`dump_graphs` took turns with that work for the lock.
    """
    inner = oxigraph_of(dataset)
    if inner is None or _graph_holds(inner, ox.DefaultGraph()):
        return False
    held = {g.value for g in inner.named_graphs() if _graph_holds(inner, g)}
    if held != {str(n) for n in names}:
        return False
    inner.dump(str(path), DUMP_FORMATS[fmt], prefixes=prefixes if fmt == "trig" else None)
    return True


def dump_graph_triples(dataset: Dataset, graph: URIRef, path: Path | str, fmt: str,
                       prefixes: dict[str, str] | None = None) -> bool:
    """Have Oxigraph write the triples of the named graph ``graph`` of an Oxigraph dataset to the
    file ``path``, without Python's lock (:func:`dump_store`): as N-Triples for ``fmt`` "nquads",
    as TriG of the default graph (prefixed) for "trig". :func:`append_graph` makes them the
    graph's quads. False, writing nothing, on other stores."""
    inner = oxigraph_of(dataset)
    if inner is None:
        return False
    kind = ox.RdfFormat.N_TRIPLES if fmt == "nquads" else DUMP_FORMATS[fmt]
    inner.dump(str(path), kind, from_graph=ox.NamedNode(str(graph)), prefixes=prefixes if fmt == "trig" else None)
    return True


def append_graph(output, triples, graph: URIRef, fmt: str) -> None:
    """Copy ``triples`` (a binary file :func:`dump_graph_triples` wrote of ``graph``, in ``fmt``)
    to the end of ``output`` as the quads of ``graph``, without the TriG prefix header.

    N-Quads: each line gets the graph's name before its closing " ." (a line of N-Triples is one
    triple, and no term holds a line break: the first " .\n" of a line is its end). TriG: the
    triples, statements of the same grammar inside a graph's block, are put in one.
    """
    name = ox.NamedNode(str(graph))  # refuses what is not an IRI
    if fmt == "trig":
        _skip_prefixes(triples)
        chunk = triples.read(_CHUNK_BYTES)
        if not chunk:
            return  # no triple: no block
        output.write(f"{name} {{\n".encode())
        while chunk:
            output.write(chunk)
            chunk = triples.read(_CHUNK_BYTES)
        output.write(b"}\n")
        return
    end = f" {name} .\n".encode()
    rest = b""
    while chunk := triples.read(_CHUNK_BYTES):
        chunk = rest + chunk
        cut = chunk.rfind(b"\n") + 1
        output.write(chunk[:cut].replace(b" .\n", end))
        rest = chunk[cut:]
    if rest:
        raise ValueError(f"not N-Triples, one triple a line: {rest[:60]!r}")


_CHUNK_BYTES = 1 << 20


def _skip_prefixes(dump) -> None:
    """Read past the prefix lines a TriG dump starts with (one per line: IRIs hold no line break)."""
    while True:
        start = dump.tell()
        if not dump.readline().startswith(b"@prefix "):
            dump.seek(start)
            return


def _graph_holds(store: ox.Store, graph) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, graph)), None) is not None


def append_dump(output, earlier, fmt: str) -> None:
    """Copy ``earlier`` (a binary file holding a dump in ``fmt``, with the same prefixes) to the end
    of ``output``, which holds a dump of other graphs.

    The result holds the quads of one dump of all those graphs: the serialiser writes each graph on
    its own (its block, in TriG), so only the second TriG prefix header, the same lines again, is left out.
    """
    if fmt == "trig":
        _skip_prefixes(earlier)
    shutil.copyfileobj(earlier, output, _CHUNK_BYTES)


# --- SPARQL ------------------------------------------------------------------------------


def select(
    dataset: Graph, text: str, graphs: Sequence[URIRef] | None = None
) -> tuple[tuple[str, ...], list[tuple], bool | None] | None:
    """Answer ``text`` on an Oxigraph dataset directly: ``(columns, rows, boolean)``, or None on other stores.

    The options reproduce ``Graph.query`` handing the query to oxrdflib: a ``default_union``
    dataset (every diplograph dataset) queries the union of the named graphs, another dataset its
    default graph, a plain graph its own named graph; the graph's bound namespaces are
    predeclared prefixes (a query's own ``PREFIX`` lines win). With ``graphs``, the query sees
    only those named graphs (as its default graph and for ``GRAPH``). A query's own ``FROM`` /
    ``FROM NAMED`` clauses replace both (within ``graphs``), as SPARQL says. CONSTRUCT and DESCRIBE raise
    :class:`TypeError`; syntax errors raise pyoxigraph's ``SyntaxError`` ("error at L:C: …").
    """
    inner = oxigraph_of(dataset)
    if inner is None:
        return None
    clauses = dataset_clauses(text)
    if clauses is not None:  # the query's own FROM / FROM NAMED, within the graphs it may see
        visible = None if graphs is None else {str(g) for g in graphs}
        from_graphs, from_named = ([ox.NamedNode(g) for g in names if visible is None or g in visible]
                                   for names in clauses)
        options: dict = {"default_graph": from_graphs, "named_graphs": from_named}
    elif graphs is not None:
        names = [ox.NamedNode(str(g)) for g in graphs]
        options = {"default_graph": names, "named_graphs": names}
    elif dataset.default_union:
        options = {"use_default_graph_as_union": True}
    else:
        if isinstance(dataset, Dataset):
            name = dataset.default_graph.identifier
        elif isinstance(dataset, ConjunctiveGraph):
            name = dataset.default_context.identifier
        else:
            name = dataset.identifier
        options = {"default_graph": _graph_name(name)}
    options["prefixes"] = {prefix: str(namespace) for prefix, namespace in dataset.namespaces()}
    # Never a local of this frame: a parse above (dataset_clauses) may leave a reference cycle that
    # holds this frame, and pyoxigraph lets only the thread that made a result free it.
    return _read_answer(inner.query(text, **options))


def _read_answer(answer) -> tuple[tuple[str, ...], list[tuple], bool | None]:
    if isinstance(answer, ox.QueryBoolean):
        return (), [], bool(answer)
    if not isinstance(answer, ox.QuerySolutions):
        raise TypeError("CONSTRUCT")
    columns = tuple(v.value for v in answer.variables)
    if not columns:  # rdflib drops every solution of a query projecting no variable (an empty binding)
        return (), [], None
    return columns, _converted_rows(answer), None


def _converted_rows(answer: Iterable) -> list[tuple]:
    """Rows of rdflib terms, each distinct term converted once (answers repeat IRIs and labels)."""
    seen: dict = {None: None}
    rows = []
    append = rows.append
    for solution in answer:
        row = []
        for term in solution:
            try:
                row.append(seen[term])
            except KeyError:
                converted = seen[term] = from_ox(term)
                row.append(converted)
        append(tuple(row))
    return rows


def query_form(text: str) -> tuple[str, tuple[str, ...] | None]:
    """Parse ``text`` with Oxigraph (no prefixes predeclared): ``("SELECT", variables)``, ``("ASK", None)``
    or ``("CONSTRUCT", None)`` (also for DESCRIBE). A syntax error raises ``SyntaxError``.

    Oxigraph evaluates a query to parse it (on an empty store here), and evaluating ``SERVICE``
    means fetching its URL, so a query holding one (by :mod:`diplograph.sparql_guard`'s parse)
    is not given to Oxigraph: its form is rdflib's, its variables unknown (None). Text that
    cannot say ``SERVICE`` (:func:`~diplograph.sparql_guard.may_say_service`) is not parsed twice.
    """
    found = None
    if may_say_service(text):
        try:
            found = inspect_query(text)
        except Exception:  # noqa: BLE001 - Oxigraph's own parser words the syntax error below
            found = None
    if found is not None and found.services:
        return ("SELECT" if found.form == "SELECT" else "ASK" if found.form == "ASK" else "CONSTRUCT"), None
    solutions = ox.Store().query(text)
    if isinstance(solutions, ox.QuerySolutions):
        return "SELECT", tuple(v.value for v in solutions.variables)
    if isinstance(solutions, ox.QueryBoolean):
        return "ASK", None
    return "CONSTRUCT", None


_OX_FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
               "turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG}


def syntax_error_location(text: str, fmt: str) -> tuple[int | None, str] | None:
    """Where an N-Triples, N-Quads, Turtle or TriG file (``nt``, ``nquads``, ``turtle``, ``trig``)
    breaks, by Oxigraph's parser: (line, reason), else None."""
    if fmt not in _OX_FORMATS:
        return None
    try:
        for _ in ox.parse(text.encode("utf-8"), _OX_FORMATS[fmt]):
            pass
    except SyntaxError as exc:
        detail = re.sub(r"^Parser error at line \d+ (column \d+|between columns \d+ and \d+): ", "", str(exc))
        detail = re.sub(r" \((?:[^()]*, )?line \d+\)$", "", detail)
        return exc.lineno, f"bad syntax: {detail}"
    return None


#: rdflib's parser names -> the formats Oxigraph parses them as.
_PARSE_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "trig": ox.RdfFormat.TRIG,
                  "nquads": ox.RdfFormat.N_QUADS, "json-ld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}


def parse_quads(text: str, fmt: str, base_iri: str) -> list[tuple[Node, Node, Node, Node | None]]:
    """Parse ``text`` (``fmt``: an rdflib parser name) with Oxigraph: ``(s, p, o, graph)`` as rdflib terms,
    ``graph`` None for the default graph. Oxigraph's parsers keep their own stack, so any nesting
    depth is read (rdflib's Turtle parser recurses: 150 nested blank nodes exceed Python's limit).

    Raises ``SyntaxError`` (``lineno`` set) for bad syntax, ``ValueError`` for a format Oxigraph
    does not parse or an RDF 1.2 triple term rdflib cannot hold.
    """
    if fmt not in _PARSE_FORMATS:
        raise ValueError(f"Oxigraph does not parse {fmt}")
    seen: dict = {}

    def term(t):
        found = seen.get(t)
        if found is None:
            found = seen[t] = from_ox(t)
            if isinstance(found, tuple):
                raise ValueError("an RDF 1.2 triple term")
        return found

    return [(term(q.subject), term(q.predicate), term(q.object),
             None if isinstance(q.graph_name, ox.DefaultGraph) else term(q.graph_name))
            for q in ox.parse(text, format=_PARSE_FORMATS[fmt], base_iri=base_iri)]


# --- terms ----------------------------------------------------------------------------


def ntriples(text: bytes) -> Iterator[tuple[Node, Node, Node]]:
    """The triples of N-Triples ``text`` as rdflib terms, blank node labels kept."""
    for t in ox.parse(text, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=False):
        yield from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)


def from_ox(term, plain: bool = True) -> Node | tuple:
    """An Oxigraph term as rdflib writes it: ``xsd:string`` literals become plain literals (with ``plain``).

    A quoted triple (RDF-star) becomes a tuple of terms, its ``xsd:string`` literals kept typed,
    as oxrdflib gives it.
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


def _to_ox(term: Node):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot give Oxigraph the term {term!r}")


def _graph_name(name: Node):
    if name == DATASET_DEFAULT_GRAPH_ID:
        return ox.DefaultGraph()
    if isinstance(name, BNode):
        return ox.BlankNode(str(name))
    return ox.NamedNode(str(name))


def _holds(path: str, needle: bytes) -> bool:
    """Whether the file at ``path`` holds ``needle`` (read a few megabytes at a time)."""
    with open(path, "rb") as handle:
        tail = b""
        while chunk := handle.read(1 << 23):
            if needle in tail + chunk[: len(needle) - 1] or needle in chunk:
                return True
            tail = chunk[-(len(needle) - 1):]
    return False


def canonical_literals(literals: Iterable[Literal]) -> dict[Literal, Literal]:
    """Map each literal to the form Oxigraph stores it in (``"01"^^xsd:integer`` -> ``"1"``)."""
    literals = list(dict.fromkeys(literals))
    if not literals:
        return {}
    store = WorkingStore()
    store.add_triples((URIRef(f"urn:x-k:{i}"), RDF.value, lit) for i, lit in enumerate(literals))
    back = {}
    for s, _p, o in store.triples():
        back[literals[int(str(s).rsplit(":", 1)[1])]] = o
    return back


# --- the fast engines' working store ----------------------------------------------------------


class WorkingStore:
    """A pyoxigraph store of the fast engines' own: the data in its default graph.

    The engines read it with SPARQL (:meth:`select`, :meth:`ask`), alone or with some of its
    named graphs (:meth:`view`, :meth:`with_graph`), add named graphs of their own to it
    (:meth:`update`, :meth:`add_graph`) and throw it away. Neither engine writes the default
    graph, so the validator and the reasoner can read one store at once. Results come as rdflib
    terms (:func:`from_ox`).
    Build one with :meth:`of_graphs` (copies rdflib graphs) or :meth:`of_dataset` (copies named
    graphs of a dataset; on an Oxigraph dataset the copy happens inside Oxigraph, without
    turning every term into a Python object: 3 s at 1M triples against 6–10 s through rdflib).
    """

    def __init__(self) -> None:
        self._store = ox.Store()

    @classmethod
    def of_graphs(cls, *graphs: Graph | None) -> WorkingStore:
        store = cls()
        for graph in graphs:
            store.add_graph(graph)
        return store

    @classmethod
    def of_dataset(cls, dataset: Dataset, names: Sequence[URIRef]) -> WorkingStore | None:
        """The union of the named graphs ``names`` of an Oxigraph dataset; None for other stores."""
        source = oxigraph_of(dataset)
        if source is None:
            return None
        return cls.of_store(source, names)

    @classmethod
    def of_store(cls, source: ox.Store, names: Sequence[URIRef]) -> WorkingStore:
        """The union of the named graphs ``names`` of an Oxigraph store, copied in that order.

        Each graph goes through an N-Triples file in a temporary folder, not a bytes object: the
        text of a large graph (200 MB at 1M triples) would otherwise be in memory beside both stores.
        """
        store = cls()
        with tempfile.TemporaryDirectory(prefix="diplograph-copy-") as folder:
            path = os.path.join(folder, "graph.nt")
            for name in names:
                source.dump(path, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(name)))
                store._load_dump(path)
        return store

    def _load_dump(self, path: str) -> None:
        """Add the triples of an N-Triples file Oxigraph wrote, blank node labels kept."""
        if not os.path.getsize(path):
            return
        if _holds(path, b"_:"):  # blank nodes (or the two characters in a literal): keep their labels
            self._store.bulk_extend(ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=False))
        else:  # Oxigraph's loader relabels blank nodes, and is twice as fast as making quads in Python
            _parse_into(self._store, path=path, format=ox.RdfFormat.N_TRIPLES, lenient=True)

    @classmethod
    def of_files(cls, *paths: Path | str) -> WorkingStore:
        """The triples of Turtle / N-Triples files, parsed by Oxigraph's bulk loader."""
        store = cls()
        for path in map(Path, paths):
            _parse_into(store._store, path=str(path), format=BULK_FORMATS[path.suffix.lower()],
                        base_iri=path.resolve().as_uri())
        return store

    def __len__(self) -> int:
        return len(self._store)

    def add_graph(self, graph: Graph | None, into: str | None = None) -> None:
        """Add an rdflib graph's triples to the default graph, or to the named graph ``into``
        (blank node labels kept, as in rdflib)."""
        if graph is None or not len(graph):
            return
        quads = _parsed(graph)
        self._store.bulk_extend(quads if into is None else _in_graph(quads, into))

    def default_size(self) -> int:
        """How many triples the default graph holds (``len`` counts the named graphs' too)."""
        return int(next(iter(self._store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))[0].value)

    def view(self, graphs: list[str]) -> StoreView:
        """This store read as its default graph merged with the named graphs ``graphs`` (a list the
        caller may extend later: the view reads it at each query)."""
        return StoreView(self, graphs)

    @contextmanager
    def with_graph(self, graph: Graph | None) -> Iterator[StoreView]:
        """This store read with an rdflib graph's triples added, for the time of the ``with`` block:
        a view (:meth:`view`) of the default graph and a named graph holding the graph's triples
        that the default graph does not (so that no solution comes twice), dropped afterwards. The
        default graph is never written: another engine may read it meanwhile (the reasoner
        beside validation), and the next engine need not copy the data again (3 s at 1M triples)."""
        name = f"{_WITH_GRAPH}{next(_with_graph_numbers)}"
        if graph is not None and len(graph):
            self._store.extend(_in_graph((q for q in _parsed(graph) if q not in self._store), name))
        try:
            yield self.view([name])
        finally:
            self._store.update(f"DROP SILENT GRAPH <{name}>")

    def add_triples(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        self._store.extend(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), ox.DefaultGraph()) for s, p, o in triples)

    def select(self, query: str, union: Sequence[str] = ()) -> Iterator[dict[str, Node | None]]:
        """The solutions of a SELECT query, each a dict of variable -> rdflib term (or None).

        ``union``: named graphs read, with the default graph, as the query's default graph (they
        must share no triple with it or with each other, or solutions come twice)."""
        answer = self._store.query(query, **_union_options(union))
        names = [v.value for v in answer.variables]
        seen: dict = {None: None}
        for solution in answer:
            row = {}
            for name, term in zip(names, solution, strict=True):
                try:
                    row[name] = seen[term]
                except KeyError:
                    row[name] = seen[term] = from_ox(term)
            yield row

    def ask(self, query: str, union: Sequence[str] = ()) -> bool:
        return bool(self._store.query(query, **_union_options(union)))

    @contextmanager
    def graph_lines(self, graph: str) -> Iterator[BinaryIO]:
        """The named graph ``graph`` in N-Triples as Oxigraph writes it (one triple a line, no
        rdflib terms), as a binary file open for reading in a temporary folder that is deleted
        afterwards. Oxigraph writes it without Python's lock, and its text is never whole in
        memory (77 MB at 1M triples)."""
        with tempfile.TemporaryDirectory(prefix="diplograph-graph-") as folder:
            path = os.path.join(folder, "graph.nt")
            self._store.dump(path, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
            with open(path, "rb") as lines:
                yield lines

    def update(self, text: str) -> None:
        self._store.update(text)

    def triples(self, graph: str | None = None) -> list[tuple[Node, Node, Node]]:
        """The triples of the default graph (or of the named graph ``graph``) as rdflib terms."""
        name = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        cache: dict = {}

        def term(t):
            found = cache.get(t)
            if found is None:
                found = cache[t] = from_ox(t)
            return found

        return [(term(q.subject), term(q.predicate), term(q.object))
                for q in self._store.quads_for_pattern(None, None, None, name)]

    def objects(self, subject: Node, predicate: URIRef, union: Sequence[str] | None = None) -> list[Node]:
        """The objects of ``subject`` for ``predicate`` in any graph (or in the default graph and
        the named graphs ``union``), as rdflib terms."""
        s, p = _to_ox(subject), _to_ox(predicate)
        if union is None:
            return [from_ox(q.object) for q in self._store.quads_for_pattern(s, p, None)]
        graphs = [ox.DefaultGraph(), *(ox.NamedNode(g) for g in union)]
        return [from_ox(q.object) for g in graphs for q in self._store.quads_for_pattern(s, p, None, g)]

    def to_graph(self) -> Graph:
        """The default graph as a plain rdflib ``Graph`` (for handing shapes over to pyshacl)."""
        graph = Graph()
        graph += self.triples()
        return graph


#: The named graphs :meth:`WorkingStore.with_graph` adds (a number each: two blocks may be open at once).
_WITH_GRAPH = "urn:x-diplograph:with-graph:"
_with_graph_numbers = itertools.count(1)


def _parsed(graph: Graph) -> Iterator[ox.Quad]:
    """An rdflib graph's triples as default-graph quads, blank node labels kept (as in rdflib)."""
    text = graph.serialize(format="nt", encoding="utf-8")
    return ox.parse(text, format=ox.RdfFormat.N_TRIPLES, rename_blank_nodes=False, lenient=True)


def _in_graph(quads: Iterable[ox.Quad], graph: str) -> Iterator[ox.Quad]:
    name = ox.NamedNode(graph)
    return (ox.Quad(q.subject, q.predicate, q.object, name) for q in quads)


def _union_options(union: Sequence[str]) -> dict:
    return {"default_graph": [ox.DefaultGraph(), *(ox.NamedNode(g) for g in union)]} if union else {}


class StoreView:
    """A :class:`WorkingStore` read as its default graph merged with some of its named graphs
    (:meth:`WorkingStore.view`): what one engine sees while another reads the same store."""

    def __init__(self, store: WorkingStore, graphs: list[str]) -> None:
        self.store, self.graphs = store, graphs

    def select(self, query: str) -> Iterator[dict[str, Node | None]]:
        return self.store.select(query, self.graphs)

    def ask(self, query: str) -> bool:
        return self.store.ask(query, self.graphs)

    def objects(self, subject: Node, predicate: URIRef) -> list[Node]:
        return self.store.objects(subject, predicate, self.graphs)

    def to_graph(self) -> Graph:
        """What the view reads, as a plain rdflib ``Graph`` (for handing shapes over to pyshacl)."""
        graph = self.store.to_graph()
        for name in self.graphs:
            graph += self.store.triples(name)
        return graph


# --- staging a merge inside Oxigraph ------------------------------------------------------------

#: Quad formats a staged file may be in (their graphs are kept; the default graph gets a name).
QUAD_FORMATS = {".trig": ox.RdfFormat.TRIG, ".nq": ox.RdfFormat.N_QUADS}


class Staging:
    """An Oxigraph store in memory where the merge assembles its named graphs before they are kept.

    Files are parsed by Oxigraph's loader straight into named graphs (:meth:`load_file`), read
    back selectively with SPARQL (:meth:`select`: only the few predicates reconciliation needs),
    changed with SPARQL updates (:meth:`update`) and quads (:meth:`replace`), and finally handed
    over: as the store of a new memory dataset (:meth:`as_dataset`, no copy) or copied into
    another Oxigraph dataset (:meth:`copy_into`).
    """

    def __init__(self) -> None:
        self._store = ox.Store()

    @staticmethod
    def parse(path: Path, default_graph: URIRef) -> Staging | None:
        """Parse one file into a staging store of its own: a triple file into ``default_graph``, a
        quad file into its own graphs (its default graph into ``default_graph``). None when
        Oxigraph cannot or will not read it (the rdflib reader then says what is wrong)."""
        suffix = path.suffix.lower()
        scratch = Staging()
        try:
            if suffix in BULK_FORMATS:
                _parse_into(scratch._store, path=str(path), format=BULK_FORMATS[suffix],
                            base_iri=path.resolve().as_uri(), to_graph=ox.NamedNode(str(default_graph)))
            elif suffix in QUAD_FORMATS:
                _parse_into(scratch._store, path=str(path), format=QUAD_FORMATS[suffix], base_iri=path.resolve().as_uri())
                if next(iter(scratch._store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
                    scratch._store.update(f"MOVE DEFAULT TO GRAPH <{default_graph}>")
            else:
                return None
        except (SyntaxError, ValueError, OSError):
            return None
        graphs = list(scratch._store.named_graphs())
        if not len(scratch._store) or not all(isinstance(g, ox.NamedNode) for g in graphs):
            return None  # empty, or a blank-node graph name
        return scratch

    def load_triples(self, path: Path, graph: URIRef) -> bool:
        """Parse a triple file (Turtle, N-Triples) straight into the new named graph ``graph``: no
        copy from a store of its own (which took 6 s of a 1M-triple build). False, with nothing
        left behind, when Oxigraph cannot or will not read it, or it holds no triple."""
        fmt = BULK_FORMATS.get(path.suffix.lower())
        if fmt is None:
            return False
        name = ox.NamedNode(str(graph))
        try:
            _parse_into(self._store, path=str(path), format=fmt, base_iri=path.resolve().as_uri(), to_graph=name)
        except (SyntaxError, ValueError, OSError):
            self.drop(graph)
            return False
        if next(iter(self._store.quads_for_pattern(None, None, None, name)), None) is None:
            self.drop(graph)
            return False
        return True

    def names(self) -> list[URIRef]:
        """The named graphs holding a triple, sorted."""
        return sorted(URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)
                      and next(iter(self._store.quads_for_pattern(None, None, None, g)), None) is not None)

    def adopt(self, scratch: Staging, graphs: Sequence[URIRef]) -> None:
        """Move the graphs ``graphs`` of another staging store (a parsed file) into this one."""
        for graph in graphs:
            self._store.bulk_extend(scratch._store.quads_for_pattern(None, None, None, ox.NamedNode(str(graph))))

    def add_triples(self, graph: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        name = ox.NamedNode(str(graph))
        self._store.bulk_extend(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), name) for s, p, o in triples)

    def graph_triples(self, graph: URIRef) -> set[tuple[Node, Node, Node]]:
        """Every triple of one named graph, as rdflib terms (plain literals in rdflib's form)."""
        name = ox.NamedNode(str(graph))
        return {(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
                for q in self._store.quads_for_pattern(None, None, None, name)}

    def drop(self, graph: URIRef) -> None:
        name = ox.NamedNode(str(graph))
        if self._store.contains_named_graph(name):
            self._store.remove_graph(name)

    def replace(self, graph: URIRef, old: Iterable[tuple[Node, Node, Node]], new: Iterable[tuple[Node, Node, Node]]) -> None:
        """Remove the triples ``old`` from ``graph`` and add ``new`` (rdflib terms)."""
        name = ox.NamedNode(str(graph))
        for s, p, o in old:
            self._store.remove(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), name))
        self._store.extend(ox.Quad(_to_ox(s), _to_ox(p), _to_ox(o), name) for s, p, o in new)

    def select(self, query: str) -> list[tuple]:
        """The rows of a SELECT query over the named graphs (use ``GRAPH``), as rdflib terms."""
        return _converted_rows(self._store.query(query))

    def ask(self, query: str) -> bool:
        """The answer to an ASK query over the named graphs (use ``GRAPH``)."""
        return bool(self._store.query(query))

    def update(self, text: str) -> None:
        self._store.update(text)

    def sizes(self) -> dict[URIRef, int]:
        rows = self._store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return {URIRef(row["g"].value): int(row["n"].value) for row in rows}

    def early_copy(self, graphs: Sequence[URIRef]) -> StagedCopy:
        """A :class:`StagedCopy` of the named graphs ``graphs``, to be made while the merge goes on."""
        return StagedCopy(self._store, graphs)

    def holds_anywhere(self, triple: tuple[Node, Node, Node]) -> bool:
        """Whether any named graph holds ``triple`` (rdflib terms)."""
        s, p, o = map(_to_ox, triple)
        return next(iter(self._store.quads_for_pattern(s, p, o, None)), None) is not None

    def as_dataset(self) -> Dataset:
        """A new memory dataset whose store is this one (the staging store is not used afterwards)."""
        return Dataset(store=_Store(self._store), default_union=True)

    def copy_into(self, dataset: Dataset, graphs: Sequence[URIRef]) -> None:
        """Put the named graphs ``graphs`` into an Oxigraph ``dataset`` (each replacing the graph there)."""
        target = oxigraph_of(dataset)
        if target is None:
            raise TypeError("copy_into needs an Oxigraph dataset")
        for graph in graphs:
            name = ox.NamedNode(str(graph))
            if target.contains_named_graph(name):
                target.remove_graph(name)
            target.bulk_extend(self._store.quads_for_pattern(None, None, None, name))


class StagedCopy:
    """A :class:`WorkingStore` holding the union of staged graphs, made in a thread while the merge
    reconciles them: what the merge then changes in those graphs is replayed on it.

    The merge's thread hands the copy's :meth:`make` to another thread as soon as the graphs are
    staged, waits in :meth:`read` until the graphs have been read out (before it changes any),
    applies each change to the copy too (:meth:`update`; what it drops, at :meth:`finish`), and ends with
    :meth:`finish` (the graphs hold what they will hold) or, on any error, :meth:`abandon`.
    :meth:`make` loads the graphs' text while the merge works, then replays the updates in their
    order, takes out what was dropped, and returns the copy; it returns None when the merge was abandoned.

    The changes replay exactly on a union of graphs: a rewrite of IRIs is the same function of each
    triple in every graph, and a triple one graph drops is taken out of the copy only when no
    staged graph still holds it (:meth:`finish` is given those).
    """

    def __init__(self, source: ox.Store, names: Sequence[URIRef]) -> None:
        self._source = source
        self._names = list(names)
        self._read = threading.Event()  # the graphs are out of the staging store: it may change
        self._done = threading.Event()  # the merge finished or gave up: the changes are all known
        self._updates: list[str] = []  # the merge's SPARQL updates, as they apply to the union
        self._gone: list[tuple[Node, Node, Node]] = []  # triples no staged graph holds any more
        self._abandoned = False

    def make(self) -> WorkingStore | None:
        """Copy the graphs, replay the merge's changes once it has finished, and return the copy (or None)."""
        store = WorkingStore()
        with tempfile.TemporaryDirectory(prefix="diplograph-copy-") as folder:
            try:
                paths = []
                for i, name in enumerate(self._names):
                    paths.append(os.path.join(folder, f"graph-{i}.nt"))
                    self._source.dump(paths[-1], ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(str(name)))
            finally:
                self._read.set()  # also on an error: the merge must never wait for ever
            for path in paths:
                store._load_dump(path)
                os.unlink(path)  # the disk space back as soon as it is loaded
        self._done.wait()
        if self._abandoned:
            return None
        for text in self._updates:
            store.update(text)
        for triple in self._gone:
            store._store.remove(ox.Quad(*map(_to_ox, triple)))
        return store

    def read(self) -> None:
        """Wait until :meth:`make` has read the staged graphs (the merge may then change them)."""
        self._read.wait()

    def update(self, text: str) -> None:
        """A SPARQL update the merge made on the staged graphs, as it applies to their union (no ``GRAPH``)."""
        self._updates.append(text)

    def finish(self, gone: Iterable[tuple[Node, Node, Node]] = ()) -> None:
        """The graphs are final; ``gone``: triples the merge took out that no staged graph holds any more."""
        self._gone = list(gone)
        self._done.set()

    def abandon(self) -> None:
        """The merge failed: :meth:`make` returns None (nothing is replayed)."""
        if not self._done.is_set():
            self._abandoned = True
            self._done.set()
