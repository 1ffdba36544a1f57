"""Helpers for the SHACL tests: file locations, pyshacl runs, and reading what a fixture expects.

A fixture under ``tests/fixtures/shapes/`` declares in its header comment which results it must
produce, one per line, as compact names::

    # expect: dg:StateShape dg:isoAlpha3 sh:PatternConstraintComponent
    # expect-result: sh:Warning dg:PlaceStateWarningShape dg:inState sh:MinCountConstraintComponent

``expect`` lines list Violations: (shape, result path, constraint component). ``expect-result``
lines (warning fixtures) also give the severity. The shape is the named node shape the rule belongs
to: pyshacl reports the (usually blank) property shape as the source shape, and
:func:`results` maps it to the node shape that holds it. A result without a path is written ``-``;
property paths are written as in SPARQL (``dg:value|dg:change``, ``^dcterms:creator``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from diplograph.validation import validate_graph

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "diplograph.ttl"
SHAPES_DIR = ROOT / "ontology" / "shapes"
VIOLATIONS = SHAPES_DIR / "violations.ttl"
WARNINGS = SHAPES_DIR / "warnings.ttl"
ONTOLOGY_CHECKS = SHAPES_DIR / "ontology-checks.ttl"
GRAPHS_DIR = ROOT / "graphs"
REFERENCE_DIR = GRAPHS_DIR / "reference"
SEED = GRAPHS_DIR / "china-azerbaijan-2024.ttl"
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"

FIXTURE_FIRST_LINE = "# Test fixture, not a claim about the world."

SH = Namespace("http://www.w3.org/ns/shacl#")
DG_NS = "https://w3id.org/diplograph/ns#"
DG = Namespace(DG_NS)

PREFIXES: dict[str, str] = {
    "dg": DG_NS,
    "sh": str(SH),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
}


@dataclass(frozen=True, order=True)
class Result:
    """One validation result, in compact names: severity ("Violation"...), shape, path, component."""

    severity: str
    shape: str
    path: str
    component: str


def load(*paths: Path) -> Graph:
    """Parse Turtle files into one plain rdflib Graph."""
    graph = Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def reference_files() -> list[Path]:
    return sorted(REFERENCE_DIR.glob("*.ttl"))


def compact(node: object) -> str:
    """``dg:State`` for an IRI in a known namespace, the IRI in angle brackets otherwise."""
    text = str(node)
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns) and re.fullmatch(r"[A-Za-z_][\w\-]*", text[len(ns):]):
            return f"{prefix}:{text[len(ns):]}"
    return f"<{text}>"


def path_text(graph: Graph, path: object) -> str:
    """A SHACL property path in SPARQL syntax, or ``-`` for none."""
    if path is None:
        return "-"
    if isinstance(path, URIRef):
        return compact(path)
    if (alternatives := graph.value(path, SH.alternativePath)) is not None:
        return "|".join(path_text(graph, p) for p in Collection(graph, alternatives))
    if (inverse := graph.value(path, SH.inversePath)) is not None:
        return "^" + path_text(graph, inverse)
    for suffix, prop in (("*", SH.zeroOrMorePath), ("+", SH.oneOrMorePath), ("?", SH.zeroOrOnePath)):
        if (inner := graph.value(path, prop)) is not None:
            return f"({path_text(graph, inner)}){suffix}"
    if graph.value(path, RDF.first) is not None:
        return "/".join(path_text(graph, p) for p in Collection(graph, path))
    raise ValueError(f"cannot read the property path {path!r}")


def owners(shapes: Graph) -> dict[object, object]:
    """Map each property shape to the node shape that holds it through sh:property."""
    return {prop: node for node, prop in shapes.subject_objects(SH.property)}


def validate(data: Graph, shapes: Graph, ontology: Graph) -> Graph:
    """Run pyshacl the way the project does (diplograph.validation.validate_graph) and return its report graph."""
    return validate_graph(data, shapes, ontology).report_graph


def results(report: Graph, shapes: Graph) -> list[Result]:
    """The results of a pyshacl report graph, with property shapes mapped to their node shapes."""
    owner = owners(shapes)
    found = []
    for node in report.objects(None, SH.result):
        source = report.value(node, SH.sourceShape)
        shape = owner.get(source, source)
        path = report.value(node, SH.resultPath)
        path_graph = report if path is None or report.value(path) is not None or isinstance(path, URIRef) else shapes
        severity = report.value(node, SH.resultSeverity)
        found.append(
            Result(
                severity=str(severity).rsplit("#", 1)[-1],
                shape=compact(shape) if isinstance(shape, URIRef) else f"_:{shape}",
                path=path_text(path_graph, path),
                component=compact(report.value(node, SH.sourceConstraintComponent)),
            )
        )
    return sorted(found)


def expectations(fixture: Path) -> tuple[set[Result], set[Result]]:
    """The Violations (``# expect:``) and the other results (``# expect-result:``) a fixture declares."""
    violations: set[Result] = set()
    others: set[Result] = set()
    for line in fixture.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if m := re.fullmatch(r"# expect: (\S+) (\S+) (\S+)\s*", line):
            violations.add(Result("Violation", *m.groups()))
        elif m := re.fullmatch(r"# expect-result: sh:(\w+) (\S+) (\S+) (\S+)\s*", line):
            others.add(Result(*m.groups()))
        elif line.startswith("# expect"):
            raise ValueError(f"{fixture.name}: cannot read {line!r}")
    return violations, others


def describe(found: list[Result]) -> str:
    """Results as the expect lines that would declare them, for assertion messages."""
    return "\n".join(f"  {r.severity}: {r.shape} {r.path} {r.component}" for r in found) or "  (none)"


def literal_tokens(graph: Graph, prop: URIRef) -> list[str]:
    """The text of every literal value of ``prop`` in ``graph``."""
    return [str(o) for o in graph.objects(None, prop) if isinstance(o, Literal)]


def declared_shapes(shapes: Graph) -> set[object]:
    """Shapes a shapes graph declares by type (named or blank)."""
    return set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))


def is_named(node: object) -> bool:
    return isinstance(node, URIRef) and not isinstance(node, BNode)
