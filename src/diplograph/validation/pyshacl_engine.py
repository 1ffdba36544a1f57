"""The reference validator: pyshacl, the SHACL engine the field trusts, on plain rdflib graphs."""

from __future__ import annotations

import time

import pyshacl
from rdflib import Graph
from rdflib.term import Node

from diplograph.namespaces import SH
from diplograph.store import WorkingStore
from diplograph.validation.report import ValidationReport, ValidationResult, count_shapes

__all__ = ["PyshaclValidator", "meta_validate_shapes", "report_from_graph"]


class PyshaclValidator:
    """pyshacl with the ontology mixed in (``sh:class`` sees ``rdfs:subClassOf``), no inference,
    SHACL-SPARQL on, warnings allowed."""

    name = "reference"

    def validate(self, data: Graph | WorkingStore, shapes: Graph, ontology: Graph | None = None) -> ValidationReport:
        """Validate ``data`` against ``shapes``; none of the graphs is changed."""
        started = time.perf_counter()
        graph = data.to_graph() if isinstance(data, WorkingStore) else data
        _conforms, report, _text = pyshacl.validate(
            graph, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True, allow_warnings=True
        )
        result = report_from_graph(report, shapes)
        result.seconds["pyshacl"] = time.perf_counter() - started
        return result


def meta_validate_shapes(shapes: Graph) -> ValidationReport:
    """Check the shapes graph itself against SHACL-for-SHACL (pyshacl's ``meta_shacl``).

    Catches shapes that validators would silently misread, such as an ``sh:path`` that is not a
    path or ``sh:minCount "one"``.
    """
    # pyshacl.validate(meta_shacl=True) only raises with a text report;
    # meta_validate is the function it calls, and returns the report graph.
    from pyshacl.entrypoints import meta_validate

    _conforms, report, _text = meta_validate(shapes, inference="none", advanced=True, allow_warnings=True)
    return report_from_graph(report, shapes)


def report_from_graph(report: Graph, shapes: Graph) -> ValidationReport:
    """A :class:`ValidationReport` of pyshacl's report graph."""
    results = sorted((_result_from(report, node) for node in report.objects(None, SH.result)),
                     key=ValidationResult.sort_key)
    return ValidationReport(
        conforms=not any(r.severity == "Violation" for r in results),
        results=tuple(results),
        shapes_checked=count_shapes(shapes),
        report_graph=report,
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
