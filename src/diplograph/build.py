"""``diplograph build``, the main job: load, validate, check, infer, query, and write ``out/``.

:func:`build` runs the pipeline of DESIGN §3 on a project and writes every
output into a fresh folder:

==========================  ====================================================
``dataset.trig``            every named graph: ontology, shapes, reference,
``dataset.nq``              sources and ``graph/inferred``
``validation-report.ttl``   pyshacl's ``sh:ValidationReport`` graph
``validation-report.txt``   the same, one line per result, for people
``queries/<name>.csv``      each named query's answer (SPARQL 1.1 CSV and JSON
``queries/<name>.json``     results formats): on the asserted graphs, and with the
                            inferred graph for the queries tagged ``inference``
``merge-report.json``       every IRI rewritten while reconciling, every conflict
``network.html``            the interactive network of the asserted graphs
``ontology/index.html``     the ontology's documentation (pyLODE): every class, property and concept
==========================  ====================================================

Stages (:data:`STAGES`), each timed in :attr:`BuildReport.seconds`:

1. ``load``     the project's dataset (:func:`diplograph.dataset.assemble`) on
                ``store``: ontology, shapes, reference and source graphs, entities
                reconciled by key, the merge metadata;
2. ``validate`` SHACL with the ontology mixed in (pyshacl, or the fast engine).
                Any violation raises :class:`NonConformingError` (exit 1);
3. ``checks``   ``queries/checks/*-violation.rq`` on the asserted data: a row is
                a problem. Rows of a ``#+ severity: violation`` check raise
                :class:`ChecksFailedError` (exit 1); warning checks are counted;
4. ``infer``    OWL-RL (:func:`diplograph.dataset.add_inferred`) into ``graph/inferred``;
5. ``queries``  every named query in ``queries/*.rq`` on the union of all graphs;
6. ``write``    the files, then the swap into place.

Atomicity (:mod:`diplograph.out_folder`): files are written into a temporary folder beside the
output folder (``out.tmp-PID-XXXX``); only when all are written is it swapped in (the old
``out/`` is renamed to ``out.old-PID-XXXX``, the new one renamed to ``out/``, the old one
deleted). A build that fails at any stage leaves the previous ``out/`` exactly as it was and no
``out.tmp-*`` folder behind; what a killed build leaves, the next one removes. An Oxigraph
database inside ``out/`` that a running ``diplograph serve`` holds (:attr:`BuildReport.kept`), or
that this build's store is, is never moved or deleted: the rest of ``out/`` is replaced around it.

With the fast engines (``engine="fast"``), which evaluate inside Oxigraph without holding
Python's lock, the work is spread over two cores: the ontology page is made while Oxigraph parses
the files (and written if the dataset's ontology graph holds what it shows), the engines' copy of
the data is made in a thread while the merge reconciles the files (its changes replayed on the copy), the files that
only read the asserted graphs (network page, ontology page, merge report, the dumps of every graph
but ``graph/inferred``) are written beside ``validate``, the distinct triples are counted with the
copy's size, ``infer`` runs in a thread of its own from the start of ``validate`` on, beside
``validate``, ``checks`` and ``queries`` (on the copy validation reads: neither engine writes its
default graph, each adds named graphs of its own), the plain queries run two at a time and their
files are written while the reasoner works, ``graph/inferred`` is added (in a thread) as soon as the reasoner ends and
the plain queries have run, while their files are still being written, and the two dumps of the
whole dataset are finished (``graph/inferred`` added to their end) in threads of their own beside
the queries that read the inferred graph. Errors are the same and come in the same
order: data that does not conform, or a check that fails, still fails the build before anything the
reasoner says (which is then told to stop before its next rule), and the build waits for every
thread before it returns or raises. Python's cycle collector is paused while the
merge makes its objects (:mod:`diplograph.memory`).

The library prints nothing: ``progress`` (optional) is called with each stage
name as the stage starts, so a caller can show progress (with the fast engines ``infer``
starts just after ``validate``, before it ends).
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from diplograph.dataset import ProjectDataset, add_inferred, assemble, read_ontology, reason
from diplograph.errors import DiplographError, OutputPathError, display_path
from diplograph.iris import graph_iri
from diplograph.merge import MergeReport
from diplograph.out_folder import in_use_databases, inside, replace_folder, staging_folder
from diplograph.project import Project
from diplograph.queries import NamedQuery, QueryResult, list_queries, run_query, write_csv, write_json
from diplograph.reasoning import InferenceResult
from diplograph.store import (
    DEFAULT_STORE,
    StoreSpec,
    WorkingStore,
    append_graphs,
    as_stored,
    distinct_triples_with,
    graph_sizes,
    is_oxigraph,
    plain_graph,
    working_store,
    write_graphs_file,
)
from diplograph.summary import distinct_triples
from diplograph.terms import bind_prefixes, shorten
from diplograph.memory import collection_paused, return_freed_memory, set_aside
from diplograph.threads import Beside, in_order, workers
from diplograph.validation.project import dg_terms_used, validate_dataset
from diplograph.validation.report import ValidationReport, ValidationResult
from diplograph.ontology_docs import import_pylode, ontology_html
from diplograph.viz import write_network_html

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
    ``seconds`` maps each stage of :data:`STAGES` to its duration; with the fast engines ``infer``
    runs beside ``validate``, ``checks`` and ``queries``, so the stages add up to more than ``wall_seconds``,
    the build's time from start to end.
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
    kept: tuple[Path, ...] = ()  # databases inside out_dir that a server holds: left where they were
    seconds: dict[str, float] = field(default_factory=dict)
    inference: InferenceResult | None = field(default=None, repr=False)
    merge: MergeReport | None = field(default=None, repr=False)

    wall_seconds: float | None = None

    @property
    def total_seconds(self) -> float:
        """The build's time, start to end (the stages' sum for a report made without it)."""
        return self.wall_seconds if self.wall_seconds is not None else sum(self.seconds.values())


def build(
    project: Project,
    out_dir: Path | str | None = None,
    store: str | StoreSpec = DEFAULT_STORE,
    progress: Callable[[str], None] | None = None,
    engine: str = "reference",
    *,
    allow_service: bool = False,
) -> BuildReport:
    """Run the whole pipeline on ``project`` and write ``out_dir`` (default ``project.out_dir``).

    Raises :class:`NonConformingError` or :class:`ChecksFailedError` (exit 1)
    for data that fails validation or a check, the input errors of
    :mod:`diplograph.errors` (exit 2) for unreadable files or queries. On any
    error, ``out_dir`` is left as it was. ``engine`` picks validation and reasoning engines:
    "reference" (pyshacl, owlrl) or "fast" (:mod:`diplograph.fast_shacl`, :mod:`diplograph.fast_rules`).
    A named query or check with ``SERVICE`` is refused (:class:`~diplograph.errors.RefusedSparqlError`)
    unless ``allow_service``: the project's query files do not get to make this machine send requests.
    """
    out = Path(out_dir) if out_dir is not None else project.out_dir
    seconds: dict[str, float] = {}
    timer = _Timer(seconds, progress)
    started = time.perf_counter()
    # The fast engines evaluate inside Oxigraph, which lets go of Python's lock: on a second core,
    # their copy of the data is made beside the merge, the files of the asserted graphs beside
    # validation, and the reasoner (on the copy validation reads) beside validation, the checks and
    # the queries that do not read its conclusions.
    beside = engine == "fast"

    copying: list[tuple[list[URIRef], Beside]] = []  # the engines' copy of the data, made beside the merge
    # What needs no data, while Oxigraph parses the files on the other core: the named queries
    # read (their errors still come at the checks stage), pyLODE imported.
    ahead = Beside(functools.partial(_ahead, project), name=_THREAD) if beside else None
    page_ahead = Beside(functools.partial(_ontology_page, project), name=_THREAD) if beside else None

    def copy_beside(names: list[URIRef], copy: Callable[[], object]) -> None:
        copying.append((names, Beside(functools.partial(_copy_and_scan, copy), name=_THREAD)))

    with timer("load"):
        try:
            with collection_paused():  # the merge's objects all live on: walking them again and again took 3 s at 1M
                assembled = assemble(project, store=store, on_data_staged=copy_beside if beside else None)
        finally:
            for _names, pending in copying:
                pending.wait()  # only once it is there does load end (or fail)
            for early in (ahead, page_ahead):
                if early is not None:
                    early.wait()
        # counted with the engines' copy after validation, or beside the checks: only on Oxigraph (elsewhere
        # rdflib's SPARQL parser would run in two threads)
        count_later = beside and is_oxigraph(assembled.dataset)
        counting = None
        triples_asserted = None if count_later else distinct_triples(assembled)
    with set_aside():  # what the load made stays: later cycle collections need not walk it
        staged = _Staged(out)
        reasoning = storing = sizing = None
        stop = threading.Event()
        try:
            if beside and is_oxigraph(assembled.dataset):
                # The files of the asserted graphs, while the engines work. Not on other stores: there
                # reading is Python (rdflib's SPARQL, not safe in two threads) or a server's answers,
                # and build draws them from the memory copy it makes before the inferred graph.
                staged.write_asserted_beside(assembled, page_ahead.result())
            with timer("validate"):
                # The fast engines read one copy of the data graphs: validation leaves it as it was, and the
                # reasoner adds to it (one copy fewer: 3 s and the data's size in memory at 1M triples).
                working = used_terms = None
                if copying and copying[0][0] == assembled.data_graphs:
                    working, used_terms = copying.pop()[1].result()
                if working is None and beside:
                    working = working_store(assembled.dataset, assembled.data_graphs)
                if beside:
                    # The reasoner only reads the copy's default graph (it writes graphs of its own),
                    # so it starts now, beside validation, on the same copy; a build that fails stops it.
                    # partial, not a lambda: the thread must hold the store itself, not the name deleted below
                    reasoning = timer.beside("infer", functools.partial(reason, assembled, engine, working=working,
                                                                        stop=stop))
                report = validate_dataset(project, assembled, checks=False, engine=engine, working=working,
                                          used_terms=used_terms)  # checks: next stage
                if not report.conforms:
                    raise NonConformingError(report)
                if count_later:  # before the reasoner adds to the copy (made: count_later means beside)
                    if assembled.query_graphs is None:
                        triples_asserted = distinct_triples_with(assembled.dataset, working, assembled.data_graphs)
                    if triples_asserted is None:
                        counting = Beside(functools.partial(distinct_triples, assembled), name=_THREAD)
            del working
            with timer("checks"):
                named = ahead.result() if ahead is not None else _named_queries(project)
                checks = [q for q in named if q.is_check]
                failures, check_warnings = _run_checks(assembled, checks, allow_service)
                if failures:
                    raise ChecksFailedError(failures)
            if reasoning is None:
                with timer("infer"):
                    inference = reason(assembled, engine, working=None)
            with timer("queries"):
                # Each query on the dataset its golden answer is defined on: the asserted graphs, and for
                # the queries tagged "inference" (which have no answer without it) the inferred graph too.
                # Two at a time on two cores: Oxigraph answers without Python's lock (rdflib's SPARQL
                # parser is not safe in two threads: one at a time on other stores).
                together = workers() if beside and is_oxigraph(assembled.dataset) else 1
                answer = functools.partial(run_query, assembled, allow_service=allow_service)
                plain = [q for q in named if not q.is_check and not q.needs_inference]
                try:
                    answers = list(zip(plain, in_order(answer, plain, threads=together, name=_THREAD), strict=True))
                except DiplographError:
                    if reasoning is not None:
                        reasoning.result()  # the reasoner's error first, as when it ran before the queries
                    raise
                staged.wait()  # it reads the dataset graph/inferred is about to be added to
                if reasoning is not None:
                    # The plain queries have read the dataset: graph/inferred goes in as soon as the
                    # reasoner ends, while their files are written (1.6 s at 1M triples).
                    storing = Beside(functools.partial(_store_inferred, assembled, engine, reasoning), name=_THREAD)
                    try:
                        staged.write_answers(report, answers)  # while the reasoner works; each one's rows then freed
                    except OutputPathError:
                        storing.wait()
                        reasoning.result()  # the reasoner's error first, as when the files came after it
                        raise
                    inference = storing.result()
                    staged.dump_beside(assembled, inference)  # nothing writes to the dataset from here on
                    sizing = Beside(functools.partial(graph_sizes, assembled.dataset), name=_THREAD)  # for the report
                else:
                    add_inferred(assembled, engine, result=inference)
                # Two at a time again, beside the dumps.
                later = [q for q in named if not q.is_check and q.needs_inference]
                answers += zip(later, in_order(answer, later, threads=together, name=_THREAD), strict=True)
                answers.sort(key=lambda pair: pair[0].name)
            if counting is not None:
                triples_asserted = counting.result()
        except BaseException:
            stop.set()  # the reasoner's answer is not needed: it stops before its next rule
            staged.discard()
            raise
        finally:
            for pending in (counting, reasoning, storing, sizing):
                if pending is not None:
                    pending.wait()  # never leave an engine running on a dataset the caller gets back
        with timer("write"):
            files, kept = staged.finish(assembled, report, answers, store)

        sizes = sizing.result() if sizing is not None else graph_sizes(assembled.dataset)
        return BuildReport(
            out_dir=out,
            graphs=len([n for n in assembled.view if sizes.get(n)]),
            triples_asserted=triples_asserted,
            triples_inferred=sizes.get(graph_iri("inferred"), 0),
            shapes_checked=report.shapes_checked,
            violations=report.violations,
            warnings=report.warnings,
            checks_run=len(checks),
            check_warnings=check_warnings,
            queries_run=len(answers),
            files=files,
            kept=tuple(kept),
            seconds={stage: seconds[stage] for stage in STAGES if stage in seconds},
            wall_seconds=time.perf_counter() - started,
            inference=inference,
            merge=assembled.merge,
        )


# --- stages ------------------------------------------------------------------

#: The name of the threads the fast engines' stages run in beside the others.
_THREAD = "diplograph-build"


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

    def beside(self, stage: str, work: Callable[[], object]) -> Beside:
        """Start ``stage`` in a thread of its own; its time is recorded when it ends."""
        if self.progress is not None:
            self.progress(stage)
        return Beside(work, name=_THREAD, on_done=lambda took: self.seconds.__setitem__(stage, took))


def _copy_and_scan(copy: Callable[[], WorkingStore | None]) -> tuple[WorkingStore | None, frozenset | None]:
    """The engines' copy of the data, and the dg: terms it uses (the undeclared-term check's two
    scans of every triple), found as soon as it is made: while the merge's last Python ends the load
    on the other core, not at the start of validation (0.9 s at 1M triples)."""
    store = copy()
    return store, dg_terms_used(store) if store is not None else None


def _store_inferred(assembled: ProjectDataset, engine: str, reasoning: Beside) -> InferenceResult:
    """Wait for the reasoner in its thread, then add what it concluded to the dataset as ``graph/inferred``."""
    inference = reasoning.result()
    reasoning.join()  # its thread held the working store: freed once the thread has ended
    return_freed_memory()  # the reasoner's copy of the data, freed in its thread's heap
    add_inferred(assembled, engine, result=inference)
    return inference


def _ahead(project: Project) -> list[NamedQuery]:
    import_pylode()
    return _named_queries(project)


@dataclass(frozen=True)
class _Page:
    """The ontology page, made while Oxigraph parses the data on the other core, and the graph it shows."""

    graph: Graph
    html: str


def _ontology_page(project: Project) -> _Page | None:
    """The ontology page of the ontology files as the dataset will hold them (read as
    :func:`~diplograph.dataset.assemble` reads them, and as Oxigraph gives them back). None when
    that fails: the load stage says what is wrong with the files, and the page is made (or fails)
    where it always was. :func:`_write_asserted` uses it only for the graph the dataset holds."""
    try:
        graph = as_stored(read_ontology(project))
        return _Page(graph, ontology_html(graph))
    except Exception:  # noqa: BLE001 - said again, where it always was, if it is not the files' fault
        return None


def _named_queries(project: Project) -> list[NamedQuery]:
    if not project.queries_dir.is_dir():
        return []
    return list_queries(project.queries_dir)


def _run_checks(
    assembled: ProjectDataset, checks: list[NamedQuery], allow_service: bool
) -> tuple[list[CheckFailure], int]:
    failures: list[CheckFailure] = []
    warnings = 0
    for check in checks:
        result = run_query(assembled, check, allow_service=allow_service)
        problem = bool(result.rows) or result.boolean is True
        if not problem:
            continue
        if check.severity == "violation":
            failures.append(CheckFailure(check, result))
        else:
            warnings += max(len(result), 1)
    return failures, warnings


# --- writing -----------------------------------------------------------------


def _exported_graphs(assembled: ProjectDataset) -> list[URIRef]:
    """The named graphs out/ holds: every non-empty one of the dataset, sorted."""
    sizes = graph_sizes(assembled.dataset)
    return sorted(n for n in assembled.view if sizes.get(n))


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


#: The two dumps of every graph: (file, format).
_DUMPS = (("dataset.trig", "trig"), ("dataset.nq", "nquads"))
#: The suffix of a dump of the asserted graphs alone, inside the staging folder, joined at the end.
_ASSERTED_PART = ".asserted"


def _write_asserted(folder: Path, assembled: ProjectDataset, dump: bool = True,
                    page: _Page | None = None) -> tuple[URIRef, ...]:
    """The files that only read the asserted graphs; the names of the graphs dumped (with ``dump``).

    With the fast engines this runs in a thread beside validation, the checks and the queries
    (which leave Python's lock free most of the time): the Python of the network page, pyLODE and
    the page writers, 3 s at 1M triples, is then off the build's path. On Oxigraph the asserted
    graphs are dumped here (``dataset.*.asserted``, by Oxigraph without Python's lock when they
    are all the dataset holds) and ``graph/inferred`` is added to their end at the end (:func:`_write_dump`).
    """
    names = tuple(_exported_graphs(assembled)) if dump and is_oxigraph(assembled.dataset) else ()
    for file, fmt in _DUMPS:
        if names:
            _write_file(folder / (file + _ASSERTED_PART),
                        lambda path, fmt=fmt: write_graphs_file(assembled.dataset, names, path, fmt))
    _write(folder / "merge-report.json", assembled.merge.to_json(times=False))
    write_network_html(assembled, folder / "network.html")
    (folder / "ontology").mkdir()
    ontology = plain_graph(assembled.dataset, [graph_iri("ontology")])
    early = page is not None and isomorphic(page.graph, ontology)  # the page made ahead shows these triples
    _write(folder / "ontology" / "index.html", page.html if early else ontology_html(ontology))
    return names


def _write_files(folder: Path, assembled: ProjectDataset, report: ValidationReport | None, answers,
                 dumped: tuple[URIRef, ...] | None) -> None:
    """The rest of the files, once :func:`_write_asserted` has written its own (``dumped``: the graphs
    it dumped; None: the dumps are written already, by :func:`_write_dump` in threads)."""
    if dumped is not None:
        for file, fmt in _DUMPS:
            _write_dump(folder, assembled, file, fmt, dumped)
    _write_answers(folder, report, answers)


def _write_dump(folder: Path, assembled: ProjectDataset, file: str, fmt: str, dumped: tuple[URIRef, ...],
                later: tuple[URIRef, ...] | None = None) -> None:
    """Write ``file``, every graph in format ``fmt``: the part file :func:`_write_asserted` wrote of
    the graphs ``dumped`` (when there are any), with the other graphs, ``later`` (by default
    every graph not in ``dumped``), added at its end."""
    target = folder / file
    if not dumped:
        names = _exported_graphs(assembled)
        _write_file(target, lambda path: write_graphs_file(assembled.dataset, names, path, fmt))
        return
    if later is None:
        later = tuple(n for n in _exported_graphs(assembled) if n not in dumped)

    def join(path: Path) -> None:
        os.replace(folder / (file + _ASSERTED_PART), path)
        if later:
            append_graphs(assembled.dataset, later, path, fmt)

    _write_file(target, join)


def _write_answers(folder: Path, report: ValidationReport | None, answers: list) -> None:
    """The validation report (unless None: written already) and each answer's CSV and JSON files.

    ``answers`` loses each answer's rows once its files are written (``answers[i]`` becomes
    ``(query, None)``), so that they are freed while the dataset grows by ``graph/inferred`` beside.
    """
    if report is not None:
        _write(folder / "validation-report.ttl",
               lambda h: bind_prefixes(report.report_graph).serialize(destination=h, format="turtle", encoding="utf-8"))
        _write(folder / "validation-report.txt", _report_text(report))
    (folder / "queries").mkdir(exist_ok=True)
    for i, (query, result) in enumerate(answers):
        _write(folder / "queries" / f"{query.name}.csv", functools.partial(write_csv, result))
        _write(folder / "queries" / f"{query.name}.json", functools.partial(write_json, result))
        answers[i] = (query, None)


def _write(path: Path, content) -> None:
    """Write ``content`` (text, or a function given the open binary file) to ``path`` (:func:`_write_file`)."""

    def fill(target: Path) -> None:
        with open(target, "wb") as handle:
            if isinstance(content, str):
                handle.write(content.encode("utf-8"))
            else:
                content(handle)

    _write_file(path, fill)


def _write_file(path: Path, fill: Callable[[Path], None]) -> None:
    """Have ``fill`` write the file ``path``, then sync it to disk.

    An error of the file system names ``path``: a full disk raises ENOSPC without a file name.
    """
    try:
        fill(path)
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
    except OSError as exc:  # Oxigraph's have no strerror: "No space left on device (os error 28)"
        raise OutputPathError(path, exc.strerror or str(exc).split(" (os error")[0]) from None


class _Staged:
    """The staging folder the files are written into (:func:`staging_folder`), made as soon as the
    dataset is loaded so that :func:`_write_asserted` can start, then swapped in for ``out``.

    A folder that cannot be made is reported where it always was, at the write stage (a build of
    bad data says so first); a build that fails removes the folder, once the writer has stopped.
    """

    def __init__(self, out: Path) -> None:
        self.out = out.absolute()
        self.folder: Path | None = None
        self.error: OutputPathError | None = None
        try:
            self.folder = staging_folder(self.out)
        except OutputPathError as exc:
            self.error = exc
        self.asserted: Beside | None = None
        self.dumps: list[Beside] = []  # dataset.trig and dataset.nq, written in threads (dump_beside)
        self.answered: set[str] = set()  # the queries whose files write_answers wrote

    @contextlib.contextmanager
    def _named_outside(self):
        """Errors of the file system name where the file would have gone, not the staging folder."""
        tmp, out = self.folder, self.out
        try:
            yield
        except OutputPathError as exc:
            raise OutputPathError(_in_out(exc.path, tmp, out), exc.reason) from None
        except OSError as exc:
            where = _in_out(Path(exc.filename), tmp, out) if exc.filename else out
            raise OutputPathError(where, exc.strerror or str(exc)) from None

    def write_asserted_beside(self, assembled: ProjectDataset, page: _Page | None = None) -> None:
        if self.folder is not None:
            self.asserted = Beside(functools.partial(_write_asserted, self.folder, assembled, page=page), name=_THREAD)

    def wait(self) -> None:
        """Wait for the writer in its thread: before anything writes to the dataset it reads."""
        if self.asserted is not None:
            self.asserted.wait()

    def dump_beside(self, assembled: ProjectDataset, inference: InferenceResult) -> None:
        """Start finishing the two dumps of the whole dataset, each in a thread, once ``graph/inferred``
        is in and nothing writes to the dataset again: Oxigraph writes the inferred graph's triples
        without Python's lock, and they are added to the end of the asserted graphs' dumps
        (:meth:`write_asserted_beside`), beside the queries that read the inferred graph. Only after
        :meth:`write_answers` (which raised the writer's error); errors come at :meth:`finish`."""
        if self.folder is None or self.asserted is None or not self.answered:
            return
        dumped = self.asserted.result()
        later = (graph_iri("inferred"),) if inference.kept else ()
        self.dumps = [Beside(functools.partial(_write_dump, self.folder, assembled, file, fmt, dumped, later), name=_THREAD)
                      for file, fmt in _DUMPS]

    def discard(self) -> None:
        self.wait()
        for dump in self.dumps:
            dump.wait()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)

    def write_answers(self, report: ValidationReport, answers: list) -> None:
        """Write the validation report and ``answers`` now, while the reasoner works (with the fast
        engines the plain queries end first, and at 1M triples the files take 3 s); the rest at
        :meth:`finish`. Each answer written loses its rows (:func:`_write_answers`). Nothing is
        written when the folder could not be made (:meth:`finish` raises that error)."""
        if self.folder is None:
            return
        with self._named_outside():
            if self.asserted is not None:
                self.asserted.result()  # its error first: it wrote the build's first files
            _write_answers(self.folder, report, answers)
        self.answered.update(query.name for query, _result in answers)

    def finish(self, assembled: ProjectDataset, report: ValidationReport, answers,
               store: StoreSpec | str) -> tuple[tuple[Path, ...], list[Path]]:
        """Write the remaining files, then swap the folder in: ``(files written, databases kept)``."""
        if self.error is not None:
            raise self.error
        tmp, out = self.folder, self.out
        try:
            with self._named_outside():
                if self.dumps:
                    for dump in self.dumps:
                        dump.wait()  # both, before an error of either removes the folder
                    for dump in self.dumps:
                        dump.result()
                    dumped = None  # written: dump_beside
                elif self.asserted is not None:
                    dumped = self.asserted.result()
                else:  # written now, after graph/inferred: the dumps are made whole below
                    dumped = _write_asserted(tmp, assembled, dump=False)
                rest = [(q, r) for q, r in answers if q.name not in self.answered]
                _write_files(tmp, assembled, None if self.answered else report, rest, dumped)
            files = tuple(sorted(p.relative_to(tmp) for p in tmp.rglob("*") if p.is_file()))
            served = in_use_databases(out)
            own = [store.db] if isinstance(store, StoreSpec) and inside(store.db, out) else []
            replace_folder(tmp, out, served + own)  # this build's own --db stays too, without a note
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return files, served


def _in_out(path: Path, tmp: Path, out: Path) -> Path:
    """``path`` inside the staging folder ``tmp`` -> the same path inside ``out`` (a dump of the
    asserted graphs is named as the file it becomes part of)."""
    path = Path(path)
    if path.name.endswith(_ASSERTED_PART):
        path = path.with_name(path.name[: -len(_ASSERTED_PART)])
    try:
        return out / path.absolute().relative_to(tmp)
    except ValueError:
        return path
