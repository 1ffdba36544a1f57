"""`diplograph terms [WORD]` (diplograph.vocabulary): the ontology's vocabulary, readable and searchable."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL, RDF, SKOS

from conftest import run_cli
from diplograph.namespaces import DG
from diplograph.vocabulary import read_vocabulary, search

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "diplograph.ttl"


def terms(*args: str) -> dict:
    proc = run_cli("terms", *args, "--format", "json", cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_every_class_property_and_scheme_of_the_ontology_is_listed():
    g = Graph().parse(ONTOLOGY)
    ours = lambda s: str(s).startswith(str(DG))  # noqa: E731
    classes = {str(c) for c in g.subjects(RDF.type, OWL.Class) if ours(c)}
    properties = {str(p) for t in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
                  for p in g.subjects(RDF.type, t) if ours(p)}
    schemes = {str(s) for s in g.subjects(RDF.type, SKOS.ConceptScheme) if ours(s)}
    collections = {str(c) for c in g.subjects(RDF.type, SKOS.Collection) if ours(c)}
    everything = terms()
    assert {c["iri"] for c in everything["classes"]} == classes and len(classes) > 20
    assert {p["iri"] for p in everything["properties"]} == properties and len(properties) > 50
    assert {s["iri"] for s in everything["concept_schemes"]} == schemes
    assert {c["iri"] for c in everything["collections"]} == collections == {str(DG.ParticipationStatuses)}
    assert all(c["definition"] for c in everything["classes"]), "every class has its definition"


def test_a_collection_lists_its_members_and_is_found_by_them():
    """dg:ParticipationStatuses decides which memberships give dg:participatesIn: a user looking
    for "participation" or for one of its statuses finds it, with its members."""
    (found,) = terms("participation")["collections"]
    assert found["name"] == "dg:ParticipationStatuses" and found["members"] == ["dg:MemberState", "dg:PartnerCountry"]
    assert "dg:PartnerCountry" in found["definition"] or "partner country" in found["definition"]
    assert [c["name"] for c in terms("dg:PartnerCountry")["collections"]] == ["dg:ParticipationStatuses"]
    table = run_cli("terms", "ParticipationStatuses", cwd=ROOT)
    assert table.returncode == 0 and "dg:MemberState, dg:PartnerCountry" in table.stdout
    assert table.stdout.rstrip().endswith("1 collections")


def test_a_property_comes_with_domain_range_and_definition():
    (prop,) = terms("partofevent")["properties"]  # case ignored
    assert prop == {
        "name": "dg:partOfEvent", "iri": str(DG.partOfEvent), "label": "part of event",
        "definition": "The larger event during which an event took place: a bilateral meeting during a summit.",
        "kind": "object", "domain": "dg:DiplomaticEvent", "range": "dg:DiplomaticEvent",
    }


def test_words_of_a_definition_find_the_term():
    found = terms("bilateral meeting during a summit")
    assert [p["name"] for p in found["properties"]] == ["dg:partOfEvent"] and found["classes"] == []


def test_a_concept_scheme_keeps_only_its_matching_concepts_unless_it_matches_itself():
    (levels,) = terms("strategic partnership")["concept_schemes"]
    assert levels["name"] == "dg:RelationshipLevelScheme"
    assert [c["name"] for c in levels["concepts"]] == [
        "dg:StrategicPartnership", "dg:ComprehensiveStrategicPartnership", "dg:PermanentComprehensiveStrategicPartnership"]
    (whole,) = terms("relationship levels")["concept_schemes"]
    assert "dg:DiplomaticRelations" in [c["name"] for c in whole["concepts"]] and len(whole["concepts"]) >= 4


def test_table_output_nothing_found_and_a_bad_format():
    proc = run_cli("terms", "partOfEvent", cwd=ROOT)
    assert proc.returncode == 0 and "dg:partOfEvent" in proc.stdout and "dg:DiplomaticEvent" in proc.stdout
    assert proc.stdout.rstrip().endswith("0 classes, 1 properties, 0 concept schemes (0 concepts), 0 collections")
    none = run_cli("terms", "zzzz-nothing", cwd=ROOT)
    assert none.returncode == 0 and "no class, property, concept or collection of the ontology mentions 'zzzz-nothing'" in none.stdout
    bad = run_cli("terms", "--format", "xml", cwd=ROOT)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def test_a_union_domain_reads_as_alternatives():
    g = Graph().parse(data="""
        @prefix dg: <https://w3id.org/diplograph/ns#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        dg:A a owl:Class . dg:B a owl:Class .
        dg:p a owl:ObjectProperty ; rdfs:comment "a fixture property"@en ;
            rdfs:domain [ owl:unionOf ( dg:A dg:B ) ] ; rdfs:range dg:A .
    """, format="turtle")
    vocabulary = read_vocabulary(g)
    (p,) = vocabulary.properties
    assert (p.domain, p.range, p.definition) == ("dg:A or dg:B", "dg:A", "a fixture property")
    assert len(search(vocabulary, "fixture")) == 1 and len(search(vocabulary, None)) == 3
