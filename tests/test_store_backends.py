"""Every store backend loads the seed project and answers the same SPARQL the same way.

Backends: memory (Oxigraph in memory), rdflib (pure Python, the reference), oxigraph (on disk,
persistent between processes). The remote backend (sparql) is tested against a real server in
test_server.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from conftest import run_cli
from diplograph.errors import EndpointError, StoreLocationError, UsageError
from diplograph.iris import graph_iri
from diplograph.project import Project
from diplograph.store import MANIFEST_FILE, StoreSpec, load_project_dataset, new_dataset, plain_graph, store_spec

ROOT = Path(__file__).resolve().parents[1]
SEED = graph_iri("source", "china-azerbaijan-2024")

# Written for these tests (the named queries have their own golden tests in test_queries.py).
QUERIES = {
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "states-with-names": """
        PREFIX dg: <https://w3id.org/diplograph/ns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?s WHERE { ?s a dg:State ; rdfs:label ?l } """,
    "classes-in-seed": f"SELECT DISTINCT ?c WHERE {{ GRAPH <{SEED}> {{ ?s a ?c }} }}",
    "distinct-triples": "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
    "optional-literals": f"""
        SELECT DISTINCT ?s ?o WHERE {{ GRAPH <{SEED}> {{ ?s ?p ?o FILTER(isLiteral(?o)) }}
                                       OPTIONAL {{ ?s a ?t }} }}""",
}


def answer(dataset, query: str) -> list[tuple[str, ...]]:
    return sorted(tuple(str(v) for v in row) for row in dataset.query(query))


@pytest.fixture(scope="module")
def reference_answers() -> dict[str, list]:
    dataset = load_project_dataset(Project(ROOT), store="rdflib").dataset
    return {name: answer(dataset, q) for name, q in QUERIES.items()}


@pytest.mark.parametrize("name", QUERIES)
def test_every_store_answers_like_rdflib(store_kind, name, reference_answers):
    loaded = load_project_dataset(Project(ROOT), store=store_kind)
    assert loaded.store == str(store_kind)
    assert answer(loaded.dataset, QUERIES[name]) == reference_answers[name]
    assert reference_answers[name]  # the query found something


def test_every_store_maps_graphs_to_the_same_files(store_kind):
    loaded = load_project_dataset(Project(ROOT), store=store_kind, include_shapes=True)
    reference = load_project_dataset(Project(ROOT), store="rdflib", include_shapes=True)
    assert loaded.graph_files == reference.graph_files
    assert len(loaded.graph_files) >= 6


def test_plain_graph_is_identical_on_every_store(store_kind):
    loaded = load_project_dataset(Project(ROOT), store=store_kind)
    reference = load_project_dataset(Project(ROOT), store="rdflib")
    mine = plain_graph(loaded.dataset, [SEED])
    assert type(mine) is Graph
    assert set(mine) == set(plain_graph(reference.dataset, [SEED]))  # literals in rdflib's form


def test_parse_errors_are_the_same_on_every_store(store_kind, project):
    (project.graphs_dir / "meeting.ttl").write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    with pytest.raises(Exception) as info:
        load_project_dataset(project, store=store_kind)
    assert type(info.value).__name__ == "ParseError"
    assert str(info.value).endswith("meeting.ttl:2: bad syntax: " + str(info.value).split("bad syntax: ", 1)[1])
    assert ":2:" in str(info.value)


# --- choosing a store ------------------------------------------------------------


def test_store_spec_rules(tmp_path):
    assert store_spec().kind == "memory"
    assert store_spec(db=tmp_path / "x").kind == "oxigraph"
    assert store_spec(endpoint="http://127.0.0.1:1/query").kind == "sparql"
    with pytest.raises(UsageError, match="--store oxigraph needs --db"):
        store_spec("oxigraph")
    with pytest.raises(UsageError, match="needs --endpoint"):
        store_spec("sparql")
    with pytest.raises(UsageError, match="--db is only used"):
        store_spec("rdflib", db=tmp_path)
    with pytest.raises(UsageError, match="memory, rdflib, oxigraph, sparql"):
        store_spec("nope")


def test_db_that_is_not_an_oxigraph_store(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(StoreLocationError, match="not an Oxigraph database"):
        new_dataset(StoreSpec("oxigraph", db=tmp_path))
    with pytest.raises(StoreLocationError, match="is a file"):
        new_dataset(StoreSpec("oxigraph", db=tmp_path / "notes.txt"))


def test_unreachable_endpoint_names_the_url():
    with pytest.raises(EndpointError, match=r"^http://127\.0\.0\.1:9/query: cannot reach the server"):
        new_dataset(StoreSpec("sparql", endpoint="http://127.0.0.1:9/query", timeout=5))


def test_cli_store_errors_are_one_line_exit_2(tmp_path):
    (tmp_path / "file").write_text("x")
    cases = {
        ("--store", "oxigraph"): "needs --db PATH",
        ("--endpoint", "http://127.0.0.1:9/query"): "http://127.0.0.1:9/query: cannot reach",
        ("--db", str(tmp_path / "file")): "is a file",
    }
    for args, expected in cases.items():
        result = run_cli("summary", *args, cwd=tmp_path, home=ROOT)
        assert result.returncode == 2, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0], (args, result.stderr)


# --- the on-disk store persists ---------------------------------------------------------


def test_oxigraph_db_persists_across_processes(tmp_path):
    db = tmp_path / "db"
    first = run_cli("summary", "--store", "oxigraph", "--db", str(db), cwd=tmp_path, home=ROOT)
    assert first.returncode == 0, first.stderr
    assert (db / MANIFEST_FILE).is_file()
    # A second process, with no project at all, reads the triples the first one stored.
    script = (
        "import sys, pyoxigraph as ox; s = ox.Store.read_only(sys.argv[1]);"
        "print(len(list(s.query('SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }'))))"
    )
    second = subprocess.run([sys.executable, "-c", script, str(db)], capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stderr
    assert int(second.stdout) == 6
    again = run_cli("summary", "--db", str(db), cwd=tmp_path, home=ROOT)
    assert again.returncode == 0, again.stderr
    assert first.stdout.splitlines()[-1] == again.stdout.splitlines()[-1]  # "N distinct triples in 6 named graphs"


def test_oxigraph_db_reloads_only_changed_files(project, tmp_path):
    db = tmp_path / "db"
    spec = StoreSpec("oxigraph", db=db)
    marker = ox.Quad(ox.NamedNode("http://example.org/m"), ox.NamedNode("http://example.org/p"),
                     ox.Literal("marker"), ox.NamedNode(str(graph_iri("source", "meeting"))))
    inferred = ox.Quad(ox.NamedNode("http://example.org/x"), ox.NamedNode("http://example.org/p"),
                       ox.Literal("kept"), ox.NamedNode(str(graph_iri("inferred"))))

    def open_raw():
        return ox.Store(str(db))

    import gc

    load_project_dataset(project, store=spec)  # first load; not kept, so the folder's lock is released
    gc.collect()
    raw = open_raw()
    raw.add(marker)  # a triple no file has: survives only if the graph is not reloaded
    raw.add(inferred)  # a graph no file gave: always kept
    del raw
    gc.collect()
    loaded = load_project_dataset(project, store=spec)
    store = loaded.dataset.store._inner
    assert marker in store and inferred in store
    del loaded, store
    gc.collect()
    meeting = project.graphs_dir / "meeting.ttl"
    meeting.write_text(meeting.read_text() + "\n# edited\n")
    loaded = load_project_dataset(project, store=spec)
    store = loaded.dataset.store._inner
    assert marker not in store  # the changed file was reloaded
    assert inferred in store
    assert len(loaded.dataset.graph(graph_iri("source", "meeting"))) == 6


def test_second_writer_on_a_db_gets_a_clear_error(tmp_path):
    db = tmp_path / "db"
    holder = new_dataset(StoreSpec("oxigraph", db=db))
    script = (
        "from diplograph.store import new_dataset, StoreSpec\n"
        "from diplograph.errors import StoreLocationError\n"
        "import sys\n"
        "try:\n    new_dataset(StoreSpec('oxigraph', db=sys.argv[1]))\n"
        "except StoreLocationError as e:\n    print(e)\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(db)], capture_output=True, text=True, timeout=60)
    assert "in use by another process" in result.stdout, result.stderr
    del holder
