"""Check graphs against the project's SHACL shapes and report each problem.

:func:`validate_graph` runs pyshacl on plain rdflib graphs and turns its
report graph into :class:`ValidationResult` values a program (or the CLI's
table) can read without knowing SHACL's report vocabulary.
:func:`validate_project` does the same for a whole project and says which
file each problem is in. :func:`meta_validate_shapes` checks the shapes
themselves against the W3C's SHACL-for-SHACL shapes.

Only ``sh:Violation`` results make data non-conforming; ``sh:Warning`` and
``sh:Info`` results are reported but do not fail a run.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from diplograph.iris import graph_iri
from diplograph.loading import load_graph
from diplograph.namespaces import DG, SH
from diplograph.project import Project
from diplograph.store import LoadedDataset, load_project_dataset, plain_graph

__all__ = [
    "ENGINES",
    "SEVERITIES",
    "ValidationReport",
    "ValidationResult",
    "check_results",
    "count_shapes",
    "meta_validate_shapes",
    "undeclared_terms",
    "validate_graph",
    "validate_loaded",
    "validate_project",
]

#: Validation engines: "reference" (pyshacl) and "fast" (SHACL compiled to SPARQL on Oxigraph,
#: :mod:`diplograph.fast_shacl`, same results; unsupported shapes fall back to pyshacl).
ENGINES: tuple[str, ...] = ("reference", "fast")

#: Severity names, most severe first (the order results are sorted in).
SEVERITIES: tuple[str, ...] = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class ValidationResult:
    """One problem SHACL found.

    ``focus_node`` is the node that was checked, ``path`` the property (or
    property path node) checked on it, ``value`` the offending value if there
    is one, ``message`` the shape's ``sh:message`` (or pyshacl's wording),
    ``severity`` one of :data:`SEVERITIES`, ``source_shape`` and
    ``constraint_component`` say which rule fired, and ``source_file`` is the
    file the focus node is described in, when known.
    """

    focus_node: Node
    path: Node | None
    value: Node | None
    message: str
    severity: str
    source_shape: Node
    constraint_component: URIRef | None
    source_file: Path | None = None

    def sort_key(self) -> tuple:
        # Blank-node shapes get fresh labels per run: keep them out of the key.
        return (
            SEVERITIES.index(self.severity) if self.severity in SEVERITIES else len(SEVERITIES),
            str(self.source_file or ""),
            str(self.focus_node),
            "" if self.path is None or isinstance(self.path, BNode) else str(self.path),
            "" if self.value is None else str(self.value),
            self.message,
            str(self.constraint_component or ""),
            "" if isinstance(self.source_shape, BNode) else str(self.source_shape),
        )


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating data against shapes.

    ``conforms`` is True iff no result has severity ``Violation``.
    ``results`` are sorted: severity, file, focus node, path, value, message.
    ``shapes_checked`` counts node and property shapes in the shapes graph;
    ``graphs_checked`` the data graphs validated. ``report_graph`` is
    pyshacl's own ``sh:ValidationReport`` graph, for tools that want it.
    """

    conforms: bool
    results: tuple[ValidationResult, ...]
    shapes_checked: int
    graphs_checked: int = 1
    report_graph: Graph = field(default_factory=Graph, compare=False, repr=False)

    def count(self, severity: str) -> int:
        """Number of results of ``severity`` ("Violation", "Warning" or "Info")."""
        return sum(1 for r in self.results if r.severity == severity)

    @property
    def violations(self) -> int:
        return self.count("Violation")

    @property
    def warnings(self) -> int:
        return self.count("Warning")


def validate_graph(data: Graph, shapes: Graph, ontology: Graph | None = None) -> ValidationReport:
    """Validate ``data`` against ``shapes`` with pyshacl.

    ``ontology`` is mixed into (a copy of) the data graph, so ``sh:class`` and
    ``sh:targetClass`` see ``rdfs:subClassOf``. No inference is run (the
    asserted data is what is checked); SHACL advanced features (SPARQL-based
    constraints and targets) are on. All three must be plain rdflib
    ``Graph``\\ s, see :func:`diplograph.store.plain_graph`.
    """
    _conforms, report_graph, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    return _report_from(report_graph, shapes)


def validate_project(
    project: Project, files: Sequence[Path | str] | None = None, store: object = "rdflib", engine: str = "reference"
) -> ValidationReport:
    """Validate a project's source graphs (``files``, default ``graphs/*.ttl``) and reference graphs.

    Loads everything with :func:`diplograph.store.load_project_dataset` on ``store`` (default the
    pure-rdflib store; any store spec works, since pyshacl always gets a plain copy), validates the union of the reference and source graphs
    against ``ontology/shapes/*.ttl`` with the ontology mixed in, and sets each
    result's ``source_file`` to the file whose graph describes the focus node
    (source graphs first, then reference graphs, then the ontology).
    Raises :mod:`diplograph.errors` input errors for unreadable or missing files.
    """
    loaded = load_project_dataset(project, files, store=store, include_shapes=True)
    return validate_loaded(project, loaded, plain_graph(loaded.dataset, [graph_iri("shapes")]), engine=engine)


def validate_loaded(
    project: Project, loaded: LoadedDataset, shapes: Graph, *, checks: bool = True, engine: str = "reference"
) -> ValidationReport:
    """Validate the reference and source graphs of an already loaded dataset (see :func:`validate_project`).

    Besides the SHACL shapes, reports dg: terms the ontology does not declare, runs the ontology
    checks on the ontology graph and (with ``checks``) the cross-entity checks in
    ``queries/checks/*-violation.rq``, whose rows are violations. The build job calls this on the
    dataset it builds (and runs the checks as a stage of its own). ``engine`` is one of
    :data:`ENGINES` (an unknown one is a :class:`~diplograph.errors.UsageError`).
    """
    validate = _engine(engine)
    ds = loaded.dataset
    data_names = loaded.graphs_of_kind("source") + loaded.graphs_of_kind("reference")
    ontology = plain_graph(ds, [graph_iri("ontology")])
    if engine == "fast":  # a working store copied inside Oxigraph: no rdflib copy of the data at all
        from diplograph.working_store import store_of_dataset

        data = store_of_dataset(ds, data_names)
        undeclared = undeclared_terms(data, ontology)  # before the validator adds the ontology to it
    else:
        data = plain_graph(ds, data_names)
        undeclared = undeclared_terms(data, ontology)
    report = validate(data, shapes, ontology)
    del data
    located = _locate(report.results, loaded, [*data_names, graph_iri("ontology")])
    undeclared = _locate(undeclared, loaded, data_names)
    if checks:
        undeclared += _locate(check_results(ds, project), loaded, data_names)
    report = dataclasses.replace(
        report,
        conforms=report.conforms and not undeclared,
        results=tuple(sorted(located + undeclared, key=ValidationResult.sort_key)),
        graphs_checked=len(data_names),
    )
    return _with_ontology_checks(report, project, ontology)


def check_results(dataset, project: Project) -> tuple[ValidationResult, ...]:
    """Run every check in ``queries/checks/`` on ``dataset``: each row is a problem.

    The first column names the focus node; the check's severity (``violation`` or ``warning``)
    is the result's; its summary, with the row's values, is the message.
    """
    from diplograph.queries import (  # queries do not depend on validation
        list_queries,
        run_query,
    )

    if not project.queries_dir.is_dir():
        return ()
    results = []
    for check in (q for q in list_queries(project.queries_dir) if q.is_check):
        answer = run_query(dataset, check)
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


#: What a cross-entity check result names as the rule that fired.
CHECK_RULE = URIRef("https://w3id.org/diplograph/ns#CheckQueryRule")

#: What an undeclared-term result names as the rule that fired.
UNDECLARED_TERM_RULE = URIRef("https://w3id.org/diplograph/ns#DeclaredTermRule")


def undeclared_terms(data: Graph | ox.Store, ontology: Graph) -> tuple[ValidationResult, ...]:
    """Find dg: terms that ``data`` uses as a property, a class or a concept but the ontology does not declare.

    SHACL alone would pass a typo such as ``dg:Persn``: no shape targets an unknown class. Each use
    is a Violation naming the node that uses the term and the closest declared terms. ``data`` is
    an rdflib ``Graph`` or a pyoxigraph ``Store`` (its default graph), which is only read.
    """
    namespace = str(DG)
    declared = {str(t) for t in ontology.subjects() if isinstance(t, URIRef) and str(t).startswith(namespace)}
    results = []
    for s, p, o in _dg_uses(data, declared):
        for term, role in ((p, "property"), (o, "class or concept")):
            if isinstance(term, URIRef) and str(term).startswith(namespace) and str(term) not in declared:
                local = str(term)[len(namespace):]
                close = difflib.get_close_matches(local, [d[len(namespace):] for d in declared], n=2, cutoff=0.75)
                hint = f"; did you mean {' or '.join('dg:' + c for c in close)}?" if close else ""
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


def _dg_uses(data: Graph | ox.Store, declared: set[str]):
    """The triples of ``data`` that may use an undeclared dg: term (all of them, for an rdflib graph).

    On Oxigraph, the distinct dg: predicates and objects are listed first and only the triples using
    an undeclared one are fetched, so a large conforming graph costs two scans and no Python loop.
    """
    if not isinstance(data, ox.Store):
        yield from data
        return
    from diplograph.working_store import from_ox

    namespace = str(DG)
    found = set()
    for var, pattern in (("p", "?s ?p ?o"), ("o", "?s ?p ?o FILTER(isIRI(?o))")):
        query = f'SELECT DISTINCT ?{var} WHERE {{ {pattern} FILTER(STRSTARTS(STR(?{var}), "{namespace}")) }}'
        found.update((var, row[var].value) for row in data.query(query))
    uses = {}  # a triple with an undeclared predicate and object is found twice
    for var, iri in sorted(found):
        if iri in declared:
            continue
        pattern = f"?s <{iri}> ?o" if var == "p" else f"?s ?p <{iri}>"
        for row in data.query(f"SELECT ?s ?p ?o WHERE {{ {pattern} BIND(<{iri}> AS ?{var}) }}"):
            uses[(from_ox(row["s"]), from_ox(row["p"]), from_ox(row["o"]))] = None
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


def meta_validate_shapes(shapes: Graph) -> ValidationReport:
    """Check the shapes graph itself against SHACL-for-SHACL (pyshacl's ``meta_shacl``).

    Catches shapes that validators would silently misread, such as an
    ``sh:path`` that is not a path or ``sh:minCount "one"``.
    """
    # pyshacl.validate(meta_shacl=True) only raises with a text report;
    # meta_validate is the function it calls, and returns the report graph.
    from pyshacl.entrypoints import meta_validate

    _conforms, report_graph, _text = meta_validate(shapes, inference="none", advanced=True, allow_warnings=True)
    return _report_from(report_graph, shapes)


def count_shapes(shapes: Graph) -> int:
    """Number of node and property shapes in ``shapes`` (typed ones and ``sh:property`` objects)."""
    found: set[Node] = set(shapes.subjects(RDF.type, SH.NodeShape))
    found.update(shapes.subjects(RDF.type, SH.PropertyShape))
    found.update(shapes.objects(None, SH.property))
    return len(found)


# --- helpers -----------------------------------------------------------------


def _engine(engine: str):
    """The function that validates with ``engine`` (see :data:`ENGINES`)."""
    if engine == "reference":
        return validate_graph
    if engine == "fast":
        from diplograph.fast_shacl import validate_fast

        return validate_fast
    from diplograph.errors import UsageError

    raise UsageError(f"unknown validation engine {engine!r}; choose one of: {', '.join(ENGINES)}")


def _report_from(report_graph: Graph, shapes: Graph) -> ValidationReport:
    results = sorted((_result_from(report_graph, node) for node in report_graph.objects(None, SH.result)),
                     key=ValidationResult.sort_key)
    return ValidationReport(
        conforms=not any(r.severity == "Violation" for r in results),
        results=tuple(results),
        shapes_checked=count_shapes(shapes),
        report_graph=report_graph,
    )


def _result_from(g: Graph, node: Node) -> ValidationResult:
    severity = g.value(node, SH.resultSeverity)
    messages = sorted(str(m) for m in g.objects(node, SH.resultMessage))
    return ValidationResult(
        focus_node=g.value(node, SH.focusNode),
        path=g.value(node, SH.resultPath),
        value=g.value(node, SH.value),
        message="; ".join(messages),
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        source_shape=g.value(node, SH.sourceShape),
        constraint_component=g.value(node, SH.sourceConstraintComponent),
    )


def _locate(
    results: Iterable[ValidationResult], loaded: LoadedDataset, names: list[URIRef]
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
        graph = loaded.dataset.graph(name)
        path = loaded.graph_files[name]
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
