"""The SHACL shapes: each rule fires exactly where its fixtures say, and nowhere in the seed graph.

- every invalid fixture (``tests/fixtures/shapes/invalid/<Shape>--<rule>.ttl``) produces exactly the
  Violations its ``# expect:`` lines declare, and no others;
- every valid fixture and the seed graph (with the reference graphs) produce no Violation;
- every warning fixture produces no Violation and exactly the Warnings/Infos it declares;
- the shapes themselves are well formed (SHACL-for-SHACL), documented, and in step with the ontology;
- the ontology passes ontology-checks.ttl.

Data graph = fixture + ontology; shapes = violations.ttl + warnings.ttl; ont_graph = ontology;
no inference; advanced mode; warnings allowed (see ``shapes_util.validate``).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pyshacl.entrypoints import meta_validate
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SKOS

from shapes_util import (
    DG,
    DG_NS,
    FIXTURE_FIRST_LINE,
    FIXTURES,
    ONTOLOGY,
    ONTOLOGY_CHECKS,
    SEED,
    SH,
    VIOLATIONS,
    WARNINGS,
    Result,
    compact,
    describe,
    expectations,
    load,
    owners,
    reference_files,
    results,
    validate,
)

INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
WARNING = sorted((FIXTURES / "warning").glob("*.ttl"))


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return load(ONTOLOGY)


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return load(VIOLATIONS, WARNINGS)


@pytest.fixture(scope="session")
def violation_shapes() -> Graph:
    return load(VIOLATIONS)


@pytest.fixture(scope="session")
def warning_shapes() -> Graph:
    return load(WARNINGS)


def data_for(fixture: Path, ontology: Graph) -> Graph:
    """Fixture + ontology in a fresh graph (copying the parsed ontology is faster than re-parsing it)."""
    data = Graph()
    data += ontology
    data.parse(fixture, format="turtle")
    return data


# --- the fixtures exist -------------------------------------------------------


def test_fixture_folders_are_not_empty():
    # A test that parametrises over no files passes silently: count them.
    assert len(INVALID) > 30, f"only {len(INVALID)} invalid fixtures in {FIXTURES / 'invalid'}"
    assert len(VALID) >= 3, f"only {len(VALID)} valid fixtures in {FIXTURES / 'valid'}"
    assert len(WARNING) >= 5, f"only {len(WARNING)} warning fixtures in {FIXTURES / 'warning'}"


@pytest.mark.parametrize("fixture", INVALID + VALID + WARNING, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_says_it_is_not_a_claim(fixture: Path):
    assert fixture.read_text(encoding="utf-8").splitlines()[0] == FIXTURE_FIRST_LINE


# --- each rule fires exactly where its fixtures say ----------------------------


@pytest.mark.parametrize("fixture", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_fires_exactly_its_rule(fixture: Path, ontology: Graph, shapes: Graph):
    expected, _ = expectations(fixture)
    assert expected, f"{fixture.name} declares no '# expect:' line"
    shape_name = fixture.stem.split("--", 1)[0]
    assert f"dg:{shape_name}" in {e.shape for e in expected}, (
        f"{fixture.name}: the file name names dg:{shape_name}, but the expect lines do not"
    )
    found = results(validate(data_for(fixture, ontology), shapes, ontology), shapes)
    violations = {r for r in found if r.severity == "Violation"}
    assert violations == expected, (
        f"{fixture.name}\nexpected:\n{describe(sorted(expected))}\ngot:\n{describe(sorted(violations))}"
    )


@pytest.mark.parametrize("fixture", VALID, ids=lambda p: p.stem)
def test_valid_fixture_has_no_violation(fixture: Path, ontology: Graph, shapes: Graph):
    found = results(validate(data_for(fixture, ontology), shapes, ontology), shapes)
    violations = [r for r in found if r.severity == "Violation"]
    assert not violations, f"{fixture.name}:\n{describe(violations)}"


@pytest.mark.parametrize("fixture", WARNING, ids=lambda p: p.stem)
def test_warning_fixture_produces_exactly_its_warnings(fixture: Path, ontology: Graph, shapes: Graph):
    expected_violations, expected_others = expectations(fixture)
    assert not expected_violations and expected_others, f"{fixture.name}: declare '# expect-result:' lines only"
    found = results(validate(data_for(fixture, ontology), shapes, ontology), shapes)
    assert [r for r in found if r.severity == "Violation"] == []
    others = {r for r in found if r.severity != "Violation"}
    assert others == expected_others, (
        f"{fixture.name}\nexpected:\n{describe(sorted(expected_others))}\ngot:\n{describe(sorted(others))}"
    )


def test_all_classes_fixture_is_free_of_warnings(ontology: Graph, shapes: Graph):
    # The shared fixture context is warning-free, so that warning fixtures can pin exact warnings.
    fixture = FIXTURES / "valid" / "all-classes.ttl"
    found = results(validate(data_for(fixture, ontology), shapes, ontology), shapes)
    assert found == [], describe(found)


def test_every_violation_shape_has_an_invalid_fixture(violation_shapes: Graph):
    named = {compact(s) for s in violation_shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    covered = set()
    for fixture in INVALID:
        covered |= {e.shape for e in expectations(fixture)[0]}
    assert named - covered == set(), "shapes without an invalid fixture"
    assert covered - named == set(), "fixtures expecting shapes that do not exist"


def test_every_warning_shape_has_a_warning_fixture(warning_shapes: Graph):
    named = {compact(s) for s in warning_shapes.subjects(RDF.type, SH.NodeShape)}
    covered = set()
    for fixture in WARNING:
        covered |= {e.shape for e in expectations(fixture)[1]}
    assert named == covered


# --- the seed graph ------------------------------------------------------------


@pytest.fixture(scope="session")
def seed_results(ontology: Graph, shapes: Graph) -> tuple[list, float]:
    data = load(SEED, *reference_files())
    assert len(reference_files()) > 0
    start = time.perf_counter()
    report = validate(data, shapes, ontology)
    seconds = time.perf_counter() - start
    return results(report, shapes), seconds


def test_seed_graph_has_no_violation(seed_results):
    found, _ = seed_results
    violations = [r for r in found if r.severity == "Violation"]
    assert not violations, describe(violations)


def test_seed_graph_warnings_are_the_events_without_place(seed_results):
    # The article gives no place for the press conference or the visit; nothing else is warned about.
    found, _ = seed_results
    warnings = [r for r in found if r.severity == "Warning"]
    assert warnings == [
        Result("Warning", "dg:DiplomaticEventPlaceWarningShape", "dg:place", "sh:MinCountConstraintComponent")
    ] * 2


def test_seed_graph_validates_quickly(seed_results):
    # About 0.5 s on 2 cores for ~4,400 triples; the bound only catches a shape that makes it explode.
    _, seconds = seed_results
    assert seconds < 10, f"validating the seed graph took {seconds:.1f} s"


# --- the shapes are well formed and documented -----------------------------------


@pytest.mark.parametrize("path", [VIOLATIONS, WARNINGS, ONTOLOGY_CHECKS], ids=lambda p: p.name)
def test_shapes_pass_shacl_for_shacl(path: Path):
    conforms, _graph, text = meta_validate(load(path), inference="none", advanced=True, allow_warnings=True)
    assert conforms, text


def test_shacl_for_shacl_catches_a_malformed_shape():
    # Guards the test above against passing vacuously.
    broken = Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix dg: <https://w3id.org/diplograph/ns#> .
        dg:BrokenShape a sh:NodeShape ; sh:targetClass dg:State ;
            sh:property [ sh:path dg:isoAlpha3 ; sh:minCount "one" ] .
        """,
        format="turtle",
    )
    conforms, _graph, _text = meta_validate(broken, inference="none", advanced=True, allow_warnings=True)
    assert not conforms


def test_every_class_of_the_ontology_has_a_class_shape(ontology: Graph, violation_shapes: Graph):
    classes = {c for c in ontology.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class"))
               if str(c).startswith(DG_NS)}
    assert len(classes) > 30
    for cls in sorted(classes):
        shape = URIRef(f"{cls}Shape")
        assert (shape, SH.targetClass, cls) in violation_shapes, f"no {compact(shape)} targeting {compact(cls)}"


@pytest.mark.parametrize("path", [VIOLATIONS, WARNINGS, ONTOLOGY_CHECKS], ids=lambda p: p.name)
def test_every_property_shape_is_named_and_says_what_to_fix(path: Path):
    graph = load(path)
    property_shapes = [p for s, p in graph.subject_objects(SH.property) if isinstance(s, URIRef)]
    assert property_shapes
    for prop in property_shapes:
        where = f"{path.name}: property shape on {graph.value(prop, SH.path)}"
        assert graph.value(prop, SH.name) is not None, f"{where} has no sh:name"
        message = graph.value(prop, SH.message)
        assert isinstance(message, Literal) and len(message) > 20, f"{where} has no useful sh:message"
    # Node shapes with node-level rules (sh:or) carry their own message.
    for shape in graph.subjects(SH["or"], None):
        if isinstance(shape, URIRef):
            assert graph.value(shape, SH.message) is not None, f"{compact(shape)} has no sh:message"


def test_warning_shapes_never_report_violations(warning_shapes: Graph):
    # In SHACL the severity belongs to the shape holding the constraint: each one must state it.
    # Property shapes of named shapes (those nested in an sh:or report through their node shape).
    with_constraints = {p for p, owner in owners(warning_shapes).items() if isinstance(owner, URIRef)}
    with_constraints |= {s for s in warning_shapes.subjects(SH["or"], None) if isinstance(s, URIRef)}
    assert with_constraints
    for shape in with_constraints:
        assert warning_shapes.value(shape, SH.severity) in (SH.Warning, SH.Info), compact(shape)


def test_violation_shapes_keep_default_severity(violation_shapes: Graph):
    assert set(violation_shapes.objects(None, SH.severity)) <= {SH.Violation}


def test_shape_names_are_unique_across_files():
    # The files are loaded into one graph: a shared IRI would merge two shapes.
    named = [
        {s for s in load(p).subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
        for p in (VIOLATIONS, WARNINGS, ONTOLOGY_CHECKS)
    ]
    assert not (named[0] & named[1]) and not (named[0] & named[2]) and not (named[1] & named[2])


def test_concept_lists_are_whole_concept_schemes(ontology: Graph, violation_shapes: Graph):
    """Every sh:in list of several dg: concepts is exactly the concepts of one scheme of the ontology.

    Single-concept lists are deliberate restrictions (a plan's modality is dg:PlanModality).
    """
    schemes: dict[URIRef, set] = {}
    for concept, scheme in ontology.subject_objects(SKOS.inScheme):
        schemes.setdefault(scheme, set()).add(concept)
    checked = 0
    for prop, head in violation_shapes.subject_objects(SH["in"]):
        members = set(Collection(violation_shapes, head))
        concepts = {m for m in members if (m, RDF.type, SKOS.Concept) in ontology}
        assert concepts == members, f"sh:in on {violation_shapes.value(prop, SH.path)}: not all concepts"
        if len(members) > 1:
            assert members in schemes.values(), (
                f"sh:in on {compact(violation_shapes.value(prop, SH.path))} is not a whole concept scheme: "
                f"{sorted(compact(m) for m in members)}"
            )
            checked += 1
    assert checked >= 10


# --- the ontology ------------------------------------------------------------------


def test_ontology_passes_ontology_checks(ontology: Graph):
    checks = load(ONTOLOGY_CHECKS)
    report = validate(ontology, checks, None)
    problems = [r for r in results(report, checks) if r.severity == "Violation"]
    focus = sorted(compact(report.value(r, SH.focusNode)) for r in report.objects(None, SH.result))
    assert not problems, f"terms to fix: {', '.join(focus)}\n{describe(problems)}"


def test_ontology_checks_catch_an_undocumented_term(ontology: Graph):
    checks = load(ONTOLOGY_CHECKS)
    broken = Graph()
    broken += ontology
    broken.remove((DG.State, RDFS.label, None))
    broken.remove((DG.Growing, SKOS.inScheme, None))
    found = results(validate(broken, checks, None), checks)
    assert Result("Violation", "dg:DocumentedTermShape", "rdfs:label", "sh:QualifiedMinCountConstraintComponent") in found
    assert Result("Violation", "dg:ConceptInSchemeShape", "skos:inScheme", "sh:MinCountConstraintComponent") in found


def test_project_validates_instances_and_ontology_with_the_right_shapes():
    # Instance data is validated against violations.ttl and warnings.ttl; ontology-checks.ttl runs on the
    # ontology graph alone. The real project (seed + reference + ontology) has no violation either way.
    from diplograph.project import Project
    from diplograph.validation.project import validate_project

    project = Project(VIOLATIONS.parents[2])
    assert [p.name for p in project.shapes_files] == ["violations.ttl", "warnings.ttl"]
    assert [p.name for p in project.ontology_check_files] == ["ontology-checks.ttl"]
    report = validate_project(project)
    assert report.conforms, describe([r for r in report.results if r.severity == "Violation"])
