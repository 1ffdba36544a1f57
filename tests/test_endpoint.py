"""Talking to SPARQL servers (diplograph.endpoint): how requests are sent, credentials, cut answers, pushes, reads.

Every test here runs without Virtuoso: a real `diplograph serve` (Oxigraph) on 127.0.0.1, with a
recording proxy in front of it (tests/recording_proxy.py, a test double) that keeps every request
and, where a test says so, asks for HTTP Basic credentials or cuts answers the way Virtuoso's
ResultSetMaxRows does. tests/test_virtuoso.py runs the same commands against a real Virtuoso.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from conftest import run_cli
from diplograph.cli.app import _register_commands, app
from diplograph.dataset import assemble
import diplograph.endpoint as endpoint_module
from diplograph.endpoint import VERIFY_ROWS, Credentials, Endpoint, push_graph
from diplograph.errors import CredentialsError, EndpointError, TruncatedResultError, without_password
from diplograph.iris import PUSH_GENID, graph_iri
from diplograph.project import Project
from diplograph.store import StoreSpec, plain_graph
from diplograph.store.remote import remote_triples
from recording_proxy import RecordingProxy
from server_util import Served

ROOT = Path(__file__).resolve().parents[1]
SHAPES, STATES = graph_iri("shapes"), graph_iri("reference", "states")
PASSWORD = "s3cret-Pw-41"  # a test password, printed nowhere if the code is right
NOT_A_NETRC = "/nonexistent/netrc"  # so that no ~/.netrc of the machine answers for 127.0.0.1


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The real project in `diplograph serve --allow-update` (pushes and reads share it; pushes rewrite the same graphs)."""
    server = Served(tmp_path_factory.mktemp("endpoint"), "--allow-update")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def proxy(served):
    made: list[RecordingProxy] = []

    def make(**options) -> RecordingProxy:
        made.append(RecordingProxy(served.base, **options))
        return made[-1]

    yield make
    for p in made:
        p.stop()


@pytest.fixture
def no_netrc(monkeypatch):
    monkeypatch.setenv("NETRC", NOT_A_NETRC)
    for name in ("DIPLOGRAPH_USER", "DIPLOGRAPH_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


def _bindings(stdout: str) -> list[str]:
    return sorted(json.dumps(b, sort_keys=True) for b in json.loads(stdout)["results"]["bindings"])


# --- item 10: requests every server answers, credentials, no password shown ------------------------


def test_every_command_that_takes_endpoint_takes_user_and_password():
    _register_commands()
    commands = typer.main.get_command(app).commands
    with_endpoint = [name for name, c in commands.items() if any("--endpoint" in p.opts for p in c.params)]
    assert {"push", "query", "validate", "build", "summary", "stats", "viz", "infer"} <= set(with_endpoint)
    for name in with_endpoint:
        options = {o for p in commands[name].params for o in p.opts}
        assert {"--user", "--password"} <= options, name


def test_queries_and_updates_are_form_encoded_posts(proxy, tmp_path, no_netrc, project_datasets):
    """Virtuoso 7.2 never answers a POST of application/sparql-query: send what every server takes."""
    seen = proxy()
    pushed = run_cli("push", "--endpoint", seen.base, "--method", "update", cwd=tmp_path, home=ROOT)
    assert pushed.returncode == 0, pushed.stderr
    remote = run_cli("query", "partners", "--format", "json", "--endpoint", seen.base, cwd=tmp_path, home=ROOT)
    memory = run_cli("query", "partners", "--format", "json", cwd=tmp_path, home=ROOT)
    assert remote.returncode == 0, remote.stderr
    assert _bindings(remote.stdout) == _bindings(memory.stdout) != []
    posts = [r for r in seen.requests if r.path in ("/query", "/update")]
    assert {r.path for r in posts} == {"/query", "/update"}
    for r in posts:
        assert r.method == "POST" and r.headers["content-type"] == "application/x-www-form-urlencoded", r
        assert set(r.form) <= {"query", "update", "default-graph-uri"} and r.form, r
    assert not [r for r in seen.requests if "application/sparql-" in r.headers.get("content-type", "")]


def test_basic_credentials_from_option_environment_url_and_netrc(proxy, tmp_path, no_netrc, monkeypatch):
    guarded = proxy(basic_auth=("alice", PASSWORD))
    host = guarded.base.split("//", 1)[1]

    def summary(*args: str):
        result = run_cli("summary", *args, cwd=tmp_path, home=ROOT)
        assert PASSWORD not in result.stdout + result.stderr
        return result

    refused = summary("--endpoint", guarded.base)
    assert refused.returncode == 2 and len(refused.stderr.splitlines()) == 1, refused.stderr
    assert "HTTP 401" in refused.stderr and "Basic" in refused.stderr and "--user" in refused.stderr

    assert summary("--endpoint", guarded.base, "--user", "alice", "--password", PASSWORD).returncode == 0
    assert summary("--endpoint", f"http://alice:{PASSWORD}@{host}").returncode == 0
    monkeypatch.setenv("DIPLOGRAPH_PASSWORD", PASSWORD)
    assert summary("--endpoint", guarded.base, "--user", "alice").returncode == 0
    monkeypatch.delenv("DIPLOGRAPH_PASSWORD")
    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login alice password {PASSWORD}\n", encoding="utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    assert summary("--endpoint", guarded.base).returncode == 0
    sent = [r.headers.get("authorization", "") for r in guarded.requests]
    assert any(a.startswith("Basic ") for a in sent)


def test_a_refused_password_is_never_printed(proxy, tmp_path, no_netrc):
    guarded = proxy(basic_auth=("alice", "the-right-one"))
    host = guarded.base.split("//", 1)[1]
    for command in ("summary", "push"):
        result = run_cli(command, "--endpoint", f"http://alice:{PASSWORD}@{host}", cwd=tmp_path, home=ROOT)
        assert result.returncode == 2, result.stderr
        assert PASSWORD not in result.stdout + result.stderr
        assert f"http://{host}/" in result.stderr and "HTTP 401" in result.stderr and "user 'alice'" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_a_user_without_a_password_is_a_usage_error(tmp_path, no_netrc):
    result = run_cli("summary", "--endpoint", "http://127.0.0.1:9/sparql", "--user", "alice", cwd=tmp_path, home=ROOT)
    assert result.returncode == 2
    assert "no password for user 'alice'" in result.stderr and "DIPLOGRAPH_PASSWORD" in result.stderr


def test_credentials_are_found_in_order_and_never_shown(tmp_path):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine db.example login bob password from-netrc\n", encoding="utf-8")
    netrc.chmod(0o600)
    url = f"http://carol:{PASSWORD}@db.example:8890/sparql"
    endpoint = Endpoint.from_url(url, netrc_file=netrc)
    assert endpoint.credentials == Credentials("carol", PASSWORD)
    assert endpoint.query == "http://db.example:8890/sparql" and PASSWORD not in repr(endpoint)
    assert Credentials.find("http://db.example/sparql", netrc_file=netrc) == Credentials("bob", "from-netrc")
    with pytest.raises(CredentialsError, match="no password for user 'carol'"):  # bob's entry is not carol's
        Credentials.find("http://db.example/sparql", "carol", netrc_file=netrc)
    assert Credentials.find(url, "dave", "given", netrc_file=netrc) == Credentials("dave", "given")
    assert Credentials.find("http://db.example/sparql", netrc_file=tmp_path / "none") is None
    assert str(EndpointError(url, f"refused {url}")) == (
        "http://carol@db.example:8890/sparql: refused http://carol@db.example:8890/sparql")
    assert without_password("see https://u:p%40ss@h/x and http://h/y") == "see https://u@h/x and http://h/y"


# --- item 11: answers a server cuts short -------------------------------------------------------


@pytest.mark.parametrize("header", [True, False], ids=["with-X-SPARQL-MaxRows", "silent"])
def test_a_select_answer_cut_by_the_server_fails_naming_the_counts(proxy, tmp_path, no_netrc, header):
    cut = proxy(cap_rows=VERIFY_ROWS, cap_header=header)
    query = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    result = run_cli("query", "--sparql", query, "--format", "csv", "--endpoint", cut.base, cwd=tmp_path, home=ROOT)
    assert result.returncode == 2, result.stdout[-300:]
    assert len(result.stderr.strip().splitlines()) == 1
    assert f"it sent {VERIFY_ROWS:,} of the " in result.stderr and "ResultSetMaxRows" in result.stderr
    assert ("X-SPARQL-MaxRows" in result.stderr) == header
    counted = [r for r in cut.requests if "COUNT(*) AS ?diplograph_solutions" in r.form.get("query", [""])[0]]
    assert len(counted) == 1


def test_an_answer_under_the_limit_is_not_counted_again(proxy, served):
    seen = proxy()
    endpoint = Endpoint.from_url(seen.base)
    rows = endpoint.select_json("SELECT ?g WHERE { GRAPH ?g { } }")["results"]["bindings"]
    assert len(rows) < VERIFY_ROWS
    assert len(seen.requests) == 1


def test_graphs_cut_by_the_server_are_read_whole_in_pages(proxy, tmp_path, no_netrc, project_datasets):
    cut = proxy(cap_rows=1000)
    states = Endpoint.from_url(cut.base).graph(STATES)
    assert len(states) == len(project_datasets.get("rdflib").dataset.graph(STATES)) > 3000
    pages = [r.form["query"][0] for r in cut.requests if "OFFSET" in r.form.get("query", [""])[0]]
    assert len(pages) == 4 and all("LIMIT 1000" in p for p in pages)
    remote = run_cli("validate", "--engine", "fast", "--format", "lines", "--endpoint", cut.base, cwd=tmp_path, home=ROOT)
    memory = run_cli("validate", "--engine", "fast", "--format", "lines", cwd=tmp_path, home=ROOT)
    assert remote.returncode == memory.returncode == 0, remote.stdout[-500:] + remote.stderr
    assert remote.stdout == memory.stdout


def test_pages_that_do_not_add_up_fail(proxy, served):
    class Shrinking(Endpoint):  # a server whose pages lose triples: the count must catch it
        def construct_ntriples(self, query: str) -> bytes:
            return b"\n".join(super().construct_ntriples(query).splitlines()[:-1])

    base = proxy(cap_rows=1000).base
    with pytest.raises(TruncatedResultError, match=r"of the 3,435 triples"):
        Shrinking(query=base + "/query", update=base + "/update", gsp=base + "/store").graph(STATES)


# --- item 12: blank nodes pushed with SPARQL updates ---------------------------------------------


def test_update_push_sends_blank_nodes_as_skolem_iris_and_reads_them_back_as_blank_nodes(
        proxy, tmp_path, no_netrc, project_datasets):
    seen = proxy()
    result = run_cli("push", "--endpoint", seen.base, "--method", "update", cwd=tmp_path, home=ROOT)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    inserts = [u for r in seen.requests for u in r.form.get("update", []) if u.startswith("INSERT DATA")]
    blank = [line for u in inserts for line in u.splitlines() if line.startswith("_:") or " _:" in line]
    assert inserts and blank == []
    assert any(PUSH_GENID in u for u in inserts)
    remote = assemble(Project(ROOT), store=StoreSpec("sparql", endpoint=seen.base))
    assert isomorphic(plain_graph(remote.dataset, [SHAPES]), plain_graph(project_datasets.get("rdflib").dataset, [SHAPES]))
    validated = run_cli("validate", "--format", "lines", "--endpoint", seen.base, cwd=tmp_path, home=ROOT)
    assert validated.returncode == 0 and validated.stdout == run_cli(
        "validate", "--format", "lines", cwd=tmp_path, home=ROOT).stdout


def test_a_blank_node_is_one_iri_across_the_requests_of_a_push(proxy, monkeypatch):
    seen = proxy()
    endpoint, name = Endpoint.from_url(seen.base), URIRef("http://example.org/test/lists")  # test data, not claims
    graph = Graph().parse(data="""
        @prefix ex: <http://example.org/test/> .
        ex:a ex:list ( ex:x ex:y ex:z ) ; ex:shape [ ex:path ex:p ; ex:in ( "1" "2" ) ] .
    """, format="turtle")
    monkeypatch.setattr(endpoint_module, "_INSERT_CHUNK_TRIPLES", 2)
    assert push_graph(endpoint, name, graph, method="update") == len(graph) == 14
    assert len([r for r in seen.requests if "INSERT DATA" in r.form.get("update", [""])[0]]) == 7
    read = Graph()
    read += remote_triples(endpoint, name)
    assert isomorphic(read, graph)
    push_graph(endpoint, name, graph, method="update")  # again: the graph is replaced, not added to
    assert endpoint.graph_size(name) == 14
    endpoint.run_update(f"DROP SILENT GRAPH <{name}>")


# --- item 13: reading never writes -------------------------------------------------------------


def test_query_infer_on_a_server_writes_nothing(proxy, tmp_path, no_netrc, served):
    seen = proxy()
    name = "state-relationships"  # tagged inference: it has answers only with graph/inferred
    remote = run_cli("query", name, "--infer", "--format", "json", "--endpoint", seen.base, cwd=tmp_path, home=ROOT)
    memory = run_cli("query", name, "--infer", "--format", "json", cwd=tmp_path, home=ROOT)
    assert remote.returncode == 0, remote.stderr
    assert _bindings(remote.stdout) == _bindings(memory.stdout) != []
    assert seen.requests and seen.writes == []
    assert graph_iri("inferred") not in Endpoint.from_url(served.base).named_graphs()
