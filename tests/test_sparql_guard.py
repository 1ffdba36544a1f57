"""diplograph.sparql_guard finds SERVICE and LOAD by parsing, however they are spelt.

Every spelling below (comments, case, escapes, nesting, prefixed and relative IRIs, variables)
must be reported by the guard; the ones Oxigraph itself parses, and so would run, are counted so
that the family is known to hold real queries, not typos. Spellings that
only *look* like SERVICE (in a string, an IRI, a comment, a local name) must not be refused.
"""

from __future__ import annotations

import hashlib

import itertools

import pyoxigraph as ox
import pytest

from diplograph.errors import QueryError, RefusedSparqlError
from diplograph.sparql_guard import inspect_query, inspect_update, refuse

TARGET = "http://127.0.0.1:1/sparql"  # port 1: nothing listens; nothing is ever sent (see below)

KEYWORDS = ["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "SERV\\u0049CE", "\\U00000053ERVICE"]
BEFORE = ["", ".", " . ", "\n", "# a comment\n", "\t", "{ ?x ?y ?z } "]
TARGETS = [f"<{TARGET}>", "SILENT <" + TARGET + ">", "ex:sparql", "?endpoint", "SILENT ?endpoint", "<sparql>"]
PLACES = [
    "SELECT * WHERE {{ ?a ?b ?c {before}{kw} {target} {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ OPTIONAL {{ {kw} {target} {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ {kw} {target} {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o MINUS {{ {kw} {target} {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ {kw} {target} {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT * WHERE {{ {kw} {target} {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ GRAPH ?g {{ {kw} {target} {{ ?s ?p ?o }} }} }}",
    "ASK {{ {kw} {target} {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {kw} {target} {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ {kw}\n{target}\n{{ {kw} {target} {{ ?s ?p ?o }} }} }}",
]
PROLOGUE = "PREFIX ex: <http://127.0.0.1:1/> BASE <http://127.0.0.1:1/>\n"


def _spellings():
    for place, kw, before, target in itertools.product(PLACES, KEYWORDS, BEFORE, TARGETS):
        if "{before}" not in place and before:
            continue
        if place.startswith("SELECT * WHERE {{ {kw}\n") and before:
            continue
        yield PROLOGUE + place.format(kw=kw, before=before, target=target)


SPELLINGS = list(_spellings())


def oxigraph_parses(text: str) -> bool:
    """True when Oxigraph accepts ``text`` (it then fails to evaluate it: port 1 refuses at once)."""
    try:
        answer = ox.Store().query(text, use_default_graph_as_union=True)
        if not isinstance(answer, ox.QueryBoolean):
            list(answer)
    except SyntaxError:
        return False
    except (OSError, RuntimeError, ValueError):
        return True  # parsed, then the SERVICE call failed
    return True


RUNNABLE = [text for text in SPELLINGS if oxigraph_parses(text)]


def test_there_are_many_spellings_oxigraph_would_run():
    # Oxigraph (0.5) does not expand \u escapes outside strings: those spellings are syntax errors
    # for it, and are refused here all the same.
    assert len(SPELLINGS) > 500 and len(RUNNABLE) > 200


@pytest.mark.parametrize("text", SPELLINGS, ids=lambda t: hashlib.sha1(t.encode()).hexdigest()[:10])
def test_every_spelling_of_service_is_refused(text):
    # A SERVICE inside a SERVICE sends rdflib's grammar into endless recursion: the text cannot be
    # checked, which is a QueryError, and what cannot be checked is refused too.
    with pytest.raises((RefusedSparqlError, QueryError)) as info:
        refuse(inspect_query(text))
    if isinstance(info.value, RefusedSparqlError):
        assert info.value.feature == "SERVICE"
    else:
        assert "recursion" in str(info.value) and "\n{" in text, text


def test_every_spelling_but_a_service_inside_a_service_is_parsed_and_its_service_named():
    nested = [text for text in SPELLINGS if "\n{" in text]
    for text in SPELLINGS:
        if text not in nested:
            assert inspect_query(text).services, text
    assert len(nested) < 0.1 * len(SPELLINGS)


@pytest.mark.parametrize("text", [
    'SELECT * WHERE { ?s ?p "SERVICE <http://127.0.0.1:1/>" }',
    "SELECT * WHERE { ?s ?p <http://example.org/SERVICE> }",
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://127.0.0.1:1/> { }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:SERVICE ?o }",
    "SELECT ?service WHERE { ?service ?p ?o }",
    "SELECT * WHERE { ?s ?p '''a\nSERVICE <x> { }''' }",
])
def test_what_only_looks_like_service_is_not_refused(text):
    assert oxigraph_parses(text)
    found = inspect_query(text)
    assert found.services == ()
    refuse(found)


@pytest.mark.parametrize("text", [
    "LOAD <http://127.0.0.1:1/data.ttl>",
    "load silent <http://127.0.0.1:1/data.ttl> INTO GRAPH <urn:g>",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> } ; LOAD <http://127.0.0.1:1/x>",
    "\\u004cOAD <http://127.0.0.1:1/x>",
])
def test_load_is_found_in_updates(text):
    found = inspect_update(text)
    assert found.kind == "update" and found.loads and "Load" in found.operations
    with pytest.raises(RefusedSparqlError) as info:
        refuse(found)
    assert info.value.feature == "LOAD"


def test_service_in_an_update_is_found():
    found = inspect_update(f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{TARGET}> {{ ?s ?p ?o }} }}")
    assert found.services == (TARGET,) and found.operations == ("Modify",)


def test_dataset_clauses_are_read():
    found = inspect_query("SELECT * FROM <urn:a> FROM <urn:b> FROM NAMED <urn:c> WHERE { ?s ?p ?o }")
    assert (found.from_graphs, found.from_named, found.has_dataset_clause) == (("urn:a", "urn:b"), ("urn:c",), True)
    assert not inspect_query("SELECT * WHERE { ?s ?p ?o }").has_dataset_clause


#: Texts whose FROM clause the shortcut of dataset_clauses must not skip (rdflib's parse finds it).
WITH_FROM = [
    "SELECT * FROM <urn:a> WHERE { ?s ?p ?o }",
    "select * from<urn:a> where { ?s ?p ?o }",
    "SELECT *FrOm <urn:a> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <urn:a> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * # inline\nFROM <urn:a> WHERE { ?s ?p ?o }",
    'SELECT * FROM <urn:a> WHERE { ?s ?p """\n# not a comment\n""" }',
    "SELECT * FR\\u004FM <urn:a> WHERE { ?s ?p ?o }",  # escapes act before parsing
]
#: Texts without one that need no parse: "from" in a comment line or inside a name.
WITHOUT_FROM = [
    "# where it comes from\nSELECT * WHERE { ?s <http://www.w3.org/ns/prov#wasDerivedFrom> ?o }",
    "PREFIX prov: <http://www.w3.org/ns/prov#>\n  #   from a header\nSELECT ?s WHERE { ?s prov:wasDerivedFrom ?o }",
]


@pytest.mark.parametrize("text", WITH_FROM)
def test_every_from_clause_is_read_and_not_skipped(text):
    from diplograph.sparql_guard import dataset_clauses, may_name_a_dataset

    assert may_name_a_dataset(text)
    assert dataset_clauses(text) is not None


def test_a_comment_ends_at_a_carriage_return_too():
    # SPARQL ends a comment at \r (rdflib's parser reads on to \n): the shortcut does not skip what follows
    from diplograph.sparql_guard import may_name_a_dataset

    assert may_name_a_dataset("# a comment\rSELECT * FROM <urn:a> WHERE { ?s ?p ?o }")
    assert not may_name_a_dataset("# a comment from\rSELECT * WHERE { ?s ?p ?o }")


@pytest.mark.parametrize("text", WITHOUT_FROM)
def test_text_that_cannot_name_a_dataset_is_not_parsed(text, monkeypatch):
    from diplograph import sparql_guard

    assert not inspect_query(text).has_dataset_clause
    parsed = []
    monkeypatch.setattr(sparql_guard, "inspect_query", lambda t: parsed.append(t) or inspect_query(t))
    assert sparql_guard.dataset_clauses(text) is None and parsed == []


def test_no_named_query_is_mistaken_for_one_without_a_dataset():
    # The shortcut on every query file of the repository: where it skips the parse, the parse
    # finds no FROM either; and it skips most of them (their headers say "from" for people).
    from pathlib import Path

    from diplograph.sparql_guard import may_name_a_dataset

    files = sorted((Path(__file__).parents[1] / "queries").rglob("*.rq"))
    skipped = [f for f in files if not may_name_a_dataset(f.read_text(encoding="utf-8"))]
    for file in files:
        if file in skipped:
            assert not inspect_query(file.read_text(encoding="utf-8")).has_dataset_clause, file
    assert len(skipped) > len(files) * 3 // 4


def test_what_cannot_be_parsed_is_a_located_query_error():
    with pytest.raises(QueryError) as info:
        inspect_query("SELECT * WHERE {\n  ?s ?p \n}")
    assert info.value.line is not None and "SPARQL syntax error" in str(info.value)
    with pytest.raises(QueryError):
        inspect_update("SELECT * WHERE { ?s ?p ?o }")  # a query is not an update


def test_the_guard_parses_every_spelling_of_service(monkeypatch):
    # guard_query skips the parse of text without the letters of "service" or a \u / \U escape
    # (the parse is most of a named query's cost); every spelling above still gets the parse and
    # is refused. With the shortcut widened to all text, this fails.
    from diplograph import queries

    for text in SPELLINGS:
        with pytest.raises((RefusedSparqlError, QueryError)):
            queries.guard_query(text)
    parsed = []
    monkeypatch.setattr(queries, "inspect_query", lambda text: parsed.append(text) or inspect_query(text))
    queries.guard_query("SELECT ?s WHERE { ?s a <http://example.org/State> }")
    assert parsed == []
    queries.guard_query("SELECT ?s WHERE { ?s a <http://example.org/Service> }")
    assert len(parsed) == 1
