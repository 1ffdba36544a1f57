"""Create datasets and fill them; the only module that chooses an RDF store.

A diplograph dataset is one ``rdflib.Dataset`` whose named graphs are the
ontology, the shapes, one graph per reference file and one per source
document (IRIs from :func:`diplograph.namespaces.graph_iri`). Two stores back
it today (:data:`STORES`):

``memory`` (default)
    Oxigraph in memory through oxrdflib: ``Dataset(store="Oxigraph")``.
    SPARQL is then answered by Oxigraph, which is fast and correct where
    rdflib's engine is not (OPTIONAL over a sub-select).
``rdflib``
    rdflib's pure-Python in-memory store, kept as a second backend that the
    query tests also run on.

Both are created with ``default_union=True``, so a query without ``GRAPH``
sees the union of all named graphs. oxrdflib honours this: rdflib passes
``queryGraph="__UNION__"`` and oxrdflib asks Oxigraph for
``use_default_graph_as_union=True``. One difference remains (oxrdflib 0.5,
pyoxigraph 0.5): Oxigraph's union is a *multiset*, so a triple asserted in
two named graphs matches twice (``COUNT(*)`` counts it twice), while rdflib's
union holds it once. Queries over the union should use ``DISTINCT``.

pyshacl and owlrl must not run on the Oxigraph-backed dataset: Oxigraph hands
plain literals back as ``"x"^^xsd:string``, which rdflib does not take as
equal to ``"x"``, so e.g. ``sh:in ("a" "b")`` reports false violations. Give
them :func:`plain_graph`, which copies into a plain rdflib ``Graph`` and
writes such literals back in rdflib's form.

A later store kind (Oxigraph on disk, a remote SPARQL endpoint) is one more
entry in ``_FACTORIES``; nothing outside this module creates a store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID as _DEFAULT_GRAPH
from rdflib.namespace import XSD
from rdflib.term import Node

from diplograph.errors import EmptyInputError, InputError, InputErrors, UsageError, display_path
from diplograph.loading import DATASET_FORMATS, expand_paths, load_dataset_file, load_graph
from diplograph.namespaces import GRAPH, bind_prefixes, graph_iri
from diplograph.project import Project

__all__ = [
    "DEFAULT_STORE",
    "STORES",
    "LoadedDataset",
    "add_graph",
    "load_project_dataset",
    "new_dataset",
    "plain_graph",
]


def _oxigraph_memory() -> Dataset:
    return Dataset(store="Oxigraph", default_union=True)  # plugin registered by oxrdflib


def _rdflib_memory() -> Dataset:
    return Dataset(store="default", default_union=True)


# Store name -> factory. Stores needing a location (on-disk Oxigraph, a remote
# endpoint) will take it as a keyword of new_dataset.
_FACTORIES: dict[str, Callable[[], Dataset]] = {
    "memory": _oxigraph_memory,
    "rdflib": _rdflib_memory,
}
STORES: tuple[str, ...] = tuple(_FACTORIES)
DEFAULT_STORE = "memory"


def new_dataset(store: str = DEFAULT_STORE) -> Dataset:
    """Return a new, empty dataset on ``store`` (one of :data:`STORES`), prefixes bound.

    Raises :class:`~diplograph.errors.UsageError` for an unknown store name.
    """
    try:
        factory = _FACTORIES[store]
    except KeyError:
        raise UsageError(f"unknown store {store!r}; choose one of: {', '.join(STORES)}") from None
    return bind_prefixes(factory())


def add_graph(dataset: Dataset, name: URIRef, graph: Graph) -> Graph:
    """Copy every triple of ``graph`` into the named graph ``name`` of ``dataset``.

    Triples already in that named graph stay. Returns the named graph.
    """
    target = dataset.graph(name)
    target.addN((s, p, o, target) for s, p, o in graph)
    return target


@dataclass(frozen=True)
class LoadedDataset:
    """A dataset together with where each of its named graphs came from.

    ``graph_files`` maps a named graph to the file it was read from; for a
    graph read from several files (the ontology, the shapes) it is the one
    file when there is only one, else their folder.
    """

    dataset: Dataset
    graph_files: dict[URIRef, Path] = field(default_factory=dict)
    store: str = DEFAULT_STORE

    def graphs_of_kind(self, kind: str) -> list[URIRef]:
        """Names of the loaded graphs of one kind ("source", "reference", …), sorted."""
        base = str(GRAPH[kind])
        return sorted(n for n in self.graph_files if str(n) == base or str(n).startswith(base + "/"))


def load_project_dataset(
    project: Project,
    files: Sequence[Path | str] | None = None,
    store: str = DEFAULT_STORE,
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

    Every file is read before anything is raised, so all broken files are
    reported together (:class:`~diplograph.errors.InputErrors`). Zero source
    files is an :class:`~diplograph.errors.EmptyInputError`.
    """
    dataset = new_dataset(store)
    graph_files: dict[URIRef, Path] = {}
    errors: list[InputError] = []

    def add(name: URIRef, path: Path, graph: Graph) -> None:
        add_graph(dataset, name, graph)
        graph_files[name] = path

    _load_group(project.ontology_files, project.ontology_dir, graph_iri("ontology"), add, errors)
    if include_shapes:
        _load_group(project.shapes_files, project.shapes_dir, graph_iri("shapes"), add, errors)
    already = {p.resolve() for p in (*project.ontology_files, *project.reference_files)}
    sources = _source_paths(project, files, errors)
    for path in project.reference_files:
        _load_one(path, graph_iri("reference", path.stem), add, errors)
    for path in sources:
        if path.resolve() in already:
            continue  # e.g. `validate graphs/reference/states.ttl`: loaded as reference already
        name = graph_iri("source", path.stem)
        if name in graph_files:
            errors.append(_clash(path, name, graph_files[name]))
            continue
        _load_one(path, name, add, errors)
    if errors:
        raise errors[0] if len(errors) == 1 else InputErrors(errors)
    return LoadedDataset(dataset=dataset, graph_files=graph_files, store=store)


def plain_graph(dataset: Dataset, names: Iterable[URIRef] | None = None) -> Graph:
    """Copy the union of ``dataset``'s graphs (or only the ``names`` graphs) into a plain ``Graph``.

    This is the graph to give pyshacl and owlrl. Literals typed
    ``xsd:string`` are written as plain literals, the form rdflib's parsers
    produce, because RDF 1.1 makes them the same term but rdflib compares
    them as different (and Oxigraph always returns the typed form).
    Raises :class:`~diplograph.errors.UsageError` for a name not in the dataset.
    """
    result = bind_prefixes(Graph())
    if names is None:
        quads = dataset.quads((None, None, None, None))
        result += ((s, p, _rdflib_form(o)) for s, p, o, _ in quads)
        return result
    present = {g.identifier for g in dataset.graphs()}
    for name in names:
        if name not in present:
            raise UsageError(f"the dataset has no named graph <{name}>")
        result += ((s, p, _rdflib_form(o)) for s, p, o in dataset.graph(name))
    return result


# --- helpers -----------------------------------------------------------------


def _rdflib_form(term: Node) -> Node:
    if isinstance(term, Literal) and term.datatype == XSD.string and term.language is None:
        return Literal(str(term))
    return term


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


def _load_group(paths: list[Path], folder: Path, name: URIRef, add, errors: list[InputError]) -> None:
    """Load several files into one named graph (the ontology, the shapes)."""
    if not paths:
        errors.append(EmptyInputError(folder, "folder holds no *.ttl files"))
        return
    recorded = paths[0] if len(paths) == 1 else folder
    for path in paths:
        try:
            add(name, recorded, load_graph(path))
        except InputError as exc:
            errors.append(exc)


def _load_one(path: Path, name: URIRef, add, errors: list[InputError]) -> None:
    try:
        if path.suffix.lower() in DATASET_FORMATS:
            for graph in load_dataset_file(path).graphs():
                if len(graph):
                    is_default = graph.identifier == _DEFAULT_GRAPH
                    add(name if is_default else graph.identifier, path, graph)
        else:
            add(name, path, load_graph(path))
    except InputError as exc:
        errors.append(exc)


def _clash(path: Path, name: URIRef, other: Path) -> InputError:
    return InputError(
        f"{display_path(path)}: would share the named graph <{name}> with {display_path(other)}; "
        "graph names come from file stems, rename one"
    )

