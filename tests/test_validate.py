"""SHACL validation on the fixture project: which rule fired, on what, in which file."""

from __future__ import annotations

import shutil

import pytest
from rdflib import Graph

from conftest import FIXTURES, write
from diplograph.errors import EmptyInputError
from diplograph.loading import load_graph
from diplograph.namespaces import DG, ID, RDFS, SH
from diplograph.validation import validate_graph
from diplograph.validation.project import validate_project
from diplograph.validation.pyshacl_engine import meta_validate_shapes

BAD_MEETING = ID["event/meeting/bad"]


@pytest.fixture
def bad_project(project):
    shutil.copy(FIXTURES / "graphs" / "bad-meeting.ttl", project.graphs_dir / "bad-meeting.ttl")
    return project


def shapes_of(project) -> Graph:
    graph = Graph()
    for path in project.shapes_files:
        graph += load_graph(path)
    return graph


def test_fixture_project_conforms(project):
    report = validate_project(project)
    assert report.conforms
    assert report.results == ()
    assert report.shapes_checked == 6  # 2 node shapes, 4 property shapes (one a blank node)
    assert report.graphs_checked == 2


def test_each_rule_fires_once_on_the_bad_fixture(bad_project):
    report = validate_project(bad_project)
    assert not report.conforms
    fired = {(r.severity, r.focus_node, r.path, r.constraint_component) for r in report.results}
    assert fired == {
        ("Violation", BAD_MEETING, DG.date, SH.MinCountConstraintComponent),
        ("Violation", BAD_MEETING, DG.status, SH.InConstraintComponent),
        ("Violation", BAD_MEETING, DG.participant, SH.ClassConstraintComponent),
        ("Warning", ID["org/zzz"], RDFS.label, SH.MinCountConstraintComponent),
    }
    assert (report.violations, report.warnings) == (3, 1)


def test_results_name_their_file_and_shape(bad_project):
    report = validate_project(bad_project)
    assert {r.source_file for r in report.results} == {bad_project.graphs_dir / "bad-meeting.ttl"}
    status = next(r for r in report.results if r.path == DG.status)
    assert status.source_shape == DG["MeetingShape-status"]
    assert status.message == 'dg:status is "held" or "planned".'
    assert str(status.value) == "cancelled"


def test_results_are_sorted_and_repeatable(bad_project):
    first, second = validate_project(bad_project), validate_project(bad_project)
    # Blank-node shapes get new labels on each parse, so compare the sort keys.
    assert [r.sort_key() for r in first.results] == [r.sort_key() for r in second.results]
    assert [r.severity for r in first.results] == ["Violation"] * 3 + ["Warning"]


def test_subclass_in_ontology_satisfies_sh_class(project):
    # States satisfy "participant is a dg:Agent" only through rdfs:subClassOf in the ontology.
    data = load_graph(project.graphs_dir / "meeting.ttl") + load_graph(project.reference_files[0])
    shapes = shapes_of(project)
    with_ontology = validate_graph(data, shapes, load_graph(project.ontology_file))
    without = validate_graph(data, shapes, None)
    assert with_ontology.conforms
    assert {r.constraint_component for r in without.results} == {SH.ClassConstraintComponent}


def test_warnings_alone_conform(project):
    write(project.graphs_dir / "unlabelled.ttl",
          "<https://w3id.org/diplograph/id/state/CCC> a <https://w3id.org/diplograph/ns#State> .\n")
    report = validate_project(project)
    assert report.conforms
    assert report.warnings == 1


def test_project_without_shapes_is_an_error(project):
    for path in project.shapes_files:
        path.unlink()
    with pytest.raises(EmptyInputError, match="shapes"):
        validate_project(project)


def test_fixture_shapes_pass_meta_shacl(project):
    report = meta_validate_shapes(shapes_of(project))
    assert report.conforms, report.results


def test_meta_shacl_catches_a_malformed_shape():
    broken = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:T ;
            sh:property [ sh:path "not a path" ; sh:minCount "one" ] .
    """)
    report = meta_validate_shapes(broken)
    assert not report.conforms
    assert {r.path for r in report.results} >= {SH.minCount, SH.path}
