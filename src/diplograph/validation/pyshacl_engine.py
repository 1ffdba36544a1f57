"""The reference validator: pyshacl, the SHACL engine the field trusts, on plain rdflib graphs."""

from __future__ import annotations

import time

import pyshacl
from pyshacl.errors import ConstraintLoadError, ShapeLoadError, ValidationFailure
from rdflib import Graph
from rdflib.term import Node

from diplograph.errors import ShapesError, ShapesNotSupportedError
from diplograph.namespaces import SH
from diplograph.store import WorkingStore
from diplograph.validation.report import (
    POLICY,
    ConformancePolicy,
    ValidationReport,
    ValidationResult,
    count_shapes,
    severity_name,
    stated_policy,
)

__all__ = ["PyshaclValidator", "meta_validate_shapes", "report_from_graph"]


class PyshaclValidator:
    """pyshacl with the ontology mixed in (``sh:class`` sees ``rdfs:subClassOf``), no inference,
    SHACL-SPARQL on; ``policy`` decides conformance (default :data:`~diplograph.validation.report.POLICY`)."""

    name = "reference"

    def __init__(self, policy: ConformancePolicy = POLICY) -> None:
        self.policy = policy

    def validate(self, data: Graph | WorkingStore, shapes: Graph, ontology: Graph | None = None) -> ValidationReport:
        """Validate ``data`` against ``shapes``; none of the graphs is changed.

        Shapes pyshacl refuses (SHACL's failures: an ill-formed shape, a SPARQL constraint that
        cannot be pre-bound) raise :class:`~diplograph.errors.ShapesError`.
        """
        started = time.perf_counter()
        graph = data.to_graph() if isinstance(data, WorkingStore) else data
        own_shapes = Graph()
        own_shapes += shapes  # pyshacl adds RDFS/OWL axioms to the shapes graph it is given
        try:
            _conforms, report, _text = pyshacl.validate(
                graph, shacl_graph=own_shapes, ont_graph=ontology, inference="none", advanced=True, allow_warnings=True
            )
        except (ShapeLoadError, ConstraintLoadError) as exc:
            raise ShapesError(None, exc.message) from exc
        except NotImplementedError as exc:  # e.g. $shapesGraph in a SPARQL constraint
            raise ShapesNotSupportedError(None, f"pyshacl does not implement this: {exc}") from exc
        if isinstance(report, ValidationFailure):  # SHACL's "failure": pyshacl returns it, not raises
            raise ShapesError(None, report.message)
        result = report_from_graph(report, shapes, self.policy)
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


def report_from_graph(report: Graph, shapes: Graph, policy: ConformancePolicy = POLICY) -> ValidationReport:
    """A :class:`ValidationReport` of pyshacl's report graph, conformance decided by ``policy``."""
    results = sorted((_result_from(report, node) for node in report.objects(None, SH.result)),
                     key=ValidationResult.sort_key)
    conforms = policy.conforms(results)
    return ValidationReport(
        conforms=conforms,
        results=tuple(results),
        shapes_checked=count_shapes(shapes),
        report_graph=stated_policy(report, conforms, policy),
        policy=policy,
    )


def _result_from(g: Graph, node: Node) -> ValidationResult:
    severity = g.value(node, SH.resultSeverity)
    messages = sorted(str(m) for m in g.objects(node, SH.resultMessage))
    return ValidationResult(
        focus_node=g.value(node, SH.focusNode),
        path=g.value(node, SH.resultPath),
        value=g.value(node, SH.value),
        message="; ".join(messages),
        severity=severity_name(severity) if severity is not None else "Violation",
        source_shape=g.value(node, SH.sourceShape),
        constraint_component=g.value(node, SH.sourceConstraintComponent),
        source_constraint=g.value(node, SH.sourceConstraint),
    )
