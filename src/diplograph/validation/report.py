"""Validation results, one type for every engine: what SHACL found, and how a report is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from diplograph.namespaces import SH

__all__ = ["POLICY", "SEVERITIES", "ValidationReport", "ValidationResult", "count_shapes", "report_graph"]

#: Severity names, most severe first (the order results are sorted in).
SEVERITIES: tuple[str, ...] = ("Violation", "Warning", "Info")
#: diplograph's conformance policy: the severities that make data non-conforming.
POLICY: tuple[str, ...] = ("Violation",)


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
    ``graphs_checked`` the data graphs validated and ``triples_checked`` their triples.
    ``report_graph`` is the ``sh:ValidationReport`` graph (pyshacl's own, or one written the same
    way by the fast engine), for tools that want it. ``engine`` names the engine that produced the
    report; ``fallback_shapes`` are the shapes the fast engine handed to pyshacl and ``notes`` say
    why; ``seconds`` times the engine's steps.

    Conformance policy (:data:`POLICY`): only ``sh:Violation`` results make data non-conforming;
    ``sh:Warning`` and ``sh:Info`` results are reported but do not fail a run. (The SHACL
    specification's ``sh:conforms`` is false for a result of any severity; the report graph
    states diplograph's policy instead, see :func:`report_graph`.)
    """

    conforms: bool
    results: tuple[ValidationResult, ...]
    shapes_checked: int
    graphs_checked: int = 1
    report_graph: Graph = field(default_factory=Graph, compare=False, repr=False)
    engine: str = "reference"
    fallback_shapes: tuple[Node, ...] = ()
    notes: tuple[str, ...] = ()
    seconds: dict[str, float] = field(default_factory=dict, compare=False)
    triples_checked: int = 0

    def count(self, severity: str) -> int:
        """Number of results of ``severity`` ("Violation", "Warning" or "Info")."""
        return sum(1 for r in self.results if r.severity == severity)

    @property
    def violations(self) -> int:
        return self.count("Violation")

    @property
    def warnings(self) -> int:
        return self.count("Warning")


def count_shapes(shapes: Graph) -> int:
    """Number of node and property shapes in ``shapes`` (typed ones and ``sh:property`` objects)."""
    found: set[Node] = set(shapes.subjects(RDF.type, SH.NodeShape))
    found.update(shapes.subjects(RDF.type, SH.PropertyShape))
    found.update(shapes.objects(None, SH.property))
    return len(found)



def report_graph(report: ValidationReport) -> Graph:
    """A ``sh:ValidationReport`` graph for the results (as pyshacl writes one)."""
    g = Graph()
    g.bind("sh", SH)
    root = BNode()
    g.add((root, RDF.type, SH.ValidationReport))
    g.add((root, SH.conforms, Literal(report.conforms)))
    for r in report.results:
        node = BNode()
        g.add((root, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, r.focus_node))
        if r.path is not None:
            g.add((node, SH.resultPath, r.path))
        if r.value is not None:
            g.add((node, SH.value, r.value))
        g.add((node, SH.resultMessage, Literal(r.message)))
        g.add((node, SH.resultSeverity, SH[r.severity]))
        g.add((node, SH.sourceShape, r.source_shape))
        if r.constraint_component is not None:
            g.add((node, SH.sourceConstraintComponent, r.constraint_component))
    return g
