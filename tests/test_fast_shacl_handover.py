"""What the fast SHACL engine compiles, hands to pyshacl, or refuses; and the stated conformance policy.

Each case is a small shapes graph over a small data graph (fixtures written here, not real data),
validated by both engines: the results must be the same, and the fast engine's notes must say
whether the shape was compiled or handed over.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDFS, XSD

from diplograph.errors import ShapesError
from diplograph.namespaces import SH
from diplograph.validation import POLICY, SHACL_POLICY, validator
from shacl_differential import compare

EX = Namespace("http://example.org/t#")
PREFIXES = """@prefix ex: <http://example.org/t#> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
DATA = PREFIXES + """
ex:a a ex:C ; ex:p ex:b , "4.0"^^xsd:decimal ; ex:q "x"@en , "y"@en .
ex:b a ex:C ; ex:p ex:a ; ex:q "x" .
ex:a ex:r ex:b . ex:b ex:r ex:a .
"""


def _graph(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def _run(shapes: str, engine: str, policy=SHACL_POLICY):
    return validator(engine, policy).validate(Graph().parse(data=DATA, format="turtle"), _graph(shapes))


SPARQL_PROPERTY = """
ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property ex:P .
ex:P sh:path ex:q ; sh:sparql [ sh:select \"\"\"
    SELECT $this ?value WHERE { $this <http://example.org/t#q> ?value . FILTER(LANG(?value) = "en") }\"\"\" ] .
"""


def test_a_joinable_property_sparql_constraint_is_compiled():
    fast = _run(SPARQL_PROPERTY, "fast")
    assert fast.fallback_shapes == ()
    assert sorted(str(r.value) for r in fast.results) == ["x", "y"]
    assert all(r.source_constraint is not None for r in fast.results)
    problem, _ = compare(Graph().parse(data=DATA, format="turtle"), _graph(SPARQL_PROPERTY))
    assert problem is None, problem


@pytest.mark.parametrize("engine", ["reference", "fast"])
@pytest.mark.parametrize("clause", ["MINUS { $this ex:p ?x }", "VALUES ?x { 1 }", "SERVICE <http://x/> { ?x ?y ?z }",
                                    "{ SELECT * WHERE { ?x ?y ?z } }"])
def test_sparql_that_cannot_be_pre_bound_is_refused(engine, clause):
    shapes = SPARQL_PROPERTY.replace('FILTER(LANG(?value) = "en")', clause).replace(
        "<http://example.org/t#q>", "ex:q").replace("sh:sparql [", "sh:sparql [ sh:prefixes ex: ;")
    shapes += 'ex: sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/t#"^^xsd:anyURI ] .'
    with pytest.raises(ShapesError):
        _run(shapes, engine)


@pytest.mark.parametrize(("shapes", "reason"), [
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select "
     "\"SELECT $this WHERE { $this <http://example.org/t#r> ?x }\" ] .", "sh:sparql on a node shape"),
    ("ex:S a sh:PropertyShape ; sh:targetNode ex:a ; sh:path ex:r ; sh:property [ sh:path ex:r ; sh:minCount 2 ] .",
     "sh:property of a property shape"),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:r ; sh:node ex:S ] .", "recursive shape"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:datatype xsd:decimal ] .",
     "literals Oxigraph would not give back as written"),
    ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:q ; sh:in ( \"x\"^^xsd:string ) ] .",
     "a constant of the shape"),
    ("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path [ sh:inversePath ex:r ; "
     "sh:zeroOrMorePath ex:r ] ; sh:minCount 3 ] .", "malformed property path"),
])
def test_what_is_not_compiled_is_handed_over_and_named(shapes, reason):
    fast, reference = _run(shapes, "fast"), _run(shapes, "reference")
    assert any(reason in note for note in fast.notes), fast.notes
    assert sorted(map(_key, fast.results)) == sorted(map(_key, reference.results))


def _key(r):
    return (r.focus_node, r.value, r.source_shape if not r.source_shape.startswith("n") else None,
            r.constraint_component, r.severity)


def test_identical_results_of_two_constraints_are_both_kept():
    shapes = "ex:S a sh:NodeShape ; sh:targetNode ex:b ; sh:class ex:D , ex:E ."
    fast = _run(shapes, "fast")
    assert [r.constraint_component for r in fast.results] == [SH.ClassConstraintComponent] * 2


def test_custom_severity_is_kept_and_fails_only_under_the_shacl_policy():
    shapes = "ex:S a sh:NodeShape ; sh:targetNode ex:b ; sh:class ex:D ; sh:severity ex:Serious ."
    for engine in ("reference", "fast"):
        strict, ours = _run(shapes, engine), _run(shapes, engine, POLICY)
        assert [r.severity for r in strict.results] == [str(EX.Serious)]
        assert (strict.conforms, ours.conforms) == (False, True)
        assert "policy violations" in ours.summary() and "policy shacl" in strict.summary()
        comment = str(ours.report_graph.value(next(ours.report_graph.subjects(None, SH.ValidationReport)),
                                              RDFS.comment))
        assert comment.startswith("conformance policy violations")


def test_engines_leave_the_shapes_graph_alone():
    shapes = _graph(SPARQL_PROPERTY)
    before = len(shapes)
    for engine in ("reference", "fast"):
        validator(engine).validate(Graph().parse(data=DATA, format="turtle"), shapes)
    assert len(shapes) == before


def test_the_data_term_is_reported_not_oxigraphs():
    shapes = "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:nodeKind sh:IRI ] ."
    fast = _run(shapes, "fast")
    assert [r.value for r in fast.results] == [Literal("4.0", datatype=XSD.decimal)]
    assert str(fast.results[0].value) == "4.0"
