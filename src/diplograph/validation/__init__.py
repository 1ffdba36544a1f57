"""Validation: check data against SHACL shapes, with one interface over two engines.

- :class:`Validator` is the interface; :func:`validator` gives the engine called ``"reference"``
  (pyshacl, :mod:`~diplograph.validation.pyshacl_engine`) or ``"fast"`` (the shapes compiled to
  SPARQL on Oxigraph, :mod:`~diplograph.validation.fast_engine`, the same results; what it does
  not compile it hands to pyshacl and says so). Both return a
  :class:`~diplograph.validation.report.ValidationReport`.
- :mod:`~diplograph.validation.project` validates a project's dataset: the shapes, the ``dg:``
  terms the ontology does not declare, the cross-entity checks, the ontology's own checks, and
  the file each problem is in.

Only ``sh:Violation`` results make data non-conforming (:data:`~diplograph.validation.report.POLICY`,
the default); warnings and infos are reported but do not fail a run. An engine built with
``policy=SHACL_POLICY`` follows the SHACL specification instead (any result fails); every report
names the policy that decided it.
"""

from __future__ import annotations

from typing import Protocol

from rdflib import Graph

from diplograph.errors import UnknownEngineError
from diplograph.store import WorkingStore
from diplograph.validation.report import (
    POLICIES,
    POLICY,
    SEVERITIES,
    SHACL_POLICY,
    ConformancePolicy,
    ValidationReport,
    ValidationResult,
    count_shapes,
)

__all__ = [
    "ENGINES",
    "POLICIES",
    "POLICY",
    "SEVERITIES",
    "SHACL_POLICY",
    "ConformancePolicy",
    "ValidationReport",
    "ValidationResult",
    "Validator",
    "count_shapes",
    "validate_graph",
    "validator",
]

#: Validation engines: "reference" (pyshacl) and "fast" (SHACL compiled to SPARQL on Oxigraph).
ENGINES: tuple[str, ...] = ("reference", "fast")


class Validator(Protocol):
    """One validation engine."""

    name: str

    def validate(self, data: Graph | WorkingStore, shapes: Graph, ontology: Graph | None = None) -> ValidationReport: ...


def validator(engine: str = "reference", policy: ConformancePolicy = POLICY) -> Validator:
    """The engine called ``engine`` (see :data:`ENGINES`) deciding conformance by ``policy``; an
    unknown name is an :class:`~diplograph.errors.UnknownEngineError`."""
    if engine == "reference":
        from diplograph.validation.pyshacl_engine import PyshaclValidator

        return PyshaclValidator(policy)
    if engine == "fast":
        from diplograph.validation.fast_engine import FastValidator

        return FastValidator(policy)
    raise UnknownEngineError("validation", engine, ENGINES)


def validate_graph(
    data: Graph | WorkingStore,
    shapes: Graph,
    ontology: Graph | None = None,
    engine: str = "reference",
    policy: ConformancePolicy = POLICY,
) -> ValidationReport:
    """Validate ``data`` against ``shapes`` (the ontology mixed in, so ``sh:class`` sees subclasses)."""
    return validator(engine, policy).validate(data, shapes, ontology)
