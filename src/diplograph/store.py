"""Create datasets and fill them; the only module that chooses an RDF store.

A diplograph dataset is one ``rdflib.Dataset`` whose named graphs are the
ontology, the shapes, one graph per reference file and one per source
document (IRIs from :func:`diplograph.iris.graph_iri`). Four stores can
back it (:data:`ALL_STORES`); a :class:`StoreSpec` names one with its location:

``memory`` (default)
    Oxigraph in memory through oxrdflib: ``Dataset(store="Oxigraph")``.
    SPARQL is then answered by Oxigraph, which is fast and correct where
    rdflib's engine is not (OPTIONAL over a sub-select). Turtle and
    N-Triples files are parsed by Oxigraph's bulk loader, straight into the
    store.
``rdflib``
    rdflib's pure-Python in-memory store, kept as a reference backend that
    the query tests also run on.
``oxigraph``
    Oxigraph on disk (``StoreSpec(kind="oxigraph", db=PATH)``): a folder
    that keeps the data between commands. Loading the project *syncs* the
    folder with the project's files: a graph whose files are unchanged since
    the last load (same size and modification time, recorded in
    ``PATH/diplograph-manifest.json``) is not reloaded; a changed one is
    replaced (bulk load); a graph loaded from a file earlier but not asked
    for now is dropped. Graphs written by other means (``graph/inferred``
    from ``infer``, graphs pushed over HTTP) are left as they are. Only one
    process may open the folder for writing at a time (a RocksDB lock).
``sparql``
    Any SPARQL 1.1 server (``StoreSpec(kind="sparql", endpoint=URL)``).
    Queries go over the SPARQL 1.1 Protocol; nothing is uploaded
    implicitly: the server must already hold the project's graphs (put them
    there with ``diplograph push``), and loading checks that it does.
    The server's default graph must be the union of its named graphs
    (``oxigraph serve --union-default-graph``, as ``diplograph serve``
    starts it; Virtuoso and GraphDB do this by default).

Every kind is created with ``default_union=True``, so a query without
``GRAPH`` sees the union of all named graphs. oxrdflib honours this: rdflib
passes ``queryGraph="__UNION__"`` and oxrdflib asks Oxigraph for
``use_default_graph_as_union=True``. One difference remains (oxrdflib 0.5,
pyoxigraph 0.5): Oxigraph's union is a *multiset*, so a triple asserted in
two named graphs matches twice (``COUNT(*)`` counts it twice), while
rdflib's union holds it once. Queries over the union should use
``DISTINCT``.

pyshacl and owlrl must not run on an Oxigraph-backed dataset: Oxigraph hands
plain literals back as ``"x"^^xsd:string``, which rdflib does not take as
equal to ``"x"``, so e.g. ``sh:in ("a" "b")`` reports false violations. Give
them :func:`plain_graph`, which copies into a plain rdflib ``Graph`` (with a
``CONSTRUCT`` per graph on a remote server) and writes such literals back in
rdflib's form.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID as _DEFAULT_GRAPH
from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore
from rdflib.query import Result
from rdflib.term import Node

from diplograph.endpoint import DEFAULT_TIMEOUT, Endpoint
from diplograph.errors import (
    EmptyInputError,
    EndpointError,
    InputError,
    InputErrors,
    StoreLocationError,
    UsageError,
    display_path,
)
from diplograph.files import write_atomically
from diplograph.iris import graph_iri
from diplograph.loading import (
    DATASET_FORMATS,
    expand_paths,
    load_dataset_file,
    load_graph,
)
from diplograph.namespaces import GRAPH
from diplograph.project import Project
from diplograph.terms import bind_prefixes, plain

__all__ = [
    "ALL_STORES",
    "DEFAULT_STORE",
    "MANIFEST_FILE",
    "STORES",
    "EndpointStore",
    "LoadedDataset",
    "StoreSpec",
    "add_graph",
    "load_project_dataset",
    "new_dataset",
    "open_oxigraph",
    "oxigraph_store",
    "plain_graph",
    "store_spec",
]

#: Every store kind ``--store`` accepts.
ALL_STORES: tuple[str, ...] = ("memory", "rdflib", "oxigraph", "sparql")
#: The kinds that need no location (in memory): what tests loop over to compare engines.
STORES: tuple[str, ...] = ("memory", "rdflib")
DEFAULT_STORE = "memory"
#: Where an on-disk store records which files its graphs were loaded from.
MANIFEST_FILE = "diplograph-manifest.json"
# Files RocksDB writes into every Oxigraph store folder.
_OXIGRAPH_MARKERS = ("CURRENT", "IDENTITY")
# Suffixes Oxigraph's bulk loader reads straight into a named graph.
_BULK_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}


# --- choosing a store ----------------------------------------------------------


@dataclass(frozen=True)
class StoreSpec:
    """Which store to use and where it is: ``kind`` (one of :data:`ALL_STORES`), ``db`` for
    ``oxigraph``, ``endpoint`` (and optionally ``update_endpoint``, ``gsp_endpoint``) for ``sparql``.

    Build one with :func:`store_spec`, which checks the combination.
    ``str(spec)`` is the kind, so code that prints or compares the store name keeps working.
    """

    kind: str = DEFAULT_STORE
    db: Path | None = None
    endpoint: str | None = None
    update_endpoint: str | None = None
    gsp_endpoint: str | None = None
    timeout: float = DEFAULT_TIMEOUT

    def __str__(self) -> str:
        return self.kind

    @property
    def persistent(self) -> bool:
        """True when the data outlives the process (on disk or on a server)."""
        return self.kind in ("oxigraph", "sparql")

    def endpoint_urls(self) -> Endpoint:
        """The :class:`~diplograph.endpoint.Endpoint` of a ``sparql`` spec."""
        if self.endpoint is None:
            raise UsageError("--store sparql needs --endpoint URL")
        return Endpoint.from_url(self.endpoint, update=self.update_endpoint, gsp=self.gsp_endpoint, timeout=self.timeout)


def store_spec(
    store: str | StoreSpec | None = None,
    db: Path | str | None = None,
    endpoint: str | None = None,
    *,
    update_endpoint: str | None = None,
    gsp_endpoint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> StoreSpec:
    """Check and combine the ``--store``, ``--db`` and ``--endpoint`` choices into a :class:`StoreSpec`.

    ``store=None`` means: ``oxigraph`` if ``db`` is given, ``sparql`` if
    ``endpoint`` is, else ``memory``. Raises
    :class:`~diplograph.errors.UsageError` for an unknown kind, ``oxigraph``
    without ``db``, ``sparql`` without ``endpoint``, or a location given
    to a store that does not take it.
    """
    if isinstance(store, StoreSpec):
        return store
    if store is None:
        store = "oxigraph" if db is not None else "sparql" if endpoint is not None else DEFAULT_STORE
    if store not in ALL_STORES:
        raise UsageError(f"unknown store {store!r}; choose one of: {', '.join(ALL_STORES)}")
    if store == "oxigraph" and db is None:
        raise UsageError("--store oxigraph needs --db PATH (a folder for the Oxigraph database)")
    if store == "sparql" and endpoint is None:
        raise UsageError("--store sparql needs --endpoint URL (the SPARQL query service)")
    if db is not None and store != "oxigraph":
        raise UsageError(f"--db is only used with --store oxigraph, not --store {store}")
    if endpoint is not None and store != "sparql":
        raise UsageError(f"--endpoint is only used with --store sparql, not --store {store}")
    return StoreSpec(
        kind=store,
        db=Path(db) if db is not None else None,
        endpoint=endpoint,
        update_endpoint=update_endpoint,
        gsp_endpoint=gsp_endpoint,
        timeout=timeout,
    )


def new_dataset(store: str | StoreSpec = DEFAULT_STORE) -> Dataset:
    """Return a dataset on ``store`` (a kind from :data:`ALL_STORES` or a :class:`StoreSpec`), prefixes bound.

    In-memory kinds start empty; ``oxigraph`` opens (or creates) the folder
    ``spec.db`` with whatever it holds; ``sparql`` checks that the server
    answers. Raises :class:`~diplograph.errors.UsageError` for an unknown or
    incomplete choice, :class:`~diplograph.errors.StoreLocationError` for a
    ``db`` that is not an Oxigraph store, and
    :class:`~diplograph.errors.EndpointError` for a server that does not answer.
    """
    spec = store_spec(store)
    if spec.kind == "memory":
        dataset = Dataset(store="Oxigraph", default_union=True)  # plugin registered by oxrdflib
    elif spec.kind == "rdflib":
        dataset = Dataset(store="default", default_union=True)
    elif spec.kind == "oxigraph":
        from oxrdflib import OxigraphStore

        dataset = Dataset(store=OxigraphStore(store=open_oxigraph(spec.db)), default_union=True)
    else:
        endpoint = spec.endpoint_urls()
        endpoint.ping()
        dataset = Dataset(store=EndpointStore(endpoint), default_union=True)
    return bind_prefixes(dataset)


def open_oxigraph(path: Path | str, *, create: bool = True, read_only: bool = False) -> ox.Store:
    """Open the Oxigraph store in folder ``path`` (created, with its parents, if missing and ``create``).

    Raises :class:`~diplograph.errors.StoreLocationError` when ``path`` is a
    file, a non-empty folder that is not an Oxigraph store, or a store
    another process holds open for writing.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise StoreLocationError(path, "is a file, not an Oxigraph database folder")
    if path.is_dir() and any(path.iterdir()) and not all((path / m).is_file() for m in _OXIGRAPH_MARKERS):
        raise StoreLocationError(path, "is a folder of other files, not an Oxigraph database; give a new or empty folder")
    if not path.exists():
        if not create:
            raise StoreLocationError(path, "no such Oxigraph database folder")
        path.mkdir(parents=True)
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise StoreLocationError(
                path,
                "is in use by another process (a running `diplograph serve`?); "
                "stop it, or query it through --endpoint",
            ) from None
        raise StoreLocationError(path, f"cannot open as an Oxigraph database: {exc}") from None


def oxigraph_store(dataset: Dataset) -> ox.Store | None:
    """The pyoxigraph ``Store`` under an Oxigraph-backed dataset (``memory``, ``oxigraph``), else None."""
    inner = getattr(dataset.store, "_inner", None)
    return inner if isinstance(inner, ox.Store) else None


def add_graph(dataset: Dataset, name: URIRef, graph: Iterable[tuple[Node, Node, Node]]) -> Graph:
    """Copy every triple of ``graph`` (an rdflib ``Graph`` or any iterable of triples) into the named graph ``name``.

    Triples already in that named graph stay. Returns the named graph.
    """
    target = dataset.graph(name)
    target.addN((s, p, o, target) for s, p, o in graph)
    return target


# --- loading a project -----------------------------------------------------------


@dataclass(frozen=True)
class LoadedDataset:
    """A dataset together with where each of its named graphs came from.

    ``graph_files`` maps a named graph to the file it was read from; for a
    graph read from several files (the ontology, the shapes) it is the one
    file when there is only one, else their folder. ``store`` is the store
    kind (``"memory"``, …) and ``spec`` the full :class:`StoreSpec`.
    """

    dataset: Dataset
    graph_files: dict[URIRef, Path] = field(default_factory=dict)
    store: str = DEFAULT_STORE
    spec: StoreSpec | None = None

    def graphs_of_kind(self, kind: str) -> list[URIRef]:
        """Names of the loaded graphs of one kind ("source", "reference", …), sorted."""
        base = str(GRAPH[kind])
        return sorted(n for n in self.graph_files if str(n) == base or str(n).startswith(base + "/"))


@dataclass(frozen=True)
class _Item:
    """One unit of loading: ``paths`` into graph ``name`` (a TriG/N-Quads file also fills its own graphs)."""

    name: URIRef
    paths: tuple[Path, ...]
    recorded: Path  # what graph_files shows for it

    @property
    def is_dataset_file(self) -> bool:
        return len(self.paths) == 1 and self.paths[0].suffix.lower() in DATASET_FORMATS


def load_project_dataset(
    project: Project,
    files: Sequence[Path | str] | None = None,
    store: str | StoreSpec = DEFAULT_STORE,
    include_shapes: bool = False,
) -> LoadedDataset:
    """Load a project's graphs into one dataset, each into its own named graph.

    - ``ontology/*.ttl`` -> ``graph/ontology``
    - ``ontology/shapes/*.ttl`` -> ``graph/shapes`` (only with ``include_shapes``)
    - ``graphs/reference/*.ttl`` -> ``graph/reference/{stem}``
    - the source graphs -> ``graph/source/{stem}``: ``files`` (files or
      folders, see :func:`~diplograph.loading.expand_paths`) when given, else
      ``graphs/*.ttl``. A TriG or N-Quads file keeps its own graph names; its
      default graph goes to ``graph/source/{stem}``.

    ``store`` picks the backend (see the module docstring): in-memory stores
    are filled, an ``oxigraph`` folder is synced with the files, a ``sparql``
    server is checked to hold every graph (else a ``UsageError`` saying to push).

    Every file is read before anything is raised, so all broken files are
    reported together (:class:`~diplograph.errors.InputErrors`). Zero source
    files is an :class:`~diplograph.errors.EmptyInputError`.
    """
    spec = store_spec(store)
    errors: list[InputError] = []
    items = _plan(project, files, include_shapes, errors)
    dataset = new_dataset(spec)
    if spec.kind == "sparql":
        graph_files = _check_remote(dataset.store.endpoint, items, errors)
    elif spec.kind == "oxigraph":
        graph_files = _sync_disk(dataset, spec.db, items, errors)
    else:
        graph_files = {}
        for item in items:
            graph_files.update(_load_item(dataset, item, errors))
    if errors:
        raise errors[0] if len(errors) == 1 else InputErrors(errors)
    return LoadedDataset(dataset=dataset, graph_files=graph_files, store=spec.kind, spec=spec)


def plain_graph(dataset: Dataset, names: Iterable[URIRef] | None = None) -> Graph:
    """Copy the union of ``dataset``'s graphs (or only the ``names`` graphs) into a plain ``Graph``.

    This is the graph to give pyshacl and owlrl. Literals typed
    ``xsd:string`` are written as plain literals, the form rdflib's parsers
    produce, because RDF 1.1 makes them the same term but rdflib compares
    them as different (and Oxigraph always returns the typed form). On a
    ``sparql`` dataset each graph is fetched with one ``CONSTRUCT``.
    Raises :class:`~diplograph.errors.UsageError` for a name not in the dataset.
    """
    result = bind_prefixes(Graph())
    remote = dataset.store if isinstance(dataset.store, EndpointStore) else None
    if names is None:
        if remote is not None:
            result += _remote_triples(remote.endpoint, None)
            return result
        quads = dataset.quads((None, None, None, None))
        result += ((s, p, plain(o)) for s, p, o, _ in quads)
        return result
    names = list(names)
    present = set(remote.endpoint.named_graphs()) if remote else {g.identifier for g in dataset.graphs()}
    for name in names:
        if name not in present:
            raise UsageError(f"the dataset has no named graph <{name}>")
        if remote is not None:
            result += _remote_triples(remote.endpoint, name)
        else:
            result += ((s, p, plain(o)) for s, p, o in dataset.graph(name))
    return result


# --- a remote SPARQL server as an rdflib store -------------------------------------


class EndpointStore(SPARQLUpdateStore):
    """rdflib's SPARQL store, with every request sent through :class:`~diplograph.endpoint.Endpoint`.

    So requests have a timeout and failures are :class:`EndpointError`\\ s
    naming the URL (rdflib's own connector has no timeout and turns a failed
    GET into "You did something wrong…"). Named graphs need no creating, so
    ``dataset.graph(name)`` sends nothing; ``remove_graph`` sends ``DROP SILENT GRAPH``.
    """

    def __init__(self, endpoint: Endpoint) -> None:
        super().__init__(query_endpoint=endpoint.query, update_endpoint=endpoint.update, method="POST")
        self.endpoint = endpoint

    def _query(self, query: str, default_graph: str | None = None, named_graph: str | None = None) -> Result:
        self._queries += 1
        url = self.endpoint.query
        if isinstance(default_graph, str):  # rdflib passes a graph IRI here, or nothing for the union
            sep = "&" if "?" in url else "?"
            url = f"{url}{sep}{urlencode({'default-graph-uri': str(default_graph)})}"
        accept = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
        body, media_type = self.endpoint.exchange(
            url, data=query.encode("utf-8"), headers={"Content-Type": "application/sparql-query", "Accept": accept}
        )
        try:
            return Result.parse(BytesIO(body), content_type=media_type or None)
        except Exception as exc:  # a proxy's HTML error page, a truncated answer
            raise EndpointError(url, f"answered {media_type or 'something'} that is not a SPARQL result ({type(exc).__name__})") from None

    def _update(self, update: str) -> None:
        self._updates += 1
        self.endpoint.run_update(update)

    def add_graph(self, graph) -> None:  # graphs exist as soon as they hold a triple
        pass

    def remove_graph(self, graph) -> None:
        name = getattr(graph, "identifier", graph)
        self.endpoint.run_update(f"DROP SILENT GRAPH <{name}>")


def _remote_triples(endpoint: Endpoint, name: URIRef | None) -> Iterable[tuple[Node, Node, Node]]:
    where = f"GRAPH <{name}> {{ ?s ?p ?o }}" if name is not None else "GRAPH ?g { ?s ?p ?o }"
    data = endpoint.construct_ntriples(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}")
    graph = Graph()
    try:
        graph.parse(data=data.decode("utf-8"), format="nt")
    except Exception as exc:  # a server answering something else than N-Triples
        raise EndpointError(endpoint.query, f"CONSTRUCT answer is not N-Triples ({exc.__class__.__name__})") from None
    return ((s, p, plain(o)) for s, p, o in graph)


# --- helpers -----------------------------------------------------------------


def _plan(project: Project, files, include_shapes: bool, errors: list[InputError]) -> list[_Item]:
    """What goes into which graph, in load order; problems found on the way go into ``errors``."""
    items: list[_Item] = []
    groups = [(project.ontology_files, project.ontology_dir, graph_iri("ontology"))]
    if include_shapes:
        groups.append((project.shapes_files, project.shapes_dir, graph_iri("shapes")))
    for paths, folder, name in groups:
        if not paths:
            errors.append(EmptyInputError(folder, "folder holds no *.ttl files"))
            continue
        items.append(_Item(name, tuple(paths), paths[0] if len(paths) == 1 else folder))
    already = {p.resolve() for p in (*project.ontology_files, *project.reference_files)}
    sources = _source_paths(project, files, errors)
    for path in project.reference_files:
        items.append(_Item(graph_iri("reference", path.stem), (path,), path))
    taken = {item.name: item.recorded for item in items}
    for path in sources:
        if path.resolve() in already:
            continue  # e.g. `validate graphs/reference/states.ttl`: loaded as reference already
        name = graph_iri("source", path.stem)
        if name in taken:
            errors.append(_clash(path, name, taken[name]))
            continue
        taken[name] = path
        items.append(_Item(name, (path,), path))
    return items


def _load_item(dataset: Dataset, item: _Item, errors: list[InputError]) -> dict[URIRef, Path]:
    """Load one item into ``dataset`` (clearing nothing); return the graphs it filled."""
    filled: dict[URIRef, Path] = {}
    fast = oxigraph_store(dataset)
    for path in item.paths:
        try:
            if path.suffix.lower() in DATASET_FORMATS:
                for graph in load_dataset_file(path).graphs():
                    if len(graph):
                        name = item.name if graph.identifier == _DEFAULT_GRAPH else graph.identifier
                        add_graph(dataset, name, graph)
                        filled[name] = item.recorded
            elif fast is not None and len(item.paths) == 1 and path.suffix.lower() in _BULK_FORMATS:
                _bulk_load(dataset, fast, path, item.name)
                filled[item.name] = item.recorded
            else:
                add_graph(dataset, item.name, load_graph(path))
                filled[item.name] = item.recorded
        except InputError as exc:
            errors.append(exc)
    return filled


def _bulk_load(dataset: Dataset, store: ox.Store, path: Path, name: URIRef) -> None:
    """Parse ``path`` with Oxigraph straight into the (empty) graph ``name``.

    On any problem the graph is emptied and the file is read with rdflib's
    loader instead, which raises the same typed error (file and line) as the
    other stores do; if rdflib reads a file Oxigraph would not, its triples are used.
    """
    graph = ox.NamedNode(str(name))
    try:
        store.bulk_load(path=str(path), format=_BULK_FORMATS[path.suffix.lower()],
                        base_iri=path.resolve().as_uri(), to_graph=graph)
        if next(iter(store.quads_for_pattern(None, None, None, graph)), None) is not None:
            return
    except (SyntaxError, ValueError, OSError):
        pass
    store.clear_graph(graph)
    add_graph(dataset, name, load_graph(path))  # raises the typed error, or loads what rdflib accepts


def _fingerprint(item: _Item) -> list[list]:
    result = []
    for path in item.paths:
        stat = path.stat()
        result.append([str(path.resolve()), stat.st_size, stat.st_mtime_ns])
    return result


def _sync_disk(dataset: Dataset, db: Path, items: list[_Item], errors: list[InputError]) -> dict[URIRef, Path]:
    """Bring the on-disk store in line with ``items``, reloading only what changed (see module docstring)."""
    store = oxigraph_store(dataset)
    manifest_path = Path(db) / MANIFEST_FILE
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8")).get("graphs", {})
    except (OSError, ValueError):
        manifest = {}
    graph_files: dict[URIRef, Path] = {}
    kept: dict[str, dict] = {}
    wanted = {str(item.name) for item in items}
    for key, entry in manifest.items():  # graphs loaded before and not asked for now
        if key not in wanted:
            for name in entry.get("graphs", []):
                _drop(store, name)
    for item in items:
        try:
            fingerprint = _fingerprint(item)
        except OSError as exc:
            errors.append(InputError(f"{display_path(item.recorded)}: {exc.strerror or exc}"))
            continue
        entry = manifest.get(str(item.name))
        if entry and entry.get("files") == fingerprint and all(
            next(iter(store.quads_for_pattern(None, None, None, ox.NamedNode(n))), None) is not None
            for n in entry.get("graphs", [])
        ):
            kept[str(item.name)] = entry
            graph_files.update({URIRef(n): item.recorded for n in entry["graphs"]})
            continue
        for name in (entry or {}).get("graphs", [str(item.name)]):
            store.clear_graph(ox.NamedNode(name))
        store.clear_graph(ox.NamedNode(str(item.name)))
        before = len(errors)
        filled = _load_item(dataset, item, errors)
        if len(errors) > before:  # a broken file: leave nothing half-loaded
            for name in filled:
                store.clear_graph(ox.NamedNode(str(name)))
            continue
        kept[str(item.name)] = {"files": fingerprint, "graphs": sorted(str(n) for n in filled)}
        graph_files.update(filled)
    store.flush()
    write_atomically(manifest_path, json.dumps({"version": 1, "graphs": kept}, indent=1, sort_keys=True))
    return graph_files


def _drop(store: ox.Store, name: str) -> None:
    graph = ox.NamedNode(name)
    if store.contains_named_graph(graph):
        store.remove_graph(graph)


def _check_remote(endpoint: Endpoint, items: list[_Item], errors: list[InputError]) -> dict[URIRef, Path]:
    """Map the server's graphs to the project's files; a missing graph is a UsageError saying to push."""
    present = set(endpoint.named_graphs())
    graph_files: dict[URIRef, Path] = {}
    missing: list[str] = []
    for item in items:
        names = [item.name]
        if item.is_dataset_file:
            try:
                loaded = load_dataset_file(item.paths[0])
            except InputError as exc:
                errors.append(exc)
                continue
            names = [item.name if g.identifier == _DEFAULT_GRAPH else g.identifier for g in loaded.graphs() if len(g)]
        for name in names:
            if name in present:
                graph_files[name] = item.recorded
            else:
                missing.append(f"<{name}> ({display_path(item.recorded)})")
    if missing and not errors:
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        raise UsageError(
            f"{endpoint.query} does not hold {len(missing)} graph(s) of the project: {shown}; "
            f"upload them with `diplograph push --endpoint {endpoint.query}`"
        )
    return graph_files




def _source_paths(project: Project, files: Sequence[Path | str] | None, errors: list[InputError]) -> list[Path]:
    if not files:
        if not project.source_files:
            errors.append(EmptyInputError(project.graphs_dir, "folder holds no graph files (*.ttl)"))
        return project.source_files
    paths: list[Path] = []
    for item in files:  # one at a time, so every bad argument is reported
        try:
            paths.extend(p for p in expand_paths([item]) if p not in paths)
        except InputError as exc:
            errors.append(exc)
    return paths


def _clash(path: Path, name: URIRef, other: Path) -> InputError:
    return InputError(
        f"{display_path(path)}: would share the named graph <{name}> with {display_path(other)}; "
        "graph names come from file stems, rename one"
    )
