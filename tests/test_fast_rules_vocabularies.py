"""The fast reasoner beyond the project's ontology: W3C ORG and PROV-O, with data generated from them.

For each vocabulary (vendored under vendor/reference/vocab/) the data comes from the vocabulary's
own axioms (bench/vocabulary_data.py): instances of every class, assertions of every property
between typed, untyped and blank nodes, premises for every property chain, restriction and
functional property. owlrl (the reference engine, with its input pruning) and the fast reasoner
must keep exactly the same triples, report the same ``owl:sameAs`` pairs and the same
inconsistencies (ORG's and PROV-O's disjoint classes, PROV-O's ``owl:maxCardinality 0``). An
ontology with an axiom the fast reasoner does not compile is refused, naming the axiom.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

import vocabulary_data as vd
from conftest import run_cli
from diplograph.errors import UnsupportedAxiomError
from diplograph.reasoning import infer
from diplograph.reasoning.fast_engine import unsupported_axioms
from diplograph.store import WorkingStore

ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
UNHANDLED = vd.ROOT / "tests" / "fixtures" / "reasoning" / "unhandled-axioms.ttl"
RESTRICTIONS = vd.ROOT / "tests" / "fixtures" / "reasoning" / "restrictions.ttl"
EX_R = Namespace("http://example.org/fixture/restrictions#")
VOCABULARIES = {"org": (vd.ORG,), "prov-o": (vd.PROV_O,), "org+prov-o": (vd.ORG, vd.PROV_O)}
SEEDS = (1, 2, 3)


@pytest.fixture(scope="module", params=list(VOCABULARIES))
def vocab(request):
    ontology = vd.load(*VOCABULARIES[request.param])
    return request.param, ontology, vd.vocabulary(ontology)


def _both(data: Graph, ontology: Graph):
    reference = infer(data, ontology)
    fast = infer(data, ontology, engine="fast")
    assert (reference.engine, fast.engine) == ("owlrl", "fast")
    return reference, fast


def _assert_same(reference, fast) -> None:
    only_reference = set(reference.inferred) - set(fast.inferred)
    only_fast = set(fast.inferred) - set(reference.inferred)
    assert not only_reference and not only_fast, (sorted(only_reference, key=str)[:5], sorted(only_fast, key=str)[:5])
    assert fast.same_as == reference.same_as
    assert fast.inconsistencies == reference.inconsistencies


def test_the_fast_reasoner_compiles_every_axiom_of_org_and_prov_o():
    for path in (vd.ORG, vd.PROV_O):
        assert unsupported_axioms(vd.load(path)) == [], path.name


@pytest.mark.parametrize("seed", SEEDS)
def test_generated_data_gives_owlrls_kept_triples(vocab, seed):
    name, ontology, vocabulary = vocab
    data = vd.build(vocabulary, vd.seeded_choices(vocabulary, seed))
    assert len(data) > 100
    reference, fast = _both(data, ontology)
    _assert_same(reference, fast)
    assert reference.kept > 200, name  # the comparison is not vacuous
    assert reference.inconsistencies  # random typing meets the disjoint classes of both vocabularies


def test_a_working_store_gives_the_same_as_a_graph(vocab):
    """The CLI hands the fast reasoner a working store: same answer (the ontology's blank nodes included)."""
    _name, ontology, vocabulary = vocab
    data = vd.build(vocabulary, vd.seeded_choices(vocabulary, 4))
    from_graph = infer(data, ontology, engine="fast")
    from_store = infer(WorkingStore.of_graphs(data), ontology, engine="fast")
    assert from_store.inferred == from_graph.inferred
    assert from_store.inconsistencies == from_graph.inconsistencies


def test_what_org_earns_is_drawn_by_both():
    """ORG's chain, allValuesFrom restriction, inverses, union domains and functional properties all fire."""
    ontology = vd.load(vd.ORG)
    vocabulary = vd.vocabulary(ontology)
    data = vd.build(vocabulary, vd.seeded_choices(vocabulary, 1))
    reference, fast = _both(data, ontology)
    _assert_same(reference, fast)
    chain = vocabulary.chains.index((ORG.resultedFrom, ORG.originalOrganization))
    assert (vd.DATA[f"chain{chain}-0"], PROV.wasDerivedFrom, vd.DATA[f"chain{chain}-2"]) in fast.inferred
    restricted = vocabulary.restricted.index((ORG.OrganizationalCollaboration, ORG.hasMember))
    # OrganizationalCollaboration = Organization and (hasMember only Organization): cls-avf
    assert (vd.DATA[f"restricted{restricted}"], RDF.type, ORG.Organization) in fast.inferred
    assert (vd.DATA[f"restricted{restricted}"], ORG.memberOf, vocabulary_instance(vocabulary, ORG.OrganizationalCollaboration)) in fast.inferred
    assert any(p == ORG.hasMember for _s, p, _o in fast.inferred)  # from foaf:member and org:memberOf
    assert fast.same_as  # org:member and org:organization are functional
    assert fast.counts["anonymous-type"] > 0  # members of the union domains, dropped like owlrl's
    assert any(m.startswith("Disjoint classes http://www.w3.org/ns/org#") for m in fast.inconsistencies)


def test_what_prov_o_earns_is_drawn_by_both():
    """PROV-O's thirteen qualified-form chains, and owl:maxCardinality 0 on prov:hadActivity reported."""
    ontology = vd.load(vd.PROV_O)
    vocabulary = vd.vocabulary(ontology)
    data = vd.build(vocabulary, vd.seeded_choices(vocabulary, 1))
    reference, fast = _both(data, ontology)
    _assert_same(reference, fast)
    heads = {p for p, _head in ontology.subject_objects(OWL.propertyChainAxiom)}
    assert len(heads) == 13
    drawn = {p for s, p, o in fast.inferred if str(s).startswith(str(vd.DATA) + "chain")}
    assert heads <= drawn
    assert any(m.startswith("Erroneous usage of maximum cardinality with ") for m in fast.inconsistencies)
    assert any(m.startswith("Disjoint classes http://www.w3.org/ns/prov#") for m in fast.inconsistencies)


def vocabulary_instance(vocabulary: vd.Vocabulary, cls: URIRef) -> URIRef:
    """The first generated instance of ``cls`` (vd.build names them c<class index>-<k>)."""
    return vd.DATA[f"c{vocabulary.classes.index(cls)}-0"]


_CHOICES = st.lists(st.tuples(st.integers(0, 200), st.integers(0, 63), st.integers(0, 63)), min_size=1, max_size=60)


@pytest.mark.parametrize("name", ["org", "prov-o", "restrictions"])
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(choices=_CHOICES)
def test_any_generated_data_gives_owlrls_kept_triples(name, choices):
    """Hypothesis picks the assertions (and shrinks a difference to a small graph)."""
    ontology = _ontologies()[name]
    data = vd.build(vd.vocabulary(ontology), choices, instances=1)
    reference, fast = _both(data, ontology)
    _assert_same(reference, fast)


_LOADED: dict[str, Graph] = {}


def _ontologies() -> dict[str, Graph]:
    if not _LOADED:
        _LOADED.update({"org": vd.load(vd.ORG), "prov-o": vd.load(vd.PROV_O), "restrictions": vd.load(RESTRICTIONS)})
    return _LOADED


# --- refusals ---------------------------------------------------------------------------------


def test_an_unhandled_axiom_is_refused_by_name():
    ontology = vd.load(UNHANDLED)
    named = [str(a) for a in unsupported_axioms(ontology)]
    assert named == [
        "owl:AsymmetricProperty on ex:partOf",
        'owl:maxCardinality 1 in a restriction on ex:hasPart (rdfs:subClassOf of ex:Single)',
        "owl:someValuesFrom xsd:string in a restriction on ex:hasPart (rdfs:subClassOf of ex:Whole)",
    ]
    data = Graph()
    data.add((vd.DATA.w, URIRef("http://example.org/fixture/unhandled#hasPart"), vd.DATA.p))
    with pytest.raises(UnsupportedAxiomError) as caught:
        infer(data, ontology, engine="fast")
    assert [str(a) for a in caught.value.axioms] == named
    assert "owl:someValuesFrom xsd:string in a restriction on ex:hasPart" in str(caught.value)
    assert infer(data, ontology).kept > 0  # the reference engine still answers


def test_a_class_axiom_on_a_blank_node_of_the_data_is_refused():
    """Only the ontology's blank nodes are named for the rules; the data's axioms on blank nodes are refused."""
    ontology = vd.load(vd.ORG)
    data = Graph()
    union = BNode("dataunion")
    data.add((vd.DATA.C, RDFS.subClassOf, union))
    data.add((vd.DATA.x, RDF.type, vd.DATA.C))
    with pytest.raises(UnsupportedAxiomError) as caught:
        infer(data, ontology, engine="fast")
    assert any("rdfs:subClassOf on http://example.org/generated/C" in str(a) or
               "<http://example.org/generated/C>" in str(a) for a in caught.value.axioms), caught.value.axioms


def test_cli_refuses_before_writing_anything(project_dir, tmp_path):
    """`diplograph infer --engine fast -o FILE` on an ontology with an unhandled axiom: one line per axiom, no file."""
    (project_dir / "ontology" / "unhandled.ttl").write_text(UNHANDLED.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "inferred.trig"
    result = run_cli("infer", "--engine", "fast", "-o", str(out), cwd=project_dir, home=project_dir)
    assert result.returncode != 0
    assert not out.exists()
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "does not compile" in line]
    assert len(lines) == 3, result.stderr
    # the project's ontology graph does not keep the file's prefixes: full IRIs
    ex = "http://example.org/fixture/unhandled#"
    assert any(f"owl:someValuesFrom xsd:string in a restriction on <{ex}hasPart> (rdfs:subClassOf of <{ex}Whole>)" in line
               and "--engine reference" in line for line in lines), lines
    reference = run_cli("infer", "--engine", "reference", "-o", str(out), cwd=project_dir, home=project_dir)
    assert reference.returncode == 0 and out.exists()


def test_cli_reports_inconsistencies_as_warnings(project_dir):
    """A disjointness the data violates is printed by both engines, in the same words, and not stored."""
    (project_dir / "ontology" / "disjoint.ttl").write_text("""
        # Test fixture, not a claim about the world.
        @prefix dg: <https://w3id.org/diplograph/ns#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix ex: <http://example.org/fixture/disjoint#> .
        ex:Nowhere a owl:Class ; owl:disjointWith dg:Meeting .
    """, encoding="utf-8")
    (project_dir / "graphs" / "nowhere.ttl").write_text("""
        # Test fixture, not a claim about the world.
        @prefix dg: <https://w3id.org/diplograph/ns#> .
        @prefix ex: <http://example.org/fixture/disjoint#> .
        ex:event a dg:Meeting , ex:Nowhere .
    """, encoding="utf-8")
    warnings = {}
    for engine in ("reference", "fast"):
        out = project_dir / f"inferred-{engine}.trig"
        result = run_cli("infer", "--engine", engine, "-o", str(out), cwd=project_dir, home=project_dir)
        assert result.returncode == 0, result.stderr
        warnings[engine] = [line for line in result.stderr.splitlines() if "contradicts the ontology" in line]
        assert "ErrorMessage" not in out.read_text(encoding="utf-8")  # a report, not an inferred fact
    assert warnings["fast"] == warnings["reference"]
    assert any("Disjoint classes http://example.org/fixture/disjoint#Nowhere" in w for w in warnings["fast"])


@pytest.mark.parametrize("seed", SEEDS)
def test_some_and_has_value_restrictions_give_owlrls_kept_triples(seed):
    """owl:someValuesFrom (a class, owl:Thing) and owl:hasValue, which ORG and PROV-O do not use (fixture)."""
    ontology = vd.load(RESTRICTIONS)
    assert unsupported_axioms(ontology) == []
    vocabulary = vd.vocabulary(ontology)
    data = vd.build(vocabulary, vd.seeded_choices(vocabulary, seed, per_property=6))
    data.add((vd.DATA.someone, EX_R.nationality, EX_R.France))  # the premise of cls-hv2, whatever the seed
    reference, fast = _both(data, ontology)
    _assert_same(reference, fast)
    types = {o for _s, p, o in fast.inferred if p == RDF.type}
    assert {EX_R.Parent, EX_R.Employee, EX_R.French} <= types, types  # cls-svf1, cls-svf2, cls-hv2
    french = vd.DATA[f"c{vocabulary.classes.index(EX_R.French)}-0"]
    assert (french, EX_R.nationality, EX_R.France) in fast.inferred  # cls-hv1
