"""Every dg: term used anywhere is declared in the ontology: a typo'd IRI must fail, not pass silently.

Checked: the ontology's own references, the shapes (their triples, the dg: names quoted in their
messages and the IRIs in their SPARQL), graphs/*.ttl, graphs/reference/*.ttl, the shape fixtures and
queries/**/*.rq. "Declared" means the ontology gives the IRI an rdf:type. Shapes are dg: IRIs too
(dg:StateShape) but are declared by the shapes files themselves, so they are allowed there.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from shapes_util import DG_NS, FIXTURES, GRAPHS_DIR, ONTOLOGY, ROOT, SH, SHAPES_DIR, declared_shapes, load

QUERIES_DIR = ROOT / "queries"

SHAPE_FILES = sorted(SHAPES_DIR.glob("*.ttl"))
GRAPH_FILES = sorted(GRAPHS_DIR.glob("*.ttl")) + sorted((GRAPHS_DIR / "reference").glob("*.ttl"))
FIXTURE_FILES = sorted(FIXTURES.glob("**/*.ttl"))
QUERY_FILES = sorted(QUERIES_DIR.glob("**/*.rq"))

DG_IRI = re.compile(r"<" + re.escape(DG_NS) + r"([^>\s]+)>")
DG_CURIE_IN_TEXT = re.compile(r"(?<![\w:/#])dg:([A-Za-z_][\w\-]*[\w])")


@pytest.fixture(scope="module")
def declared() -> set[str]:
    ontology = load(ONTOLOGY)
    names = {str(s)[len(DG_NS):] for s in ontology.subjects(RDF.type, None) if str(s).startswith(DG_NS)}
    assert len(names) > 100
    return names


def dg_terms_of(graph: Graph) -> set[str]:
    """Local names of every dg: IRI in any position of any triple."""
    return {str(t)[len(DG_NS):] for triple in graph for t in triple
            if isinstance(t, URIRef) and str(t).startswith(DG_NS)}


def dg_terms_of_query(text: str) -> set[str]:
    """Local names of the dg: terms a SPARQL query uses, through its own prefix for the dg: namespace."""
    names = set(DG_IRI.findall(text))
    prefixes = [p for p, ns in re.findall(r"(?i)PREFIX\s+([\w\-]*):\s*<([^>]*)>", text) if ns == DG_NS]
    body = DG_IRI.sub(" ", re.sub(r"<[^>\s]*>", " ", text))  # drop IRIs (they may contain '#')
    body = re.sub(r'"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', " ", body)  # strings
    body = re.sub(r"#[^\n]*", " ", body)  # comments
    for prefix in prefixes:
        names |= set(re.findall(r"(?<![\w\-])" + re.escape(prefix) + r":([A-Za-z_][\w\-]*)", body))
    return names


def test_files_to_check_exist():
    # A check that walks folders that do not exist passes on zero files: count them.
    assert len(SHAPE_FILES) == 3, [p.name for p in SHAPE_FILES]
    assert len(GRAPH_FILES) >= 2
    assert len(FIXTURE_FILES) > 30
    total = 1 + len(SHAPE_FILES) + len(GRAPH_FILES) + len(FIXTURE_FILES) + len(QUERY_FILES)
    assert total > 40


def test_ontology_refers_only_to_its_own_terms(declared: set[str]):
    assert dg_terms_of(load(ONTOLOGY)) - declared == set()


@pytest.mark.parametrize("path", SHAPE_FILES, ids=lambda p: p.name)
def test_shapes_use_only_declared_terms(path: Path, declared: set[str]):
    graph = load(path)
    shapes = {str(s)[len(DG_NS):] for s in declared_shapes(graph) if str(s).startswith(DG_NS)}
    used = dg_terms_of(graph)
    for text in (str(o) for o in graph.objects(None, SH.select)):
        used |= set(DG_IRI.findall(text))
    quoted = set()
    for prop in (SH.message, SH.description):
        for text in (str(o) for o in graph.objects(None, prop)):
            quoted |= set(DG_CURIE_IN_TEXT.findall(text))
    assert used - declared - shapes == set(), "undeclared dg: terms in the shapes"
    assert quoted - declared - shapes == set(), "messages name dg: terms the ontology does not declare"


@pytest.mark.parametrize("path", GRAPH_FILES + FIXTURE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_graphs_use_only_declared_terms(path: Path, declared: set[str]):
    assert dg_terms_of(load(path)) - declared == set()


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_queries_use_only_declared_terms(path: Path, declared: set[str]):
    assert dg_terms_of_query(path.read_text(encoding="utf-8")) - declared == set()


def test_query_term_reader_finds_terms_and_ignores_comments_and_strings():
    text = """#+ summary: dg:NotATerm in a comment
    PREFIX d: <https://w3id.org/diplograph/ns#>
    SELECT ?s WHERE { ?s a d:State ; d:isoAlpha3 "d:NotATermEither" ; <https://w3id.org/diplograph/ns#party> ?p }"""
    assert dg_terms_of_query(text) == {"State", "isoAlpha3", "party"}


def test_undeclared_term_is_caught(declared: set[str]):
    typo = Graph().parse(data="<urn:x> <https://w3id.org/diplograph/ns#isoAlpha> 'AZE' .", format="turtle")
    assert dg_terms_of(typo) - declared == {"isoAlpha"}
