"""A real Oxigraph server started through `diplograph serve`, pushed to and queried over HTTP.

Everything talks to 127.0.0.1 only; every wait is bounded; every server is stopped in teardown.
"""

from __future__ import annotations

import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph

from conftest import run_cli
from diplograph.dataset import assemble
from diplograph.endpoint import Endpoint, graph_triple_count
from diplograph.iris import graph_iri
from diplograph.project import Project
from diplograph.serve import find_service
from diplograph.store import StoreSpec, plain_graph
from server_util import Served, ask, free_port, http

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 1.5  # seconds, the served query timeout
SEED = graph_iri("source", "china-azerbaijan-2024")


@pytest.fixture(scope="module")
def read_only(tmp_path_factory):
    server = Served(tmp_path_factory.mktemp("ro"), "--timeout", str(TIMEOUT))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def writable(tmp_path_factory):
    server = Served(tmp_path_factory.mktemp("rw"), "--allow-update", "--timeout", str(TIMEOUT))
    try:
        yield server
    finally:
        server.stop()


# --- what is served -----------------------------------------------------------------


def _sizes(assembled) -> dict:
    return {name: len(assembled.dataset.graph(name)) for name in assembled.view}


def test_serve_loads_the_project_and_answers_the_protocol(read_only, project_datasets):
    counts = graph_triple_count(Endpoint.from_url(read_only.base))
    assert counts == _sizes(project_datasets.get("rdflib"))


def test_query_ui_is_served_from_the_server_itself(read_only):
    status, page = http(read_only.base + "/")
    assert status == 200 and "yasgui" in page.lower()
    assert "https://" not in page and "http://" not in page  # nothing from a CDN
    assert http(read_only.base + "/yasgui.min.js")[0] == 200


def test_graph_store_get_returns_the_graph(read_only, project_datasets):
    data = Endpoint.from_url(read_only.base).get_graph(SEED)
    served = Graph().parse(data=data.decode(), format="nt")
    local = plain_graph(project_datasets.get("rdflib").dataset, [SEED])
    assert set(served) == set(local)


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


# --- push --------------------------------------------------------------------------------


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


# --- security -------------------------------------------------------------------------------

UPDATE = b"INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/b> 1 } }"


def test_update_is_refused_by_default(read_only):
    status, body = http(read_only.base + "/update", data=UPDATE, headers={"Content-Type": "application/sparql-update"})
    assert status == 403 and "read-only" in body
    status, body = http(read_only.base + "/query", data=urllib.parse.urlencode({"update": UPDATE}).encode(),
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403
    status, body = http(f"{read_only.base}/store?graph=http://example.org/g", data=b"<a:a> <a:b> <a:c> .",
                        headers={"Content-Type": "application/n-triples"}, method="PUT")
    assert status == 403 and "read-only" in body
    assert ask(read_only.base, "ASK { GRAPH <http://example.org/g> { ?s ?p ?o } }")[1].find("false") > 0


def test_update_is_accepted_with_allow_update(writable):
    status, _ = http(writable.base + "/update", data=UPDATE, headers={"Content-Type": "application/sparql-update"})
    assert status in (200, 204)
    assert '"boolean":true' in ask(writable.base, "ASK { GRAPH <http://example.org/g> { ?s ?p ?o } }")[1].replace(" ", "")
    http(writable.base + "/update", data=b"DROP GRAPH <http://example.org/g>",
         headers={"Content-Type": "application/sparql-update"})


def test_service_to_another_host_is_refused(read_only, writable):
    # A listener that records whether the server called out (it must not).
    with socket.socket() as trap:
        trap.bind(("127.0.0.1", 0))
        trap.listen(1)
        trap.settimeout(0.5)
        target = f"http://127.0.0.1:{trap.getsockname()[1]}/sparql"
        for base in (read_only.base, writable.base):
            status, body = ask(base, f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}")
            assert status == 403 and "SERVICE" in body and target in body
            status, _ = http(base + "/query", data=f"select * {{ service silent <{target}> {{ ?s ?p ?o }} }}".encode(),
                             headers={"Content-Type": "application/sparql-query"})
            assert status == 403
        with pytest.raises(TimeoutError):
            trap.accept()  # nobody connected


def test_the_word_service_in_a_literal_is_not_a_service_clause():
    assert find_service('SELECT * WHERE { ?s ?p "SERVICE <http://x>" } # SERVICE') is None
    assert find_service("SELECT ?service WHERE { ?service ex:SERVICE <http://x/SERVICE> }") is None
    assert find_service("select * { SERVICE SILENT <http://evil/> {} }") == "<http://evil/>"
    assert find_service("SELECT * { SERVICE ?x {} }") == "?x"


def test_runaway_query_is_stopped_and_the_server_survives(read_only):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    status, body = ask(read_only.base, runaway, timeout=30)
    elapsed = time.monotonic() - started
    assert status == 503 and "timeout" in body, body
    assert elapsed < TIMEOUT + 8
    path_query = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a (<http://www.w3.org/2000/01/rdf-schema#label>|"
        "!<http://www.w3.org/2000/01/rdf-schema#label>)* ?b . ?c ?d ?e }"
    )
    status, body = ask(read_only.base, path_query, timeout=30)
    assert status == 503, body
    for _ in range(100):  # bounded: the engine restarts after a timeout
        status, body = ask(read_only.base, timeout=5)
        if status == 200:
            break
        time.sleep(0.1)
    assert status == 200 and "true" in body


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
