"""``diplograph build``, the main job: load, validate, check, infer, query, and write ``out/``.

:func:`build` runs the pipeline of DESIGN §3 on a project and writes every
output into a fresh folder:

==========================  ====================================================
``dataset.trig``            every named graph: ontology, shapes, reference,
``dataset.nq``              sources and ``graph/inferred``
``validation-report.ttl``   pyshacl's ``sh:ValidationReport`` graph
``validation-report.txt``   the same, one line per result, for people
``queries/<name>.csv``      each named query's answer (SPARQL 1.1 CSV and JSON
``queries/<name>.json``     results formats), run with the inferred triples
``network.html``            only when :mod:`diplograph.viz` provides
                            ``write_network_html(dataset, path)``
==========================  ====================================================

Stages (:data:`STAGES`), each timed in :attr:`BuildReport.seconds`:

1. ``load``     ontology, ``graphs/reference/*.ttl`` and ``graphs/*.ttl`` into
                one dataset on ``store``, one named graph each;
2. ``validate`` SHACL (pyshacl on plain rdflib graphs, the ontology mixed in).
                Any violation raises :class:`NonConformingError` (exit 1);
3. ``checks``   ``queries/checks/*-violation.rq`` on the asserted data: a row is
                a problem. Rows of a ``#+ severity: violation`` check raise
                :class:`ChecksFailedError` (exit 1); warning checks are counted;
4. ``infer``    OWL-RL (:func:`diplograph.infer.materialise`) into ``graph/inferred``;
5. ``queries``  every named query in ``queries/*.rq`` on the union of all graphs;
6. ``write``    the files, then the swap into place.

Atomicity: files are written into a temporary folder beside the output
folder (``out.tmp-XXXX``); only when all are written is it swapped in (the old
``out/`` is renamed to ``out.old-XXXX``, the new one renamed to ``out/``, the
old one deleted). A build that fails at any stage leaves the previous ``out/``
exactly as it was and no ``out.tmp-*`` folder behind.

The library prints nothing: ``progress`` (optional) is called with each stage
name as the stage starts, so a caller can show progress.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from diplograph.errors import DiplographError, EmptyInputError, display_path
from diplograph.infer import InferenceResult, materialise
from diplograph.iris import graph_iri
from diplograph.loading import load_graph
from diplograph.merge import MergeReport, merge_sources
from diplograph.project import Project
from diplograph.queries import (
    NamedQuery,
    QueryResult,
    list_queries,
    run_query,
    to_csv,
    to_json,
)
from diplograph.store import (
    DEFAULT_STORE,
    LoadedDataset,
    add_graph,
    new_dataset,
    plain_graph,
)
from diplograph.terms import bind_prefixes, shorten
from diplograph.validate import ValidationReport, ValidationResult, validate_loaded

__all__ = [
    "STAGES",
    "BuildReport",
    "CheckFailure",
    "ChecksFailedError",
    "NonConformingError",
    "build",
]

#: Stage names, in the order they run (and are passed to ``progress``).
STAGES: tuple[str, ...] = ("load", "validate", "checks", "infer", "queries", "write")


class NonConformingError(DiplographError):
    """The data does not conform to the SHACL shapes; ``report`` holds every result."""

    exit_code = 1

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        super().__init__(f"the data does not conform: {report.violations} violation(s)")

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(_result_line(r) for r in self.report.results if r.severity == "Violation")


@dataclass(frozen=True)
class CheckFailure:
    """A check query (``queries/checks/*.rq``) and the rows it returned, each one a problem."""

    query: NamedQuery
    result: QueryResult


class ChecksFailedError(DiplographError):
    """At least one ``#+ severity: violation`` check returned rows."""

    exit_code = 1

    def __init__(self, failures: list[CheckFailure]) -> None:
        self.failures = tuple(failures)
        rows = sum(len(f.result) for f in failures)
        super().__init__(f"{rows} cross-entity check violation(s)")

    @property
    def problems(self) -> tuple[str, ...]:
        lines = []
        for failure in self.failures:
            for row in failure.result.rows:
                cells = ", ".join(
                    f"{c}={shorten(v)}" for c, v in zip(failure.result.columns, row, strict=True) if v is not None
                )
                lines.append(f"{display_path(failure.query.path)}: {failure.query.summary} ({cells})")
        return tuple(lines)


@dataclass(frozen=True)
class BuildReport:
    """What a build did.

    ``files`` are the paths written, relative to ``out_dir``, sorted.
    ``seconds`` maps each stage of :data:`STAGES` to its duration.
    """

    out_dir: Path
    graphs: int
    triples_asserted: int
    triples_inferred: int
    shapes_checked: int
    violations: int
    warnings: int
    checks_run: int
    check_warnings: int
    queries_run: int
    files: tuple[Path, ...]
    seconds: dict[str, float] = field(default_factory=dict)
    inference: InferenceResult | None = field(default=None, repr=False)
    network: bool = False
    merge: MergeReport | None = field(default=None, repr=False)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def build(
    project: Project,
    out_dir: Path | str | None = None,
    store: str = DEFAULT_STORE,
    progress: Callable[[str], None] | None = None,
    engine: str = "reference",
) -> BuildReport:
    """Run the whole pipeline on ``project`` and write ``out_dir`` (default ``project.out_dir``).

    Raises :class:`NonConformingError` or :class:`ChecksFailedError` (exit 1)
    for data that fails validation or a check, the input errors of
    :mod:`diplograph.errors` (exit 2) for unreadable files or queries. On any
    error, ``out_dir`` is left as it was. ``engine`` picks validation and reasoning engines:
    "reference" (pyshacl, owlrl) or "fast" (:mod:`diplograph.fast_shacl`, :mod:`diplograph.fast_rules`).
    """
    out = Path(out_dir) if out_dir is not None else project.out_dir
    seconds: dict[str, float] = {}
    timer = _Timer(seconds, progress)

    with timer("load"):
        loaded, merge_report = _load_merged(project, store)
        shapes = _load_shapes(project)
        triples_asserted = _distinct_triples(loaded.dataset)
    with timer("validate"):
        report = validate_loaded(project, loaded, shapes, checks=False, engine=engine)  # checks: next stage
        if not report.conforms:
            raise NonConformingError(report)
    with timer("checks"):
        named = _named_queries(project)
        checks = [q for q in named if q.is_check]
        failures, check_warnings = _run_checks(loaded.dataset, checks)
        if failures:
            raise ChecksFailedError(failures)
    with timer("infer"):
        inference = materialise(loaded, engine=engine)
    with timer("queries"):
        answers = [(q, run_query(loaded.dataset, q)) for q in named if not q.is_check]
    with timer("write"):
        add_graph(loaded.dataset, graph_iri("shapes"), shapes)
        files, network = _write_atomically(out, loaded.dataset, report, answers, merge_report)

    return BuildReport(
        out_dir=out,
        graphs=len(_graph_names(loaded.dataset)),
        triples_asserted=triples_asserted,
        triples_inferred=len(inference.inferred),
        shapes_checked=report.shapes_checked,
        violations=report.violations,
        warnings=report.warnings,
        checks_run=len(checks),
        check_warnings=check_warnings,
        queries_run=len(answers),
        files=files,
        seconds=seconds,
        inference=inference,
        network=network,
        merge=merge_report,
    )


# --- stages ------------------------------------------------------------------


class _Timer:
    def __init__(self, seconds: dict[str, float], progress: Callable[[str], None] | None) -> None:
        self.seconds = seconds
        self.progress = progress

    def __call__(self, stage: str) -> _Timer:
        self.stage = stage
        return self

    def __enter__(self) -> None:
        if self.progress is not None:
            self.progress(self.stage)
        self.started = time.perf_counter()

    def __exit__(self, *exc) -> None:
        self.seconds[self.stage] = time.perf_counter() - self.started


def _load_merged(project: Project, store) -> tuple[LoadedDataset, MergeReport]:
    """Merge every source graph with the reference graphs (entities reconciled by key, see
    :mod:`diplograph.merge`) and add the ontology: the dataset every later stage works on."""
    if not project.source_files:
        raise EmptyInputError(project.graphs_dir, "folder holds no *.ttl source graphs")
    merged = merge_sources(project.source_files, project.reference_files, store=store)
    ontology = bind_prefixes(Graph())
    for path in project.ontology_files:
        ontology += load_graph(path)
    add_graph(merged.dataset, graph_iri("ontology"), ontology)
    files = {info.graph: Path(info.file) for info in merged.report.sources}
    files[graph_iri("ontology")] = (
        project.ontology_files[0] if len(project.ontology_files) == 1 else project.ontology_dir
    )
    return LoadedDataset(merged.dataset, files, store=str(store)), merged.report


def _load_shapes(project: Project) -> Graph:
    files = project.shapes_files
    if not files:
        raise EmptyInputError(project.shapes_dir, "folder holds no *.ttl files (the SHACL shapes)")
    shapes = bind_prefixes(Graph())
    for path in files:
        shapes += load_graph(path)
    return shapes


def _named_queries(project: Project) -> list[NamedQuery]:
    if not project.queries_dir.is_dir():
        return []
    return list_queries(project.queries_dir)


def _run_checks(dataset: Dataset, checks: list[NamedQuery]) -> tuple[list[CheckFailure], int]:
    failures: list[CheckFailure] = []
    warnings = 0
    for check in checks:
        result = run_query(dataset, check)
        problem = bool(result.rows) or result.boolean is True
        if not problem:
            continue
        if check.severity == "violation":
            failures.append(CheckFailure(check, result))
        else:
            warnings += max(len(result), 1)
    return failures, warnings


def _graph_names(dataset: Dataset) -> list[URIRef]:
    return sorted(
        g.identifier
        for g in dataset.graphs()
        if isinstance(g.identifier, URIRef) and g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)
    )


def _distinct_triples(dataset: Dataset) -> int:
    row = next(iter(dataset.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")))
    return int(row[0])


# --- writing -----------------------------------------------------------------


def _export_dataset(dataset: Dataset) -> Dataset:
    """A pure-rdflib copy, literals in rdflib's form (no explicit ``^^xsd:string``)."""
    export = new_dataset("rdflib")
    for name in _graph_names(dataset):
        add_graph(export, name, plain_graph(dataset, [name]))
    return export


def _report_text(report: ValidationReport) -> str:
    verdict = "conforms" if report.conforms else "does not conform"
    lines = [
        f"{verdict}: {report.violations} violation(s), {report.warnings} warning(s), "
        f"{report.count('Info')} info in {report.graphs_checked} graph(s), {report.shapes_checked} shape(s)"
    ]
    lines += [_result_line(r) for r in report.results]
    return "\n".join(lines) + "\n"


def _result_line(r: ValidationResult) -> str:
    parts = [r.severity, shorten(r.focus_node)]
    if r.path is not None:
        parts.append(shorten(r.path))
    if r.value is not None:
        parts.append(f"value {shorten(r.value)}")
    where = f" ({display_path(r.source_file)})" if r.source_file else ""
    return " | ".join(parts) + f": {r.message}{where}"


def _network_writer():
    try:
        from diplograph.viz import write_network_html
    except ImportError:
        return None
    return write_network_html


def _write_files(folder: Path, dataset: Dataset, report: ValidationReport, answers, merge_report) -> bool:
    export = _export_dataset(dataset)
    export.serialize(destination=folder / "dataset.trig", format="trig", encoding="utf-8")
    export.serialize(destination=folder / "dataset.nq", format="nquads", encoding="utf-8")
    bind_prefixes(report.report_graph).serialize(destination=folder / "validation-report.ttl", format="turtle")
    (folder / "validation-report.txt").write_text(_report_text(report), encoding="utf-8")
    (folder / "merge-report.json").write_text(merge_report.to_json(times=False), encoding="utf-8")
    (folder / "queries").mkdir()
    for query, result in answers:
        (folder / "queries" / f"{query.name}.csv").write_text(to_csv(result), encoding="utf-8", newline="")
        (folder / "queries" / f"{query.name}.json").write_text(to_json(result), encoding="utf-8")
    writer = _network_writer()
    if writer is None:
        return False
    writer(dataset, folder / "network.html")
    return True


def _write_atomically(
    out: Path, dataset: Dataset, report: ValidationReport, answers, merge_report: MergeReport
) -> tuple[tuple[Path, ...], bool]:
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"{out.name}.tmp-", dir=out.parent))
    try:
        network = _write_files(tmp, dataset, report, answers, merge_report)
        files = tuple(sorted(p.relative_to(tmp) for p in tmp.rglob("*") if p.is_file()))
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return files, network


def _swap(new: Path, out: Path) -> None:
    """Put ``new`` in place of ``out``: rename the old away, rename the new in, delete the old."""
    if not out.exists():
        os.rename(new, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f"{out.name}.old-", dir=out.parent))
    os.rmdir(old)  # only the unique name is wanted
    os.rename(out, old)
    try:
        os.rename(new, out)
    except BaseException:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
