"""Against a real Virtuoso (Debian's virtuoso-opensource) on 127.0.0.1: push, every named query, cut answers, credentials.

Each fixture starts a Virtuoso of its own (tests/virtuoso_util.py: own folder, free ports,
default ResultSetMaxRows of 10,000, a dba password only the test knows) and stops it in teardown.
Skipped only when Virtuoso is absent and CI is unset (conftest.py::virtuoso_executable); .ci/run
installs it. Everything goes through the real entry point (`python -m diplograph`).

The large project is invented data (bench/synthetic.py, seeded): the repository's ontology and
reference graphs and one generated source graph of 25,000 triples, so that graphs and answers
are longer than Virtuoso's 10,000 rows and really get cut.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest

from conftest import run_cli
from diplograph.endpoint import Endpoint, graph_triple_count
from diplograph.iris import graph_iri
from diplograph.queries import list_queries, run_query, to_json
from virtuoso_util import RESULT_SET_MAX_ROWS, Virtuoso

ROOT = Path(__file__).resolve().parents[1]
SEED = graph_iri("source", "china-azerbaijan-2024")
XSD = "http://www.w3.org/2001/XMLSchema#"
WORLD_TRIPLES = 25_000


@pytest.fixture(scope="module")
def seeded(virtuoso_executable, tmp_path_factory):
    """A Virtuoso holding the repository's own project (pushed with SPARQL updates; tests push it again their way)."""
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso-seed"))
    try:
        pushed = _cli(server, "push", "--endpoint", server.query, "--update", server.update, "--method", "update",
                      "--user", server.user)
        assert pushed.returncode == 0, pushed.stderr
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def large(virtuoso_executable, tmp_path_factory):
    """A Virtuoso holding the large project (see the module docstring), pushed with the Graph Store; and that project."""
    from synthetic import write_world

    project = tmp_path_factory.mktemp("large-project")
    (project / "graphs").mkdir()
    for name, target in (("ontology", ROOT / "ontology"), ("queries", ROOT / "queries"),
                         ("graphs/reference", ROOT / "graphs" / "reference")):
        (project / name).symlink_to(target)
    assert write_world(project / "graphs" / "world.ttl", WORLD_TRIPLES, seed=11) > 2 * RESULT_SET_MAX_ROWS
    server = Virtuoso(tmp_path_factory.mktemp("virtuoso-large"))
    try:
        pushed = _cli(server, "push", "--endpoint", server.query, "--gsp", server.gsp, "--user", server.user,
                      home=project)
        assert pushed.returncode == 0, pushed.stderr
        yield server, project
    finally:
        server.stop()


_SERVERS = object()


def _cli(server: Virtuoso, *args: str, home: Path = ROOT, password: str | None | object = _SERVERS):
    """The command line with the server's password (or ``password``; None: none) in DIPLOGRAPH_PASSWORD,
    never on the command line, and no ~/.netrc."""
    env = {"DIPLOGRAPH_PASSWORD": server.password if password is _SERVERS else password,
           "DIPLOGRAPH_USER": None, "NETRC": "/nonexistent/netrc"}
    result = run_cli(*args, cwd=home, home=home, env=env)
    assert server.password not in result.stdout + result.stderr
    return result


def _bindings(json_text: str) -> list[str]:
    return sorted(json.dumps(b, sort_keys=True) for b in json.loads(json_text)["results"]["bindings"])


# --- items 10, 12 and 14: push with Digest credentials, then every named query -----------------------


def test_update_push_then_every_named_query_answers_as_in_memory(seeded, project_datasets, tmp_path):
    pushed = _cli(seeded, "push", "--endpoint", seeded.query, "--update", seeded.update, "--method", "update",
                  "--user", seeded.user)
    assert pushed.returncode == 0, pushed.stderr  # Virtuoso refuses blank nodes in INSERT DATA: they go as IRIs
    assert "warning" not in pushed.stderr  # and integers above 2^31 - 1 stay xsd:integer
    memory = project_datasets.get("memory")
    sizes = {name: len(memory.dataset.graph(name)) for name in memory.view}
    assert graph_triple_count(Endpoint.from_url(seeded.query), sizes) == sizes
    # build answers every named query and check on the server (those tagged inference on the server's
    # graphs copied into memory with graph/inferred, since reading never writes) ...
    remote = _cli(seeded, "build", "--endpoint", seeded.query, "--out", str(tmp_path / "remote"))
    local = _cli(seeded, "build", "--out", str(tmp_path / "memory"))
    assert remote.returncode == 0 and local.returncode == 0, remote.stdout[-1000:] + remote.stderr
    queries = [q for q in list_queries(ROOT / "queries") if not q.is_check]
    answers = {q.name: [_bindings((tmp_path / side / "queries" / f"{q.name}.json").read_text(encoding="utf-8"))
                        for side in ("remote", "memory")] for q in queries}
    assert len(answers) > 25
    assert [name for name, (a, b) in answers.items() if a != b] == []
    # ... and Virtuoso itself answers those tagged inference too, on the asserted graphs
    tagged = [q for q in queries if q.needs_inference]
    assert tagged
    for query in tagged:
        asked = _cli(seeded, "query", str(query.path), "--format", "json", "--endpoint", seeded.query)
        assert asked.returncode == 0, (query.name, asked.stderr)
        assert _bindings(asked.stdout) == _bindings(to_json(run_query(memory, query))), query.name


def test_gsp_push_reports_integers_virtuoso_stores_as_decimal(seeded, tmp_path):
    pushed = _cli(seeded, "push", "--endpoint", seeded.query, "--gsp", seeded.gsp, "--user", seeded.user)
    assert pushed.returncode == 0, pushed.stderr
    warnings = [line for line in pushed.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and "graph:source/china-azerbaijan-2024" in warnings[0], pushed.stderr
    assert "xsd:integer 54 sent, 52 stored" in warnings[0] and "xsd:decimal 2 sent, 4 stored" in warnings[0]
    assert pushed.stdout.splitlines()[-1].endswith("the server holds 1 graph differently (see the warnings)")
    value = ("SELECT (datatype(?v) AS ?t) WHERE { GRAPH <%s> { <https://w3id.org/diplograph/id/statement/"
             "china-azerbaijan-2024/indicator-trade-2024-jan-oct> <https://w3id.org/diplograph/ns#value> ?v } }" % SEED)
    endpoint = Endpoint.from_url(seeded.query)
    assert endpoint.select_json(value)["results"]["bindings"][0]["t"]["value"] == XSD + "decimal"
    again = _cli(seeded, "push", "--endpoint", seeded.query, "--update", seeded.update, "--method", "update",
                 "--user", seeded.user)
    assert again.returncode == 0 and "warning" not in again.stderr, again.stderr
    assert endpoint.select_json(value)["results"]["bindings"][0]["t"]["value"] == XSD + "integer"


def test_writes_without_the_right_password_are_refused_and_it_is_never_printed(seeded):
    wrong = "not-the-password-93"
    for args in (("--user", seeded.user), ()):
        result = _cli(seeded, "push", "--endpoint", seeded.query, "--gsp", seeded.gsp, *args, password=wrong)
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "HTTP 401" in result.stderr and "Digest" in result.stderr and wrong not in result.stderr
    host = seeded.base.split("//", 1)[1]
    in_url = _cli(seeded, "push", "--endpoint", f"http://dba:{wrong}@{host}/sparql", "--gsp", seeded.gsp, password=None)
    assert in_url.returncode == 2 and wrong not in in_url.stderr and "user 'dba'" in in_url.stderr


def test_query_infer_on_virtuoso_writes_nothing(seeded):
    before = Endpoint.from_url(seeded.query).named_graphs()
    result = _cli(seeded, "query", "state-relationships", "--infer", "--format", "csv", "--endpoint", seeded.query,
                  "--user", seeded.user)
    assert result.returncode == 0 and len(result.stdout.splitlines()) > 1, result.stderr
    after = Endpoint.from_url(seeded.query).named_graphs()
    assert after == before and graph_iri("inferred") not in after


# --- item 11: Virtuoso's ResultSetMaxRows ---------------------------------------------------------------


def test_a_select_longer_than_result_set_max_rows_fails_instead_of_answering_short(large):
    server, project = large
    result = _cli(server, "query", "--sparql", "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", "--format", "csv",
                  "--endpoint", server.query, home=project)
    assert result.returncode == 2 and result.stdout == "", result.stdout[-300:]
    assert len(result.stderr.strip().splitlines()) == 1
    assert f"it sent {RESULT_SET_MAX_ROWS:,} of the " in result.stderr
    assert f"(X-SPARQL-MaxRows: {RESULT_SET_MAX_ROWS})" in result.stderr


def test_validate_fast_on_graphs_longer_than_result_set_max_rows_is_the_memory_answer(large):
    """The 100k-triple graph that conforms was reported with 3,415 violations: graphs were read cut at 10,000 triples."""
    server, project = large
    remote = _cli(server, "validate", "--engine", "fast", "--format", "lines", "--endpoint", server.query, home=project)
    memory = _cli(server, "validate", "--engine", "fast", "--format", "lines", home=project)
    assert memory.returncode == 0, memory.stdout[-500:]
    assert remote.returncode == 0, remote.stdout[-500:] + remote.stderr
    assert remote.stdout == memory.stdout and "conforms" in remote.stdout  # same triples read, same results


def test_the_readme_names_the_virtuoso_version_tested(seeded):
    with urllib.request.urlopen(seeded.query + "?query=ASK%7B%7D", timeout=20) as answer:
        server = answer.headers["Server"]  # "Virtuoso/07.20.3229 (Linux) …"
    version = server.split("/", 1)[1].split()[0]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    virtuoso_row = next(line for line in readme.splitlines() if line.startswith("| Virtuoso |"))
    assert f"Virtuoso {version}" in virtuoso_row, f"README's table does not name the Virtuoso tested ({server})"


def test_update_push_of_a_graph_longer_than_virtuosos_parser_takes_in_one_request(large):
    """Virtuoso's SPARQL parser gives up ('SP030: memory exhausted') at about 5,000 triples in one INSERT DATA."""
    server, project = large
    pushed = _cli(server, "push", "--endpoint", server.query, "--update", server.update, "--method", "update",
                  "--user", server.user, home=project)
    assert pushed.returncode == 0, pushed.stderr
    assert "warning" not in pushed.stderr
    world = graph_iri("source", "world")
    sent = next(line for line in pushed.stdout.splitlines() if "graph:source/world:" in line)
    assert graph_triple_count(Endpoint.from_url(server.query), [world])[world] == int(sent.split(": ")[1].split()[0])
