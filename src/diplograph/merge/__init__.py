"""Merge graphs of several bilateral relationships into one dataset, reconciling shared entities.

:func:`merge_sources` reads source graphs (Turtle, TriG, …) and reference graphs and returns a
:class:`MergeResult`: an ``rdflib.Dataset`` with one named graph per source, plus a
:class:`MergeReport` saying what was rewritten, what conflicts and what could not be reconciled.
:func:`merge_into` adds sources to an existing merge (only the new files are parsed),
:func:`remove_sources` takes sources out again, :func:`to_trig` / :func:`to_nquads` /
:func:`write_merged` give the canonical, byte-reproducible serialisation.

How a merge works, one module a step:

1. **Read** (:mod:`~diplograph.merge.inputs`): every file parsed on its own, every broken file
   reported (one line each, with its line number) before anything is merged; blank nodes
   skolemised per file, deterministically. The same file given twice, or two files giving a
   graph the same name and the same triples, count once (merge(A, A) = merge(A)); the same name
   with different triples is a :class:`~diplograph.errors.GraphNameClashError`.
2. **Reconcile by keys** (:mod:`~diplograph.merge.reconcile`): one small reconciler per kind of
   entity computes the canonical IRI of every node (IRIs minted by :mod:`diplograph.iris`, the
   conventions in ``docs/conventions.md``). Every reference to a rewritten node, in every graph,
   is rewritten; the report lists each rewrite (from, to, key, source graph). No ``owl:sameAs``.
3. **Precision** (:mod:`~diplograph.merge.precision`): dates of one node that agree at different
   precisions ("2024" and "2024-07-03") are one date: the coarser value is taken out of the graph
   that gave it, so the merged view holds the precise one, and recorded as a refinement (in the
   report, and with its graph in ``graph/meta``), so that nothing is lost.
   **Conflicts** (:mod:`~diplograph.merge.conflicts`): different values for a single-valued
   fact are reported, and all values kept, each in its own graph.
4. **Metadata** goes to the named graph ``graph/meta``: per graph, ``a prov:Entity``,
   ``dg:fileName`` (the file's base name, so output does not depend on where files live),
   ``dg:sha256`` of the file, ``prov:wasDerivedFrom`` the source documents it holds, and
   ``prov:generatedAtTime`` only when the caller passes ``loaded_at``. The wall-clock load time
   is always in the report (:attr:`SourceInfo.loaded_at`), never in the canonical output.
5. **Write** (:mod:`~diplograph.merge.canonical`): the same inputs, in any order, give the same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, URIRef
from rdflib.term import Node

from diplograph.errors import UsageError, display_path
from diplograph.files import write_all_atomically
from diplograph.iris import META_GRAPH, skolem_base
from diplograph.merge.canonical import Quad, sorted_quads, to_nquads_text, to_trig_text
from diplograph.merge.conflicts import FACT_PREDICATES, find_conflicts
from diplograph.merge.in_oxigraph import StagedSources, merge_staged, stage_sources
from diplograph.merge.inputs import GraphInput, Triple, check_new_input, read_inputs
from diplograph.merge.metadata import meta_triples
from diplograph.merge.precision import find_refinements
from diplograph.merge.reconcile import KEY_PREDICATES, resolve
from diplograph.merge.report import (
    Conflict,
    MergeConflictError,
    MergeReport,
    MergeWarning,
    Refinement,
    Rewrite,
    SourceInfo,
    TypeClash,
)
from diplograph.store import DEFAULT_STORE, StoreSpec, is_oxigraph, new_dataset, plain_graph, store_spec

__all__ = [
    "META_GRAPH",
    "MERGE_FORMATS",
    "Conflict",
    "MergeConflictError",
    "MergeReport",
    "MergeResult",
    "MergeWarning",
    "Refinement",
    "Rewrite",
    "SourceInfo",
    "TypeClash",
    "merge_into",
    "merge_read",
    "merge_sources",
    "merge_staged_result",
    "read_sources",
    "stage_sources",
    "remove_sources",
    "skolem_base",
    "to_nquads",
    "to_trig",
    "write_merged",
]

#: Suffixes a merge can be written to.
MERGE_FORMATS: tuple[str, ...] = (".trig", ".nq")


@dataclass
class _Rewritten:
    signature: tuple  # the mapping restricted to the graph's nodes
    rewritten: frozenset[Triple]  # every triple of the input, IRIs rewritten
    rewritten_facts: dict  # node -> property -> set(values), for refinements and conflict detection
    dropped: frozenset[Triple] = frozenset()  # coarser dates another graph refines

    @property
    def triples(self) -> frozenset[Triple]:
        """What the graph holds in the merge: its rewritten triples but the refined dates."""
        return self.rewritten - self.dropped if self.dropped else self.rewritten

    @property
    def facts(self) -> dict:
        if not self.dropped:
            return self.rewritten_facts
        facts: dict = {}
        for node, props in self.rewritten_facts.items():
            facts[node] = {p: {v for v in vs if (node, p, v) not in self.dropped} for p, vs in props.items()}
            facts[node] = {p: vs for p, vs in facts[node].items() if vs}
        return facts


@dataclass
class _State:
    inputs: dict[URIRef, GraphInput]
    rewritten: dict[URIRef, _Rewritten]
    loaded_at: str | None
    refinements: list[Refinement] = field(default_factory=list)


@dataclass
class MergeResult:
    """A merged ``dataset`` and its ``report``. Serialise with :func:`to_trig` / :func:`to_nquads`.

    A merge made inside Oxigraph keeps no Python copy of its graphs (``_names`` says which they
    are); one made in Python keeps its state, so that :func:`merge_into` and
    :func:`remove_sources` can change it.
    """

    dataset: Dataset
    report: MergeReport
    _state: _State | None = field(repr=False, compare=False, default=None)
    _names: list[URIRef] = field(repr=False, compare=False, default_factory=list)

    @property
    def graph_names(self) -> list[URIRef]:
        if self._state is None:
            return list(self._names)
        return sorted(self._state.rewritten) + [META_GRAPH]

    def graphs(self) -> list[tuple[URIRef, frozenset[Triple]]]:
        """Every merged graph (meta graph last) with its triples, by name."""
        if self._state is None:
            return [(name, frozenset(plain_graph(self.dataset, [name]))) for name in self._names]
        graphs = [(name, rw.triples) for name, rw in sorted(self._state.rewritten.items(), key=lambda i: str(i[0]))]
        return graphs + [(META_GRAPH, frozenset(_meta_triples(self._state)))]

    def quads(self) -> list[Quad]:
        """Every quad of the merge (meta graph included), in canonical order."""
        return sorted_quads(self.graphs())


# --- public API ----------------------------------------------------------------


def merge_sources(
    paths: Sequence[Path | str],
    reference_graphs: Sequence[Path | str] = (),
    *,
    store: str | StoreSpec = DEFAULT_STORE,
    loaded_at: str | None = None,
    strict: bool = False,
    dataset: Dataset | None = None,
) -> MergeResult:
    """Merge the source graph files ``paths`` and the reference graph files ``reference_graphs``.

    The merged graphs are added to ``dataset`` when given, else to a new dataset on ``store``
    (see :mod:`diplograph.store`); on Oxigraph (the ``memory`` and ``oxigraph`` stores) the merge
    is done inside Oxigraph (:mod:`~diplograph.merge.in_oxigraph`), elsewhere in Python: the same
    result. ``loaded_at`` (an ISO 8601 date-time) is written as ``prov:generatedAtTime`` of every
    graph in ``graph/meta`` when given; ``strict`` raises :class:`MergeConflictError` (exit 1)
    when the report holds a conflict or type clash. Unreadable inputs raise
    :class:`~diplograph.errors.InputError` / ``InputErrors`` (exit 2) before anything is merged.
    """
    spec = store_spec(store)
    in_oxigraph = is_oxigraph(dataset) if dataset is not None else spec.kind in ("memory", "oxigraph")
    if in_oxigraph:
        staged = stage_sources(paths, reference_graphs)
        target = dataset if dataset is not None else (new_dataset(spec) if spec.kind == "oxigraph" else None)
        return merge_staged_result(staged, loaded_at=loaded_at, strict=strict, target=target)
    inputs = read_sources(paths, reference_graphs)
    return merge_read(inputs, dataset if dataset is not None else new_dataset(spec), loaded_at=loaded_at, strict=strict)


def merge_staged_result(
    staged: StagedSources, *, loaded_at: str | None = None, strict: bool = False, target: Dataset | None = None,
    on_data_staged=None,
) -> MergeResult:
    """Reconcile graphs :func:`~diplograph.merge.in_oxigraph.stage_sources` staged (the second step of a
    merge inside Oxigraph); into ``target`` when given, else a new memory dataset. ``on_data_staged``:
    see :func:`~diplograph.merge.in_oxigraph.merge_staged`."""
    dataset, report, names = merge_staged(staged, loaded_at=loaded_at, target=target, on_data_staged=on_data_staged)
    if strict and not report.ok:
        raise MergeConflictError(report)
    return MergeResult(dataset=dataset, report=report, _names=names)


def read_sources(paths: Sequence[Path | str], reference_graphs: Sequence[Path | str] = ()) -> list[GraphInput]:
    """Read every file to merge (first step of :func:`merge_sources`): nothing is written yet.

    Raises the input errors of every unreadable file together.
    """
    if not paths and not reference_graphs:
        raise UsageError("nothing to merge: give at least one graph file")
    return read_inputs([(p, "source") for p in paths] + [(p, "reference") for p in reference_graphs], KEY_PREDICATES)


def merge_read(
    inputs: list[GraphInput], dataset: Dataset, *, loaded_at: str | None = None, strict: bool = False
) -> MergeResult:
    """Reconcile graphs :func:`read_sources` read and add them to ``dataset`` (second step of :func:`merge_sources`)."""
    state = _State(inputs={}, rewritten={}, loaded_at=loaded_at)
    _add_inputs(state, inputs)
    return _assemble(state, dataset, strict=strict)


def merge_into(existing: MergeResult, new_paths: Sequence[Path | str], *, strict: bool = False,
               kind: str = "source") -> MergeResult:
    """Add the graph files ``new_paths`` to an existing merge and return the new merge.

    Only the new files are parsed; keys are resolved again over everything, and only graphs
    whose rewrites change (rare: a new source can change which IRI a group gets) are rewritten
    again. ``existing.dataset`` is updated in place and shared with the result: keep using the
    returned value, not ``existing``.
    """
    state = _python_state(existing)
    _add_inputs(state, read_inputs([(p, kind) for p in new_paths], KEY_PREDICATES))
    return _assemble(state, existing.dataset, strict=strict)


def remove_sources(existing: MergeResult, sources: Iterable[URIRef | str | Path]) -> MergeResult:
    """Take graphs out of a merge: by graph IRI, or by file (all graphs read from that file).

    The result equals merging without them (keys are resolved again). ``existing.dataset`` is
    updated in place. A name that is not in the merge is a :class:`~diplograph.errors.UsageError`.
    """
    state = _python_state(existing)
    drop: set[URIRef] = set()
    for item in sources:
        if isinstance(item, URIRef):
            matches = {item} & set(state.inputs)
        else:
            matches = {n for n, i in state.inputs.items() if i.file == display_path(item)}
            matches |= {n for n in state.inputs if str(n) == str(item)}
        if not matches:
            raise UsageError(f"{item}: no such graph in the merge")
        drop |= matches
    for name in drop:
        del state.inputs[name]
    return _assemble(state, existing.dataset, strict=False)


def to_nquads(result: MergeResult) -> str:
    """The merge as N-Quads, one line per quad, sorted: byte-identical for the same inputs."""
    return to_nquads_text(result.quads())


def to_trig(result: MergeResult) -> str:
    """The merge as TriG: fixed prefixes, graphs and triples in canonical order."""
    return to_trig_text(result.quads())


def write_merged(result: MergeResult, path: Path | str, report_path: Path | str | None = None) -> None:
    """Write the merge to ``path`` (``.trig`` or ``.nq``) and the report as JSON.

    Nothing is replaced unless every output can be written (:func:`~diplograph.files.write_all_atomically`).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in MERGE_FORMATS:
        raise UsageError(f"{display_path(path)}: write the merge to a .trig or .nq file")
    outputs = [(path, to_trig(result) if suffix == ".trig" else to_nquads(result))]
    if report_path is not None:
        outputs.append((Path(report_path), result.report.to_json()))
    write_all_atomically(outputs)


# --- assembling ----------------------------------------------------------------------


def _python_state(result: MergeResult) -> _State:
    if result._state is None:
        raise UsageError("adding to or removing from a merge needs one made on the rdflib store (store='rdflib')")
    return result._state



def _add_inputs(state: _State, inputs: list[GraphInput]) -> None:
    for inp in inputs:
        if check_new_input(state.inputs, inp):
            state.inputs[inp.name] = inp


def _signature(inp: GraphInput, mapping: Mapping[Node, URIRef]) -> tuple:
    return tuple(sorted(((n, mapping[n]) for n in inp.nodes if n in mapping), key=lambda x: str(x[0])))


def _rewrite(inp: GraphInput, mapping: Mapping[Node, URIRef]) -> _Rewritten:
    signature = _signature(inp, mapping)
    if not signature:
        triples = frozenset(inp.triples)
    else:
        get = mapping.get
        triples = frozenset((get(s, s), p, get(o, o)) for s, p, o in inp.triples)
    facts: dict = defaultdict(lambda: defaultdict(set))
    for s, p, o in triples:
        if p in FACT_PREDICATES:
            facts[s][p].add(o)
    return _Rewritten(signature, triples, {k: dict(v) for k, v in facts.items()})


def _assemble(state: _State, dataset: Dataset, strict: bool) -> MergeResult:
    resolution = resolve(state.inputs)
    mapping = resolution.mapping
    # rewrite the graphs whose applicable mapping changed (all of them the first time)
    for name in list(state.rewritten):
        if name not in state.inputs:
            del state.rewritten[name]
            dataset.remove_graph(dataset.graph(name))
    for name, inp in state.inputs.items():
        old = state.rewritten.get(name)
        if old is not None:
            if _signature(inp, mapping) == old.signature:
                continue
            dataset.remove_graph(dataset.graph(name))
        new = _rewrite(inp, mapping)
        state.rewritten[name] = new
        target = dataset.graph(name)
        target.addN((s, p, o, target) for s, p, o in new.triples)
    _refine(state, dataset)
    meta = dataset.graph(META_GRAPH)
    meta.remove((None, None, None))
    meta.addN((s, p, o, meta) for s, p, o in _meta_triples(state))

    rewrites = [
        Rewrite(name, n, target, resolution.keys.get(n, ""), inp.file)
        for name, inp in state.inputs.items()
        for n, target in state.rewritten[name].signature
    ]
    sources = tuple(sorted(
        (SourceInfo(n, i.file, i.sha256, len(state.rewritten[n].triples), i.kind, i.loaded_at)
         for n, i in state.inputs.items()), key=lambda s: str(s.graph)))
    conflicts = find_conflicts({n: rw.facts for n, rw in state.rewritten.items()},
                               {n: i.file for n, i in state.inputs.items()})
    report = MergeReport(
        sources=sources,
        rewrites=tuple(sorted(rewrites)),
        conflicts=tuple(conflicts),
        type_clashes=tuple(resolution.clashes),
        warnings=tuple(resolution.warnings),
        triples=sum(len(r.triples) for r in state.rewritten.values()),
        refinements=tuple(state.refinements),
    )
    result = MergeResult(dataset=dataset, report=report, _state=state)
    if strict and not report.ok:
        raise MergeConflictError(report)
    return result


def _refine(state: _State, dataset: Dataset) -> None:
    """Take the coarser of two agreeing dates out of the graphs that gave them (and put back those
    no longer refined, after a source was added or removed)."""
    refinements, drops = find_refinements({n: rw.rewritten_facts for n, rw in state.rewritten.items()},
                                          {n: i.file for n, i in state.inputs.items()})
    state.refinements = refinements
    for name, rw in state.rewritten.items():
        dropped = frozenset(drops.get(name, ()))
        if dropped == rw.dropped:
            continue
        graph = dataset.graph(name)
        graph.addN((s, p, o, graph) for s, p, o in rw.dropped - dropped)
        for triple in dropped - rw.dropped:
            graph.remove(triple)
        rw.dropped = dropped


def _meta_triples(state: _State) -> list[Triple]:
    return meta_triples(((n, i.file, i.sha256) for n, i in state.inputs.items()),
                        {n: rw.facts for n, rw in state.rewritten.items()}, state.loaded_at, state.refinements)
