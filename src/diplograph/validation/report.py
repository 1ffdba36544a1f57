"""Validation results, one type for every engine: what SHACL found, and how a report is written."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from diplograph.namespaces import SH

__all__ = [
    "POLICIES",
    "POLICY",
    "SEVERITIES",
    "SHACL_POLICY",
    "ConformancePolicy",
    "ValidationReport",
    "ValidationResult",
    "count_shapes",
    "report_graph",
    "severity_iri",
    "severity_name",
    "stated_policy",
]

#: Severity names, most severe first (the order results are sorted in).
SEVERITIES: tuple[str, ...] = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class ConformancePolicy:
    """Which results make data non-conforming: those whose severity is in ``failing`` (None: every result)."""

    name: str
    failing: tuple[str, ...] | None
    description: str

    def fails(self, severity: str) -> bool:
        return self.failing is None or severity in self.failing

    def conforms(self, results: Iterable[ValidationResult]) -> bool:
        return not any(self.fails(r.severity) for r in results)


#: diplograph's conformance policy (the default): only ``sh:Violation`` results fail a run.
POLICY = ConformancePolicy("violations", ("Violation",), "only sh:Violation results make data non-conforming")
#: The SHACL specification's rule: a result of any severity (custom ones too) makes ``sh:conforms`` false.
SHACL_POLICY = ConformancePolicy("shacl", None, "any result makes data non-conforming (the SHACL specification)")
#: The policies by name.
POLICIES: dict[str, ConformancePolicy] = {p.name: p for p in (POLICY, SHACL_POLICY)}


def severity_name(iri: Node) -> str:
    """``"Violation"``, ``"Warning"`` or ``"Info"`` for SHACL's severities; the full IRI of any other."""
    text = str(iri)
    local = text[len(str(SH)):] if text.startswith(str(SH)) else None
    return local if local in SEVERITIES else text


def severity_iri(name: str) -> URIRef:
    """The IRI :func:`severity_name` gave ``name`` for."""
    return SH[name] if name in SEVERITIES else URIRef(name)


@dataclass(frozen=True)
class ValidationResult:
    """One problem SHACL found.

    ``focus_node`` is the node that was checked, ``path`` the property (or
    property path node) checked on it, ``value`` the offending value if there
    is one, ``message`` the shape's ``sh:message`` (or pyshacl's wording),
    ``severity`` one of :data:`SEVERITIES` (or the IRI of a custom severity, see
    :func:`severity_name`), ``source_shape`` and ``constraint_component`` say which rule fired
    (``source_constraint``: the ``sh:sparql`` node of a SPARQL constraint), and
    ``source_file`` is the file the focus node is described in, when known.
    """

    focus_node: Node
    path: Node | None
    value: Node | None
    message: str
    severity: str
    source_shape: Node
    constraint_component: URIRef | None
    source_file: Path | None = None
    source_constraint: Node | None = None

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

    ``conforms`` says whether the data conforms under ``policy`` (:data:`POLICY`, diplograph's
    default: only ``sh:Violation`` results make data non-conforming; :data:`SHACL_POLICY`: the
    specification's rule, any result does). ``results`` are sorted: severity, file, focus node,
    path, value, message. ``shapes_checked`` counts node and property shapes in the shapes graph;
    ``graphs_checked`` the data graphs validated and ``triples_checked`` their triples.
    ``report_graph`` is the ``sh:ValidationReport`` graph (pyshacl's own, or one written the same
    way by the fast engine), whose ``sh:conforms`` follows ``policy`` and whose ``rdfs:comment``
    names it (:func:`report_graph`). ``engine`` names the engine that produced the report;
    ``fallback_shapes`` are the shapes the fast engine handed to pyshacl and ``notes`` say why;
    ``seconds`` times the engine's steps.
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
    policy: ConformancePolicy = POLICY

    def count(self, severity: str) -> int:
        """Number of results of ``severity`` ("Violation", "Warning" or "Info")."""
        return sum(1 for r in self.results if r.severity == severity)

    @property
    def violations(self) -> int:
        return self.count("Violation")

    @property
    def warnings(self) -> int:
        return self.count("Warning")

    def summary(self) -> str:
        """One line: the verdict, the counts, and the policy that gave the verdict."""
        verdict = "conforms" if self.conforms else "does not conform"
        return (f"{verdict}: {self.violations} violation(s), {self.warnings} warning(s), {self.count('Info')} info "
                f"(policy {self.policy.name}: {self.policy.description})")


def count_shapes(shapes: Graph) -> int:
    """Number of node and property shapes in ``shapes`` (typed ones and ``sh:property`` objects)."""
    found: set[Node] = set(shapes.subjects(RDF.type, SH.NodeShape))
    found.update(shapes.subjects(RDF.type, SH.PropertyShape))
    found.update(shapes.objects(None, SH.property))
    return len(found)



def report_graph(report: ValidationReport, *sources: Graph) -> Graph:
    """A ``sh:ValidationReport`` graph for the results (as pyshacl writes one), stating the policy.

    A blank-node result path is copied with its structure from the first of ``sources`` (the
    shapes graph, a report of pyshacl's) that describes it, so the graph says which path it is.
    """
    g = Graph()
    g.bind("sh", SH)
    root = BNode()
    g.add((root, RDF.type, SH.ValidationReport))
    for r in report.results:
        node = BNode()
        g.add((root, SH.result, node))
        g.add((node, RDF.type, SH.ValidationResult))
        g.add((node, SH.focusNode, r.focus_node))
        if r.path is not None:
            g.add((node, SH.resultPath, r.path))
            if isinstance(r.path, BNode):
                source = next((s for s in sources if (r.path, None, None) in s), None)
                if source is not None:
                    _copy_description(source, r.path, g)
        if r.value is not None:
            g.add((node, SH.value, r.value))
        g.add((node, SH.resultMessage, Literal(r.message)))
        g.add((node, SH.resultSeverity, severity_iri(r.severity)))
        g.add((node, SH.sourceShape, r.source_shape))
        if r.constraint_component is not None:
            g.add((node, SH.sourceConstraintComponent, r.constraint_component))
        if r.source_constraint is not None:
            g.add((node, SH.sourceConstraint, r.source_constraint))
    return stated_policy(g, report.conforms, report.policy)


def stated_policy(graph: Graph, conforms: bool, policy: ConformancePolicy) -> Graph:
    """``graph`` (a report graph) with ``sh:conforms`` set to ``conforms`` and the policy as ``rdfs:comment``."""
    for root in set(graph.subjects(RDF.type, SH.ValidationReport)):
        graph.set((root, SH.conforms, Literal(conforms)))
        graph.set((root, RDFS.comment, Literal(f"conformance policy {policy.name}: {policy.description}")))
    return graph


def _copy_description(source: Graph, node: BNode, target: Graph) -> None:
    """Copy ``node``'s triples and those of the blank nodes they reach (an RDF list, a path)."""
    todo, seen = [node], set()
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        for s, p, o in source.triples((n, None, None)):
            target.add((s, p, o))
            if isinstance(o, BNode):
                todo.append(o)
