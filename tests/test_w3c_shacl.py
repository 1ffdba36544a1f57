"""The W3C SHACL test suite on both validation engines (pyshacl and the fast engine).

The suite is vendored in ``vendor/w3c/shacl-test-suite`` (its provenance: ``vendor/w3c/README.md``).
Its root manifest (``tests/manifest.ttl`` and the files it includes) lists ``sht:Validate``
tests: a data graph and a shapes graph (``<>``: the test file itself), and either the expected
``sh:ValidationReport`` or ``sht:Failure`` (the shapes must be refused). The suite's README
(``data-shapes-test-suite/index.html`` upstream) compares reports on ``sh:conforms`` and by graph
isomorphism of the results' ``sh:focusNode``, ``sh:resultPath``, ``sh:value``, ``sh:sourceShape``,
``sh:sourceConstraintComponent``, ``sh:resultSeverity`` and ``sh:sourceConstraint`` triples
(messages are not compared; result paths are not shared). Here each result becomes one tuple of
those terms, each blank node replaced by its structure (what isomorphism matches it by), and the
two reports must hold the same multiset of tuples.

Options the suite needs: the specification's conformance rule (any result makes ``sh:conforms``
false: ``policy=SHACL_POLICY``, not diplograph's default), no inference, no ontology graph. A
``sht:Failure`` test passes when the engine raises :class:`~diplograph.errors.ShapesError`.

pyshacl's known failures are ``xfail(strict=True)`` (:data:`PYSHACL_FAILURES`, naming what pyshacl
does); the fast engine's (:data:`FAST_FAILURES`) may only name tests pyshacl fails too. Each run
writes ``tests/artifacts/w3c-shacl.md`` (a ``pytest -n`` worker that ran part of the suite:
``w3c-shacl-partial-<worker>.md``): every test's outcome per engine, whether the fast engine
compiled it or handed shapes to pyshacl, counts per feature (the suite's folder), and the reasons
for each hand-over.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import pytest
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from diplograph.errors import ShapesError, ShapesNotSupportedError
from diplograph.validation import SHACL_POLICY, ValidationReport, validator
from diplograph.validation.report import severity_iri

ROOT = Path(__file__).resolve().parents[1]
SUITE = ROOT / "vendor" / "w3c" / "shacl-test-suite" / "tests"
ARTIFACT = Path(__file__).parent / "artifacts" / "w3c-shacl.md"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
SH = Namespace("http://www.w3.org/ns/shacl#")
ENGINES = ("reference", "fast")
#: Tests pyshacl fails, and why (what pyshacl does instead of what the suite expects).
PYSHACL_FAILURES: dict[str, str] = {
    "core/property/uniqueLang-002": 'pyshacl takes sh:uniqueLang "1"^^xsd:boolean as true and reports "HI"@en/"Hi"@en; '
                                    "the suite switches the constraint on only for the literal true",
    "sparql/pre-binding/shapesGraph-001": "pyshacl raises NotImplementedError for $shapesGraph (ShapesNotSupportedError)",
}
#: Tests the fast engine fails: only ones pyshacl fails too (it hands those constructs to pyshacl).
FAST_FAILURES: dict[str, str] = {
    "core/property/uniqueLang-002": "same as pyshacl: the shape is handed over",
    "sparql/pre-binding/shapesGraph-001": "same as pyshacl: the shape is handed over",
}


# --- reading the suite ------------------------------------------------------------------


@dataclass(frozen=True)
class SuiteTest:
    """One test of the suite: ``id`` is its file's path under ``tests/``, without ``.ttl``."""

    id: str
    file: Path
    entry: URIRef
    label: str

    @property
    def feature(self) -> str:
        """The suite's folder for the test (``core/node``, ``sparql/pre-binding``)."""
        return self.id.rsplit("/", 1)[0]

    def graphs(self) -> tuple[Graph, Graph, Graph]:
        """(manifest, data, shapes); a graph named ``<>`` is the manifest graph itself."""
        manifest = _parse(self.file)
        action = manifest.value(self.entry, MF.action)
        data = self._graph(manifest, manifest.value(action, SHT.dataGraph))
        shapes = self._graph(manifest, manifest.value(action, SHT.shapesGraph))
        return manifest, data, shapes

    def _graph(self, manifest: Graph, name: Node) -> Graph:
        if name == URIRef(self.file.resolve().as_uri()):
            return manifest
        return _parse(_file_of(name))


def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle", publicID=path.resolve().as_uri())


def _file_of(iri: Node) -> Path:
    """The file a ``file:`` IRI (a relative IRI of the manifest, resolved by the parser) names."""
    return Path(url2pathname(urlparse(str(iri)).path))


@cache
def suite_tests() -> tuple[SuiteTest, ...]:
    """Every test the root manifest reaches, in manifest order."""
    found: list[SuiteTest] = []
    _collect(SUITE / "manifest.ttl", found)
    return tuple(found)


def _collect(path: Path, found: list[SuiteTest]) -> None:
    graph = _parse(path)
    for manifest in graph.subjects(RDF.type, MF.Manifest):
        for included in sorted(graph.objects(manifest, MF.include)):
            _collect(_file_of(included), found)
        for entries in graph.objects(manifest, MF.entries):
            for entry in Collection(graph, entries):
                test_id = path.relative_to(SUITE).with_suffix("").as_posix()
                found.append(SuiteTest(test_id, path, entry, str(graph.value(entry, RDFS.label) or "")))


# --- comparing reports --------------------------------------------------------------------

_COMPARED = (SH.focusNode, SH.resultPath, SH.value, SH.sourceShape, SH.sourceConstraintComponent,
             SH.resultSeverity, SH.sourceConstraint)


def structure(node: Node | None, graphs: tuple[Graph, ...], seen: frozenset = frozenset()) -> object:
    """``node`` itself; for a blank node, its outgoing triples (recursively) in the first graph having any."""
    if not isinstance(node, BNode):
        return node
    if node in seen:
        return ("cycle",)
    for graph in graphs:
        edges = list(graph.predicate_objects(node))
        if edges:
            inner = seen | {node}
            return ("_", frozenset(Counter((p, structure(o, graphs, inner)) for p, o in edges).items()))
    return ("_",)


def expected_results(manifest: Graph, report: Node, data: Graph, shapes: Graph) -> Counter:
    graphs = (manifest, shapes, data)
    return Counter(tuple(structure(manifest.value(r, p), graphs) for p in _COMPARED)
                   for r in manifest.objects(report, SH.result))


def actual_results(report: ValidationReport, data: Graph, shapes: Graph) -> Counter:
    graphs = (report.report_graph, shapes, data)
    return Counter(
        tuple(structure(t, graphs) for t in (r.focus_node, r.path, r.value, r.source_shape, r.constraint_component,
                                              severity_iri(r.severity), r.source_constraint))
        for r in report.results
    )


@dataclass(frozen=True)
class Verdict:
    passed: bool
    detail: str
    fallback: tuple[str, ...] = ()


def judge(case: SuiteTest, engine: str) -> Verdict:
    """Run ``case`` on ``engine`` and compare with what the suite expects."""
    manifest, data, shapes = case.graphs()
    expected = manifest.value(case.entry, MF.result)
    run = validator(engine, SHACL_POLICY).validate
    if expected == SHT.Failure:
        try:
            report = run(data, shapes)
        except ShapesNotSupportedError as exc:
            return Verdict(False, f"could not check the shapes: {exc}")
        except ShapesError as exc:
            return Verdict(True, f"refused: {exc}")
        return Verdict(False, f"accepted shapes the suite says must be refused ({len(report.results)} results)")
    try:
        report = run(data, shapes)
    except Exception as exc:  # noqa: BLE001 - a crash is this test's failure, recorded in the artifact
        return Verdict(False, f"raised {type(exc).__name__}: {exc}")
    fallback = tuple(report.notes)
    want_conforms = bool(manifest.value(expected, SH.conforms).toPython())
    want, got = expected_results(manifest, expected, data, shapes), actual_results(report, data, shapes)
    problems = []
    if report.conforms != want_conforms:
        problems.append(f"sh:conforms {report.conforms}, expected {want_conforms}")
    if got != want:
        problems.append(f"missing {_shown(want - got)}; unexpected {_shown(got - want)}")
    return Verdict(not problems, "; ".join(problems) or f"{sum(want.values())} result(s) as expected", fallback)


def _shown(results: Counter) -> str:
    return ", ".join(f"{n}x({', '.join(_short(t) for t in key[:6])})" for key, n in results.items()) or "none"


def _short(term: object) -> str:
    if isinstance(term, tuple):
        return "[...]"
    return "-" if term is None else str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


# --- the tests -----------------------------------------------------------------------------------


def _params() -> list:
    params = []
    for case in suite_tests():
        for engine in ENGINES:
            marks = ()
            known = PYSHACL_FAILURES if engine == "reference" else FAST_FAILURES
            if case.id in known:
                marks = (pytest.mark.xfail(strict=True, reason=known[case.id]),)
            params.append(pytest.param(case, engine, marks=marks, id=f"{case.id}-{engine}"))
    return params


@pytest.fixture(scope="module")
def outcomes():
    """Every verdict of this module's run, written to :data:`ARTIFACT` when the module ends."""
    found: dict[tuple[str, str], Verdict] = {}
    yield found
    # Under pytest-xdist a worker may run only part of the suite: its table goes to a file of its own.
    whole = len(found) == len(suite_tests()) * len(ENGINES)
    target = ARTIFACT if whole else ARTIFACT.with_name(f"w3c-shacl-partial-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.md")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(artifact_text(found), encoding="utf-8")
    tmp.replace(target)


def test_the_suite_is_read_whole():
    cases = suite_tests()
    assert len(cases) == 120
    assert Counter(c.id.split("/")[0] for c in cases) == {"core": 98, "sparql": 22}
    assert sum(1 for c in cases if "Failure" in c.file.read_text(encoding="utf-8")) == 7


def test_known_failures_are_suite_tests():
    assert set(PYSHACL_FAILURES) <= {c.id for c in suite_tests()}
    assert set(FAST_FAILURES) <= set(PYSHACL_FAILURES)  # the fast engine passes all pyshacl passes


@pytest.mark.parametrize(("case", "engine"), _params())
def test_w3c_shacl(case: SuiteTest, engine: str, outcomes) -> None:
    verdict = judge(case, engine)
    outcomes[(case.id, engine)] = verdict
    assert verdict.passed, verdict.detail


# --- the report ---------------------------------------------------------------------------------


def artifact_text(found: dict[tuple[str, str], Verdict]) -> str:
    """The per-test table, the per-feature counts and the fast engine's hand-overs, in Markdown."""
    cases = [c for c in suite_tests() if any((c.id, e) in found for e in ENGINES)]
    lines = ["# W3C SHACL test suite", "",
             "Options: `policy=SHACL_POLICY` (any result makes `sh:conforms` false), no inference, no ontology.", "",
             "| feature | tests | " + " | ".join(f"{e} passed" for e in ENGINES) + " |", "| --- | --- | --- | --- |"]
    features = sorted({c.feature for c in cases})
    for feature in [*features, "all"]:
        chosen = [c for c in cases if feature in ("all", c.feature)]
        counts = [sum(1 for c in chosen if (v := found.get((c.id, e))) and v.passed) for e in ENGINES]
        lines.append(f"| {feature} | {len(chosen)} | " + " | ".join(map(str, counts)) + " |")
    fast = [v for c in cases if (v := found.get((c.id, "fast")))]
    lines += ["", f"The fast engine handed shapes to pyshacl in {sum(1 for v in fast if v.fallback)} of {len(fast)} "
              "tests (column *fast ran*); the rest it compiled to SPARQL whole.", ""]
    lines += ["| test | " + " | ".join(ENGINES) + " | fast ran | detail |", "| --- | --- | --- | --- | --- |"]
    for c in cases:
        verdicts = [found.get((c.id, e)) for e in ENGINES]
        marks = ["pass" if v and v.passed else "FAIL" if v else "not run" for v in verdicts]
        details = "; ".join(f"{e}: {v.detail}" for e, v in zip(ENGINES, verdicts, strict=True) if v and not v.passed)
        ran = ("-" if verdicts[1] is None else "refused" if verdicts[1].detail.startswith("refused")
               else f"pyshacl for {len(verdicts[1].fallback)} shape(s)" if verdicts[1].fallback else "SPARQL")
        lines.append(f"| {c.id} | " + " | ".join(marks) + f" | {ran} | {details.replace('|', '/')} |")
    handed = [(c.id, note) for c in cases if (v := found.get((c.id, "fast"))) for note in v.fallback]
    lines += ["", "## Shapes the fast engine handed to pyshacl", ""]
    lines += [f"- {test}: {note}" for test, note in handed] or ["- none"]
    return "\n".join(lines) + "\n"
