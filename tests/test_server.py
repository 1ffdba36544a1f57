"""`diplograph serve` started through its command line, queried, pushed to and attacked over HTTP.

Everything talks to 127.0.0.1 only; every wait is bounded; every server is stopped in teardown.
The request-forgery tests keep a :class:`~server_util.Listener` on 127.0.0.1 and assert that it
received nothing: the proof that no request left the server.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import socket
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from conftest import run_cli
from diplograph.dataset import assemble
from diplograph.endpoint import Endpoint, graph_triple_count
from diplograph.iris import graph_iri
from diplograph.project import Project
from diplograph.store import StoreSpec, plain_graph
from server_util import Listener, Served, ask, free_port, http, raw_http

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 1.5  # seconds, the served query timeout
READ_TIMEOUT = 2  # seconds, the served header and body read timeout
SEED = graph_iri("source", "china-azerbaijan-2024")
APP = "http://app.example"  # the one origin the writable server lets read (--cors)
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
SPARQL_UPDATE = {"Content-Type": "application/sparql-update"}


@pytest.fixture(scope="module")
def read_only(tmp_path_factory):
    server = Served(tmp_path_factory.mktemp("ro"), "--timeout", str(TIMEOUT), "--read-timeout", str(READ_TIMEOUT))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def writable(tmp_path_factory):
    server = Served(tmp_path_factory.mktemp("rw"), "--allow-update", "--timeout", str(TIMEOUT),
                    "--write-timeout", "300", "--cors", APP)
    try:
        yield server
    finally:
        server.stop()


def _sizes(assembled) -> dict:
    return {name: len(assembled.dataset.graph(name)) for name in assembled.view}


def _count(base: str, query: str, **params) -> int:
    url = f"{base}/query?{urllib.parse.urlencode({'query': query, **params}, doseq=True)}"
    status, body = http(url, headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def _origin(server) -> str:
    return f"http://127.0.0.1:{server.port}"


# --- what is served -----------------------------------------------------------------


def test_serve_loads_the_project_and_answers_the_protocol(read_only, project_datasets):
    counts = graph_triple_count(Endpoint.from_url(read_only.base))
    assert counts == _sizes(project_datasets.get("rdflib"))


def test_graph_store_get_returns_the_graph(read_only, project_datasets):
    data = Endpoint.from_url(read_only.base).get_graph(SEED)
    served = Graph().parse(data=data.decode(), format="nt")
    local = plain_graph(project_datasets.get("rdflib").dataset, [SEED])
    assert set(served) == set(local)


def test_get_store_default_is_the_default_graph_queries_see(read_only):
    status, body = http(f"{read_only.base}/store?default", headers={"Accept": "application/n-triples"})
    assert status == 200
    served = Graph().parse(data=body, format="nt")
    status, body = http(f"{read_only.base}/query?" + urllib.parse.urlencode(
        {"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"}), headers={"Accept": "application/n-triples"})
    assert status == 200
    queried = Graph().parse(data=body, format="nt")
    assert len(served) > 7000 and isomorphic(served, queried)


def test_get_store_without_a_graph_is_the_whole_dataset(read_only, project_datasets):
    status, body = http(f"{read_only.base}/store", headers={"Accept": "application/n-quads"})
    assert status == 200
    served = Dataset()
    served.parse(data=body, format="nquads")
    local = project_datasets.get("rdflib")
    for name in local.view:
        assert len(served.graph(name)) == len(local.dataset.graph(name)), name


def test_sparql_store_gives_the_same_summary_as_memory(read_only, tmp_path):
    remote = run_cli("summary", "--endpoint", read_only.base, cwd=tmp_path, home=ROOT)
    memory = run_cli("summary", cwd=tmp_path, home=ROOT)
    assert remote.returncode == 0, remote.stderr

    def graph_rows(text: str) -> set[str]:
        return {line for line in text.splitlines() if "graph:" in line}

    def class_rows(text: str) -> list[str]:
        return text.split("Instances per dg: class", 1)[1].splitlines()[:-1]

    assert graph_rows(remote.stdout) == graph_rows(memory.stdout)  # one dataset, wherever it is stored
    assert class_rows(remote.stdout) == class_rows(memory.stdout)
    assert remote.stdout.splitlines()[-1] == memory.stdout.splitlines()[-1]


def test_named_queries_answer_the_same_through_the_server(read_only, project_datasets):
    files = sorted((ROOT / "queries").glob("*.rq"))
    assert files, "no named queries to run"
    remote = assemble(Project(ROOT), store=StoreSpec("sparql", endpoint=read_only.base)).dataset
    memory = project_datasets.get("memory").dataset
    for path in files:
        text = path.read_text(encoding="utf-8")
        if "SELECT" not in text.upper():
            continue
        rows = [sorted(tuple(str(v) if v is not None else "" for v in r) for r in ds.query(text))
                for ds in (remote, memory)]
        assert rows[0] == rows[1], path.name


def test_from_and_from_named_are_honoured(read_only, project_datasets):
    seed_size = len(project_datasets.get("rdflib").dataset.graph(SEED))
    everything = _count(read_only.base, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert _count(read_only.base, f"SELECT (COUNT(*) AS ?n) FROM <{SEED}> WHERE {{ ?s ?p ?o }}") == seed_size
    assert everything > seed_size
    assert _count(read_only.base, f"SELECT (COUNT(DISTINCT ?g) AS ?n) FROM NAMED <{SEED}> "
                                  "WHERE { GRAPH ?g { ?s ?p ?o } }") == 1
    # FROM without FROM NAMED: no named graphs at all (SPARQL 1.1, section 13.2)
    assert _count(read_only.base, f"SELECT (COUNT(*) AS ?n) FROM <{SEED}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == 0
    # the protocol's default-graph-uri replaces the query's own FROM
    assert _count(read_only.base, f"SELECT (COUNT(*) AS ?n) FROM <{graph_iri('ontology')}> WHERE {{ ?s ?p ?o }}",
                  **{"default-graph-uri": str(SEED)}) == seed_size


def test_answers_come_in_the_formats_asked_for(read_only):
    select = urllib.parse.urlencode({"query": "SELECT ?g WHERE { GRAPH ?g { } } LIMIT 1"})
    for accept, starts in (("text/csv", "g\r\n"), ("text/tab-separated-values", "?g\n"),
                           ("application/sparql-results+xml", "<?xml"), ("application/json", '{"head"')):
        status, body = http(f"{read_only.base}/query?{select}", headers={"Accept": accept})
        assert status == 200 and body.startswith(starts), (accept, body[:80])
    construct = urllib.parse.urlencode({"query": f"CONSTRUCT {{ ?s ?p ?o }} FROM <{SEED}> WHERE {{ ?s ?p ?o }} LIMIT 3"})
    status, body = http(f"{read_only.base}/query?{construct}", headers={"Accept": "application/rdf+xml"})
    assert status == 200 and "<rdf:RDF" in body
    status, body = http(f"{read_only.base}/query?{select}", headers={"Accept": "image/png"})
    assert status == 406 and "application/sparql-results+json" in body


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links += [value for name, value in attrs
                       if name in ("src", "href", "action") and value and not value.startswith("data:")]


def test_query_page_is_served_from_the_server_itself(read_only):
    status, page = http(read_only.base + "/")
    assert status == 200 and "Query the diplomatic-relations graph" in page
    parser = _Links()
    parser.feed(page)
    assert parser.links and all(link.startswith("/") and not link.startswith("//") for link in parser.links)
    for link in parser.links:
        assert http(read_only.base + link)[0] == 200, link
    with urllib.request.urlopen(read_only.base + "/", timeout=10) as response:
        policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy  # the browser enforces: nothing else
    assert "prefix.cc" not in http(read_only.base + "/query.js")[1]


def test_service_description_advertises_only_this_address(read_only):
    status, body = http(read_only.base + "/query", headers={"Accept": "text/turtle"})
    assert status == 200
    description = Graph().parse(data=body, format="turtle")
    addresses = {str(term) for triple in description for term in triple if isinstance(term, URIRef)
                 and "127.0.0.1" in str(term)}
    assert addresses == {f"{read_only.base}/query"}


def _listening_ports_of(pids: set[int]) -> set[int]:
    inodes = set()
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(target[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def _process_tree(pid: int) -> set[int]:
    found, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        for task in Path(f"/proc/{parent}/task").iterdir():
            children = (task / "children").read_text().split() if (task / "children").exists() else []
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    frontier.append(child)
    return found


def test_nothing_listens_but_the_public_address(read_only):
    tree = _process_tree(read_only.process.pid)
    assert len(tree) >= 3  # the front and its engines
    assert _listening_ports_of(tree) == {read_only.port}


# --- push ----------------------------------------------------------------------------


def test_push_is_idempotent_and_queryable(writable, tmp_path, project_datasets):
    endpoint = Endpoint.from_url(writable.base)
    endpoint.run_update(f"DROP SILENT GRAPH <{SEED}>")
    assert SEED not in graph_triple_count(endpoint)
    first = run_cli("push", "--endpoint", writable.base, cwd=tmp_path, home=ROOT)
    assert first.returncode == 0, first.stderr
    assert "PUT graph:source/china-azerbaijan-2024" in first.stdout
    after_one = graph_triple_count(endpoint)
    second = run_cli("push", "--endpoint", writable.base, cwd=tmp_path, home=ROOT)
    assert second.returncode == 0, second.stderr
    assert graph_triple_count(endpoint) == after_one
    assert first.stdout == second.stdout
    assert after_one == _sizes(project_datasets.get("rdflib"))


def test_push_with_sparql_update_gives_the_same_graphs(writable, tmp_path):
    endpoint = Endpoint.from_url(writable.base)
    before = graph_triple_count(endpoint)
    result = run_cli("push", "--endpoint", writable.base, "--method", "update", cwd=tmp_path, home=ROOT)
    assert result.returncode == 0, result.stderr
    assert graph_triple_count(endpoint) == before


def test_push_to_an_unreachable_server(tmp_path):
    result = run_cli("push", "--endpoint", f"http://127.0.0.1:{free_port()}", cwd=tmp_path, home=ROOT)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "cannot reach the server" in result.stderr


@pytest.mark.slow
def test_an_upload_of_a_million_triples_outlasts_the_query_timeout(tmp_path):
    # The query timeout (1.5 s) must not cut a write: writes have their own limit.
    server = Served(tmp_path, "--allow-update", "--timeout", str(TIMEOUT))
    try:
        graph = "http://example.org/big"
        body = b"".join(b"<http://example.org/s%d> <http://example.org/p> \"%d\" .\n" % (i, i)
                        for i in range(1_000_000))
        started = time.monotonic()
        status, text = http(f"{server.base}/store?graph={graph}", data=body, method="PUT",
                            headers={"Content-Type": "application/n-triples"}, timeout=900)
        assert status == 201, text
        assert time.monotonic() - started > TIMEOUT  # it did take longer than a query may
        count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        assert _count(server.base, count) == 1_000_000
    finally:
        server.stop()


def test_a_bad_upload_leaves_the_graph_it_would_replace(writable):
    graph = "http://example.org/kept"
    good = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
    assert http(f"{writable.base}/store?graph={graph}", data=good, method="PUT",
                headers={"Content-Type": "application/n-triples"})[0] in (201, 204)
    status, body = http(f"{writable.base}/store?graph={graph}", data=good + b"<http://example.org/broken\n",
                        method="PUT", headers={"Content-Type": "application/n-triples"})
    assert status == 400 and "line 2" in body, body
    assert _count(writable.base, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}") == 1
    http(f"{writable.base}/store?graph={graph}", method="DELETE")


# --- read-only, timeouts ----------------------------------------------------------------

UPDATE = b"INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> 1 } }"


def test_update_is_refused_by_default(read_only):
    status, body = http(read_only.base + "/update", data=UPDATE, headers=SPARQL_UPDATE)
    assert status == 403 and "read-only" in body
    status, body = http(read_only.base + "/query", data=urllib.parse.urlencode({"update": UPDATE}).encode(),
                        headers=FORM)
    assert status == 400
    status, body = http(f"{read_only.base}/store?graph=http://example.org/g", data=b"<a:a> <a:b> <a:c> .",
                        headers={"Content-Type": "application/n-triples"}, method="PUT")
    assert status == 403 and "read-only" in body
    assert ask(read_only.base, "ASK { GRAPH <http://example.org/g> { ?s ?p ?o } }")[1].find("false") > 0


def test_update_is_accepted_with_allow_update(writable):
    status, _ = http(writable.base + "/update", data=UPDATE, headers=SPARQL_UPDATE)
    assert status == 204
    assert '"boolean":true' in ask(writable.base, "ASK { GRAPH <http://example.org/g> { ?s ?p ?o } }")[1]
    http(writable.base + "/update", data=b"DROP GRAPH <http://example.org/g>", headers=SPARQL_UPDATE)


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_runaway_query_is_stopped_and_the_other_engines_keep_answering(read_only):
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        started = time.monotonic()
        runaway = pool.submit(ask, read_only.base, RUNAWAY, timeout=30)
        time.sleep(0.3)
        quick = ask(read_only.base, timeout=5)  # another engine answers meanwhile
        assert quick[0] == 200 and "true" in quick[1]
        assert time.monotonic() - started < TIMEOUT
        status, body = runaway.result()
    assert status == 503 and "timeout" in body, body
    assert time.monotonic() - started < TIMEOUT + 8
    path_query = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a (<http://www.w3.org/2000/01/rdf-schema#label>|"
        "!<http://www.w3.org/2000/01/rdf-schema#label>)* ?b . ?c ?d ?e }"
    )
    status, body = ask(read_only.base, path_query, timeout=30)
    assert status == 503, body
    for _ in range(100):  # bounded: a new engine starts after a timeout
        status, body = ask(read_only.base, timeout=5)
        if status == 200:
            break
        time.sleep(0.1)
    assert status == 200 and "true" in body


def test_a_write_past_its_limit_is_stopped_and_not_applied(tmp_path):
    server = Served(tmp_path, "--allow-update", "--write-timeout", "1")
    try:
        slow = ("INSERT { GRAPH <http://example.org/slow> { ?a <http://example.org/p> ?d } } "
                "WHERE { GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } GRAPH ?z { ?g ?h ?i } }")
        status, body = http(server.base + "/update", data=slow.encode(), headers=SPARQL_UPDATE, timeout=60)
        assert status == 503 and "not applied" in body, body
        for _ in range(100):
            status, body = ask(server.base, "ASK { GRAPH <http://example.org/slow> { ?s ?p ?o } }", timeout=5)
            if status == 200:
                break
            time.sleep(0.1)
        assert status == 200 and "false" in body
    finally:
        server.stop()


# --- request forgery: SERVICE, LOAD, other origins, other hosts ----------------------------------


def _service_spellings(url: str) -> list[str]:
    """A generated family of queries holding SERVICE <url>: spellings, escapes, comments, positions, targets."""
    keywords = ["SERVICE", "service", "SeRvIcE", "\\u0053ERVICE", "SERV\\u0049CE", "\\U00000053ervice"]
    silent = ["", " SILENT", "\nsilent"]
    targets = [(f"<{url}>", ""), ("x:", f"PREFIX x: <{url}>\n"), ("?svc", ""), ("<>", f"BASE <{url}>\n")]
    positions = [
        "SELECT * WHERE {{ ?a ?b ?c .{s} {{ ?s ?p ?o }} }} LIMIT 1",  # a dot right before it (the old bypass)
        "SELECT * WHERE {{ {s} {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ OPTIONAL {{ {s} {{ ?s ?p ?o }} }} }}",
        "SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ {s} {{ ?s ?p ?o }} }} }}",
        "SELECT * WHERE {{ ?s ?p ?o MINUS {{ {s} {{ ?s ?p ?o }} }} }}",
        "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ {s} {{ ?s ?p ?o }} }} }}",
        "SELECT * WHERE {{ {{ SELECT * WHERE {{ {s} {{ ?s ?p ?o }} }} }} }}",
        "ASK {{ GRAPH ?g {{ #comment SERVICE\n{s}#\n{{ ?s ?p ?o }} }} }}",
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {s} {{ {s} {{ ?s ?p ?o }} }} }}",
    ]
    queries = []
    for i, position in enumerate(positions):
        for j, keyword in enumerate(keywords):
            target, prologue = targets[(i + j) % len(targets)]
            clause = f"{keyword}{silent[(i + j) % len(silent)]} {target}"
            text = prologue + position.format(s=clause)
            if target == "?svc":
                text += f" VALUES ?svc {{ <{url}> }}" if not text.startswith(("CONSTRUCT", "ASK")) else ""
            queries.append(text)
    return queries


def _send_query(base: str, text: str, way: int) -> tuple[int, str]:
    if way == 0:
        return http(f"{base}/query?{urllib.parse.urlencode({'query': text})}")
    if way == 1:
        return http(f"{base}/query", data=text.encode(), headers={"Content-Type": "application/sparql-query"})
    return http(f"{base}/query", data=urllib.parse.urlencode({"query": text}).encode(), headers=FORM)


def test_no_spelling_of_service_makes_the_server_fetch(read_only):
    with Listener() as listener:
        family = _service_spellings(listener.url)
        assert len(family) >= 50
        statuses = []
        for k, text in enumerate(family):
            status, body = _send_query(read_only.base, text, k % 3)
            assert status in (400, 403), (text, status, body)  # 400: the parser gave up, so it never ran
            assert len(body.strip().splitlines()) == 1
            statuses.append(status)
        assert statuses.count(403) >= 0.8 * len(family)  # most are recognised as SERVICE, not just unparsed
        assert listener.quiet_for(), listener.hits


def test_the_bypasses_that_were_reported_are_closed(read_only):
    with Listener() as listener:
        dotted = f"SELECT * WHERE {{ ?a ?b ?c .SERVICE <{listener.url}> {{ ?s ?p ?o }} }} LIMIT 1"
        status, body = ask(read_only.base, dotted)
        assert status == 403 and "SERVICE" in body
        # Two Content-Type headers: the old proxy checked the first and forwarded the last.
        query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}".encode()
        status, reply, _ = raw_http(read_only.port, b"POST /query HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
                                    b"Content-Type: text/plain\r\nContent-Type: application/sparql-query\r\n"
                                    b"Content-Length: %d\r\n\r\n%s" % (read_only.port, len(query), query))
        assert status == 400 and b"given 2 times" in reply
        assert listener.quiet_for(), listener.hits


def test_service_and_load_in_updates_are_refused(writable):
    with Listener() as listener:
        same = {"Origin": _origin(writable)}
        updates = [
            f"LOAD <{listener.url}>",
            f"LOAD SILENT <{listener.url}> INTO GRAPH <http://example.org/l>",
            f"INSERT {{ GRAPH <http://example.org/l> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}",
            f"CLEAR SILENT GRAPH <http://example.org/none> ; \\u004cOAD <{listener.url}>",
        ]
        for text in updates:
            status, body = http(writable.base + "/update", data=text.encode(), headers=SPARQL_UPDATE)
            assert status in (400, 403), (text, body)
            status, body = http(writable.base + "/update", data=urllib.parse.urlencode({"update": text}).encode(),
                                headers={**FORM, **same})
            assert status in (400, 403), (text, body)
        assert listener.quiet_for(), listener.hits


def test_load_from_another_web_site_is_refused_before_anything_runs(writable):
    # The reported attack: a form POST from a foreign page, update=LOAD SILENT <listener>.
    with Listener() as listener:
        form = urllib.parse.urlencode({"update": f"LOAD SILENT <{listener.url}>"}).encode()
        status, body = http(writable.base + "/update", data=form, headers={**FORM, "Origin": "http://attacker.example"})
        assert status == 403 and "another web site" in body
        assert listener.quiet_for(), listener.hits


def test_updates_from_other_origins_are_refused(writable):
    insert = b"INSERT DATA { GRAPH <http://example.org/csrf> { <http://example.org/a> <http://example.org/b> 1 } }"
    form = urllib.parse.urlencode({"update": insert}).encode()
    refused = [
        (insert, {**SPARQL_UPDATE, "Origin": "http://attacker.example"}),
        (insert, {**SPARQL_UPDATE, "Origin": "null"}),
        (insert, {**SPARQL_UPDATE, "Sec-Fetch-Site": "cross-site"}),
        (form, {**FORM, "Origin": "http://attacker.example"}),
        (form, FORM),  # form-encoded without an Origin: a page could have sent it
        (form, {**FORM, "Origin": f"http://127.0.0.1:{free_port()}"}),  # same host, other port: another origin
    ]
    for data, headers in refused:
        status, body = http(writable.base + "/update", data=data, headers=headers)
        assert status == 403, (headers, body)
    status, body = http(f"{writable.base}/store?graph=http://example.org/csrf", data=b"<a:a> <a:b> <a:c> .",
                        method="PUT", headers={"Content-Type": "application/n-triples", "Origin": "http://attacker.example"})
    assert status == 403
    assert "false" in ask(writable.base, "ASK { GRAPH <http://example.org/csrf> { ?s ?p ?o } }")[1]
    assert http(writable.base + "/update", data=form, headers={**FORM, "Origin": _origin(writable)})[0] == 204
    assert "true" in ask(writable.base, "ASK { GRAPH <http://example.org/csrf> { ?s ?p ?o } }")[1]
    http(writable.base + "/update", data=b"DROP GRAPH <http://example.org/csrf>", headers=SPARQL_UPDATE)


def test_only_this_servers_host_names_are_answered(read_only):
    query = b"GET /query?query=ASK%%7B%%7D HTTP/1.1\r\nHost: %s\r\n\r\n"
    for host in (b"attacker.example", b"attacker.example:%d" % read_only.port, b"127.0.0.1:1", b""):
        status, reply, _ = raw_http(read_only.port, query % host)
        assert status == 400, (host, reply)
    for host in (b"127.0.0.1:%d" % read_only.port, b"localhost:%d" % read_only.port):
        status, reply, _ = raw_http(read_only.port, query % host)
        assert status == 200, (host, reply)


def test_allowed_host_adds_a_name(tmp_path):
    server = Served(tmp_path, "--allowed-host", "graph.internal")
    try:
        query = b"GET /query?query=ASK%%7B%%7D HTTP/1.1\r\nHost: %s:%d\r\n\r\n"
        assert raw_http(server.port, query % (b"graph.internal", server.port))[0] == 200
        assert raw_http(server.port, query % (b"other.internal", server.port))[0] == 400
    finally:
        server.stop()


def test_cors_only_when_asked_and_only_for_reading(read_only, writable):
    url = f"/query?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    with urllib.request.urlopen(urllib.request.Request(read_only.base + url, headers={"Origin": APP}), timeout=10) as r:
        assert r.headers.get("Access-Control-Allow-Origin") is None  # not asked for: no CORS
    with urllib.request.urlopen(urllib.request.Request(writable.base + url, headers={"Origin": APP}), timeout=10) as r:
        assert r.headers.get("Access-Control-Allow-Origin") == APP
    preflight = {"Origin": APP, "Access-Control-Request-Method": "POST"}
    assert http(writable.base + "/query", method="OPTIONS", headers=preflight)[0] == 204
    assert http(writable.base + "/update", method="OPTIONS", headers=preflight)[0] == 403
    assert http(read_only.base + "/query", method="OPTIONS", headers=preflight)[0] == 403
    other = {"Origin": "http://attacker.example", "Access-Control-Request-Method": "POST"}
    assert http(writable.base + "/query", method="OPTIONS", headers=other)[0] == 403


def _sandbox_unavailable() -> str | None:
    """Why this machine cannot give engines a network namespace of their own (None: it can)."""
    import subprocess
    import sys

    probe = subprocess.run([sys.executable, "-c", "from diplograph.serve.sandbox import isolate_network as i; "
                            "print(i() or '')"], capture_output=True, text=True, timeout=30)
    return probe.stdout.strip() or None


@pytest.fixture(scope="module")
def sandboxed():
    why_not = _sandbox_unavailable()
    if why_not and not os.environ.get("CI"):
        pytest.skip(f"engines cannot be isolated here: {why_not}")
    assert why_not is None, why_not  # under CI the second wall must stand


def test_engines_have_no_network(read_only, sandboxed):
    # The second wall: even a SERVICE the parser missed could not connect from an engine.
    tree = _process_tree(read_only.process.pid) - {read_only.process.pid}
    front = os.readlink(f"/proc/{read_only.process.pid}/ns/net")
    engines = {os.readlink(f"/proc/{pid}/ns/net") for pid in tree}
    assert engines and front not in engines


def test_an_isolated_engine_cannot_reach_a_listener(sandboxed):
    import subprocess
    import sys

    with Listener() as listener:
        code = ("from diplograph.serve.sandbox import isolate_network; import pyoxigraph as ox\n"
                "assert isolate_network() is None\n"
                f"try:\n    list(ox.Store().query('SELECT * {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}'))\n"
                "except OSError as e:\n    print(e)\n")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert "unreachable" in result.stdout.lower(), result.stdout
        assert listener.quiet_for(), listener.hits


def test_load_fetches_only_with_allow_load(tmp_path):
    data = b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n"
    answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/n-triples\r\nContent-Length: %d\r\n\r\n%s" % (len(data), data)
    with Listener(answer=answer) as listener:
        server = Served(tmp_path, "--allow-update", "--allow-load")
        try:
            status, body = http(server.base + "/update", data=f"LOAD <{listener.url}> INTO GRAPH <http://example.org/l>"
                                .encode(), headers=SPARQL_UPDATE, timeout=30)
            assert status == 204, body
            assert len(listener.hits) == 1
            assert "true" in ask(server.base, "ASK { GRAPH <http://example.org/l> { ?s ?p ?o } }")[1]
        finally:
            server.stop()


# --- the HTTP layer --------------------------------------------------------------------------


def _post(port: int, headers: bytes, body: bytes) -> bytes:
    return b"POST /query HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/sparql-query\r\n%s\r\n%s" % (
        port, headers, body)


def test_a_chunked_body_is_read(read_only):
    query = b"ASK { ?s ?p ?o }"
    chunked = b"5\r\n" + query[:5] + b"\r\n" + b"%x\r\n" % (len(query) - 5) + query[5:] + b"\r\n0\r\n\r\n"
    status, reply, _ = raw_http(read_only.port, _post(read_only.port, b"Transfer-Encoding: chunked\r\n", chunked))
    assert status == 200 and reply.endswith(b'"boolean":true}')


def test_a_body_shorter_than_its_length_is_never_run(writable):
    update = b"INSERT DATA { GRAPH <http://example.org/cut> { <http://example.org/a> <http://example.org/b> 1 } }"
    request = (b"POST /update HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/sparql-update\r\n"
               b"Content-Length: %d\r\n\r\n%s" % (writable.port, len(update) + 40, update))
    status, reply, seconds = raw_http(writable.port, request, timeout=30)
    assert status == 408 and seconds < 10 + 5, reply  # the read timeout (10 s by default), not forever
    # and the client hanging up early is not an update either
    with socket.create_connection(("127.0.0.1", writable.port)) as sock:
        sock.sendall(request)
    time.sleep(0.5)
    assert "false" in ask(writable.base, "ASK { GRAPH <http://example.org/cut> { ?s ?p ?o } }")[1]


def test_bad_lengths_get_a_one_line_answer(read_only):
    for length in (b"-5", b"abc", b"99999999999999999999"):
        status, reply, _ = raw_http(read_only.port, _post(read_only.port, b"Content-Length: " + length + b"\r\n", b"x"))
        assert status in (400, 413), (length, reply)
        assert b"Traceback" not in reply
    assert ask(read_only.base)[0] == 200


def test_half_sent_requests_time_out_and_do_not_block_others(read_only):
    idle = []
    try:
        for _ in range(400):
            sock = socket.create_connection(("127.0.0.1", read_only.port))
            sock.sendall(b"GET /query?query=ASK HTTP/1.1\r\nHost: 127")  # and never the rest
            idle.append(sock)
        started = time.monotonic()
        assert ask(read_only.base, timeout=5)[0] == 200
        assert time.monotonic() - started < 2
        time.sleep(READ_TIMEOUT + 1.5)
        still_open = 0
        for sock in idle:
            sock.settimeout(0.2)
            try:
                still_open += sock.recv(1) != b""
            except ConnectionResetError:
                pass
            except TimeoutError:
                still_open += 1
        assert still_open == 0
    finally:
        for sock in idle:
            sock.close()


def test_two_hundred_clients_without_keep_alive_get_every_answer(read_only):
    from serve_load import load

    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    status, body = http(f"{read_only.base}/query?{urllib.parse.urlencode({'query': query})}",
                        headers={"Accept": "application/sparql-results+json"})
    from serve_load import _solutions

    expected = _solutions(body.encode())
    figures = load(read_only.port, [(f"/query?{urllib.parse.urlencode({'query': query})}", expected)],
                   clients=200, seconds=3, keep_alive=False, processes=2)
    assert figures["requests"] > 200
    assert (figures["resets"], figures["wrong"], figures["errors"], figures["timeouts"]) == (0, 0, 0, 0), figures


# --- the database the server holds --------------------------------------------------------------


def test_a_served_database_is_not_rewritten_under_the_server(read_only, tmp_path):
    db = Path(read_only.process.args[read_only.process.args.index("--db") + 1])
    result = run_cli("infer", "--db", str(db), cwd=tmp_path, home=ROOT)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "in use" in result.stderr, result.stderr
    second = run_cli("serve", "--db", str(db), "--bind", f"127.0.0.1:{free_port()}", cwd=tmp_path, home=ROOT)
    assert second.returncode == 2 and "in use" in second.stderr
    assert ask(read_only.base)[0] == 200


def test_default_database_is_outside_out(tmp_path):
    from diplograph.serve import default_db

    project = Project(ROOT)
    assert project.out_dir not in default_db(project).parents


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket in LISTEN state on ``port`` (from /proc/net/tcp{,6})."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                if len(address) == 8:
                    found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
                else:
                    found.add(address)
    return found


def test_default_bind_address_is_loopback(tmp_path):
    # The default --bind is 127.0.0.1:7878; to keep off a fixed port, start on the default's host
    # with another port and check what the kernel reports as listening.
    import inspect

    from diplograph.cli.commands.serve import serve

    default = inspect.signature(serve).parameters["bind"].default.default
    assert default == "127.0.0.1:7878"
    port = free_port()
    server = Served(tmp_path, "--bind", default.replace(":7878", f":{port}"), port=port)
    try:
        assert listening_addresses(port) == {"127.0.0.1"}
    finally:
        server.stop()
