"""`FROM` and `FROM NAMED` mean what SPARQL 1.1 says on every store (the served endpoint: test_server.py).

On the project: the seed article's graph alone as the default graph, or as the only named graph;
a `FROM` graph that no store holds is empty, and is never downloaded (a listener proves it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from diplograph.iris import graph_iri
from server_util import Listener

ROOT = Path(__file__).resolve().parents[1]
SEED = graph_iri("source", "china-azerbaijan-2024")
STORES = [("memory",), ("rdflib",), ("oxigraph", "--db", "DB")]


def _answer(tmp_path: Path, store: tuple[str, ...], query: str) -> str:
    options = ["--store", *[str(tmp_path / "db") if part == "DB" else part for part in store]]
    result = run_cli("query", *options, "--format", "csv", "--sparql", query, cwd=tmp_path, home=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[1]


@pytest.mark.parametrize("store", STORES, ids=lambda s: s[0])
def test_from_and_from_named_per_store(store, tmp_path, project_datasets):
    seed_size = len(project_datasets.get("rdflib").dataset.graph(SEED))
    assert _answer(tmp_path, store, f"SELECT (COUNT(*) AS ?n) FROM <{SEED}> WHERE {{ ?s ?p ?o }}") == str(seed_size)
    assert _answer(tmp_path, store, f"SELECT (COUNT(DISTINCT ?g) AS ?n) FROM NAMED <{SEED}> "
                                    "WHERE { GRAPH ?g { ?s ?p ?o } }") == "1"
    assert _answer(tmp_path, store, f"SELECT (COUNT(*) AS ?n) FROM <{SEED}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == "0"
    # no dataset clause: the default graph is still the union of the named graphs
    assert int(_answer(tmp_path, store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")) > seed_size


@pytest.mark.parametrize("store", STORES, ids=lambda s: s[0])
def test_a_from_graph_is_never_downloaded(store, tmp_path):
    with Listener() as listener:
        for query in (f"SELECT (COUNT(*) AS ?n) FROM <{listener.url}> WHERE {{ ?s ?p ?o }}",
                      f"SELECT (COUNT(*) AS ?n) FROM NAMED <{listener.url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"):
            assert _answer(tmp_path, store, query) == "0"
        assert listener.quiet_for(), listener.hits
