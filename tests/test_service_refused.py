"""Federated queries (SERVICE) are refused unless --allow-service: no request leaves (issue 11, item 15).

Every engine diplograph queries with runs ``SERVICE <url>`` by sending a request to ``url`` itself
(Oxigraph, rdflib's engine, a SPARQL server on its side), so a query text or a project's query
file could make the machine running diplograph call any address. A local listener on 127.0.0.1
records every connection; each test asserts it received none, and one control test that, allowed,
the same query does reach it (so the listener would have seen a request).
"""

from __future__ import annotations

import time
from pathlib import Path

import pyoxigraph
import pytest

from conftest import run_cli, write
from diplograph.errors import QueryError, RefusedSparqlError
from diplograph.queries import load_query_file, run_query
from diplograph.store import StoreSpec, new_dataset
from net_util import Listener

HEADER = "#+ summary: Test fixture, not a real question: everything a remote endpoint holds.\n#+ returns: ?s\n"


def service_query(url: str) -> str:
    return f"SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}\n"


def refused_line(url: str, where: str = "") -> str:
    return f"error: {where}refused: SERVICE {url} makes a federated query; pass --allow-service to run it"


def settle(listener: Listener) -> int:
    time.sleep(0.3)  # a connection made just before the command exited is recorded by now
    return listener.connections


@pytest.mark.parametrize("store", ["memory", "rdflib", "db"])
def test_query_sparql_with_service_is_refused_on_every_store(project_dir: Path, tmp_path: Path, store: str):
    args = {"memory": (), "rdflib": ("--store", "rdflib"), "db": ("--db", str(tmp_path / "db"))}[store]
    with Listener() as listener:
        result = run_cli("query", "--sparql", service_query(listener.url), *args, cwd=project_dir, home=project_dir)
        assert settle(listener) == 0
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [refused_line(listener.url)]


def test_allowed_the_same_query_does_reach_the_listener(project_dir: Path):
    # the control: the listener sees a request when one is made
    with Listener() as listener:
        run_cli("query", "--sparql", service_query(listener.url), "--allow-service", cwd=project_dir, home=project_dir)
        assert settle(listener) >= 1
    assert b"query=" in b"".join(listener.received) or b"POST" in b"".join(listener.received)


def test_a_query_file_with_service_is_refused(project_dir: Path):
    with Listener() as listener:
        path = write(project_dir / "federated.rq", HEADER + service_query(listener.url))
        result = run_cli("query", str(path), cwd=project_dir, home=project_dir)
        assert settle(listener) == 0
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [refused_line(listener.url, "federated.rq: ")]


def test_query_list_runs_nothing(project_dir: Path):
    with Listener() as listener:
        write(project_dir / "queries" / "federated.rq", HEADER + service_query(listener.url))
        write(project_dir / "queries" / "ask-federated.rq",
              "#+ summary: Test fixture: filter by a remote endpoint.\n#+ returns: ?s\n"
              f"SELECT ?s WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }} }}\n")
        result = run_cli("query", "--list", cwd=project_dir, home=project_dir)
        assert settle(listener) == 0
    assert result.returncode == 0, result.stderr
    assert "federated" in result.stdout and "ask-federated" in result.stdout and "2 queries" in result.stdout


def test_build_refuses_a_named_query_with_service_and_writes_nothing(project_dir: Path):
    with Listener() as listener:
        write(project_dir / "queries" / "federated.rq", HEADER + service_query(listener.url))
        result = run_cli("build", cwd=project_dir, home=project_dir)
        assert settle(listener) == 0
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == refused_line(listener.url, "queries/federated.rq: ")
    assert not (project_dir / "out").exists()


def test_build_allow_service_runs_it(project_dir: Path):
    with Listener() as listener:
        write(project_dir / "queries" / "federated.rq", HEADER + service_query(listener.url))
        run_cli("build", "--allow-service", cwd=project_dir, home=project_dir)
        assert settle(listener) >= 1


def test_validate_refuses_a_check_with_service(project_dir: Path):
    with Listener() as listener:
        write(project_dir / "queries" / "checks" / "federated-violation.rq",
              HEADER + "#+ severity: violation\n" + service_query(listener.url))
        result = run_cli("validate", cwd=project_dir, home=project_dir)
        assert settle(listener) == 0
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [refused_line(listener.url, "queries/checks/federated-violation.rq: ")]


def test_text_the_guard_cannot_read_is_refused_unchecked(project_dir: Path):
    # rdflib's grammar recurses without end on a SERVICE inside a SERVICE; Oxigraph would run it
    with Listener() as listener:
        text = f"SELECT ?s WHERE {{ SERVICE <{listener.url}> {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }} }}"
        result = run_cli("query", "--sparql", text, cwd=project_dir, home=project_dir)
        assert settle(listener) == 0
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: refused: the query cannot be checked for SERVICE (")
    assert line.endswith("; pass --allow-service to run it unchecked")


# --- the library: run_query is the one place every query passes -------------------------------


@pytest.mark.parametrize("kind", ["memory", "rdflib", "oxigraph"])
def test_run_query_refuses_service_on_every_store(tmp_path: Path, kind: str):
    store = StoreSpec(kind="oxigraph", db=tmp_path / "db") if kind == "oxigraph" else kind
    dataset = new_dataset(store)
    with Listener() as listener:
        with pytest.raises(RefusedSparqlError) as info:
            run_query(dataset, service_query(listener.url))
        with pytest.raises(RefusedSparqlError):  # in an EXISTS, after a comment, in lower case
            run_query(dataset, f"ASK {{ FILTER EXISTS {{ # x\n service <{listener.url}> {{ ?s ?p ?o }} }} }}")
        assert settle(listener) == 0
    assert (info.value.feature, info.value.target, info.value.path) == ("SERVICE", listener.url, None)


def test_loading_a_query_file_with_service_reads_its_projection_without_running_it(tmp_path: Path):
    with Listener() as listener:
        good = load_query_file(write(tmp_path / "good.rq", HEADER + service_query(listener.url)))
        with pytest.raises(QueryError) as info:
            load_query_file(write(tmp_path / "bad.rq", HEADER.replace("?s", "?s ?o") + service_query(listener.url)))
        with pytest.raises(RefusedSparqlError) as refused:
            run_query(new_dataset("memory"), good)
        assert settle(listener) == 0
    assert good.returns == ("s",)
    assert "promises columns ?s ?o but the query projects ?s" in str(info.value)
    assert refused.value.path == good.path and "good.rq: refused: SERVICE" in str(refused.value)


def test_a_syntax_error_is_still_oxigraphs_located_message():
    # the guard's grammar cannot read it either; the message is Oxigraph's, as it was before the guard
    text = "SELECT ?s WHERE {\n  ?s ?p \n}"
    with pytest.raises(SyntaxError) as oxigraph:
        pyoxigraph.Store().query(text)
    with pytest.raises(QueryError) as info:
        run_query(new_dataset("memory"), text)
    assert str(oxigraph.value).startswith(f"error at {info.value.line}:{info.value.column}: ")
    assert str(info.value).startswith(f"query:{info.value.line}:{info.value.column}: SPARQL syntax error: expected")
