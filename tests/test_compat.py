"""The private internals diplograph borrows from rdflib, pyshacl and urllib still behave as it relies on.

Each test names the library whose upgrade broke it; see diplograph.compat for why each is needed.
"""

from __future__ import annotations

import hashlib
import urllib.request

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from diplograph.compat import (
    SigningDigestAuthHandler,
    blank_node_labels,
    kept_literal_conversions,
    shacl_datatype_ok,
    shacl_range_ok,
)

EX = "http://example.org/"  # test data, not claims about the world


def _graph(labels: tuple[str, str]) -> Graph:
    a, b = BNode(labels[0]), BNode(labels[1])
    g = Graph()
    g.add((URIRef(EX + "s"), URIRef(EX + "p"), a))
    g.add((a, URIRef(EX + "q"), b))
    g.add((b, URIRef(EX + "r"), Literal("x")))
    return g


def test_rdflib_canonical_blank_node_labels_do_not_depend_on_parser_labels() -> None:
    first = blank_node_labels(_graph(("a1", "b1")))
    second = blank_node_labels(_graph(("zz", "yy")))
    assert len(first) == 2 and all(v and len(v) <= 24 for v in first.values())
    assert sorted(first.values()) == sorted(second.values())
    assert first[BNode("a1")] == second[BNode("zz")] != first[BNode("b1")]


def test_rdflib_literal_conversion_table_is_restored_exactly() -> None:
    from rdflib import term

    before = dict(term._toPythonMapping)
    with kept_literal_conversions():
        term._toPythonMapping[XSD.gYear] = lambda v: "changed"
        term._toPythonMapping[URIRef(EX + "new-type")] = str
    assert term._toPythonMapping == before


def test_pyshacl_datatype_test_judges_lexical_forms() -> None:
    assert shacl_datatype_ok(Literal("1", datatype=XSD.integer), XSD.integer)
    assert not shacl_datatype_ok(Literal("one", datatype=XSD.integer), XSD.integer)
    assert shacl_datatype_ok(Literal("2024-07-03", datatype=XSD.date), XSD.date)
    assert not shacl_datatype_ok(Literal("2024-13-45", datatype=XSD.date), XSD.date)
    assert not shacl_datatype_ok(Literal("1", datatype=XSD.integer), XSD.date)


def test_pyshacl_range_comparison():
    assert shacl_range_ok(Literal(2), Literal(1), ">") and not shacl_range_ok(Literal(1), Literal(1), ">")
    assert shacl_range_ok(Literal(1), Literal(1), "<=")
    assert not shacl_range_ok(Literal("a"), Literal(1), "<")  # a string against a number fails
    assert shacl_range_ok(Literal(True), Literal(0), "<")  # pyshacl's own order, not SPARQL's


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def test_urllib_digest_signature_is_computed_up_front_as_rfc_2617_says() -> None:
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, "http://db.example/", "dba", "pw")  # test credentials
    handler = SigningDigestAuthHandler(passwords)
    assert not handler.learn("db.example", 'Basic realm="x"')
    assert handler.learn("db.example", 'Digest realm="SPARQL", nonce="abc", qop="auth", algorithm="MD5", opaque="o"')
    signed = []
    for _ in range(2):
        req = urllib.request.Request("http://db.example/sparql-auth?x=1", data=b"update=x", method="POST")
        handler.http_request(req)
        header = req.get_header("Authorization")
        assert header and header.startswith("Digest ")
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(header[len("Digest "):]))
        ha1, ha2 = _md5("dba:SPARQL:pw"), _md5("POST:/sparql-auth?x=1")
        assert fields["response"] == _md5(f"{ha1}:abc:{fields['nc']}:{fields['cnonce']}:auth:{ha2}")
        assert (fields["username"], fields["uri"], fields["opaque"]) == ("dba", "/sparql-auth?x=1", "o")
        signed.append(fields["nc"])
    assert signed == ["00000001", "00000002"]  # the nonce is counted, as a server checks
    other = urllib.request.Request("http://elsewhere.example/sparql", data=b"q", method="POST")
    assert handler.http_request(other).get_header("Authorization") is None
