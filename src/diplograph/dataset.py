"""The project's dataset: the one function every command, the server and the push read it through.

:func:`assemble` builds the dataset of a project on the chosen store:

==============================  =====================================================
``graph/ontology``              ``ontology/*.ttl``
``graph/shapes``                ``ontology/shapes/*.ttl`` (not the ontology checks)
``graph/reference/{stem}``      ``graphs/reference/*.ttl``
``graph/source/{stem}``         every source graph (``graphs/*.ttl``, or the files asked
                                for), entities reconciled by key across all of them and
                                the reference graphs (:mod:`diplograph.merge`)
``graph/meta``                  where each graph came from (file name, SHA-256, PROV)
``graph/inferred``              with ``infer=True``: what the ontology's axioms add
==============================  =====================================================

So ``query``, ``stats``, ``summary``, ``viz``, ``validate``, ``infer``, ``build``, ``serve``
and ``push`` all see the same entities and the same triples: two ways to load the data would
mean two answers.

Stores (:mod:`diplograph.store`):

- in memory (``memory``, ``rdflib``): assembled on every run;
- Oxigraph on disk (``oxigraph``): kept between runs. The folder's manifest
  (``diplograph-manifest.json``) records the size and modification time of every input file;
  while they are unchanged the stored graphs are used as they are (a merge is reconciled over
  all its inputs, so one changed file means assembling again, not reloading that file alone).
  ``graph/inferred`` is kept only while it was computed from the same inputs;
- a SPARQL server (``sparql``): nothing is uploaded implicitly. The project is assembled in
  memory to learn its graph names, and the server must hold every one (``diplograph push``
  puts them there), else :class:`~diplograph.errors.MissingGraphsError`. With ``infer`` the
  server's graphs are copied into memory and reasoned on there: reading never writes.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from diplograph import __version__
from diplograph.errors import EmptyInputError, InputError, InputErrors, MissingGraphsError, display_path
from diplograph.files import write_atomically
from diplograph.iris import META_GRAPH, graph_iri
from diplograph.loading import expand_paths, load_graph
from diplograph.merge import MergeReport, merge_read, merge_staged_result, read_sources, stage_sources
from diplograph.namespaces import GRAPH
from diplograph.project import Project
from diplograph.reasoning import InferenceResult, reason_over, store_inferred
from diplograph.store import (
    DEFAULT_STORE,
    StagedCopy,
    StoreSpec,
    WorkingStore,
    add_graph,
    graph_names,
    is_oxigraph,
    new_dataset,
    plain_graph,
    remove_graph,
    store_spec,
)
from diplograph.terms import bind_prefixes

__all__ = ["DATA_DEFAULT_GRAPH", "MANIFEST_FILE", "ProjectDataset", "add_inferred", "assemble", "load_data_file", "read_ontology",
           "reason"]

#: Where an on-disk store records which inputs its graphs were assembled from.
MANIFEST_FILE = "diplograph-manifest.json"
_MANIFEST_VERSION = 3  # 3: the merge refines agreeing dates (stores of 2 are assembled again)


@dataclass
class ProjectDataset:
    """A project's assembled dataset and what it was made of.

    ``graph_files`` maps each named graph to the file it was read from (the ontology and shapes
    graphs: the one file, or their folder); ``merge`` is the reconciliation report;
    ``with_inferred`` says whether ``graph/inferred`` is part of the dataset, and ``inference``
    is what reasoning did when it ran in this call (None when an on-disk store already held it).
    """

    dataset: Dataset
    spec: StoreSpec
    graph_files: dict[URIRef, Path] = field(default_factory=dict)
    merge: MergeReport | None = None
    inference: InferenceResult | None = None
    with_inferred: bool = False
    #: The graphs queries are limited to, when the store holds others (else None: all of them).
    query_graphs: list[URIRef] | None = None

    @property
    def store(self) -> str:
        """The store kind (``"memory"``, …)."""
        return self.spec.kind

    def graphs_of_kind(self, kind: str) -> list[URIRef]:
        """Names of the graphs of one kind (``"source"``, ``"reference"``, …) read from files, sorted."""
        return _of_kind(self.graph_files, kind)

    @property
    def data_graphs(self) -> list[URIRef]:
        """The graphs holding data about the world: sources first, then reference graphs."""
        return _data_graphs(self.graph_files)

    @property
    def asserted_graphs(self) -> list[URIRef]:
        """Every graph but ``graph/inferred``: what files and the merge assert."""
        return [*self.graph_files, META_GRAPH]

    def copy_to(self, store: str | StoreSpec = "memory") -> ProjectDataset:
        """The same graphs (the :attr:`view`) copied into a new dataset on ``store``."""
        dataset = new_dataset(store)
        for name in self.view:
            add_graph(dataset, name, plain_graph(self.dataset, [name]))
        return dataclasses.replace(self, dataset=dataset, spec=store_spec(store), query_graphs=None)

    @property
    def view(self) -> list[URIRef]:
        """The named graphs of this dataset: the asserted ones, and ``graph/inferred`` when asked for.

        A query sees exactly these (an on-disk store may hold an inferred graph nobody asked for).
        """
        return self.asserted_graphs + ([graph_iri("inferred")] if self.with_inferred else [])


def _of_kind(names, kind: str) -> list[URIRef]:
    base = str(GRAPH[kind])
    return sorted(n for n in names if str(n) == base or str(n).startswith(base + "/"))


def _data_graphs(names) -> list[URIRef]:
    return _of_kind(names, "source") + _of_kind(names, "reference")


#: What :func:`assemble`'s ``on_data_staged`` is given: the data graphs' names (as
#: :attr:`ProjectDataset.data_graphs` orders them) and a function that copies them into a new
#: working store, to be run in another thread at once: it returns once the merge has finished
#: those graphs (the copy holds what they hold then), or None when the merge failed.
DataCopy = Callable[[list[URIRef], Callable[[], WorkingStore | None]], None]


def assemble(
    project: Project,
    files: Sequence[Path | str] | None = None,
    *,
    store: str | StoreSpec = DEFAULT_STORE,
    infer: bool = False,
    engine: str = "reference",
    loaded_at: str | None = None,
    on_data_staged: DataCopy | None = None,
) -> ProjectDataset:
    """Assemble ``project``'s dataset on ``store`` (see the module docstring).

    ``files`` (files or folders, see :func:`~diplograph.loading.expand_paths`) are the source
    graphs, default ``graphs/*.ttl``; reference files among them count as reference graphs.
    ``infer`` adds ``graph/inferred`` computed with ``engine`` (``"reference"`` or ``"fast"``).
    Every file is read before anything is raised, so all broken files are reported together
    (:class:`~diplograph.errors.InputErrors`); zero source files is an
    :class:`~diplograph.errors.EmptyInputError`.

    ``on_data_staged``, when the merge runs inside Oxigraph (the ``memory`` and ``oxigraph`` stores,
    when the store is assembled anew), is called as soon as the files are read, before the merge
    reconciles them: ``build`` copies the data for its engines in a thread while the merge works
    (:data:`DataCopy`; what the merge changes is replayed on the copy).
    """
    spec = store_spec(store)
    inputs = _Inputs.of(project, files)
    if spec.kind == "sparql":
        assembled = _assemble_remote(inputs, spec, loaded_at)
    elif spec.kind == "oxigraph":
        assembled = _assemble_on_disk(inputs, spec, loaded_at, on_data_staged)
    else:
        assembled = _assemble_in(None if spec.kind == "memory" else new_dataset(spec), inputs, spec, loaded_at,
                                 on_data_staged=on_data_staged)
    if infer:
        add_inferred(assembled, engine)
    if spec.kind == "oxigraph" and set(graph_names(assembled.dataset)) - set(assembled.view):
        assembled.query_graphs = assembled.view  # e.g. graph/inferred kept from an earlier `infer`
    return assembled


# --- the inputs --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Inputs:
    """The files of one assembly: every problem finding them is raised together."""

    ontology: tuple[Path, ...]
    ontology_record: Path
    shapes: tuple[Path, ...]
    shapes_record: Path
    reference: tuple[Path, ...]
    sources: tuple[Path, ...]
    problems: tuple[InputError, ...] = ()  # found while finding the files; reported with the rest

    @classmethod
    def of(cls, project: Project, files: Sequence[Path | str] | None) -> _Inputs:
        errors: list[InputError] = []
        for found, folder, what in ((project.ontology_files, project.ontology_dir, "*.ttl files (the ontology)"),
                                    (project.shapes_files, project.shapes_dir, "*.ttl files (the SHACL shapes)")):
            if not found:
                errors.append(EmptyInputError(folder, f"folder holds no {what}"))
        reference = tuple(project.reference_files)
        taken = {p.resolve() for p in (*project.ontology_files, *reference)}
        sources: list[Path] = []
        if not files:
            sources = list(project.source_files)
            if not sources:
                errors.append(EmptyInputError(project.graphs_dir, "folder holds no graph files (*.ttl)"))
        else:
            for item in files:  # one at a time, so that every bad argument is reported
                try:
                    sources.extend(p for p in expand_paths([item]) if p not in sources)
                except InputError as exc:
                    errors.append(exc)
        sources = [p for p in sources if p.resolve() not in taken]  # `validate graphs/reference/x.ttl`
        ontology, shapes = tuple(project.ontology_files), tuple(project.shapes_files)
        return cls(
            ontology=ontology,
            ontology_record=ontology[0] if len(ontology) == 1 else project.ontology_dir,
            shapes=shapes,
            shapes_record=shapes[0] if len(shapes) == 1 else project.shapes_dir,
            reference=reference,
            sources=tuple(sources),
            problems=tuple(errors),
        )

    def all_files(self) -> list[Path]:
        return [*self.ontology, *self.shapes, *self.reference, *self.sources]

    def fingerprint(self) -> list[list]:
        """Every input file with its size and modification time, and diplograph's version."""
        rows: list[list] = [["diplograph", __version__]]
        for path in self.all_files():
            stat = path.stat()
            rows.append([str(path.resolve()), stat.st_size, stat.st_mtime_ns])
        return rows


def read_ontology(project: Project) -> Graph:
    """The project's ontology files read into one graph, as :func:`assemble` reads them (its first
    problem raised)."""
    graph, errors = _read_graphs(project.ontology_files)
    if errors:
        raise errors[0]
    return graph


def _read_graphs(paths: Sequence[Path]) -> tuple[Graph, list[InputError]]:
    graph, errors = bind_prefixes(Graph()), []
    for path in paths:
        try:
            graph += load_graph(path)
        except InputError as exc:
            errors.append(exc)
    return graph, errors


# --- assembling ----------------------------------------------------------------------------


def _assemble_in(
    dataset: Dataset | None, inputs: _Inputs, spec: StoreSpec, loaded_at: str | None, before_writing=None,
    on_data_staged: DataCopy | None = None,
) -> ProjectDataset:
    """Merge the sources and reference graphs into ``dataset`` and add the ontology and shapes.

    On Oxigraph the merge is done inside Oxigraph (``dataset`` None: a new memory dataset made of
    the merge's own store, no copy); on the rdflib store in Python. Every file is read first;
    only when all of them are readable is ``before_writing`` called (an on-disk store drops its
    old graphs then) and anything written.
    """
    in_oxigraph = dataset is None or is_oxigraph(dataset)
    errors = list(inputs.problems)
    ontology, ontology_errors = _read_graphs(inputs.ontology)
    shapes, shape_errors = _read_graphs(inputs.shapes)
    errors += ontology_errors + shape_errors
    try:
        read = (stage_sources if in_oxigraph else read_sources)(inputs.sources, inputs.reference)
    except InputErrors as exc:
        errors += list(exc.errors)
    except InputError as exc:
        errors.append(exc)
    if errors:
        raise errors[0] if len(errors) == 1 else InputErrors(errors)
    if before_writing is not None:
        before_writing()
    if in_oxigraph:
        hook = None
        if on_data_staged is not None:
            def hook(staging, names) -> StagedCopy:
                ordered = _data_graphs(names)
                copy = staging.early_copy(ordered)
                on_data_staged(ordered, copy.make)
                return copy
        merged = merge_staged_result(read, loaded_at=loaded_at, target=dataset, on_data_staged=hook)
        dataset = merged.dataset
    else:
        merged = merge_read(read, dataset, loaded_at=loaded_at)
    add_graph(dataset, graph_iri("ontology"), ontology)
    add_graph(dataset, graph_iri("shapes"), shapes)
    graph_files = {graph_iri("ontology"): inputs.ontology_record, graph_iri("shapes"): inputs.shapes_record}
    given = {display_path(p): p for p in (*inputs.sources, *inputs.reference)}
    graph_files.update({info.graph: given.get(info.file, Path(info.file)) for info in merged.report.sources})
    return ProjectDataset(dataset, spec, graph_files, merged.report)


def _assemble_on_disk(inputs: _Inputs, spec: StoreSpec, loaded_at: str | None,
                      on_data_staged: DataCopy | None = None) -> ProjectDataset:
    dataset = new_dataset(spec)
    manifest_path = Path(spec.db) / MANIFEST_FILE
    manifest = _read_manifest(manifest_path)
    fingerprint = inputs.fingerprint() + [["loaded_at", loaded_at]]
    stored = set(graph_names(dataset))
    reusable = not inputs.problems and {URIRef(g) for g in manifest.get("graphs", {})} <= stored
    if reusable and manifest.get("inputs") == fingerprint:
        graph_files = {URIRef(g): Path(f) for g, f in manifest["graphs"].items() if f}
        return ProjectDataset(dataset, spec, graph_files, MergeReport.from_json(manifest["merge"]))

    def drop_old_graphs() -> None:
        for name in [*manifest.get("graphs", {}), str(graph_iri("inferred"))]:
            remove_graph(dataset, URIRef(name))

    assembled = _assemble_in(dataset, inputs, spec, loaded_at, before_writing=drop_old_graphs, on_data_staged=on_data_staged)
    record = {str(g): str(f) for g, f in assembled.graph_files.items()}
    record[str(META_GRAPH)] = ""
    _write_manifest(manifest_path, {"version": _MANIFEST_VERSION, "inputs": fingerprint, "graphs": record,
                                    "merge": assembled.merge.as_json(times=True)})
    return assembled


def _assemble_remote(inputs: _Inputs, spec: StoreSpec, loaded_at: str | None) -> ProjectDataset:
    local = _assemble_in(None, inputs, spec, loaded_at)
    dataset = new_dataset(spec)
    present = set(graph_names(dataset))
    wanted = [*local.graph_files, META_GRAPH]
    missing = [(g, local.graph_files.get(g)) for g in wanted if g not in present]
    if missing:
        raise MissingGraphsError(spec.endpoint_urls().query, tuple(missing))
    return ProjectDataset(dataset, spec, local.graph_files, local.merge)


def reason(assembled: ProjectDataset, engine: str = "reference", working=None, stop=None) -> InferenceResult:
    """What the ontology's axioms add to the dataset's data graphs, computed with ``engine``; nothing is written.

    ``working``, ``stop``: see :func:`~diplograph.reasoning.reason_over` (the fast engine's data,
    already copied; an event that stops it).
    """
    return reason_over(assembled.dataset, assembled.data_graphs, engine=engine, working=working, stop=stop)


def add_inferred(
    assembled: ProjectDataset, engine: str = "reference", *, reuse: bool = True, result: InferenceResult | None = None
) -> InferenceResult | None:
    """Add ``graph/inferred`` to an assembled dataset, computed with ``engine`` (or ``result``, when
    :func:`reason` already computed it); return what reasoning did.

    On a SPARQL server the graphs are copied into memory and the inferred graph is added there
    (reading never writes); with ``reuse``, an on-disk store that already holds the inferred
    graph of the same inputs and engine keeps it (then None is returned).
    """
    if assembled.spec.kind == "sparql":
        assembled.dataset = assembled.copy_to("memory").dataset
    if assembled.spec.kind == "oxigraph":
        manifest_path = Path(assembled.spec.db) / MANIFEST_FILE
        manifest = _read_manifest(manifest_path)
        if (reuse and result is None and manifest.get("inferred") == engine
                and graph_iri("inferred") in set(graph_names(assembled.dataset))):
            assembled.with_inferred = True
            return None
    if result is None:
        result = reason(assembled, engine)
    store_inferred(assembled.dataset, result)
    assembled.inference = result
    assembled.with_inferred = True
    if assembled.spec.kind == "oxigraph":
        manifest["inferred"] = engine
        _write_manifest(manifest_path, manifest)
    return assembled.inference


def _read_manifest(path: Path) -> dict:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) and manifest.get("version") == _MANIFEST_VERSION else {}


def _write_manifest(path: Path, manifest: dict) -> None:
    write_atomically(path, json.dumps(manifest, indent=1, sort_keys=True))


#: The graph that triples outside any ``GRAPH`` block of a ``query --data`` file are put in.
DATA_DEFAULT_GRAPH = GRAPH["default"]


def load_data_file(
    path: Path | str, store: str | StoreSpec = DEFAULT_STORE, *, ontology: Sequence[Path] = ()
) -> Dataset:
    """A TriG or N-Quads file (a ``diplograph merge`` output, ``out/dataset.nq``) as a dataset to query.

    Every named graph of the file is one of the dataset's, so a query sees their union (and
    ``GRAPH ?g`` finds them); triples in the file's default graph go to
    :data:`DATA_DEFAULT_GRAPH`. When the file has no ``graph/ontology`` (a merge holds the data
    only), the ``ontology`` files are added as that graph, so that the vocabulary's labels (a
    partnership level's name) answer as they do on the project. Raises what :func:`diplograph.loading.load_dataset_file` raises
    (a missing, empty or malformed file, with its line).
    """
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    from diplograph.loading import load_dataset_file

    parsed = load_dataset_file(path)
    dataset = new_dataset(store)
    for graph in parsed.graphs():
        if len(graph):
            name = DATA_DEFAULT_GRAPH if graph.identifier == DATASET_DEFAULT_GRAPH_ID else graph.identifier
            add_graph(dataset, name, graph)
    if ontology and graph_iri("ontology") not in graph_names(dataset):
        ontology_graph, _errors = _read_graphs(list(ontology))
        add_graph(dataset, graph_iri("ontology"), ontology_graph)
    return dataset
