"""The reading of requests (diplograph.serve.protocol) and the Host / Origin / CORS rules
(diplograph.serve.policy), without a server: each rule, and the ways around it people try."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from diplograph.serve.policy import Policy
from diplograph.serve.protocol import (
    GraphRead,
    GraphWrite,
    Page,
    Query,
    Refused,
    Request,
    ServiceDescription,
    Update,
    negotiate,
    operation_of,
)

FORM = ("content-type", "application/x-www-form-urlencoded")
DIRECT = ("content-type", "application/sparql-query")


def _refused(request: Request, body: bytes = b"") -> Refused:
    with pytest.raises(Refused) as caught:
        operation_of(request, body)
    return caught.value


# --- reading a request ----------------------------------------------------------------


def test_a_query_by_get_post_and_form():
    text = "ASK { ?s ?p ?o }"
    assert operation_of(Request("GET", "/query", urlencode({"query": text}))) == Query(text)
    assert operation_of(Request("POST", "/query", "", (DIRECT,)), text.encode()) == Query(text)
    assert operation_of(Request("POST", "/query", "", (FORM,)), urlencode({"query": text}).encode()) == Query(text)


def test_the_protocols_dataset_parameters():
    query = operation_of(Request("GET", "/query", urlencode(
        {"query": "ASK {}", "default-graph-uri": ["http://a/1", "http://a/2"], "named-graph-uri": "http://a/3"},
        doseq=True)))
    assert query.default_graphs == ("http://a/1", "http://a/2") and query.named_graphs == ("http://a/3",)
    only_named = operation_of(Request("GET", "/query", urlencode({"query": "ASK {}", "named-graph-uri": "http://a/3"})))
    assert only_named.default_graphs == () and only_named.named_graphs == ("http://a/3",)
    assert _refused(Request("GET", "/query", urlencode({"query": "ASK {}", "default-graph-uri": "no iri"}))).status == 400


def test_what_is_given_twice_is_refused_not_guessed():
    assert "2 times" in _refused(Request("GET", "/query", "query=ASK%7B%7D&query=ASK%7B%7D")).message
    twice = Request("POST", "/query", "", (("content-type", "text/plain"), DIRECT))
    assert "given 2 times" in _refused(twice, b"ASK {}").message
    both = Request("POST", "/query", "query=ASK%7B%7D", (FORM,))
    assert _refused(both, b"query=ASK%7B%7D").status == 400


def test_other_content_types_and_unknown_parameters():
    assert _refused(Request("POST", "/query", "", (("content-type", "text/plain"),)), b"ASK {}").status == 415
    assert _refused(Request("POST", "/query"), b"ASK {}").status == 415
    assert "unknown parameter" in _refused(Request("GET", "/query", "query=ASK%7B%7D&format=json")).message
    assert _refused(Request("POST", "/query", "", (FORM,)), b"update=DROP+ALL").status == 400  # not through /query


def test_bodies_that_are_not_utf8_are_refused():
    assert "UTF-8" in _refused(Request("POST", "/query", "", (DIRECT,)), b"ASK { \xff }").message
    assert _refused(Request("POST", "/query", "", (FORM,)), b"query=%FF").status == 400


def test_updates():
    text = "DROP ALL"
    direct = Request("POST", "/update", "", (("content-type", "application/sparql-update"),))
    assert operation_of(direct, text.encode()) == Update(text)
    assert operation_of(Request("POST", "/update", "", (FORM,)), b"update=DROP+ALL") == Update(text, form_encoded=True)
    assert _refused(Request("GET", "/update", "update=DROP+ALL")).status == 405
    assert "using-graph-uri" in _refused(Request("POST", "/update", "using-graph-uri=http%3A%2F%2Fa", (
        ("content-type", "application/sparql-update"),)), b"DROP ALL").message


def test_the_graph_store():
    assert operation_of(Request("GET", "/store", "graph=http%3A%2F%2Fa%2Fg")) == GraphRead("http://a/g")
    assert operation_of(Request("GET", "/store", "default")) == GraphRead("default")
    assert operation_of(Request("GET", "/store")) == GraphRead(None)
    assert operation_of(Request("HEAD", "/store", "default")).head_only
    put = Request("PUT", "/store", "graph=http%3A%2F%2Fa%2Fg", (("content-type", "text/turtle; charset=utf-8"),))
    assert operation_of(put) == GraphWrite("PUT", "http://a/g", "text/turtle")
    assert operation_of(Request("DELETE", "/store", "graph=http%3A%2F%2Fa%2Fg")) == GraphWrite("DELETE", "http://a/g")
    assert "union" in _refused(Request("PUT", "/store", "default", (("content-type", "text/turtle"),))).message
    assert _refused(Request("PUT", "/store", "graph=relative", (("content-type", "text/turtle"),))).status == 400
    assert _refused(Request("PUT", "/store", "graph=http%3A%2F%2Fa%2Fg")).status == 415


def test_pages_description_and_unknown_paths():
    assert operation_of(Request("GET", "/")) == Page("query.html")
    assert operation_of(Request("GET", "/query")) == ServiceDescription()
    assert _refused(Request("GET", "/nothing")).status == 404
    assert _refused(Request("POST", "/")).status == 405
    assert _refused(Request("PATCH", "/store")).status == 405


@pytest.mark.parametrize("accept, offers, chosen", [
    ("", ("a/x", "b/y"), "a/x"),
    ("b/y", ("a/x", "b/y"), "b/y"),
    ("*/*", ("a/x", "b/y"), "a/x"),
    ("b/*", ("a/x", "b/y"), "b/y"),
    ("a/x;q=0.2, b/y;q=0.9", ("a/x", "b/y"), "b/y"),
    ("a/x;q=0, */*", ("a/x", "b/y"), "b/y"),  # the specific range's q=0 excludes it
    ("image/png", ("a/x", "b/y"), None),
    ("A/X", ("a/x",), "a/x"),
    ("a/x;q=nonsense, b/y", ("a/x", "b/y"), "b/y"),
])
def test_content_negotiation(accept, offers, chosen):
    assert negotiate(accept, offers) == chosen


# --- Host, Origin, CORS ---------------------------------------------------------------------


def _with(**headers) -> Request:
    return Request("POST", "/update", "", tuple((k.replace("_", "-"), v) for k, v in headers.items()))


@pytest.mark.parametrize("host, allowed", [
    ("127.0.0.1:7878", True), ("localhost:7878", True), ("LOCALHOST:7878", True), ("localhost.:7878", True),
    ("[::1]:7878", True), ("127.0.0.1", True),
    ("attacker.example:7878", False), ("127.0.0.1:7879", False), ("127.0.0.1:78x", False), ("[::1", False),
    ("127.0.0.1.nip.io:7878", False), ("", False),
])
def test_host_on_loopback(host, allowed):
    policy = Policy("127.0.0.1", 7878)
    request = _with(host=host) if host else _with()
    if allowed:
        policy.check_host(request)
    else:
        with pytest.raises(Refused) as caught:
            policy.check_host(request)
        assert caught.value.status == 400


def test_host_on_every_interface_takes_addresses_and_named_hosts_only():
    policy = Policy("0.0.0.0", 80, allowed_hosts=("graph.example.org",))
    for host in ("10.1.2.3", "192.168.0.9:80", "graph.example.org", "GRAPH.example.org:80", "localhost"):
        policy.check_host(_with(host=host))
    for host in ("evil.example", "graph.example.org.evil.example"):
        with pytest.raises(Refused):
            policy.check_host(_with(host=host))


def test_host_given_twice_is_refused():
    with pytest.raises(Refused):
        Policy("127.0.0.1", 7878).check_host(Request("GET", "/", "", (("host", "127.0.0.1:7878"),
                                                                      ("host", "evil.example"))))


@pytest.mark.parametrize("headers, form, refused", [
    ({}, False, False),  # curl, diplograph push: no Origin
    ({"origin": "http://127.0.0.1:7878"}, True, False),
    ({"origin": "http://localhost:7878"}, False, False),
    ({"origin": "http://attacker.example"}, False, True),
    ({"origin": "null"}, False, True),
    ({"origin": "http://127.0.0.1:9999"}, False, True),
    ({"origin": "https://127.0.0.1:7878"}, False, True),
    ({"origin": "http://127.0.0.1:7878/x"}, False, True),
    ({"sec_fetch_site": "cross-site"}, False, True),
    ({"sec_fetch_site": "same-site"}, False, True),
    ({"sec_fetch_site": "same-origin", "origin": "http://127.0.0.1:7878"}, True, False),
    ({}, True, True),  # a form without an Origin
])
def test_writes_from_other_origins(headers, form, refused):
    policy = Policy("127.0.0.1", 7878)
    if refused:
        with pytest.raises(Refused) as caught:
            policy.check_write(_with(**headers), form_encoded=form)
        assert caught.value.status == 403
    else:
        policy.check_write(_with(**headers), form_encoded=form)


def test_cors_is_off_unless_an_origin_is_given():
    assert Policy("127.0.0.1", 1).cors_headers(_with(origin="http://app.example")) == ()
    policy = Policy("127.0.0.1", 1, cors=("http://app.example",))
    assert dict(policy.cors_headers(_with(origin="http://app.example")))["access-control-allow-origin"] == \
        "http://app.example"
    assert policy.cors_headers(_with(origin="http://other.example")) == ()
    with pytest.raises(Refused):
        policy.preflight(_with(origin="http://app.example"), read_only_route=False)
    assert policy.preflight(_with(origin="http://app.example"), read_only_route=True)
