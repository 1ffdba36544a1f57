"""Validating a project's dataset: the shapes, undeclared terms, cross-entity checks, the ontology itself.

:func:`validate_dataset` validates the data graphs (sources and reference graphs) of an
assembled dataset (:func:`diplograph.dataset.assemble`) against its shapes graph with the
ontology mixed in, and adds what SHACL alone would miss:

- every ``dg:`` term the data uses that the ontology does not declare (:func:`undeclared_terms`:
  SHACL would let ``dg:Persn`` pass), with the closest declared terms;
- the cross-entity checks of ``queries/checks/*-violation.rq`` (:func:`check_results`), whose
  rows are problems;
- the ontology checked against ``ontology-checks.ttl`` (every term labelled and defined).

Each result names the file that describes its focus node (sources first, then reference graphs,
then the ontology). A node given more values than its shape allows by several files (two
``dg:date`` of one event) is a problem of two files: its message names every value and the file,
and line where one line of that file holds it, that each came from (:func:`_with_values`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from diplograph.errors import display_path
from diplograph.iris import graph_iri
from diplograph.merge.conflicts import value_text
from diplograph.loading import load_graph
from diplograph.namespaces import DG, SH
from diplograph.terms import term_key
from diplograph.project import Project
from diplograph.store import DEFAULT_STORE, WorkingStore, plain_graph, working_store
from diplograph.threads import in_order, workers
from diplograph.validation import validate_graph, validator
from diplograph.validation.report import ValidationReport, ValidationResult

if TYPE_CHECKING:
    from diplograph.dataset import ProjectDataset

__all__ = [
    "CHECK_RULE",
    "UNDECLARED_TERM_RULE",
    "check_results",
    "dg_terms_used",
    "undeclared_terms",
    "validate_dataset",
    "validate_project",
]

#: What a cross-entity check result names as the rule that fired.
CHECK_RULE = URIRef("https://w3id.org/diplograph/ns#CheckQueryRule")
#: What an undeclared-term result names as the rule that fired.
UNDECLARED_TERM_RULE = URIRef("https://w3id.org/diplograph/ns#DeclaredTermRule")


def validate_dataset(
    project: Project, assembled: ProjectDataset, *, checks: bool = True, engine: str = "reference",
    allow_service: bool = False, working: WorkingStore | None = None,
    used_terms: frozenset[tuple[str, str]] | None = None,
) -> ValidationReport:
    """Validate the sources and reference graphs of ``assembled`` (see the module docstring).

    ``checks`` runs the cross-entity checks too (the build job runs them as a stage of its own); a
    check with ``SERVICE`` is refused unless ``allow_service`` (:func:`diplograph.queries.run_query`).
    ``engine`` is ``"reference"`` (pyshacl) or ``"fast"``; an unknown one is an
    :class:`~diplograph.errors.UnknownEngineError`. ``working``: for the fast engine, a working
    store already holding the data graphs (:func:`~diplograph.store.working_store`; left as it
    was, so that the reasoner can read it next), instead of a copy made here; ``used_terms``: its
    :func:`dg_terms_used`, when found already.
    """
    chosen = validator(engine)
    ds = assembled.dataset
    data_names = assembled.data_graphs
    ontology = plain_graph(ds, [graph_iri("ontology")])
    shapes = plain_graph(ds, [graph_iri("shapes")])
    # The fast engine reads a working store copied inside Oxigraph: no rdflib copy of the data.
    if chosen.name != "fast":
        data = plain_graph(ds, data_names)
    else:
        data = working if working is not None else working_store(ds, data_names)
    triples = data.default_size() if isinstance(data, WorkingStore) else len(data)  # the reasoner may add graphs beside
    # Before the validator adds the ontology to a working store; scans made already count only for `working` itself.
    undeclared = undeclared_terms(data, ontology, used_terms if data is working else None)
    report = chosen.validate(data, shapes, ontology)
    del data
    located = _with_values(_locate(report.results, assembled, [*data_names, graph_iri("ontology")]), assembled,
                           data_names)
    extra = _locate(undeclared, assembled, data_names)
    if checks:
        extra += _locate(check_results(assembled, project, allow_service=allow_service), assembled, data_names)
    report = dataclasses.replace(
        report,
        conforms=report.conforms and not any(r.severity == "Violation" for r in extra),
        results=tuple(sorted(located + extra, key=ValidationResult.sort_key)),
        graphs_checked=len(data_names),
        triples_checked=triples,
        notes=report.notes + tuple(r.line() for r in (assembled.merge.refinements if assembled.merge else ())),
    )
    return _with_ontology_checks(report, project, ontology)


def validate_project(
    project: Project, files: Sequence[Path | str] | None = None, *, store=DEFAULT_STORE, engine: str = "reference",
    allow_service: bool = False,
) -> ValidationReport:
    """Assemble ``project``'s dataset (``files``: the source graphs, default ``graphs/*.ttl``) and validate it."""
    from diplograph.dataset import assemble

    return validate_dataset(project, assemble(project, files, store=store), engine=engine, allow_service=allow_service)


def check_results(target, project: Project, *, allow_service: bool = False) -> tuple[ValidationResult, ...]:
    """Run every check in ``queries/checks/`` on ``target`` (a dataset): each row is a problem.

    The first column names the focus node; the check's severity (``violation`` or ``warning``)
    is the result's; its summary, with the row's values, is the message.
    """
    from diplograph.queries import list_queries, run_query

    if not project.queries_dir.is_dir():
        return ()
    results = []
    for check in (q for q in list_queries(project.queries_dir) if q.is_check):
        answer = run_query(target, check, allow_service=allow_service)
        for row in answer.rows:
            cells = ", ".join(f"{c}={v}" for c, v in zip(answer.columns, row, strict=True) if v is not None)
            results.append(
                ValidationResult(
                    focus_node=row[0] if row else URIRef(check.path.as_uri()),
                    path=None,
                    value=None,
                    message=f"{check.summary} ({cells}) [{check.path.name}]",
                    severity="Warning" if check.severity == "warning" else "Violation",
                    source_shape=URIRef(check.path.resolve().as_uri()),
                    constraint_component=CHECK_RULE,
                )
            )
    return tuple(results)


def undeclared_terms(data: Graph | WorkingStore, ontology: Graph,
                     used: frozenset[tuple[str, str]] | None = None) -> tuple[ValidationResult, ...]:
    """Find dg: terms that ``data`` uses as a property, a class or a concept but the ontology does not declare.

    SHACL alone would pass a typo such as ``dg:Persn``: no shape targets an unknown class. Each use
    is a Violation naming the node that uses the term and the closest declared terms. ``data`` is
    an rdflib ``Graph`` or a working store (its default graph), which is only read; ``used``:
    :func:`dg_terms_used` of that working store, when it was found already.
    """
    from diplograph.vocabulary import read_vocabulary, suggest

    namespace = str(DG)
    declared = {str(t) for t in ontology.subjects() if isinstance(t, URIRef) and str(t).startswith(namespace)}
    vocabulary = None  # read only when a term is unknown
    results = []
    for s, p, o in _dg_uses(data, declared, used):
        for term, role in ((p, "property"), (o, "class or concept")):
            if isinstance(term, URIRef) and str(term).startswith(namespace) and str(term) not in declared:
                local = str(term)[len(namespace):]
                vocabulary = vocabulary or read_vocabulary(ontology)
                close = suggest(local, vocabulary, role)
                kind = "properties" if role == "property" else "classes and concepts"
                if close:
                    hint = f"; did you mean {' or '.join(close)}? (`diplograph terms WORD` lists the {kind})"
                else:
                    hint = f"; no {role} of that name: `diplograph terms WORD` lists the {kind}"
                results.append(
                    ValidationResult(
                        focus_node=s,
                        path=p,
                        value=term if term is o else None,
                        message=f"dg:{local} is not a term of the diplograph ontology (used as a {role}){hint}",
                        severity="Violation",
                        source_shape=UNDECLARED_TERM_RULE,
                        constraint_component=UNDECLARED_TERM_RULE,
                    )
                )
    return tuple(sorted(results, key=ValidationResult.sort_key))


def dg_terms_used(data: WorkingStore) -> frozenset[tuple[str, str]]:
    """The dg: IRIs a working store uses as a predicate (``("p", iri)``) or an object (``("o", iri)``):
    two scans of every triple, on two cores at once (0.8 s each at 1M). ``build`` has them found
    as soon as the engines' copy of the data is made, while the load ends."""
    namespace = str(DG)

    def distinct(scan: tuple[str, str]) -> list[tuple[str, str]]:
        var, pattern = scan
        query = f'SELECT DISTINCT ?{var} WHERE {{ {pattern} FILTER(STRSTARTS(STR(?{var}), "{namespace}")) }}'
        return [(var, str(row[var])) for row in data.select(query)]

    scans = (("p", "?s ?p ?o"), ("o", "?s ?p ?o FILTER(isIRI(?o))"))
    return frozenset(use for uses in in_order(distinct, scans, threads=workers(), name="diplograph-validate")
                     for use in uses)


def _dg_uses(data: Graph | WorkingStore, declared: set[str], used: frozenset[tuple[str, str]] | None = None):
    """The triples of ``data`` that may use an undeclared dg: term (all of them, for an rdflib graph).

    On a working store, the distinct dg: predicates and objects are listed first (``used``, or
    :func:`dg_terms_used`) and only the triples using an undeclared one are fetched, so a large
    conforming graph costs two scans.
    """
    if not isinstance(data, WorkingStore):
        yield from data
        return
    found = used if used is not None else dg_terms_used(data)
    uses = {}  # a triple with an undeclared predicate and object is found twice
    for var, iri in sorted(found):
        if iri in declared:
            continue
        pattern = f"?s <{iri}> ?o" if var == "p" else f"?s ?p <{iri}>"
        for row in data.select(f"SELECT ?s ?p ?o WHERE {{ {pattern} BIND(<{iri}> AS ?{var}) }}"):
            uses[(row["s"], row["p"], row["o"])] = None
    yield from uses


def _with_ontology_checks(report: ValidationReport, project: Project, ontology: Graph) -> ValidationReport:
    """Add the results of ``ontology-checks.ttl`` (every dg: term labelled and defined), run on the
    ontology graph alone: those shapes describe the vocabulary, not instance data."""
    if not project.ontology_check_files:
        return report
    checks = Graph()
    for path in project.ontology_check_files:
        checks += load_graph(path)
    own = validate_graph(ontology, checks, None)
    ontology_file = project.ontology_files[0] if len(project.ontology_files) == 1 else project.ontology_dir
    extra = tuple(dataclasses.replace(r, source_file=ontology_file) for r in own.results)
    return dataclasses.replace(
        report,
        conforms=report.conforms and own.conforms,
        results=tuple(sorted(report.results + extra, key=ValidationResult.sort_key)),
        shapes_checked=report.shapes_checked + own.shapes_checked,
    )


def _with_values(
    results: Iterable[ValidationResult], assembled: ProjectDataset, names: list[URIRef]
) -> tuple[ValidationResult, ...]:
    """A too-many-values result whose values come from several files names each value and its file."""
    lines: dict[Path, list[str]] = {}
    out = []
    for r in results:
        if r.constraint_component != SH.MaxCountConstraintComponent or not isinstance(r.path, URIRef):
            out.append(r)
            continue
        given: dict[Node, list[Path]] = {}
        for name in names:
            path = assembled.graph_files[name]
            for value in assembled.dataset.graph(name).objects(r.focus_node, r.path):
                given.setdefault(value, []).append(path)
        if len({f for paths in given.values() for f in paths}) < 2:
            out.append(r)  # one file: nothing to add (and no file read: at 1M triples there are thousands)
            continue
        where = {value: [_place(path, value, lines) for path in paths] for value, paths in given.items()}
        values = "; ".join(f"{value_text(v)} in {', '.join(sorted(set(places)))}"
                           for v, places in sorted(where.items(), key=lambda item: term_key(item[0])))
        out.append(dataclasses.replace(r, message=f"{r.message} Values given: {values}."))
    return tuple(out)


def _place(path: Path, value: Node, lines: dict[Path, list[str]]) -> str:
    """``file`` or ``file:line``: the line when exactly one line of the file holds the value as written."""
    if path not in lines:
        try:
            lines[path] = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        except (OSError, UnicodeDecodeError):
            lines[path] = []
    written = f'"{value}"' if isinstance(value, Literal) else str(value)
    found = [i for i, text in enumerate(lines[path], 1) if written in text]
    return f"{display_path(path)}:{found[0]}" if len(found) == 1 else display_path(path)


def _locate(
    results: Iterable[ValidationResult], assembled: ProjectDataset, names: list[URIRef]
) -> tuple[ValidationResult, ...]:
    """Set ``source_file`` from the first graph (in ``names`` order) describing each focus node.

    A focus node is looked up as a subject in each graph, then as an object: a few index look-ups
    per result rather than a pass over every triple (which took longer than validating, at 1M).
    """
    results = list(results)
    focus_nodes = {r.focus_node for r in results}
    as_subject: dict[Node, Path] = {}
    as_object: dict[Node, Path] = {}
    for name in names:
        graph = assembled.dataset.graph(name)
        path = assembled.graph_files[name]
        for node in focus_nodes:
            if (node not in as_subject and not isinstance(node, Literal)
                    and next(iter(graph.triples((node, None, None))), None) is not None):
                as_subject[node] = path
            if node not in as_object and next(iter(graph.triples((None, None, node))), None) is not None:
                as_object[node] = path
    located = (
        dataclasses.replace(r, source_file=as_subject.get(r.focus_node) or as_object.get(r.focus_node))
        for r in results
    )
    return tuple(sorted(located, key=ValidationResult.sort_key))
