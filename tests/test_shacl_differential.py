"""The fast SHACL engine against pyshacl on generated shapes and graphs (hypothesis).

The generators and the comparison are in ``bench/shacl_differential.py`` (its docstring says what
is generated and compared); the benchmark runs them longer (``--examples N``). Here: a fixed
derandomised budget that keeps the run well under a minute, and every shrunk counter-example found
so far (``tests/fixtures/shacl-differential/``), each kept as a regression test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from rdflib import Graph

from shacl_differential import FIXTURES, compare, data_graphs, shapes_graphs

pytestmark = pytest.mark.slow


@settings(max_examples=500, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data_graphs(), shapes_graphs())
def test_fast_engine_gives_pyshacl_results(data: Graph, shapes: Graph) -> None:
    problem, _report = compare(data, shapes)
    assert problem is None, problem


def _counterexamples() -> list[Path]:
    return sorted(FIXTURES.glob("*-data.ttl"))


def test_there_are_counterexample_fixtures():
    assert _counterexamples(), f"no fixtures in {FIXTURES}"


@pytest.mark.parametrize("data_file", _counterexamples(), ids=lambda p: p.stem.removesuffix("-data"))
def test_counterexample_stays_fixed(data_file: Path) -> None:
    shapes_file = data_file.with_name(data_file.name.replace("-data", "-shapes"))
    data = Graph().parse(data_file, format="turtle")
    shapes = Graph().parse(shapes_file, format="turtle")
    problem, _report = compare(data, shapes)
    assert problem is None, problem
