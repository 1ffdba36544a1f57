"""Datasets on both stores: named graphs, SPARQL over their union, copies for pyshacl."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from conftest import FIXTURES, write
from diplograph.dataset import assemble
from diplograph.errors import (
    EmptyInputError,
    GraphNameClashError,
    InputErrors,
    ParseError,
    StoreChoiceError,
    UsageError,
)
from diplograph.iris import META_GRAPH, graph_iri
from diplograph.store import STORES, add_graph, new_dataset, plain_graph
from diplograph.validation import validate_graph

EX = Namespace("http://example.org/")
G1, G2 = EX.g1, EX.g2


def two_graph_dataset(store: str):
    ds = new_dataset(store)
    one = Graph()
    one.add((EX.aze, EX.memberOf, EX.sco))
    one.add((EX.aze, EX.name, Literal("Azerbaijan-fixture")))
    two = Graph()
    two.add((EX.chn, EX.memberOf, EX.sco))
    two.add((EX.aze, EX.name, Literal("Azerbaijan-fixture")))  # in both graphs
    add_graph(ds, G1, one)
    add_graph(ds, G2, two)
    return ds


def rows(ds, query):
    return sorted(tuple(str(v) for v in row) for row in ds.query(query))


def test_memory_store_is_oxigraph():
    from oxrdflib import OxigraphStore

    assert isinstance(new_dataset("memory").store, OxigraphStore)
    assert type(new_dataset("rdflib").store).__name__ == "Memory"


def test_unknown_store_is_a_store_choice_error():
    with pytest.raises(StoreChoiceError) as info:
        new_dataset("nope")
    assert (info.value.problem, info.value.kind) == ("unknown-kind", "nope")
    assert info.value.choices == ("memory", "rdflib", "oxigraph", "sparql")
    assert "--" not in str(info.value)  # the library names no command-line option


QUERIES = {
    "union": "SELECT DISTINCT ?s WHERE { ?s <http://example.org/memberOf> <http://example.org/sco> }",
    "per-graph": "SELECT ?g ?s WHERE { GRAPH ?g { ?s <http://example.org/memberOf> ?o } }",
    "count-distinct": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
    "literal": 'SELECT ?s WHERE { ?s <http://example.org/name> "Azerbaijan-fixture" } GROUP BY ?s',
}


@pytest.mark.parametrize("name", QUERIES)
def test_both_stores_give_the_same_answers(name):
    answers = {store: rows(two_graph_dataset(store), QUERIES[name]) for store in STORES}
    assert answers["memory"] == answers["rdflib"]
    assert answers["memory"]  # and the query found something


def test_default_union_sees_both_named_graphs():
    for store in STORES:
        found = rows(two_graph_dataset(store), QUERIES["union"])
        assert found == [(str(EX.aze),), (str(EX.chn),)], store


def test_oxigraph_union_repeats_a_triple_found_in_two_graphs():
    # Documented difference (oxrdflib 0.5 / pyoxigraph 0.5): the union default
    # graph is a multiset on Oxigraph, a set on rdflib. Use DISTINCT.
    query = "SELECT ?s WHERE { ?s <http://example.org/name> ?o }"
    assert len(rows(two_graph_dataset("memory"), query)) == 2
    assert len(rows(two_graph_dataset("rdflib"), query)) == 1


def test_oxigraph_returns_plain_literals_as_xsd_string():
    (value,) = next(iter(two_graph_dataset("memory").query("SELECT ?o WHERE { ?s <http://example.org/name> ?o } LIMIT 1")))
    assert value.datatype == XSD.string
    assert value != Literal("Azerbaijan-fixture")  # rdflib's view; RDF 1.1 calls them equal


def test_plain_graph_writes_literals_in_rdflib_form():
    for store in STORES:
        graph = plain_graph(two_graph_dataset(store))
        assert type(graph) is Graph
        assert len(graph) == 3
        assert (EX.aze, EX.name, Literal("Azerbaijan-fixture")) in graph


def test_plain_graph_of_chosen_graphs():
    graph = plain_graph(two_graph_dataset("memory"), [G2])
    assert set(graph.subjects()) == {EX.chn, EX.aze}
    with pytest.raises(UsageError):
        plain_graph(two_graph_dataset("memory"), [EX.nope])


SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:name ; sh:property [ sh:path ex:name ; sh:in ("Azerbaijan-fixture") ] .
"""


def test_pyshacl_on_plain_graphs_agrees_across_stores():
    # Given the Oxigraph-backed graph directly, pyshacl reports a false sh:in violation.
    shapes = Graph().parse(data=SHAPES, format="turtle")
    direct = validate_graph(two_graph_dataset("memory").graph(G1), shapes)
    assert not direct.conforms
    reports = [validate_graph(plain_graph(two_graph_dataset(s)), shapes) for s in STORES]
    assert all(r.conforms and not r.results for r in reports)


# --- loading a project ---------------------------------------------------------


@pytest.mark.parametrize("store", STORES)
def test_assemble_names_graphs_and_files(project, store):
    loaded = assemble(project, store=store)
    assert loaded.graph_files == {
        graph_iri("ontology"): project.ontology_file,
        graph_iri("shapes"): project.shapes_dir,
        graph_iri("reference", "states"): project.reference_dir / "states.ttl",
        graph_iri("source", "meeting"): project.graphs_dir / "meeting.ttl",
    }
    assert loaded.graphs_of_kind("source") == [graph_iri("source", "meeting")]
    assert len(loaded.dataset.graph(graph_iri("source", "meeting"))) == 6
    assert loaded.view == [*loaded.graph_files, META_GRAPH]
    assert len(loaded.dataset.graph(META_GRAPH)) > 0


def test_load_project_dataset_with_given_files(project, tmp_path):
    other = tmp_path / "elsewhere" / "bad-meeting.ttl"
    other.parent.mkdir()
    other.write_text((FIXTURES / "graphs" / "bad-meeting.ttl").read_text())
    loaded = assemble(project, files=[other])
    assert loaded.graphs_of_kind("source") == [graph_iri("source", "bad-meeting")]
    assert graph_iri("reference", "states") in loaded.graph_files


def test_load_project_dataset_reports_every_broken_file(project):
    write(project.graphs_dir / "broken.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    write(project.graphs_dir / "empty.ttl", "# nothing\n")
    with pytest.raises(InputErrors) as info:
        assemble(project)
    kinds = sorted(type(e).__name__ for e in info.value.errors)
    assert kinds == ["EmptyInputError", "ParseError"]
    assert len(info.value.problems) == 2


def test_load_project_dataset_with_no_source_graphs(project):
    (project.graphs_dir / "meeting.ttl").unlink()
    with pytest.raises(EmptyInputError, match="folder holds no graph files"):
        assemble(project)


def test_files_with_the_same_stem_clash(project, tmp_path):
    a = write(tmp_path / "a" / "x.ttl", "<http://example.org/a> <http://example.org/b> 1 .\n")
    b = write(tmp_path / "b" / "x.ttl", "<http://example.org/a> <http://example.org/b> 2 .\n")
    with pytest.raises(GraphNameClashError) as info:
        assemble(project, files=[a, b])
    assert (info.value.path, info.value.other, info.value.graph) == (b, a, graph_iri("source", "x"))
    assert "would share the named graph" in str(info.value)


def test_trig_source_keeps_its_graph_names(project, tmp_path):
    path = write(
        tmp_path / "bundle.trig",
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:g { ex:d ex:e ex:f . }\n",
    )
    loaded = assemble(project, files=[path])
    assert loaded.graph_files[EX.g] == path
    assert loaded.graph_files[graph_iri("source", "bundle")] == path


def test_parse_error_from_project_is_a_parse_error(project):
    write(project.graphs_dir / "meeting.ttl", "@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    with pytest.raises(ParseError):
        assemble(project)


def test_graph_iri_rules():
    assert graph_iri("source", "china-azerbaijan-2024") == URIRef(
        "https://w3id.org/diplograph/graph/source/china-azerbaijan-2024"
    )
    with pytest.raises(ValueError):
        graph_iri("source")
    with pytest.raises(ValueError):
        graph_iri("ontology", "x")


def test_a_working_store_copies_graphs_with_and_without_blank_nodes_exactly():
    # Graphs without blank nodes go through Oxigraph's loader (which relabels blank nodes), the
    # others keep their labels: the reasoner's conclusions about a blank node must name the
    # dataset's own. The literal "_:x" sends its graph the careful way too.
    from rdflib import BNode

    from diplograph.store import working_store
    from diplograph.store.oxigraph import WorkingStore

    ex = Namespace("https://example.org/working/")
    dataset = new_dataset("memory")
    plain, blank, lookalike = URIRef(ex.plain), URIRef(ex.blank), URIRef(ex.lookalike)
    add_graph(dataset, plain, [(ex.a, ex.p, ex.b), (ex.a, ex.q, Literal("1", datatype=XSD.integer))])
    add_graph(dataset, blank, [(BNode("n1"), ex.p, ex.b), (ex.c, ex.p, BNode("n2"))])
    add_graph(dataset, lookalike, [(ex.d, ex.p, Literal("_:x"))])
    store = working_store(dataset, [plain, blank, lookalike])
    assert isinstance(store, WorkingStore)
    assert set(store.triples()) == {
        (ex.a, ex.p, ex.b), (ex.a, ex.q, Literal("1", datatype=XSD.integer)),
        (BNode("n1"), ex.p, ex.b), (ex.c, ex.p, BNode("n2")), (ex.d, ex.p, Literal("_:x")),
    }
