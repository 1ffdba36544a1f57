"""run_query's direct path: on an Oxigraph-backed dataset the query goes straight to pyoxigraph.

Before the direct path, run_query asked rdflib's ``Dataset.query``, which handed the text to
oxrdflib, which asked pyoxigraph and converted every term to rdflib; run_query then turned
``"x"^^xsd:string`` into plain ``"x"``. The direct path must give exactly those rows: the same
columns, the same rows in the same order, each term of the same Python type with the same
lexical form, language and datatype (blank nodes with the same labels). ``through_rdflib``
below is that old path, kept here as the reference.

Checked on the seed project (every named query, in memory and on disk), on the merged
fixture of tests/fixtures/merge (so the merge queries have rows), and on a small dataset of
invented terms of every kind (example.org IRIs: test data, not claims about the world).
Errors must stay as they were: a syntax error names the file, line and column.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.namespace import XSD

from diplograph import queries
from diplograph.errors import QueryError
from diplograph.queries import (
    NamedQuery,
    QueryResult,
    find_query,
    list_queries,
    run_query,
)
from diplograph.store import new_dataset
from diplograph.terms import plain

ROOT = Path(__file__).resolve().parents[1]
QUERIES_DIR = ROOT / "queries"
ALL_QUERIES = list_queries(QUERIES_DIR)
MERGE_FIXTURES = Path(__file__).parent / "fixtures" / "merge"
OXIGRAPH_STORES = ("memory", "oxigraph")

EX = "https://example.org/"


def through_rdflib(dataset, text: str) -> QueryResult:
    """The answer as run_query gave it before the direct path: rdflib -> oxrdflib -> pyoxigraph."""
    result = dataset.query(text)
    if result.type == "ASK":
        return QueryResult(columns=(), rows=(), boolean=bool(result.askAnswer))
    columns = tuple(str(v) for v in (result.vars or ()))
    rows = tuple(tuple(plain(row[i]) for i in range(len(columns))) for row in result)
    return QueryResult(columns=columns, rows=rows)


def exact(term):
    """A term with everything that tells two terms apart: its Python type, text, language, datatype."""
    if term is None:
        return None
    if isinstance(term, tuple):
        return tuple(exact(t) for t in term)
    if isinstance(term, Literal):
        return (type(term).__name__, str(term), term.language, term.datatype)
    return (type(term).__name__, str(term))


def assert_same(direct: QueryResult, reference: QueryResult) -> None:
    assert direct.columns == reference.columns
    assert direct.boolean == reference.boolean
    assert [tuple(exact(t) for t in row) for row in direct.rows] == [
        tuple(exact(t) for t in row) for row in reference.rows
    ]
    assert direct.rows == reference.rows


@pytest.fixture(scope="module")
def seed(project_datasets) -> dict:
    return {store: project_datasets.get(store).dataset for store in OXIGRAPH_STORES}


@pytest.fixture(scope="module")
def merged() -> Dataset:
    """The seed and the two merge fixtures merged, as N-Quads, loaded into Oxigraph in memory."""
    from diplograph.merge import merge_sources, to_nquads

    sources = [ROOT / "graphs" / "china-azerbaijan-2024.ttl", MERGE_FIXTURES / "china-kazakhstan.ttl",
               MERGE_FIXTURES / "azerbaijan-kazakhstan.ttl"]
    text = to_nquads(merge_sources(sources, sorted((ROOT / "graphs" / "reference").glob("*.ttl")), store="rdflib"))
    dataset = new_dataset("memory")
    dataset.parse(data=text, format="nquads")
    return dataset


TERMS_TTL = f"""
@prefix ex: <{EX}> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:s ex:plain "plain" ;
     ex:string "typed string"^^xsd:string ;
     ex:english "colour"@en-GB , "Farbe"@de ;
     ex:integer 42 , "007"^^xsd:integer , -3 ;
     ex:decimal 3.10 , "-0.0"^^xsd:decimal ;
     ex:double 1.5e3 ;
     ex:boolean true , "1"^^xsd:boolean ;
     ex:date "2024-07-03"^^xsd:date , "2024"^^xsd:gYear , "2024-07-03T10:00:00Z"^^xsd:dateTime ;
     ex:odd "not a number"^^xsd:integer , "x"^^ex:customType ;
     ex:escapes "tab\\there, \\"quoted\\", new\\nline, é ✓ \\\\ backslash" ;
     ex:node [ ex:inner "in a blank node" ] , _:named .
_:named ex:inner "named blank node" .
"""


@pytest.fixture(scope="module")
def terms() -> Dataset:
    dataset = new_dataset("memory")
    dataset.graph(URIRef(EX + "graph/a")).parse(data=TERMS_TTL, format="turtle")
    dataset.graph(URIRef(EX + "graph/b")).add((URIRef(EX + "s"), URIRef(EX + "plain"), Literal("plain")))
    return dataset


# --- the same rows as through rdflib ---------------------------------------------------------


@pytest.mark.parametrize("query", ALL_QUERIES, ids=lambda q: q.name)
@pytest.mark.parametrize("store", OXIGRAPH_STORES)
def test_every_named_query_gives_the_rows_it_gave_through_rdflib(query: NamedQuery, store: str, seed: dict):
    assert_same(run_query(seed[store], query), through_rdflib(seed[store], query.text))



@pytest.fixture(scope="module")
def seed_with_closure(project_datasets) -> dict:
    """The seed plus its OWL-RL closure in graph/inferred (so the inference queries have rows)."""
    return {store: project_datasets.get(store, infer=True).dataset for store in OXIGRAPH_STORES}


@pytest.mark.slow
@pytest.mark.parametrize("query", [q for q in ALL_QUERIES if "inference" in q.tags], ids=lambda q: q.name)
@pytest.mark.parametrize("store", OXIGRAPH_STORES)
def test_inference_queries_with_the_closure(query: NamedQuery, store: str, seed_with_closure: dict):
    result = run_query(seed_with_closure[store], query)
    assert len(result) >= 1
    assert_same(result, through_rdflib(seed_with_closure[store], query.text))

@pytest.mark.parametrize("query", ALL_QUERIES, ids=lambda q: q.name)
def test_same_rows_on_the_merged_fixture(query: NamedQuery, merged: Dataset):
    assert_same(run_query(merged, query), through_rdflib(merged, query.text))


def test_the_merge_queries_have_rows_on_the_merged_fixture(merged: Dataset):
    # so that the comparison above compares something
    for query in ALL_QUERIES:
        if "merge" in query.tags:
            assert len(run_query(merged, query)) >= 1, query.name


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o",
        "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o",
        "SELECT ?o ?missing WHERE { ?s <https://example.org/plain> ?o OPTIONAL { ?s <urn:none> ?missing } }",
        "SELECT (COUNT(*) AS ?n) (SUM(?i) AS ?sum) WHERE { ?s <https://example.org/integer> ?i }",
        "SELECT (STRLEN(?o) AS ?len) (LANG(?o) AS ?lang) (DATATYPE(?o) AS ?dt) WHERE { ?s ?p ?o } ORDER BY ?o",
        "SELECT ?t WHERE { BIND (TRIPLE(<https://example.org/s>, <https://example.org/p>, \"x\") AS ?t) }",
        "SELECT * WHERE { }",
        "SELECT ?x WHERE { }",
    ],
)
def test_terms_of_every_kind_convert_as_through_rdflib(terms: Dataset, text: str):
    # allow_service: these texts are the test's own, and the SERVICE guard's grammar (rdflib's) does not
    # read RDF 1.2's TRIPLE(), so it would refuse that one as unchecked (tests/test_service_refused.py).
    assert_same(run_query(terms, text, allow_service=True), through_rdflib(terms, text))


def test_literal_forms(terms: Dataset):
    rows = run_query(terms, f"SELECT ?p ?o WHERE {{ <{EX}s> ?p ?o }}").rows
    objects = {exact(o) for _, o in rows}
    assert ("Literal", "plain", None, None) in objects  # plain, not "plain"^^xsd:string
    assert ("Literal", "typed string", None, None) in objects  # xsd:string written back as plain
    assert ("Literal", "colour", "en-gb", None) in objects
    assert ("Literal", "42", None, XSD.integer) in objects
    assert ("Literal", "not a number", None, XSD.integer) in objects  # ill-typed: kept as it is
    assert ("Literal", "x", None, URIRef(EX + "customType")) in objects
    assert ("Literal", 'tab\there, "quoted", new\nline, é ✓ \\ backslash', None, None) in objects
    nodes = [o for p, o in rows if p == URIRef(EX + "node")]
    assert len(nodes) == 2 and all(isinstance(n, BNode) for n in nodes)


def test_blank_nodes_keep_their_identity(terms: Dataset):
    text = f"SELECT ?node ?text WHERE {{ <{EX}s> <{EX}node> ?node . ?node <{EX}inner> ?text }} ORDER BY ?text"
    result = run_query(terms, text)
    assert_same(result, through_rdflib(terms, text))
    again = run_query(terms, f"SELECT ?node WHERE {{ ?node <{EX}inner> ?text }}")
    assert {row[0] for row in result.rows} == {row[0] for row in again.rows}  # the same labels each time


def test_union_default_graph_is_a_multiset_as_before(terms: Dataset):
    # ex:s ex:plain "plain" is in two named graphs: Oxigraph's union default graph counts it twice
    text = f'SELECT (COUNT(*) AS ?n) WHERE {{ <{EX}s> <{EX}plain> "plain" }}'
    assert run_query(terms, text).rows == ((Literal(2),),) == through_rdflib(terms, text).rows


# --- which graph a query sees, which prefixes it knows ---------------------------------------


def test_a_dataset_without_default_union_sees_its_default_graph():
    dataset = Dataset(store="Oxigraph", default_union=False)
    dataset.add((URIRef(EX + "d"), URIRef(EX + "p"), Literal("in the default graph")))
    dataset.graph(URIRef(EX + "g")).add((URIRef(EX + "n"), URIRef(EX + "p"), Literal("in a named graph")))
    text = "SELECT ?o WHERE { ?s ?p ?o }"
    assert run_query(dataset, text).rows == ((Literal("in the default graph"),),)
    assert_same(run_query(dataset, text), through_rdflib(dataset, text))


def test_a_named_graph_sees_only_itself(terms: Dataset):
    graph = terms.graph(URIRef(EX + "graph/b"))
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    assert run_query(graph, text).rows == ((URIRef(EX + "s"), URIRef(EX + "plain"), Literal("plain")),)
    assert_same(run_query(graph, text), through_rdflib(graph, text))


def test_prefixes_bound_on_the_dataset_are_known(seed: dict):
    # the named queries declare their prefixes; ad-hoc text may use the dataset's bound ones
    text = "SELECT ?label WHERE { <https://w3id.org/diplograph/id/state/AZE> rdfs:label ?label } ORDER BY ?label"
    result = run_query(seed["memory"], text)
    assert len(result) >= 1
    assert_same(result, through_rdflib(seed["memory"], text))


# --- the path taken ------------------------------------------------------------------------


def test_oxigraph_datasets_bypass_rdflib(seed: dict, monkeypatch: pytest.MonkeyPatch):
    query = find_query("memberships", QUERIES_DIR)
    expected = through_rdflib(seed["memory"], query.text)

    def refuse(*args, **kwargs):
        raise AssertionError("rdflib's Dataset.query was called")

    monkeypatch.setattr(Dataset, "query", refuse)
    for store in OXIGRAPH_STORES:
        assert_same(run_query(seed[store], query), expected)


def test_the_rdflib_store_does_not_take_the_direct_path(monkeypatch: pytest.MonkeyPatch):
    dataset = new_dataset("rdflib")
    dataset.graph(URIRef(EX + "g")).add((URIRef(EX + "s"), URIRef(EX + "p"), Literal("x")))

    def refuse(*args, **kwargs):
        raise AssertionError("the direct path was taken on the rdflib store")

    from diplograph.store import oxigraph

    monkeypatch.setattr(oxigraph, "_converted_rows", refuse)
    assert run_query(dataset, "SELECT ?o WHERE { ?s ?p ?o }").rows == ((Literal("x"),),)


def test_ask(terms: Dataset):
    assert run_query(terms, f"ASK {{ <{EX}s> <{EX}plain> ?o }}").boolean is True
    assert run_query(terms, "ASK { ?s <urn:nothing> ?o }").boolean is False


# --- errors ------------------------------------------------------------------------------------


def _broken(name: str, text: str) -> NamedQuery:
    return dataclasses.replace(find_query(name, QUERIES_DIR), text=text)


@pytest.mark.parametrize("store", OXIGRAPH_STORES)
def test_a_syntax_error_names_the_file_line_and_column(seed: dict, store: str):
    query = _broken("events", "PREFIX dg: <https://w3id.org/diplograph/ns#>\nSELECT ?e WHERE {\n  ?e a dg:Meeting \n")
    with pytest.raises(QueryError) as info:
        run_query(seed[store], query)
    error = info.value
    assert error.path == query.path and error.line == 4 and error.column is not None
    assert f"events.rq:{error.line}:{error.column}: SPARQL syntax error" in str(error)
    assert "\n" not in str(error)


def test_an_unknown_prefix_is_named_with_its_line(seed: dict):
    query = _broken("events", "SELECT ?e WHERE {\n  ?e nope:p ?o }")
    with pytest.raises(QueryError) as info:
        run_query(seed["memory"], query)
    assert info.value.path == query.path and info.value.line == 2
    assert "unknown prefix 'nope'" in str(info.value)


@pytest.mark.parametrize("text", ["CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "DESCRIBE <https://example.org/s>"])
def test_construct_and_describe_are_refused_as_before(terms: Dataset, text: str):
    with pytest.raises(QueryError) as info:
        run_query(terms, text)
    assert "CONSTRUCT queries are not supported here; use SELECT or ASK" in str(info.value)


def test_an_evaluation_error_is_the_query_error_it_was(terms: Dataset):
    # a SERVICE Oxigraph cannot call fails while evaluating, not while parsing (and needs no network);
    # allowed, since without leave it is refused before any engine sees it
    text = "SELECT ?s WHERE { SERVICE <unsupported://nowhere> { ?s ?p ?o } }"
    with pytest.raises(QueryError) as info:
        run_query(terms, text, allow_service=True)
    with pytest.raises(Exception) as before:
        through_rdflib(terms, text)
    assert str(info.value) == str(queries._query_error(before.value, text, None))
    assert str(info.value).startswith("query failed: OSError")
